//! The first run with nothing configured: start the embedded DocuSign emulator and make a
//! connection named [`SANDBOX_CONNECTION_NAME`] for it, so the wizard, the health check and the
//! consent page can be tried without a DocuSign account.
//!
//! The emulator runs in-process with its default world: one integration key, one user, one
//! account, a fresh RSA key pair, and **no consent**: the user goes through the emulator's
//! consent page in the browser, as with DocuSign.
//!
//! The default world has new random IDs, a new key and a new port on every start, so the
//! Sandbox connection is **re-created on each start** (and consent must be given again). While
//! the app is closed the saved Sandbox connection points at a port nobody listens on; the health
//! check then says `auth_server_unreachable`.

use crate::connections::{
    capitalise, ConnEnvironment, Connection, ConnectionError, ConnectionStore,
};
use docusign_api::key::Zeroizing;
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
        environment: ConnEnvironment,
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
    pub fn code(&self) -> &'static str {
        match self {
            SandboxError::Start(_) => "sandbox_start_failed",
            SandboxError::NoCredentials => "sandbox_no_credentials",
            SandboxError::KeyFile { .. } => "sandbox_key_file",
            SandboxError::NameTaken { .. } => "sandbox_name_taken",
            SandboxError::Connection(e) => e.code(),
            SandboxError::Internal(_) => "sandbox_internal",
        }
    }

    /// What to do, in plain words.
    pub fn fix(&self) -> String {
        match self {
            SandboxError::Start(EmulatorError::DataDir { path, .. }) => format!("Check that {} is writable (disk full? permissions?).", path.display()),
            SandboxError::Start(_) => "Try again; if it persists, run `dsjwt emulator` in a terminal to see the emulator's own error.".into(),
            SandboxError::NoCredentials | SandboxError::Internal(_) => "This is a bug in the Studio: please report it.".into(),
            SandboxError::KeyFile { path, .. } => format!("Check the permissions of {}; delete it by hand if it is still there (it holds a sandbox-only private key).", path.display()),
            SandboxError::NameTaken { name, .. } => format!("Rename your connection \"{name}\" (the sandbox needs that name), then start the sandbox again."),
            SandboxError::Connection(e) => e.fix(),
        }
    }

    /// Code, message and fix for the UI (see [`crate::connections::ErrorInfo`]).
    pub fn info(&self) -> crate::connections::ErrorInfo {
        match self {
            SandboxError::Connection(e) => e.info(),
            other => crate::connections::ErrorInfo {
                code: other.code().into(),
                detail: None,
                message: capitalise(&other.to_string()),
                fix: other.fix(),
                field: None,
            },
        }
    }
}

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
    /// The consent URL to open in the browser (the emulator's consent page).
    pub consent_url: String,
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
            ConnEnvironment::Sandbox,
            &self.connection.auth_server,
            &self.connection.integration_key,
            redirect,
        )
        .unwrap_or_default()
    }

    /// URL, connection name, CA file and consent URL for the UI.
    pub fn info(&self) -> SandboxInfo {
        SandboxInfo {
            url: self.url(),
            connection_name: self.connection.name.clone(),
            ca_cert: self.emulator.ca_cert_path().to_string_lossy().into_owned(),
            consent_url: self.consent_url(),
        }
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

/// Starts the embedded emulator (default world, no consent, files in `data_dir/sandbox`) and
/// saves a connection named "Sandbox" (environment `sandbox`) with its integration key, user ID,
/// account ID, base URI, auth server URL, CA file and redirect URI. The private key goes from the
/// emulator's `private_key.pem` into the keyring, and the file is deleted.
///
/// Each start makes a new identity: the Sandbox connection is replaced every time.
///
/// # Errors
/// `sandbox_name_taken` when a non-sandbox connection is called "Sandbox",
/// `sandbox_start_failed`, `sandbox_key_file`, keyring and config errors
/// ([`ConnectionError`] codes). The emulator is stopped on any error.
pub async fn start_sandbox(
    data_dir: &Path,
    store: &ConnectionStore,
) -> Result<SandboxSession, SandboxError> {
    let s = store.clone();
    match blocking(move || s.get(SANDBOX_CONNECTION_NAME)).await? {
        Ok(existing) if existing.environment != ConnEnvironment::Sandbox => {
            return Err(SandboxError::NameTaken {
                name: existing.name,
                environment: existing.environment,
            })
        }
        Ok(_) => {}
        Err(ConnectionError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }

    let emulator = Emulator::start(EmulatorConfig::new(data_dir.join(SANDBOX_DIR))).await?;
    let creds = emulator
        .default_credentials()
        .cloned()
        .ok_or(SandboxError::NoCredentials)?;
    let key_path = creds.private_key.clone();
    let read = std::fs::read(&key_path).map(Zeroizing::new);
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
        ConnEnvironment::Sandbox,
        creds.integration_key,
        creds.user_id,
        creds.account_id,
        creds.base_uri,
    );
    conn.auth_server = emulator.url();
    conn.ca_cert = Some(emulator.ca_cert_path().to_path_buf());
    conn.redirect_uri = Some(creds.redirect_uri);
    let s = store.clone();
    let connection = blocking(move || s.save(conn, Some(&key))).await??;
    tracing::info!(url = %emulator.url(), connection = %connection.name, "sandbox started");
    Ok(SandboxSession {
        emulator,
        connection,
    })
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, SandboxError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SandboxError::Internal(e.to_string()))
}
