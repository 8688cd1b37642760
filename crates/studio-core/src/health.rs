//! The health check: sign a JWT → `/oauth/token` → `/oauth/userinfo` → the
//! account is among the token's accounts → the base URI matches that account's.
//!
//! The report is an ordered list of steps (`settings`, `key`, `assertion`,
//! `token`, `userinfo`, `account`, `base_uri`), each passed, failed or skipped,
//! with a stable code, a message in plain words and a fix. Failing codes use
//! the seed guide's troubleshooting names (`consent_required`,
//! `invalid_grant`, `key_load_failed`, `account_not_accessible`,
//! `base_uri_mismatch`) with the finer reason in `detail`.
//!
//! A clock problem does not hide what is behind it: when DocuSign refuses the assertion
//! because this computer's clock is off (`invalid_grant`, detail `clock_skew`), the token step
//! stays failed for it (other programs using this key on this computer are refused too), and
//! the assertion is signed once more with DocuSign's time (its `Date` header); what DocuSign
//! says to that is in the token step's `with_docusign_time` (e.g. `consent_required`), and when
//! it issues a token the later steps run with it.

use crate::problem::{counted, AsProblem, Code, Hint, Problem};
use docusign_api::assertion::{self, Claims};
use docusign_api::clock;
use docusign_api::consent::consent_url;
use docusign_api::environment::{self, AuthServer, AuthServerKind, BaseUri};
use docusign_api::key::{self, LoadedKey};
use docusign_api::oauth::{
    self, InvalidGrantReason, OAuthClient, OAuthError, OAuthErrorKind, TokenResponse, UserInfo,
};
use serde::Serialize;
use std::time::SystemTime;

/// Clock difference with the server, in seconds, past which the check says
/// the computer's clock is wrong (DocuSign refuses assertions from the future). The
/// difference itself is measured in one place, [`docusign_api::clock`].
pub const CLOCK_SKEW_LIMIT_SECS: i64 = 300;

/// What the health check needs: the settings as typed and the key (defined beside the
/// session that checks them, [`crate::session::check_settings`]).
pub use crate::session::CheckInput;

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum StepName {
    /// The typed fields: IDs, auth server, base URI, environments agree.
    Settings,
    /// The RSA private key loads.
    Key,
    /// The JWT assertion is signed.
    Assertion,
    /// `/oauth/token` gives an access token.
    Token,
    /// `/oauth/userinfo` answers.
    Userinfo,
    /// The account ID is among the token's accounts.
    Account,
    /// The base URI equals that account's.
    BaseUri,
}

impl StepName {
    /// All steps in order.
    pub const ALL: [StepName; 7] = [
        StepName::Settings,
        StepName::Key,
        StepName::Assertion,
        StepName::Token,
        StepName::Userinfo,
        StepName::Account,
        StepName::BaseUri,
    ];

    /// A short title for people.
    pub fn title(self) -> &'static str {
        match self {
            StepName::Settings => "Settings",
            StepName::Key => "RSA private key",
            StepName::Assertion => "JWT assertion",
            StepName::Token => "Access token",
            StepName::Userinfo => "User info",
            StepName::Account => "Account",
            StepName::BaseUri => "Base URI",
        }
    }

    /// What the step proves, in one sentence for people who do not know OAuth (the desktop
    /// app's health view shows it under the title).
    pub fn help(self) -> &'static str {
        match self {
            StepName::Settings => {
                "The IDs and addresses are well formed and belong to the same environment."
            }
            StepName::Key => "The private key can be read.",
            StepName::Assertion => "The app can sign a JWT assertion with that key.",
            StepName::Token => "DocuSign accepts the assertion and issues an access token.",
            StepName::Userinfo => "DocuSign says which accounts this user can act on.",
            StepName::Account => "The account you chose is one of them.",
            StepName::BaseUri => "The base URI is the one this account lives on.",
        }
    }
}

/// Passed, failed, or not run because an earlier step failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum StepStatus {
    /// It worked.
    Passed,
    /// It failed: see code, message, fix.
    Failed,
    /// Not run because an earlier step failed.
    Skipped,
}

/// DocuSign's own error words, verbatim (field case F18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocuSignError {
    /// HTTP status.
    pub status: u16,
    /// `error` (OAuth) or the body's start.
    pub error: String,
    /// `error_description`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub error_description: Option<String>,
}

/// One step of the report: which step, whether it passed, and its problem (`ok` when passed).
/// Reads as its [`Problem`] (`step.code`, `step.fix()`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Step {
    /// Which step.
    pub step: StepName,
    /// True when passed.
    pub ok: bool,
    /// Passed / failed / skipped.
    pub status: StepStatus,
    /// The problem: `ok`, `skipped` or the failure's code; the finer reason (`public_key`,
    /// `no_valid_keys_or_signatures`, …); what happened, in plain words; what to do (`null`
    /// when passed). Never a field.
    #[serde(flatten)]
    pub problem: Problem,
    /// DocuSign's answer verbatim, when DocuSign refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub docusign_error: Option<DocuSignError>,
    /// A value to use instead (the account's base URI, the consent URL), for one-click fixes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub suggested_value: Option<String>,
    /// The technical words behind a failure (the network library's error, an unexpected
    /// answer), for a "Details" fold; `message` says it in plain words.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub details: Option<String>,
    /// What was normalised on the way, and warnings that do not fail the step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub notes: Vec<String>,
    /// The front-end move the fix needs, for the front end to name in its own words
    /// (see [`HealthReport::with_hint_words`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub hint: Option<Hint>,
    /// Only on a token step failed for this computer's clock (`clock_skew`): the same step
    /// once more with the assertion signed with DocuSign's time, i.e. what is behind the clock
    /// problem (passed, or e.g. `consent_required`). This step stays failed either way.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub with_docusign_time: Option<Box<Step>>,
}

