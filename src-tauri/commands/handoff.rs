//! "Use this connection in…" (the values to hand over; the key copied on purpose to the
//! clipboard, marked as secret and cleared after a while) and "Paste everything".

use tauri::AppHandle;
use tauri_plugin_clipboard_manager::ClipboardExt;

use studio_core::handoff::{Handoff, HandoffFormat};
use studio_core::workspace::{Clipboard, KeyCopied, PasteAnswer, Workspace};

use super::{blocking, emitter, events, run, Answer, St};

/// The system clipboard, through the clipboard plugin.
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
pub async fn connection_handoff(ws: St<'_>, name: String) -> Answer<Handoff> {
    let handoff = move |w: &Workspace| w.connection_handoff(&name);
    blocking(&ws, "connection_handoff", handoff).await
}

/// Copies a healthy connection's key to the clipboard (`key-clipboard` event when cleared).
#[tauri::command]
pub async fn copy_private_key(
    app: AppHandle,
    ws: St<'_>,
    name: String,
    format: HandoffFormat,
) -> Answer<KeyCopied> {
    let board = SystemClipboard(app.clone());
    let copy = ws.copy_private_key(&name, format, board, emitter::<events::KeyClipboard>(&app));
    run("copy_private_key", copy).await
}

/// Reads a pasted block of notes, a `.env` file or JSON (a key in it is kept like a pasted key).
#[tauri::command]
pub async fn read_pasted(ws: St<'_>, text: String) -> Answer<PasteAnswer> {
    run("read_pasted", ws.read_pasted(text)).await
}
