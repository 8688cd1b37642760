//! The eSignature REST half: `/restapi/v2.1/accounts/{accountId}/...` for envelopes, templates,
//! recipients, tabs, custom fields and documents, with DocuSign's authentication errors, rate
//! limits and headers. The JSON follows the OpenAPI spec (`render`), the rules follow the facts
//! file; choices the docs leave open are listed in `docs/emulator.md`.

// Helpers return `Result<_, ApiError>`/`Result<_, Response>` so handlers hand errors straight back.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::state::{lock, AppState};

mod account;
mod blob;
mod documents;
mod envelopes;
mod list;
pub(crate) mod model;
mod pdf;
pub(crate) mod regional;
mod render;
mod templates;
pub(crate) mod time;
mod zip;

use model::{Exceeded, Usage};

/// Largest page of a list (`count` above this is cut to it).
pub(crate) const MAX_PAGE_SIZE: usize = 1000;

/// Page size when `count` is not given.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 100;

/// A DocuSign error answer: `errorDetails` `{"errorCode", "message"}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    /// A 400 with this code and message.
    pub(crate) fn bad(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: code.to_owned(),
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// `INVALID_REQUEST_PARAMETER` with DocuSign's message prefix.
    pub(crate) fn invalid_parameter(detail: impl AsRef<str>) -> Self {
        Self::bad(
            "INVALID_REQUEST_PARAMETER",
            format!(
                "The request contained at least one invalid parameter. {}",
                detail.as_ref()
            ),
        )
    }

    /// `INVALID_REQUEST_BODY`.
    pub(crate) fn invalid_body() -> Self {
        Self::bad(
            "INVALID_REQUEST_BODY",
            "The request body is missing or improperly formatted.",
        )
    }

    /// `ENVELOPE_DOES_NOT_EXIST`.
    pub(crate) fn no_envelope() -> Self {
        Self::bad(
            "ENVELOPE_DOES_NOT_EXIST",
            "The envelope specified either does not exist or you have no rights to it.",
        )
    }

    /// `TEMPLATE_ID_INVALID` (emulator's message; DocuSign publishes none).
    pub(crate) fn no_template(id: &str) -> Self {
        Self::bad(
            "TEMPLATE_ID_INVALID",
            format!("Invalid template ID. The template {id} does not exist in this account."),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = ds_json(
            self.status,
            &json!({"errorCode": self.code, "message": self.message}),
        );
        for (name, value) in self.headers {
            resp.headers_mut().insert(name, value);
        }
        resp
    }
}

/// DocuSign-style JSON: pretty-printed with CRLF line ends,
/// `Content-Type: application/json; charset=utf-8`, `Cache-Control: no-cache`.
pub(crate) fn ds_json(status: StatusCode, value: &Value) -> Response {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned());
    let body = pretty.replace('\n', "\r\n");
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

/// Query parameters; names compared without regard to case, first occurrence wins.
#[derive(Debug, Default, Clone)]
pub(crate) struct Query(pub Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Result<Query, ApiError> {
        match raw {
            None => Ok(Query::default()),
            Some(q) => serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .map(Query)
                .map_err(|_| ApiError::invalid_parameter("The query string is malformed.")),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A boolean parameter (`true`/`false`, any case); `None` when absent.
    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ApiError::invalid_parameter(format!(
                "Query parameter '{name}' must be true or false, not '{v}'."
            ))),
        }
    }

    /// A non-negative integer parameter.
    pub(crate) fn number(&self, name: &str) -> Result<Option<usize>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Ok(None),
            Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
                ApiError::invalid_parameter(format!(
                    "Query parameter '{name}' must be a non-negative integer, not '{v}'."
                ))
            }),
        }
    }

    /// The paging fields of a listing page of `size` items from `start` (0-based), pages
    /// of `count`, `total` in all: (`endPosition`, `nextUri`, `previousUri`), the URIs
    /// relative to the account (`{path}?…start_position=N`), `""` when there is no such page.
    pub(crate) fn page_links(
        &self,
        path: &str,
        start: usize,
        size: usize,
        count: usize,
        total: usize,
    ) -> (usize, String, String) {
        let end = if size == 0 { start } else { start + size - 1 };
        let next = if start + size < total && size > 0 {
            format!(
                "{path}?{}",
                self.with("start_position", &(start + size).to_string())
            )
        } else {
            String::new()
        };
        let previous = if start > 0 {
            format!(
                "{path}?{}",
                self.with("start_position", &start.saturating_sub(count).to_string())
            )
        } else {
            String::new()
        };
        (end, next, previous)
    }

    /// The query string with `name` set to `value` (for `nextUri` / `previousUri`).
    pub(crate) fn with(&self, name: &str, value: &str) -> String {
        let mut pairs: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case(name))
            .cloned()
            .collect();
        pairs.push((name.to_owned(), value.to_owned()));
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

