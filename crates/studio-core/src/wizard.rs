//! The set-up wizard's checks, one field at a time, as the user types: each returns a
//! [`FieldCheck`] with a level (`ok`, `warning`, `error`), a stable code, the reason in plain
//! words, a fix, the normalised value and notes on what was normalised. The checks are
//! DocuSign's (via [`docusign_api::environment`] and [`docusign_api::key`]); the health check's
//! settings step uses the same codes.
//!
//! Also: generating a key pair, building the consent URL, plain-words help on where each value
//! is in DocuSign's admin pages ([`where_to_find`]), and waiting for consent
//! ([`confirm_consent`]).

mod consent;
mod fields;

pub use consent::{confirm_consent, ConsentOutcome, ConsentPoll, ConsentState};
pub use fields::{check_field, check_field_among, Field, FieldContext};

use crate::connections::{
    check_auth_environment, validate_name, ConnectionError, Environment, SavedAuthServer,
};
use crate::problem::{AsProblem, Code, Hint, Problem};
use docusign_api::environment::{self, AuthServer, AuthServerKind, BaseUri, SettingError};
use docusign_api::key::{self, KeyError, KeyFormat, KeyInfo, PrivateKey, Zeroizing};
use serde::Serialize;
use std::fmt;

/// `"ok"`: the value is fine (notes may say what was normalised).
pub const LEVEL_OK: &str = "ok";
/// `"warning"`: usable, but probably not what was meant.
pub const LEVEL_WARNING: &str = "warning";
/// `"error"`: cannot be used as is.
pub const LEVEL_ERROR: &str = "error";

/// The result of checking one field: its problem (`ok` when the value is fine), a level, the
/// normalised value and notes. Reads as its [`Problem`] (`check.code`, `check.field`).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldCheck {
    /// False only for level `error`.
    pub ok: bool,
    /// `"ok"`, `"warning"` or `"error"`.
    pub level: String,
    /// The problem: `ok`, a warning code (`user_id_equals_account_id`, `www_base_uri`, …) or
    /// an error code (`integration_key_malformed`, `base_uri_invalid`, `environment_mismatch`,
    /// `key_load_failed`, …; the same codes as the health check's settings and key steps); the
    /// finer reason (`empty`, `not_a_guid`, `email_not_user_id`, a key error's `missing_end`,
    /// …); what was found; what to do (`null` when ok); and always the field: `name`,
    /// `integration_key`, `user_id`, `account_id`, `base_uri`, `auth_server`, `redirect_uri`,
    /// `private_key`.
    #[serde(flatten)]
    pub problem: Problem,
    /// The value to store (trimmed, normalised); `None` on error and for the private key.
    pub normalized: Option<String>,
    /// What was normalised on the way ("added https://", "removed /restapi", …).
    pub notes: Vec<String>,
    /// The move only a front end can name that the fix asks for (a private key's check:
    /// give the key again, remove its password, make an RSA pair), when one; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub hint: Option<Hint>,
}

impl std::ops::Deref for FieldCheck {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.problem
    }
}

impl From<FieldCheck> for Problem {
    /// The check's problem, field included.
    fn from(c: FieldCheck) -> Self {
        c.problem
    }
}

impl FieldCheck {
    fn ok(
        field: &str,
        message: impl Into<String>,
        normalized: Option<String>,
        notes: Vec<String>,
    ) -> Self {
        FieldCheck {
            ok: true,
            level: LEVEL_OK.into(),
            problem: Problem::new(Code::Ok, message, "").with_field(field),
            normalized,
            notes,
            hint: None,
        }
    }

    fn warn(mut self, code: Code, message: impl Into<String>, fix: impl Into<String>) -> Self {
        self.level = LEVEL_WARNING.into();
        self.problem.code = code;
        self.problem.message = message.into();
        self.problem.fix = fix.into();
        self
    }

    fn error(
        field: &str,
        code: Code,
        detail: Option<&str>,
        message: impl Into<String>,
        fix: impl Into<String>,
        notes: Vec<String>,
    ) -> Self {
        let mut problem = Problem::new(code, message, fix).with_field(field);
        problem.detail = detail.map(String::from);
        FieldCheck {
            ok: false,
            level: LEVEL_ERROR.into(),
            problem,
            normalized: None,
            notes,
            hint: None,
        }
    }

    /// The field checked (`name`, `integration_key`, …).
    pub fn field(&self) -> &str {
        self.problem.field.as_deref().unwrap_or_default()
    }

