//! The one problem type every front end shows: a stable [`Code`], what happened in plain words,
//! what to do, and (when there is one) the finer reason and the field it is about. Every error
//! of the core gives its [`Problem`] through [`AsProblem`]; the health check's [`Step`], the
//! wizard's [`FieldCheck`], an action's [`ActionFailure`] and the desktop's command errors are
//! built on it, so no field is lost between the core and the screen.
//!
//! The codes' wire values (`network_unreachable`, `key_load_failed`, …) are what the CLI's JSON
//! and the desktop's IPC carry; [`crate::messages::CATALOG`] gives each a headline and a fix.
//!
//! [`Step`]: crate::health::Step
//! [`FieldCheck`]: crate::wizard::FieldCheck
//! [`ActionFailure`]: crate::actions::ActionFailure

use docusign_api::key::{KeyError, UnsupportedKind};
use serde::{Serialize, Serializer};
use std::fmt;

/// Declares [`Code`] with its wire values, [`Code::ALL`] and [`Code::as_str`].
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal,)*) => {
        /// Every stable code the core returns, serialized as its snake_case wire value
        /// (`"network_unreachable"`). New codes may be added: match with a `_` arm.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* #[serde(rename = $wire)] $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The wire value (`"network_unreachable"`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $wire,)*
                }
            }
        }
    };
}