impl std::ops::Deref for Step {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.problem
    }
}

impl Step {
    fn new(step: StepName, status: StepStatus, problem: Problem) -> Self {
        Step {
            step,
            ok: status == StepStatus::Passed,
            status,
            problem,
            docusign_error: None,
            suggested_value: None,
            details: None,
            notes: vec![],
            hint: None,
            with_docusign_time: None,
        }
    }
    fn passed(step: StepName, message: impl Into<String>) -> Self {
        Step::new(
            step,
            StepStatus::Passed,
            Problem::new(Code::Ok, message, ""),
        )
    }
    fn failed(
        step: StepName,
        code: Code,
        detail: Option<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        let mut problem = Problem::new(code, message, fix);
        problem.detail = detail;
        Step::new(step, StepStatus::Failed, problem)
    }
    fn skipped(step: StepName, because: StepName) -> Self {
        let detail = format!(
            "{}_failed",
            serde_json::to_value(because)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        );
        let message = format!(
            "Not run: the {} step failed.",
            because.title().to_lowercase()
        );
        Step::new(
            step,
            StepStatus::Skipped,
            Problem::new(Code::Skipped, message, "").with_detail(detail),
        )
    }
    fn with_details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }
    fn with_notes(mut self, notes: Vec<String>) -> Self {
        self.notes = notes;
        self
    }
    fn with_hint(mut self, hint: Hint) -> Self {
        self.hint = Some(hint);
        self
    }
}

/// An account the token can act on (for the wizard's account picker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountChoice {
    /// API Account ID.
    pub account_id: String,
    /// Display name.
    pub account_name: String,
    /// Base URI (host only).
    pub base_uri: String,
    /// The user's default account.
    pub is_default: bool,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HealthReport {
    /// True when every step passed.
    pub ok: bool,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// `demo`, `production` or `custom`, when the auth server parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub environment: Option<AuthServerKind>,
    /// Where the check ran, in words for a heading, when the auth server parsed:
    /// [`environment_label`] (`demo`, `production`, `sandbox`, or `custom auth server HOST`).
    /// Not serialized: the JSON keeps `environment`.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub environment_label: Option<String>,
    /// The key's public fingerprint, when it loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub key_fingerprint: Option<String>,
    /// The accounts the token can act on, when userinfo answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub accounts: Option<Vec<AccountChoice>>,
    /// The consent URL, when consent is what is missing and a redirect URI is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub consent_url: Option<String>,
    /// DocuSign's clock minus this computer's, in seconds (positive: this computer is behind),
    /// when DocuSign's `Date` header showed them more than [`CLOCK_SKEW_LIMIT_SECS`] apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub clock_skew_seconds: Option<i64>,
    /// The warning verdict when this computer's clock is all that failed
    /// ([`HealthReport::clock_warning()`], set when the check finishes), a sentence naming the gap:
    /// the front ends then say "Works, with a warning" rather than "not healthy". Absent
    /// otherwise; `ok` stays false either way.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub clock_warning: Option<String>,
}

impl HealthReport {
    /// The first failed step, if any.
    pub fn first_failure(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status == StepStatus::Failed)
    }

    /// The token step as DocuSign's time shows it: its `with_docusign_time` when the clock
    /// failed it (what is behind the clock problem), otherwise the token step itself.
    pub fn token_behind_the_clock(&self) -> Option<&Step> {
        let t = self.steps.iter().find(|s| s.step == StepName::Token)?;
        Some(t.with_docusign_time.as_deref().unwrap_or(t))
    }

    /// The warning verdict, when this computer's clock is all that failed: the token step
    /// failed for `clock_skew` alone, and signed with DocuSign's time the token and every later
    /// step passed. The Studio's own checks and actions then work (they sign with DocuSign's
    /// time); `ok` stays false, as other programs using this key on this computer are refused.
    /// E.g. "This computer's clock is 24 hours behind DocuSign's. The Studio signs …".
    pub fn clock_warning(&self) -> Option<String> {
        let skew = self.clock_skew_seconds?;
        let failed: Vec<&Step> = self.steps.iter().filter(|s| !s.ok).collect();
        let clock_only = !failed.is_empty()
            && failed.iter().all(|s| {
                s.step == StepName::Token
                    && s.problem.detail.as_deref() == Some("clock_skew")
                    && s.with_docusign_time.as_deref().is_some_and(|b| b.ok)
            });
        clock_only.then(|| format!(
            "{}. The Studio signs its requests with DocuSign's time, so its checks and actions work; other programs that use this key on this computer are refused until the clock is set right.",
            clock::describe(skew)
        ))
    }

    /// The same report with a front end's own `words` for each step's [`Hint`] added to the
    /// step's fix (the CLI names its command or flag, the desktop its screen or button).
    pub fn with_hint_words(mut self, words: impl Fn(Hint) -> &'static str) -> Self {
        let add = |s: &mut Step| {
            if let Some(h) = s.hint {
                s.problem.fix = crate::problem::fix_with_words(&s.problem.fix, words(h));
            }
        };
        for s in &mut self.steps {
            add(s);
            if let Some(b) = s.with_docusign_time.as_deref_mut() {
                add(b);
            }
        }
        self
    }
}

use crate::session::Settings as Ctx;

/// The settings step's note when the user ID and the account ID are one ID: it cannot tell which
/// of the two was copied into the other, so it names both (found by a fresh-user run: it used to
/// blame the user ID, after a doubled "note: warning:").
const SAME_USER_AND_ACCOUNT_ID: &str = "the user ID and the account ID are the same ID, but they are two different IDs: the user ID is the API Username (Users and Groups), the account ID is the API Account ID (Apps and Keys); one of them was probably copied into the other";

