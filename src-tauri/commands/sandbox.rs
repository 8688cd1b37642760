//! The built-in sandbox: start, reset, and its envelope controls.

use serde_json::Value;
use tauri::State;

use studio_core::workspace::{AppInfo, RecipientMove, SandboxStarted};

use super::run;
use crate::{AppState, IpcError};

/// The app's version and whether the sandbox runs.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    Ok(state.workspace.app_info().await)
}

/// Starts the built-in sandbox (or returns the running one) and its "Sandbox" connection; the
/// sandbox of an earlier run comes back with the same identity, consent and envelopes.
#[tauri::command]
pub async fn start_sandbox(state: State<'_, AppState>) -> Result<SandboxStarted, IpcError> {
    run("start_sandbox", state.workspace.start_sandbox()).await
}

/// "Reset the sandbox": a fresh one (new identity, no consent, no envelopes) replaces it.
#[tauri::command]
pub async fn reset_sandbox(state: State<'_, AppState>) -> Result<SandboxStarted, IpcError> {
    run("reset_sandbox", state.workspace.reset_sandbox()).await
}

/// Moves a sandbox recipient along (deliver, sign with optional tab values, decline with a
/// reason). Returns the envelope's new state as the sandbox reports it.
#[tauri::command]
pub async fn sandbox_move(
    state: State<'_, AppState>,
    name: String,
    envelope_id: String,
    recipient_id: String,
    action: RecipientMove,
    tabs: Option<Value>,
    reason: Option<String>,
) -> Result<Value, IpcError> {
    let moved =
        state
            .workspace
            .sandbox_move(&name, &envelope_id, &recipient_id, action, tabs, reason);
    run("sandbox_move", moved).await
}
