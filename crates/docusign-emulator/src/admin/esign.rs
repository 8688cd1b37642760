//! Admin endpoints of the eSignature half (under `/__emulator/`): move envelopes along their
//! lifecycle, create many envelopes at once, attach large documents, change rate limits, and the
//! `esignature` part of `GET /__emulator/world`.

#![allow(clippy::result_large_err)]

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Deserializer};
use serde_json::{json, Map, Value};

use super::{admin_error, parse_body};

use crate::esign::model::*;
use crate::esign::time;
use crate::state::{lock, AppState};
use crate::world::{apply_limits, LimitsSpec};

/// Most envelopes one bulk call creates.
const MAX_BULK: usize = 100_000;

/// Routes merged into the admin router (paths relative to `/__emulator`).
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{accountId}/envelopes/{envelopeId}/recipients/{recipientId}/{action}",
            post(recipient_action),
        )
        .route("/accounts/{accountId}/envelopes/bulk", post(bulk))
        .route(
            "/accounts/{accountId}/envelopes/{envelopeId}/documents",
            post(attach_document),
        )
        .route("/limits", get(get_limits).post(set_limits))
}

fn unknown_account(id: &str) -> Response {
    admin_error(
        StatusCode::NOT_FOUND,
        format!("account {id} is not an account of this world"),
    )
}

fn unknown_envelope(id: &str) -> Response {
    admin_error(
        StatusCode::NOT_FOUND,
        format!("envelope {id} is not in this account"),
    )
}