/// Where a check of `auth` ran, in words: `demo`, `production`, `sandbox` (the Studio's
/// emulator: `sandbox` is true, a saved connection of the sandbox environment) or `custom auth
/// server HOST[:PORT]` (a custom auth server given by itself need not be the sandbox).
pub fn environment_label(auth: &AuthServer, sandbox: bool) -> String {
    match auth.kind() {
        AuthServerKind::Custom if sandbox => "sandbox".into(),
        AuthServerKind::Custom => format!("custom auth server {}", auth.host()),
        kind => kind.to_string(),
    }
}

fn settings_step(input: &CheckInput) -> (Step, Option<Ctx>) {
    let result = crate::session::check_settings(input).and_then(|ctx| {
        if let Some(r) = &input.redirect_uri {
            environment::check_redirect_uri(r)?;
        }
        Ok(ctx)
    });
    match result {
        Ok(ctx) => {
            let mut notes: Vec<String> = ctx
                .auth
                .notes
                .iter()
                .map(|n| format!("auth server: {n}"))
                .chain(ctx.base_uri.notes.iter().map(|n| format!("base URI: {n}")))
                .collect();
            if ctx.user_id.eq_ignore_ascii_case(&ctx.account_id) {
                notes.push(SAME_USER_AND_ACCOUNT_ID.into());
            }
            let env = match ctx.auth.kind() {
                AuthServerKind::Demo => "Demo (developer) environment",
                AuthServerKind::Production => "Production environment",
                AuthServerKind::Custom if input.sandbox => "The Studio's sandbox",
                AuthServerKind::Custom => "Custom auth server",
            };
            let msg = format!(
                "{env}: auth server {}, base URI {}",
                ctx.auth.host(),
                ctx.base_uri
            );
            (
                Step::passed(StepName::Settings, msg).with_notes(notes),
                Some(ctx),
            )
        }
        Err(e) => (
            Step::new(StepName::Settings, StepStatus::Failed, e.problem()),
            None,
        ),
    }
}

fn key_step(input: &CheckInput) -> (Step, Option<LoadedKey>) {
    match key::load_private_key_bytes(input.private_key.expose()) {
        Ok(loaded) => {
            let info = &loaded.info;
            let msg = format!(
                "RSA {}-bit private key ({}); public key fingerprint {}",
                info.bits,
                match info.format {
                    key::KeyFormat::Pkcs1 => "PKCS#1",
                    key::KeyFormat::Pkcs8 => "PKCS#8",
                    _ => "RSA",
                },
                info.fingerprint
            );
            let notes = info
                .notes
                .iter()
                .map(|n| format!("key: {}", n.message()))
                .collect();
            (
                Step::passed(StepName::Key, msg).with_notes(notes),
                Some(loaded),
            )
        }
        Err(e) => (
            Step::failed(
                StepName::Key,
                Code::KeyLoadFailed,
                Some(e.detail().into()),
                format!("Failed to load RSA private key: {e}"),
                e.fix(),
            )
            .with_hint(Hint::for_key(&e)),
            None,
        ),
    }
}

fn skew_secs(server: Option<SystemTime>, local: SystemTime) -> Option<i64> {
    Some(clock::skew_seconds(server?, local))
}

fn env_name(auth: &AuthServer) -> String {
    match auth.kind() {
        AuthServerKind::Custom => format!("the environment at {}", auth.host()),
        k => format!("the {k} environment"),
    }
}

