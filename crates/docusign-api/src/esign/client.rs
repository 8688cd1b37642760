//! [`EsignClient`]: one connection's token, rate-limit state and the request loop every
//! action goes through (token reuse and the single re-mint on 401, rate-limit waits, retries,
//! one [`CallRecord`] per HTTP call).

use super::clock::{self, ClockNotice, ServerClock};
use super::error::{fix_for, EsignError};
use super::models::ErrorDetails;
use super::retry::{
    self, classify, AttemptOutcome, Decision, RateLimit, RetryPolicy, WaitEvent, WaitReason,
};
use crate::assertion::{self, Claims};
use crate::environment::{AuthServer, BaseUri};
use crate::key::PrivateKey;
use crate::oauth::{AccessToken, OAuthClient};
use crate::observe::{CallKind, CallObserver, CallRecord};
use crate::token_cache::{Confirmation, TokenCache};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, ACCEPT};
use reqwest::Method;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// The parts an [`EsignClient`] is built from: everything one DocuSign JWT connection needs at
/// run time (a saved connection, studio-core's `Connection`, holds only its settings). All fields
/// are plain data; build it from the Studio's saved connection (`http` from [`crate::oauth::http_client`], which carries the
/// sandbox's CA certificate when there is one).
#[derive(Clone)]
pub struct ClientParts {
    /// The OAuth server (demo, production, or the sandbox).
    pub auth: AuthServer,
    /// The HTTPS client, shared by the token and REST calls.
    pub http: reqwest::Client,
    /// The RSA private key that signs the JWT assertions.
    pub key: Arc<PrivateKey>,
    /// Integration key (client ID) GUID.
    pub integration_key: String,
    /// The impersonated user's user ID GUID.
    pub user_id: String,
    /// The API Account ID GUID.
    pub account_id: String,
    /// The account's base URI (`https://demo.docusign.net`); REST URLs are
    /// `{base_uri}/restapi/v2.1/accounts/{account_id}/…`.
    pub base_uri: BaseUri,
    /// Receives one [`CallRecord`] per HTTP call (token calls included).
    pub observer: Arc<dyn CallObserver>,
}

impl std::fmt::Debug for ClientParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientParts")
            .field("auth", &self.auth.host())
            .field("integration_key", &self.integration_key)
            .field("user_id", &self.user_id)
            .field("account_id", &self.account_id)
            .field("base_uri", &self.base_uri.as_str())
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// Tunables. `Default` is what the app uses; tests shorten the waits.
///
/// Every call (token, userinfo, eSignature JSON, downloads) has three limits: the connect
/// timeout ([`crate::oauth::CONNECT_TIMEOUT_SECS`], 10 s, set on the HTTP client), the
/// first-byte timeout for the response head ([`EsignConfig::first_byte_timeout`], 30 s), and a
/// total ([`EsignConfig::timeout`] for JSON calls, [`EsignConfig::download_total_timeout`] for
/// downloads, whose body may also not stop for longer than
/// [`EsignConfig::download_idle_timeout`]). A timed-out GET is retried under
/// [`EsignConfig::retry`]; a timed-out POST is not (it may have been carried out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsignConfig {
    /// Timeout of one JSON call, send to end of body (default 30 s).
    pub timeout: Duration,
    /// First-byte timeout of every call, the token call and downloads included: once the
    /// request is sent, the response head must arrive within it (default 30 s,
    /// [`crate::oauth::FIRST_BYTE_TIMEOUT_SECS`]). Past it the call fails with
    /// [`EsignError::Transport`] of class `timeout`, whose reason names the host.
    pub first_byte_timeout: Duration,
    /// Longest a download may go without receiving a byte (default 120 s).
    pub download_idle_timeout: Duration,
    /// Longest a whole download may take (default 1 hour).
    pub download_total_timeout: Duration,
    /// Retries and rate-limit waits.
    pub retry: RetryPolicy,
    /// `count` per page for listings (default 100).
    pub page_size: u32,
    /// Most pages one listing follows before giving up: a guard against runaway paging
    /// (paging that does not advance is refused on its own). Default 3,000 pages
    /// (300,000 envelopes at 100 a page): DocuSign's default hourly call limit, so a
    /// listing needing more could not finish within the hour anyway.
    pub max_pages: u32,
    /// `from_date` of a status listing given none: this long ago (default 30 days).
    pub default_lookback: Duration,
}

