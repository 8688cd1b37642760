//! The layers every request passes on its way to a handler, outermost first: the headers every
//! response carries, the request log, fault injection, and the save after a change. Each takes
//! from the app state the part its module needs ([`crate::log`], [`crate::faults`],
//! [`crate::persist`]); admin requests (`/__emulator/...`) are neither logged nor faulted.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::{lock, AppState};
use crate::{faults, log, persist, ADMIN_PREFIX};

/// Every response gets `Date` (emulator clock) and `X-DocuSign-TraceToken` (a fresh UUID),
/// unless a fault already set them.
pub(crate) async fn common_headers(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::DATE) {
        if let Ok(v) = HeaderValue::from_str(&state.clock.http_date()) {
            headers.insert(header::DATE, v);
        }
    }
    if !headers.contains_key("x-docusign-tracetoken") {
        if let Ok(v) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
            headers.insert("x-docusign-tracetoken", v);
        }
    }
    response
}

/// Records non-admin requests in the request log.
pub(crate) async fn request_log(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if req.uri().path().starts_with(ADMIN_PREFIX) {
        return next.run(req).await;
    }
    let (response, entry) = log::observe(&state.clock, req, next).await;
    lock(&state.log).push(entry);
    response
}

/// Applies the first matching fault to non-admin requests.
pub(crate) async fn faults(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with(ADMIN_PREFIX) {
        return next.run(req).await;
    }
    let fault = lock(&state.faults).take(&path);
    match fault {
        Some(fault) => faults::apply(fault, req, next).await,
        None => next.run(req).await,
    }
}

/// After a request that may have changed something, save the world.
pub(crate) async fn save_after_change(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let changes = persist::may_change_saved_state(req.method(), req.uri().path());
    let response = next.run(req).await;
    if changes && state.persistence.is_some() {
        state.save_in_background().await;
    }
    response
}
