//! Saved connections, the wizard's field checks, and the keys it holds before saving.

use tauri::State;

use studio_core::connections::{ConnEnvironment, Connection};
use studio_core::drafts::{GeneratedKeyAnswer, KeyAccepted};
use studio_core::wizard::{self, FieldCheck};
use studio_core::workspace::{WhereToFind, Workspace};

use super::run;
use crate::{AppState, IpcError};

/// Every saved connection (non-secret fields and the key's fingerprint).
#[tauri::command]
pub async fn list_connections(state: State<'_, AppState>) -> Result<Vec<Connection>, IpcError> {
    state
        .blocking("list_connections", |w| w.list_connections())
        .await
}

/// One saved connection.
#[tauri::command]
pub async fn get_connection(
    state: State<'_, AppState>,
    name: String,
) -> Result<Connection, IpcError> {
    state
        .blocking("get_connection", move |w| w.connection(&name))
        .await
}

/// Removes a connection and its key from the keyring.
#[tauri::command]
pub async fn remove_connection(state: State<'_, AppState>, name: String) -> Result<(), IpcError> {
    state
        .blocking("remove_connection", move |w| w.remove_connection(&name))
        .await
}

/// Saves a connection. `key_ref`: `draft:N` (a key given to this wizard), `saved:<name>`
/// (the key of a saved connection, e.g. when renaming), or none (keep the stored key).
#[tauri::command]
pub async fn save_connection(
    state: State<'_, AppState>,
    draft: Connection,
    key_ref: Option<String>,
) -> Result<Connection, IpcError> {
    let save = move |w: &Workspace| w.save_connection(draft, key_ref.as_deref());
    state.blocking("save_connection", save).await
}

/// Where `field` is in DocuSign's admin pages.
#[tauri::command]
pub fn where_to_find(field: String) -> WhereToFind {
    Workspace::where_to_find(field)
}

/// Checks a connection name as typed.
#[tauri::command]
pub fn check_connection_name(value: String) -> FieldCheck {
    wizard::check_connection_name(&value)
}

/// Checks an integration key as typed.
#[tauri::command]
pub fn check_integration_key(value: String) -> FieldCheck {
    wizard::check_integration_key(&value)
}

/// Checks a user ID as typed (warns when it equals the account ID).
#[tauri::command]
pub fn check_user_id(value: String, account_id: Option<String>) -> FieldCheck {
    wizard::check_user_id(&value, account_id.as_deref().filter(|a| !a.is_empty()))
}

/// Checks an account ID as typed (warns when it equals the user ID).
#[tauri::command]
pub fn check_account_id(value: String, user_id: Option<String>) -> FieldCheck {
    wizard::check_account_id(&value, user_id.as_deref().filter(|u| !u.is_empty()))
}

/// Checks a base URI as typed, for the environment.
#[tauri::command]
pub fn check_base_uri(value: String, environment: ConnEnvironment) -> FieldCheck {
    wizard::check_base_uri(&value, environment)
}

/// Checks a redirect URI as typed.
#[tauri::command]
pub fn check_redirect_uri(value: String) -> FieldCheck {
    wizard::check_redirect_uri(&value)
}

/// Checks a pasted key (or a key file's text). When it loads, the app keeps it in memory
/// under a reference; only the check and the public info come back.
#[tauri::command]
pub async fn check_private_key(
    state: State<'_, AppState>,
    text: String,
) -> Result<KeyAccepted, IpcError> {
    run("check_private_key", state.workspace.accept_key(text)).await
}

/// Generates a 2048-bit RSA key pair; the private half stays in the app.
#[tauri::command]
pub async fn generate_key_pair(state: State<'_, AppState>) -> Result<GeneratedKeyAnswer, IpcError> {
    run("generate_key_pair", state.workspace.generate_key_pair()).await
}

/// Forgets a key the wizard no longer needs.
#[tauri::command]
pub fn forget_draft_key(state: State<'_, AppState>, key_ref: String) {
    state.workspace.forget_draft_key(&key_ref)
}
