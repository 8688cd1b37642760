//! The sandbox's life: start the embedded DocuSign emulator and keep a connection named
//! [`SANDBOX_CONNECTION_NAME`] for it, so the wizard, the health check, the consent page and
//! every action can be tried without a DocuSign account.
//!
//! The emulator runs in-process with its default world: one integration key, one user, one
//! account, an RSA key pair, and at first **no consent**: the user goes through the emulator's
//! consent page in the browser, as with DocuSign (over plain HTTP on 127.0.0.1, which browsers
//! accept without a certificate warning).
//!
//! The world **persists** in `data_dir/sandbox/` (see the emulator's `world.json`): the same
//! integration key, user, account, public key, CA certificate, consents and envelopes after a
//! restart, and the same port when it is free. [`start_sandbox`] resumes it when the saved
//! Sandbox connection belongs to it (the private key stays in the keyring), updating the
//! connection only if the port moved; [`resume_sandbox`] does the same at app start-up and does
//! nothing when there is nothing to resume; [`reset_sandbox`] makes a fresh world (new
//! identity, no consent, no envelopes sent by the user) and replaces the connection.

use crate::connections::{
    capitalise, Connection, ConnectionError, ConnectionStore, Environment, SavedAuthServer,
};
use crate::problem::{AsProblem, Code, Problem};
use docusign_emulator::{Emulator, EmulatorConfig, EmulatorError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The sandbox connection's name.
pub const SANDBOX_CONNECTION_NAME: &str = "Sandbox";
/// The emulator's folder under the data folder (`ca.pem` lives there).
pub const SANDBOX_DIR: &str = "sandbox";

/// Why the sandbox did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The emulator did not start (port, data folder, TLS). Code `sandbox_start_failed`.
    #[error("the sandbox could not start: {0}")]
    Start(#[from] EmulatorError),
    /// The emulator ran without default credentials (a world file). Code
    /// `sandbox_no_credentials`.
    #[error("the sandbox emulator did not create its default credentials")]
    NoCredentials,
    /// The emulator's private key file could not be read or deleted. Code `sandbox_key_file`.
    #[error("the sandbox key file {path} could not be {action}: {source}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// `read` or `deleted`.
        action: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// A connection named "Sandbox" exists for another environment; it is left alone. Code
    /// `sandbox_name_taken`.
    #[error("a connection named \"{name}\" already exists for the {environment} environment")]
    NameTaken {
        /// The name.
        name: String,
        /// Its environment.
        environment: Environment,
    },
    /// Saving the Sandbox connection failed (keyring, config). Code = the connection error's.
    #[error(transparent)]
    Connection(#[from] ConnectionError),
    /// A blocking task panicked or was cancelled. Code `sandbox_internal`.
    #[error("internal error: {0}")]
    Internal(String),
}

impl SandboxError {
    /// Stable snake_case code (a [`ConnectionError`]'s own code for keyring and config
    /// failures).
    pub fn code(&self) -> Code {
        match self {
            SandboxError::Start(_) => Code::SandboxStartFailed,
            SandboxError::NoCredentials => Code::SandboxNoCredentials,
            SandboxError::KeyFile { .. } => Code::SandboxKeyFile,
            SandboxError::NameTaken { .. } => Code::SandboxNameTaken,
            SandboxError::Connection(e) => e.code(),
            SandboxError::Internal(_) => Code::SandboxInternal,
        }
    }

    /// What to do, in plain words.
    pub fn fix(&self) -> String {
        match self {
            SandboxError::Start(EmulatorError::DataDir { path, .. }) => format!("Check that {} is writable (disk full? permissions?).", path.display()),
            SandboxError::Start(EmulatorError::WorldSyntax { .. } | EmulatorError::WorldInvalid { .. } | EmulatorError::WorldRead { .. }) => "The sandbox's saved world is damaged: reset the sandbox to start a fresh one.".into(),
            SandboxError::Start(_) => "Try again; if it persists, reset the sandbox to start a fresh one.".into(),
            SandboxError::NoCredentials | SandboxError::Internal(_) => "This is a bug in the Studio: please report it.".into(),
            SandboxError::KeyFile { path, .. } => format!("Check the permissions of {}; delete it by hand if it is still there (it holds a sandbox-only private key).", path.display()),
            SandboxError::NameTaken { name, .. } => format!("Rename your connection \"{name}\" (the sandbox needs that name), then start the sandbox again."),
            SandboxError::Connection(e) => e.fix(),
        }
    }
}

/// Code, message and fix for the front ends (a connection error's own problem for keyring and
/// config failures).
impl AsProblem for SandboxError {
    fn problem(&self) -> Problem {
        match self {
            SandboxError::Connection(e) => e.problem(),
            other => Problem::new(other.code(), capitalise(&other.to_string()), other.fix()),
        }
    }
}

crate::problem::problem_from!(SandboxError);

/// What the UI shows about a running sandbox.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SandboxInfo {
    /// `https://127.0.0.1:PORT`: auth server and base URI.
    pub url: String,
    /// The connection's name (`Sandbox`).
    pub connection_name: String,
    /// The emulator's CA certificate file (PEM).
    pub ca_cert: String,
    /// The consent URL to open in the browser (the emulator's consent page, plain HTTP on
    /// 127.0.0.1).
    pub consent_url: String,
    /// True when this start resumed the sandbox of an earlier run (same identity, envelopes).
    pub resumed: bool,
    /// True when the sandbox user has consented to the integration key (no consent step
    /// needed).
    pub consent_given: bool,
}

/// A running sandbox: the emulator plus its saved connection. Dropping it stops the emulator at
/// once; [`SandboxSession::shutdown`] stops it gracefully.
#[derive(Debug)]
pub struct SandboxSession {
    emulator: Emulator,
    connection: Connection,
}

impl SandboxSession {
    /// The emulator's URL, `https://127.0.0.1:PORT` (auth server and base URI).
    pub fn url(&self) -> String {
        self.emulator.url()
    }

    /// The saved connection's name ([`SANDBOX_CONNECTION_NAME`]).
    pub fn connection_name(&self) -> &str {
        &self.connection.name
    }

    /// The saved connection as stored.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// The consent URL for the sandbox's user and integration key (the emulator's consent
    /// page; `Allow` records consent in the emulator).
    pub fn consent_url(&self) -> String {
        let redirect = self
            .connection
            .redirect_uri
            .as_deref()
            .unwrap_or(docusign_emulator::DEFAULT_REDIRECT_URI);
        crate::wizard::consent_url(
            Environment::Sandbox,
            &self.connection.auth_server,
            &self.connection.integration_key,
            redirect,
        )
        .unwrap_or_default()
    }

    /// URL, connection name, CA file, consent URL and whether it resumed with consent.
    pub fn info(&self) -> SandboxInfo {
        SandboxInfo {
            url: self.url(),
            connection_name: self.connection.name.clone(),
            ca_cert: self.emulator.ca_cert_path().to_string_lossy().into_owned(),
            consent_url: self.consent_url(),
            resumed: self.emulator.resumed(),
            consent_given: self.consent_given(),
        }
    }

    /// Whether the sandbox user has consented to the connection's integration key.
    pub fn consent_given(&self) -> bool {
        self.emulator
            .has_consent(&self.connection.user_id, &self.connection.integration_key)
    }

    /// Changes each time consent is given in the sandbox (its consent page's Allow): the app
    /// confirms consent at once instead of waiting for its next try. Holds no lock on the
    /// session.
    pub fn consent_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.emulator.consent_changes()
    }

    /// The running emulator (request log, consent, clock, faults for tests and demos).
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// Stops the emulator, letting open requests finish (up to 5 s).
    pub async fn shutdown(self) {
        self.emulator.shutdown().await;
    }
}

