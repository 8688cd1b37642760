//! DocuSign's OAuth endpoints: the consent page (`/oauth/auth`), the JWT grant
//! (`/oauth/token`) and `/oauth/userinfo`.
//!
//! Wire shapes follow DocuSign's docs as collected in the project's facts file:
//! - consent: <https://developers.docusign.com/platform/auth/reference/obtain-consent>
//! - token: <https://developers.docusign.com/platform/auth/reference/obtain-access-token>
//!   and DocuSign's JWT troubleshooting FAQ for the error bodies
//! - userinfo: <https://developers.docusign.com/platform/auth/reference/user-info>

// Helpers return `Result<_, Response>` so a handler can hand the error page straight back.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeSet, HashMap};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use rand::RngCore as _;
use serde_json::{json, Value};

use crate::state::{lock, AppState, TokenRecord};
use crate::world::IntegrationKey;

/// The only grant type the token endpoint implements.
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Longest accepted assertion lifetime `exp - iat`, seconds (DocuSign: one hour).
pub const MAX_ASSERTION_LIFETIME: i64 = 3600;

/// How far `iat`/`nbf` may lie in the future (client clock ahead), seconds.
pub const MAX_CLOCK_SKEW: i64 = 300;

/// DocuSign's real OAuth hosts; an `aud` naming one of them is an environment mismatch.
const DOCUSIGN_AUTH_HOSTS: [&str; 3] = [
    "account-d.docusign.com",
    "account.docusign.com",
    "account-s.docusign.com",
];

/// Why a token request was refused. Each maps to DocuSign's 400 JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// `{"error":"invalid_request"}`
    InvalidRequest,
    /// `{"error":"invalid_grant","error_description":<description>}`
    InvalidGrant(&'static str),
    /// `{"error":"consent_required"}`
    ConsentRequired,
}

const NO_VALID_KEYS: TokenError = TokenError::InvalidGrant("no_valid_keys_or_signatures");
const ISSUER_NOT_FOUND: TokenError = TokenError::InvalidGrant("issuer_not_found");
const USER_NOT_FOUND: TokenError = TokenError::InvalidGrant("user_not_found");

impl TokenError {
    fn body(self) -> Value {
        match self {
            TokenError::InvalidRequest => json!({"error": "invalid_request"}),
            TokenError::InvalidGrant(d) => {
                json!({"error": "invalid_grant", "error_description": d})
            }
            TokenError::ConsentRequired => json!({"error": "consent_required"}),
        }
    }
}

fn no_store_json(status: StatusCode, body: Value) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::PRAGMA, HeaderValue::from_static("no-cache")),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The authority (`host[:port]`) the client addressed: the URI's (HTTP/2) or the Host header.
fn request_authority(uri: &Uri, headers: &HeaderMap) -> Option<String> {
    if let Some(a) = uri.authority() {
        return Some(a.as_str().to_ascii_lowercase());
    }
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.trim().to_ascii_lowercase())
}

fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if let Some(rest) = authority.strip_prefix('[') {
        if let Some((host, after)) = rest.split_once(']') {
            return (host, after.strip_prefix(':'));
        }
    }
    match authority.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h, Some(p)),
        _ => (authority, None),
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

#[derive(Debug, PartialEq, Eq)]
enum AudCheck {
    Ok,
    OtherEnvironment,
    Invalid,
}

/// `aud` must be the bare authority the client called (no scheme, no slash). On loopback the
/// aliases `127.0.0.1:P`, `localhost:P` and `[::1]:P` are equivalent.
fn check_audience(aud: &str, authority: Option<&str>, own_port: u16) -> AudCheck {
    let aud = aud.to_ascii_lowercase();
    let own = own_port.to_string();
    let (host, port) = match authority {
        Some(a) => split_host_port(a),
        None => ("127.0.0.1", Some(own.as_str())),
    };
    let mut accepted = Vec::new();
    if let Some(a) = authority {
        accepted.push(a.to_owned());
    }
    if is_loopback(host) {
        let p = port.unwrap_or(own.as_str());
        for alias in ["127.0.0.1", "localhost", "[::1]"] {
            accepted.push(format!("{alias}:{p}"));
        }
    }
    if accepted.contains(&aud) {
        AudCheck::Ok
    } else if DOCUSIGN_AUTH_HOSTS.contains(&aud.as_str()) {
        AudCheck::OtherEnvironment
    } else {
        AudCheck::Invalid
    }
}

