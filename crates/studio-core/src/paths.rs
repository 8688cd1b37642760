//! Where the desktop app keeps its files: the config folder it shares with the `dsjwt` CLI,
//! its data folder (state file, sandbox) and its logs; or everything under one folder given on
//! its command line (`--data-dir DIR`).

use std::path::{Path, PathBuf};

use crate::connections::ConnectionStore;

/// Where the desktop app keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    /// `connections.json` (non-secret fields only).
    pub config_dir: PathBuf,
    /// The app's data folder; the sandbox keeps its files in its `sandbox/` subfolder.
    pub data_dir: PathBuf,
    /// The app's log files.
    pub log_dir: PathBuf,
}

impl AppPaths {
    /// Everything under one folder (`--data-dir DIR`): `config/`, `sandbox/`, `logs/`.
    pub fn under(dir: &Path) -> AppPaths {
        AppPaths {
            config_dir: dir.join("config"),
            data_dir: dir.to_path_buf(),
            log_dir: dir.join("logs"),
        }
    }

    /// The defaults: the config folder and the data folder the `dsjwt` CLI uses too
    /// ([`ConnectionStore::default_config_dir`], [`crate::store::default_data_dir`]).
    pub fn default_locations() -> AppPaths {
        let data = crate::store::default_data_dir();
        AppPaths {
            config_dir: ConnectionStore::default_config_dir(),
            log_dir: data.join("logs"),
            data_dir: data,
        }
    }

    /// From the app's command line: `--data-dir DIR` (or `--data-dir=DIR`), else the defaults.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> AppPaths {
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            if a == "--data-dir" {
                if let Some(d) = it.next() {
                    return AppPaths::under(Path::new(&d));
                }
            } else if let Some(d) = a.strip_prefix("--data-dir=") {
                return AppPaths::under(Path::new(d));
            }
        }
        AppPaths::default_locations()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_flag() {
        let p = AppPaths::from_args(["app".to_string(), "--data-dir".into(), "/tmp/x".into()]);
        assert_eq!(p.config_dir, PathBuf::from("/tmp/x/config"));
        let p = AppPaths::from_args(["app".to_string(), "--data-dir=/tmp/y".into()]);
        assert_eq!(p.log_dir, PathBuf::from("/tmp/y/logs"));
    }

    /// The app and the CLI keep one ledger: the same data folder on every platform (on Windows
    /// the app used the local and the CLI the roaming folder).
    #[test]
    fn app_and_cli_share_the_data_folder() {
        let p = AppPaths::default_locations();
        assert_eq!(p.data_dir, crate::store::default_data_dir());
        assert_eq!(p.config_dir, ConnectionStore::default_config_dir());
    }
}
