//! The emulator's start-up errors.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why [`crate::Emulator::start`] failed.
///
/// Every message names the file, field or address at fault so a person can fix it without
/// reading the source. Errors after start-up (a dropped connection, a bad request) never surface
/// here: they become HTTP responses.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The world file could not be read from disk.
    #[error("cannot read world file {path}: {source}")]
    WorldRead {
        /// The world file given in [`crate::EmulatorConfig::world`].
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The world file is not valid JSON, has an unknown field (a typo), or a value of the wrong
    /// type. `message` is serde's text, which names the field; `line`/`column` point at it.
    #[error("invalid world file {path} (line {line}, column {column}): {message}")]
    WorldSyntax {
        /// The world file.
        path: PathBuf,
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
        /// serde's description, e.g. "unknown field `nmae`, expected one of ...".
        message: String,
    },
    /// The world file parsed but a value is wrong (not a GUID, an unknown user in a consent,
    /// a public key that does not parse, ...). `field` is a path such as
    /// `users[0].accounts[1].account_id`.
    #[error("invalid world file {path}: {field}: {message}")]
    WorldInvalid {
        /// The world file (`<default world>` for the generated one).
        path: PathBuf,
        /// JSON path of the offending value, e.g. `integration_keys[0].public_keys[1]`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The listen address is taken by another process.
    #[error("cannot listen on {addr}: the port is already in use (choose another port, or port 0 for a free one)")]
    PortInUse {
        /// The address from [`crate::EmulatorConfig::listen`].
        addr: SocketAddr,
    },
    /// Binding the listen address failed for another reason (permission, no such interface).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address from [`crate::EmulatorConfig::listen`].
        addr: SocketAddr,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The listen address is not a loopback address (other machines could reach it) and
    /// [`crate::EmulatorConfig::allow_remote`] is off.
    #[error("refusing to listen on {addr}: other machines could reach it, and the admin API has no authentication (listen on 127.0.0.1, or allow remote access explicitly)")]
    RemoteNotAllowed {
        /// The address from [`crate::EmulatorConfig::listen`].
        addr: SocketAddr,
    },
    /// The data directory could not be created or a file in it could not be written.
    #[error("data directory {path} is not writable: {source}")]
    DataDir {
        /// The file or directory that could not be written.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Making the CA, the server certificate or the rustls configuration failed.
    #[error("TLS set-up failed: {0}")]
    Tls(String),
    /// Generating the default world's RSA key pair failed.
    #[error("RSA key generation failed: {0}")]
    KeyGeneration(String),
    /// The HTTPS server stopped right after start-up.
    #[error("the HTTPS server failed to start: {0}")]
    Server(String),
}
