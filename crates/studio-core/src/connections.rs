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

mod auth_server;
pub(crate) mod pasted;
mod secrets;

pub use auth_server::SavedAuthServer;

use docusign_api::environment::{self, AuthServer, AuthServerKind, BaseUri, SettingError};
use docusign_api::key::{self, LoadedKey};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::health::CheckInput;
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
    #[error("{message}")]
    Invalid {
        /// The field (`integration_key`, `user_id`, `account_id`, `base_uri`, `auth_server`,
        /// `redirect_uri`).
        field: &'static str,
        /// Stable code (as in the health check's settings step).
        code: &'static str,
        /// The finer reason.
        detail: &'static str,
        /// What was found.
        message: String,
        /// What to type instead.
        fix: String,
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
    /// `key_missing`, `key_invalid`, `key_generate_failed`, `not_found`, `invalid_name`,
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
            ConnectionError::InvalidName { .. } => Code::InvalidName,
            ConnectionError::DuplicateName { .. } => Code::DuplicateName,
            ConnectionError::Invalid { code, .. } => Code::from_wire_or_unknown(code),
            ConnectionError::ConfigUnreadable { .. } => Code::ConfigUnreadable,
            ConnectionError::ConfigCorrupt { .. }
            | ConnectionError::ConfigEnvironmentMismatch { .. } => Code::ConfigCorrupt,
            ConnectionError::ConfigTooNew { .. } => Code::ConfigTooNew,
            ConnectionError::ConfigUnwritable { .. } => Code::ConfigUnwritable,
            ConnectionError::ConfigBusy { .. } => Code::ConfigBusy,
            ConnectionError::CaCertUnreadable { .. } => Code::CaCertUnreadable,
        }
    }

    /// The finer reason, when there is one (a key error's code, a field error's detail).
    pub fn detail(&self) -> Option<&'static str> {
        match self {
            ConnectionError::KeyInvalid(e) | ConnectionError::KeyGenerate(e) => Some(e.detail()),
            ConnectionError::Invalid { detail, .. } => Some(detail),
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
            ConnectionError::KeyMissing { name } => format!("Paste the private key of connection \"{name}\" again (or generate a new key pair and register its public key on the integration key); it is kept only in this computer's keyring."),
            ConnectionError::KeyInvalid(e) => e.fix(),
            ConnectionError::KeyGenerate(_) => "Try again; if it persists, create the key pair in DocuSign (Apps and Keys > your app > Add RSA Keypair) and paste its private key.".into(),
            ConnectionError::NotFound { .. } => "Check the name against the list of saved connections, or create the connection first.".into(),
            ConnectionError::InvalidName { .. } => format!("Use 1 to {MAX_NAME_CHARS} letters, digits, spaces, dashes, underscores or dots, e.g. \"Demo account\"."),
            ConnectionError::DuplicateName { existing, .. } => format!("Pick another name, or change the saved \"{existing}\" instead of adding a new one."),
            ConnectionError::Invalid { fix, .. } => fix.clone(),
            ConnectionError::ConfigUnreadable { path, .. } => format!("Check the permissions of {} (it should belong to you, mode 0600).", path.display()),
            ConnectionError::ConfigCorrupt { path, .. } => format!("Move {} aside (rename it), then add the connections again; the keys are still in the keyring.", path.display()),
            ConnectionError::ConfigEnvironmentMismatch { path, name, auth_server, .. } => format!("In {}, make \"environment\" and \"auth_server\" of \"{name}\" agree (auth server {auth_server} is the {} environment's), or move the file aside and add the connections again; the keys are still in the keyring.", path.display(), Environment::from_auth_kind(auth_server.kind())),
            ConnectionError::ConfigTooNew { .. } => "Update DocuSign JWT Studio, or use the version that wrote the file.".into(),
            ConnectionError::ConfigUnwritable { path, .. } => format!("Check that {} is writable (disk full? permissions?).", path.display()),
            ConnectionError::ConfigBusy { .. } => "Wait for the other Studio window or command-line run to finish (it may be waiting for the keyring to be unlocked), then try again.".into(),
            ConnectionError::CaCertUnreadable { .. } => "Start the sandbox again (it writes a new CA file), or point the connection at the emulator's ca.pem.".into(),
        }
    }

    fn invalid(field: &'static str, e: SettingError) -> ConnectionError {
        ConnectionError::Invalid {
            field,
            code: e.code(),
            detail: e.detail(),
            message: capitalise(&e.to_string()),
            fix: e.fix(),
        }
    }
}

