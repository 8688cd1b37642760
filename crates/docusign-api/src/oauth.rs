//! The OAuth calls of JWT Grant: `POST /oauth/token` and `GET /oauth/userinfo`.
//!
//! Follows <https://developers.docusign.com/platform/auth/reference/obtain-access-token>
//! and <https://developers.docusign.com/platform/auth/reference/user-info>.
//! Every documented error body of the token endpoint is parsed into
//! [`OAuthErrorKind`]; anything else is kept verbatim (field case F18).

use crate::assertion::Assertion;
use crate::clock::ServerClock;
use crate::environment::AuthServer;
use crate::esign::retry::{self, classify, AttemptOutcome, Decision, RetryPolicy, WaitEvent};
use crate::esign::{SleepFn, WaitHook};
use crate::observe::{CallKind, CallObserver, CallRecord, NoObserver};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The JWT-bearer grant type.
pub const GRANT_TYPE_JWT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Default timeout of every OAuth call, send to end of body, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// Connect timeout of every call made with an [`http_client`] (token, userinfo, eSignature,
/// downloads), in seconds: the TCP connection, the TLS handshake and a proxy's `CONNECT` must
/// be done within it.
pub const CONNECT_TIMEOUT_SECS: u64 = 10;

/// Default first-byte timeout of every call (token, userinfo, eSignature, downloads), in
/// seconds: once the request is sent, the response head (status line and headers) must arrive
/// within it. A server that accepts the request and never answers fails the call after this,
/// not after a download's one-hour total ([`crate::esign::EsignConfig::first_byte_timeout`],
/// [`OAuthClient::with_first_byte_timeout`]).
pub const FIRST_BYTE_TIMEOUT_SECS: u64 = 30;

/// An access token. Secret: Debug is redacted; use [`AccessToken::secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }
    /// The bearer value. Never log it.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// A successful token response (`{"access_token","token_type","expires_in"}`;
/// JWT Grant has no refresh token).
#[derive(Debug, Clone)]
pub struct TokenResponse {
    /// The bearer token.
    pub access_token: AccessToken,
    /// `"Bearer"`.
    pub token_type: String,
    /// Lifetime in seconds (DocuSign: 3600).
    pub expires_in: u64,
    /// The server's `Date` header, when sent.
    pub server_date: Option<SystemTime>,
}

#[derive(Deserialize)]
struct RawToken {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// DocuSign's token-endpoint error, as parsed from `{"error", "error_description"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorKind {
    /// `consent_required`: the user has not consented to this integration key
    /// (for `signature impersonation`) in this environment.
    ConsentRequired,
    /// `invalid_grant` with a documented description.
    InvalidGrant(InvalidGrantReason),
    /// `unsupported_grant_type` (top-level, standard OAuth form).
    UnsupportedGrantType,
    /// `expired_grant` (top-level form).
    ExpiredGrant,
    /// `invalid_request`.
    InvalidRequest,
    /// Any other `error` value, verbatim.
    Other(String),
}

/// The `error_description` of an `invalid_grant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvalidGrantReason {
    /// The signature did not verify with any public key on the integration
    /// key (key pair mismatch, other environment), or `aud`/`exp` is wrong.
    NoValidKeysOrSignatures,
    /// The integration key does not exist in this environment, or `aud` names another environment.
    IssuerNotFound,
    /// The user ID is not an active user in this environment.
    UserNotFound,
    /// The subject is invalid (not a user GUID).
    InvalidSubject,
    /// The assertion expired (client clock behind, or `exp` in the past).
    ExpiredGrant,
    /// The grant type was not JWT bearer.
    UnsupportedGrantType,
    /// No description was given.
    Unspecified,
    /// Another description, verbatim.
    Other(String),
}

impl InvalidGrantReason {
    fn parse(description: Option<&str>) -> Self {
        match description.map(str::trim) {
            None | Some("") => InvalidGrantReason::Unspecified,
            Some(d) => match d.to_ascii_lowercase().as_str() {
                "no_valid_keys_or_signatures" => InvalidGrantReason::NoValidKeysOrSignatures,
                "issuer_not_found" => InvalidGrantReason::IssuerNotFound,
                "user_not_found" => InvalidGrantReason::UserNotFound,
                "invalid_subject" => InvalidGrantReason::InvalidSubject,
                "expired_grant" => InvalidGrantReason::ExpiredGrant,
                "unsupported_grant_type" => InvalidGrantReason::UnsupportedGrantType,
                _ => InvalidGrantReason::Other(d.to_string()),
            },
        }
    }

