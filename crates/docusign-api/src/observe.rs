//! Every HTTP call the client makes is reported to a [`CallObserver`], so the
//! Studio can keep its Go-Live ledger (DocuSign's review looks at the 20 most
//! recent eSignature calls of an integration key; token and userinfo calls do
//! not count: "From the Trenches: Go-live failures").

use serde::Serialize;
use std::time::SystemTime;

/// Which API a call went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// `POST /oauth/token` (does not count for Go-Live).
    Token,
    /// `GET /oauth/userinfo` (does not count for Go-Live).
    Userinfo,
    /// `{base_uri}/restapi/…` (counts for Go-Live).
    Esignature,
}

impl CallKind {
    /// `"token"`, `"userinfo"` or `"esignature"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallKind::Token => "token",
            CallKind::Userinfo => "userinfo",
            CallKind::Esignature => "esignature",
        }
    }
}

/// One finished HTTP call. Holds no secrets: no tokens, no bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    /// When the request was sent (local clock).
    pub started_at: SystemTime,
    /// Which API.
    pub kind: CallKind,
    /// Integration key the call was made for.
    pub integration_key: String,
    /// The auth server's bare host (the environment), e.g. `account-d.docusign.com`.
    pub auth_host: String,
    /// HTTP method, upper case.
    pub method: String,
    /// The path with IDs replaced by names, e.g.
    /// `/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/recipients`.
    pub path_template: String,
    /// The path as sent, without the query (IDs are not secret), for the polling rule.
    pub path: String,
    /// The envelope the call concerned, if any (for the 15-minute polling rule).
    pub envelope_id: Option<String>,
    /// HTTP status; `None` when no answer arrived (transport failure, timeout).
    pub status: Option<u16>,
    /// DocuSign's `errorCode` (eSignature) or `error` (OAuth) on failure.
    pub error_code: Option<String>,
    /// Wall time from send to the end of the body, in milliseconds.
    pub duration_ms: u64,
}

impl CallRecord {
    /// True for a 2xx answer.
    pub fn succeeded(&self) -> bool {
        matches!(self.status, Some(s) if (200..300).contains(&s))
    }
}

/// Receives every call. Implementations must be quick and must not fail the
/// call (errors are theirs to log).
pub trait CallObserver: Send + Sync + std::fmt::Debug {
    /// Called once per finished call, success or failure (token and userinfo calls, and
    /// eSignature calls that were not begun with [`CallObserver::begin`]).
    fn record(&self, call: &CallRecord);

    /// Called just before an eSignature request is sent, with its record (no status yet), so
    /// the call is written down before DocuSign can see it. Returns an id handed back to
    /// [`CallObserver::answered`] and [`CallObserver::finish`]. `Err(reason)` (plain words,
    /// e.g. "the disk holding … is full") means the call cannot be recorded: the client then
    /// does not send it. The default records nothing now and returns `Ok(0)`.
    fn begin(&self, _call: &CallRecord) -> Result<u64, String> {
        Ok(0)
    }

    /// The response head of a call begun with `begin` arrived with `status` (a download's
    /// body may still be coming). The default does nothing.
    fn answered(&self, _id: u64, _status: u16) {}

    /// A call begun with `begin` ended (`call` carries its outcome). The default calls
    /// [`CallObserver::record`].
    fn finish(&self, _id: u64, call: &CallRecord) {
        self.record(call);
    }
}

/// An observer that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoObserver;

impl CallObserver for NoObserver {
    fn record(&self, _call: &CallRecord) {}
}
