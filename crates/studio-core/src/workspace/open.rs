//! Opening the workspace for the CLI: the saved connections of the Studio's config folder and
//! the state file of a data folder, each failing on its own (the CLI words both errors itself),
//! or the saved connections alone for commands that record nothing.

use std::path::{Path, PathBuf};

use super::Workspace;
use crate::connections::{ConnectionError, ConnectionStore};
use crate::health::CheckInput;
use crate::messages::Surface;
use crate::store::{self, Store, StoreError};

/// Why [`Workspace::open_for_cli`] (or [`Workspace::open_saved_for_cli`]) could not open the
/// workspace.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The state file of the data folder (the Go-Live ledger, trigger state, kept answers).
    #[error(transparent)]
    StateFile(StoreError),
    /// The saved connections' config folder.
    #[error(transparent)]
    SavedConnections(ConnectionError),
}

fn saved_connections() -> Result<ConnectionStore, ConnectionError> {
    ConnectionStore::open(ConnectionStore::default_config_dir())
}

impl Workspace {
    /// The Studio's data folder ([`store::default_data_dir`]: `$DSJWT_DATA_DIR`, else the
    /// platform's local data folder).
    pub fn default_data_dir() -> PathBuf {
        store::default_data_dir()
    }

    /// The CLI's workspace: the state file of `data_dir` (opened first, created if needed) and
    /// the saved connections of the config folder (`$DSJWT_CONFIG_DIR`, else the platform's),
    /// its messages worded for the CLI.
    ///
    /// # Errors
    /// [`OpenError::StateFile`], then [`OpenError::SavedConnections`].
    pub fn open_for_cli(data_dir: &Path) -> Result<Workspace, OpenError> {
        let state = Store::open(data_dir).map_err(OpenError::StateFile)?;
        let saved = saved_connections().map_err(OpenError::SavedConnections)?;
        Ok(Workspace::over(saved, state, data_dir).with_surface(Surface::Cli))
    }

    /// The CLI's workspace over the saved connections alone, for commands that never use the
    /// state file (connection add, list, show, remove, and reading `--connection NAME`): its
    /// ledger, trigger state and kept answers live in memory and are gone with it, and nothing
    /// is created in the data folder.
    ///
    /// # Errors
    /// [`OpenError::SavedConnections`] when the config folder cannot be created or read;
    /// [`OpenError::StateFile`] only when SQLite cannot keep a state in memory.
    pub fn open_saved_for_cli() -> Result<Workspace, OpenError> {
        let saved = saved_connections().map_err(OpenError::SavedConnections)?;
        let state = Store::in_memory().map_err(OpenError::StateFile)?;
        let data_dir = Self::default_data_dir();
        Ok(Workspace::over(saved, state, &data_dir).with_surface(Surface::Cli))
    }

    /// A saved connection as the health check and the client take it: its fields, the private
    /// key from the keyring, the CA file's PEM (for the sandbox). A front end that starts from
    /// given values (`dsjwt --connection NAME`) overrides what the flags give.
    ///
    /// # Errors
    /// `not_found`, `key_missing`, keyring and config errors, an unreadable CA file.
    pub fn saved_check_input(&self, name: &str) -> Result<CheckInput, ConnectionError> {
        self.store.check_input(name)
    }
}
