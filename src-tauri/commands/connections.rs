//! Saved connections, the wizard's field checks, and the keys it holds before saving.

use studio_core::connections::Connection;
use studio_core::drafts::{GeneratedKeyAnswer, KeyAccepted};
use studio_core::wizard::{Field, FieldCheck, FieldContext};
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

/// Checks a wizard field as typed (`context`: the other values that change its verdict).
#[tauri::command]
pub fn check_field(ws: St<'_>, field: Field, value: String, context: FieldContext) -> FieldCheck {
    ws.check_field(field, &value, &context)
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