/// Admin view of an envelope after a change.
fn envelope_state(e: &Envelope) -> Value {
    json!({
        "envelope_id": e.id,
        "status": e.status.as_str(),
        "status_changed": time::format(e.status_changed),
        "completed": e.completed.map(time::format),
        "current_routing_order": e.current_routing_order(),
        "recipients": e.recipients.iter().map(|r| json!({
            "recipient_id": r.recipient_id,
            "role_name": r.role_name,
            "recipient_type": r.rtype.as_str(),
            "name": r.name,
            "routing_order": r.routing_order,
            "status": r.status.as_str(),
        })).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ActionBody {
    /// sign: tab values by tabLabel (groupName for radio groups).
    #[serde(default)]
    tabs: std::collections::BTreeMap<String, Value>,
    /// decline / bounce: the reason.
    #[serde(default)]
    reason: Option<String>,
}

async fn recipient_action(
    State(state): State<AppState>,
    Path((account_id, envelope_id, recipient_id, action)): Path<(String, String, String, String)>,
    body: Bytes,
) -> Response {
    let body: ActionBody = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let now = time::now(&state.clock);
    let mut store = lock(&state.esign);
    let account_id = store.resolve(&account_id);
    let Some(acc) = store.account_mut(&account_id) else {
        return unknown_account(&account_id);
    };
    // F44: Date Signed in the signer's (else the sender's) regional format.
    let regional = match acc.envelope(&envelope_id) {
        Some(e) => {
            let rid = recipient_id.trim();
            let email = e
                .recipients
                .iter()
                .find(|r| r.recipient_id == rid || r.guid.eq_ignore_ascii_case(rid))
                .map(|r| r.email.clone())
                .unwrap_or_default();
            acc.regional_for(e, &email)
        }
        None => return unknown_envelope(&envelope_id),
    };
    let Some(e) = acc.envelope_mut(&envelope_id) else {
        return unknown_envelope(&envelope_id);
    };
    let result = match action.as_str() {
        "deliver" => {
            if !body.tabs.is_empty() || body.reason.is_some() {
                return admin_error(StatusCode::BAD_REQUEST, "deliver takes no body");
            }
            e.deliver(&recipient_id, now)
        }
        "sign" => {
            if body.reason.is_some() {
                return admin_error(
                    StatusCode::BAD_REQUEST,
                    "sign takes \"tabs\", not \"reason\"",
                );
            }
            let values: Vec<(String, String)> = body
                .tabs
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect();
            e.sign(&recipient_id, &values, now, &regional)
        }
        "decline" => {
            if !body.tabs.is_empty() {
                return admin_error(
                    StatusCode::BAD_REQUEST,
                    "decline takes \"reason\", not \"tabs\"",
                );
            }
            let reason = body
                .reason
                .clone()
                .unwrap_or_else(|| "Declined by the recipient.".to_owned());
            e.decline(&recipient_id, &reason, now)
        }
        "bounce" => {
            if !body.tabs.is_empty() {
                return admin_error(
                    StatusCode::BAD_REQUEST,
                    "bounce takes \"reason\", not \"tabs\"",
                );
            }
            let reason = body.reason.clone().unwrap_or_else(|| {
                "The email could not be delivered: the mailbox does not exist.".to_owned()
            });
            e.bounce(&recipient_id, &reason, now)
        }
        other => {
            return admin_error(
                StatusCode::NOT_FOUND,
                format!("unknown action {other:?} (deliver, sign, decline or bounce)"),
            )
        }
    };
    match result {
        Ok(()) => Json(envelope_state(e)).into_response(),
        Err(Refused(message)) => admin_error(StatusCode::CONFLICT, message),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkBody {
    count: usize,
    #[serde(default)]
    template_id: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    email_subject: Option<String>,
    #[serde(default)]
    spread_seconds: Option<u64>,
}

/// A template-less envelope: one signer, one document.
fn plain_envelope(sender: Person, now: i64) -> Envelope {
    Envelope {
        recipients: vec![Recipient {
            guid: String::new(),
            ..Recipient::created("1".into(), RecipientType::Signer, 1)
        }],
        documents: vec![Document {
            document_id: "1".into(),
            guid: String::new(),
            name: "Document.pdf".into(),
            pages: 1,
            large: None,
        }],
        ..Envelope::created(String::new(), "Bulk envelope".to_owned(), sender, now)
    }
}

async fn bulk(
    State(state): State<AppState>,
    Path(account_id): Path<String>,
    body: Bytes,
) -> Response {
    let body: BulkBody = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if body.count == 0 || body.count > MAX_BULK {
        return admin_error(
            StatusCode::BAD_REQUEST,
            format!("count: between 1 and {MAX_BULK}"),
        );
    }
    let target = match body.status.as_deref().map(EnvStatus::parse) {
        None => EnvStatus::Sent,
        Some(Some(s)) if s != EnvStatus::Signed => s,
        Some(_) => {
            return admin_error(
                StatusCode::BAD_REQUEST,
                "status: one of created, sent, delivered, completed, declined, voided",
            )
        }
    };
    let now = time::now(&state.clock);
    let sender = state
        .world
        .users
        .iter()
        .find(|u| {
            u.accounts
                .iter()
                .any(|a| a.account_id == account_id.to_ascii_lowercase())
        })
        .map(|u| Person {
            user_id: u.user_id.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
        })
        .unwrap_or_default();
    let mut store = lock(&state.esign);
    let Some(acc) = store.account_mut(&account_id) else {
        return unknown_account(&account_id);
    };
    let base = match &body.template_id {
        Some(tid) => {
            let Some(t) = acc.template(tid) else {
                return admin_error(
                    StatusCode::NOT_FOUND,
                    format!("template_id: {tid} is not a template of this account"),
                );
            };
            let mut e = plain_envelope(sender, now);
            e.subject = t.subject.clone();
            e.blurb = t.blurb.clone();
            e.template_id = Some(t.id.clone());
            e.template_name = Some(t.name.clone());
            e.recipients = t.roles.clone();
            e.documents = t.documents.clone();
            e.custom_fields = t.custom_fields.clone();
            e
        }
        None => plain_envelope(sender, now),
    };
    let subject = body.email_subject.clone();
    let n = body.count;
    let spread_ns = i64::try_from(body.spread_seconds.unwrap_or(0))
        .unwrap_or(0)
        .saturating_mul(1_000_000_000);
    let step = (spread_ns / i64::try_from(n).unwrap_or(1)).max(1_000);
    let mut ids = Vec::with_capacity(n);
    let regional = acc.regional_for(&base, "");
    acc.envelopes.reserve(n);
    for i in 0..n {
        let t = now.saturating_sub(step.saturating_mul(i64::try_from(n - 1 - i).unwrap_or(0)));
        let mut e = base.clone();
        e.id = uuid::Uuid::new_v4().to_string();
        if let Some(s) = &subject {
            e.subject = format!("{s} {}", i + 1);
        }
        e.created = t;
        e.status_changed = t;
        e.last_modified = t;
        for d in &mut e.documents {
            d.guid = uuid::Uuid::new_v4().to_string();
        }
        for (k, r) in e.recipients.iter_mut().enumerate() {
            r.guid = uuid::Uuid::new_v4().to_string();
            if r.is_placeholder() {
                r.name = format!("Bulk Signer {} {}", i + 1, k + 1);
                r.email = format!("bulk{}.{}@example.com", i + 1, k + 1);
            }
        }
        if target != EnvStatus::Created {
            e.send(t);
            let first_active = e
                .recipients
                .iter()
                .find(|r| r.status == RecStatus::Sent)
                .map(|r| r.recipient_id.clone());
            match target {
                EnvStatus::Delivered => {
                    if let Some(r) = &first_active {
                        let _ = e.deliver(r, t);
                    }
                }
                EnvStatus::Completed => {
                    let mut order: Vec<(u32, String)> = e
                        .recipients
                        .iter()
                        .filter(|r| r.signs())
                        .map(|r| (r.routing_order, r.recipient_id.clone()))
                        .collect();
                    order.sort();
                    for (_, r) in order {
                        let _ = e.sign(&r, &[], t, &regional);
                    }
                }
                EnvStatus::Declined => {
                    if let Some(r) = &first_active {
                        let _ = e.decline(r, "Declined (bulk).", t);
                    }
                }
                EnvStatus::Voided => e.void("Voided (bulk).", t),
                _ => {}
            }
        }
        ids.push(e.id.clone());
        acc.insert_envelope(e);
    }
    if let Some(tid) = &body.template_id {
        if let Some(t) = acc
            .templates
            .iter_mut()
            .find(|t| t.id.eq_ignore_ascii_case(tid))
        {
            t.last_used = Some(now);
        }
    }
    Json(json!({"created": n, "envelope_ids": ids})).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachBody {
    size_bytes: u64,
    #[serde(default)]
    name: Option<String>,
}

async fn attach_document(
    State(state): State<AppState>,
    Path((account_id, envelope_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body: AttachBody = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if body.size_bytes == 0 || body.size_bytes > MAX_DOCUMENT_BYTES {
        return admin_error(
            StatusCode::BAD_REQUEST,
            format!("size_bytes: between 1 and {}", MAX_DOCUMENT_BYTES),
        );
    }
    let now = time::now(&state.clock);
    let mut store = lock(&state.esign);
    let Some(acc) = store.account_mut(&account_id) else {
        return unknown_account(&account_id);
    };
    let Some(e) = acc.envelope_mut(&envelope_id) else {
        return unknown_envelope(&envelope_id);
    };
    let next = e
        .documents
        .iter()
        .filter_map(|d| d.document_id.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let name = body
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| format!("Large document {}.pdf", body.size_bytes));
    e.documents.push(Document {
        document_id: next.to_string(),
        guid: uuid::Uuid::new_v4().to_string(),
        name: name.clone(),
        pages: 1,
        large: Some(body.size_bytes),
    });
    e.last_modified = now;
    Json(json!({
        "envelope_id": e.id,
        "document_id": next.to_string(),
        "name": name,
        "size_bytes": body.size_bytes,
    }))
    .into_response()
}

/// An account's limits as the admin API shows them: the world file's `limits` names, every
/// value filled in.
fn limits_json(l: &Limits) -> Value {
    serde_json::to_value(l).unwrap_or(Value::Null)
}

fn all_limits(state: &AppState) -> Value {
    let now = state.clock.now_unix();
    let mut store = lock(&state.esign);
    let mut list: Vec<Value> = store
        .accounts
        .values_mut()
        .map(|a| {
            let l = a.limits.clone();
            let u = a.rate.peek(now, l.hourly, l.burst, l.burst_window_seconds);
            json!({
                "account_id": a.account_id,
                "limits": limits_json(&l),
                "used_this_hour": a.rate.used_this_hour(),
                "hourly_remaining": u.hourly_remaining,
                "burst_remaining": u.burst_remaining,
                "reset": u.reset,
            })
        })
        .collect();
    list.sort_by(|a, b| a["account_id"].as_str().cmp(&b["account_id"].as_str()));
    json!({"accounts": list})
}

async fn get_limits(State(state): State<AppState>) -> Json<Value> {
    Json(all_limits(&state))
}

/// The body of `POST /__emulator/limits`: `account_id` (every account when absent),
/// `reset_counters` (default false), and the limits to change under the names of the world
/// file's `limits` ([`LimitsSpec`], one definition for both). An unknown field is refused,
/// as in the world file.
struct LimitsBody {
    account_id: Option<String>,
    reset_counters: bool,
    limits: LimitsSpec,
}

impl<'de> Deserialize<'de> for LimitsBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        // serde's `flatten` would let unknown fields through, so the body's own two fields
        // are taken out and the rest must be a `LimitsSpec` (which refuses unknown fields).
        let mut rest = Map::<String, Value>::deserialize(d)?;
        let named = |field: &'static str| {
            move |e: serde_json::Error| D::Error::custom(format!("{field}: {e}"))
        };
        let account_id = match rest.remove("account_id") {
            Some(v) => Option::<String>::deserialize(v).map_err(named("account_id"))?,
            None => None,
        };
        let reset_counters = match rest.remove("reset_counters") {
            Some(v) => bool::deserialize(v).map_err(named("reset_counters"))?,
            None => false,
        };
        let limits = LimitsSpec::deserialize(Value::Object(rest)).map_err(D::Error::custom)?;
        Ok(LimitsBody {
            account_id,
            reset_counters,
            limits,
        })
    }
}

async fn set_limits(State(state): State<AppState>, body: Bytes) -> Response {
    let body: LimitsBody = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    {
        let mut store = lock(&state.esign);
        let targets: Vec<&mut AccountData> = match &body.account_id {
            Some(id) => match store.account_mut(id) {
                Some(a) => vec![a],
                None => return unknown_account(id),
            },
            None => store.accounts.values_mut().collect(),
        };
        for acc in targets {
            if let Err((field, message)) = apply_limits(&mut acc.limits, &body.limits) {
                return admin_error(StatusCode::BAD_REQUEST, format!("{field}: {message}"));
            }
            if body.reset_counters {
                acc.rate = Window::default();
                acc.envelope_get_rate.clear();
                acc.envelope_put_rate.clear();
            }
        }
    }
    Json(all_limits(&state)).into_response()
}

/// The `esignature` block of `GET /__emulator/world`: per account, limits, templates with their
/// roles and tabs, and envelopes (the first 1000, oldest first).
pub(crate) fn world_json(state: &AppState) -> Value {
    let store = lock(&state.esign);
    let mut out = serde_json::Map::new();
    let mut keys: Vec<&String> = store.accounts.keys().collect();
    keys.sort();
    for key in keys {
        let Some(acc) = store.accounts.get(key) else {
            continue;
        };
        let templates: Vec<Value> = acc
            .templates
            .iter()
            .map(|t| {
                json!({
                    "template_id": t.id,
                    "name": t.name,
                    "roles": t.roles.iter().map(|r| json!({
                        "role_name": r.role_name,
                        "recipient_id": r.recipient_id,
                        "recipient_type": r.rtype.as_str(),
                        "routing_order": r.routing_order,
                        "fixed": !r.is_placeholder(),
                        "name": r.name,
                        "email": r.email,
                        "tabs": r.tabs.iter().map(|tab| json!({
                            "type": tab.kind.name(),
                            "tab_label": tab.label,
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let envelopes: Vec<Value> = acc
            .envelopes
            .iter()
            .take(1000)
            .map(|e| {
                json!({
                    "envelope_id": e.id,
                    "status": e.status.as_str(),
                    "template_id": e.template_id,
                    "email_subject": e.subject,
                    "status_changed": time::format(e.status_changed),
                })
            })
            .collect();
        out.insert(
            key.clone(),
            json!({
                "limits": limits_json(&acc.limits),
                "folders": acc.folders.iter().map(|f| json!({
                    "folder_id": f.id, "name": f.name, "type": f.ftype.as_str(),
                })).collect::<Vec<_>>(),
                "templates": templates,
                "envelope_count": acc.envelopes.len(),
                // how many listStatusChanges went through every envelope: one per listing
                // (its next pages reuse it while nothing changed), not one per page
                "listing_scans": acc.listing_scans,
                "envelopes": envelopes,
            }),
        );
    }
    Value::Object(out)
}
