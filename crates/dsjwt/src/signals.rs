//! Ctrl-C and SIGTERM: a command stopped part way leaves nothing half-written.

use crate::Usage;
use std::process::ExitCode;

/// Runs `command` until it ends, or until the process is asked to stop (Ctrl-C / SIGINT, or
/// SIGTERM): then the command is dropped where it is, which removes what it was writing (a
/// download's `.part` file, a bundle's temporary file), says so on stderr, and ends with the
/// conventional exit code 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
pub(crate) async fn until_stopped(
    command: impl std::future::Future<Output = Result<ExitCode, Usage>>,
) -> Result<ExitCode, Usage> {
    tokio::select! {
        result = command => result,
        (name, code) = stop_signal() => {
            eprintln!("dsjwt: stopped by {name} before the command finished; nothing half-written was left behind");
            Ok(ExitCode::from(code))
        }
    }
}

/// Waits for Ctrl-C (SIGINT) or SIGTERM; returns the signal's name and the exit code for it.
async fn stop_signal() -> (&'static str, u8) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            tokio::select! {
                _ = int.recv() => return ("Ctrl-C (SIGINT)", 130),
                _ = term.recv() => return ("SIGTERM", 143),
            }
        }
    }
    match tokio::signal::ctrl_c().await {
        Ok(()) => ("Ctrl-C", 130),
        // No handler could be installed: never resolves (the command runs to its end).
        Err(_) => std::future::pending().await,
    }
}

pub(crate) async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
