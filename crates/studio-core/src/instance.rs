//! One desktop app per profile (data folder): the first launch holds an OS lock on
//! `<data folder>/app.lock` for as long as it runs; a second launch on the same folder finds it
//! held, asks the first to come to the front (a line on the local socket `<data folder>/app.sock`,
//! Unix only) and quits, so one profile never gets two sandboxes or two sets of trigger monitors
//! writing to one ledger.
//!
//! Why not `tauri-plugin-single-instance`: it allows one instance per app, not per data folder
//! (`--data-dir` profiles, the tests' private folders), and on Linux it brings a second D-Bus
//! stack (zbus) beside the keyring's libdbus. The lock is fs4's (flock / LockFileEx), which the
//! OS releases when the holder dies, kill -9 included: a lock is never stale.

use std::fs::File;
use std::path::{Path, PathBuf};

/// The lock file's name inside the data folder.
pub const LOCK_FILE: &str = "app.lock";
/// The socket's name inside the data folder (Unix).
pub const SOCKET_FILE: &str = "app.sock";
/// How long a launch waits for an app that is quitting to let go of the folder.
pub const QUIT_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// The outcome of [`claim`].
#[derive(Debug)]
pub enum Claim {
    /// This process is the profile's app: keep the value for as long as the app runs.
    First(Instance),
    /// Another app already runs on this data folder; it was asked to come to the front
    /// (`asked` is false when it could not be reached, e.g. on Windows).
    Running {
        /// Whether the running app got the request.
        asked: bool,
    },
}

/// The held profile lock (released when dropped or when the process ends).
#[derive(Debug)]
pub struct Instance {
    _lock: File,
    #[cfg(unix)]
    socket: Option<PathBuf>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(p) = &self.socket {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Claims the data folder `data_dir` for this app process, waiting up to [`QUIT_WAIT`] for an
/// app that is quitting. `on_second_launch` runs (on a
/// background thread) each time a later launch on the same folder asks this one to come to the
/// front.
///
/// # Errors
/// The data folder or its lock file cannot be created or opened (the message names the path).
pub fn claim(
    data_dir: &Path,
    on_second_launch: impl Fn() + Send + 'static,
) -> std::io::Result<Claim> {
    crate::store::create_private_dir(data_dir).map_err(|e| named(data_dir, e))?;
    let path = data_dir.join(LOCK_FILE);
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let file = opts.open(&path).map_err(|e| named(&path, e))?;
    // An app that is quitting (a restart) still holds the lock for a moment: wait that long.
    let start = std::time::Instant::now();
    loop {
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => break,
            Err(fs4::TryLockError::WouldBlock) if start.elapsed() < QUIT_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(fs4::TryLockError::WouldBlock) => {
                return Ok(Claim::Running {
                    asked: ask_to_front(data_dir),
                })
            }
            Err(fs4::TryLockError::Error(e)) => return Err(named(&path, e)),
        }
    }
    Ok(Claim::First(Instance {
        _lock: file,
        #[cfg(unix)]
        socket: listen(data_dir, on_second_launch),
    }))
}

fn named(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Listens on `<data_dir>/app.sock` for later launches; `None` (logged) when it cannot.
#[cfg(unix)]
fn listen(data_dir: &Path, on_second_launch: impl Fn() + Send + 'static) -> Option<PathBuf> {
    use std::io::BufRead as _;
    let path = data_dir.join(SOCKET_FILE);
    // Left by an app that died: we hold the lock, so no one listens on it.
    let _ = std::fs::remove_file(&path);
    let listener = match std::os::unix::net::UnixListener::bind(&path) {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(error = %e, path = %path.display(), "a second launch will not bring this window to the front");
            return None;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("second-launch".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut line = String::new();
                let _ = std::io::BufReader::new(stream).read_line(&mut line);
                if line.trim() == "front" {
                    on_second_launch();
                }
            }
        });
    spawned.ok().map(|_| path)
}

#[cfg(unix)]
fn ask_to_front(data_dir: &Path) -> bool {
    use std::io::Write as _;
    std::os::unix::net::UnixStream::connect(data_dir.join(SOCKET_FILE))
        .and_then(|mut s| s.write_all(b"front\n"))
        .is_ok()
}

#[cfg(not(unix))]
fn ask_to_front(_data_dir: &Path) -> bool {
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn second_claim_on_one_folder_is_refused_and_brings_the_first_to_the_front() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = mpsc::channel();
        let first = claim(dir.path(), move || {
            let _ = tx.send(());
        })
        .unwrap();
        assert!(matches!(first, Claim::First(_)), "{first:?}");

        // A second claim opens the lock file again: the OS lock refuses it.
        let second = claim(dir.path(), || {}).unwrap();
        match second {
            Claim::Running { asked } => assert_eq!(asked, cfg!(unix)),
            other => panic!("{other:?}"),
        }
        #[cfg(unix)]
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the first app was asked to come to the front");

        // Another folder is another profile.
        let other = tempfile::tempdir().unwrap();
        assert!(matches!(
            claim(other.path(), || {}).unwrap(),
            Claim::First(_)
        ));

        // Once the first quits, the folder can be claimed again.
        drop(first);
        assert!(matches!(claim(dir.path(), || {}).unwrap(), Claim::First(_)));
    }
}