fn b64url_decode(part: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()
}

/// A NumericDate claim as whole seconds (floats are floored).
fn numeric_claim(claims: &serde_json::Map<String, Value>, name: &str) -> Option<i64> {
    let v = claims.get(name)?;
    v.as_i64().or_else(|| v.as_f64().map(|f| f.floor() as i64))
}

/// A successful grant: who and for how long.
struct Grant {
    user_id: String,
    integration_key: String,
}

/// Applies DocuSign's JWT-grant checks in order; see `docs/emulator.md` for the table.
fn check_token_request(
    state: &AppState,
    authority: Option<&str>,
    form: &HashMap<String, String>,
) -> Result<Grant, TokenError> {
    if form.get("grant_type").map(String::as_str) != Some(JWT_BEARER_GRANT) {
        return Err(TokenError::InvalidGrant("unsupported_grant_type"));
    }
    let assertion = form
        .get("assertion")
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .ok_or(TokenError::InvalidRequest)?;

    let mut parts = assertion.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(NO_VALID_KEYS);
    };
    let header: Value = b64url_decode(header_b64)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(NO_VALID_KEYS)?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(NO_VALID_KEYS);
    }
    let claims: serde_json::Map<String, Value> = b64url_decode(payload_b64)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(NO_VALID_KEYS)?;

    // aud: a string (or an array of strings, as JWT allows).
    let auds: Vec<&str> = match claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let checks: Vec<AudCheck> = auds
        .iter()
        .map(|a| check_audience(a, authority, state.port))
        .collect();
    if !checks.contains(&AudCheck::Ok) {
        if checks.contains(&AudCheck::OtherEnvironment) {
            return Err(ISSUER_NOT_FOUND);
        }
        return Err(NO_VALID_KEYS);
    }

    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or(ISSUER_NOT_FOUND)?;
    let ik: &IntegrationKey = state.world.integration_key(iss).ok_or(ISSUER_NOT_FOUND)?;

    let message = format!("{header_b64}.{payload_b64}");
    let verified = ik.public_keys.iter().any(|k| {
        jsonwebtoken::crypto::verify(
            signature,
            message.as_bytes(),
            &k.decoding,
            jsonwebtoken::Algorithm::RS256,
        )
        .unwrap_or(false)
    });
    if !verified {
        return Err(NO_VALID_KEYS);
    }

    let now = state.clock.now_unix();
    let exp = numeric_claim(&claims, "exp").ok_or(NO_VALID_KEYS)?;
    let iat = numeric_claim(&claims, "iat");
    if exp.saturating_sub(iat.unwrap_or(now)) > MAX_ASSERTION_LIFETIME {
        return Err(NO_VALID_KEYS);
    }
    let skew_limit = now.saturating_add(MAX_CLOCK_SKEW);
    if iat.is_some_and(|t| t > skew_limit)
        || numeric_claim(&claims, "nbf").is_some_and(|t| t > skew_limit)
    {
        return Err(NO_VALID_KEYS);
    }
    if exp <= now {
        return Err(TokenError::InvalidGrant("expired_grant"));
    }

    // F38: without `sub` (or with an empty one) DocuSign issues an *application* token
    // (`token_type: "Application"`), which userinfo and the eSignature API then refuse (401).
    let sub = match claims.get("sub") {
        None | Some(Value::Null) => "",
        Some(Value::String(s)) => s.trim(),
        Some(_) => return Err(USER_NOT_FOUND),
    };
    if sub.is_empty() {
        return Ok(Grant {
            user_id: String::new(),
            integration_key: ik.id.clone(),
        });
    }
    let user = state.world.user(sub).ok_or(USER_NOT_FOUND)?;

    let requested: BTreeSet<String> = claims
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if !requested.contains("signature") || !requested.contains("impersonation") {
        return Err(TokenError::ConsentRequired);
    }
    let consented = state.consented_scopes(&user.user_id, &ik.id);
    if !requested.is_subset(&consented) {
        return Err(TokenError::ConsentRequired);
    }
    Ok(Grant {
        user_id: user.user_id.clone(),
        integration_key: ik.id.clone(),
    })
}

