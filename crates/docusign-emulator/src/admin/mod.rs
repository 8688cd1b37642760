//! The admin API under `/__emulator/` (JSON in, JSON out). Not part of DocuSign; see
//! `docs/emulator.md` for each endpoint with curl examples. Admin requests are neither logged
//! nor subject to faults. Errors are 400/404 `{"error": "<message>"}`.
//!
//! Here: health, consent, the clock, faults, the request log, tokens and the world; the
//! eSignature half's endpoints (envelope lifecycle, bulk envelopes, large documents, rate
//! limits) are in `esign.rs`.

// Helpers return `Result<_, Response>` so a handler can hand the error response straight back.
#![allow(clippy::result_large_err)]

mod esign;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::FaultSpec;
use crate::state::{lock, AppState};
use crate::world::DEFAULT_SCOPES;

/// Routes mounted under `/__emulator`.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route(
            "/consent",
            get(list_consents)
                .post(grant_consent)
                .delete(revoke_consent),
        )
        .route("/consent/revoke", post(revoke_consent))
        .route("/clock", get(get_clock).post(set_clock))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/requests", get(list_requests).delete(clear_requests))
        .route("/tokens", get(list_tokens).delete(revoke_tokens))
        .route("/world", get(world))
        .merge(esign::router())
        .fallback(|| async { admin_error(StatusCode::NOT_FOUND, "no such admin endpoint") })
}

fn admin_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

/// Parses a JSON body, answering 400 with serde's message (naming the field) on failure.
fn parse_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, Response> {
    let text = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        &body[..]
    };
    serde_json::from_slice(text)
        .map_err(|e| admin_error(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))
}

