//! The app's log: `<log_dir>/studio.log` plus stderr. Commands log their name and, on failure,
//! the error code and message; never arguments (a pasted key is an argument) or answers.

use std::path::Path;
use tracing_subscriber::fmt::writer::MakeWriterExt as _;

/// The log file's name inside the log folder.
pub const LOG_FILE: &str = "studio.log";

/// Starts logging to `log_dir/studio.log` and stderr (level from `RUST_LOG`, default `info`).
/// Logging to stderr only when the folder cannot be written. Safe to call more than once.
pub fn init(log_dir: &Path) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let file = std::fs::create_dir_all(log_dir).and_then(|_| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log_dir.join(LOG_FILE))
    });
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