    /// A failed check carrying `problem` whole, about `field`.
    fn failed(field: &str, problem: Problem, notes: Vec<String>) -> Self {
        FieldCheck {
            ok: false,
            level: LEVEL_ERROR.into(),
            problem: problem.with_field(field),
            normalized: None,
            notes,
            hint: None,
        }
    }

    fn setting(field: &str, e: &SettingError, notes: Vec<String>) -> Self {
        FieldCheck::failed(field, e.problem(), notes)
    }

    fn from_connection_error(field: &str, e: &ConnectionError) -> Self {
        FieldCheck::failed(field, e.problem(), vec![])
    }
}

/// The private-key field's check and, when it loaded, what the key is.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyCheck {
    /// The check (`field` = `private_key`; `code` `ok` or `key_load_failed` with the key
    /// error's code in `detail`).
    pub check: FieldCheck,
    /// Bits, fingerprint, public key; `None` when the key did not load.
    pub info: Option<KeyInfo>,
}

/// A freshly generated key pair. **Secret:** `private_pem` is wiped from memory on drop, and
/// `Debug` shows only the public info. Hand it to [`crate::connections::ConnectionStore::save`]
/// and drop it; never send it to the UI or a log.
pub struct GeneratedKey {
    /// The private key, PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`). Secret.
    pub private_pem: Zeroizing<String>,
    /// Bits, fingerprint and the public key to upload to DocuSign.
    pub info: KeyInfo,
}

impl fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("private_pem", &"<redacted>")
            .field("info", &self.info)
            .finish()
    }
}

/// What the trimming did, as a note (IDs are pasted with spaces, quotes or braces).
fn trim_notes(input: &str, value: &str) -> Vec<String> {
    if input != value {
        vec!["removed the spaces, quotes or braces around it".into()]
    } else {
        vec![]
    }
}

/// Checks a connection name (1..=64 letters, digits, space, `-`, `_`, `.`). Does not look at
/// the saved connections: [`check_connection_name_among`] does.
pub fn check_connection_name(input: &str) -> FieldCheck {
    match validate_name(input) {
        Ok(n) => {
            let notes = trim_notes(input, &n);
            FieldCheck::ok(
                "name",
                format!("\"{n}\" can be used as a name."),
                Some(n),
                notes,
            )
        }
        Err(e) => FieldCheck::from_connection_error("name", &e),
    }
}

/// Checks a connection name as [`check_connection_name`], and that no saved connection has it
/// (letter case ignored, as saving and `dsjwt connection add` compare names): a taken name is
/// `duplicate_name`, naming a free one to use instead ("Sandbox 2"). `own` is the saved name of
/// the connection being edited, which may keep its name.
pub fn check_connection_name_among(input: &str, saved: &[String], own: Option<&str>) -> FieldCheck {
    let check = check_connection_name(input);
    let Some(name) = check.normalized.clone() else {
        return check;
    };
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    if own.is_some_and(|own| same(own, &name)) {
        return check;
    }
    let Some(existing) = saved.iter().find(|s| same(s, &name)) else {
        return check;
    };
    let free = (2..)
        .map(|n| {
            let suffix = format!(" {n}");
            let stem: String = name
                .chars()
                .take(crate::connections::MAX_NAME_CHARS - suffix.chars().count())
                .collect();
            format!("{}{suffix}", stem.trim_end())
        })
        .find(|c| !saved.iter().any(|s| same(s, c)))
        .unwrap_or_default();
    let mut taken = FieldCheck::error(
        "name",
        Code::DuplicateName,
        None,
        format!("You already have a connection named \"{existing}\"."),
        format!("Give this one another name, e.g. \"{free}\"."),
        check.notes,
    );
    taken.problem.detail = Some("name_taken".into());
    taken
}

/// Prefix of the note saying a label pasted along with the value was removed (the UI then
/// shows only the value).
pub const LABEL_REMOVED_NOTE: &str = "removed the label";

/// The value without a label of `field` pasted along (`Integration Key: 1a2b…` keeps only
/// `1a2b…`, see [`crate::handoff::strip_label`]), and the note saying so.
fn unlabel(field: &str, input: &str) -> (String, Vec<String>) {
    match crate::handoff::strip_label(field, input) {
        Some((label, value)) => (
            value,
            vec![format!(
                "{LABEL_REMOVED_NOTE} \u{201c}{}\u{201d} pasted along with the value",
                label.chars().take(48).collect::<String>()
            )],
        ),
        None => (input.to_string(), vec![]),
    }
}

