//! The Studio's state file: one SQLite database in the data folder holding the
//! call ledger (Go-Live), trigger cursors and trigger events. Every write is
//! a transaction, so a crash loses nothing that was committed.

use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "studio.sqlite3";

/// The Studio's data folder, the same for the CLI and the desktop app: `$DSJWT_DATA_DIR` when
/// set, otherwise the platform's local (not roaming) data folder: `~/.local/share/dev.dsjwt.studio`
/// on Linux, `~/Library/Application Support/dev.dsjwt.studio` on macOS,
/// `%LOCALAPPDATA%\dev.dsjwt.studio` on Windows. The ledger, the sandbox and the logs belong to
/// this computer, so they do not roam with a Windows profile.
pub fn default_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("DSJWT_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    dirs::data_local_dir()
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
    /// The disk holding the data folder is full: nothing can be written there.
    #[error("the disk holding {} is full, so the Studio cannot write its state file there: free some space on it", folder.display())]
    DiskFull {
        /// The data folder.
        folder: PathBuf,
    },
    /// Another program kept the state file locked longer than the busy timeout.
    #[error("the state file {path} is kept busy by another Studio program (the app or another dsjwt) for more than {} s: try again when it has finished", BUSY_TIMEOUT.as_secs())]
    Busy {
        /// The database file.
        path: PathBuf,
    },
    /// The state file was written by a newer version of the Studio (its schema version, SQLite's
    /// `user_version`, is above [`SCHEMA_VERSION`]): it is left untouched.
    #[error("the state file {} was written by a newer version of DocuSign JWT Studio (its format is version {found}; this version reads up to version {supported}), so it was not opened and nothing in it was changed: update DocuSign JWT Studio to the newest version (both the app and the command-line tool), or use another data folder", path.display())]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The file's schema version.
        found: i64,
        /// The newest schema version this build reads ([`SCHEMA_VERSION`]).
        supported: i64,
    },
    /// SQLite refused (corrupt, unreadable, …).
    #[error("the state file {path} cannot be used: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

/// How long a write waits for another process holding the state file (seconds).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Below this many free bytes on the data folder's disk, an I/O error is taken as a full disk.
const NEARLY_FULL_BYTES: u64 = 1 << 20;

tokio::task_local! {
    /// Why a call of the action running in this task could not be recorded in the ledger
    /// (the latest reason), set by [`Store::note_unrecorded`] inside [`Store::tracking_unrecorded`].
    /// Task-local, so a monitor or another action running at the same time never marks this
    /// action's result, whatever handle on the state file each uses.
    static UNRECORDED: std::cell::RefCell<Option<String>>;
}

/// A shared handle to the state database.
#[derive(Clone, Debug)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
    /// Set when the file was opened read-only because the disk is full.
    read_only: bool,
}

/// Free bytes for unprivileged users on the file system holding `dir`, when known.
#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<u64> {
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}

/// Whether `source` (from the state file in `dir`) means the disk is full: SQLite's
/// `SQLITE_FULL`, or an I/O error (creating the `-shm`/`-wal` file) on a disk with
/// (almost) no free space left.
fn is_disk_full(dir: &Path, source: &rusqlite::Error) -> bool {
    match source.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => true,
        Some(ErrorCode::SystemIoFailure | ErrorCode::CannotOpen | ErrorCode::ReadOnly) => {
            free_bytes(dir).is_some_and(|b| b < NEARLY_FULL_BYTES)
        }
        _ => false,
    }
}

