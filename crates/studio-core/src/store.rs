//! The Studio's state file: one SQLite database in the data folder holding the
//! call ledger (Go-Live), trigger cursors and trigger events. Every write is
//! a transaction, so a crash loses nothing that was committed.

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "studio.sqlite3";

/// The Studio's data folder: `$DSJWT_DATA_DIR` when set, otherwise the
/// platform data folder (`~/.local/share/dev.dsjwt.studio` on Linux), shared
/// by the CLI and the desktop app.
pub fn default_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("DSJWT_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("dev.dsjwt.studio")
}

/// Opening or using the state file failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The data folder cannot be created.
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// SQLite refused (locked, corrupt, disk full, …).
    #[error("the state file {path} cannot be used: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

/// A shared handle to the state database.
#[derive(Clone, Debug)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

const SCHEMA_VERSION: i64 = 1;

const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS calls (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms           INTEGER NOT NULL,          -- Unix milliseconds, local clock
    kind            TEXT    NOT NULL,          -- token | userinfo | esignature
    integration_key TEXT    NOT NULL,
    auth_host       TEXT    NOT NULL,          -- the environment's auth server
    method          TEXT    NOT NULL,
    path_template   TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    envelope_id     TEXT,
    status          INTEGER,                   -- NULL: no answer
    error_code      TEXT,
    duration_ms     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_by_key ON calls (integration_key, auth_host, at_ms);
CREATE TABLE IF NOT EXISTS trigger_cursors (
    trigger_id  TEXT PRIMARY KEY,              -- kind + connection + filter
    cursor      TEXT NOT NULL,                 -- server time, ISO 8601 UTC
    updated_ms  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS trigger_events (
    trigger_id  TEXT NOT NULL,
    event_key   TEXT NOT NULL,
    payload     TEXT NOT NULL,                 -- the event JSON
    seen_ms     INTEGER NOT NULL,
    delivered   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (trigger_id, event_key)
);
";

/// What the Studio fetched about envelopes, kept 15 minutes for every screen
/// (see [`crate::envelope_answers`]).
const ENVELOPE_ANSWERS: &str = "
CREATE TABLE IF NOT EXISTS envelope_answers (
    integration_key TEXT    NOT NULL,          -- lower case
    auth_host       TEXT    NOT NULL,
    account_id      TEXT    NOT NULL,          -- lower case
    envelope_id     TEXT    NOT NULL,          -- lower case
    resource        TEXT    NOT NULL,          -- envelope | recipients | recipients/{id}/tabs
    fetched_ms      INTEGER NOT NULL,          -- Unix milliseconds, local clock (as the ledger)
    body            TEXT    NOT NULL,          -- DocuSign's answer, JSON
    PRIMARY KEY (integration_key, auth_host, account_id, envelope_id, resource)
);
";

impl Store {
    /// Opens (creating if needed) `data_dir/studio.sqlite3`, in WAL mode.
    ///
    /// # Errors
    /// [`StoreError`] when the folder cannot be created or SQLite refuses.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DB_FILE);
        let wrap = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(wrap)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(wrap)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(wrap)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(wrap)?;
        if version < SCHEMA_VERSION {
            conn.execute_batch(&format!(
                "BEGIN; {SCHEMA_V1} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))
            .map_err(wrap)?;
        }
        // Added after version 1; created whatever the version, so it needs no migration step.
        conn.execute_batch(ENVELOPE_ANSWERS).map_err(wrap)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection (poisoning is ignored: SQLite keeps its own consistency).
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}
