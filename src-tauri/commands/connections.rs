//! Saved connections, the wizard's field checks, and the keys it holds before saving.

use studio_core::connections::{ConnEnvironment, Connection};
use studio_core::drafts::{GeneratedKeyAnswer, KeyAccepted};
use studio_core::wizard::{self, FieldCheck};
use studio_core::workspace::{WhereToFind, Workspace};

use super::{blocking, run, Answer, St};

/// Every saved connection (non-secret fields and the key's fingerprint).
#[tauri::command]
pub async fn list_connections(ws: St<'_>) -> Answer<Vec<Connection>> {
    blocking(&ws, "list_connections", |w| w.list_connections()).await
}

/// One saved connection.
#[tauri::command]
pub async fn get_connection(ws: St<'_>, name: String) -> Answer<Connection> {
    blocking(&ws, "get_connection", move |w| w.connection(&name)).await
}

/// Removes a connection and its key from the keyring.
#[tauri::command]
pub async fn remove_connection(ws: St<'_>, name: String) -> Answer<()> {
    let remove = move |w: &Workspace| w.remove_connection(&name);
    blocking(&ws, "remove_connection", remove).await
}

/// Saves a connection; `key_ref`: `draft:N`, `saved:<name>` (a rename), or none (keep the key).
#[tauri::command]
pub async fn save_connection(
    ws: St<'_>,
    draft: Connection,
    key_ref: Option<String>,
) -> Answer<Connection> {
    let save = move |w: &Workspace| w.save_connection(draft, key_ref.as_deref());
    blocking(&ws, "save_connection", save).await
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

/// Checks a pasted key; one that loads is kept in memory, and only its check comes back.
#[tauri::command]
pub async fn check_private_key(ws: St<'_>, text: String) -> Answer<KeyAccepted> {
    run("check_private_key", ws.accept_key(text)).await
}

/// Generates a 2048-bit RSA key pair; the private half stays in the app.
#[tauri::command]
pub async fn generate_key_pair(ws: St<'_>) -> Answer<GeneratedKeyAnswer> {
    run("generate_key_pair", ws.generate_key_pair()).await
}

/// Forgets a key the wizard no longer needs.
#[tauri::command]
pub fn forget_draft_key(ws: St<'_>, key_ref: String) {
    ws.forget_draft_key(&key_ref)
}