fn parse_form(bytes: &[u8]) -> Option<HashMap<String, String>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).ok()?;
    let mut map = HashMap::new();
    for (k, v) in pairs {
        map.entry(k).or_insert(v);
    }
    Some(map)
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// `POST /oauth/token`: JWT bearer grant. 200 `{"access_token","token_type":"Bearer",
/// "expires_in"}` (`"Application"` for an assertion without `sub`, F38) or 400 with DocuSign's
/// `{"error", "error_description"?}`.
pub(crate) async fn token(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let authority = request_authority(&uri, &headers);
    let result = match parse_form(&body) {
        Some(form) => check_token_request(&state, authority.as_deref(), &form),
        None => Err(TokenError::InvalidRequest),
    };
    match result {
        Ok(grant) => {
            let lifetime = state.world.token_lifetime_seconds;
            let access_token = random_token(48);
            let expires_at = state
                .clock
                .now_unix()
                .saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX));
            let token_type = if grant.user_id.is_empty() {
                "Application"
            } else {
                "Bearer"
            };
            tracing::info!(integration_key = %grant.integration_key, user_id = %grant.user_id, token_type, "token issued");
            lock(&state.tokens).insert(
                access_token.clone(),
                TokenRecord {
                    user_id: grant.user_id,
                    integration_key: grant.integration_key,
                    expires_at,
                },
            );
            no_store_json(
                StatusCode::OK,
                json!({"access_token": access_token, "token_type": token_type, "expires_in": lifetime}),
            )
        }
        Err(e) => {
            tracing::info!(error = ?e, "token refused");
            no_store_json(StatusCode::BAD_REQUEST, e.body())
        }
    }
}

fn unauthorized(body: Value, www: &'static str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::WWW_AUTHENTICATE, HeaderValue::from_static(www)),
        ],
        body.to_string(),
    )
        .into_response()
}

/// Looks up a bearer token; `Err` is the 401 response to send.
pub(crate) fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<TokenRecord, Response> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = match value.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") && !t.trim().is_empty() => {
            t.trim()
        }
        _ => {
            return Err(unauthorized(
                json!({"error": "invalid_request"}),
                "Bearer error=\"invalid_request\"",
            ))
        }
    };
    let record = lock(&state.tokens).get(token).cloned();
    match record {
        Some(r) if r.expires_at > state.clock.now_unix() => Ok(r),
        _ => Err(unauthorized(
            json!({"error": "invalid_token"}),
            "Bearer error=\"invalid_token\"",
        )),
    }
}

/// `GET /oauth/userinfo`: 200 with DocuSign's userInfo shape, or 401.
pub(crate) async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let record = match authenticate(&state, &headers) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let Some(user) = state.world.user(&record.user_id) else {
        return unauthorized(
            json!({"error": "invalid_token"}),
            "Bearer error=\"invalid_token\"",
        );
    };
    let accounts: Vec<Value> = user
        .accounts
        .iter()
        .map(|a| {
            let mut account = json!({
                "account_id": a.account_id,
                "is_default": a.is_default,
                "account_name": a.account_name,
                "base_uri": state.base_uri(a),
            });
            if let (Some(org), Some(obj)) = (&a.organization_id, account.as_object_mut()) {
                obj.insert(
                    "organization".into(),
                    json!({
                        "organization_id": org,
                        "links": [{"rel": "self", "href": format!("{}/organizations/{org}", state.url)}],
                    }),
                );
            }
            account
        })
        .collect();
    let body = json!({
        "sub": user.user_id,
        "name": user.name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "created": user.created.clone().unwrap_or_else(|| state.created.clone()),
        "email": user.email,
        "accounts": accounts,
    });
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Consent page

