//! The app's log: `<log_dir>/studio.log` plus stderr. Commands log their name and, on failure,
//! the error code and message; never arguments (a pasted key is an argument) or answers.

use std::path::Path;
use tracing_subscriber::fmt::writer::MakeWriterExt as _;

/// The log file's name inside the log folder.
pub const LOG_FILE: &str = "studio.log";

/// Starts logging to `log_dir/studio.log` and stderr (level from `RUST_LOG`, default `info`).
/// The folder is made readable by this user only (0700) and the file too (0600), an existing
/// one included. Logging to stderr only when the folder cannot be written. Safe to call more
/// than once.
pub fn init(log_dir: &Path) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // The log names connections, people and subjects: folder 0700, file 0600 (on Unix).
    let path = log_dir.join(LOG_FILE);
    let file = studio_core::store::create_private_dir(log_dir)
        .and_then(|_| studio_core::store::create_private_file(&path))
        .and_then(|_| std::fs::OpenOptions::new().append(true).open(&path));
    let result = match file {
        Ok(f) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(f).and(std::io::stderr))
            .try_init(),
        Err(e) => {
            eprintln!("studio: cannot write the log in {}: {e}", log_dir.display());
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::io::stderr)
                .try_init()
        }
    };
    // Already initialised (tests): keep the first subscriber.
    drop(result);
}

/// Logs a command's outcome (name, and the error's code and message on failure) and passes it on.
pub fn outcome<T>(
    command: &str,
    result: Result<T, crate::error::IpcError>,
) -> Result<T, crate::error::IpcError> {
    match &result {
        Ok(_) => tracing::info!(command, "ok"),
        Err(e) => tracing::warn!(command, code = %e.code, message = %e.message, "failed"),
    }
    result
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    /// Issue 12: the log folder and file are private, and an existing file is tightened.
    #[cfg(unix)]
    #[test]
    fn log_folder_and_file_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = logs.join(super::LOG_FILE);
        std::fs::write(&file, "an earlier line\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();

        super::init(&logs);
        tracing::info!("a line");

        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&logs), 0o700);
        assert_eq!(mode(&file), 0o600);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("an earlier line\n"),
            "appended, not replaced: {text}"
        );
    }
}