codes! {
    /// It worked (a passed step or a field that is fine).
    Ok = "ok",
    /// Not run, because an earlier step failed.
    Skipped = "skipped",
    /// Could not reach the server.
    NetworkUnreachable = "network_unreachable",
    /// The server's certificate is not trusted.
    TlsUntrusted = "tls_untrusted",
    /// DocuSign had a problem on its side.
    DocusignUnavailable = "docusign_unavailable",
    /// The sandbox's certificate file cannot be used.
    CaCertInvalid = "ca_cert_invalid",
    /// The sandbox's certificate file cannot be read.
    CaCertUnreadable = "ca_cert_unreadable",
    /// The environment's address is not usable.
    AuthServerInvalid = "auth_server_invalid",
    /// The base URI is not usable.
    BaseUriInvalid = "base_uri_invalid",
    /// The environment and the base URI do not match.
    EnvironmentMismatch = "environment_mismatch",
    /// The integration key is not an ID.
    IntegrationKeyMalformed = "integration_key_malformed",
    /// The user ID is not an ID.
    UserIdMalformed = "user_id_malformed",
    /// The account ID is not an ID.
    AccountIdMalformed = "account_id_malformed",
    /// The user ID is the account ID.
    UserIdEqualsAccountId = "user_id_equals_account_id",
    /// The account ID is the user ID.
    AccountIdEqualsUserId = "account_id_equals_user_id",
    /// The redirect URI is not usable.
    RedirectUriInvalid = "redirect_uri_invalid",
    /// This field is empty.
    Empty = "empty",
    /// The RSA private key cannot be used.
    KeyLoadFailed = "key_load_failed",
    /// The RSA private key cannot be used.
    KeyInvalid = "key_invalid",
    /// The private key is not in the keyring.
    KeyMissing = "key_missing",
    /// The key pair could not be made.
    KeyGenerateFailed = "key_generate_failed",
    /// The JWT could not be signed.
    AssertionFailed = "assertion_failed",
    /// Consent is not given yet.
    ConsentRequired = "consent_required",
    /// DocuSign refused the JWT.
    InvalidGrant = "invalid_grant",
    /// DocuSign refused the token request.
    TokenRequestFailed = "token_request_failed",
    /// DocuSign did not say which accounts the user has.
    UserinfoFailed = "userinfo_failed",
    /// The user has no account.
    NoAccounts = "no_accounts",
    /// The account is not this user's.
    AccountNotAccessible = "account_not_accessible",
    /// The base URI is not the account's.
    BaseUriMismatch = "base_uri_mismatch",
    /// The system keyring did not answer.
    KeyringUnavailable = "keyring_unavailable",
    /// The system keyring is locked.
    KeyringLocked = "keyring_locked",
    /// The system keyring refused.
    KeyringFailed = "keyring_failed",
    /// No such connection.
    NotFound = "not_found",
    /// This name cannot be used.
    InvalidName = "invalid_name",
    /// A connection already has this name.
    DuplicateName = "duplicate_name",
    /// The saved connections cannot be read.
    ConfigUnreadable = "config_unreadable",
    /// The saved connections file is damaged.
    ConfigCorrupt = "config_corrupt",
    /// The saved connections come from a newer version.
    ConfigTooNew = "config_too_new",
    /// The connection could not be saved.
    ConfigUnwritable = "config_unwritable",
    /// Another window is saving connections.
    ConfigBusy = "config_busy",
    /// The browser could not be opened.
    BrowserFailed = "browser_failed",
    /// The app's data file cannot be used.
    StateFile = "state_file",
    /// The app hit an internal error.
    Internal = "internal",
    /// Something went wrong.
    Unknown = "unknown",
    /// The sandbox could not start.
    SandboxStartFailed = "sandbox_start_failed",
    /// The sandbox has no user.
    SandboxNoCredentials = "sandbox_no_credentials",
    /// The sandbox's key file could not be handled.
    SandboxKeyFile = "sandbox_key_file",
    /// The name "Sandbox" is taken.
    SandboxNameTaken = "sandbox_name_taken",
    /// The sandbox hit an internal error.
    SandboxInternal = "sandbox_internal",
    /// The sandbox is not running.
    SandboxUnreachable = "sandbox_unreachable",
    /// The sandbox refused this move.
    SandboxRefused = "sandbox_refused",
    /// Only the sandbox has these controls.
    NotSandbox = "not_sandbox",
    /// DocuSign refused.
    Api = "api",
    /// No access token.
    Auth = "auth",
    /// The JWT could not be signed.
    Sign = "sign",
    /// DocuSign's call limit is used up.
    RateLimited = "rate_limited",
    /// DocuSign's answer was not as expected.
    Decode = "decode",
    /// The file could not be written.
    Io = "io",
    /// The list did not end.
    Paging = "paging",
    /// No answer in time: DocuSign may have done it.
    OutcomeUnknown = "outcome_unknown",
    /// The call was not sent: it could not be recorded.
    NotRecorded = "not_recorded",
    /// A value is not right.
    Usage = "usage",
    /// The form does not match the template.
    Validation = "validation",
    /// No such role in the template.
    RoleNotInTemplate = "role_not_in_template",
    /// This role is fixed in the template.
    RoleIsFixed = "role_is_fixed",
    /// A role has nobody yet.
    PlaceholderRoleMissing = "placeholder_role_missing",
    /// A role is given twice.
    DuplicateRole = "duplicate_role",
    /// A field is given twice.
    DuplicateTab = "duplicate_tab",
    /// No such field for this role.
    TabNotOnRole = "tab_not_on_role",
    /// This field cannot be prefilled.
    TabNotSettable = "tab_not_settable",
    /// This field takes a number.
    ValueNotANumber = "value_not_a_number",
    /// This field is a checkbox.
    ValueNotABoolean = "value_not_a_boolean",
    /// This value is not one of the choices.
    ValueNotInList = "value_not_in_list",
    /// This is not an email address.
    EmailMalformed = "email_malformed",
    /// A value is empty.
    ValueEmpty = "value_empty",
    /// A recipient's notification email bounced (DocuSign's `autoresponded`, F43).
    EmailBounced = "email_bounced",
    /// A reason is needed to void.
    EmptyVoidReason = "empty_void_reason",
    /// This envelope cannot be voided.
    VoidInvalidState = "void_invalid_state",
    /// An ID is empty.
    EmptyId = "empty_id",
    /// A person needs a name and an email.
    EmptyRolePerson = "empty_role_person",
    /// The template has no roles.
    TemplateHasNoRoles = "template_has_no_roles",
    /// The warm-up stopped.
    WarmUpFailed = "warm_up_failed",
    /// The interval is too short.
    IntervalTooShort = "interval_too_short",
    /// This is already a production connection.
    AlreadyProduction = "already_production",
    /// A document has its own download (it is not an action).
    UseDownload = "use_download",
    /// The download folder cannot be used.
    DownloadFolder = "download_folder",
    /// The connection has no redirect URI.
    RedirectUriMissing = "redirect_uri_missing",
    /// This base URI is right only for some accounts.
    WwwBaseUri = "www_base_uri",
    /// Could not reach the server.
    Transport = "transport",
    /// Values are missing from the pasted text.
    ValuesMissing = "values_missing",
    /// That place was not chosen here.
    SaveLocationUnknown = "save_location_unknown",
    /// DocuSign issued an application token, not a user token.
    ApplicationToken = "application_token",
    /// The connection is not healthy.
    NotHealthy = "not_healthy",
    /// The private key changed since the last health check.
    KeyChanged = "key_changed",
    /// The clipboard could not be written.
    ClipboardFailed = "clipboard_failed",
    /// This kind of template role cannot be filled here.
    RoleTypeUnsupported = "role_type_unsupported",
    /// The in-person signer's name is missing.
    InPersonSignerNameMissing = "in_person_signer_name_missing",
    /// The in-person signer's name is too long.
    InPersonSignerNameTooLong = "in_person_signer_name_too_long",
    /// This role is not an in-person signer.
    NotInPerson = "not_in_person",
    /// The support bundle could not be written.
    BundleWriteFailed = "bundle_write_failed",
    /// A template ID is not one of the connection's account's templates.
    TemplateNotInAccount = "template_not_in_account",
    /// A trigger's template could not be checked.
    TemplateCheckFailed = "template_check_failed",
    /// The document number is not one of the envelope's documents.
    DocumentNotInEnvelope = "document_not_in_envelope",
    /// The recipient ID is not one of the envelope's recipients.
    RecipientNotInEnvelope = "recipient_not_in_envelope",
    /// The place to save a download cannot be used (no such folder, not a folder, not
    /// writable).
    DownloadDestination = "download_destination",
    /// Several connections are saved and none was named.
    ConnectionAmbiguous = "connection_ambiguous",
}