    /// The snake_case detail: DocuSign's own words where it gave some.
    pub fn detail(&self) -> String {
        match self {
            InvalidGrantReason::NoValidKeysOrSignatures => "no_valid_keys_or_signatures".into(),
            InvalidGrantReason::IssuerNotFound => "issuer_not_found".into(),
            InvalidGrantReason::UserNotFound => "user_not_found".into(),
            InvalidGrantReason::InvalidSubject => "invalid_subject".into(),
            InvalidGrantReason::ExpiredGrant => "expired_grant".into(),
            InvalidGrantReason::UnsupportedGrantType => "unsupported_grant_type".into(),
            InvalidGrantReason::Unspecified => "unspecified".into(),
            InvalidGrantReason::Other(s) => s.clone(),
        }
    }
}

impl OAuthErrorKind {
    /// Parses DocuSign's `error` and `error_description`.
    pub fn parse(error: &str, description: Option<&str>) -> Self {
        match error.trim().to_ascii_lowercase().as_str() {
            "consent_required" => OAuthErrorKind::ConsentRequired,
            "invalid_grant" => OAuthErrorKind::InvalidGrant(InvalidGrantReason::parse(description)),
            "unsupported_grant_type" => OAuthErrorKind::UnsupportedGrantType,
            "expired_grant" => OAuthErrorKind::ExpiredGrant,
            "invalid_request" => OAuthErrorKind::InvalidRequest,
            other => OAuthErrorKind::Other(other.to_string()),
        }
    }
}

/// Why an OAuth call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OAuthError {
    /// DocuSign answered with an OAuth error body.
    #[error("DocuSign refused the request (HTTP {status}): {error}{}", description.as_deref().map(|d| format!(" / {d}")).unwrap_or_default())]
    OAuth {
        /// HTTP status (400 for token errors).
        status: u16,
        /// The parsed error.
        kind: OAuthErrorKind,
        /// `error`, verbatim.
        error: String,
        /// `error_description`, verbatim.
        description: Option<String>,
        /// The server's `Date` header.
        server_date: Option<SystemTime>,
    },
    /// An HTTP error without an OAuth body (e.g. 401 on userinfo), and every 429 and 5xx
    /// (whatever its body).
    #[error("{url} answered HTTP {status}{}", if body.is_empty() { String::new() } else { format!(": {body}") })]
    Http {
        /// Which endpoint (no secrets in it).
        url: String,
        /// HTTP status.
        status: u16,
        /// The start of the body (at most 500 bytes), verbatim.
        body: String,
        /// The server's `Date` header.
        server_date: Option<SystemTime>,
    },
    /// A 2xx answer whose body is not what DocuSign documents.
    #[error("{url} answered with an unexpected body: {reason}")]
    Decode {
        /// Which endpoint.
        url: String,
        /// What did not parse.
        reason: String,
    },
    /// DocuSign answered with a token whose `token_type` is not `Bearer` (case-insensitive):
    /// an *application* token, issued when the assertion has no user (F38). userinfo and the
    /// eSignature API refuse it with 401, so the token step fails here.
    #[error("DocuSign issued an application token (token_type \"{token_type}\", no user). The eSignature API needs a user token: fill in the User ID (GUID from Apps and Keys).")]
    NotUserToken {
        /// `token_type` as DocuSign sent it.
        token_type: String,
    },
    /// Could not reach the server (DNS, refused, TLS, timeout), or it sent no response head
    /// within the first-byte timeout (class `timeout`).
    #[error("could not reach {url}: {reason}")]
    Transport {
        /// Which endpoint.
        url: String,
        /// The transport error, flattened (no secrets).
        reason: String,
        /// `"timeout"`, `"tls"`, `"connect"` or `"other"`.
        class: &'static str,
    },
}

impl OAuthError {
    /// True when this answer to a request that carried an access token (`/oauth/userinfo`)
    /// says the token itself is no good (expired, revoked, never issued): a 4xx other than 408
    /// and 429. A 5xx (DocuSign's own trouble), a 408 or 429, a network failure or an answer
    /// that does not parse says nothing about the token.
    pub fn refuses_token(&self) -> bool {
        match self {
            OAuthError::OAuth { status, .. } | OAuthError::Http { status, .. } => {
                (400..500).contains(status) && !matches!(status, 408 | 429)
            }
            _ => false,
        }
    }

