//! The app's state: where its files are, the connection store, private keys the wizard holds
//! before saving (in memory only), the running sandbox, how to open the browser, and the
//! workspace of part 2 (actions, Go-Live ledger, trigger monitors, downloads).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use studio_core::api::key::Zeroizing;
use studio_core::connections::ConnectionStore;
use studio_core::workspace::Workspace;

use crate::error::IpcError;

/// Opens a URL in the system browser.
pub type Opener = std::sync::Arc<dyn Fn(&str) -> std::io::Result<()> + Send + Sync>;

/// Where the app keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `connections.json` (non-secret fields only).
    pub config_dir: PathBuf,
    /// The app's data folder; the sandbox keeps its files in its `sandbox/` subfolder.
    pub data_dir: PathBuf,
    /// The app's log files.
    pub log_dir: PathBuf,
}

impl Paths {
    /// Everything under one folder (`--data-dir DIR`): `config/`, `sandbox/`, `logs/`.
    pub fn under(dir: &Path) -> Paths {
        Paths {
            config_dir: dir.join("config"),
            data_dir: dir.to_path_buf(),
            log_dir: dir.join("logs"),
        }
    }

    /// The defaults: the config folder shared with the `dsjwt` CLI, and the platform data folder.
    pub fn default_locations() -> Paths {
        let data = dirs::data_local_dir()
            .unwrap_or_else(std::env::temp_dir)
            .join("dev.dsjwt.studio");
        Paths {
            config_dir: ConnectionStore::default_config_dir(),
            log_dir: data.join("logs"),
            data_dir: data,
        }
    }

    /// From the command line: `--data-dir DIR` (or `--data-dir=DIR`), else the defaults.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Paths {
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            if a == "--data-dir" {
                if let Some(d) = it.next() {
                    return Paths::under(Path::new(&d));
                }
            } else if let Some(d) = a.strip_prefix("--data-dir=") {
                return Paths::under(Path::new(d));
            }
        }
        Paths::default_locations()
    }
}

/// Private keys the wizard was given (pasted, read from a file, or generated) and has not
/// saved yet, by reference (`draft:N`). They never go back to the UI.
#[derive(Default)]
pub struct DraftKeys {
    keys: Mutex<HashMap<String, Zeroizing<Vec<u8>>>>,
    next: AtomicU64,
}

/// The longest list of draft keys kept; older ones are dropped.
const MAX_DRAFT_KEYS: usize = 16;

impl DraftKeys {
    /// Keeps `key` and returns its reference.
    pub fn insert(&self, key: Zeroizing<Vec<u8>>) -> Result<String, IpcError> {
        let n = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let reference = format!("draft:{n}");
        let mut keys = self.keys.lock().map_err(IpcError::internal)?;
        if keys.len() >= MAX_DRAFT_KEYS {
            let oldest = keys
                .keys()
                .filter_map(|k| k.strip_prefix("draft:").and_then(|n| n.parse::<u64>().ok()))
                .min();
            if let Some(o) = oldest {
                keys.remove(&format!("draft:{o}"));
            }
        }
        keys.insert(reference.clone(), key);
        Ok(reference)
    }

    /// A copy of the key for `reference`.
    pub fn get(&self, reference: &str) -> Result<Zeroizing<Vec<u8>>, IpcError> {
        let keys = self.keys.lock().map_err(IpcError::internal)?;
        keys.get(reference)
            .map(|k| Zeroizing::new(k.to_vec()))
            .ok_or_else(|| {
                IpcError::new(
                    "key_missing",
                    "The app no longer holds the private key you gave in this wizard.",
                    "Go back to the key step and paste, choose or generate the key again.",
                )
            })
    }

    /// Forgets the key for `reference` (after saving, or when replaced).
    pub fn remove(&self, reference: &str) -> Result<(), IpcError> {
        self.keys
            .lock()
            .map_err(IpcError::internal)?
            .remove(reference);
        Ok(())
    }
}

/// Everything the commands share.
pub struct AppState {
    /// Where the files are.
    pub paths: Paths,
    /// Saved connections (config file + OS keyring).
    pub store: ConnectionStore,
    /// Keys given to the wizard and not saved yet.
    pub drafts: DraftKeys,
    /// The running sandbox (the embedded emulator), once started.
    pub sandbox: tokio::sync::Mutex<Option<studio_core::sandbox_setup::SandboxSession>>,
    /// The consent landing page the app serves on a loopback redirect URI, while it waits.
    pub consent_listener: Mutex<Option<studio_core::consent_landing::RedirectListener>>,
    /// Opens the system browser.
    pub opener: Opener,
    /// Actions, the Go-Live ledger, trigger monitors (one API client per connection).
    pub workspace: Arc<Workspace>,
    /// Files the person chose with "Choose where…" (a download may only go to one of these,
    /// or to the Downloads folder).
    pub save_locations: Mutex<HashSet<PathBuf>>,
}

impl AppState {
    /// State over `paths`, opening URLs with the system's browser (`xdg-open` on Linux).
    ///
    /// # Errors
    /// The config folder cannot be created.
    pub fn new(paths: Paths) -> Result<AppState, IpcError> {
        Self::with_opener(paths, std::sync::Arc::new(|url: &str| open::that(url)))
    }

    /// State over `paths` with another way to open URLs (tests).
    ///
    /// # Errors
    /// The config folder cannot be created.
    pub fn with_opener(paths: Paths, opener: Opener) -> Result<AppState, IpcError> {
        let store = ConnectionStore::open(&paths.config_dir)?;
        let workspace = Arc::new(
            Workspace::open(store.clone(), &paths.data_dir)
                .map_err(|p| IpcError::new(p.code, p.message, p.fix))?,
        );
        Ok(AppState {
            paths,
            store,
            drafts: DraftKeys::default(),
            sandbox: tokio::sync::Mutex::new(None),
            consent_listener: Mutex::new(None),
            opener,
            workspace,
            save_locations: Mutex::new(HashSet::new()),
        })
    }

    /// The folder downloads go to by default: the person's Downloads folder (`XDG_DOWNLOAD_DIR`
    /// on Linux), else `~/Downloads`, else `<data>/downloads`.
    pub fn download_dir(&self) -> PathBuf {
        dirs::download_dir()
            .or_else(|| dirs::home_dir().map(|h| h.join("Downloads")))
            .unwrap_or_else(|| self.paths.data_dir.join("downloads"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_flag() {
        let p = Paths::from_args(["app".to_string(), "--data-dir".into(), "/tmp/x".into()]);
        assert_eq!(p.config_dir, PathBuf::from("/tmp/x/config"));
        let p = Paths::from_args(["app".to_string(), "--data-dir=/tmp/y".into()]);
        assert_eq!(p.log_dir, PathBuf::from("/tmp/y/logs"));
    }

    #[test]
    fn draft_keys_are_kept_by_reference_and_forgotten() {
        let d = DraftKeys::default();
        let r = d.insert(Zeroizing::new(b"k".to_vec())).unwrap_or_default();
        assert_eq!(d.get(&r).map(|k| k.to_vec()).ok(), Some(b"k".to_vec()));
        assert!(d.remove(&r).is_ok());
        assert_eq!(
            d.get(&r).err().map(|e| e.code),
            Some("key_missing".to_string())
        );
        for _ in 0..40 {
            let _ = d.insert(Zeroizing::new(vec![1]));
        }
        assert!(d.keys.lock().map(|k| k.len()).unwrap_or(0) <= MAX_DRAFT_KEYS);
    }
}
