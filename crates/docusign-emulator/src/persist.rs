//! The default world kept in the data folder, so a restarted emulator is the same DocuSign.
//!
//! `data_dir/world.json` ([`WORLD_FILE`]) holds the generated world (integration key with its
//! public key, user, account), the consents given so far, the eSignature accounts (templates,
//! envelopes with their recipients, tabs and states, folders, limits) and the last port. It is
//! written atomically (temporary file, fsync, rename) after the emulator starts and after every
//! request that may change something it holds (any method but GET, HEAD and OPTIONS, except the
//! token, request-log, fault, clock and token-revocation requests: [`may_change_saved_state`]),
//! so a crash leaves either the old or the new file, never half of one. Rate counters and the request log are not
//! kept. The private key stays in `private_key.pem` (the emulator only ever needs its public
//! half) and the CA in `ca.pem` / `ca_key.pem` (see [`crate::tls`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::esign::model::Store;
use crate::world::{ConsentSpec, WorldFile};
use crate::EmulatorError;

/// The saved world's file name inside the data folder.
pub const WORLD_FILE: &str = "world.json";

/// Format version written in [`SavedWorld::format`].
const FORMAT: u32 = 1;

/// What `world.json` holds.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SavedWorld {
    /// Format version (1).
    pub format: u32,
    /// The port served on last time; tried first on the next start when the listen port is 0.
    pub port: u16,
    /// The world: integration keys (public keys inline), users, accounts and the consents as
    /// they were when saved. Its `esignature` map is empty: the accounts are in `accounts`.
    pub world: WorldFile,
    /// The eSignature accounts as they were when saved.
    pub accounts: Store,
}

/// Where and what to save; held by the app state of a persistent emulator.
pub(crate) struct Persistence {
    /// `data_dir/world.json`.
    pub path: PathBuf,
    /// The world as generated or loaded (its consents are replaced at each save).
    pub world: WorldFile,
    /// One save at a time, so the newest state is written last.
    pub saving: std::sync::Mutex<()>,
}

impl Persistence {
    /// A persistence for `data_dir` and this world file.
    pub fn new(data_dir: &Path, mut world: WorldFile) -> Arc<Persistence> {
        world.esignature.clear();
        Arc::new(Persistence {
            path: data_dir.join(WORLD_FILE),
            world,
            saving: std::sync::Mutex::new(()),
        })
    }

    /// Writes `world.json` (atomically; blocking file I/O): the world with these consents, the
    /// eSignature accounts and the port. The caller holds [`Persistence::saving`] from before it
    /// read what it saves.
    ///
    /// # Errors
    /// The I/O error of the write (the old file is then left as it was).
    pub fn write(
        &self,
        port: u16,
        consents: Vec<ConsentSpec>,
        accounts: Store,
    ) -> std::io::Result<()> {
        let mut world = self.world.clone();
        world.consents = consents;
        let saved = SavedWorld {
            format: FORMAT,
            port,
            world,
            accounts,
        };
        let bytes = serde_json::to_vec(&saved).map_err(std::io::Error::other)?;
        crate::fsutil::write_atomic(&self.path, &bytes, 0o600)
    }
}

/// Reads `data_dir/world.json` if it exists.
///
/// # Errors
/// [`EmulatorError::WorldRead`] when it exists but cannot be read, [`EmulatorError::WorldSyntax`]
/// when it is not a saved world (the message names the field and line).
pub(crate) fn load(data_dir: &Path) -> Result<Option<SavedWorld>, EmulatorError> {
    let path = data_dir.join(WORLD_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(EmulatorError::WorldRead { path, source }),
    };
    let saved: SavedWorld =
        serde_json::from_str(&text).map_err(|e| EmulatorError::WorldSyntax {
            path: path.clone(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
    if saved.format != FORMAT {
        return Err(EmulatorError::WorldInvalid {
            path,
            field: "format".into(),
            message: format!(
                "format {} is not one this emulator reads ({FORMAT}); start with a fresh world",
                saved.format
            ),
        });
    }
    Ok(Some(saved))
}

/// Paths whose requests change only what is not saved: issued access tokens (`/oauth/token`
/// mints one, `/__emulator/tokens` revokes them), the request log, faults and the clock offset.
/// A save after them would rewrite the same world: with 100,000 envelopes that is hundreds of
/// megabytes of JSON per token request (issue 14: the token request then took over 30 s).
const UNSAVED_PATHS: [&str; 5] = [
    "/oauth/token",
    "/__emulator/tokens",
    "/__emulator/requests",
    "/__emulator/faults",
    "/__emulator/clock",
];

/// Whether a request with this method and path may change what `world.json` holds: any method
/// but GET, HEAD and OPTIONS, except on [`UNSAVED_PATHS`].
pub(crate) fn may_change_saved_state(method: &axum::http::Method, path: &str) -> bool {
    let reads = matches!(
        *method,
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let path = path.trim_end_matches('/');
    !reads && !UNSAVED_PATHS.iter().any(|p| path.eq_ignore_ascii_case(p))
}
