//! "Use this connection in…" (the values to hand over; the key copied on purpose to the
//! clipboard, marked as secret and cleared after a while) and "Paste everything".

use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use studio_core::handoff::{Handoff, HandoffFormat};
use studio_core::workspace::{Clipboard, KeyCopied, PasteAnswer};

use super::{emitter, events, run};
use crate::{AppState, IpcError};

/// The system clipboard through the clipboard plugin.
struct SystemClipboard(AppHandle);

impl Clipboard for SystemClipboard {
    fn write_secret(&self, text: &str) -> Result<(), String> {
        self.0
            .clipboard()
            .write_secret(text)
            .map_err(|e| e.to_string())
    }
    fn read_text(&self) -> Option<String> {
        self.0.clipboard().read_text().ok()
    }
    fn clear(&self) -> bool {
        self.0.clipboard().write_text("").is_ok()
    }
}

/// What the connection's last health check proved, ready to hand over (never the key).
#[tauri::command]
pub async fn connection_handoff(
    state: State<'_, AppState>,
    name: String,
) -> Result<Handoff, IpcError> {
    state
        .blocking("connection_handoff", move |w| w.connection_handoff(&name))
        .await
}

/// Copies the private key of a healthy connection to the clipboard (the UI asks first); a
/// `key-clipboard` event says when its time there is over. The key is never returned.
#[tauri::command]
pub async fn copy_private_key(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    format: HandoffFormat,
) -> Result<KeyCopied, IpcError> {
    let (board, over) = (
        SystemClipboard(app.clone()),
        emitter(&app, events::KEY_CLIPBOARD),
    );
    run(
        "copy_private_key",
        state.workspace.copy_private_key(&name, format, board, over),
    )
    .await
}

/// Reads a pasted block of notes, a `.env` file or JSON.
#[tauri::command]
pub async fn read_pasted(
    state: State<'_, AppState>,
    text: String,
) -> Result<PasteAnswer, IpcError> {
    run("read_pasted", state.workspace.read_pasted(text)).await
}
