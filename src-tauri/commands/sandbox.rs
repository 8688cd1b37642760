//! The built-in sandbox: start, reset, and its envelope controls.

use studio_core::workspace::{AppInfo, SandboxEnvelopeState, SandboxMoveAsk, SandboxStarted};

use super::{run, Answer, St};

/// The app's version and whether the sandbox runs.
#[tauri::command]
pub async fn app_info(ws: St<'_>) -> Answer<AppInfo> {
    Ok(ws.app_info().await)
}

/// Starts the built-in sandbox (or returns the running one) and its "Sandbox" connection.
#[tauri::command]
pub async fn start_sandbox(ws: St<'_>) -> Answer<SandboxStarted> {
    run("start_sandbox", ws.start_sandbox()).await
}

/// "Reset the sandbox": a fresh one (new identity, no consent, no envelopes) replaces it.
#[tauri::command]
pub async fn reset_sandbox(ws: St<'_>) -> Answer<SandboxStarted> {
    run("reset_sandbox", ws.reset_sandbox()).await
}

/// Moves a sandbox recipient along (deliver, sign, decline); the envelope's new state.
#[tauri::command]
pub async fn sandbox_move(ws: St<'_>, ask: SandboxMoveAsk) -> Answer<SandboxEnvelopeState> {
    run("sandbox_move", ws.sandbox_move(ask)).await
}