/// Creates `dir` (and its parents) readable by this user only (0700 on Unix), and tightens
/// an existing one to 0700: the data and log folders hold names, emails and subjects.
///
/// # Errors
/// The I/O error.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let meta = std::fs::metadata(dir)?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Makes `file` readable and writable by this user only (0600 on Unix), creating it empty
/// when it does not exist. Files the Studio writes holding names (the state file, the log)
/// go through this before their first write.
///
/// An existing file is never opened here, only changed by its path: closing any descriptor of
/// a file drops every POSIX lock this process holds on it, so opening and closing the state
/// file (or its `-wal` / `-shm`) while another connection of this process uses it would drop
/// SQLite's locks, and another process could then checkpoint or reset the WAL under it (rows
/// lost, seen with 8 CLIs on a new folder: an action opens the state file twice).
///
/// # Errors
/// The I/O error.
pub fn create_private_file(file: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(file)
        {
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        let meta = std::fs::metadata(file)?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(file)
        {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Tightens `file` to 0600 when it exists (the `-wal`/`-shm` files next to the state file).
/// Never creates nor opens it (see [`create_private_file`]): only its mode changes, by path.
fn tighten_if_exists(file: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(file) {
            if meta.permissions().mode() & 0o077 != 0 {
                let _ = std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// The state file's schema version, kept in SQLite's `user_version`. A file with a higher
/// version (written by a newer Studio) is refused without being changed
/// ([`StoreError::NewerSchema`]); raise this with every schema change that older builds
/// could misread, and migrate older files up in [`Store::open`].
pub const SCHEMA_VERSION: i64 = 1;

/// Refuses a state file whose schema version is newer than this build's.
fn check_version(path: &Path, found: i64) -> Result<(), StoreError> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

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

/// A desktop trigger's settings, kept across restarts (read and written by the trigger store).
/// Added after version 1, created whatever the version (no migration step).
const TRIGGER_SETTINGS: &str = "
CREATE TABLE IF NOT EXISTS trigger_settings (
    trigger_id       TEXT PRIMARY KEY,         -- kind + integration key + account (app_trigger_id)
    template_id      TEXT,                     -- NULL: any template
    template_name    TEXT,                     -- as the person picked it, when known
    interval_seconds INTEGER NOT NULL,
    updated_ms       INTEGER NOT NULL
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
    ///
    /// The folder is made 0700 and the file 0600 (existing ones are tightened). Several
    /// processes may open a new folder at once: the schema is created inside one
    /// `BEGIN IMMEDIATE` transaction, and every statement waits up to [`BUSY_TIMEOUT`] for
    /// another writer. When the disk is full and the file exists, it is opened read-only (reads
    /// work; writes fail with [`StoreError::DiskFull`]).
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        create_private_dir(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DB_FILE);
        let existed = path.exists();
        // SQLite answers "busy" at once, without waiting in its busy handler, in a few places
        // while other processes create the same new file (switching it to WAL, reading it right
        // after the switch): 8 CLIs started together on a new folder hit it. The whole open is
        // tried again until BUSY_TIMEOUT has passed, so `Busy` means what it says.
        let started = std::time::Instant::now();
        let opened = loop {
            match Self::open_rw(data_dir, &path) {
                Err(StoreError::Busy { .. }) if started.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => break other,
            }
        };
        match opened {
            Ok(conn) => Ok(Self::wrap_conn(conn, path, false)),
            Err(StoreError::DiskFull { .. }) if existed => {
                let conn = Self::open_read_only(&path).map_err(|source| StoreError::Sqlite {
                    path: path.clone(),
                    source,
                })?;
                let version: i64 = conn
                    .pragma_query_value(None, "user_version", |r| r.get(0))
                    .map_err(|source| StoreError::Sqlite {
                        path: path.clone(),
                        source,
                    })?;
                check_version(&path, version)?;
                tracing::warn!(folder = %data_dir.display(), "the disk is full: the state file is open read-only");
                Ok(Self::wrap_conn(conn, path, true))
            }
            Err(e) => Err(e),
        }
    }

    /// A state kept in memory only (the same tables, nothing written anywhere), gone with its
    /// last handle: for a workspace over the saved connections alone, whose commands record
    /// nothing (`dsjwt connection add|list|show|remove`).
    ///
    /// # Errors
    /// [`StoreError::Sqlite`] when SQLite refuses (out of memory).
    pub fn in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let wrap = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open_in_memory().map_err(wrap)?;
        conn.execute_batch(&format!(
            "{SCHEMA_V1} {ENVELOPE_ANSWERS} {TRIGGER_SETTINGS} PRAGMA user_version = {SCHEMA_VERSION};"
        ))
        .map_err(wrap)?;
        Ok(Self::wrap_conn(conn, path, false))
    }

    fn wrap_conn(conn: Connection, path: PathBuf, read_only: bool) -> Store {
        Store {
            conn: Arc::new(Mutex::new(conn)),
            path,
            read_only,
        }
    }

    fn open_rw(data_dir: &Path, path: &Path) -> Result<Connection, StoreError> {
        let wrap = |source: rusqlite::Error| classify(data_dir, path, source);
        if let Err(e) = create_private_file(path) {
            let full = e.raw_os_error() == Some(28) // ENOSPC
                || free_bytes(data_dir).is_some_and(|b| b < NEARLY_FULL_BYTES);
            if full {
                return Err(StoreError::DiskFull {
                    folder: data_dir.to_path_buf(),
                });
            }
        }
        for side in ["-wal", "-shm"] {
            tighten_if_exists(&PathBuf::from(format!("{}{side}", path.display())));
        }
        let conn = Connection::open(path).map_err(wrap)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(wrap)?;
        // A newer file is refused before anything is written to it (not even the journal mode).
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(wrap)?;
        check_version(path, version)?;
        // Switching a new file to WAL takes a write lock: the busy handler waits for it.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(wrap)?;
        if version < SCHEMA_VERSION {
            // IMMEDIATE: take the write lock first (waiting for it), then look again: another
            // process may have created the schema meanwhile. A deferred transaction would fail
            // with "database is locked" when upgrading its read lock.
            conn.execute_batch("BEGIN IMMEDIATE").map_err(wrap)?;
            let result = (|| {
                let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
                if version > SCHEMA_VERSION {
                    return Ok(Some(version));
                }
                if version < SCHEMA_VERSION {
                    conn.execute_batch(&format!(
                        "{SCHEMA_V1} PRAGMA user_version = {SCHEMA_VERSION};"
                    ))?;
                }
                // Added after version 1; created whatever the version (no migration step).
                conn.execute_batch(ENVELOPE_ANSWERS)?;
                conn.execute_batch(TRIGGER_SETTINGS)?;
                conn.execute_batch("COMMIT")?;
                Ok(None)
            })();
            match result {
                Ok(None) => {}
                // A newer build created it meanwhile: leave it as it is.
                Ok(Some(newer)) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    check_version(path, newer)?;
                }
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(wrap(e));
                }
            }
        } else {
            let has_answers: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'envelope_answers')",
                    [],
                    |r| r.get(0),
                )
                .map_err(wrap)?;
            if !has_answers {
                conn.execute_batch(ENVELOPE_ANSWERS).map_err(wrap)?;
            }
            let has_settings: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trigger_settings')",
                    [],
                    |r| r.get(0),
                )
                .map_err(wrap)?;
            if !has_settings {
                conn.execute_batch(TRIGGER_SETTINGS).map_err(wrap)?;
            }
        }
        Ok(conn)
    }

    /// Read-only, needing no `-shm` file (which a full disk cannot hold): with no pending
    /// `-wal` content, as an immutable file (no locks at all); otherwise in exclusive locking
    /// mode (SQLite then keeps the WAL index in memory), with writes refused.
    fn open_read_only(path: &Path) -> Result<Connection, rusqlite::Error> {
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        let wal_empty = std::fs::metadata(&wal)
            .map(|m| m.len() == 0)
            .unwrap_or(true);
        if wal_empty {
            let mut url = url::Url::from_file_path(path)
                .map_err(|()| rusqlite::Error::InvalidPath(path.to_path_buf()))?;
            url.set_query(Some("mode=ro&immutable=1"));
            return Connection::open_with_flags(
                url.as_str(),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            );
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(conn)
    }

    /// True when the state file was opened read-only because the disk is full.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `work` (one action) and tells whether one of its calls could not be recorded in the
    /// Go-Live ledger: `(output, Some(reason))` with the latest reason in plain words, or
    /// `(output, None)` when every call it made was recorded. Only calls made while `work` is
    /// polled count (the client notes them through [`Store::note_unrecorded`] in this task);
    /// calls of other tasks, such as the app's trigger monitors, never do.
    pub async fn tracking_unrecorded<F: std::future::Future>(
        work: F,
    ) -> (F::Output, Option<String>) {
        UNRECORDED
            .scope(std::cell::RefCell::new(None), async move {
                let out = work.await;
                (out, UNRECORDED.with(|r| r.borrow_mut().take()))
            })
            .await
    }

    /// Notes one call that could not be recorded, and why, for the action running in this task
    /// (see [`Store::tracking_unrecorded`]); outside one it is only logged by the caller.
    pub(crate) fn note_unrecorded(&self, e: &StoreError) {
        let _ = UNRECORDED.try_with(|r| *r.borrow_mut() = Some(e.to_string()));
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
        let dir = self.path.parent().unwrap_or(Path::new("."));
        if self.read_only && source.sqlite_error_code() == Some(ErrorCode::ReadOnly) {
            return StoreError::DiskFull {
                folder: dir.to_path_buf(),
            };
        }
        classify(dir, &self.path, source)
    }
}

/// A SQLite error on the state file `path` in `dir`, named for people: a full disk, a
/// lock held too long, or SQLite's own words.
fn classify(dir: &Path, path: &Path, source: rusqlite::Error) -> StoreError {
    if is_disk_full(dir, &source) {
        return StoreError::DiskFull {
            folder: dir.to_path_buf(),
        };
    }
    if matches!(
        source.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    ) {
        return StoreError::Busy {
            path: path.to_path_buf(),
        };
    }
    StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}