fn token_failure(
    ctx: &Ctx,
    input: &CheckInput,
    fingerprint: &str,
    err: &OAuthError,
    sent_at: SystemTime,
) -> (Step, Option<String>) {
    let skew = skew_secs(err.server_date(), sent_at).filter(|s| s.abs() > CLOCK_SKEW_LIMIT_SECS);
    let env = env_name(&ctx.auth);
    let consent = input
        .redirect_uri
        .as_deref()
        .map(|r| consent_url(&ctx.auth, &ctx.integration_key, r, None));
    let mut step = match err {
        OAuthError::OAuth {
            status,
            kind,
            error,
            description,
            ..
        } => {
            let mut s = match kind {
                OAuthErrorKind::ConsentRequired => {
                    let how = match &consent {
                        Some(u) => format!("Open this consent URL, sign in as the user {} and click Allow: {u}", ctx.user_id),
                        None => format!("Open the consent page of integration key {} (its address needs a redirect URI registered on the key), sign in as the user {} and click Allow.", ctx.integration_key, ctx.user_id),
                    };
                    let step = Step::failed(
                        StepName::Token,
                        Code::ConsentRequired,
                        Some("consent_required".into()),
                        format!("The user {} has not granted consent to integration key {} in {env} (for the scopes \"signature impersonation\").", ctx.user_id, ctx.integration_key),
                        format!("{how} Consent is per user and per environment: sign in with the same account membership as this user; production needs its own consent after Go-Live."),
                    );
                    match consent {
                        Some(_) => step,
                        None => step.with_hint(Hint::MakeConsentUrl),
                    }
                }
                OAuthErrorKind::InvalidGrant(reason) => {
                    let (message, fix) = invalid_grant_words(reason, ctx, &env, fingerprint, skew);
                    let detail = if skew.is_some()
                        && matches!(
                            reason,
                            InvalidGrantReason::NoValidKeysOrSignatures
                                | InvalidGrantReason::ExpiredGrant
                        ) {
                        "clock_skew".to_string()
                    } else {
                        reason.detail()
                    };
                    let step =
                        Step::failed(StepName::Token, Code::InvalidGrant, Some(detail), message, fix);
                    match (reason, skew) {
                        (InvalidGrantReason::NoValidKeysOrSignatures, None) => {
                            step.with_hint(Hint::ShowPublicKey)
                        }
                        _ => step,
                    }
                }
                OAuthErrorKind::ExpiredGrant => Step::failed(
                    StepName::Token,
                    Code::InvalidGrant,
                    Some(if skew.is_some() {
                        "clock_skew".into()
                    } else {
                        "expired_grant".into()
                    }),
                    expired_words("expired_grant", skew),
                    clock_fix(skew),
                ),
                OAuthErrorKind::UnsupportedGrantType => Step::failed(
                    StepName::Token,
                    Code::InvalidGrant,
                    Some("unsupported_grant_type".into()),
                    "DocuSign did not accept the grant type (unsupported_grant_type).",
                    "This is a bug in the Studio, not your settings: please report it.",
                ),
                _ => Step::failed(
                    StepName::Token,
                    Code::TokenRequestFailed,
                    Some(error.clone()),
                    format!(
                        "DocuSign refused the token request (HTTP {status}): {error}{}",
                        description
                            .as_deref()
                            .map(|d| format!(" / {d}"))
                            .unwrap_or_default()
                    ),
                    "DocuSign's own words are shown above; check the settings, then try again.",
                ),
            };
            s.docusign_error = Some(DocuSignError {
                status: *status,
                error: error.clone(),
                error_description: description.clone(),
            });
            s
        }
        OAuthError::Http { status, body, .. } => {
            let mut s = if *status >= 500 {
                Step::failed(StepName::Token, Code::DocusignUnavailable, Some(format!("http_{status}")), format!("The auth server {} answered HTTP {status}: DocuSign had a problem on its side.", ctx.auth.host()), "Try again in a few minutes; check status.docusign.com if it persists.")
            } else {
                Step::failed(
                    StepName::Token,
                    Code::TokenRequestFailed,
                    Some(format!("http_{status}")),
                    format!(
                        "The auth server {} answered HTTP {status} without an OAuth error.",
                        ctx.auth.host()
                    ),
                    "Check that the auth server is right for this environment.",
                )
            };
            s.docusign_error = Some(DocuSignError {
                status: *status,
                error: body.clone(),
                error_description: None,
            });
            s
        }
        OAuthError::Decode { reason, .. } => Step::failed(
            StepName::Token,
            Code::TokenRequestFailed,
            Some("unexpected_body".into()),
            format!(
                "{} answered with something that is not a DocuSign token.",
                ctx.auth.host()
            ),
            "Check that the environment is DocuSign's demo or production, or the sandbox.",
        )
        .with_details(reason.clone()),
        OAuthError::Transport { class, reason, .. } => {
            transport_step(StepName::Token, &ctx.auth, class, reason, input)
        }
        // F38: a token without a user; every later call would fail with 401.
        OAuthError::NotUserToken { token_type } => Step::failed(StepName::Token, Code::ApplicationToken, Some(token_type.to_ascii_lowercase()), "DocuSign issued an application token (no user). The eSignature API needs a user token.".to_string(), format!("Fill in the User ID (the API Username GUID from Apps and Keys) of the user {} acts for.", ctx.integration_key)),
        #[allow(unreachable_patterns)]
        other => Step::failed(
            StepName::Token,
            Code::TokenRequestFailed,
            None,
            format!("The token request to {} failed.", ctx.auth.host()),
            "Try again.",
        )
        .with_details(other.to_string()),
    };
    // 429 / 5xx (after the client's retries): the token server's trouble, whatever the body,
    // in the same words the actions use (`token_server_trouble`).
    if let OAuthError::OAuth { status, .. } | OAuthError::Http { status, .. } = err {
        if let Some((code, message, fix)) = token_server_trouble(ctx.auth.host(), *status) {
            step.problem = Problem::new(code, message, fix).with_detail(format!("http_{status}"));
        }
    }
    if let Some(u) = &consent {
        if step.problem.code == Code::ConsentRequired {
            step.suggested_value = Some(u.clone());
        }
    }
    (
        step,
        consent.filter(|_| {
            matches!(
                err,
                OAuthError::OAuth {
                    kind: OAuthErrorKind::ConsentRequired,
                    ..
                }
            )
        }),
    )
}

/// "DocuSign says the assertion has expired (…): this computer's clock is N minutes behind
/// DocuSign's." (the clock part when the `Date` header showed it).
fn expired_words(code: &str, skew: Option<i64>) -> String {
    match skew {
        Some(s) => format!(
            "DocuSign says the assertion has expired ({code}): {}.",
            clock::describe_lower(s)
        ),
        None => format!("DocuSign says the assertion has expired ({code})."),
    }
}

fn clock_fix(skew: Option<i64>) -> String {
    match skew {
        Some(s) => format!("{}: turn on \"Set time automatically\" in the system settings, then run the check again.", clock::describe(s)),
        None => "Check that this computer's date, time and time zone are right (set them automatically), then run the check again.".into(),
    }
}