impl Code {
    /// The code whose wire value is `wire`, if there is one (for the codes the DocuSign client
    /// gives as text: [`docusign_api::esign::EsignError::kind`], a setting error's code).
    pub fn from_wire(wire: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == wire)
    }

    /// [`Code::from_wire`], or [`Code::Unknown`] for a text no code has (the message audit
    /// checks that every code the client can give has one).
    pub fn from_wire_or_unknown(wire: &str) -> Code {
        Code::from_wire(wire).unwrap_or(Code::Unknown)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

/// A problem as the desktop and the CLI show it. JSON: `{"code", "detail", "message", "fix"}`
/// plus `"field"` when there is one; an empty `fix` (nothing to do, e.g. a passed step) is
/// written as `null`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[error("{message}")]
pub struct Problem {
    /// The stable code.
    pub code: Code,
    /// The finer reason under `code` (`not_a_guid`, a key error's `missing_end`, …), when one.
    pub detail: Option<String>,
    /// What happened, in plain words (naming the host, the field, the envelope).
    pub message: String,
    /// What to do, in words that fit both front ends; empty when there is nothing to do.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub fix: String,
    /// The field it is about (`name`, `integration_key`, `private_key`, …), when one.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub field: Option<String>,
}

impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Problem", 4 + usize::from(self.field.is_some()))?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("detail", &self.detail)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("fix", &self.fix())?;
        match &self.field {
            Some(f) => st.serialize_field("field", f)?,
            None => st.skip_field("field")?,
        }
        st.end()
    }
}

impl Problem {
    /// A problem with this code, message and fix (no detail, no field).
    pub fn new(code: Code, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem {
            code,
            detail: None,
            message: message.into(),
            fix: fix.into(),
            field: None,
        }
    }

    /// The same problem with this finer reason.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The same problem about this field.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The fix, `None` when there is nothing to do.
    pub fn fix(&self) -> Option<&str> {
        (!self.fix.is_empty()).then_some(self.fix.as_str())
    }

    /// Something inside the app failed (a task panicked): not the user's doing.
    pub fn internal(what: impl fmt::Display) -> Self {
        Problem::new(
            Code::Internal,
            format!("The app hit an internal error: {what}."),
            "Try again. If it keeps happening, restart the app.",
        )
    }
}

/// A move the user makes in a front end, which only that front end can name. A failure's fix
/// says what to do in words that fit both front ends and carries this hint; each front end
/// adds how, in its own words: the CLI names its command or flag (`dsjwt public-key`,
/// `--ca-cert`), the desktop app its screen or button. The shared layer never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub enum Hint {
    /// Show the public key of this private key, to register it on the integration key.
    ShowPublicKey,
    /// Give the sandbox's certificate (the `ca_cert` file it wrote when it started).
    GiveSandboxCertificate,
    /// Start the sandbox again.
    StartSandbox,
    /// Make the consent URL: it needs a redirect URI registered on the integration key.
    MakeConsentUrl,
    /// Give the private key again (the desktop: paste it or choose its file; the CLI: its
    /// key file flag).
    GivePrivateKey,
    /// The key is encrypted: a copy without its password, or a new pair (the CLI: the OpenSSL
    /// command that removes the password; the desktop: its "generate a key pair" screen).
    RemoveKeyPassword,
    /// The key is not RSA (EC, Ed25519): a new RSA pair (the CLI: the OpenSSL command that makes
    /// one; the desktop: its "generate a key pair" screen).
    MakeRsaKeyPair,
    /// The key is an OpenSSH private key file: a copy converted to PEM, or a new pair (the CLI:
    /// the `ssh-keygen` command that converts a copy; the desktop: its "generate a key pair"
    /// screen).
    ConvertSshKey,
    /// The key is in a PKCS#12 bundle (.pfx / .p12): the private key taken out of it as PEM,
    /// or a new pair (the CLI: the OpenSSL command that takes it out; the desktop: its
    /// "generate a key pair" screen).
    ExtractPkcs12Key,
}