/// Who is calling, set by [`middleware`] for the handlers.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub user_id: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
}

/// Runs `f` on the caller's account data under the lock (every handler that reads or
/// changes an account's envelopes or templates).
pub(crate) fn with_account<T>(
    state: &AppState,
    caller: &Caller,
    f: impl FnOnce(&mut model::AccountData) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut store = lock(&state.esign);
    let acc = store.account_mut(&caller.account_id).ok_or_else(|| {
        ApiError::bad(
            "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT",
            "The specified User is not a member of the specified Account.",
        )
    })?;
    f(acc)
}

/// Path segments `/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/...`.
fn path_ids(path: &str) -> (Option<String>, Option<String>) {
    let segs: Vec<&str> = path.split('/').collect();
    let decode = |s: &str| percent_decode(s).trim().to_ascii_lowercase();
    let account = segs.get(4).map(|s| decode(s)).filter(|s| !s.is_empty());
    let envelope = if segs.get(5).is_some_and(|s| *s == "envelopes") {
        segs.get(6).map(|s| decode(s)).filter(|s| !s.is_empty())
    } else {
        None
    };
    (account, envelope)
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn rate_headers(limits: &model::Limits, usage: &Usage) -> Vec<(HeaderName, HeaderValue)> {
    let h = |name: &'static str, v: String| {
        (
            HeaderName::from_static(name),
            HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("0")),
        )
    };
    vec![
        h("x-ratelimit-limit", limits.hourly.to_string()),
        h("x-ratelimit-remaining", usage.hourly_remaining.to_string()),
        h("x-ratelimit-reset", usage.reset.to_string()),
        h("x-burstlimit-limit", limits.burst.to_string()),
        h("x-burstlimit-remaining", usage.burst_remaining.to_string()),
    ]
}

fn with_headers(mut resp: Response, headers: Vec<(HeaderName, HeaderValue)>) -> Response {
    for (name, value) in headers {
        resp.headers_mut().insert(name, value);
    }
    resp
}

fn auth_error(code: &str, message: &str) -> ApiError {
    ApiError {
        status: StatusCode::UNAUTHORIZED,
        code: code.to_owned(),
        message: message.to_owned(),
        headers: Vec::new(),
    }
}

fn limit_error(limits: &model::Limits, code: &str, message: String, retry_after: i64) -> ApiError {
    let status = if limits.exceeded_status == 429 {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut err = ApiError {
        status,
        code: code.to_owned(),
        message,
        headers: Vec::new(),
    };
    if status == StatusCode::TOO_MANY_REQUESTS {
        if let Ok(v) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
            err.headers.push((header::RETRY_AFTER, v));
        }
    }
    err
}

