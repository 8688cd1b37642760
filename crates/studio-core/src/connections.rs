//! Saved connections, shared by the desktop app and the `dsjwt` CLI.
//!
//! A [`Connection`] is the non-secret half of a DocuSign JWT Grant setup: integration key,
//! user ID, API account ID, base URI, auth server (and, for the sandbox, its CA file and
//! redirect URI). The secret half, the RSA private key, lives in the OS keyring (Secret
//! Service on Linux, Keychain on macOS, Credential Manager on Windows), under service
//! [`KEYRING_SERVICE`] and user `connection:<name>`, as PKCS#1 PEM text.
//!
//! The non-secret fields are kept in `connections.json` in the config folder
//! ([`ConnectionStore::default_config_dir`]):
//!
//! ```json
//! { "version": 1, "connections": [ { "name": "Demo", "environment": "demo", … } ] }
//! ```
//!
//! The file never holds a key or a token. It is written atomically (temporary file, fsync,
//! rename), with mode 0600, under a lock file (`connections.json.lock`) so the CLI and the app
//! can both write. A file that cannot be parsed is never overwritten: every call returns
//! `config_corrupt` naming it until the user moves it aside.
//!
//! By job: this file holds the connection itself (its fields, environment, name rules,
//! normalisation and errors); `config_file` reads and writes `connections.json` ([`ConnectionStore`]);
//! `secrets` is the keyring; `auth_server` the saved auth server; `pasted` reads values pasted
//! as text.

mod auth_server;
mod config_file;
pub(crate) mod pasted;
mod secrets;

pub use config_file::{Chosen, ConnectionStore};

pub use auth_server::SavedAuthServer;

use docusign_api::environment::{self, AuthServer, AuthServerKind, BaseUri, SettingError};
use docusign_api::key;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::problem::{AsProblem, Code, Problem};

/// The keyring service under which private keys are stored (user `connection:<name>`), and the
/// variable that overrides it: defined in [`crate::keyring_names`].
pub use crate::keyring_names::{KEYRING_SERVICE, KEYRING_SERVICE_ENV};
/// Environment variable that overrides the config folder.
pub const CONFIG_DIR_ENV: &str = "DSJWT_CONFIG_DIR";
/// The config file's name inside the config folder.
pub const CONFIG_FILE: &str = "connections.json";
/// The config file format this version writes and reads.
pub const CONFIG_VERSION: u64 = 1;
/// Longest connection name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// How long a writer waits for another process holding the connections lock before giving up
/// (a keyring unlock prompt in the other process can take a while).
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Which DocuSign a connection talks to. Serialized as `"demo"`, `"production"`, `"sandbox"`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Environment {
    /// DocuSign's developer environment: auth server `account-d.docusign.com`, base URI
    /// `https://demo.docusign.net`. Go-Live review counts calls made here.
    Demo,
    /// Production after Go-Live: auth server `account.docusign.com`, a regional base URI
    /// (`https://na3.docusign.net`, `https://eu.docusign.net`, …).
    Production,
    /// The Studio's embedded emulator: auth server and base URI `https://127.0.0.1:PORT`,
    /// trusted through its own CA file.
    Sandbox,
}