    /// The server's clock, when the answer carried a `Date` header.
    pub fn server_date(&self) -> Option<SystemTime> {
        match self {
            OAuthError::OAuth { server_date, .. } | OAuthError::Http { server_date, .. } => {
                *server_date
            }
            _ => None,
        }
    }

    /// The server took the request but sent no response head within `waited` (class
    /// `timeout`; the reason names the host).
    pub(crate) fn no_answer(url: &str, waited: Duration) -> Self {
        OAuthError::Transport {
            url: url.to_string(),
            reason: no_answer_reason(url, waited),
            class: "timeout",
        }
    }

    fn transport(url: &str, e: &reqwest::Error) -> Self {
        let mut reason = e.to_string();
        let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
        while let Some(s) = src {
            reason.push_str(": ");
            reason.push_str(&s.to_string());
            src = s.source();
        }
        let lower = reason.to_ascii_lowercase();
        let class = if e.is_timeout() {
            "timeout"
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
        {
            "tls"
        } else if e.is_connect() {
            "connect"
        } else {
            "other"
        };
        OAuthError::Transport {
            url: url.to_string(),
            reason,
            class,
        }
    }
}

/// A user's account, as `/oauth/userinfo` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAccount {
    /// The API Account ID GUID.
    pub account_id: String,
    /// Whether this is the user's default account.
    #[serde(deserialize_with = "bool_or_string", default)]
    pub is_default: bool,
    /// The account's display name.
    #[serde(default)]
    pub account_name: String,
    /// Host only, no `/restapi` (e.g. `https://demo.docusign.net`).
    pub base_uri: String,
    /// Present when the account belongs to an organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<serde_json::Value>,
}

fn bool_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => Ok(b),
        serde_json::Value::String(s) => Ok(s.eq_ignore_ascii_case("true")),
        _ => Ok(false),
    }
}

/// The `/oauth/userinfo` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    /// The user ID GUID.
    pub sub: String,
    /// Full name.
    #[serde(default)]
    pub name: String,
    /// Given name.
    #[serde(default)]
    pub given_name: String,
    /// Family name.
    #[serde(default)]
    pub family_name: String,
    /// Creation time, as DocuSign prints it.
    #[serde(default)]
    pub created: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// Every account the user (and so the token) can act on.
    #[serde(default)]
    pub accounts: Vec<UserAccount>,
}

impl UserInfo {
    /// The account with this ID (GUIDs compared case-insensitively), if the
    /// token can act on it. Never falls back to `accounts[0]` or the default.
    pub fn account(&self, account_id: &str) -> Option<&UserAccount> {
        let wanted = account_id.trim();
        self.accounts
            .iter()
            .find(|a| a.account_id.eq_ignore_ascii_case(wanted))
    }
}

/// The reason of a first-byte timeout: "{host} took the request but sent no answer within N s".
pub(crate) fn no_answer_reason(url: &str, waited: Duration) -> String {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| url.to_string());
    format!(
        "{host} took the request but sent no answer within {} s (first-byte timeout)",
        waited.as_secs_f64().ceil() as u64
    )
}

/// An HTTP client for one auth server: HTTPS only, rustls, with the extra CA
/// certificate of a custom auth server (the sandbox) when one is given.
///
/// Timeouts of its calls: [`CONNECT_TIMEOUT_SECS`] to connect (set by [`http_client`]), the
/// first-byte timeout for the response head ([`FIRST_BYTE_TIMEOUT_SECS`] unless set with
/// [`OAuthClient::with_first_byte_timeout`]), and the HTTP client's total timeout.
///
/// `POST /oauth/token` is retried under the same bounded [`RetryPolicy`] as the eSignature
/// GETs (it creates nothing, so it is safe to repeat): on 429, 5xx, a timeout or a refused
/// connection, honouring `Retry-After` (seconds or HTTP date). Every attempt is reported to
/// the observer.
#[derive(Clone)]
pub struct OAuthClient {
    http: reqwest::Client,
    auth: AuthServer,
    observer: Arc<dyn CallObserver>,
    integration_key: String,
    first_byte_timeout: Duration,
    retry: RetryPolicy,
    sleep: SleepFn,
    wait_hook: Option<WaitHook>,
    clock: Arc<ServerClock>,
}

