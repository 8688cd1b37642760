//! The app's state: where its files are, how to open the browser, and the [`Workspace`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use studio_core::connections::ConnectionStore;
use studio_core::workspace::{Opener, Workspace};

use crate::error::IpcError;

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

/// Everything the commands share.
pub struct AppState {
    /// Where the files are.
    pub paths: Paths,
    /// Opens the system browser.
    pub opener: Opener,
    /// Every use case: connections, keys held before saving, health checks, actions, the
    /// Go-Live ledger, trigger monitors, downloads, the sandbox.
    pub workspace: Arc<Workspace>,
}

impl AppState {
    /// State over `paths`, opening URLs with the system's browser (`xdg-open` on Linux).
    ///
    /// # Errors
    /// The config folder or the state file cannot be used.
    pub fn new(paths: Paths) -> Result<AppState, IpcError> {
        Self::with_opener(paths, Arc::new(|url: &str| open::that(url)))
    }

    /// State over `paths` with another way to open URLs (tests).
    ///
    /// # Errors
    /// The config folder or the state file cannot be used.
    pub fn with_opener(paths: Paths, opener: Opener) -> Result<AppState, IpcError> {
        let store = ConnectionStore::open(&paths.config_dir)?;
        let workspace = Arc::new(Workspace::open(store, &paths.data_dir)?);
        Ok(AppState {
            paths,
            opener,
            workspace,
        })
    }

    /// The app's log file.
    pub fn log_file(&self) -> PathBuf {
        self.paths.log_dir.join(crate::logging::LOG_FILE)
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
}
