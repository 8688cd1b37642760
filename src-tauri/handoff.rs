//! "Use this connection in…" and "Paste everything": thin commands over
//! [`studio_core::handoff`].
//!
//! - [`LastChecks`]: the last health check of each connection in this app session (what it
//!   proved and when); [`crate::commands::run_health_check`] records it.
//! - [`connection_handoff`]: the values to hand over (no key), or why not.
//! - [`copy_private_key`]: the private key from the keyring to the clipboard (marked as secret
//!   for clipboard managers), never to the web view; after [`KEY_CLIPBOARD_SECONDS`] the
//!   clipboard is cleared if it still holds the key, and [`events::KEY_CLIPBOARD`] says so.
//! - [`read_pasted`]: a pasted block's values; a key in it is kept in memory (`draft:N`) like a
//!   key pasted on the key step, and only its check comes back.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use studio_core::api::key::Zeroizing;
use studio_core::handoff::{
    self, CheckRecord, Handoff, HandoffFormat, HandoffStatus, PastedValues,
};
use studio_core::wizard;

use crate::commands::{blocking, KeyAccepted};
use crate::error::IpcError;
use crate::logging::outcome;
use crate::state::AppState;

/// Seconds after which the clipboard is cleared if it still holds the private key.
pub const KEY_CLIPBOARD_SECONDS: u64 = 60;
/// Overrides [`KEY_CLIPBOARD_SECONDS`] (tests only; at most 60).
pub const KEY_CLIPBOARD_SECONDS_ENV: &str = "DSJWT_KEY_CLIPBOARD_SECONDS";

/// The events of this module.
pub mod events {
    /// A [`super::KeyClipboardEvent`] once the key's time on the clipboard is over.
    pub const KEY_CLIPBOARD: &str = "key-clipboard";
}

/// The last health check of each connection (by lower-case name) in this app session.
#[derive(Default)]
pub struct LastChecks(Mutex<HashMap<String, CheckRecord>>);

impl LastChecks {
    /// Keeps `record` as its connection's last check.
    pub fn record(&self, record: CheckRecord) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(record.values.name.to_lowercase(), record);
        }
    }

    /// The last check of `name`, if one ran.
    pub fn get(&self, name: &str) -> Option<CheckRecord> {
        self.0
            .lock()
            .ok()
            .and_then(|m| m.get(&name.trim().to_lowercase()).cloned())
    }
}

/// What the connection's last health check proved, ready to hand over (never the key).
#[tauri::command]
pub async fn connection_handoff(
    state: State<'_, AppState>,
    checks: State<'_, LastChecks>,
    name: String,
) -> Result<Handoff, IpcError> {
    let store = state.store.clone();
    let conn = outcome(
        "connection_handoff",
        blocking(move || Ok(store.get(&name)?)).await,
    )?;
    Ok(handoff::handoff(&conn, checks.get(&conn.name).as_ref()))
}

/// The private key was copied.
#[derive(Debug, Clone, Serialize)]
pub struct KeyCopied {
    /// The key's fingerprint (`SHA256:…`).
    pub fingerprint: String,
    /// Seconds until the clipboard is cleared (if it still holds the key).
    pub clear_after_seconds: u64,
}

/// Sent when the key's time on the clipboard is over.
#[derive(Debug, Clone, Serialize)]
pub struct KeyClipboardEvent {
    /// The connection.
    pub connection: String,
    /// True when the clipboard still held the key and was cleared; false when something else
    /// had been copied since (left alone).
    pub cleared: bool,
}

fn clear_after() -> u64 {
    std::env::var(KEY_CLIPBOARD_SECONDS_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| (1..=KEY_CLIPBOARD_SECONDS).contains(s))
        .unwrap_or(KEY_CLIPBOARD_SECONDS)
}