#[allow(clippy::result_large_err)] // a FieldCheck either way; not a hot path
fn check_id(field: &str, label: &'static str, input: &str) -> Result<FieldCheck, FieldCheck> {
    let (input, mut notes) = unlabel(field, input);
    let input = input.as_str();
    match environment::check_guid(label, input) {
        Ok(v) => {
            notes.extend(trim_notes(input, &v));
            Ok(FieldCheck::ok(
                field,
                format!("A well-formed {label}."),
                Some(v),
                notes,
            ))
        }
        Err(e) => Err(FieldCheck::setting(field, &e, vec![])),
    }
}

/// Checks the integration key: a GUID (8-4-4-4-12 hex digits), trimmed. Field case F10: a
/// dropped or extra character is named ("it has 31 letters and digits where an ID has 32").
pub fn check_integration_key(input: &str) -> FieldCheck {
    check_id("integration_key", "integration key", input).unwrap_or_else(|e| e)
}

/// Checks the user ID (the API Username GUID, not an email). A warning when it equals the
/// account ID (`user_id_equals_account_id`): two different GUIDs on DocuSign's pages.
pub fn check_user_id(input: &str, account_id: Option<&str>) -> FieldCheck {
    match check_id("user_id", "user ID", input) {
        Ok(c) if same_guid(c.normalized.as_deref(), account_id) => c.warn(
            Code::UserIdEqualsAccountId,
            "The user ID is the same ID as the account ID.",
            "The user ID is the API Username from Users and Groups > Users > (the user); the API Account ID (Apps and Keys > My Account Information) is a different ID.",
        ),
        Ok(c) => c,
        Err(e) => e,
    }
}

/// Checks the API account ID (a GUID, not the short account number). A warning when it equals
/// the user ID (`account_id_equals_user_id`).
pub fn check_account_id(input: &str, user_id: Option<&str>) -> FieldCheck {
    match check_id("account_id", "account ID", input) {
        Ok(c) if same_guid(c.normalized.as_deref(), user_id) => c.warn(
            Code::AccountIdEqualsUserId,
            "The account ID is the same ID as the user ID.",
            "Copy the API Account ID from Apps and Keys > My Account Information; the user ID (API Username) is a different ID.",
        ),
        Ok(c) => c,
        Err(e) => e,
    }
}

fn same_guid(a: Option<&str>, b: Option<&str>) -> bool {
    match (
        a,
        b.and_then(|b| environment::check_guid("user ID", b).ok()),
    ) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(&b),
        _ => false,
    }
}

/// Checks the base URI for `environment`: `https://` added when missing (F19), a trailing `/`
/// and `/restapi…` removed (F20), each noted; a demo/production mix-up is an error (F25). A
/// production `https://www.docusign.net` gets a warning (`www_base_uri`, F22): accounts live on
/// regional hosts and the health check compares with the account's own.
pub fn check_base_uri(input: &str, environment: Environment) -> FieldCheck {
    let (input, mut notes) = unlabel("base_uri", input);
    let base = match BaseUri::parse(&input) {
        Ok(b) => b,
        Err(e) => return FieldCheck::setting("base_uri", &e, notes),
    };
    notes.extend(base.notes.iter().cloned());
    let auth = match environment {
        Environment::Demo => AuthServer::demo(),
        Environment::Production => AuthServer::production(),
        Environment::Sandbox => {
            if base.environment() != AuthServerKind::Custom {
                return FieldCheck::error(
                    "base_uri",
                    Code::EnvironmentMismatch,
                    Some("sandbox_docusign_base_uri"),
                    format!("{base} is DocuSign's, but the sandbox environment talks to the Studio's emulator."),
                    "Start the sandbox to fill in its base URI (https://127.0.0.1:PORT), or choose the demo or production environment.",
                    notes,
                );
            }
            return FieldCheck::ok(
                "base_uri",
                format!("The sandbox's base URI {base}."),
                Some(base.as_str().into()),
                notes,
            );
        }
    };
    if let Err(e) = environment::check_environment(&auth, &base) {
        return FieldCheck::setting("base_uri", &e, notes);
    }
    let check = FieldCheck::ok(
        "base_uri",
        format!(
            "A {} base URI; REST calls go to {}/restapi/v2.1/accounts/….",
            environment, base
        ),
        Some(base.as_str().into()),
        notes,
    );
    if environment == Environment::Production && base.host() == "www.docusign.net" {
        return check.warn(
            Code::WwwBaseUri,
            "https://www.docusign.net is right only for some production accounts: most live on a regional host (na2, na3, eu, ca, au…).",
            "Copy the Account Base URI from the production Admin Console (Apps and Keys > My Account Information); the health check compares it with the account's.",
        );
    }
    check
}

