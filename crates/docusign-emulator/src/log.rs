//! The request log (`GET /__emulator/requests`).
//!
//! Secrets never reach the log: `Authorization` (and `Cookie`) values are redacted, bodies are
//! never recorded (the token request body carries the assertion), and secret-looking query
//! parameters (`assertion`, `code`, `access_token`, `client_secret`) are replaced by
//! `<redacted>`. Admin requests (`/__emulator/...`) are not logged.

use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::clock::Clock;

/// Oldest entries are dropped beyond this many.
const MAX_ENTRIES: usize = 10_000;

/// Query parameters whose values are never logged.
const SECRET_PARAMS: [&str; 4] = ["assertion", "code", "access_token", "client_secret"];

/// One logged request, as `GET /__emulator/requests` returns it.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    /// 1, 2, 3, ... in arrival order (not reset by clearing the log).
    pub seq: u64,
    /// Arrival time, RFC 3339, emulator clock.
    pub time: String,
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Raw query string with secret parameters redacted; `None` when there was none.
    pub query: Option<String>,
    /// Response status.
    pub status: u16,
    /// Wall time from arrival to response head, milliseconds.
    pub duration_ms: u64,
    /// Request headers (lower-case names; repeated headers joined with ", "), secrets redacted.
    pub headers: BTreeMap<String, String>,
}

/// Bounded log of non-admin requests.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    next_seq: u64,
    pub entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    /// Adds `entry` with the next sequence number, dropping the oldest beyond 10,000.
    pub(crate) fn push(&mut self, mut entry: LoggedRequest) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }
}

fn redact_header(name: &str, value: &HeaderValue) -> String {
    let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
    match name {
        "authorization" | "proxy-authorization" => match text.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} <redacted>"),
            None => "<redacted>".to_owned(),
        },
        "cookie" => "<redacted>".to_owned(),
        _ => text,
    }
}

fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            if SECRET_PARAMS.contains(&name) {
                format!("{name}=<redacted>")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Runs `req` and returns the response with its log entry (`seq` still 0: [`RequestLog::push`]
/// numbers it): arrival time (`clock`), method, path, query and headers with secrets redacted,
/// status and duration.
pub(crate) async fn observe(clock: &Clock, req: Request, next: Next) -> (Response, LoggedRequest) {
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let time = clock.rfc3339();
    let method = req.method().to_string();
    let query = req.uri().query().map(redact_query);
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in req.headers() {
        let value = redact_header(name.as_str(), value);
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let response = next.run(req).await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(%method, %path, status = response.status().as_u16(), duration_ms, "request");
    let entry = LoggedRequest {
        seq: 0,
        time,
        method,
        path,
        query,
        status: response.status().as_u16(),
        duration_ms,
        headers,
    };
    (response, entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_secrets() {
        let v = HeaderValue::from_static("Bearer abc.def");
        assert_eq!(redact_header("authorization", &v), "Bearer <redacted>");
        assert_eq!(
            redact_query("a=1&assertion=eyJ&code=x"),
            "a=1&assertion=<redacted>&code=<redacted>"
        );
    }
}