/// Middleware of every `/restapi` route: the bearer token, the account membership, the account's
/// hourly and burst limits and the per-envelope limits; adds the rate-limit headers.
pub(crate) async fn middleware(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let (account_id, envelope_id) = path_ids(req.uri().path());
    // F40: the short account number is an alias of the account GUID.
    let account_id = lock(&state.esign).resolve(&account_id.unwrap_or_default());
    let now = state.clock.now_unix();

    // Headers without counting (for answers that do not count as API calls).
    let peek = |state: &AppState| -> Vec<(HeaderName, HeaderValue)> {
        let mut store = lock(&state.esign);
        match store.account_mut(&account_id) {
            Some(acc) => {
                let l = acc.limits.clone();
                let u = acc
                    .rate
                    .peek(now, l.hourly, l.burst, l.burst_window_seconds);
                rate_headers(&l, &u)
            }
            None => Vec::new(),
        }
    };

    // 1. Authorization: Bearer <token>. No header, or not a bearer token:
    //    PARTNER_AUTHENTICATION_FAILED. A bearer token DocuSign never issued (garbage, another
    //    environment's), an expired one, or an application token (F38): USER_AUTHENTICATION_FAILED
    //    (facts section 5).
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, t)| scheme.eq_ignore_ascii_case("bearer") && !t.trim().is_empty())
        .map(|(_, t)| t.trim().to_owned());
    let Some(token) = token else {
        let err = auth_error(
            "PARTNER_AUTHENTICATION_FAILED",
            "The specified Integrator Key was not found or is disabled. An Integrator key was not specified.",
        );
        return with_headers(err.into_response(), peek(&state));
    };
    let record = lock(&state.tokens)
        .get(&token)
        .cloned()
        .filter(|r| r.expires_at > now && !r.user_id.is_empty());
    let Some(record) = record else {
        let err = auth_error(
            "USER_AUTHENTICATION_FAILED",
            "One or both of Username and Password are invalid. Invalid access token",
        );
        return with_headers(err.into_response(), peek(&state));
    };

    // 2. The account must be one of the user's.
    let user = state.world.user(&record.user_id);
    let member = user.is_some_and(|u| u.accounts.iter().any(|a| a.account_id == account_id));
    let Some(user) = user.filter(|_| member) else {
        let err = ApiError::bad(
            "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT",
            "The specified User is not a member of the specified Account.",
        );
        return with_headers(err.into_response(), peek(&state));
    };

    // 3. Rate limits.
    let headers = {
        let mut store = lock(&state.esign);
        let Some(acc) = store.account_mut(&account_id) else {
            return ApiError::bad(
                "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT",
                "The specified User is not a member of the specified Account.",
            )
            .into_response();
        };
        let l = acc.limits.clone();
        let usage = match acc.rate.hit(now, l.hourly, l.burst, l.burst_window_seconds) {
            Ok(u) => u,
            Err((kind, u)) => {
                let err = match kind {
                    Exceeded::Hourly => limit_error(
                        &l,
                        "HOURLY_APIINVOCATION_LIMIT_EXCEEDED",
                        format!(
                            "The maximum number of hourly API invocations has been exceeded. The hourly limit is {}.",
                            l.hourly
                        ),
                        u.reset.saturating_sub(now),
                    ),
                    Exceeded::Burst => limit_error(
                        &l,
                        "BURST_APIINVOCATION_LIMIT_EXCEEDED",
                        format!(
                            "The maximum number of burst API invocations has been exceeded. The burst limit is {} per {} seconds.",
                            l.burst, l.burst_window_seconds
                        ),
                        i64::from(l.burst_window_seconds),
                    ),
                };
                return with_headers(err.into_response(), rate_headers(&l, &u));
            }
        };
        let headers = rate_headers(&l, &usage);
        if let Some(env) = &envelope_id {
            let method = req.method();
            let per_envelope = if method == Method::GET {
                Some((
                    &mut acc.envelope_get_rate,
                    l.envelope_get_hourly,
                    l.envelope_get_burst,
                    [
                        "Hourly_Envelope_Polling_Limit_Exceeded",
                        "Burst_Envelope_Polling_Limit_Exceeded",
                    ],
                    "GET",
                ))
            } else if method == Method::PUT {
                Some((
                    &mut acc.envelope_put_rate,
                    l.envelope_put_hourly,
                    l.envelope_put_burst,
                    [
                        "Hourly_APIInvocation_Envelope_Limit_Exceeded",
                        "Burst_APIInvocation_Envelope_Limit_Exceeded",
                    ],
                    "PUT",
                ))
            } else {
                None
            };
            if let Some((map, hourly, burst, codes, verb)) = per_envelope {
                let window = map.entry(env.clone()).or_default();
                if let Err((kind, eu)) = window.hit(now, hourly, burst, l.burst_window_seconds) {
                    let err = match kind {
                        Exceeded::Hourly => limit_error(
                            &l,
                            codes[0],
                            format!(
                                "The maximum number of hourly {verb} requests for this envelope has been exceeded. The hourly limit is {hourly}."
                            ),
                            eu.reset.saturating_sub(now),
                        ),
                        Exceeded::Burst => limit_error(
                            &l,
                            codes[1],
                            format!(
                                "The maximum number of {verb} requests for this envelope in {} seconds has been exceeded. The burst limit is {burst}.",
                                l.burst_window_seconds
                            ),
                            i64::from(l.burst_window_seconds),
                        ),
                    };
                    return with_headers(err.into_response(), headers);
                }
            }
        }
        // F50: an envelope the user may not see through the API does not exist for them.
        if let Some(env) = &envelope_id {
            let hidden = acc
                .envelope(env)
                .is_some_and(|e| !acc.can_see(&user.user_id, &user.email, e));
            if hidden {
                return with_headers(ApiError::no_envelope().into_response(), headers);
            }
        }
        headers
    };

    req.extensions_mut().insert(Caller {
        user_id: user.user_id.clone(),
        account_id,
        name: user.name.clone(),
        email: user.email.clone(),
    });
    with_headers(next.run(req).await, headers)
}