/// HTML-escapes text for element content and quoted attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{margin:0;background:#f4f4f7;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1e1e2d}\
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:10px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem}\
.env{margin:0 0 1rem;font-size:.8rem;color:#666;text-transform:uppercase;letter-spacing:.05em}\
h1{font-size:1.3rem;margin:0 0 1rem}ul{padding-left:1.2rem}li{margin:.4rem 0}\
label{display:block;font-weight:600;margin:1rem 0 .3rem}select{width:100%;padding:.5rem;font-size:1rem}\
.buttons{display:flex;gap:.8rem;justify-content:flex-end;margin-top:1.5rem}\
button{font-size:1rem;padding:.6rem 1.4rem;border-radius:6px;border:1px solid #4c00ff;cursor:pointer}\
.allow{background:#4c00ff;color:#fff}.deny{background:#fff;color:#4c00ff}\
code{background:#f0f0f5;padding:.1rem .3rem;border-radius:4px;word-break:break-all}\
.note{color:#555;font-size:.9rem}.error h1{color:#b00020}";

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} – DocuSign emulator</title><style>{CSS}</style></head><body>{body}</body></html>\n",
        esc(title)
    );
    let mut response = (status, Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn error_page(state: &AppState, title: &str, detail_html: &str) -> Response {
    let body = format!(
        "<main class=\"error\"><p class=\"env\">DocuSign emulator · environment <b>{}</b></p>\
<h1>{}</h1>{detail_html}</main>",
        esc(&state.world.environment),
        esc(title)
    );
    page(StatusCode::BAD_REQUEST, title, &body)
}

/// Plain-words description of a scope token for the consent page.
fn describe_scope(scope: &str) -> String {
    match scope {
        "signature" => "Create and send envelopes, and read their status, recipients, documents and form data (eSignature).".to_owned(),
        "impersonation" => "Act on your behalf at any time, without you signing in again (needed for JWT Grant).".to_owned(),
        "extended" => "Keep its access alive without you signing in again (extended refresh tokens).".to_owned(),
        "openid" => "Confirm who you are (OpenID Connect).".to_owned(),
        "email" => "See your email address.".to_owned(),
        "profile" => "See your name and profile.".to_owned(),
        other => {
            let mut text = format!(
                "Unknown scope “{}”: DocuSign grants nothing for it.",
                esc(other)
            );
            if other.contains('+') {
                text.push_str(" Scopes are separated by spaces (%20 in the URL); an encoded plus (%2B) makes one unknown scope.");
            }
            text
        }
    }
}

/// A validated consent request (from the GET query or the POST form).
struct ConsentRequest {
    ik: IntegrationKey,
    redirect_uri: String,
    scopes: Vec<String>,
    scope_raw: String,
    state_param: Option<String>,
}

fn validate_consent_request(
    state: &AppState,
    params: &HashMap<String, String>,
) -> Result<ConsentRequest, Response> {
    let env = esc(&state.world.environment);
    let client_id = params.get("client_id").map(String::as_str).unwrap_or("");
    let Some(ik) = state.world.integration_key(client_id) else {
        let shown = if client_id.is_empty() {
            "(none given)".to_owned()
        } else {
            client_id.to_owned()
        };
        return Err(error_page(
            state,
            "The client id is not registered with DocuSign",
            &format!(
                "<p>The integration key (client_id) <code>{}</code> is not registered in the <b>{env}</b> environment.</p>\
<p class=\"note\">Check it for typos, and that it belongs to this environment (an integration key works in production only after Go-Live).</p>",
                esc(&shown)
            ),
        ));
    };
    let redirect_uri = params.get("redirect_uri").cloned().unwrap_or_default();
    if !ik.redirect_uris.contains(&redirect_uri) {
        let shown = if redirect_uri.is_empty() {
            "(none given)".to_owned()
        } else {
            redirect_uri.clone()
        };
        return Err(error_page(
            state,
            "The redirect URI is not registered properly with DocuSign",
            &format!(
                "<p>The redirect URI <code>{}</code> is not registered on the integration key <code>{}</code> (“{}”).</p>\
<p>Register this exact URI under <b>Apps and Keys → your app → Edit → Additional settings → Redirect URIs</b> in the <b>{env}</b> environment \
(in the emulator: add it to <code>integration_keys[].redirect_uris</code> in the world file). It must match character for character.</p>",
                esc(&shown),
                esc(&ik.id),
                esc(&ik.name)
            ),
        ));
    }
    let response_type = params
        .get("response_type")
        .map(String::as_str)
        .unwrap_or("");
    if response_type != "code" {
        return Err(error_page(
            state,
            "Unsupported response type",
            &format!(
                "<p>The <code>response_type</code> <code>{}</code> is not supported here. Use <code>response_type=code</code> to grant consent.</p>",
                esc(response_type)
            ),
        ));
    }
    let scope_raw = params.get("scope").cloned().unwrap_or_default();
    let scopes: Vec<String> = scope_raw
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if scopes.is_empty() {
        return Err(error_page(
            state,
            "No scope requested",
            "<p>The <code>scope</code> parameter is missing. For JWT Grant use <code>scope=signature%20impersonation</code>.</p>",
        ));
    }
    Ok(ConsentRequest {
        ik: ik.clone(),
        redirect_uri,
        scopes,
        scope_raw,
        state_param: params.get("state").cloned().filter(|s| !s.is_empty()),
    })
}

fn query_params(raw: Option<&str>) -> HashMap<String, String> {
    raw.and_then(|q| parse_form(q.as_bytes()))
        .unwrap_or_default()
}

/// `GET /oauth/auth`: the consent page, or a 400 error page (never a redirect to an
/// unregistered URI).
pub(crate) async fn auth_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = query_params(query.as_deref());
    let req = match validate_consent_request(&state, &params) {
        Ok(r) => r,
        Err(page) => return page,
    };
    if state.world.users.is_empty() {
        return error_page(
            &state,
            "No users",
            "<p>This world has no users to sign in as.</p>",
        );
    }
    let options: String = state
        .world
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let consented = state.consented_scopes(&u.user_id, &req.ik.id);
            let already = req.scopes.iter().all(|s| consented.contains(s));
            format!(
                "<option value=\"{}\"{}>{} &lt;{}&gt;{}</option>",
                esc(&u.user_id),
                if i == 0 { " selected" } else { "" },
                esc(&u.name),
                esc(&u.email),
                if already { " (already allowed)" } else { "" }
            )
        })
        .collect();
    let scopes: String = req
        .scopes
        .iter()
        .map(|s| format!("<li><b>{}</b>: {}</li>", esc(s), describe_scope(s)))
        .collect();
    let hidden = |name: &str, value: &str| {
        format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            esc(value)
        )
    };
    let body = format!(
        "<main><p class=\"env\">DocuSign emulator · environment <b>{env}</b></p>\
<h1><b>{app}</b> is requesting access to your DocuSign account</h1>\
<form method=\"post\" action=\"/oauth/auth\">\
<label for=\"user_id\">Sign in as</label><select id=\"user_id\" name=\"user_id\">{options}</select>\
<p>This app will be able to:</p><ul class=\"scopes\">{scopes}</ul>\
{h1}{h2}{h3}{h4}{h5}\
<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"deny\" class=\"deny\">Deny</button>\
<button type=\"submit\" name=\"decision\" value=\"allow\" class=\"allow\">Allow</button></div></form>\
<p class=\"note\">Integration key <code>{ik}</code>. After you choose you will be sent to <code>{redirect}</code>.</p></main>",
        env = esc(&state.world.environment),
        app = esc(&req.ik.name),
        h1 = hidden("client_id", &req.ik.id),
        h2 = hidden("redirect_uri", &req.redirect_uri),
        h3 = hidden("scope", &req.scope_raw),
        h4 = hidden("state", req.state_param.as_deref().unwrap_or("")),
        h5 = hidden("response_type", "code"),
        ik = esc(&req.ik.id),
        redirect = esc(&req.redirect_uri),
    );
    page(StatusCode::OK, "Allow access?", &body)
}

