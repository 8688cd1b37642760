//! The temporary `.part` files downloads are written to before being renamed into place, and
//! the sweep of our own stale ones (issue #12 "leftover temp files").
//!
//! A download creates `.dsjwt-download-XXXXXX.part` in the target's folder and holds an OS lock
//! on it (flock / LockFileEx, through fs4) until it is renamed or removed. The OS releases the
//! lock when the process ends, however it ends (kill -9 included), so a `.part` file nobody
//! holds a lock on was left by a process that is gone: the next download into that folder
//! removes it. Where locks cannot be taken (some network file systems), a part file is removed
//! once it is older than [`STALE_AFTER`] (longer than the longest download may take).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The start of a download's temporary file name.
pub const PART_PREFIX: &str = ".dsjwt-download-";
/// The end of a download's temporary file name.
pub const PART_SUFFIX: &str = ".part";
/// A part file whose lock cannot be checked is removed once it is this old (seconds: one hour
/// more than the longest download, `EsignConfig::download_total_timeout`'s default).
pub const STALE_AFTER: Duration = Duration::from_secs(2 * 3600);

/// Whether `name` is one of our part files.
pub fn is_part_file_name(name: &str) -> bool {
    name.starts_with(PART_PREFIX)
        && name.ends_with(PART_SUFFIX)
        && name.len() > PART_PREFIX.len() + PART_SUFFIX.len()
}

/// Removes the part files in `dir` that no live process holds (see the module's notes);
/// returns the ones removed. Never fails: a folder or file that cannot be read is left as is.
pub fn sweep_stale_parts(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_part_file_name(name) {
            continue;
        }
        // Regular files only (never follow a symlink somebody put there).
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::options().read(true).write(true).open(&path) else {
            continue;
        };
        let stale = match fs4::FileExt::try_lock(&file) {
            // Nobody holds it: its download's process is gone. Removed while we hold the lock,
            // so a download that opens it meanwhile sees it gone (see `lock_new_part`).
            Ok(()) => true,
            Err(fs4::TryLockError::WouldBlock) => false,
            Err(fs4::TryLockError::Error(_)) => file
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age > STALE_AFTER),
        };
        if stale && std::fs::remove_file(&path).is_ok() {
            tracing::info!(path = %path.display(), "removed a partial download left by a stopped process");
            removed.push(path);
        }
        drop(file);
    }
    removed
}

/// Creates a new part file in `dir` and takes its lock, for as long as the returned file is
/// open. A sweep in another process that took the file's lock first (and so may have removed
/// it) is detected, and another file is made.
///
/// # Errors
/// The I/O error of creating the file (the folder is missing or not writable, the disk is full).
pub fn lock_new_part(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let tmp = tempfile::Builder::new()
            .prefix(PART_PREFIX)
            .suffix(PART_SUFFIX)
            .tempfile_in(dir)?;
        match fs4::FileExt::lock(tmp.as_file()) {
            Ok(()) => {}
            // No locks on this file system: the age rule of the sweep protects it.
            Err(_) => return Ok(tmp),
        }
        if still_named(&tmp) || attempts >= 5 {
            return Ok(tmp);
        }
    }
}

/// Whether the part file's name still refers to the open file (a sweep did not remove it
/// between its creation and its lock).
fn still_named(tmp: &tempfile::NamedTempFile) -> bool {
    let Ok(by_name) = std::fs::symlink_metadata(tmp.path()) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match tmp.as_file().metadata() {
            Ok(open) => open.dev() == by_name.dev() && open.ino() == by_name.ino(),
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    {
        // Windows: a file open without FILE_SHARE_DELETE by the sweeper cannot be removed
        // while we hold it; the name still being there is enough.
        by_name.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_part_file_name(".dsjwt-download-a1B2c3.part"));
        assert!(!is_part_file_name(".dsjwt-download-.part"));
        assert!(!is_part_file_name("dsjwt-download-a1.part"));
        assert!(!is_part_file_name(".dsjwt-download-a1.pdf"));
    }

    /// A held part file (a live download, even in this process) is kept; an unheld one (its
    /// process is gone) is removed; other files are never touched.
    #[test]
    fn sweep_removes_only_unheld_part_files_of_ours() {
        let dir = tempfile::tempdir().unwrap();
        let live = lock_new_part(dir.path()).unwrap();
        let dead = dir.path().join(".dsjwt-download-dead01.part");
        std::fs::write(&dead, b"%PDF-1.7 half").unwrap();
        let other = dir.path().join(".other-download-x.part");
        std::fs::write(&other, b"x").unwrap();
        let pdf = dir.path().join("contract.pdf");
        std::fs::write(&pdf, b"%PDF-").unwrap();
        let removed = sweep_stale_parts(dir.path());
        assert_eq!(removed, vec![dead.clone()]);
        assert!(!dead.exists());
        assert!(
            live.path().exists(),
            "a download in progress keeps its file"
        );
        assert!(other.exists() && pdf.exists(), "not ours: untouched");
        let live_path = live.path().to_path_buf();
        drop(live);
        assert!(
            !live_path.exists(),
            "a finished download's part file goes with it"
        );
    }
}