/// Path parameters as a map (every route has different ones).
pub(crate) type Params = axum::extract::Path<HashMap<String, String>>;

pub(crate) fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> &'a str {
    params.get(name).map(String::as_str).unwrap_or("")
}

/// The `/restapi` routes, each behind [`middleware`].
pub(crate) fn router(state: AppState) -> Router<AppState> {
    const A: &str = "/restapi/v2.1/accounts/{accountId}";
    Router::new()
        .route(A, get(account::get))
        .route(
            &format!("{A}/envelopes/{{envelopeId}}/form_data"),
            get(account::form_data),
        )
        .route(
            &format!("{A}/envelopes"),
            get(list::list_status_changes).post(envelopes::create),
        )
        .route(
            &format!("{A}/envelopes/{{envelopeId}}"),
            get(envelopes::get).put(envelopes::update),
        )
        .route(
            &format!("{A}/envelopes/{{envelopeId}}/recipients"),
            get(envelopes::recipients),
        )
        .route(
            &format!("{A}/envelopes/{{envelopeId}}/recipients/{{recipientId}}/tabs"),
            get(envelopes::recipient_tabs),
        )
        .route(
            &format!("{A}/envelopes/{{envelopeId}}/custom_fields"),
            get(envelopes::custom_fields),
        )
        .route(
            &format!("{A}/envelopes/{{envelopeId}}/templates"),
            get(envelopes::templates),
        )
        .route(
            &format!("{A}/envelopes/{{envelopeId}}/documents"),
            get(documents::list),
        )
        .route(
            &format!("{A}/envelopes/{{envelopeId}}/documents/{{documentId}}"),
            get(documents::download),
        )
        .route(&format!("{A}/templates"), get(templates::list))
        .route(
            &format!("{A}/templates/{{templateId}}"),
            get(templates::get),
        )
        .route(
            &format!("{A}/templates/{{templateId}}/recipients"),
            get(templates::recipients),
        )
        .route_layer(axum::middleware::from_fn_with_state(state, middleware))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_found() {
        let (a, e) = path_ids("/restapi/v2.1/accounts/ABC/envelopes/E%31/documents/1");
        assert_eq!(a.as_deref(), Some("abc"));
        assert_eq!(e.as_deref(), Some("e1"));
        let (a, e) = path_ids("/restapi/v2.1/accounts/abc/templates/t");
        assert_eq!((a.as_deref(), e), (Some("abc"), None));
    }

    #[test]
    fn query_with_replaces() {
        let q = Query(vec![
            ("from_date".into(), "2026-01-01T00:00:00+01:00".into()),
            ("start_position".into(), "0".into()),
        ]);
        assert_eq!(
            q.with("start_position", "100"),
            "from_date=2026-01-01T00%3A00%3A00%2B01%3A00&start_position=100"
        );
    }
}