impl std::fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthClient")
            .field("auth", &self.auth.host())
            .field("first_byte_timeout", &self.first_byte_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Building the HTTP client failed (an unreadable CA certificate).
#[derive(Debug, thiserror::Error)]
#[error("the CA certificate is not usable: {0}")]
pub struct CaCertError(pub String);

/// Builds the crate's HTTP client: rustls trusting the bundled web PKI roots and the operating
/// system's certificate store (so a company proxy that inspects HTTPS works once IT has
/// installed its CA in the system store), plus the PEM CA certificate(s) in `extra_ca_pem` when
/// given (the sandbox only); HTTPS only; a connect timeout of [`CONNECT_TIMEOUT_SECS`]
/// (TCP, TLS handshake, a proxy's `CONNECT`) and a total timeout of `timeout` per request
/// (a request may set its own total: downloads do). The first-byte timeout is applied by the
/// callers ([`OAuthClient`], [`crate::esign::EsignClient`]).
///
/// Proxies: `HTTPS_PROXY` / `ALL_PROXY` (or their lower-case forms) are honoured, except for
/// hosts listed in `NO_PROXY`. A client with an extra CA (the sandbox on this computer's
/// loopback address) always connects directly: a proxy cannot reach this computer's loopback.
///
/// # Errors
/// [`CaCertError`] when `extra_ca_pem` holds no usable certificate.
pub fn http_client(
    extra_ca_pem: Option<&[u8]>,
    timeout: Duration,
) -> Result<reqwest::Client, CaCertError> {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .https_only(true)
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(CONNECT_TIMEOUT_SECS))
        .user_agent(concat!("dsjwt/", env!("CARGO_PKG_VERSION")));
    if let Some(pem) = extra_ca_pem {
        b = b.no_proxy();
        let certs =
            reqwest::Certificate::from_pem_bundle(pem).map_err(|e| CaCertError(e.to_string()))?;
        if certs.is_empty() {
            return Err(CaCertError("no PEM certificate found in the file".into()));
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    b.build().map_err(|e| CaCertError(e.to_string()))
}

/// The `Date` header of an answer (RFC 9110 §6.6.1), `None` when missing or malformed.
pub fn date_of(headers: &reqwest::header::HeaderMap) -> Option<SystemTime> {
    headers
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| httpdate::parse_http_date(s).ok())
}

fn date_header(resp: &reqwest::Response) -> Option<SystemTime> {
    date_of(resp.headers())
}

impl OAuthClient {
    /// A client for `auth` using `http` (see [`http_client`]).
    pub fn new(auth: AuthServer, http: reqwest::Client) -> Self {
        OAuthClient {
            http,
            auth,
            observer: Arc::new(NoObserver),
            integration_key: String::new(),
            first_byte_timeout: Duration::from_secs(FIRST_BYTE_TIMEOUT_SECS),
            retry: RetryPolicy::default(),
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            wait_hook: None,
            clock: Arc::new(ServerClock::new()),
        }
    }

    /// Records the `Date` header of every answer (token, userinfo, refusals too) in `clock`
    /// (default: the client's own).
    pub fn with_clock(mut self, clock: Arc<ServerClock>) -> Self {
        self.clock = clock;
        self
    }

    /// DocuSign's clock as the answers so far showed it.
    pub fn clock(&self) -> &Arc<ServerClock> {
        &self.clock
    }

    /// Sets the retry policy of the token call (default [`RetryPolicy::default`]; the
    /// eSignature client passes its own).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Replaces how the client sleeps between token attempts (tests: record and return).
    pub fn with_sleeper(mut self, sleep: SleepFn) -> Self {
        self.sleep = sleep;
        self
    }

    /// Calls `hook` before every wait between token attempts.
    pub fn with_wait_hook(mut self, hook: Option<WaitHook>) -> Self {
        self.wait_hook = hook;
        self
    }

    /// Sets the first-byte timeout: how long a call waits, once its request is sent, for the
    /// response head (default [`FIRST_BYTE_TIMEOUT_SECS`]). Past it the call fails with
    /// [`OAuthError::Transport`] of class `timeout`, naming the host.
    pub fn with_first_byte_timeout(mut self, timeout: Duration) -> Self {
        self.first_byte_timeout = timeout;
        self
    }

    /// The first-byte timeout in force.
    pub fn first_byte_timeout(&self) -> Duration {
        self.first_byte_timeout
    }

    /// Sends `rb`, waiting at most the first-byte timeout for the response head.
    async fn send(
        &self,
        url: &str,
        rb: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, OAuthError> {
        match tokio::time::timeout(self.first_byte_timeout, rb.send()).await {
            Err(_) => Err(OAuthError::no_answer(url, self.first_byte_timeout)),
            Ok(r) => r.map_err(|e| OAuthError::transport(url, &e)),
        }
    }

    /// Reports every call to `observer`, tagged with `integration_key`
    /// (token calls are tagged with the assertion's `iss` regardless).
    pub fn with_observer(
        mut self,
        observer: Arc<dyn CallObserver>,
        integration_key: impl Into<String>,
    ) -> Self {
        self.observer = observer;
        self.integration_key = integration_key.into();
        self
    }

    /// The HTTP client (shared with the eSignature calls).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn record(
        &self,
        kind: CallKind,
        ik: &str,
        method: &str,
        path: &str,
        started: (SystemTime, Instant),
        outcome: (Option<u16>, Option<String>),
    ) {
        let (status, error_code) = outcome;
        self.observer.record(&CallRecord {
            started_at: started.0,
            kind,
            integration_key: ik.to_string(),
            auth_host: self.auth.host().to_string(),
            method: method.into(),
            path_template: path.into(),
            path: path.into(),
            envelope_id: None,
            status,
            error_code,
            duration_ms: started.1.elapsed().as_millis() as u64,
        });
    }

    /// The auth server.
    pub fn auth_server(&self) -> &AuthServer {
        &self.auth
    }

    /// `POST https://{auth}/oauth/token` with
    /// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…`.
    ///
    /// # Errors
    /// [`OAuthError::OAuth`] for DocuSign's error bodies (`consent_required`,
    /// `invalid_grant`/…), [`OAuthError::Http`] for other statuses,
    /// [`OAuthError::Decode`] for an unexpected 200 body,
    /// [`OAuthError::Transport`] when the server cannot be reached.
    ///
    /// A 429, 5xx, timeout or refused connection is retried under the client's
    /// [`RetryPolicy`] (at most `max_attempts` attempts in all), waiting what `Retry-After`
    /// says when the answer carries it; the error returned is the last attempt's.
    pub async fn request_token(&self, assertion: &Assertion) -> Result<TokenResponse, OAuthError> {
        let url = self.auth.token_url();
        let mut failures = 0u32;
        let mut retries = 0u32;
        loop {
            let started = (SystemTime::now(), Instant::now());
            let (result, retry_after) = self.request_token_inner(&url, assertion).await;
            self.record(
                CallKind::Token,
                &assertion.claims.iss,
                "POST",
                "/oauth/token",
                started,
                outcome(&result),
            );
            let err = match result {
                Ok(t) => return Ok(t),
                Err(e) => e,
            };
            let (status, transport_class) = match &err {
                OAuthError::OAuth { status, .. } | OAuthError::Http { status, .. } => {
                    (Some(*status), None)
                }
                OAuthError::Transport { class, .. } => (None, Some(*class)),
                _ => return Err(err),
            };
            if !retry::is_transient_failure(status) {
                return Err(err);
            }
            failures += 1;
            let attempt = AttemptOutcome {
                status,
                error_code: None,
                transport_class,
                reset_at: None,
                retry_after,
                repeatable: true,
                reminted: true,
                failures,
                rate_waits: 0,
                now: SystemTime::now(),
                jitter: rand::random(),
            };
            let Decision::Retry {
                wait,
                reason,
                reset_at,
            } = classify(&attempt, &self.retry)
            else {
                return Err(err);
            };
            retries += 1;
            let ev = WaitEvent {
                reason,
                wait,
                reset_at,
                call: "POST /oauth/token".into(),
                retry: retries,
            };
            tracing::info!(wait_ms = wait.as_millis() as u64, "{ev}");
            if let Some(h) = &self.wait_hook {
                h(&ev);
            }
            (self.sleep)(wait).await;
        }
    }

    /// One token attempt, and the answer's `Retry-After` (as a wait) when it had one.
    async fn request_token_inner(
        &self,
        url: &str,
        assertion: &Assertion,
    ) -> (Result<TokenResponse, OAuthError>, Option<Duration>) {
        let mut retry_after = None;
        let result = self
            .request_token_once(url, assertion, &mut retry_after)
            .await;
        (result, retry_after)
    }

    async fn request_token_once(
        &self,
        url: &str,
        assertion: &Assertion,
        retry_after: &mut Option<Duration>,
    ) -> Result<TokenResponse, OAuthError> {
        let url = url.to_string();
        let rb = self
            .http
            .post(&url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CACHE_CONTROL, "no-store")
            .form(&[
                ("grant_type", GRANT_TYPE_JWT),
                ("assertion", assertion.secret()),
            ]);
        let resp = self.send(&url, rb).await?;
        let status = resp.status().as_u16();
        let server_date = date_header(&resp);
        if let Some(d) = server_date {
            self.clock.observe(d, SystemTime::now());
        }
        *retry_after = retry::retry_after(resp.headers());
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| OAuthError::transport(&url, &e))?;
        if (200..300).contains(&status) {
            let raw: RawToken = serde_json::from_slice(&bytes).map_err(|e| OAuthError::Decode {
                url: url.clone(),
                reason: format!("{e} (expected access_token, token_type, expires_in)"),
            })?;
            let expires_in = match raw.expires_in {
                Some(serde_json::Value::Number(n)) => n.as_u64(),
                Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            }
            .unwrap_or(3600);
            let token_type = raw.token_type.unwrap_or_else(|| "Bearer".into());
            if !token_type.trim().eq_ignore_ascii_case("bearer") {
                return Err(OAuthError::NotUserToken { token_type });
            }
            return Ok(TokenResponse {
                access_token: AccessToken(raw.access_token),
                token_type,
                expires_in,
                server_date,
            });
        }
        Err(error_from_body(&url, status, &bytes, server_date))
    }

    /// `GET https://{auth}/oauth/userinfo` with the bearer token.
    ///
    /// # Errors
    /// As [`OAuthClient::request_token`]; a 401 is [`OAuthError::Http`] or
    /// [`OAuthError::OAuth`] depending on the body.
    pub async fn userinfo(&self, token: &AccessToken) -> Result<UserInfo, OAuthError> {
        let url = self.auth.userinfo_url();
        let started = (SystemTime::now(), Instant::now());
        let result = self.userinfo_inner(&url, token).await;
        let ik = self.integration_key.clone();
        self.record(
            CallKind::Userinfo,
            &ik,
            "GET",
            "/oauth/userinfo",
            started,
            outcome(&result),
        );
        result
    }

    async fn userinfo_inner(&self, url: &str, token: &AccessToken) -> Result<UserInfo, OAuthError> {
        let url = url.to_string();
        let rb = self
            .http
            .get(&url)
            .bearer_auth(token.secret())
            .header(reqwest::header::ACCEPT, "application/json");
        let resp = self.send(&url, rb).await?;
        let status = resp.status().as_u16();
        let server_date = date_header(&resp);
        if let Some(d) = server_date {
            self.clock.observe(d, SystemTime::now());
        }
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| OAuthError::transport(&url, &e))?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| OAuthError::Decode {
                url,
                reason: e.to_string(),
            });
        }
        Err(error_from_body(&url, status, &bytes, server_date))
    }
}