impl Hint {
    /// Every hint, in declaration order.
    pub const ALL: &'static [Hint] = &[
        Hint::ShowPublicKey,
        Hint::GiveSandboxCertificate,
        Hint::StartSandbox,
        Hint::MakeConsentUrl,
        Hint::GivePrivateKey,
        Hint::RemoveKeyPassword,
        Hint::MakeRsaKeyPair,
        Hint::ConvertSshKey,
        Hint::ExtractPkcs12Key,
    ];

    /// The hint for a private key that could not be used, by its key error's code
    /// ([`docusign_api::key::KeyError::detail`]): `encrypted` and `ec_key` have their own move,
    /// every other reason asks for the key again.
    pub fn for_key_error(detail: &str) -> Hint {
        match detail {
            "encrypted" => Hint::RemoveKeyPassword,
            "ec_key" => Hint::MakeRsaKeyPair,
            _ => Hint::GivePrivateKey,
        }
    }

    /// The hint for a private key that could not be used: [`Hint::for_key_error`] of its code,
    /// except an OpenSSH key and a PKCS#12 bundle (code `unsupported_key_type`), which have
    /// their own move.
    pub fn for_key(e: &KeyError) -> Hint {
        match e {
            KeyError::UnsupportedKeyType {
                kind: UnsupportedKind::OpenSsh,
            } => Hint::ConvertSshKey,
            KeyError::UnsupportedKeyType {
                kind: UnsupportedKind::Pkcs12,
            } => Hint::ExtractPkcs12Key,
            _ => Hint::for_key_error(e.detail()),
        }
    }
}

/// `fix` followed by a front end's own `words` for its hint (either may be empty).
pub fn fix_with_words(fix: &str, words: &str) -> String {
    match (fix.trim().is_empty(), words.trim().is_empty()) {
        (_, true) => fix.to_string(),
        (true, false) => words.to_string(),
        (false, false) => format!("{} {}", fix.trim_end(), words.trim()),
    }
}

/// `s` with its first letter made upper case (an error's `Display` as a sentence).
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// "1 account", "3 accounts": `n` with the noun's singular (`one`) or plural (`many`) form, for
/// user messages (never "account(s)").
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An error that can say what went wrong as a [`Problem`]: every error of the core implements
/// it, and the front ends show nothing else.
pub trait AsProblem {
    /// The problem: code, plain words, fix, and the detail and field when there are.
    fn problem(&self) -> Problem;
}

impl AsProblem for Problem {
    fn problem(&self) -> Problem {
        self.clone()
    }
}

/// `impl From<E> for Problem` for errors that implement [`AsProblem`] (so `?` turns them
/// into a [`Problem`]).
macro_rules! problem_from {
    ($($t:ty),* $(,)?) => {
        $(impl From<$t> for $crate::problem::Problem {
            fn from(e: $t) -> Self {
                $crate::problem::AsProblem::problem(&e)
            }
        })*
    };
}
pub(crate) use problem_from;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_round_trip_and_are_unique() {
        for (i, c) in Code::ALL.iter().enumerate() {
            assert_eq!(Code::from_wire(c.as_str()), Some(*c));
            assert_eq!(
                serde_json::to_value(c).ok(),
                Some(serde_json::Value::String(c.as_str().into()))
            );
            assert!(Code::ALL[i + 1..].iter().all(|d| d.as_str() != c.as_str()));
        }
        assert_eq!(Code::from_wire("no_such_code"), None);
    }

    #[test]
    fn serializes_with_an_empty_fix_as_null_and_no_field_key_when_none() {
        let p = Problem::new(Code::Internal, "m", "f");
        let v = serde_json::to_value(&p).unwrap_or_default();
        assert_eq!(
            v,
            serde_json::json!({"code": "internal", "detail": null, "message": "m", "fix": "f"})
        );
        let p = Problem::new(Code::Ok, "fine", "").with_field("name");
        let v = serde_json::to_value(&p).unwrap_or_default();
        assert_eq!(
            v,
            serde_json::json!({"code": "ok", "detail": null, "message": "fine", "fix": null, "field": "name"})
        );
    }
}