/// Code, detail, message, fix and field together, for the UI and `--json` output.
impl AsProblem for ConnectionError {
    fn problem(&self) -> Problem {
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

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

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
    Err(ConnectionError::Invalid {
        field: "auth_server",
        code: "environment_mismatch",
        detail: "auth_server_environment",
        message,
        fix: "Pick the environment that matches the auth server: demo (account-d.docusign.com) for a developer account, production (account.docusign.com) after Go-Live, sandbox for the Studio's emulator.".into(),
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

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The config file's shape on disk.
#[derive(Serialize, Deserialize)]
struct ConfigFile {
    version: u64,
    #[serde(default)]
    connections: Vec<Connection>,
}

/// Saved connections: `connections.json` in a config folder plus the OS keyring.
///
/// Cheap to clone; every call reads the file afresh (the CLI may have changed it). Keyring calls
/// block (D-Bus round trips, maybe an unlock prompt): from async code call the methods inside
/// `tokio::task::spawn_blocking`.
#[derive(Clone, Debug)]
pub struct ConnectionStore {
    config_dir: PathBuf,
    keyring_service: String,
}

impl ConnectionStore {
    /// Uses `config_dir` (created with mode 0700 if missing) and the keyring service
    /// `$DSJWT_KEYRING_SERVICE` or [`KEYRING_SERVICE`]. Does not read the file yet.
    ///
    /// # Errors
    /// `config_unwritable` when the folder cannot be created.
    pub fn open(config_dir: impl Into<PathBuf>) -> Result<Self, ConnectionError> {
        let config_dir = config_dir.into();
        create_private_dir(&config_dir).map_err(|source| ConnectionError::ConfigUnwritable {
            path: config_dir.clone(),
            source,
        })?;
        let keyring_service = crate::keyring_names::service();
        Ok(ConnectionStore {
            config_dir,
            keyring_service,
        })
    }

    /// The same store with keys under another keyring service name (tests, profiles).
    pub fn with_keyring_service(mut self, service: impl Into<String>) -> Self {
        self.keyring_service = service.into();
        self
    }

    /// `$DSJWT_CONFIG_DIR` when set, otherwise the platform config folder +
    /// `dev.dsjwt.studio` (`~/.config/dev.dsjwt.studio` on Linux).
    pub fn default_config_dir() -> PathBuf {
        if let Some(d) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
            return PathBuf::from(d);
        }
        dirs::config_dir()
            .unwrap_or_else(std::env::temp_dir)
            .join("dev.dsjwt.studio")
    }

    /// The config folder.
    pub fn config_dir(&self) -> &Path {
        &self.config_dir
    }

    /// The config file (`connections.json` in the config folder).
    pub fn config_path(&self) -> PathBuf {
        self.config_dir.join(CONFIG_FILE)
    }

    /// The keyring service name keys are stored under.
    pub fn keyring_service(&self) -> &str {
        &self.keyring_service
    }

    /// Checks that the keyring answers (a lookup of an entry that does not exist). Does not
    /// detect a locked keyring: that shows on the first read or write. (The probe name, with `#`,
    /// cannot be a connection name.)
    ///
    /// # Errors
    /// `keyring_unavailable` (no Secret Service / keychain), `keyring_failed`.
    pub fn check_keyring(&self) -> Result<(), ConnectionError> {
        secrets::KeyEntry::new(&self.keyring_service, "#keyring-probe")?
            .get()
            .map(|_| ())
    }

    /// Every saved connection, in the file's order (oldest first).
    ///
    /// # Errors
    /// `config_unreadable`, `config_corrupt`, `config_too_new`.
    pub fn list(&self) -> Result<Vec<Connection>, ConnectionError> {
        self.read().map(|f| f.connections)
    }

    /// The connection named `name` (letter case ignored).
    ///
    /// # Errors
    /// `not_found` (listing the known names), or a config error as [`ConnectionStore::list`].
    pub fn get(&self, name: &str) -> Result<Connection, ConnectionError> {
        let file = self.read()?;
        find(&file.connections, name)
            .map(|i| file.connections[i].clone())
            .ok_or_else(|| not_found(name, &file.connections))
    }

    /// Saves `conn` (creating it, or replacing the one of the same name), with its private key
    /// when given, and returns it as stored.
    ///
    /// - Fields are validated and normalised as in the wizard (GUIDs, base URI, auth server,
    ///   environments agree, redirect URI); `created_at` is kept from the existing entry,
    ///   `updated_at` set to now.
    /// - `private_key` (file bytes or pasted text, any form [`key::load_private_key_bytes`]
    ///   accepts) is stored normalised as PKCS#1 PEM in the keyring and
    ///   `key_fingerprint` set from it. Without a key the existing keyring entry is kept (and its
    ///   fingerprint recorded); there must be one.
    /// - The keyring is written first; if the config file then cannot be written, the keyring
    ///   entry is put back as it was.
    ///
    /// # Errors
    /// `invalid_name`, `duplicate_name` (same name in other letter case), a field code,
    /// `key_invalid`, `key_missing`, keyring and config errors.
    pub fn save(
        &self,
        conn: Connection,
        private_key: Option<&[u8]>,
    ) -> Result<Connection, ConnectionError> {
        self.write_connection(conn, private_key, false)
    }

    /// Like [`ConnectionStore::save`] with a key, but fails with `duplicate_name` when a
    /// connection of that name exists (the wizard's "Create" button).
    ///
    /// # Errors
    /// As [`ConnectionStore::save`].
    pub fn create(
        &self,
        conn: Connection,
        private_key: &[u8],
    ) -> Result<Connection, ConnectionError> {
        self.write_connection(conn, Some(private_key), true)
    }

    fn write_connection(
        &self,
        conn: Connection,
        private_key: Option<&[u8]>,
        must_be_new: bool,
    ) -> Result<Connection, ConnectionError> {
        let mut conn = normalise(conn)?;
        let loaded = private_key
            .map(key::load_private_key_bytes)
            .transpose()
            .map_err(ConnectionError::KeyInvalid)?;
        let _lock = self.lock()?;
        let mut file = self.read()?;
        let existing = find(&file.connections, &conn.name);
        if let Some(i) = existing {
            let old = &file.connections[i];
            if must_be_new || old.name != conn.name {
                return Err(ConnectionError::DuplicateName {
                    name: conn.name,
                    existing: old.name.clone(),
                });
            }
        }
        let entry = secrets::KeyEntry::new(&self.keyring_service, &conn.name)?;
        // Keyring first, remembering what to put back if the file write fails.
        let previous = entry.get()?.map(key::Zeroizing::new);
        match &loaded {
            Some(l) => {
                let pem = key::Zeroizing::new(l.key.to_pkcs1_pem());
                entry.set(&pem)?;
                conn.key_fingerprint = Some(l.info.fingerprint.clone());
            }
            None => {
                let pem = previous
                    .as_ref()
                    .ok_or_else(|| ConnectionError::KeyMissing {
                        name: conn.name.clone(),
                    })?;
                let stored = key::load_private_key(pem).map_err(ConnectionError::KeyInvalid)?;
                conn.key_fingerprint = Some(stored.info.fingerprint.clone());
            }
        }
        let now = now_rfc3339();
        conn.updated_at = now.clone();
        conn.created_at = existing
            .map(|i| file.connections[i].created_at.clone())
            .filter(|c| !c.is_empty())
            .unwrap_or(now);
        match existing {
            Some(i) => file.connections[i] = conn.clone(),
            None => file.connections.push(conn.clone()),
        }
        if let Err(e) = self.write(&file) {
            if loaded.is_some() {
                let restored = match &previous {
                    Some(p) => entry.set(p),
                    None => entry.delete().map(|_| ()),
                };
                if let Err(r) = restored {
                    tracing::warn!(connection = %conn.name, error = %r, "could not put the keyring entry back after a failed save");
                }
            }
            return Err(e);
        }
        Ok(conn)
    }

    /// Removes the connection: its keyring entry first, then its config entry.
    ///
    /// # Errors
    /// `not_found`, keyring errors (the config entry is then kept), config errors.
    pub fn remove(&self, name: &str) -> Result<(), ConnectionError> {
        let _lock = self.lock()?;
        let mut file = self.read()?;
        let i = find(&file.connections, name).ok_or_else(|| not_found(name, &file.connections))?;
        let conn = file.connections.remove(i);
        secrets::KeyEntry::new(&self.keyring_service, &conn.name)?.delete()?;
        self.write(&file)
    }

    /// The connection's private key, from the keyring.
    ///
    /// # Errors
    /// `not_found`, `key_missing`, `key_invalid` (the keyring holds something else), keyring and
    /// config errors.
    pub fn private_key(&self, name: &str) -> Result<LoadedKey, ConnectionError> {
        let conn = self.get(name)?;
        let pem = self.stored_pem(&conn)?;
        key::load_private_key_bytes(pem.expose()).map_err(ConnectionError::KeyInvalid)
    }

    fn stored_pem(&self, conn: &Connection) -> Result<key::PrivateKeyBytes, ConnectionError> {
        let entry = secrets::KeyEntry::new(&self.keyring_service, &conn.name)?;
        entry
            .get()?
            .map(key::PrivateKeyBytes::from_text)
            .ok_or_else(|| ConnectionError::KeyMissing {
                name: conn.name.clone(),
            })
    }

    /// Everything [`crate::health::run`] needs for this connection: its fields, the key from the
    /// keyring, and the CA file's contents (sandbox). No timeout and no observer are set.
    ///
    /// # Errors
    /// `not_found`, `key_missing`, `ca_cert_unreadable`, keyring and config errors.
    pub fn check_input(&self, name: &str) -> Result<CheckInput, ConnectionError> {
        let conn = self.get(name)?;
        let pem = self.stored_pem(&conn)?;
        let ca_cert_pem = match &conn.ca_cert {
            Some(p) => Some(docusign_api::files::read_ca_file(p).map_err(|source| {
                ConnectionError::CaCertUnreadable {
                    path: p.clone(),
                    source,
                }
            })?),
            None => None,
        };
        Ok(CheckInput {
            integration_key: conn.integration_key,
            user_id: conn.user_id,
            account_id: conn.account_id,
            base_uri: conn.base_uri,
            auth_server: conn.auth_server.to_string(),
            private_key: pem,
            ca_cert_pem,
            redirect_uri: conn.redirect_uri,
            timeout: None,
            observer: None,
        })
    }

    fn read(&self) -> Result<ConfigFile, ConnectionError> {
        let path = self.config_path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ConfigFile {
                    version: CONFIG_VERSION,
                    connections: vec![],
                })
            }
            Err(source) => return Err(ConnectionError::ConfigUnreadable { path, source }),
        };
        let corrupt = |reason: String| ConnectionError::ConfigCorrupt {
            path: path.clone(),
            reason,
        };
        // Report only where the problem is, never the text (a key pasted into the file by
        // hand must not end up in an error message).
        let where_ = |e: &serde_json::Error| {
            format!(
                "{:?} error at line {}, column {}",
                e.classify(),
                e.line(),
                e.column()
            )
            .to_lowercase()
        };
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| corrupt(format!("not JSON: {}", where_(&e))))?;
        let version = match value.get("version") {
            Some(v) => v
                .as_u64()
                .ok_or_else(|| corrupt("\"version\" is not a number".into()))?,
            None => return Err(corrupt("no \"version\" field".into())),
        };
        if version > CONFIG_VERSION {
            return Err(ConnectionError::ConfigTooNew { path, version });
        }
        let file: ConfigFile = serde_path_to_error::deserialize(value).map_err(|e| {
            let field = e.path().to_string();
            // The auth server's own message says what is wrong without its text.
            corrupt(if field.ends_with(".auth_server") {
                format!("{field} is not valid: {}", e.inner())
            } else {
                format!("{field} is not valid")
            })
        })?;
        if let Some(c) = file
            .connections
            .iter()
            .find(|c| check_auth_environment(c.environment, &c.auth_server).is_err())
        {
            return Err(ConnectionError::ConfigEnvironmentMismatch {
                path,
                name: c.name.clone(),
                environment: c.environment,
                auth_server: c.auth_server.clone(),
            });
        }
        Ok(file)
    }

    fn write(&self, file: &ConfigFile) -> Result<(), ConnectionError> {
        let path = self.config_path();
        let out = ConfigFile {
            version: CONFIG_VERSION,
            connections: file.connections.clone(),
        };
        let mut json =
            serde_json::to_vec_pretty(&out).map_err(|e| ConnectionError::ConfigUnwritable {
                path: path.clone(),
                source: std::io::Error::other(e),
            })?;
        json.push(b'\n');
        write_atomic(&path, &json)
            .map_err(|source| ConnectionError::ConfigUnwritable { path, source })
    }

    /// Takes the OS lock (flock / LockFileEx, through fs4) on `connections.json.lock`, waiting up
    /// to [`LOCK_WAIT`] for another process (the app or a CLI run) that holds it. The OS releases
    /// the lock when its holder closes the file or dies (kill -9 included), so a lock is never
    /// "stale" and never broken by age; the file itself stays (mode 0600).
    fn lock(&self) -> Result<ConfigLock, ConnectionError> {
        let path = self.config_dir.join(format!("{CONFIG_FILE}.lock"));
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600);
        }
        let file = opts
            .open(&path)
            .map_err(|source| ConnectionError::ConfigUnwritable {
                path: path.clone(),
                source,
            })?;
        let start = std::time::Instant::now();
        loop {
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => return Ok(ConfigLock { _file: file }),
                Err(fs4::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(fs4::TryLockError::WouldBlock) => {
                    return Err(ConnectionError::ConfigBusy { path })
                }
                Err(fs4::TryLockError::Error(source)) => {
                    return Err(ConnectionError::ConfigUnwritable { path, source })
                }
            }
        }
    }
}

/// The held OS lock on `connections.json.lock`; released when dropped (the file is closed).
struct ConfigLock {
    _file: std::fs::File,
}

fn find(list: &[Connection], name: &str) -> Option<usize> {
    let name = name.trim();
    list.iter().position(|c| c.name == name).or_else(|| {
        list.iter()
            .position(|c| c.name.to_lowercase() == name.to_lowercase())
    })
}

fn not_found(name: &str, list: &[Connection]) -> ConnectionError {
    ConnectionError::NotFound {
        name: name.to_string(),
        known: list.iter().map(|c| c.name.clone()).collect(),
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Temp file in the same folder (mode 0600), write, fsync, rename over `path`, fsync the folder.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = dir.join(format!(
        ".{}.{}.{nanos}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let result = (|| {
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