/// Copies the private key of a healthy connection (the one its last health check signed with)
/// from the keyring to the clipboard, on purpose; the UI asks first. `stackai`: the PEM alone
/// (for the form's multiline field); `env` / `json`: the whole block with the key. The key is
/// never returned.
#[tauri::command]
pub async fn copy_private_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    checks: State<'_, LastChecks>,
    name: String,
    format: HandoffFormat,
) -> Result<KeyCopied, IpcError> {
    let store = state.store.clone();
    let (conn, loaded) = outcome(
        "copy_private_key",
        blocking(move || {
            let conn = store.get(&name)?;
            let key = store.private_key(&conn.name)?;
            Ok((conn, key))
        })
        .await,
    )?;
    let h = handoff::handoff(&conn, checks.get(&conn.name).as_ref());
    if h.status != HandoffStatus::Healthy {
        return outcome(
            "copy_private_key",
            Err(IpcError::new(
                "not_healthy",
                h.message,
                h.fix.unwrap_or_default(),
            )),
        );
    }
    if h.key_fingerprint.as_deref() != Some(loaded.info.fingerprint.as_str()) {
        return outcome(
            "copy_private_key",
            Err(IpcError::new(
                "key_changed",
                "The private key in the keyring is not the one the last health check used.",
                "Run the health check again, then copy the key.",
            )),
        );
    }
    let pem = Zeroizing::new(loaded.key.to_pkcs1_pem());
    // Stack AI's form takes the PEM alone; the .env and JSON blocks are copied whole, key included.
    let text = match (format, checks.get(&conn.name)) {
        (HandoffFormat::Stackai, _) | (_, None) => pem,
        (f, Some(rec)) => Zeroizing::new(handoff::render(&rec.values, f, Some(pem.as_str()))),
    };
    outcome(
        "copy_private_key",
        app.clipboard().write_secret(text.as_str()).map_err(|e| {
            IpcError::new(
                "clipboard_failed",
                format!("The clipboard could not be written: {e}."),
                "Try again. If it keeps failing, the desktop may have no clipboard service running.",
            )
        }),
    )?;
    let seconds = clear_after();
    let handle = app.clone();
    let connection = conn.name.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        let still = handle
            .clipboard()
            .read_text()
            .map(|t| Zeroizing::new(t).trim() == text.trim())
            .unwrap_or(false);
        let cleared = still && handle.clipboard().write_text("").is_ok();
        tracing::info!(connection = %connection, cleared, "key clipboard time over");
        let _ = handle.emit(
            events::KEY_CLIPBOARD,
            KeyClipboardEvent {
                connection,
                cleared,
            },
        );
    });
    Ok(KeyCopied {
        fingerprint: loaded.info.fingerprint.clone(),
        clear_after_seconds: seconds,
    })
}

/// What a "Paste everything" text held: the values (each still to be checked as typed) and,
/// when it held a private key, that key's check and its in-memory reference.
#[derive(Debug, Clone, Serialize)]
pub struct PasteAnswer {
    /// The values found (never the key).
    pub values: PastedValues,
    /// The key's check, fingerprint and `draft:N` reference, when the text held one.
    pub key: Option<KeyAccepted>,
}

/// Reads a pasted block of notes, a `.env` file or JSON.
#[tauri::command]
pub async fn read_pasted(
    state: State<'_, AppState>,
    text: String,
) -> Result<PasteAnswer, IpcError> {
    let text = Zeroizing::new(text);
    let (mut values, checked) = blocking(move || {
        let mut values = handoff::parse_pasted(&text);
        let checked = values.private_key.take().map(|k| {
            let bytes = Zeroizing::new(k.as_bytes().to_vec());
            (wizard::check_private_key(&bytes), bytes)
        });
        Ok((values, checked))
    })
    .await?;
    values.private_key = None;
    let key = match checked {
        Some((check, bytes)) => {
            let key_ref = match &check.info {
                Some(_) => Some(state.drafts.insert(bytes)?),
                None => None,
            };
            Some(KeyAccepted {
                check: check.check,
                info: check.info,
                key_ref,
            })
        }
        None => None,
    };
    outcome("read_pasted", Ok(PasteAnswer { values, key }))
}