fn invalid_grant_words(
    reason: &InvalidGrantReason,
    ctx: &Ctx,
    env: &str,
    fingerprint: &str,
    skew: Option<i64>,
) -> (String, String) {
    let ik = &ctx.integration_key;
    match reason {
        InvalidGrantReason::NoValidKeysOrSignatures if skew.is_some() => (
            format!("DocuSign could not accept the assertion (invalid_grant / no_valid_keys_or_signatures) and {}.", clock::describe_lower(skew.unwrap_or(0))),
            clock_fix(skew),
        ),
        // The Studio's sandbox has no Apps and Keys page: it knows only the pair it made.
        InvalidGrantReason::NoValidKeysOrSignatures if ctx.auth.kind() == AuthServerKind::Custom => (
            format!("The sandbox does not know this private key (fingerprint {fingerprint}): it knows only the key pair it made for integration key {ik} (invalid_grant / no_valid_keys_or_signatures)."),
            "The sandbox has no Apps and Keys page to add a public key to. Use the private key the sandbox made for this connection instead of this one; to use a key of your own, connect to DocuSign's demo environment.".into(),
        ),
        InvalidGrantReason::NoValidKeysOrSignatures => (
            format!("DocuSign could not verify the assertion's signature with any RSA public key registered on integration key {ik} in {env} (invalid_grant / no_valid_keys_or_signatures). This key's fingerprint is {fingerprint}."),
            format!("In {} > Apps and Keys > (your app) > Service Integration, add the public key of this private key, or use the private key of the pair that is registered there. After Go-Live, production needs the key re-added: keys do not carry over from demo.", ctx.auth.admin_console()),
        ),
        InvalidGrantReason::IssuerNotFound => (
            format!("Integration key {ik} was not found in {env} (invalid_grant / issuer_not_found)."),
            match ctx.auth.kind() {
                AuthServerKind::Production => "Check the integration key for a missing or extra character. A key from a developer account works in production only after Go-Live and after adding it to the production account (Apps and Keys > Add an Application via Integration Key); before that, use the demo environment.".into(),
                _ => "Check the integration key for a missing or extra character, and that it was created in this environment (a developer account's keys live in demo).".into(),
            },
        ),
        InvalidGrantReason::UserNotFound | InvalidGrantReason::InvalidSubject => (
            format!("The user ID {} is not an active user in {env} (invalid_grant / {}).", ctx.user_id, reason.detail()),
            format!("Copy the API Username (an ID of 36 letters and digits, not an email) from {} > Users and Groups > Users > (the user), in the same DocuSign account that owns integration key {ik}. Production users have other IDs than demo users.", ctx.auth.admin_console()),
        ),
        InvalidGrantReason::ExpiredGrant => (expired_words("invalid_grant / expired_grant", skew), clock_fix(skew)),
        InvalidGrantReason::UnsupportedGrantType => ("DocuSign did not accept the grant type (invalid_grant / unsupported_grant_type).".into(), "This is a bug in the Studio, not your settings: please report it.".into()),
        InvalidGrantReason::Unspecified | InvalidGrantReason::Other(_) => (
            format!("DocuSign refused the assertion (invalid_grant{}).", match reason { InvalidGrantReason::Other(d) => format!(" / {d}"), _ => String::new() }),
            format!("Wrong user ID, or the user is in a different DocuSign account than the integration key: verify the User ID was copied from the same DocuSign account that owns integration key {ik}."),
        ),
    }
}

/// F40: asks DocuSign which account a short account number is. Signs in with the other
/// settings (token, userinfo), then reads `GET /restapi/v2.1/accounts/{accountId}` of each of
/// the user's own accounts (by their GUIDs, at most 20, stopping at the match) and compares its
/// `externalAccountId` ("The Account ID displayed on the user's Account page", spec
/// `accountInformation`) with the number. The number itself is never sent in a path: a number
/// that is not the user's would be refused (HTTP 400 USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT)
/// and reset the Go-Live streak (found by a fresh user). Returns the matching account and
/// every account of the user; `None` when none matches or anything fails (the settings step
/// keeps its own fix).
async fn resolve_account_number(
    input: &CheckInput,
    key: &docusign_api::key::PrivateKey,
) -> Option<(AccountChoice, Vec<AccountChoice>)> {
    use docusign_api::esign::{ClientParts, EsignClient};
    let number = input.account_id.trim().to_string();
    let mut probe = input.clone();
    // Any GUID: only the account ID is wrong, and it is not used for the token.
    probe.account_id = "00000000-0000-4000-8000-000000000000".into();
    let ctx = crate::session::check_settings(&probe).ok()?;
    let http = oauth::http_client(input.ca_cert_pem.as_deref(), input.total_timeout()).ok()?;
    let mut client = OAuthClient::new(ctx.auth.clone(), http.clone())
        .with_first_byte_timeout(input.first_byte_timeout());
    if let Some(o) = &input.observer {
        client = client.with_observer(o.clone(), ctx.integration_key.clone());
    }
    let claims = Claims::new(
        &ctx.integration_key,
        &ctx.user_id,
        &ctx.auth,
        SystemTime::now(),
    );
    let jwt = assertion::sign(key, claims).ok()?;
    let token = client.request_token(&jwt).await.ok()?;
    let info = client.userinfo(&token.access_token).await.ok()?;
    let choices: Vec<AccountChoice> = info
        .accounts
        .iter()
        .map(|a| AccountChoice {
            account_id: a.account_id.clone(),
            account_name: a.account_name.clone(),
            base_uri: a.base_uri.clone(),
            is_default: a.is_default,
        })
        .collect();
    let observer: std::sync::Arc<dyn docusign_api::observe::CallObserver> = match &input.observer {
        Some(o) => o.clone(),
        None => std::sync::Arc::new(docusign_api::observe::NoObserver),
    };
    let key = std::sync::Arc::new(key.clone());
    for a in info.accounts.iter().take(20) {
        let Ok(base_uri) = BaseUri::parse(&a.base_uri) else {
            continue;
        };
        let esign = EsignClient::new(ClientParts {
            auth: ctx.auth.clone(),
            http: http.clone(),
            key: key.clone(),
            integration_key: ctx.integration_key.clone(),
            user_id: ctx.user_id.clone(),
            account_id: a.account_id.clone(),
            base_uri,
            observer: observer.clone(),
        })
        .with_config(docusign_api::esign::EsignConfig {
            first_byte_timeout: input.first_byte_timeout(),
            timeout: input.total_timeout(),
            ..Default::default()
        });
        let Ok(found) = esign.get_account_information().await else {
            continue;
        };
        if found.external_account_id.as_deref().map(str::trim) != Some(number.as_str()) {
            continue;
        }
        if let Some(c) = choices.iter().find(|c| c.account_id == a.account_id) {
            return Some((c.clone(), choices));
        }
    }
    None
}