/// Checks the auth server: `demo`, `production` (or their hosts, with or without `https://`
/// and a path, F09), or the sandbox's `https://127.0.0.1:PORT`. `normalized` is the stored
/// form: `demo`, `production` or `https://HOST:PORT`.
pub fn check_auth_server(input: &str) -> FieldCheck {
    match AuthServer::parse(input) {
        Ok(a) => {
            let message = match a.kind() {
                AuthServerKind::Demo => format!("The demo (developer) environment: tokens from https://{}.", a.host()),
                AuthServerKind::Production => format!("Production: tokens from https://{}. Production needs Go-Live first.", a.host()),
                AuthServerKind::Custom => format!("A custom auth server at {} (the Studio's sandbox or a test server); its CA certificate must be given.", a.origin()),
            };
            FieldCheck::ok(
                "auth_server",
                message,
                Some(SavedAuthServer::from(a.clone()).to_string()),
                a.notes.clone(),
            )
        }
        Err(e) => FieldCheck::setting("auth_server", &e, vec![]),
    }
}

/// Checks the redirect URI used in the consent URL: empty is fine (it is only needed for the
/// consent URL; code `empty`), otherwise an absolute URL, kept byte for byte (F15).
pub fn check_redirect_uri(input: &str) -> FieldCheck {
    let (input, label_notes) = unlabel("redirect_uri", input);
    let input = input.as_str();
    if input.trim().is_empty() {
        let mut c = FieldCheck::ok(
            "redirect_uri",
            "No redirect URI: the consent URL cannot be built without one.",
            None,
            vec![],
        );
        c.problem.code = Code::Empty;
        return c;
    }
    match environment::check_redirect_uri(input) {
        Ok(v) => {
            let mut notes = label_notes;
            notes.extend(trim_notes(input, &v));
            FieldCheck::ok("redirect_uri", format!("The consent page will send the browser to {v}; it must be registered on the integration key exactly like this."), Some(v), notes)
        }
        Err(e) => FieldCheck::setting("redirect_uri", &e, vec![]),
    }
}

fn key_failure(e: &KeyError) -> FieldCheck {
    FieldCheck {
        hint: Some(Hint::for_key(e)),
        ..FieldCheck::error(
            "private_key",
            Code::KeyLoadFailed,
            Some(e.detail()),
            format!("Failed to load RSA private key: {e}"),
            e.fix(),
            vec![],
        )
    }
}

/// Checks a pasted private key or a key file's bytes (every form
/// [`docusign_api::key::load_private_key_bytes`] repairs, each repair a note; F01, F02, F04,
/// F05, F07a). On success, [`KeyCheck::info`] has bits, fingerprint and the public key. The
/// private key is never echoed.
pub fn check_private_key(input: &[u8]) -> KeyCheck {
    match key::load_private_key_bytes(input) {
        Ok(loaded) => {
            let info = loaded.info;
            let message = format!(
                "RSA {}-bit private key ({}); public key fingerprint {}.",
                info.bits,
                if info.format == KeyFormat::Pkcs8 {
                    "PKCS#8"
                } else {
                    "PKCS#1"
                },
                info.fingerprint
            );
            let notes = info.notes.iter().map(|n| n.message().to_string()).collect();
            KeyCheck {
                check: FieldCheck::ok("private_key", message, None, notes),
                info: Some(info),
            }
        }
        Err(e) => KeyCheck {
            check: key_failure(&e),
            info: None,
        },
    }
}

/// Generates a 2048-bit RSA key pair (what DocuSign makes). CPU-bound for about a second: call
/// it from `spawn_blocking` in async code. Upload `info.public_key_pem` to the integration key
/// (Apps and Keys > your app > Service Integration > Upload RSA public key).
///
/// # Errors
/// `key_generate_failed`.
pub fn generate_key_pair() -> Result<GeneratedKey, ConnectionError> {
    let key = PrivateKey::generate(key::MIN_BITS).map_err(ConnectionError::KeyGenerate)?;
    let info = key.summary();
    Ok(GeneratedKey {
        private_pem: Zeroizing::new(key.to_pkcs1_pem()),
        info,
    })
}