fn redirect_found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, v),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `POST /oauth/auth`: the Allow/Deny decision. Re-validates everything, records consent on
/// allow, then 302 to the redirect URI with `code` (or `error=access_denied`) and `state`.
pub(crate) async fn auth_decision(State(state): State<AppState>, body: Bytes) -> Response {
    let Some(mut params) = parse_form(&body) else {
        return error_page(&state, "Bad request", "<p>The form could not be read.</p>");
    };
    params
        .entry("response_type".to_owned())
        .or_insert_with(|| "code".to_owned());
    let req = match validate_consent_request(&state, &params) {
        Ok(r) => r,
        Err(page) => return page,
    };
    let user_id = params.get("user_id").map(String::as_str).unwrap_or("");
    let Some(user) = state.world.user(user_id) else {
        return error_page(
            &state,
            "Unknown user",
            &format!(
                "<p>The user <code>{}</code> is not a user of this environment.</p>",
                esc(user_id)
            ),
        );
    };
    let Ok(mut url) = url::Url::parse(&req.redirect_uri) else {
        return error_page(
            &state,
            "Bad redirect URI",
            "<p>The redirect URI cannot be parsed.</p>",
        );
    };
    match params.get("decision").map(String::as_str) {
        Some("allow") => {
            state.grant_consent(&user.user_id, &req.ik.id, req.scopes.iter().cloned());
            tracing::info!(user_id = %user.user_id, integration_key = %req.ik.id, "consent granted");
            let code = random_token(32);
            {
                let mut q = url.query_pairs_mut();
                q.append_pair("code", &code);
                if let Some(s) = &req.state_param {
                    q.append_pair("state", s);
                }
            }
        }
        Some("deny") => {
            let mut q = url.query_pairs_mut();
            q.append_pair("error", "access_denied");
            q.append_pair(
                "error_message",
                "The user did not consent to connecting the application.",
            );
            if let Some(s) = &req.state_param {
                q.append_pair("state", s);
            }
        }
        _ => return error_page(
            &state,
            "Bad request",
            "<p>The form must carry <code>decision=allow</code> or <code>decision=deny</code>.</p>",
        ),
    }
    redirect_found(url.as_str())
}