async fn health() -> Json<Value> {
    Json(json!({"ok": true}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsentBody {
    user_id: String,
    integration_key: String,
    #[serde(default)]
    scopes: Option<Vec<String>>,
}

fn consents_json(state: &AppState) -> Value {
    let consents = lock(&state.consents);
    Value::Array(
        consents
            .iter()
            .map(|((env, user, ik), scopes)| {
                json!({"environment": env, "user_id": user, "integration_key": ik, "scopes": scopes})
            })
            .collect(),
    )
}

async fn list_consents(State(state): State<AppState>) -> Json<Value> {
    Json(consents_json(&state))
}

fn check_consent_body(state: &AppState, body: &ConsentBody) -> Result<(), Response> {
    if state.world.user(&body.user_id).is_none() {
        return Err(admin_error(
            StatusCode::NOT_FOUND,
            format!("user_id {} is not a user of this world", body.user_id),
        ));
    }
    if state.world.integration_key(&body.integration_key).is_none() {
        return Err(admin_error(
            StatusCode::NOT_FOUND,
            format!(
                "integration_key {} is not an integration key of this world",
                body.integration_key
            ),
        ));
    }
    if let Some(scopes) = &body.scopes {
        if let Some(bad) = scopes
            .iter()
            .find(|s| s.is_empty() || s.contains(char::is_whitespace))
        {
            return Err(admin_error(
                StatusCode::BAD_REQUEST,
                format!("scopes: {bad:?} is not a single scope token"),
            ));
        }
    }
    Ok(())
}

async fn grant_consent(State(state): State<AppState>, body: Bytes) -> Response {
    let body: ConsentBody = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = check_consent_body(&state, &body) {
        return r;
    }
    let scopes = body
        .scopes
        .clone()
        .unwrap_or_else(|| DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect());
    let now = state.grant_consent(&body.user_id, &body.integration_key, scopes);
    Json(json!({
        "environment": state.world.environment,
        "user_id": body.user_id.to_ascii_lowercase(),
        "integration_key": body.integration_key.to_ascii_lowercase(),
        "scopes": now,
    }))
    .into_response()
}

async fn revoke_consent(State(state): State<AppState>, body: Bytes) -> Response {
    let body: ConsentBody = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = check_consent_body(&state, &body) {
        return r;
    }
    let revoked =
        state.revoke_consent(&body.user_id, &body.integration_key, body.scopes.as_deref());
    Json(json!({
        "revoked": revoked,
        "scopes": state.consented_scopes(&body.user_id, &body.integration_key),
    }))
    .into_response()
}

fn clock_json(state: &AppState) -> Value {
    json!({"now": state.clock.now_unix(), "offset_seconds": state.clock.offset_seconds()})
}

async fn get_clock(State(state): State<AppState>) -> Json<Value> {
    Json(clock_json(&state))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockBody {
    #[serde(default)]
    offset_seconds: Option<i64>,
    #[serde(default)]
    advance_seconds: Option<i64>,
}

async fn set_clock(State(state): State<AppState>, body: Bytes) -> Response {
    let body: ClockBody = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    match (body.offset_seconds, body.advance_seconds) {
        (Some(o), None) => state.clock.set_offset_seconds(o),
        (None, Some(a)) => {
            state.clock.advance_seconds(a);
        }
        _ => {
            return admin_error(
                StatusCode::BAD_REQUEST,
                "give exactly one of offset_seconds or advance_seconds",
            )
        }
    }
    Json(clock_json(&state)).into_response()
}

async fn list_faults(State(state): State<AppState>) -> Json<Value> {
    let faults = lock(&state.faults);
    Json(serde_json::to_value(&faults.pending).unwrap_or(Value::Null))
}

async fn add_fault(State(state): State<AppState>, body: Bytes) -> Response {
    let fault: FaultSpec = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(message) = fault.validate() {
        return admin_error(StatusCode::BAD_REQUEST, message);
    }
    let mut faults = lock(&state.faults);
    faults.pending.push(fault);
    Json(json!({"pending": faults.pending})).into_response()
}

async fn clear_faults(State(state): State<AppState>) -> Json<Value> {
    let mut faults = lock(&state.faults);
    let cleared = faults.pending.len();
    faults.pending.clear();
    Json(json!({"cleared": cleared}))
}

async fn list_requests(State(state): State<AppState>, RawQuery(query): RawQuery) -> Json<Value> {
    let prefix = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "path_prefix")
                .map(|(_, v)| v)
        });
    let log = lock(&state.log);
    let entries: Vec<&crate::log::LoggedRequest> = log
        .entries
        .iter()
        .filter(|e| match prefix.as_deref() {
            Some(p) => e.path.starts_with(p),
            None => true,
        })
        .collect();
    Json(serde_json::to_value(entries).unwrap_or(Value::Null))
}

async fn clear_requests(State(state): State<AppState>) -> Json<Value> {
    let mut log = lock(&state.log);
    let cleared = log.entries.len();
    log.entries.clear();
    Json(json!({"cleared": cleared}))
}

async fn list_tokens(State(state): State<AppState>) -> Json<Value> {
    let now = state.clock.now_unix();
    let tokens = lock(&state.tokens);
    let mut list: Vec<Value> = tokens
        .values()
        .map(|t| {
            json!({
                "user_id": t.user_id,
                "integration_key": t.integration_key,
                "expires_at": t.expires_at,
                "expired": t.expires_at <= now,
            })
        })
        .collect();
    list.sort_by_key(|v| v.get("expires_at").and_then(Value::as_i64).unwrap_or(0));
    Json(Value::Array(list))
}

async fn revoke_tokens(State(state): State<AppState>) -> Json<Value> {
    let mut tokens = lock(&state.tokens);
    let revoked = tokens.len();
    tokens.clear();
    Json(json!({"revoked": revoked}))
}

/// The effective world as JSON (public data only), in the world-file shape plus resolved
/// `base_uri`s and key fingerprints.
pub(crate) fn world_json(state: &AppState) -> Value {
    let world = &state.world;
    json!({
        "environment": world.environment,
        "token_lifetime_seconds": world.token_lifetime_seconds,
        "integration_keys": world.integration_keys.iter().map(|k| json!({
            "integration_key": k.id,
            "name": k.name,
            "public_keys": k.public_keys.iter().map(|p| p.spki_pem.clone()).collect::<Vec<_>>(),
            "public_key_sha256": k.public_keys.iter().map(|p| p.sha256.clone()).collect::<Vec<_>>(),
            "redirect_uris": k.redirect_uris,
        })).collect::<Vec<_>>(),
        "users": world.users.iter().map(|u| json!({
            "user_id": u.user_id,
            "name": u.name,
            "given_name": u.given_name,
            "family_name": u.family_name,
            "email": u.email,
            "created": u.created.clone().unwrap_or_else(|| state.created.clone()),
            "accounts": u.accounts.iter().map(|a| json!({
                "account_id": a.account_id,
                "account_name": a.account_name,
                "is_default": a.is_default,
                "base_uri": state.base_uri(a),
                "organization_id": a.organization_id,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "consents": consents_json(state),
        "esignature": esign::world_json(state),
    })
}

async fn world(State(state): State<AppState>) -> Json<Value> {
    Json(world_json(&state))
}