/// Builds the individual-consent URL
/// (`https://{auth}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=…&redirect_uri=…`,
/// F12, F13, F15), for a connection of `environment` whose (checked) auth server is `auth`.
///
/// # Errors
/// The [`FieldCheck`] of the first field that is wrong: the auth server not the environment's
/// (`environment_mismatch`), the integration key, the redirect URI.
#[allow(clippy::result_large_err)] // the error is the field check the wizard shows
pub fn consent_url(
    environment: Environment,
    auth: &AuthServer,
    integration_key: &str,
    redirect_uri: &str,
) -> Result<String, FieldCheck> {
    consent_url_with_state(environment, auth, integration_key, redirect_uri, None)
}

/// [`consent_url`] for the environment the auth server itself names: `demo`, `production`, or
/// the `https://` URL of a custom auth server (the sandbox), as typed (parsed here). `state`,
/// when given, is sent along and DocuSign hands it back on the redirect.
///
/// # Errors
/// As [`consent_url`]; an auth server that is none of those is the `auth_server` field's check.
#[allow(clippy::result_large_err)] // the error is the field check the wizard shows
pub fn consent_url_of_auth_server(
    auth_server: &str,
    integration_key: &str,
    redirect_uri: &str,
    state: Option<&str>,
) -> Result<String, FieldCheck> {
    let auth = AuthServer::parse(auth_server)
        .map_err(|e| FieldCheck::setting("auth_server", &e, vec![]))?;
    let environment = Environment::from_auth_kind(auth.kind());
    consent_url_with_state(environment, &auth, integration_key, redirect_uri, state)
}

#[allow(clippy::result_large_err)] // the error is the field check the wizard shows
fn consent_url_with_state(
    environment: Environment,
    auth: &AuthServer,
    integration_key: &str,
    redirect_uri: &str,
    state: Option<&str>,
) -> Result<String, FieldCheck> {
    check_auth_environment(environment, auth)
        .map_err(|e| FieldCheck::from_connection_error("auth_server", &e))?;
    let ik = check_integration_key(integration_key);
    let ik = match (&ik.normalized, ik.ok) {
        (Some(v), true) => v.clone(),
        _ => return Err(ik),
    };
    if redirect_uri.trim().is_empty() {
        return Err(FieldCheck::error(
            "redirect_uri",
            Code::RedirectUriInvalid,
            Some("empty"),
            "The consent URL needs the redirect URI registered on the integration key.",
            "Copy a redirect URI from Apps and Keys > your app > Additional settings > Redirect URIs (or add one there, e.g. https://localhost/callback).",
            vec![],
        ));
    }
    let redirect = environment::check_redirect_uri(redirect_uri)
        .map_err(|e| FieldCheck::setting("redirect_uri", &e, vec![]))?;
    Ok(docusign_api::consent::consent_url(
        auth, &ik, &redirect, state,
    ))
}

