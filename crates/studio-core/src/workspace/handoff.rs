//! "Use this connection in…" and "Paste everything": the values the last health check proved
//! (never the key), the private key copied on purpose to a clipboard and cleared from it after a
//! while, and a pasted block's values (a key in it is kept in memory like a key pasted on the key
//! step, and only its check comes back).

use serde::Serialize;
use std::time::Duration;

use docusign_api::key::{PrivateKeyBytes, Zeroizing};

use super::{blocking, Code, Problem, Workspace};
use crate::connections::ConnectionError;
use crate::drafts::KeyAccepted;
use crate::handoff::{self, CheckRecord, Handoff, HandoffFormat, HandoffStatus, PastedValues};
use crate::wizard;

/// Seconds after which the clipboard is cleared if it still holds the private key.
pub const KEY_CLIPBOARD_SECONDS: u64 = 60;
/// Overrides [`KEY_CLIPBOARD_SECONDS`] (tests only; at most 60).
pub const KEY_CLIPBOARD_SECONDS_ENV: &str = "DSJWT_KEY_CLIPBOARD_SECONDS";

/// The system clipboard, as the desktop gives it.
pub trait Clipboard: Send + Sync + 'static {
    /// Writes `text`, marked as secret for clipboard managers.
    ///
    /// # Errors
    /// The clipboard's own words.
    fn write_secret(&self, text: &str) -> Result<(), String>;
    /// The text on the clipboard, if any.
    fn read_text(&self) -> Option<String>;
    /// Empties the clipboard; false when that failed.
    fn clear(&self) -> bool;
}

/// The private key was copied.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyCopied {
    /// The key's fingerprint (`SHA256:…`).
    pub fingerprint: String,
    /// Seconds until the clipboard is cleared (if it still holds the key).
    pub clear_after_seconds: u64,
}

/// Said when the key's time on the clipboard is over.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyClipboardEvent {
    /// The connection.
    pub connection: String,
    /// True when the clipboard still held the key and was cleared; false when something else
    /// had been copied since (left alone).
    pub cleared: bool,
}

/// What a "Paste everything" text held: the values (each still to be checked as typed) and,
/// when it held a private key, that key's check and its in-memory reference.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PasteAnswer {
    /// The values found (never the key).
    pub values: PastedValues,
    /// The key's check, fingerprint and `draft:N` reference, when the text held one.
    pub key: Option<KeyAccepted>,
}

/// A saved connection's values as a health check run just now proved them, ready for the
/// platform that will run it (`dsjwt connection export`).
pub struct ConnectionExport {
    /// The connection's name, as saved.
    pub connection: String,
    /// The hand-over's status in plain words (it is healthy).
    pub message: String,
    /// The fingerprint of the private key in `text`, when it was asked for.
    pub key_fingerprint: Option<String>,
    /// The values in the format asked for (with the private key only when asked for).
    pub text: Zeroizing<String>,
}

/// Why [`Workspace::export_connection`] gives nothing.
#[derive(Debug)]
pub enum ExportError {
    /// The connection, its key or the config file.
    Connection(ConnectionError),
    /// The health check just run did not pass: `not_healthy`, the status in plain words and
    /// what to do (the hand-off's problem, [`Handoff::problem`]).
    NotHealthy(Problem),
    /// The private key in the keyring changed while the check ran.
    KeyChanged,
}

fn clear_after() -> u64 {
    std::env::var(KEY_CLIPBOARD_SECONDS_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| (1..=KEY_CLIPBOARD_SECONDS).contains(s))
        .unwrap_or(KEY_CLIPBOARD_SECONDS)
}

impl Workspace {
    /// What the connection's last health check proved, ready to hand over (never the key).
    ///
    /// # Errors
    /// `not_found`, config file errors.
    pub fn connection_handoff(&self, name: &str) -> Result<Handoff, Problem> {
        let conn = self.store.get(name)?;
        Ok(handoff::handoff(
            &conn,
            self.last_check(&conn.name).as_ref(),
        ))
    }