fn transport_step(
    step: StepName,
    auth: &AuthServer,
    class: &str,
    reason: &str,
    input: &CheckInput,
) -> Step {
    let sandbox = auth.kind() == AuthServerKind::Custom;
    let host = auth.host();
    let step = match class {
        "tls" => Step::failed(
            step,
            Code::TlsUntrusted,
            Some("tls".into()),
            format!("The HTTPS certificate of {host} is not trusted, so the app did not send anything to it."),
            match (sandbox, input.ca_cert_pem.is_some()) {
                (true, false) => "The sandbox's certificate was not given: it is in the ca_cert file the sandbox writes when it starts.".to_string(),
                (true, true) => "Start the sandbox again: it gives the app its certificate.".to_string(),
                _ => crate::messages::TLS_INSPECTION_FIX.to_string(),
            },
        ),
        "timeout" if sandbox => Step::failed(
            step,
            Code::NetworkUnreachable,
            Some("timeout".into()),
            format!("The sandbox at {host} did not answer in time (it may be busy or stuck)."),
            "Start the sandbox again, then try again.",
        ),
        _ if sandbox => Step::failed(
            step,
            Code::NetworkUnreachable,
            Some(class.into()),
            format!("Could not reach the sandbox at {host}: it is not running."),
            "Start the sandbox again.",
        )
        .with_hint(Hint::StartSandbox),
        "timeout" => Step::failed(
            step,
            Code::NetworkUnreachable,
            Some("timeout".into()),
            format!("Could not reach {host}: it did not answer in time (a slow or broken connection, or a firewall)."),
            "Check the internet connection, then try again.",
        ),
        _ => Step::failed(
            step,
            Code::NetworkUnreachable,
            Some(class.into()),
            format!("Could not reach {host}: no connection, or a firewall blocks it."),
            format!("Check the internet connection, and that a firewall or proxy lets this computer reach {host} over HTTPS (port 443); then try again."),
        ),
    };
    let step = match (class, sandbox, input.ca_cert_pem.is_some()) {
        ("tls", true, false) => step.with_hint(Hint::GiveSandboxCertificate),
        _ => step,
    };
    step.with_details(reason.to_string())
}

/// The words for a token server that answered 429 or 5xx (after the client's retries):
/// `(code, message, fix)`, shared by the health check's token step and the actions, so the
/// same fault gets the same advice. `None` for any other status.
pub(crate) fn token_server_trouble(
    host: &str,
    status: u16,
) -> Option<(Code, String, &'static str)> {
    match status {
        429 => Some((
            Code::RateLimited,
            format!("The auth server {host} asked to slow down (HTTP 429), also after waiting and retrying."),
            "Wait a few minutes, then try again.",
        )),
        s if s >= 500 => Some((
            Code::DocusignUnavailable,
            format!("The auth server {host} answered HTTP {s}: DocuSign had a problem on its side."),
            "Try again in a few minutes; check status.docusign.com if it persists.",
        )),
        _ => None,
    }
}

