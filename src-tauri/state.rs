//! The app's state: where its files are, how to open the browser, and the [`Workspace`] every
//! command calls (the state derefs to it).

use std::path::PathBuf;
use std::sync::Arc;

use studio_core::connections::ConnectionStore;
use studio_core::paths::AppPaths;
use studio_core::workspace::{Opener, Workspace};

use crate::error::IpcError;

/// Everything the commands share.
pub struct AppState {
    /// Where the files are.
    pub paths: AppPaths,
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
    pub fn new(paths: AppPaths) -> Result<AppState, IpcError> {
        let opener: Opener = Arc::new(|url: &str| open::that(url));
        let store = ConnectionStore::open(&paths.config_dir)?;
        let workspace = Arc::new(Workspace::open(store, &paths.data_dir)?);
        Ok(AppState {
            paths,
            opener,
            workspace,
        })
    }

    /// The app's log folder (its daily files, [`studio_core::logging`]).
    pub fn log_dir(&self) -> PathBuf {
        self.paths.log_dir.clone()
    }
}

impl std::ops::Deref for AppState {
    type Target = Arc<Workspace>;

    fn deref(&self) -> &Arc<Workspace> {
        &self.workspace
    }
}