impl Environment {
    /// `"demo"`, `"production"` or `"sandbox"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Demo => "demo",
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
        }
    }

    /// The auth-server kind this environment needs (the sandbox is a custom auth server).
    pub fn auth_kind(self) -> AuthServerKind {
        match self {
            Environment::Demo => AuthServerKind::Demo,
            Environment::Production => AuthServerKind::Production,
            Environment::Sandbox => AuthServerKind::Custom,
        }
    }

    /// The environment of an auth-server kind (`custom` is the sandbox).
    pub fn from_auth_kind(kind: AuthServerKind) -> Environment {
        match kind {
            AuthServerKind::Demo => Environment::Demo,
            AuthServerKind::Production => Environment::Production,
            AuthServerKind::Custom => Environment::Sandbox,
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A saved connection: every non-secret field of a DocuSign JWT Grant setup. The private key is
/// in the OS keyring; [`Connection::key_fingerprint`] names it.
///
/// [`ConnectionStore::save`] normalises the fields (trimmed GUIDs, `BaseUri` form), checks that
/// the auth server is the environment's, and sets the fingerprint and timestamps.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Connection {
    /// Unique name (case-insensitively), 1..=64 characters after trimming: letters, digits,
    /// space, `-`, `_`, `.`.
    pub name: String,
    /// Demo, production or sandbox.
    pub environment: Environment,
    /// Integration key GUID (Apps and Keys > your app > Integration Key).
    pub integration_key: String,
    /// The impersonated user's API Username GUID (Users and Groups > Users > the user).
    pub user_id: String,
    /// API Account ID GUID (Apps and Keys > My Account Information).
    pub account_id: String,
    /// Account base URI, normalised to `https://HOST[:PORT]` with no `/restapi` (F19, F20).
    pub base_uri: String,
    /// The environment's auth server, checked: in JSON `"demo"`, `"production"`, or the
    /// sandbox's `https://127.0.0.1:PORT` ([`SavedAuthServer`]).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub auth_server: SavedAuthServer,
    /// The sandbox's CA certificate file (PEM); `None` for DocuSign.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub ca_cert: Option<PathBuf>,
    /// Redirect URI registered on the integration key, for the consent URL (F15).
    pub redirect_uri: Option<String>,
    /// Public fingerprint (`SHA256:…`) of the private key kept in the keyring.
    pub key_fingerprint: Option<String>,
    /// When first saved (RFC 3339, UTC).
    pub created_at: String,
    /// When last saved (RFC 3339, UTC).
    pub updated_at: String,
}

impl Connection {
    /// A new connection with the given fields and empty timestamps/fingerprint (the store
    /// fills those in).
    pub fn new(
        name: impl Into<String>,
        environment: Environment,
        integration_key: impl Into<String>,
        user_id: impl Into<String>,
        account_id: impl Into<String>,
        base_uri: impl Into<String>,
    ) -> Connection {
        Connection {
            name: name.into(),
            environment,
            integration_key: integration_key.into(),
            user_id: user_id.into(),
            account_id: account_id.into(),
            base_uri: base_uri.into(),
            auth_server: match environment {
                Environment::Production => SavedAuthServer::production(),
                _ => SavedAuthServer::demo(),
            },
            ca_cert: None,
            redirect_uri: None,
            key_fingerprint: None,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }
}

/// Why a connection could not be listed, read, saved or removed. `code()` is stable, `Display`
/// says what happened, `fix()` what to do. No variant holds key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectionError {
    /// No Secret Service / keychain answered (no D-Bus session, no keyring daemon).
    /// Code `keyring_unavailable`.
    #[error("the OS keyring is not available: {reason}")]
    KeyringUnavailable {
        /// The platform's words.
        reason: String,
    },
    /// The keyring is locked and was not unlocked (prompt dismissed, no prompter).
    /// Code `keyring_locked`.
    #[error("the OS keyring is locked: {reason}")]
    KeyringLocked {
        /// The platform's words.
        reason: String,
    },
    /// The keyring answered with another error. Code `keyring_failed`.
    #[error("the OS keyring refused: {reason}")]
    KeyringFailed {
        /// The platform's words (never the secret).
        reason: String,
    },
    /// The connection has no private key in the keyring (never saved with one, deleted, or
    /// another computer). Code `key_missing`.
    #[error("no private key is stored in the OS keyring for connection \"{name}\"")]
    KeyMissing {
        /// The connection.
        name: String,
    },
    /// The private key given (or the one in the keyring) does not load. Code `key_invalid`,
    /// detail = [`docusign_api::key::KeyError::detail`].
    #[error("{0}")]
    KeyInvalid(key::KeyError),
    /// Generating a key pair failed. Code `key_generate_failed`.
    #[error("a new key pair could not be generated: {0}")]
    KeyGenerate(key::KeyError),
    /// No connection of that name. Code `not_found`.
    #[error("there is no connection named \"{name}\"{}", known_names(.known))]
    NotFound {
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: Vec<String>,
    },
    /// No connection was named and several are saved, so which one is meant is not known.
    /// Code `connection_ambiguous`.
    #[error("several connections are saved ({}) and none was named", quoted_names(.known))]
    Ambiguous {
        /// The names that exist.
        known: Vec<String>,
    },
    /// The name breaks the naming rule. Code `invalid_name`.
    #[error("\"{name}\" cannot be a connection name: {reason}")]
    InvalidName {
        /// The name as given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Another connection has the same name in other letter case. Code `duplicate_name`.
    #[error("a connection named \"{existing}\" already exists")]
    DuplicateName {
        /// The name given.
        name: String,
        /// The existing connection's name.
        existing: String,
    },
    /// A field of the connection is not valid (GUID, base URI, auth server, environments
    /// mixed, redirect URI). Code = the field's own code (`user_id_malformed`,
    /// `environment_mismatch`, …).
    #[error("{problem}")]
    Invalid {
        /// The field (`integration_key`, `user_id`, `account_id`, `base_uri`, `auth_server`,
        /// `redirect_uri`, `ca_cert`).
        field: &'static str,
        /// Code (as in the health check's settings step), detail, what was found and what
        /// to type instead, with `field` set.
        problem: Box<Problem>,
    },
    /// The config file exists but cannot be read. Code `config_unreadable`.
    #[error("the connections file {path} cannot be read: {source}")]
    ConfigUnreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The config file is not a connections file this version understands; it is kept as is.
    /// Code `config_corrupt`.
    #[error("the connections file {path} is damaged ({reason}); it was left untouched")]
    ConfigCorrupt {
        /// The file.
        path: PathBuf,
        /// Where and what (line/column, never the content).
        reason: String,
    },
    /// A connection in the config file whose environment and auth server disagree (e.g.
    /// environment `production` with auth server `demo`): the file was edited by hand, the Studio
    /// never writes one. The file is kept as is. Code `config_corrupt`.
    #[error("the connections file {path} is damaged (connection \"{name}\" has environment {environment} but auth server {auth_server}); it was left untouched")]
    ConfigEnvironmentMismatch {
        /// The file.
        path: PathBuf,
        /// The connection's name as written in the file.
        name: String,
        /// Its `environment`.
        environment: Environment,
        /// Its `auth_server`.
        auth_server: SavedAuthServer,
    },
    /// The config file was written by a newer Studio. Code `config_too_new`.
    #[error("the connections file {path} has format version {version}, newer than this Studio understands ({CONFIG_VERSION})")]
    ConfigTooNew {
        /// The file.
        path: PathBuf,
        /// Its version.
        version: u64,
    },
    /// The config folder or file cannot be written. Code `config_unwritable`.
    #[error("cannot write {path}: {source}")]
    ConfigUnwritable {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Another Studio process held the connections lock for too long. Code `config_busy`.
    #[error("another DocuSign JWT Studio process is changing the connections (it holds the lock on {path})")]
    ConfigBusy {
        /// The lock file.
        path: PathBuf,
    },
    /// The sandbox CA file named by the connection cannot be read, or is not a regular file
    /// of at most [`docusign_api::files::MAX_CA_FILE_BYTES`]. Code `ca_cert_unreadable`.
    #[error("{source}")]
    CaCertUnreadable {
        /// The file.
        path: PathBuf,
        /// Why (names the file).
        source: docusign_api::files::FileReadError,
    },
    /// The connection was removed, but its triggers' settings, place and events could not be
    /// removed from the state file (the reason is logged). Code `state_file`.
    #[error("\"{name}\" was removed, but its triggers (their template filter, interval and last check) could not be removed from the app's data file")]
    TriggersNotForgotten {
        /// The removed connection.
        name: String,
    },
}

/// `"Acme demo", "Sandbox"`.
fn quoted_names(known: &[String]) -> String {
    known
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn known_names(known: &[String]) -> String {
    if known.is_empty() {
        " (there are no saved connections)".to_string()
    } else {
        format!(" (saved connections: {})", known.join(", "))
    }
}

impl ConnectionError {
    /// Stable snake_case code: `keyring_unavailable`, `keyring_locked`, `keyring_failed`,
    /// `key_missing`, `key_invalid`, `key_generate_failed`, `not_found`, `connection_ambiguous`,
    /// `invalid_name`,
    /// `duplicate_name`, `config_unreadable`, `config_corrupt`, `config_too_new`,
    /// `config_unwritable`, `config_busy`, `ca_cert_unreadable`, or a field code
    /// (`integration_key_malformed`, `user_id_malformed`, `account_id_malformed`,
    /// `base_uri_invalid`, `auth_server_invalid`, `environment_mismatch`, `redirect_uri_invalid`).
    pub fn code(&self) -> Code {
        match self {
            ConnectionError::KeyringUnavailable { .. } => Code::KeyringUnavailable,
            ConnectionError::KeyringLocked { .. } => Code::KeyringLocked,
            ConnectionError::KeyringFailed { .. } => Code::KeyringFailed,
            ConnectionError::KeyMissing { .. } => Code::KeyMissing,
            ConnectionError::KeyInvalid(_) => Code::KeyInvalid,
            ConnectionError::KeyGenerate(_) => Code::KeyGenerateFailed,
            ConnectionError::NotFound { .. } => Code::NotFound,
            ConnectionError::Ambiguous { .. } => Code::ConnectionAmbiguous,
            ConnectionError::InvalidName { .. } => Code::InvalidName,
            ConnectionError::DuplicateName { .. } => Code::DuplicateName,
            ConnectionError::Invalid { problem, .. } => problem.code,
            ConnectionError::ConfigUnreadable { .. } => Code::ConfigUnreadable,
            ConnectionError::ConfigCorrupt { .. }
            | ConnectionError::ConfigEnvironmentMismatch { .. } => Code::ConfigCorrupt,
            ConnectionError::ConfigTooNew { .. } => Code::ConfigTooNew,
            ConnectionError::ConfigUnwritable { .. } => Code::ConfigUnwritable,
            ConnectionError::ConfigBusy { .. } => Code::ConfigBusy,
            ConnectionError::CaCertUnreadable { .. } => Code::CaCertUnreadable,
            ConnectionError::TriggersNotForgotten { .. } => Code::StateFile,
        }
    }

    /// The finer reason, when there is one (a key error's code, a field error's detail).
    pub fn detail(&self) -> Option<&str> {
        match self {
            ConnectionError::KeyInvalid(e) | ConnectionError::KeyGenerate(e) => Some(e.detail()),
            ConnectionError::Invalid { problem, .. } => problem.detail.as_deref(),
            _ => None,
        }
    }

    /// The wizard field the error belongs to, when one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ConnectionError::KeyInvalid(_) | ConnectionError::KeyMissing { .. } => {
                Some("private_key")
            }
            ConnectionError::InvalidName { .. } | ConnectionError::DuplicateName { .. } => {
                Some("name")
            }
            ConnectionError::Invalid { field, .. } => Some(field),
            ConnectionError::CaCertUnreadable { .. } => Some("ca_cert"),
            _ => None,
        }
    }

    /// What to do, in plain words.
    pub fn fix(&self) -> String {
        match self {
            ConnectionError::KeyringUnavailable { .. } => {
                if cfg!(target_os = "linux") {
                    "No Secret Service is running: start your desktop's keyring (GNOME Keyring/KWallet) or log in to a desktop session, then try again.".into()
                } else {
                    "The system keychain did not answer: log in to your desktop session, then try again.".into()
                }
            }
            ConnectionError::KeyringLocked { .. } => "Unlock your keyring (on Linux: Passwords and Keys / Seahorse > Login > Unlock, or log out and in again; if there is no Login keyring, create one there and make it the default), then try again.".into(),
            ConnectionError::KeyringFailed { .. } => "Try again; if it persists, open your keyring manager (Passwords and Keys / Seahorse, Keychain Access, Credential Manager) and look for entries of \"dev.dsjwt.studio\".".into(),
            ConnectionError::KeyMissing { name } => format!("Give the private key of connection \"{name}\" again (or generate a new key pair and register its public key on the integration key); it is kept only in this computer's keyring."),
            ConnectionError::KeyInvalid(e) => e.fix(),
            ConnectionError::KeyGenerate(_) => "Try again; if it persists, create the key pair in DocuSign (Apps and Keys > your app > Add RSA Keypair) and use its private key.".into(),
            ConnectionError::NotFound { .. } => "Check the name against the list of saved connections, or create the connection first.".into(),
            ConnectionError::Ambiguous { .. } => "Name the connection to use.".into(),
            ConnectionError::InvalidName { .. } => format!("Use 1 to {MAX_NAME_CHARS} letters, digits, spaces, dashes, underscores or dots, e.g. \"Demo account\"."),
            ConnectionError::DuplicateName { existing, .. } => format!("Pick another name, or change the saved \"{existing}\" instead of adding a new one."),
            ConnectionError::Invalid { problem, .. } => problem.fix.clone(),
            ConnectionError::ConfigUnreadable { path, .. } => format!("Check the permissions of {} (it should belong to you, mode 0600).", path.display()),
            ConnectionError::ConfigCorrupt { path, .. } => format!("Move {} aside (rename it), then add the connections again; the keys are still in the keyring.", path.display()),
            ConnectionError::ConfigEnvironmentMismatch { path, name, auth_server, .. } => format!("In {}, make \"environment\" and \"auth_server\" of \"{name}\" agree (auth server {auth_server} is the {} environment's), or move the file aside and add the connections again; the keys are still in the keyring.", path.display(), Environment::from_auth_kind(auth_server.kind())),
            ConnectionError::ConfigTooNew { .. } => "Update DocuSign JWT Studio, or use the version that wrote the file.".into(),
            ConnectionError::ConfigUnwritable { path, .. } => format!("Check that {} is writable (disk full? permissions?).", path.display()),
            ConnectionError::ConfigBusy { .. } => "Wait for the other Studio window or command-line run to finish (it may be waiting for the keyring to be unlocked), then try again.".into(),
            ConnectionError::CaCertUnreadable { .. } => "Start the sandbox again (it writes a new CA file), or point the connection at the emulator's ca.pem.".into(),
            ConnectionError::TriggersNotForgotten { .. } => "Check that the data folder is writable and not full. Until then, a connection added again with the same integration key and account ID finds these triggers as they were.".into(),
        }
    }

    fn invalid(field: &'static str, e: SettingError) -> ConnectionError {
        ConnectionError::Invalid {
            field,
            problem: Box::new(e.problem().with_field(field)),
        }
    }
}

/// Code, detail, message, fix and field together, for the UI and `--json` output.
impl AsProblem for ConnectionError {
    fn problem(&self) -> Problem {
        if let ConnectionError::Invalid { problem, .. } = self {
            return (**problem).clone();
        }
        Problem {
            code: self.code(),
            detail: self.detail().map(String::from),
            message: capitalise(&self.to_string()),
            fix: self.fix(),
            field: self.field().map(String::from),
        }
    }
}

crate::problem::problem_from!(ConnectionError);

pub(crate) use crate::problem::capitalise;

/// Checks a connection name: trimmed, 1..=64 characters, letters, digits, space, `-`, `_`, `.`.
/// Returns the trimmed name.
///
/// # Errors
/// [`ConnectionError::InvalidName`].
pub fn validate_name(input: &str) -> Result<String, ConnectionError> {
    let name = input.trim();
    let bad = |reason: String| ConnectionError::InvalidName {
        name: input.to_string(),
        reason,
    };
    if name.is_empty() {
        return Err(bad("it is empty".into()));
    }
    let len = name.chars().count();
    if len > MAX_NAME_CHARS {
        return Err(bad(format!(
            "it has {len} characters, at most {MAX_NAME_CHARS} are allowed"
        )));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.')))
    {
        return Err(bad(format!(
            "'{}' is not allowed (only letters, digits, space, - _ .)",
            c.escape_default()
        )));
    }
    Ok(name.to_string())
}

/// Checks that `auth` is `environment`'s auth server: demo's, production's, or (sandbox) a
/// custom one.
///
/// # Errors
/// [`ConnectionError::Invalid`] `environment_mismatch` (detail `auth_server_environment`, field
/// `auth_server`), naming both.
pub(crate) fn check_auth_environment(
    environment: Environment,
    auth: &AuthServer,
) -> Result<(), ConnectionError> {
    if auth.kind() == environment.auth_kind() {
        return Ok(());
    }
    let message = match environment {
        Environment::Sandbox => format!("The sandbox environment needs the emulator's https://127.0.0.1:PORT auth server, not {}", auth.host()),
        _ => format!("The {environment} environment's auth server is {}, but {} was given", if environment == Environment::Demo { environment::DEMO_AUTH_HOST } else { environment::PRODUCTION_AUTH_HOST }, auth.host()),
    };
    let fix = "Pick the environment that matches the auth server: demo (account-d.docusign.com) for a developer account, production (account.docusign.com) after Go-Live, sandbox for the Studio's emulator.";
    Err(ConnectionError::Invalid {
        field: "auth_server",
        problem: Box::new(
            Problem::new(Code::EnvironmentMismatch, message, fix)
                .with_detail("auth_server_environment")
                .with_field("auth_server"),
        ),
    })
}

/// Validates and normalises every non-secret field (not timestamps or fingerprint).
fn normalise(mut conn: Connection) -> Result<Connection, ConnectionError> {
    conn.name = validate_name(&conn.name)?;
    // A label pasted along with a value (`Integration Key: 1a2b…`) is not part of it.
    let unlabel = |field: &str, v: &mut String| {
        if let Some((_, value)) = pasted::strip_label(field, v) {
            *v = value;
        }
    };
    unlabel("integration_key", &mut conn.integration_key);
    unlabel("user_id", &mut conn.user_id);
    unlabel("account_id", &mut conn.account_id);
    unlabel("base_uri", &mut conn.base_uri);
    if let Some(r) = conn.redirect_uri.as_mut() {
        unlabel("redirect_uri", r);
    }
    let auth = conn.auth_server.server().clone();
    check_auth_environment(conn.environment, &auth)?;
    conn.integration_key = environment::check_guid("integration key", &conn.integration_key)
        .map_err(|e| ConnectionError::invalid("integration_key", e))?;
    conn.user_id = environment::check_guid("user ID", &conn.user_id)
        .map_err(|e| ConnectionError::invalid("user_id", e))?;
    conn.account_id = environment::check_guid("account ID", &conn.account_id)
        .map_err(|e| ConnectionError::invalid("account_id", e))?;
    let base =
        BaseUri::parse(&conn.base_uri).map_err(|e| ConnectionError::invalid("base_uri", e))?;
    environment::check_environment(&auth, &base)
        .map_err(|e| ConnectionError::invalid("base_uri", e))?;
    conn.base_uri = base.as_str().to_string();
    conn.redirect_uri = match conn.redirect_uri.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) => Some(
            environment::check_redirect_uri(r)
                .map_err(|e| ConnectionError::invalid("redirect_uri", e))?,
        ),
    };
    conn.ca_cert = conn.ca_cert.filter(|p| !p.as_os_str().is_empty());
    if conn.ca_cert.is_some() {
        environment::check_ca_cert_allowed(&auth)
            .map_err(|e| ConnectionError::invalid("ca_cert", e))?;
    }
    Ok(conn)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const IK: &str = "1a2b3c4d-1234-5678-9abc-0123456789ab";
    const UID: &str = "6f1d2c0e-0b1a-4c1e-9d55-6f4f6f5b2c11";
    const ACC: &str = "9e8d7c6b-5a49-4837-a625-140312345678";

    #[test]
    fn names() {
        assert_eq!(
            validate_name("  Demo account_1.b-2 ").unwrap(),
            "Demo account_1.b-2"
        );
        assert_eq!(validate_name("Démo").unwrap(), "Démo");
        assert_eq!(validate_name("").unwrap_err().code(), "invalid_name");
        assert_eq!(validate_name("a/b").unwrap_err().code(), "invalid_name");
        assert_eq!(
            validate_name(&"x".repeat(65)).unwrap_err().code(),
            "invalid_name"
        );
        assert!(validate_name(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn normalise_fields() {
        let mut c = Connection::new(
            " Demo ",
            Environment::Demo,
            format!(" {IK} "),
            UID,
            ACC,
            "demo.docusign.net/restapi",
        );
        c.auth_server = "https://account-d.docusign.com/".parse().unwrap();
        c.redirect_uri = Some("  ".into());
        let n = normalise(c).unwrap();
        assert_eq!(n.name, "Demo");
        assert_eq!(n.integration_key, IK);
        assert_eq!(n.base_uri, "https://demo.docusign.net");
        assert_eq!(n.auth_server.to_string(), "demo");
        assert_eq!(n.redirect_uri, None);
    }

    /// A field's setting error reaches the connection's problem whole: the setting error's own
    /// problem (code, detail, message, fix) with the field added, nothing copied by hand.
    #[test]
    fn a_field_error_is_the_setting_errors_problem_with_its_field() {
        let c = Connection::new(
            "U",
            Environment::Demo,
            IK,
            "ada@example.com",
            ACC,
            "https://demo.docusign.net",
        );
        let e = normalise(c).unwrap_err();
        let setting = environment::check_guid("user ID", "ada@example.com").unwrap_err();
        assert_eq!(e.problem(), setting.problem().with_field("user_id"));
        let p = e.problem();
        assert_eq!(p.code, Code::UserIdMalformed);
        assert_eq!(p.detail.as_deref(), Some("email_not_user_id"));
        assert!(
            p.message.starts_with("The user ID \"ada@example.com\""),
            "{}",
            p.message
        );
        assert_eq!(e.to_string(), p.message);
        assert_eq!(e.fix(), p.fix);
        assert_eq!(e.detail(), p.detail.as_deref());
    }

    #[test]
    fn normalise_refuses_mixed_environments() {
        // F25: production environment with the demo base URI.
        let c = Connection::new(
            "P",
            Environment::Production,
            IK,
            UID,
            ACC,
            "https://demo.docusign.net",
        );
        let e = normalise(c).unwrap_err();
        assert_eq!(e.code(), "environment_mismatch");
        assert_eq!(e.field(), Some("base_uri"));
        // Demo environment with the production auth server.
        let mut c = Connection::new(
            "D",
            Environment::Demo,
            IK,
            UID,
            ACC,
            "https://demo.docusign.net",
        );
        c.auth_server = SavedAuthServer::production();
        assert_eq!(normalise(c).unwrap_err().code(), "environment_mismatch");
        // Sandbox needs a custom auth server.
        let c = Connection::new(
            "S",
            Environment::Sandbox,
            IK,
            UID,
            ACC,
            "https://127.0.0.1:9443",
        );
        assert_eq!(normalise(c).unwrap_err().code(), "environment_mismatch");
        let mut c = Connection::new(
            "S",
            Environment::Sandbox,
            IK,
            UID,
            ACC,
            "https://127.0.0.1:9443",
        );
        c.auth_server = "https://127.0.0.1:9443/".parse().unwrap();
        assert_eq!(
            normalise(c).unwrap().auth_server.to_string(),
            "https://127.0.0.1:9443"
        );
    }

    #[test]
    fn error_info_has_code_and_fix() {
        let e = ConnectionError::NotFound {
            name: "x".into(),
            known: vec!["Demo".into(), "Sandbox".into()],
        };
        let i = e.problem();
        assert_eq!(i.code, "not_found");
        assert!(i.message.contains("Demo, Sandbox"), "{}", i.message);
        assert!(!i.fix.is_empty());
        // Neutral words: the CLI replaces with a flag, the desktop edits from its list (found by a
        // fresh-user run: the CLI was told to "edit", which it has no command for).
        let e = ConnectionError::DuplicateName {
            name: "emu".into(),
            existing: "emu".into(),
        };
        assert_eq!(
            e.fix(),
            "Pick another name, or change the saved \"emu\" instead of adding a new one."
        );
    }

    #[test]
    fn corrupt_file_is_reported_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConnectionStore::open(dir.path()).unwrap();
        std::fs::write(
            store.config_path(),
            b"{\"version\": 1, \"connections\": [ {\"name\": ",
        )
        .unwrap();
        let e = store.list().unwrap_err();
        assert_eq!(e.code(), "config_corrupt");
        assert!(e.to_string().contains("connections.json"));
        std::fs::write(store.config_path(), b"{\"version\": 7}").unwrap();
        assert_eq!(store.list().unwrap_err().code(), "config_too_new");
        std::fs::write(store.config_path(), b"{\"connections\": []}").unwrap();
        assert_eq!(store.list().unwrap_err().code(), "config_corrupt");
    }

    /// A `connections.json` as written before the auth server was typed (the same text form):
    /// it loads, each auth server read as what it names.
    #[test]
    fn a_file_written_with_the_auth_server_as_text_loads() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConnectionStore::open(dir.path()).unwrap();
        let entry = |name: &str, env: &str, base: &str, auth: &str| {
            format!(
                r#"{{"name": "{name}", "environment": "{env}", "integration_key": "{IK}", "user_id": "{UID}", "account_id": "{ACC}", "base_uri": "{base}", "auth_server": "{auth}", "ca_cert": null, "redirect_uri": "https://localhost/callback", "key_fingerprint": "SHA256:abc", "created_at": "2026-11-29T10:00:00Z", "updated_at": "2026-11-29T10:00:00Z"}}"#
            )
        };
        let text = format!(
            "{{\n  \"version\": 1,\n  \"connections\": [{}, {}, {}]\n}}\n",
            entry("Demo", "demo", "https://demo.docusign.net", "demo"),
            entry(
                "Prod",
                "production",
                "https://na3.docusign.net",
                "production"
            ),
            entry(
                "Sandbox",
                "sandbox",
                "https://127.0.0.1:9443",
                "https://127.0.0.1:9443"
            ),
        );
        std::fs::write(store.config_path(), text).unwrap();
        let list = store.list().unwrap();
        let (demo, prod, sandbox) = (&list[0], &list[1], &list[2]);
        assert_eq!(demo.auth_server, SavedAuthServer::demo());
        assert_eq!(demo.auth_server.host(), "account-d.docusign.com");
        assert_eq!(prod.auth_server, SavedAuthServer::production());
        assert_eq!(prod.auth_server.host(), "account.docusign.com");
        assert_eq!(sandbox.auth_server.kind(), AuthServerKind::Custom);
        assert_eq!(sandbox.auth_server.host(), "127.0.0.1:9443");
        assert_eq!(sandbox.auth_server.origin(), "https://127.0.0.1:9443");
        // Written back in the same text form.
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(json[0]["auth_server"], "demo");
        assert_eq!(json[1]["auth_server"], "production");
        assert_eq!(json[2]["auth_server"], "https://127.0.0.1:9443");
    }

    /// A stored auth server that does not parse, or that is not the environment's, is reported
    /// (naming the file, the connection and what is wrong) and the file kept as is.
    #[test]
    fn a_stored_auth_server_that_is_wrong_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConnectionStore::open(dir.path()).unwrap();
        let file = |env: &str, auth: &str| {
            format!(
                r#"{{"version": 1, "connections": [{{"name": "Acme", "environment": "{env}", "integration_key": "{IK}", "user_id": "{UID}", "account_id": "{ACC}", "base_uri": "https://demo.docusign.net", "auth_server": "{auth}", "ca_cert": null, "redirect_uri": null, "key_fingerprint": null, "created_at": "", "updated_at": ""}}]}}"#
            )
        };
        std::fs::write(
            store.config_path(),
            file("demo", "http://account-d.docusign.com"),
        )
        .unwrap();
        let e = store.list().unwrap_err();
        assert_eq!(e.code(), "config_corrupt");
        let m = e.to_string();
        assert!(m.contains("connections[0].auth_server is not valid"), "{m}");
        assert!(m.contains("plain http://"), "{m}");
        assert!(
            !m.contains("account-d.docusign.com"),
            "the text is not repeated: {m}"
        );

        let text = file("production", "demo");
        std::fs::write(store.config_path(), &text).unwrap();
        for e in [store.list().unwrap_err(), store.get("Acme").unwrap_err()] {
            assert_eq!(e.code(), "config_corrupt");
            assert!(
                matches!(e, ConnectionError::ConfigEnvironmentMismatch { .. }),
                "{e:?}"
            );
            let m = e.to_string();
            assert!(
                m.contains("\"Acme\" has environment production but auth server demo"),
                "{m}"
            );
            assert!(m.contains("connections.json"), "{m}");
            assert!(
                e.fix().contains("\"environment\" and \"auth_server\""),
                "{}",
                e.fix()
            );
        }
        assert_eq!(std::fs::read_to_string(store.config_path()).unwrap(), text);
    }

    #[test]
    fn missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConnectionStore::open(dir.path().join("sub")).unwrap();
        assert!(store.list().unwrap().is_empty());
        let e = store.get("Demo").unwrap_err();
        assert_eq!(e.code(), "not_found");
        assert!(e.to_string().contains("no saved connections"));
    }
}