/// Starts the sandbox: resumes the one saved in `data_dir/sandbox` when the saved "Sandbox"
/// connection belongs to it (same integration key; nothing is asked again), otherwise starts a
/// fresh one as [`reset_sandbox`] does.
///
/// # Errors
/// As [`reset_sandbox`].
pub async fn start_sandbox(
    data_dir: &Path,
    store: &ConnectionStore,
) -> Result<SandboxSession, SandboxError> {
    match resume_sandbox(data_dir, store).await? {
        Some(session) => Ok(session),
        None => reset_sandbox(data_dir, store).await,
    }
}

/// The emulator's URL (`https://127.0.0.1:PORT`) as the sandbox connection's auth server.
///
/// # Errors
/// `sandbox_internal` if it is not one (it always is: a loopback HTTPS origin).
fn emulator_auth_server(emulator: &Emulator) -> Result<SavedAuthServer, SandboxError> {
    SavedAuthServer::parse(&emulator.url()).map_err(|e| {
        SandboxError::Internal(format!("the sandbox's URL is not an auth server: {e}"))
    })
}

/// At app start-up: starts the sandbox of an earlier run again, with the same identity, when
/// a saved "Sandbox" connection (environment sandbox) and the emulator's saved world in
/// `data_dir/sandbox` belong together. Updates the connection's auth server, base URI,
/// redirect URI and CA file only when they moved (another port); the key is not touched.
/// `Ok(None)` when there is nothing to resume (no Sandbox connection, no saved world, or a
/// world of another integration key, which is left as it is).
///
/// # Errors
/// `sandbox_name_taken`, `sandbox_start_failed` (a damaged saved world, a data folder that
/// cannot be written), keyring and config errors.
pub async fn resume_sandbox(
    data_dir: &Path,
    store: &ConnectionStore,
) -> Result<Option<SandboxSession>, SandboxError> {
    let Some(existing) = sandbox_connection(store).await? else {
        return Ok(None);
    };
    let dir = data_dir.join(SANDBOX_DIR);
    if !dir.join(docusign_emulator::WORLD_FILE).is_file() {
        return Ok(None);
    }
    let emulator = Emulator::start(EmulatorConfig::new(&dir)).await?;
    let creds = emulator
        .default_credentials()
        .cloned()
        .ok_or(SandboxError::NoCredentials)?;
    if !creds
        .integration_key
        .eq_ignore_ascii_case(existing.integration_key.trim())
        || !creds.user_id.eq_ignore_ascii_case(existing.user_id.trim())
    {
        tracing::info!("the saved sandbox world belongs to another connection; not resumed");
        emulator.shutdown().await;
        return Ok(None);
    }
    let old_url = existing.auth_server.origin();
    let mut conn = existing.clone();
    conn.auth_server = emulator_auth_server(&emulator)?;
    if conn.base_uri.trim().is_empty() || conn.base_uri.trim().trim_end_matches('/') == old_url {
        conn.base_uri = creds.base_uri.clone();
    }
    conn.ca_cert = Some(emulator.ca_cert_path().to_path_buf());
    conn.redirect_uri = Some(creds.redirect_uri.clone());
    let connection = if conn == existing {
        existing
    } else {
        let s = store.clone();
        blocking(move || s.save(conn, None)).await??
    };
    tracing::info!(url = %emulator.url(), connection = %connection.name, "sandbox resumed");
    Ok(Some(SandboxSession {
        emulator,
        connection,
    }))
}

