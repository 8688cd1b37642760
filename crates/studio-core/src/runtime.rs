//! The desktop app's one async runtime, sized for a single-window app: it waits on the
//! network and the disk, it does not compute. Tauri's default runtime starts one worker per
//! CPU and keeps idle blocking threads for 10 s; this one has [`WORKER_THREADS`] workers and
//! lets a blocking thread (keyring, SQLite, file writes) go after [`BLOCKING_KEEP_ALIVE`]
//! idle, so an idle app holds no thread it does not use. Everything async in the app (its
//! commands, the embedded sandbox emulator, the trigger monitors) runs on it.

use std::time::Duration;

/// Worker threads of the app's runtime.
pub const WORKER_THREADS: usize = 2;

/// Most blocking threads at once (keyring, SQLite, file I/O); more calls wait their turn.
pub const MAX_BLOCKING_THREADS: usize = 16;

/// How long an idle blocking thread is kept before it exits.
pub const BLOCKING_KEEP_ALIVE: Duration = Duration::from_secs(2);

/// Builds the app's runtime (threads named `studio-rt`).
///
/// # Errors
/// The OS refused the threads or the I/O driver (out of resources).
pub fn app_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .thread_keep_alive(BLOCKING_KEEP_ALIVE)
        .thread_name("studio-rt")
        .enable_all()
        .build()
}
