//! The saved connections on disk: `connections.json` in a config folder (written atomically,
//! mode 0600, under an OS file lock shared with other Studio windows and `dsjwt` runs), with
//! each private key in the OS keyring ([`super::secrets`]).

use docusign_api::key::{self, LoadedKey};
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{
    check_auth_environment, normalise, secrets, Connection, ConnectionError, Environment,
    CONFIG_DIR_ENV, CONFIG_FILE, CONFIG_VERSION, LOCK_WAIT,
};
use crate::session::CheckInput;

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

/// The saved connection a command means ([`ConnectionStore::choose`]).
#[derive(Clone, Debug)]
pub enum Chosen {
    /// The one named.
    Named(Connection),
    /// None was named and this is the only one saved.
    OnlySaved(Connection),
    /// None was named and none is saved.
    NoneSaved,
}

impl Chosen {
    /// The connection, when there is one.
    pub fn connection(self) -> Option<Connection> {
        match self {
            Chosen::Named(c) | Chosen::OnlySaved(c) => Some(c),
            Chosen::NoneSaved => None,
        }
    }
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

    /// The saved connection a command means: the one `name`d (letter case ignored), else the
    /// only saved one ([`Chosen::OnlySaved`], so a front end can say which it used), else none
    /// ([`Chosen::NoneSaved`]). The one rule for every command that needs a connection (the
    /// CLI's `--connection`, the support bundle).
    ///
    /// # Errors
    /// `not_found` for an unknown name; `connection_ambiguous` when none is named and several
    /// are saved (listing their names); config errors as [`ConnectionStore::list`].
    pub fn choose(&self, name: Option<&str>) -> Result<Chosen, ConnectionError> {
        if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
            return self.get(n).map(Chosen::Named);
        }
        let mut all = self.list()?;
        match all.len() {
            0 => Ok(Chosen::NoneSaved),
            1 => Ok(Chosen::OnlySaved(all.remove(0))),
            _ => Err(ConnectionError::Ambiguous {
                known: all.into_iter().map(|c| c.name).collect(),
            }),
        }
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
            sandbox: conn.environment == Environment::Sandbox,
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