/// Where each value is in DocuSign's admin pages, in plain words (from the integration guide).
/// `field`: `integration_key`, `user_id`, `account_id`, `base_uri`, `auth_server`,
/// `environment`, `redirect_uri`, `private_key`, `consent`, `name`; anything else gets the
/// general pointer.
pub fn where_to_find(field: &str) -> &'static str {
    match field {
        "integration_key" => "Sign in to admindemo.docusign.com (admin.docusign.com after Go-Live) and open Settings > Integrations > Apps and Keys. Each app's Integration Key is the ID shown under its name; \"Add App and Integration Key\" makes a new one.",
        "user_id" => "In the same DocuSign Admin: Users and Groups > Users > select the user the integration will act as > copy the API Username (an ID, not the email). For yourself it is also on Apps and Keys > My Account Information > User ID.",
        "account_id" => "Apps and Keys > the My Account Information box > API Account ID (an ID of 36 letters and digits). Not the short Account number shown next to your name.",
        "base_uri" => "Apps and Keys > the My Account Information box > Account Base URI, e.g. https://demo.docusign.net for a developer account. Production accounts are regional (https://na3.docusign.net, https://eu.docusign.net, …): copy it from the production Admin Console.",
        "auth_server" | "environment" => "Demo (account-d.docusign.com) for a developer account from developers.docusign.com; production (account.docusign.com) only after the integration key passed Go-Live and was added to the production account; the sandbox is this app's built-in emulator.",
        "redirect_uri" => "Apps and Keys > your app > Additional settings > Redirect URIs. Add one if there is none (e.g. https://localhost/callback): the consent page sends the browser there after Allow, and the page need not load. It must match byte for byte.",
        "private_key" => "Apps and Keys > your app > Service Integration > Add RSA Keypair: DocuSign shows the private key only once; use the whole file, BEGIN and END lines included. Or generate a key pair here and upload its public key there (Upload RSA public key).",
        "consent" => "Open the consent URL in a browser, sign in as the user whose API Username you entered, and click Allow. Consent is per user and per environment: production needs its own after Go-Live. Authentication on the app must include Authorization Code Grant.",
        "name" => "Any name to recognise this connection by, e.g. \"Demo\" or \"Production EU\".",
        _ => "Everything is in DocuSign Admin (admindemo.docusign.com for demo, admin.docusign.com for production) under Settings > Integrations > Apps and Keys, and Users and Groups for the user's API Username.",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const IK: &str = "1a2b3c4d-1234-5678-9abc-0123456789ab";
    const UID: &str = "6f1d2c0e-0b1a-4c1e-9d55-6f4f6f5b2c11";
    const ACC: &str = "9e8d7c6b-5a49-4837-a625-140312345678";

    /// What the UI's promotion form sends (ui promotion.test.ts relies on it through the fake
    /// backend): braces dropped, the letters' case kept (DocuSign's IDs are case-insensitive).
    #[test]
    fn account_id_braces_dropped_case_kept() {
        let c = check_account_id("{3B1F3A2B-7C4E-4F6A-9B8C-0D1E2F3A4B01}", None);
        assert!(c.ok, "{c:?}");
        assert_eq!(
            c.normalized.as_deref(),
            Some("3B1F3A2B-7C4E-4F6A-9B8C-0D1E2F3A4B01")
        );
    }

    #[test]
    fn integration_key() {
        let c = check_integration_key(&format!("  {{{IK}}} "));
        assert!(c.ok, "{c:?}");
        assert_eq!(c.level, "ok");
        assert_eq!(c.normalized.as_deref(), Some(IK));
        assert_eq!(c.notes.len(), 1);
        let c = check_integration_key(&IK[..35]);
        assert!(!c.ok);
        assert_eq!(c.level, "error");
        assert_eq!(c.code, "integration_key_malformed");
        assert!(
            c.message
                .contains("31 letters and digits where an ID has 32"),
            "{}",
            c.message
        );
        assert!(!c.message.contains("GUID") && !c.message.contains("hex"));
        assert!(c.fix.contains("Apps and Keys"));
        assert_eq!(check_integration_key("").detail.as_deref(), Some("empty"));
    }

    #[test]
    fn user_and_account_ids() {
        assert!(check_user_id(UID, Some(ACC)).ok);
        assert_eq!(check_user_id(UID, Some(ACC)).level, "ok");
        let w = check_user_id(UID, Some(&UID.to_uppercase()));
        assert!(w.ok);
        assert_eq!(w.level, "warning");
        assert_eq!(w.code, "user_id_equals_account_id");
        assert_eq!(
            check_user_id("ada@example.com", None).detail.as_deref(),
            Some("email_not_user_id")
        );
        assert_eq!(
            check_account_id("12345678", None).detail.as_deref(),
            Some("account_number_not_id")
        );
        assert_eq!(
            check_account_id(ACC, Some(ACC)).code,
            "account_id_equals_user_id"
        );
        assert_eq!(check_account_id(ACC, Some("not a guid")).level, "ok");
    }

    #[test]
    fn base_uri_normalises_with_notes() {
        let c = check_base_uri("demo.docusign.net/restapi/", Environment::Demo);
        assert!(c.ok, "{c:?}");
        assert_eq!(c.normalized.as_deref(), Some("https://demo.docusign.net"));
        assert_eq!(c.notes.len(), 2, "{:?}", c.notes);
        // F25: demo base URI for production, and the reverse.
        let c = check_base_uri("https://demo.docusign.net", Environment::Production);
        assert_eq!(c.code, "environment_mismatch");
        assert!(!c.ok);
        assert_eq!(
            check_base_uri("https://na3.docusign.net", Environment::Demo).code,
            "environment_mismatch"
        );
        // F22.
        assert_eq!(
            check_base_uri("https://www.docusign.net", Environment::Production).code,
            "www_base_uri"
        );
        assert_eq!(
            check_base_uri("https://na3.docusign.net", Environment::Production).level,
            "ok"
        );
        assert_eq!(
            check_base_uri("http://demo.docusign.net", Environment::Demo).code,
            "base_uri_invalid"
        );
        assert_eq!(
            check_base_uri("https://127.0.0.1:8443", Environment::Sandbox).level,
            "ok"
        );
        assert_eq!(
            check_base_uri("https://demo.docusign.net", Environment::Sandbox).code,
            "environment_mismatch"
        );
        assert_eq!(
            check_base_uri("https://example.com", Environment::Demo).code,
            "base_uri_invalid"
        );
    }

    #[test]
    fn auth_server() {
        let c = check_auth_server("https://account-d.docusign.com/");
        assert_eq!(c.normalized.as_deref(), Some("demo"));
        assert!(!c.notes.is_empty());
        assert_eq!(
            check_auth_server("production").normalized.as_deref(),
            Some("production")
        );
        assert_eq!(
            check_auth_server("https://127.0.0.1:9443")
                .normalized
                .as_deref(),
            Some("https://127.0.0.1:9443")
        );
        let e = check_auth_server("account-d.docusign.net");
        assert_eq!(e.code, "auth_server_invalid");
        assert!(e.fix.contains("account-d.docusign.com"));
    }

    #[test]
    fn redirect_uri() {
        assert_eq!(check_redirect_uri("").code, "empty");
        assert!(check_redirect_uri("").ok);
        assert_eq!(
            check_redirect_uri(" https://localhost/callback ")
                .normalized
                .as_deref(),
            Some("https://localhost/callback")
        );
        assert_eq!(
            check_redirect_uri("localhost/callback").code,
            "redirect_uri_invalid"
        );
    }

    #[test]
    fn a_label_pasted_along_is_removed() {
        let c = check_integration_key(&format!("Integration Key: {IK}"));
        assert!(c.ok, "{c:?}");
        assert_eq!(c.normalized.as_deref(), Some(IK));
        assert!(c.notes[0].starts_with(LABEL_REMOVED_NOTE), "{:?}", c.notes);
        let c = check_user_id(&format!("DOCUSIGN_USER_ID=\"{UID}\""), None);
        assert_eq!(c.normalized.as_deref(), Some(UID));
        let c = check_account_id(&format!("API Account ID:  {ACC}"), None);
        assert_eq!(c.normalized.as_deref(), Some(ACC));
        let c = check_base_uri("Base URI: https://demo.docusign.net", Environment::Demo);
        assert_eq!(c.normalized.as_deref(), Some("https://demo.docusign.net"));
        assert!(c.notes[0].starts_with(LABEL_REMOVED_NOTE));
        let c = check_redirect_uri("Redirect URI: https://localhost/callback");
        assert_eq!(c.normalized.as_deref(), Some("https://localhost/callback"));
        // Another field's label is an error naming the character.
        let c = check_integration_key(&format!("User ID: {UID}"));
        assert_eq!(c.code, "integration_key_malformed");
    }

    #[test]
    fn names() {
        assert!(check_connection_name("Demo").ok);
        assert_eq!(check_connection_name("a/b").code, "invalid_name");
    }

    /// Field case F12 (tester8): the wizard said "\"Sandbox\" can be used as a name" for the
    /// name of a saved connection, which `dsjwt connection add` refuses as `duplicate_name`.
    #[test]
    fn a_saved_connection_name_is_taken_except_its_own() {
        let saved = vec!["Sandbox".to_string(), "Sandbox 2".to_string()];
        let c = check_connection_name_among(" Sandbox ", &saved, None);
        assert!(!c.ok);
        assert_eq!(c.level, LEVEL_ERROR);
        assert_eq!(c.code, "duplicate_name");
        assert_eq!(c.field(), "name");
        assert_eq!(
            c.message,
            "You already have a connection named \"Sandbox\"."
        );
        assert_eq!(c.fix, "Give this one another name, e.g. \"Sandbox 3\".");
        // Letter case does not make a name another one (saving compares without it).
        let c = check_connection_name_among("sandbox", &saved, None);
        assert_eq!(
            c.message,
            "You already have a connection named \"Sandbox\"."
        );
        // Editing "Sandbox" may keep its own name, not take another's.
        assert!(check_connection_name_among("Sandbox", &saved, Some("Sandbox")).ok);
        assert_eq!(
            check_connection_name_among("Sandbox 2", &saved, Some("Sandbox")).code,
            "duplicate_name"
        );
        // A free name passes; a malformed one keeps its own error.
        let c = check_connection_name_among("Demo", &saved, None);
        assert!(c.ok);
        assert_eq!(c.message, "\"Demo\" can be used as a name.");
        assert_eq!(
            check_connection_name_among("a/b", &saved, None).code,
            "invalid_name"
        );
        // The suggestion stays within the 64 characters a name may have.
        let long = "x".repeat(64);
        let c = check_connection_name_among(&long, std::slice::from_ref(&long), None);
        let suggested = c.fix.split('"').nth(1).unwrap();
        assert_eq!(suggested, format!("{} 2", "x".repeat(62)));
        assert!(check_connection_name(suggested).ok);
    }

    #[test]
    fn private_key_checks_and_generation() {
        let generated = generate_key_pair().unwrap();
        assert_eq!(generated.info.bits, 2048);
        assert!(!format!("{generated:?}").contains("PRIVATE KEY"));
        // A one-line key with literal \n (F01) loads, with a note.
        let escaped = generated.private_pem.replace('\n', "\\n");
        let k = check_private_key(escaped.as_bytes());
        assert!(k.check.ok, "{:?}", k.check);
        assert_eq!(
            k.info.as_ref().map(|i| i.fingerprint.clone()),
            Some(generated.info.fingerprint.clone())
        );
        assert!(!k.check.notes.is_empty());
        assert_eq!(k.check.normalized, None);
        assert!(!serde_json::to_string(&k).unwrap().contains("PRIVATE KEY"));
        // The public key is refused (F07a).
        let k = check_private_key(generated.info.public_key_pem.as_bytes());
        assert_eq!(k.check.code, "key_load_failed");
        assert_eq!(k.check.detail.as_deref(), Some("public_key"));
        assert!(k.info.is_none());
        // Cut off.
        let k = check_private_key(&generated.private_pem.as_bytes()[..200]);
        assert_eq!(k.check.detail.as_deref(), Some("missing_end"));
    }

    #[test]
    fn consent_urls() {
        // F13's golden string.
        let demo = AuthServer::demo();
        let u = consent_url(
            Environment::Demo,
            &demo,
            IK,
            "https://localhost:8080/callback",
        )
        .unwrap();
        assert_eq!(u, format!("https://account-d.docusign.com/oauth/auth?response_type=code&scope=signature%20impersonation&client_id={IK}&redirect_uri=https%3A%2F%2Flocalhost%3A8080%2Fcallback"));
        assert!(consent_url(
            Environment::Production,
            &AuthServer::production(),
            IK,
            "https://x.test/cb"
        )
        .unwrap()
        .starts_with("https://account.docusign.com/oauth/auth?"));
        assert!(consent_url(
            Environment::Sandbox,
            &AuthServer::parse("https://127.0.0.1:9443").unwrap(),
            IK,
            "https://localhost/callback"
        )
        .unwrap()
        .starts_with("http://127.0.0.1:9443/oauth/auth?"));
        assert_eq!(
            consent_url(Environment::Demo, &demo, "nope", "https://x.test/cb")
                .unwrap_err()
                .field(),
            "integration_key"
        );
        assert_eq!(
            consent_url(Environment::Demo, &demo, IK, "")
                .unwrap_err()
                .field(),
            "redirect_uri"
        );
        assert_eq!(
            consent_url(
                Environment::Demo,
                &AuthServer::production(),
                IK,
                "https://x.test/cb"
            )
            .unwrap_err()
            .code,
            "environment_mismatch"
        );
    }

    #[test]
    fn consent_urls_of_an_auth_server() {
        let of = consent_url_of_auth_server;
        assert_eq!(
            of("demo", IK, "https://localhost:8080/callback", None).unwrap(),
            consent_url(
                Environment::Demo,
                &AuthServer::demo(),
                IK,
                "https://localhost:8080/callback"
            )
            .unwrap()
        );
        assert!(of("production", IK, "https://x.test/cb", Some("s1"))
            .unwrap()
            .starts_with("https://account.docusign.com/oauth/auth?"));
        assert!(of("production", IK, "https://x.test/cb", Some("s1"))
            .unwrap()
            .ends_with("&state=s1"));
        assert!(of(
            "https://127.0.0.1:9443",
            IK,
            "https://localhost/callback",
            None
        )
        .unwrap()
        .starts_with("http://127.0.0.1:9443/oauth/auth?"));
        let e = of("ftp://nope", IK, "https://x.test/cb", None).unwrap_err();
        assert_eq!(
            (e.field(), e.code),
            ("auth_server", Code::AuthServerInvalid)
        );
        assert_eq!(
            of("demo", "nope", "https://x.test/cb", None)
                .unwrap_err()
                .field(),
            "integration_key"
        );
        assert_eq!(
            of("demo", IK, "", None).unwrap_err().field(),
            "redirect_uri"
        );
    }

    #[test]
    fn help_texts() {
        assert!(where_to_find("user_id").contains("API Username"));
        assert!(where_to_find("account_id").contains("My Account Information"));
        assert!(where_to_find("integration_key").contains("Apps and Keys"));
        assert!(!where_to_find("whatever").is_empty());
    }
}