fn outcome<T>(r: &Result<T, OAuthError>) -> (Option<u16>, Option<String>) {
    match r {
        Ok(_) => (Some(200), None),
        Err(OAuthError::OAuth { status, error, .. }) => (Some(*status), Some(error.clone())),
        Err(OAuthError::Http { status, .. }) => (Some(*status), None),
        Err(OAuthError::Decode { .. }) => (Some(200), Some("unexpected_body".into())),
        Err(OAuthError::NotUserToken { .. }) => (Some(200), Some("application_token".into())),
        Err(OAuthError::Transport { class, .. }) => (None, Some((*class).to_string())),
    }
}

fn error_from_body(
    url: &str,
    status: u16,
    bytes: &[u8],
    server_date: Option<SystemTime>,
) -> OAuthError {
    #[derive(Deserialize)]
    struct RawError {
        error: Option<String>,
        error_description: Option<String>,
    }
    // 429 and 5xx are the server's trouble whatever the body says (it may carry an OAuth-style
    // `{"error":"temporarily_unavailable"}`): `Http`, naming the endpoint, body kept verbatim.
    let trouble = status == 429 || status >= 500;
    if let (
        false,
        Ok(RawError {
            error: Some(error),
            error_description,
        }),
    ) = (trouble, serde_json::from_slice::<RawError>(bytes))
    {
        let kind = OAuthErrorKind::parse(&error, error_description.as_deref());
        return OAuthError::OAuth {
            status,
            kind,
            error,
            description: error_description,
            server_date,
        };
    }
    let text = String::from_utf8_lossy(bytes);
    let body: String = text.chars().take(500).collect();
    OAuthError::Http {
        url: url.to_string(),
        status,
        body: body.trim().to_string(),
        server_date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_4xx_about_the_token_refuses_it() {
        let http = |status| OAuthError::Http {
            url: "https://account-d.docusign.com/oauth/userinfo".into(),
            status,
            body: String::new(),
            server_date: None,
        };
        assert!(http(401).refuses_token());
        assert!(http(400).refuses_token());
        for status in [500, 502, 503, 504, 429, 408] {
            assert!(!http(status).refuses_token(), "{status}");
        }
        let oauth = |status| OAuthError::OAuth {
            status,
            kind: OAuthErrorKind::Other("internal_server_error".into()),
            error: "internal_server_error".into(),
            description: None,
            server_date: None,
        };
        assert!(!oauth(500).refuses_token());
        assert!(oauth(401).refuses_token());
        let network = OAuthError::Transport {
            url: "https://account-d.docusign.com/oauth/userinfo".into(),
            reason: "connection refused".into(),
            class: "connect",
        };
        assert!(!network.refuses_token());
    }

    #[test]
    fn parses_documented_error_bodies() {
        assert_eq!(
            OAuthErrorKind::parse("consent_required", None),
            OAuthErrorKind::ConsentRequired
        );
        assert_eq!(
            OAuthErrorKind::parse("invalid_grant", Some("no_valid_keys_or_signatures")),
            OAuthErrorKind::InvalidGrant(InvalidGrantReason::NoValidKeysOrSignatures)
        );
        assert_eq!(
            OAuthErrorKind::parse("invalid_grant", Some("issuer_not_found")),
            OAuthErrorKind::InvalidGrant(InvalidGrantReason::IssuerNotFound)
        );
        assert_eq!(
            OAuthErrorKind::parse("invalid_grant", Some("user_not_found")),
            OAuthErrorKind::InvalidGrant(InvalidGrantReason::UserNotFound)
        );
        assert_eq!(
            OAuthErrorKind::parse("invalid_grant", Some("invalid_subject")),
            OAuthErrorKind::InvalidGrant(InvalidGrantReason::InvalidSubject)
        );
        assert_eq!(
            OAuthErrorKind::parse("invalid_grant", Some("expired_grant")),
            OAuthErrorKind::InvalidGrant(InvalidGrantReason::ExpiredGrant)
        );
        assert_eq!(
            OAuthErrorKind::parse("expired_grant", None),
            OAuthErrorKind::ExpiredGrant
        );
        assert_eq!(
            OAuthErrorKind::parse("unsupported_grant_type", None),
            OAuthErrorKind::UnsupportedGrantType
        );
        assert_eq!(
            OAuthErrorKind::parse("invalid_grant", None),
            OAuthErrorKind::InvalidGrant(InvalidGrantReason::Unspecified)
        );
        assert_eq!(
            OAuthErrorKind::parse("temporarily_unavailable", None),
            OAuthErrorKind::Other("temporarily_unavailable".into())
        );
    }

    #[test]
    fn error_body_kept_verbatim() {
        let e = error_from_body(
            "u",
            400,
            br#"{"error":"invalid_grant","error_description":"Something New"}"#,
            None,
        );
        match e {
            OAuthError::OAuth {
                kind: OAuthErrorKind::InvalidGrant(InvalidGrantReason::Other(d)),
                description,
                ..
            } => {
                assert_eq!(d, "Something New");
                assert_eq!(description.as_deref(), Some("Something New"));
            }
            other => panic!("{other:?}"),
        }
        let e = error_from_body("u", 502, b"<html>Bad gateway</html>", None);
        assert!(matches!(e, OAuthError::Http { status: 502, .. }));
    }

    #[test]
    fn userinfo_account_lookup_never_falls_back() {
        let info: UserInfo = serde_json::from_str(r#"{"sub":"u","accounts":[{"account_id":"A-1","is_default":"true","account_name":"x","base_uri":"https://demo.docusign.net"}]}"#).unwrap();
        assert!(info.accounts[0].is_default);
        assert!(info.account("a-1").is_some());
        assert!(info.account("B").is_none());
    }
}