impl Default for EsignConfig {
    fn default() -> Self {
        EsignConfig {
            timeout: Duration::from_secs(30),
            first_byte_timeout: Duration::from_secs(crate::oauth::FIRST_BYTE_TIMEOUT_SECS),
            download_idle_timeout: Duration::from_secs(120),
            download_total_timeout: Duration::from_secs(3600),
            retry: RetryPolicy::default(),
            page_size: 100,
            max_pages: 3000,
            default_lookback: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

/// The account's template list as a client last kept it ([`EsignClient::keep_templates`]):
/// each template's ID and name, and when it was fetched. It belongs to the client, so to one
/// connection: one base URI, one account, one user (a template list depends on the user too,
/// through template sharing); no other connection ever sees it.
#[derive(Debug, Clone)]
pub struct SeenTemplates {
    fetched: Instant,
    templates: Vec<(String, Option<String>)>,
}

impl SeenTemplates {
    /// How long ago the list was fetched (monotonic time, so a change of the computer's clock
    /// does not make it younger or older).
    pub fn age(&self) -> Duration {
        self.fetched.elapsed()
    }

    /// The templates, `(template ID, name)` as DocuSign gave them (a template without an ID is
    /// left out), in DocuSign's order.
    pub fn templates(&self) -> &[(String, Option<String>)] {
        &self.templates
    }
}

/// Called before every wait (rate-limit reset, burst window, backoff) with what and how long.
pub type WaitHook = Arc<dyn Fn(&WaitEvent) + Send + Sync>;

/// Sleeps for the given duration. The default is `tokio::time::sleep`; tests inject one that
/// records the durations and returns at once.
pub type SleepFn = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The eSignature REST client for one connection.
///
/// Owns an [`OAuthClient`] and a [`TokenCache`]: one token is reused until close to its expiry;
/// a 401 from `/restapi` invalidates it, mints a new one once and sends the request once more
/// with the new bearer (F17). Every HTTP call is reported to the connection's observer.
/// Share it behind an `Arc`; all actions take `&self`.
///
/// ```no_run
/// # async fn run(conn: docusign_api::esign::ClientParts) -> Result<(), docusign_api::esign::EsignError> {
/// use docusign_api::esign::{EsignClient, ListEnvelopesQuery};
/// let client = EsignClient::new(conn).on_wait(|w| eprintln!("{w}"));
/// let list = client.list_envelopes(&ListEnvelopesQuery { status: vec!["completed".into()], ..Default::default() }).await?;
/// println!("{} envelopes, {} token(s) minted", list.envelopes.len(), client.token_mints());
/// # Ok(()) }
/// ```
pub struct EsignClient {
    pub(crate) oauth: OAuthClient,
    pub(crate) http: reqwest::Client,
    key: Arc<PrivateKey>,
    integration_key: String,
    user_id: String,
    pub(crate) account_id: String,
    pub(crate) base_uri: BaseUri,
    auth: AuthServer,
    observer: Arc<dyn CallObserver>,
    tokens: TokenCache,
    clock: Arc<ServerClock>,
    clock_notice: Mutex<Option<ClockNotice>>,
    rate: Mutex<Option<RateLimit>>,
    templates_seen: Mutex<Option<SeenTemplates>>,
    pub(crate) config: EsignConfig,
    wait_hook: Option<WaitHook>,
    sleep: SleepFn,
}

impl std::fmt::Debug for EsignClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EsignClient")
            .field("auth", &self.auth.host())
            .field("integration_key", &self.integration_key)
            .field("account_id", &self.account_id)
            .field("base_uri", &self.base_uri.as_str())
            .field("token_mints", &self.tokens.mint_count())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Characters escaped in one path segment (an ID): everything but unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One part of a REST path: a literal, or a named ID (`{envelopeId}` in the template).
pub(crate) enum Seg<'a> {
    Lit(&'a str),
    Id(&'static str, &'a str),
}

/// A request, described once and sent as often as the policy allows.
pub(crate) struct Call {
    pub method: Method,
    pub template: String,
    pub url: url::Url,
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    pub envelope_id: Option<String>,
    pub repeatable: bool,
    pub accept: &'static str,
    pub stream: bool,
}

impl Call {
    pub fn query(mut self, k: &str, v: impl Into<String>) -> Self {
        self.query.push((k.to_string(), v.into()));
        self
    }
    pub fn body(mut self, b: serde_json::Value) -> Self {
        self.body = Some(b);
        self
    }
    fn label(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

/// A call's record, sent to the observer exactly once (on `finish`, or on drop).
pub(crate) struct Pending {
    observer: Arc<dyn CallObserver>,
    record: Option<CallRecord>,
    started: Instant,
    /// The observer's id from [`CallObserver::begin`].
    id: u64,
}

impl Pending {
    /// The response head arrived (a download's body may still be coming).
    pub fn answered(&self, status: u16) {
        self.observer.answered(self.id, status);
    }
    pub fn finish(mut self, status: Option<u16>, error_code: Option<String>) {
        self.emit(status, error_code);
    }
    fn emit(&mut self, status: Option<u16>, error_code: Option<String>) {
        if let Some(mut r) = self.record.take() {
            r.status = status;
            r.error_code = error_code;
            r.duration_ms = self.started.elapsed().as_millis() as u64;
            self.observer.finish(self.id, &r);
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Abandoned mid-way (the caller's future was dropped): no complete answer.
        self.emit(None, Some("abandoned".into()));
    }
}

pub(crate) enum Body {
    Full(Vec<u8>),
    Stream(reqwest::Response),
}

/// A 2xx answer; its record is still open (finished by whoever consumes the body).
pub(crate) struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Body,
    pub pending: Pending,
}

/// `(reason, class)` of a reqwest error, source chain flattened.
pub(crate) fn transport_of(e: &reqwest::Error) -> (String, &'static str) {
    let mut reason = e.to_string();
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = src {
        reason.push_str(": ");
        reason.push_str(&s.to_string());
        src = s.source();
    }
    let lower = reason.to_ascii_lowercase();
    // `timeout` means the request went out and no answer came in time; a connect timeout is a
    // connection failure (nothing was sent), so a write that timed out is the only one whose
    // outcome is unknown.
    let class = if e.is_timeout() && !e.is_connect() {
        "timeout"
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        "tls"
    } else if e.is_connect() {
        "connect"
    } else {
        "other"
    };
    (reason, class)
}

/// The start of a body, for messages: at most `n` chars, lossy UTF-8, trimmed.
pub(crate) fn excerpt(bytes: &[u8], n: usize) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(n * 4)])
        .chars()
        .take(n)
        .collect::<String>()
        .trim()
        .to_string()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn default_sleep() -> SleepFn {
    Arc::new(|d| Box::pin(tokio::time::sleep(d)))
}

impl EsignClient {
    /// A client for `conn` with the default [`EsignConfig`]. Makes no call.
    pub fn new(conn: ClientParts) -> Self {
        let clock = Arc::new(ServerClock::new());
        let oauth = OAuthClient::new(conn.auth.clone(), conn.http.clone())
            .with_observer(conn.observer.clone(), conn.integration_key.clone())
            .with_clock(clock.clone());
        EsignClient {
            oauth,
            http: conn.http,
            key: conn.key,
            integration_key: conn.integration_key,
            user_id: conn.user_id,
            account_id: conn.account_id,
            base_uri: conn.base_uri,
            auth: conn.auth,
            observer: conn.observer,
            tokens: TokenCache::new().with_clock(clock.clone()),
            clock,
            clock_notice: Mutex::new(None),
            rate: Mutex::new(None),
            templates_seen: Mutex::new(None),
            config: EsignConfig::default(),
            wait_hook: None,
            sleep: default_sleep(),
        }
    }

    /// Replaces the configuration (timeouts, retry policy, page size).
    pub fn with_config(mut self, config: EsignConfig) -> Self {
        self.oauth = self
            .oauth
            .clone()
            .with_first_byte_timeout(config.first_byte_timeout)
            .with_retry_policy(config.retry.clone());
        self.config = config;
        self
    }

    /// Reuses and keeps the access token in `store` across processes (the CLI: the OS
    /// keyring): a kept token is used until 10 minutes before its expiry in DocuSign's time,
    /// each new token is kept, and a 401 forgets it before the one re-mint. Before its first
    /// use in this client a kept token is shown to `/oauth/userinfo` (a call that does not
    /// count for Go-Live): its `Date` header tells DocuSign's time now, so a token DocuSign
    /// considers expired (its clock moved on while this computer's stood still) is replaced
    /// before any counted call. Without a store the token lives as long as this client.
    pub fn with_token_store(mut self, store: Arc<dyn crate::token_cache::TokenStore>) -> Self {
        self.tokens = TokenCache::with_store(store).with_clock(self.clock.clone());
        self
    }

    /// Calls `hook` before every wait (rate-limit reset, burst window, backoff), e.g. to show
    /// "waiting for the rate limit reset (42 s)" (`WaitEvent`'s `Display`).
    pub fn on_wait(mut self, hook: impl Fn(&WaitEvent) + Send + Sync + 'static) -> Self {
        let hook: WaitHook = Arc::new(hook);
        self.oauth = self.oauth.clone().with_wait_hook(Some(hook.clone()));
        self.wait_hook = Some(hook);
        self
    }

    /// Replaces how the client sleeps (default `tokio::time::sleep`). For tests: record the
    /// requested durations and return at once.
    pub fn with_sleeper(mut self, sleep: SleepFn) -> Self {
        self.oauth = self.oauth.clone().with_sleeper(sleep.clone());
        self.sleep = sleep;
        self
    }

    /// The configuration in force.
    pub fn config(&self) -> &EsignConfig {
        &self.config
    }

    /// The impersonated user's user ID (the assertion's `sub`).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The API Account ID the calls go to.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The base URI the calls go to.
    pub fn base_uri(&self) -> &BaseUri {
        &self.base_uri
    }

    /// How many access tokens this client has minted (1 for a session without expiry or 401).
    pub fn token_mints(&self) -> u64 {
        self.tokens.mint_count()
    }

    /// Keeps `templates` (the account's whole list, as [`EsignClient::list_templates`] gave it)
    /// as this client's latest template list, fetched now; replaces the one kept before. For ID
    /// checks that look a template up before the call DocuSign would refuse: the caller decides
    /// how long a kept list is good for ([`SeenTemplates::age`]). No call.
    pub fn keep_templates(&self, templates: &[crate::esign::EnvelopeTemplate]) {
        let kept = SeenTemplates {
            fetched: Instant::now(),
            templates: templates
                .iter()
                .filter_map(|t| Some((t.template_id.clone()?, t.name.clone())))
                .collect(),
        };
        *self
            .templates_seen
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(kept);
    }

    /// `f` of the template list this client kept last ([`EsignClient::keep_templates`]), or
    /// `None` when it kept none. No call.
    pub fn with_kept_templates<R>(&self, f: impl FnOnce(&SeenTemplates) -> R) -> Option<R> {
        self.templates_seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(f)
    }

    /// The latest `X-RateLimit-*` / `X-BurstLimit-*` values DocuSign sent, `None` before the
    /// first answer that carried them.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        *self.rate.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A valid token: the cached one, or a freshly minted one (JWT signed now, one hour).
    ///
    /// Freshness and the assertion's `iat`/`exp` use DocuSign's time ([`ServerClock`]): this
    /// computer's clock corrected by the latest DocuSign `Date` header, once one showed the two
    /// clocks more than [`clock::CLOCK_SKEW_TOLERANCE_SECS`] apart. When DocuSign refuses an
    /// assertion (`no_valid_keys_or_signatures` or `expired_grant`) and its `Date` header shows
    /// a clock other than the one the assertion was signed with, the assertion is signed again
    /// once with DocuSign's time and sent again; a token minted with a correction is reported
    /// once by [`EsignClient::take_clock_notice`].
    ///
    /// # Errors
    /// [`EsignError::Sign`], [`EsignError::Auth`] (consent_required, invalid_grant, …).
    pub async fn access_token(&self) -> Result<AccessToken, EsignError> {
        self.check_hosts()?;
        self.tokens
            .get_or_mint(
                || async {
                    let signed_for = self.clock.now();
                    let first = self.mint_at(signed_for).await;
                    let err = match first {
                        Ok(t) => return Ok(t),
                        Err(e) => e,
                    };
                    let EsignError::Auth(oauth_err) = &err else {
                        return Err(err);
                    };
                    let Some(skew) = clock::skew_to_correct(oauth_err, signed_for) else {
                        return Err(err); // not the clock, or already DocuSign's time
                    };
                    tracing::info!(
                        skew_seconds = skew,
                        "DocuSign's clock differs from this computer's: signing the assertion again with DocuSign's time"
                    );
                    self.mint_at(self.clock.now()).await
                },
                |kept| async move {
                    // Only an answer about the token drops it: DocuSign's 5xx or a network
                    // failure leaves it to the kept expiry, judged by DocuSign's time.
                    match self.oauth.userinfo(&kept).await {
                        Ok(_) => Confirmation::Accepted,
                        Err(e) if e.refuses_token() => Confirmation::Refused,
                        Err(_) => Confirmation::Unknown,
                    }
                },
            )
            .await
    }

    /// Signs an assertion for `now` (DocuSign's time as known) and asks for a token; a token
    /// minted with a clock correction in force leaves the notice to tell once.
    async fn mint_at(&self, now: SystemTime) -> Result<crate::oauth::TokenResponse, EsignError> {
        let correction = self.clock.offset();
        let claims = Claims::new(&self.integration_key, &self.user_id, &self.auth, now);
        let jwt = assertion::sign(&self.key, claims)?;
        let token = self.oauth.request_token(&jwt).await?;
        if let Some(skew) = correction {
            let mut n = self.clock_notice.lock().unwrap_or_else(|e| e.into_inner());
            if n.is_none() {
                *n = Some(ClockNotice::new(skew));
            }
        }
        Ok(token)
    }

    /// DocuSign's clock minus this computer's, in seconds, once a DocuSign answer showed them
    /// apart by more than [`clock::CLOCK_SKEW_TOLERANCE_SECS`]; `None` while no correction is
    /// in use.
    pub fn clock_offset(&self) -> Option<i64> {
        self.clock.offset()
    }

    /// DocuSign's clock as this client knows it (shared with its token call and cache).
    pub fn server_clock(&self) -> &Arc<ServerClock> {
        &self.clock
    }

    /// The notice that assertions now use DocuSign's time, the first time it is asked for
    /// after the correction made a token call succeed; `None` afterwards (say it once).
    pub fn take_clock_notice(&self) -> Option<ClockNotice> {
        self.clock_notice
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
            .and_then(|n| {
                if n.told {
                    None
                } else {
                    n.told = true;
                    Some(n.clone())
                }
            })
    }

    /// The rule that keeps tokens on DocuSign's hosts: with a DocuSign auth server (demo or
    /// production) the base URI must be a DocuSign host of the same environment
    /// ([`crate::environment::check_environment`]); otherwise no call at all is made, not even
    /// the token call. A custom auth server (the sandbox) may name any base URI.
    ///
    /// # Errors
    /// [`EsignError::Validation`] with code `base_uri_not_docusign` (naming the host) or
    /// `environment_mismatch`.
    pub fn check_hosts(&self) -> Result<(), EsignError> {
        crate::environment::check_environment(&self.auth, &self.base_uri).map_err(|e| {
            let code = match e {
                crate::environment::SettingError::BaseUriNotDocuSign { .. } => {
                    "base_uri_not_docusign"
                }
                _ => "environment_mismatch",
            };
            EsignError::validation(
                code,
                format!("{} — {}", capitalise(&e.to_string()), e.fix()),
            )
        })
    }

    /// Builds a call to `{base_uri}/restapi/v2.1/accounts/{accountId}/` + `segs`.
    pub(crate) fn call(&self, method: Method, segs: &[Seg<'_>]) -> Result<Call, EsignError> {
        self.check_hosts()?;
        let mut template = String::from("/restapi/v2.1/accounts/{accountId}");
        let mut url = self
            .base_uri
            .account_api_url(&utf8_percent_encode(&self.account_id, SEGMENT).to_string());
        let mut envelope_id = None;
        for s in segs {
            match s {
                Seg::Lit(l) => {
                    template.push('/');
                    template.push_str(l);
                    url.push('/');
                    url.push_str(l);
                }
                Seg::Id(name, v) => {
                    let v = v.trim();
                    if v.is_empty() {
                        let words = match *name {
                            "envelopeId" => "envelope ID",
                            "templateId" => "template ID",
                            "recipientId" => "recipient ID",
                            "documentId" => "document ID",
                            other => other,
                        };
                        return Err(EsignError::validation(
                            "empty_id",
                            format!("the {words} is empty"),
                        ));
                    }
                    if *name == "envelopeId" {
                        envelope_id = Some(v.to_string());
                    }
                    template.push_str("/{");
                    template.push_str(name);
                    template.push('}');
                    url.push('/');
                    url.push_str(&utf8_percent_encode(v, SEGMENT).to_string());
                }
            }
        }
        let url = url::Url::parse(&url).map_err(|e| {
            EsignError::validation("empty_id", format!("could not build the URL {url}: {e}"))
        })?;
        let repeatable = method == Method::GET || method == Method::PUT;
        Ok(Call {
            method,
            template,
            url,
            query: Vec::new(),
            body: None,
            envelope_id,
            repeatable,
            accept: "application/json",
            stream: false,
        })
    }

    async fn wait(&self, ev: WaitEvent) {
        tracing::info!(call = %ev.call, wait_ms = ev.wait.as_millis() as u64, "{ev}");
        if let Some(h) = &self.wait_hook {
            h(&ev);
        }
        (self.sleep)(ev.wait).await;
    }

    fn update_rate(&self, headers: &HeaderMap) {
        if let Some(rl) = RateLimit::from_headers(headers, SystemTime::now()) {
            *self.rate.lock().unwrap_or_else(|e| e.into_inner()) = Some(rl);
        }
    }

    fn forget_remaining(&self) {
        if let Some(r) = self.rate.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            r.remaining = None;
        }
    }

    /// Before a call: wait out a used-up hourly budget or burst window we already know of.
    async fn gate(&self, call: &Call) -> Result<(), EsignError> {
        let Some(rl) = self.rate_limit() else {
            return Ok(());
        };
        let now = SystemTime::now();
        let policy = &self.config.retry;
        if rl.remaining == Some(0) {
            if let Some(reset) = rl.reset_at.filter(|r| *r > now) {
                let wait =
                    reset.duration_since(now).unwrap_or(Duration::ZERO) + Duration::from_secs(1);
                if wait > policy.max_rate_limit_wait + Duration::from_secs(1) {
                    return Err(EsignError::RateLimited {
                        error_code: None,
                        reset_at: Some(reset),
                        message: "X-RateLimit-Remaining is 0: no calls are left this hour, so the call was not made".into(),
                    });
                }
                self.wait(WaitEvent {
                    reason: WaitReason::RateLimitReset,
                    wait,
                    reset_at: Some(reset),
                    call: call.label(),
                    retry: 0,
                })
                .await;
                self.forget_remaining();
            }
        }
        if rl.burst_remaining == Some(0) {
            let since = rl
                .observed_at
                .and_then(|t| now.duration_since(t).ok())
                .unwrap_or(Duration::ZERO);
            let wait = policy.burst_backoff.saturating_sub(since);
            if !wait.is_zero() {
                self.wait(WaitEvent {
                    reason: WaitReason::BurstLimit,
                    wait,
                    reset_at: None,
                    call: call.label(),
                    retry: 0,
                })
                .await;
            }
            if let Some(r) = self.rate.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
                r.burst_remaining = None;
            }
        }
        Ok(())
    }

    /// The call's record, begun with the observer before anything is sent.
    ///
    /// # Errors
    /// [`EsignError::NotRecorded`] when the observer cannot record it (the call is not sent).
    fn pending(&self, call: &Call) -> Result<Pending, EsignError> {
        let record = CallRecord {
            started_at: SystemTime::now(),
            kind: CallKind::Esignature,
            integration_key: self.integration_key.clone(),
            auth_host: self.auth.host().to_string(),
            method: call.method.as_str().to_string(),
            path_template: call.template.clone(),
            path: call.url.path().to_string(),
            envelope_id: call.envelope_id.clone(),
            status: None,
            error_code: None,
            duration_ms: 0,
        };
        let id = self
            .observer
            .begin(&record)
            .map_err(|reason| EsignError::NotRecorded { reason })?;
        Ok(Pending {
            observer: self.observer.clone(),
            started: Instant::now(),
            record: Some(record),
            id,
        })
    }

    /// Sends `call` under the policy; returns the 2xx answer with its record still open.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Answer, EsignError> {
        let mut reminted = false;
        let mut failures = 0u32;
        let mut rate_waits = 0u32;
        let mut retries = 0u32;
        loop {
            self.gate(call).await?;
            let token = self.access_token().await?;
            let pending = self.pending(call)?;
            let mut rb = self
                .http
                .request(call.method.clone(), call.url.clone())
                .bearer_auth(token.secret())
                .header(ACCEPT, call.accept)
                .timeout(if call.stream {
                    self.config.download_total_timeout
                } else {
                    self.config.timeout
                });
            if !call.query.is_empty() {
                rb = rb.query(&call.query);
            }
            if let Some(b) = &call.body {
                rb = rb.json(b);
            }
            // Send (the response head within the first-byte timeout), and read the body
            // unless it is a 2xx download.
            let head = self.config.first_byte_timeout;
            let result = match tokio::time::timeout(head, rb.send()).await {
                Err(_) => Err((
                    crate::oauth::no_answer_reason(call.url.as_str(), head),
                    "timeout",
                )),
                Ok(Err(e)) => Err(transport_of(&e)),
                Ok(Ok(resp)) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    if let Some(date) = crate::oauth::date_of(&headers) {
                        self.clock.observe(date, SystemTime::now());
                    }
                    self.update_rate(&headers);
                    pending.answered(status);
                    if call.stream && (200..300).contains(&status) {
                        return Ok(Answer {
                            status,
                            headers,
                            body: Body::Stream(resp),
                            pending,
                        });
                    }
                    match resp.bytes().await {
                        Ok(b) => Ok((status, headers, b.to_vec())),
                        Err(e) => Err(transport_of(&e)),
                    }
                }
            };
            let now = SystemTime::now();
            let jitter: f64 = rand::random();
            let (status, headers, bytes) = match result {
                Err((reason, class)) => {
                    pending.finish(None, Some(class.to_string()));
                    failures += 1;
                    let outcome = AttemptOutcome {
                        status: None,
                        error_code: None,
                        transport_class: Some(class),
                        reset_at: None,
                        retry_after: None,
                        repeatable: call.repeatable,
                        reminted,
                        failures,
                        rate_waits,
                        now,
                        jitter,
                    };
                    match classify(&outcome, &self.config.retry) {
                        Decision::Retry {
                            wait,
                            reason: why,
                            reset_at,
                        } => {
                            retries += 1;
                            self.wait(WaitEvent {
                                reason: why,
                                wait,
                                reset_at,
                                call: call.label(),
                                retry: retries,
                            })
                            .await;
                            continue;
                        }
                        _ => {
                            return Err(EsignError::Transport {
                                method: call.method.to_string(),
                                path: call.url.path().to_string(),
                                reason,
                                class,
                            })
                        }
                    }
                }
                Ok(x) => x,
            };
            if (200..300).contains(&status) {
                return Ok(Answer {
                    status,
                    headers,
                    body: Body::Full(bytes),
                    pending,
                });
            }
            let details: ErrorDetails = serde_json::from_slice(&bytes).unwrap_or_default();
            let code = details.error_code.clone().filter(|c| !c.trim().is_empty());
            pending.finish(Some(status), code.clone());
            if retry::is_transient_failure(Some(status)) {
                failures += 1;
            }
            let rl = RateLimit::from_headers(&headers, now);
            let outcome = AttemptOutcome {
                status: Some(status),
                error_code: code.as_deref(),
                transport_class: None,
                reset_at: rl.and_then(|r| r.reset_at),
                retry_after: retry::retry_after(&headers),
                repeatable: call.repeatable,
                reminted,
                failures,
                rate_waits,
                now,
                jitter,
            };
            let message = details
                .message
                .clone()
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| {
                    let e = excerpt(&bytes, 300);
                    if e.is_empty() {
                        format!("HTTP {status} with an empty body")
                    } else {
                        e
                    }
                });
            match classify(&outcome, &self.config.retry) {
                Decision::ReMint => {
                    tracing::info!(call = %call.label(), "401 from DocuSign: minting a new token and retrying once");
                    self.tokens.invalidate().await;
                    reminted = true;
                    continue;
                }
                Decision::Retry {
                    wait,
                    reason,
                    reset_at,
                } => {
                    if matches!(
                        reason,
                        WaitReason::HourlyLimitExceeded | WaitReason::BurstLimit
                    ) {
                        rate_waits += 1;
                    }
                    retries += 1;
                    self.wait(WaitEvent {
                        reason,
                        wait,
                        reset_at,
                        call: call.label(),
                        retry: retries,
                    })
                    .await;
                    if reset_at.is_some() {
                        // We waited for the reset: the old "0 remaining" no longer holds.
                        self.forget_remaining();
                    }
                    continue;
                }
                Decision::RateLimited { reset_at } => {
                    let message = if code.is_none() && details.message.is_none() {
                        format!("HTTP {status}: DocuSign asked to slow down")
                    } else {
                        message
                    };
                    return Err(EsignError::RateLimited {
                        error_code: code,
                        reset_at,
                        message,
                    });
                }
                // Done cannot happen here (2xx returned above).
                Decision::Fail | Decision::Done => {
                    let fix = code.as_deref().and_then(fix_for).or(if status == 401 {
                        fix_for("USER_AUTHENTICATION_FAILED")
                    } else {
                        None
                    });
                    return Err(EsignError::Api {
                        status,
                        error_code: code,
                        message,
                        fix: fix.map(String::from),
                        method: call.method.to_string(),
                        path: call.url.path().to_string(),
                    });
                }
            }
        }
    }

    /// Sends `call` and decodes the JSON answer as `T` (an empty body decodes as `{}`).
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T, EsignError> {
        let ans = self.execute(&call).await?;
        let Body::Full(bytes) = ans.body else {
            ans.pending.finish(Some(ans.status), None);
            return Err(EsignError::Decode {
                path: call.url.path().to_string(),
                reason: "expected a JSON body".into(),
                excerpt: String::new(),
            });
        };
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        let mut de = serde_json::Deserializer::from_slice(text);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(v) => {
                ans.pending.finish(Some(ans.status), None);
                Ok(v)
            }
            Err(e) => {
                ans.pending
                    .finish(Some(ans.status), Some("unexpected_body".into()));
                let path = e.path().to_string();
                let reason = if path == "." || path.is_empty() {
                    e.inner().to_string()
                } else {
                    format!("at {path}: {}", e.inner())
                };
                Err(EsignError::Decode {
                    path: call.url.path().to_string(),
                    reason,
                    excerpt: excerpt(&bytes, 200),
                })
            }
        }
    }

    pub(crate) fn idle_timeout(&self) -> Duration {
        self.config.download_idle_timeout
    }
}