    /// Runs the health check of a saved connection now (its calls go into this workspace's
    /// ledger; the report is not kept for the support bundle) and, only when it passed, gives
    /// the values it proved in `format`, with the private key from the keyring when
    /// `include_key` (the key the check signed with, or nothing).
    ///
    /// # Errors
    /// [`ExportError`]: the connection (`not_found`, keyring and config errors), the check
    /// failed, or the key changed meanwhile.
    pub async fn export_connection(
        &self,
        name: &str,
        format: HandoffFormat,
        include_key: bool,
    ) -> Result<ConnectionExport, ExportError> {
        let conn = self.store.get(name).map_err(ExportError::Connection)?;
        let input = self
            .store
            .check_input(&conn.name)
            .map_err(ExportError::Connection)?;
        let report = self.check_given(input, None).await.report;
        let record = CheckRecord::now(&conn, &report);
        self.record_check(record.clone());
        let h = handoff::handoff(&conn, Some(&record));
        if h.status != HandoffStatus::Healthy {
            return Err(ExportError::NotHealthy(h.problem));
        }
        let key = if include_key {
            let loaded = self
                .store
                .private_key(&conn.name)
                .map_err(ExportError::Connection)?;
            if Some(&loaded.info.fingerprint) != record.values.key_fingerprint.as_ref() {
                return Err(ExportError::KeyChanged);
            }
            let pem = Zeroizing::new(loaded.key.to_pkcs1_pem());
            Some((pem, loaded.info.fingerprint.clone()))
        } else {
            None
        };
        let text = Zeroizing::new(handoff::render(
            &record.values,
            format,
            key.as_ref().map(|(pem, _)| pem.as_str()),
        ));
        Ok(ConnectionExport {
            connection: conn.name,
            message: h.problem.message,
            key_fingerprint: key.map(|(_, fingerprint)| fingerprint),
            text,
        })
    }

    /// Copies the private key of a healthy connection (the one its last health check signed
    /// with) from the keyring to `clipboard`, on purpose; the front end asks first. `stackai`:
    /// the PEM alone; `env` / `json`: the whole block with the key. The key is never returned.
    /// After [`KEY_CLIPBOARD_SECONDS`] the clipboard is cleared if it still holds the key, and
    /// `on_over` is told.
    ///
    /// # Errors
    /// `not_healthy`, `key_changed`, `clipboard_failed`, keyring and config errors.
    pub async fn copy_private_key(
        &self,
        name: &str,
        format: HandoffFormat,
        clipboard: impl Clipboard,
        on_over: impl FnOnce(KeyClipboardEvent) + Send + 'static,
    ) -> Result<KeyCopied, Problem> {
        let (store, n) = (self.store.clone(), name.to_string());
        let (conn, loaded) = blocking(move || {
            let conn = store.get(&n)?;
            let key = store.private_key(&conn.name)?;
            Ok::<_, Problem>((conn, key))
        })
        .await?;
        let last = self.last_check(&conn.name);
        let h = handoff::handoff(&conn, last.as_ref());
        if h.status != HandoffStatus::Healthy {
            return Err(h.problem);
        }
        if h.key_fingerprint.as_deref() != Some(loaded.info.fingerprint.as_str()) {
            return Err(Problem::new(
                Code::KeyChanged,
                "The private key in the keyring is not the one the last health check used.",
                "Run the health check again, then copy the key.",
            ));
        }
        let pem = Zeroizing::new(loaded.key.to_pkcs1_pem());
        // Stack AI's form takes the PEM alone; the .env and JSON blocks are copied whole.
        let text = match (format, last) {
            (HandoffFormat::Stackai, _) | (_, None) => pem,
            (f, Some(rec)) => Zeroizing::new(handoff::render(&rec.values, f, Some(pem.as_str()))),
        };
        clipboard.write_secret(text.as_str()).map_err(|e| {
            Problem::new(
                Code::ClipboardFailed,
                format!("The clipboard could not be written: {e}."),
                "Try again. If it keeps failing, the desktop may have no clipboard service running.",
            )
        })?;
        let seconds = clear_after();
        let connection = conn.name.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            let still = clipboard
                .read_text()
                .map(|t| Zeroizing::new(t).trim() == text.trim())
                .unwrap_or(false);
            let cleared = still && clipboard.clear();
            tracing::info!(connection = %connection, cleared, "key clipboard time over");
            on_over(KeyClipboardEvent {
                connection,
                cleared,
            });
        });
        Ok(KeyCopied {
            fingerprint: loaded.info.fingerprint.clone(),
            clear_after_seconds: seconds,
        })
    }

    /// Reads a pasted block of notes, a `.env` file or JSON. A private key in it is checked and
    /// kept in memory (`draft:N`); the values never carry it.
    ///
    /// # Errors
    /// `internal` when the reading task failed.
    pub async fn read_pasted(&self, text: String) -> Result<PasteAnswer, Problem> {
        let text = Zeroizing::new(text);
        let (mut values, checked) = blocking(move || {
            let mut values = handoff::parse_pasted(&text);
            let checked = values.private_key.take().map(|k| {
                let bytes = PrivateKeyBytes::new(k.as_bytes().to_vec());
                (wizard::check_private_key(bytes.expose()), bytes)
            });
            Ok::<_, Problem>((values, checked))
        })
        .await?;
        values.private_key = None;
        let key = checked.map(|(check, bytes)| self.keep_checked_key(check, bytes));
        Ok(PasteAnswer { values, key })
    }
}