/// Starts a fresh sandbox (a new default world in `data_dir/sandbox`, replacing the saved one:
/// new integration key, user, account, key pair and CA, no consent, only the world's sample
/// envelopes) and saves a connection named "Sandbox" (environment `sandbox`) with its
/// integration key, user ID, account ID, base URI, auth server URL, CA file and redirect URI.
/// The private key goes from the emulator's `private_key.pem` into the keyring, and the file
/// is deleted.
///
/// # Errors
/// `sandbox_name_taken` when a non-sandbox connection is called "Sandbox",
/// `sandbox_start_failed`, `sandbox_key_file`, keyring and config errors
/// ([`ConnectionError`] codes). The emulator is stopped on any error.
pub async fn reset_sandbox(
    data_dir: &Path,
    store: &ConnectionStore,
) -> Result<SandboxSession, SandboxError> {
    sandbox_connection(store).await?;
    let mut config = EmulatorConfig::new(data_dir.join(SANDBOX_DIR));
    config.fresh = true;
    let emulator = Emulator::start(config).await?;
    let creds = emulator
        .default_credentials()
        .cloned()
        .ok_or(SandboxError::NoCredentials)?;
    let key_path = creds.private_key.clone();
    // Regular file, size-capped, like every key file read (the reason keeps its own words).
    let read = docusign_api::files::read_private_key_file(&key_path).map_err(|e| match e {
        docusign_api::files::FileReadError::Io { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    });
    // The key goes to the keyring only: remove the file whatever happens next.
    let removed = std::fs::remove_file(&key_path);
    let key = read.map_err(|source| SandboxError::KeyFile {
        path: key_path.clone(),
        action: "read",
        source,
    })?;
    removed.map_err(|source| SandboxError::KeyFile {
        path: key_path.clone(),
        action: "deleted",
        source,
    })?;

    let mut conn = Connection::new(
        SANDBOX_CONNECTION_NAME,
        Environment::Sandbox,
        creds.integration_key,
        creds.user_id,
        creds.account_id,
        creds.base_uri,
    );
    conn.auth_server = emulator_auth_server(&emulator)?;
    conn.ca_cert = Some(emulator.ca_cert_path().to_path_buf());
    conn.redirect_uri = Some(creds.redirect_uri);
    let s = store.clone();
    let connection = blocking(move || s.save(conn, Some(key.expose()))).await??;
    tracing::info!(url = %emulator.url(), connection = %connection.name, "fresh sandbox started");
    Ok(SandboxSession {
        emulator,
        connection,
    })
}

/// The saved "Sandbox" connection, if any.
///
/// # Errors
/// `sandbox_name_taken` when a connection of that name is for another environment; keyring
/// and config errors.
async fn sandbox_connection(store: &ConnectionStore) -> Result<Option<Connection>, SandboxError> {
    let s = store.clone();
    match blocking(move || s.get(SANDBOX_CONNECTION_NAME)).await? {
        Ok(existing) if existing.environment != Environment::Sandbox => {
            Err(SandboxError::NameTaken {
                name: existing.name,
                environment: existing.environment,
            })
        }
        Ok(existing) => Ok(Some(existing)),
        Err(ConnectionError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, SandboxError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SandboxError::Internal(e.to_string()))
}
