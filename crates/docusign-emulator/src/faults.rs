//! Fault injection: the next N matching requests get a canned response and/or a delay.
//!
//! Faults are queued with `POST /__emulator/faults` and never apply to `/__emulator/` paths.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// A fault as posted to `POST /__emulator/faults` (and listed by `GET`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// How many matching requests this fault applies to (default 1, at least 1).
    #[serde(default = "one")]
    pub count: u32,
    /// Status to answer with; `None` = delay only, then serve normally.
    #[serde(default)]
    pub status: Option<u16>,
    /// JSON body of the fault response (omitted: empty body).
    #[serde(default)]
    pub body: Option<serde_json::Value>,
    /// Extra response headers, e.g. `{"Retry-After": "1"}`.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Only requests whose path starts with this (default: every non-admin path).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Delay before answering, milliseconds (default 0).
    #[serde(default)]
    pub delay_ms: u64,
    /// A stalled body: the request is served normally (head and `Content-Length` included),
    /// but only the first this many bytes of the body are sent; then nothing more, the
    /// connection held open for 10 minutes (a server that stops sending mid-download). Only
    /// without `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stall_after_bytes: Option<u64>,
}

/// How long a stalled body keeps the connection open before ending it.
const STALL_FOR: Duration = Duration::from_secs(600);

fn one() -> u32 {
    1
}

impl FaultSpec {
    /// Checks status range and header syntax; returns a message naming the bad field.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.count == 0 {
            return Err("count: must be at least 1".into());
        }
        if let Some(s) = self.status {
            if StatusCode::from_u16(s).is_err() || s < 200 {
                return Err(format!("status: {s} is not a usable HTTP status (200-999)"));
            }
        }
        if self.stall_after_bytes.is_some() && self.status.is_some() {
            return Err(
                "stall_after_bytes: applies to normal answers, so give no status with it".into(),
            );
        }
        if self.status.is_none() && self.delay_ms == 0 && self.stall_after_bytes.is_none() {
            return Err(
                "give a status, a delay_ms, a stall_after_bytes, or a status and a delay_ms".into(),
            );
        }
        for (name, value) in &self.headers {
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("headers: {name:?} is not a valid header name"))?;
            HeaderValue::from_str(value)
                .map_err(|_| format!("headers.{name}: {value:?} is not a valid header value"))?;
        }
        if self.delay_ms > 600_000 {
            return Err("delay_ms: at most 600000 (10 minutes)".into());
        }
        Ok(())
    }

    fn matches(&self, path: &str) -> bool {
        match self.path_prefix.as_deref() {
            Some(prefix) => path.starts_with(prefix),
            None => true,
        }
    }
}

/// Pending faults in the order they were posted.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    pub pending: Vec<FaultSpec>,
}

impl FaultQueue {
    /// Takes one use of the first fault matching `path`.
    pub(crate) fn take(&mut self, path: &str) -> Option<FaultSpec> {
        let index = self.pending.iter().position(|f| f.matches(path))?;
        let fault = &mut self.pending[index];
        let taken = fault.clone();
        fault.count = fault.count.saturating_sub(1);
        if fault.count == 0 {
            self.pending.remove(index);
        }
        Some(taken)
    }
}

/// Answers `req` as `fault` says (the fault taken for it from the queue, see
/// [`FaultQueue::take`]): after its delay, its status, headers and body; without a status, the
/// normal answer, its body stalled when the fault says so.
pub(crate) async fn apply(fault: FaultSpec, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    tracing::debug!(path, status = ?fault.status, delay_ms = fault.delay_ms, "injecting fault");
    if fault.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
    }
    let Some(status) = fault.status.and_then(|s| StatusCode::from_u16(s).ok()) else {
        let response = next.run(req).await;
        return match fault.stall_after_bytes {
            Some(n) => stall_body(response, n).await,
            None => response,
        };
    };
    let mut response = match &fault.body {
        Some(body) => (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
        None => (status, Body::empty()).into_response(),
    };
    for (name, value) in &fault.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().insert(n, v);
        }
    }
    response
}

/// `response` with only its first `n` body bytes sent, then nothing for [`STALL_FOR`] (the
/// head, `Content-Length` included, unchanged).
async fn stall_body(response: Response, n: u64) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    let first = bytes.slice(..usize::try_from(n).unwrap_or(usize::MAX).min(bytes.len()));
    let stream = futures_util::stream::unfold(Some(first), |state| async move {
        match state {
            Some(first) => Some((Ok::<_, std::io::Error>(first), None)),
            None => {
                tokio::time::sleep(STALL_FOR).await;
                Some((
                    Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "stalled body: the fault's time is over",
                    )),
                    None,
                ))
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