/// `GET /consent-given` (plain HTTP or HTTPS): where the browser lands after the consent page
/// when the redirect URI is the emulator's own (the default world registers it). With `code`
/// it says consent was given and to go back to the app; with `error` (Deny) it says consent
/// was not given. The code itself is not shown: JWT Grant never exchanges it.
pub(crate) async fn consent_given(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = query_params(query.as_deref());
    let env = esc(&state.world.environment);
    if params.contains_key("code") {
        let body = format!(
            "<main><p class=\"env\">DocuSign emulator · environment <b>{env}</b></p>\
<h1 id=\"consent-given\">Consent given</h1>\
<p>You allowed the app to act for you in this environment. You can close this tab and go back \
to the app: it sees the consent on its own.</p></main>"
        );
        return page(StatusCode::OK, "Consent given", &body);
    }
    let detail = params
        .get("error_message")
        .or_else(|| params.get("error"))
        .map(|m| format!("<p class=\"note\">{}</p>", esc(m)))
        .unwrap_or_default();
    let body = format!(
        "<main class=\"error\"><p class=\"env\">DocuSign emulator · environment <b>{env}</b></p>\
<h1 id=\"consent-not-given\">Consent not given</h1>\
<p>The app cannot act for you until you allow it. Go back to the app and open the consent page \
again to choose Allow.</p>{detail}</main>"
    );
    page(StatusCode::OK, "Consent not given", &body)
}

/// Any other path over plain HTTP: 403, naming the HTTPS address (tokens, userinfo, the
/// eSignature REST API and the admin API are HTTPS only).
pub(crate) async fn https_only(State(state): State<AppState>, uri: Uri) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        format!(
            "Only the consent page is served over plain HTTP. Use {}{} (HTTPS).\n",
            state.url,
            uri.path()
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_rules() {
        assert_eq!(
            check_audience("127.0.0.1:8443", Some("127.0.0.1:8443"), 8443),
            AudCheck::Ok
        );
        assert_eq!(
            check_audience("localhost:8443", Some("127.0.0.1:8443"), 8443),
            AudCheck::Ok
        );
        assert_eq!(
            check_audience("127.0.0.1:8443", Some("localhost:8443"), 8443),
            AudCheck::Ok
        );
        assert_eq!(
            check_audience("[::1]:8443", Some("[::1]:8443"), 8443),
            AudCheck::Ok
        );
        assert_eq!(
            check_audience("https://127.0.0.1:8443", Some("127.0.0.1:8443"), 8443),
            AudCheck::Invalid
        );
        assert_eq!(
            check_audience("127.0.0.1:8443/", Some("127.0.0.1:8443"), 8443),
            AudCheck::Invalid
        );
        assert_eq!(
            check_audience("account-d.docusign.com", Some("127.0.0.1:8443"), 8443),
            AudCheck::OtherEnvironment
        );
        assert_eq!(
            check_audience("127.0.0.1:9999", Some("127.0.0.1:8443"), 8443),
            AudCheck::Invalid
        );
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