/// Runs the whole check. Never panics and never returns an error: every
/// failure is a step of the report.
pub async fn run(input: &CheckInput) -> HealthReport {
    let mut steps = Vec::with_capacity(StepName::ALL.len());
    let mut report = HealthReport {
        ok: false,
        steps: vec![],
        environment: None,
        environment_label: None,
        key_fingerprint: None,
        accounts: None,
        consent_url: None,
        clock_skew_seconds: None,
        clock_warning: None,
    };

    let (settings, ctx) = settings_step(input);
    steps.push(settings);
    let (key_step, loaded) = key_step(input);
    steps.push(key_step);
    if let Some(c) = &ctx {
        report.environment = Some(c.auth.kind());
        report.environment_label = Some(environment_label(&c.auth, input.sandbox));
    }
    if let Some(l) = &loaded {
        report.key_fingerprint = Some(l.info.fingerprint.clone());
    }
    // F40: the short account number instead of the API Account ID. DocuSign accepts the number
    // in REST paths, so ask it for the GUID (`GET /accounts/{number}` → `accountIdGuid`).
    if let (None, Some(l)) = (&ctx, &loaded) {
        if steps[0].problem.detail.as_deref() == Some("account_number_not_id") {
            if let Some((found, accounts)) = resolve_account_number(input, &l.key).await {
                let s = &mut steps[0].problem;
                s.message = format!(
                    "{} DocuSign says account number {} is the account \"{}\", whose API Account ID is {}.",
                    s.message,
                    input.account_id.trim(),
                    found.account_name,
                    found.account_id
                );
                s.fix = format!(
                    "Use the API Account ID {} (Apps and Keys > My Account Information), not the account number.",
                    found.account_id
                );
                steps[0].suggested_value = Some(found.account_id.clone());
                report.accounts = Some(accounts);
            }
        }
    }
    let (ctx, loaded) = match (ctx, loaded) {
        (Some(c), Some(l)) => (c, l),
        _ => {
            let because = steps
                .iter()
                .find(|s| !s.ok)
                .map(|s| s.step)
                .unwrap_or(StepName::Settings);
            for name in &StepName::ALL[2..] {
                steps.push(Step::skipped(*name, because));
            }
            report.steps = steps;
            return report;
        }
    };

    let finish = |mut steps: Vec<Step>, failed: StepName, mut report: HealthReport| {
        let idx = StepName::ALL.iter().position(|s| *s == failed).unwrap_or(0);
        for name in &StepName::ALL[idx + 1..] {
            steps.push(Step::skipped(*name, failed));
        }
        report.steps = steps;
        report
    };

    // Assertion.
    let sent_at = SystemTime::now();
    let claims = Claims::new(&ctx.integration_key, &ctx.user_id, &ctx.auth, sent_at);
    let jwt = match assertion::sign(&loaded.key, claims.clone()) {
        Ok(j) => j,
        Err(e) => {
            steps.push(
                Step::failed(
                    StepName::Assertion,
                    Code::AssertionFailed,
                    None,
                    "The JWT could not be signed with this key.",
                    "Generate a new key pair and register its public key.",
                )
                .with_details(e.to_string()),
            );
            return finish(steps, StepName::Assertion, report);
        }
    };
    steps.push(Step::passed(
        StepName::Assertion,
        format!(
            "Signed an RS256 assertion: iss {}, sub {}, aud {}, scope \"{}\", valid {} s from iat.",
            claims.iss,
            claims.sub,
            claims.aud,
            claims.scope,
            claims.exp - claims.iat
        ),
    ));

    // Token.
    let http = match oauth::http_client(input.ca_cert_pem.as_deref(), input.total_timeout()) {
        Ok(h) => h,
        Err(e) => {
            steps.push(
                Step::failed(
                    StepName::Token,
                    Code::CaCertInvalid,
                    None,
                    "The sandbox's certificate file cannot be used.",
                    "The sandbox writes a fresh certificate file each time it starts: use that one.",
                )
                .with_hint(Hint::GiveSandboxCertificate)
                .with_details(e.to_string()),
            );
            return finish(steps, StepName::Token, report);
        }
    };
    let mut client = OAuthClient::new(ctx.auth.clone(), http)
        .with_first_byte_timeout(input.first_byte_timeout());
    if let Some(o) = &input.observer {
        client = client.with_observer(o.clone(), ctx.integration_key.clone());
    }
    let (token, tok_step): (TokenResponse, Step) = match client.request_token(&jwt).await {
        Ok(token) => {
            let mut tok_step = Step::passed(
                StepName::Token,
                format!(
                    "DocuSign issued an access token ({}, valid {} s).",
                    token.token_type, token.expires_in
                ),
            );
            if let Some(s) =
                skew_secs(token.server_date, sent_at).filter(|s| s.abs() > CLOCK_SKEW_LIMIT_SECS)
            {
                report.clock_skew_seconds = Some(s);
                tok_step.notes.push(format!(
                    "warning: {}; tokens may start failing. Set the time automatically.",
                    clock::describe_lower(s)
                ));
            }
            (token, tok_step)
        }
        Err(e) => {
            let (mut step, consent) =
                token_failure(&ctx, input, &loaded.info.fingerprint, &e, sent_at);
            report.consent_url = consent;
            let skew = match step.problem.detail.as_deref() {
                Some("clock_skew") => skew_secs(e.server_date(), sent_at),
                _ => None,
            };
            let Some(skew) = skew else {
                steps.push(step);
                return finish(steps, StepName::Token, report);
            };
            report.clock_skew_seconds = Some(skew);
            // What is behind the clock problem: the same request once more, signed with
            // DocuSign's time (as the actions do).
            let signed_for = clock::shift(SystemTime::now(), skew);
            let claims = Claims::new(&ctx.integration_key, &ctx.user_id, &ctx.auth, signed_for);
            let Ok(jwt) = assertion::sign(&loaded.key, claims) else {
                steps.push(step);
                return finish(steps, StepName::Token, report);
            };
            match client.request_token(&jwt).await {
                Ok(token) => {
                    step.with_docusign_time = Some(Box::new(Step::passed(
                        StepName::Token,
                        format!(
                            "Signed with DocuSign's time, the assertion is accepted: DocuSign issued an access token ({}, valid {} s), and the next steps used it. The Studio signs with DocuSign's time too, but other programs that use this key on this computer are refused until its clock is right.",
                            token.token_type, token.expires_in
                        ),
                    )));
                    (token, step)
                }
                Err(e2) => {
                    let (behind, consent) =
                        token_failure(&ctx, input, &loaded.info.fingerprint, &e2, signed_for);
                    if consent.is_some() {
                        report.consent_url = consent;
                    }
                    step.with_docusign_time = Some(Box::new(behind));
                    steps.push(step);
                    return finish(steps, StepName::Token, report);
                }
            }
        }
    };
    steps.push(tok_step);

    // Userinfo.
    let info: UserInfo = match client.userinfo(&token.access_token).await {
        Ok(i) => i,
        Err(e) => {
            let mut s = match &e {
                OAuthError::Transport { class, reason, .. } => {
                    transport_step(StepName::Userinfo, &ctx.auth, class, reason, input)
                }
                other => Step::failed(
                    StepName::Userinfo,
                    Code::UserinfoFailed,
                    None,
                    format!(
                        "{} did not say which accounts the user has, right after issuing the token.",
                        ctx.auth.host()
                    ),
                    "Run the check again; if it persists, DocuSign may be having problems.",
                )
                .with_details(other.to_string()),
            };
            if let OAuthError::OAuth {
                status,
                error,
                description,
                ..
            } = &e
            {
                s.docusign_error = Some(DocuSignError {
                    status: *status,
                    error: error.clone(),
                    error_description: description.clone(),
                });
            } else if let OAuthError::Http { status, body, .. } = &e {
                s.docusign_error = Some(DocuSignError {
                    status: *status,
                    error: body.clone(),
                    error_description: None,
                });
            }
            steps.push(s);
            return finish(steps, StepName::Userinfo, report);
        }
    };
    report.accounts = Some(
        info.accounts
            .iter()
            .map(|a| AccountChoice {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
                base_uri: a.base_uri.clone(),
                is_default: a.is_default,
            })
            .collect(),
    );
    let who = if info.email.is_empty() {
        info.name.clone()
    } else {
        format!("{} <{}>", info.name, info.email)
    };
    steps.push(Step::passed(
        StepName::Userinfo,
        format!(
            "The token belongs to {who}, with {}.",
            counted(info.accounts.len() as u64, "account", "accounts")
        ),
    ));

    // Account.
    let list = info
        .accounts
        .iter()
        .map(|a| format!("{} ({})", a.account_id, a.account_name))
        .collect::<Vec<_>>()
        .join(", ");
    let account = match info.account(&ctx.account_id) {
        Some(a) => a.clone(),
        None if info.accounts.is_empty() => {
            steps.push(Step::failed(StepName::Account, Code::NoAccounts, Some("no_accounts".into()), format!("The user {} has no DocuSign account this token can act on.", ctx.user_id), "Ask the account administrator to add this user to the account (Users and Groups > Add User), or impersonate another user."));
            return finish(steps, StepName::Account, report);
        }
        None => {
            let mut s = Step::failed(
                StepName::Account,
                Code::AccountNotAccessible,
                Some("not_in_userinfo".into()),
                format!("Account {} is not accessible from this token. The token can act on: {list}.", ctx.account_id),
                "Verify the Account ID matches the same DocuSign account as the integration key and user (Apps and Keys > My Account Information > API Account ID), or pick one of the accounts listed.",
            );
            if info.accounts.len() == 1 {
                s.suggested_value = Some(info.accounts[0].account_id.clone());
            }
            steps.push(s);
            return finish(steps, StepName::Account, report);
        }
    };
    steps.push(Step::passed(
        StepName::Account,
        format!(
            "Account {} ({}) is accessible.",
            account.account_id, account.account_name
        ),
    ));

    // Base URI.
    match BaseUri::parse(&account.base_uri) {
        Ok(actual) if actual.same_as(&ctx.base_uri) => {
            steps.push(Step::passed(
                StepName::BaseUri,
                format!("The base URI {} matches the account's.", ctx.base_uri),
            ));
        }
        Ok(actual) => {
            let mut s = Step::failed(
                StepName::BaseUri,
                Code::BaseUriMismatch,
                Some(if actual.environment() == AuthServerKind::Production && ctx.base_uri.environment() == AuthServerKind::Production { "region".into() } else { "different_host".into() }),
                format!("Configured base URI {} does not match the account's base URI {}.", ctx.base_uri, actual),
                format!("Use {actual} (the account's own base URI, from userinfo). Production accounts are region-specific (na1/na2/na3/eu/…): copy the exact Base URI from the Admin Console you are using."),
            );
            s.suggested_value = Some(actual.as_str().to_string());
            steps.push(s);
            return finish(steps, StepName::BaseUri, report);
        }
        Err(_) => {
            steps.push(Step::failed(
                StepName::BaseUri,
                Code::BaseUriMismatch,
                Some("unusable_account_base_uri".into()),
                format!(
                    "The account's base URI from userinfo ({}) is not a usable https:// URI.",
                    account.base_uri
                ),
                "Contact DocuSign support: userinfo returned an unusable base URI.",
            ));
            return finish(steps, StepName::BaseUri, report);
        }
    }

    // A token step failed for the clock alone still fails the check (the later steps ran).
    report.ok = steps.iter().all(|s| s.ok);
    report.steps = steps;
    report.clock_warning = report.clock_warning();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of a check whose token step failed for the clock, with DocuSign's time
    /// giving `behind`, the later steps as `later`.
    fn clock_report(behind: Step, later: StepStatus) -> HealthReport {
        let mut token = Step::failed(
            StepName::Token,
            Code::InvalidGrant,
            Some("clock_skew".into()),
            "DocuSign says the assertion has expired.",
            "Set time automatically.",
        );
        token.with_docusign_time = Some(Box::new(behind));
        let mut steps = vec![
            Step::passed(StepName::Settings, "ok"),
            Step::passed(StepName::Key, "ok"),
            Step::passed(StepName::Assertion, "ok"),
            token,
        ];
        for name in &StepName::ALL[4..] {
            steps.push(match later {
                StepStatus::Passed => Step::passed(*name, "ok"),
                _ => Step::skipped(*name, StepName::Token),
            });
        }
        HealthReport {
            ok: false,
            steps,
            environment: None,
            environment_label: None,
            key_fingerprint: None,
            accounts: None,
            consent_url: None,
            clock_skew_seconds: Some(24 * 3600),
            clock_warning: None,
        }
    }

    /// The clock-only verdict is a serialized field (the desktop's Health view reads it), the
    /// CLI's sentence word for word; absent when something else is behind the clock.
    #[test]
    fn the_clock_warning_is_serialized_only_when_the_clock_is_all_that_failed() {
        let mut r = clock_report(Step::passed(StepName::Token, "issued"), StepStatus::Passed);
        r.clock_warning = r.clock_warning();
        let v = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(
            v["clock_warning"],
            "This computer's clock is 24 hours behind DocuSign's. The Studio signs its requests with DocuSign's time, so its checks and actions work; other programs that use this key on this computer are refused until the clock is set right."
        );
        assert_eq!(v["ok"], false);

        let mut r = clock_report(
            Step::failed(
                StepName::Token,
                Code::ConsentRequired,
                None,
                "consent",
                "give it",
            ),
            StepStatus::Skipped,
        );
        r.clock_warning = r.clock_warning();
        let v = serde_json::to_value(&r).unwrap_or_default();
        assert!(v.get("clock_warning").is_none(), "{v}");
    }

    #[test]
    fn the_same_user_and_account_id_is_a_note_naming_both() {
        let id = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01";
        let input = CheckInput {
            integration_key: "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01".into(),
            user_id: id.into(),
            account_id: id.into(),
            base_uri: "https://demo.docusign.net".into(),
            auth_server: "demo".into(),
            ..CheckInput::default()
        };
        let (step, ctx) = settings_step(&input);
        assert!(ctx.is_some());
        assert_eq!(
            step.notes,
            ["the user ID and the account ID are the same ID, but they are two different IDs: the user ID is the API Username (Users and Groups), the account ID is the API Account ID (Apps and Keys); one of them was probably copied into the other"]
        );
    }
}
