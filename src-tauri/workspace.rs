//! The commands of part 2, once a connection works: the Go-Live panel and the warm-up, the
//! action tester (the nine actions, downloads with a save location), trigger monitors,
//! production promotion and the sandbox's envelope controls.
//!
//! Each delegates to [`studio_core::workspace::Workspace`]. Long-running work reports as window
//! events ([`events`]): warm-up progress, download progress, and every monitor update (a
//! trigger event also shows a desktop notification, which never blocks or stops a monitor).

use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_notification::NotificationExt;

use studio_core::actions::ActionRequest;
use studio_core::connections::Connection;
use studio_core::envelope_answers::{EarlierFetch, FetchPolicy};
use studio_core::golive::WarmUpProgress;
use studio_core::ledger::GoLiveStatus;
use studio_core::triggers::{TriggerEvent, TriggerKind};
use studio_core::workspace::{
    ActionOutcome, GoLivePanel, MonitorInfo, MonitorSink, MonitorSpec, MonitorUpdate,
    PromotionGuide, PromotionInput, RecipientMove, Workspace,
};

use crate::commands::blocking;
use crate::error::IpcError;
use crate::logging::outcome;
use crate::state::AppState;

/// The window events the shell emits (the UI listens to them).
pub mod events {
    /// A [`super::WarmUpEvent`] after each warm-up call.
    pub const WARM_UP_PROGRESS: &str = "warm-up-progress";
    /// A [`super::DownloadProgress`] while a document downloads.
    pub const DOWNLOAD_PROGRESS: &str = "download-progress";
    /// A [`studio_core::workspace::MonitorUpdate`] from a trigger monitor.
    pub const MONITOR_UPDATE: &str = "monitor-update";
}

/// Makes the connection's API client on the blocking pool (the first time reads the key from
/// the keyring), so the async work after it finds it ready.
async fn ready_client(ws: &Arc<Workspace>, name: &str) -> Result<(), IpcError> {
    let (ws, name) = (Arc::clone(ws), name.to_string());
    blocking(move || ws.client(&name).map(|_| ()).map_err(IpcError::from)).await
}

/// Stops the monitors of a connection and forgets its client: after it was saved, removed, or
/// the sandbox started again (its old client and monitors point at what is gone).
pub fn connection_changed(ws: &Workspace, name: &str) {
    for m in ws
        .monitors()
        .into_iter()
        .filter(|m| m.spec.connection.eq_ignore_ascii_case(name))
    {
        ws.stop_monitor(&m.id);
    }
    ws.forget_client(name);
}

/// Stops every monitor (the app is quitting).
pub fn stop_all_monitors(ws: &Workspace) {
    for m in ws.monitors() {
        ws.stop_monitor(&m.id);
    }
}

/// The Go-Live panel: the streak, recent calls with their verdict, violations, the checklist
/// and the review answers.
#[tauri::command]
pub async fn golive_panel(
    state: State<'_, AppState>,
    name: String,
) -> Result<GoLivePanel, IpcError> {
    let ws = Arc::clone(&state.workspace);
    outcome(
        "golive_panel",
        blocking(move || Ok(ws.golive(&name)?)).await,
    )
}

/// Warm-up progress, as the `warm-up-progress` event carries it.
#[derive(Debug, Clone, Serialize)]
pub struct WarmUpEvent {
    /// The connection warming up.
    pub connection: String,
    /// The streak now, of how many, and the call just made.
    #[serde(flatten)]
    pub progress: WarmUpProgress,
}

/// Runs the warm-up (read-only calls until the streak reaches 20), emitting a
/// `warm-up-progress` event after every call.
#[tauri::command]
pub async fn warm_up<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
) -> Result<GoLiveStatus, IpcError> {
    ready_client(&state.workspace, &name).await?;
    let connection = name.clone();
    let result = state
        .workspace
        .warm_up(&name, |p| {
            if let Err(e) = app.emit(
                events::WARM_UP_PROGRESS,
                WarmUpEvent {
                    connection: connection.clone(),
                    progress: p.clone(),
                },
            ) {
                tracing::warn!(error = %e, "warm-up progress not delivered");
            }
        })
        .await;
    outcome("warm_up", result.map_err(IpcError::from))
}

/// Whether running `request` now would fetch an envelope endpoint fetched within the last 15
/// minutes (polling, in DocuSign's Go-Live review): the app says so before the call. No call.
#[tauri::command]
pub async fn polling_check(
    state: State<'_, AppState>,
    name: String,
    request: ActionRequest,
) -> Result<Option<EarlierFetch>, IpcError> {
    let ws = Arc::clone(&state.workspace);
    outcome(
        "polling_check",
        blocking(move || Ok(ws.polling_check(&name, &request)?)).await,
    )
}

/// Runs one action and says what it did to the Go-Live streak. A failed action is an answer
/// (`failure` set), not an error. Downloads go through [`download_document`]. Envelope answers
/// of the last 15 minutes are reused unless `policy` is `fetch_anyway` (the person was told
/// it counts as polling).
#[tauri::command]
pub async fn run_action(
    state: State<'_, AppState>,
    name: String,
    request: ActionRequest,
    policy: Option<FetchPolicy>,
) -> Result<ActionOutcome, IpcError> {
    if matches!(request, ActionRequest::DownloadDocument { .. }) {
        return Err(IpcError::new(
            "use_download",
            "Documents are downloaded with the download button.",
            "Use “Download a document”: it asks where to save.",
        ));
    }
    // A setup problem comes back inside the outcome: run_action says it in the action's words.
    let _ = ready_client(&state.workspace, &name).await;
    let o = state
        .workspace
        .run_action_with(&name, &request, policy.unwrap_or_default(), |_, _| {})
        .await;
    tracing::info!(command = "run_action", action = request.name(), ok = o.failure.is_none(), code = ?o.failure.as_ref().map(|f| f.code.clone()), streak = %o.streak.summary, "outcome");
    Ok(o)
}

/// The folder downloads go to unless the person chooses another place.
#[tauri::command]
pub fn download_folder(state: State<'_, AppState>) -> String {
    state.download_dir().display().to_string()
}

/// Asks where to save a download (the system's save dialog, opened from here: the web view has
/// no dialog permission). The chosen path is remembered: [`download_document`] writes only
/// there or in the Downloads folder. `None` when the person cancelled.
#[tauri::command]
pub async fn choose_save_location<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file_name: String,
) -> Result<Option<String>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_file_name(safe_file_name(&file_name))
        .set_directory(state.download_dir())
        .save_file(move |p| {
            let _ = tx.send(p);
        });
    let picked = rx
        .await
        .map_err(IpcError::internal)?
        .and_then(|p| p.into_path().ok());
    if let Some(p) = &picked {
        state
            .save_locations
            .lock()
            .map_err(IpcError::internal)?
            .insert(p.clone());
    }
    Ok(picked.map(|p| p.display().to_string()))
}

/// Download progress, as the `download-progress` event carries it.
#[derive(Debug, Clone, Serialize)]
pub struct DownloadProgress {
    /// The UI's name for this download.
    pub download_id: String,
    /// Bytes written so far.
    pub bytes: u64,
    /// The whole size, when DocuSign said it.
    pub total: Option<u64>,
}

/// Downloads a document (a number, `combined`, `archive`, `certificate` or `portfolio`) to
/// `save_to` (a path chosen with [`choose_save_location`]) or, by default, to the Downloads
/// folder as `file_name` (made unique), with `download-progress` events on the way.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn download_document<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    envelope_id: String,
    document_id: String,
    file_name: String,
    save_to: Option<String>,
    download_id: String,
    certificate: Option<bool>,
) -> Result<ActionOutcome, IpcError> {
    let out = match save_to.filter(|s| !s.trim().is_empty()) {
        Some(p) => {
            let p = PathBuf::from(p);
            if !state
                .save_locations
                .lock()
                .map_err(IpcError::internal)?
                .contains(&p)
            {
                return Err(IpcError::new(
                    "save_location_unknown",
                    "The app can only save where you chose with “Choose where…”.",
                    "Click “Choose where…” again, or save to the Downloads folder.",
                ));
            }
            p
        }
        None => {
            let dir = state.download_dir();
            std::fs::create_dir_all(&dir).map_err(|e| {
                IpcError::new(
                    "download_folder",
                    format!("The folder {} cannot be created: {e}.", dir.display()),
                    "Choose another place with “Choose where…”.",
                )
            })?;
            unique_path(&dir, &safe_file_name(&file_name))
        }
    };
    let _ = ready_client(&state.workspace, &name).await;
    let request = ActionRequest::DownloadDocument {
        envelope_id,
        document_id,
        out,
        certificate,
    };
    let mut last: Option<Instant> = None;
    let o = state
        .workspace
        .run_action(&name, &request, |bytes, total| {
            let done = total.is_some_and(|t| bytes >= t);
            let due = match last {
                Some(t) => t.elapsed() >= Duration::from_millis(100),
                None => true,
            };
            if done || due {
                last = Some(Instant::now());
                let _ = app.emit(
                    events::DOWNLOAD_PROGRESS,
                    DownloadProgress {
                        download_id: download_id.clone(),
                        bytes,
                        total,
                    },
                );
            }
        })
        .await;
    tracing::info!(command = "download_document", ok = o.failure.is_none(), code = ?o.failure.as_ref().map(|f| f.code.clone()), "outcome");
    Ok(o)
}

/// A file name that stays a file name: no folders, no control characters, not hidden, not empty.
pub fn safe_file_name(name: &str) -> String {
    // Path separators become "-" so a subject such as "A/B" stays readable; the rest is
    // studio-core's rule for names safe on Windows too (reserved device names, trailing dots
    // and spaces, length).
    let readable: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let ext = if readable.to_ascii_lowercase().ends_with(".zip") {
        "zip"
    } else {
        "pdf"
    };
    studio_core::api::esign::safe_file_name(&readable, ext)
        .unwrap_or_else(|| "document.pdf".to_string())
}

/// `dir/name`, or `dir/name (2).ext`, `(3)`… when that file exists.
pub fn unique_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (2..10_000)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// The shortest interval between polls for a connection, why, and the interval to suggest.
#[derive(Debug, Clone, Serialize)]
pub struct IntervalRule {
    /// The shortest interval allowed (900 s against DocuSign, 1 s in the sandbox).
    pub minimum_interval_seconds: u64,
    /// Why, in plain words.
    pub reason: String,
    /// What the form starts with.
    pub suggested_interval_seconds: u64,
}

/// The polling rule of a connection's environment, shown before a monitor starts.
#[tauri::command]
pub async fn monitor_rule(
    state: State<'_, AppState>,
    name: String,
) -> Result<IntervalRule, IpcError> {
    let store = state.store.clone();
    let conn = outcome(
        "monitor_rule",
        blocking(move || Ok(store.get(&name)?)).await,
    )?;
    let (min, reason) = Workspace::interval_rule(&conn);
    let suggested = if min >= studio_core::triggers::MIN_INTERVAL_DOCUSIGN_SECS {
        min
    } else {
        min.max(5)
    };
    Ok(IntervalRule {
        minimum_interval_seconds: min,
        reason,
        suggested_interval_seconds: suggested,
    })
}

/// Starts a trigger monitor; its updates come as `monitor-update` events, and each trigger
/// event also as a desktop notification.
#[tauri::command]
pub async fn start_monitor<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    spec: MonitorSpec,
) -> Result<MonitorInfo, IpcError> {
    outcome(
        "start_monitor",
        ready_client(&state.workspace, &spec.connection).await,
    )?;
    // F47: a template filter must name a template of this connection's account.
    if let Some(t) = spec.template_id.as_deref().filter(|t| !t.trim().is_empty()) {
        outcome(
            "start_monitor",
            state
                .workspace
                .check_template(&spec.connection, t)
                .await
                .map_err(IpcError::from),
        )?;
    }
    outcome(
        "start_monitor",
        state
            .workspace
            .start_monitor(spec, monitor_sink(app))
            .map_err(IpcError::from),
    )
}

/// Stops a monitor; false when it was not running.
#[tauri::command]
pub fn stop_monitor(state: State<'_, AppState>, id: String) -> bool {
    state.workspace.stop_monitor(&id)
}

/// The running monitors.
#[tauri::command]
pub fn list_monitors(state: State<'_, AppState>) -> Vec<MonitorInfo> {
    state.workspace.monitors()
}

/// The trigger events stored for a connection, oldest first: the event log after a restart.
#[tauri::command]
pub async fn trigger_history(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<TriggerEvent>, IpcError> {
    let ws = Arc::clone(&state.workspace);
    outcome(
        "trigger_history",
        blocking(move || Ok(ws.trigger_history(&name)?)).await,
    )
}

/// Forwards a monitor's updates to the window, with a notification per trigger event.
fn monitor_sink<R: Runtime>(app: AppHandle<R>) -> MonitorSink {
    Arc::new(move |update: MonitorUpdate| {
        if let MonitorUpdate::Event { event, .. } = &update {
            notify(&app, event);
        }
        if let Err(e) = app.emit(events::MONITOR_UPDATE, &update) {
            tracing::warn!(error = %e, "monitor update not delivered");
        }
    })
}

/// Shows a desktop notification on the blocking pool. Without a notification service (a bare
/// X server, a locked-down session) it logs and carries on.
fn notify<R: Runtime>(app: &AppHandle<R>, event: &TriggerEvent) {
    if app
        .try_state::<tauri_plugin_notification::Notification<R>>()
        .is_none()
    {
        return;
    }
    let (title, body) = notification_text(event);
    let app = app.clone();
    drop(tauri::async_runtime::spawn_blocking(move || {
        if let Err(e) = app.notification().builder().title(title).body(body).show() {
            tracing::warn!(error = %e, "desktop notification not shown");
        }
    }));
}

/// The notification's title and body for a trigger event.
pub fn notification_text(event: &TriggerEvent) -> (String, String) {
    let subject = event
        .email_subject
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("Envelope {}", short(&event.envelope_id)));
    // F43: a bounced recipient, whichever trigger saw it.
    if let Some(p) = &event.delivery_problem {
        return (
            "Delivery failure".into(),
            format!("“{subject}”: {} {}", p.message, p.fix),
        );
    }
    match (event.trigger, &event.recipient) {
        (TriggerKind::OnRecipientCompleted, Some(r)) => {
            let who = r
                .name
                .clone()
                .or_else(|| r.email.clone())
                .unwrap_or_else(|| format!("Recipient {}", r.recipient_id));
            let role = r
                .role_name
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            (
                format!("{who} signed"),
                format!("{who}{role} finished signing “{subject}”."),
            )
        }
        _ => (
            format!("Envelope {}", event.status),
            format!("“{subject}” is now {}.", event.status),
        ),
    }
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// What the production account needs: the integration key, redirect URI and public key to
/// re-add, and the production consent URL.
#[tauri::command]
pub async fn promotion_guide(
    state: State<'_, AppState>,
    name: String,
) -> Result<PromotionGuide, IpcError> {
    let ws = Arc::clone(&state.workspace);
    outcome(
        "promotion_guide",
        blocking(move || Ok(ws.promotion_guide(&name)?)).await,
    )
}

/// Opens the production consent page for the demo connection's integration key and redirect
/// URI in the system browser (the URL is built here). Returns the URL.
#[tauri::command]
pub async fn open_production_consent(
    state: State<'_, AppState>,
    name: String,
) -> Result<String, IpcError> {
    let ws = Arc::clone(&state.workspace);
    let opener = Arc::clone(&state.opener);
    let opened = blocking(move || {
        let url = ws.promotion_guide(&name)?.production_consent_url.ok_or_else(|| {
            IpcError::new("redirect_uri_missing", "This connection has no redirect URI, so there is no consent URL.", "Edit the connection and add the redirect URI registered on the integration key.")
        })?;
        opener(&url).map_err(|e| IpcError::new("browser_failed", format!("The browser could not be opened: {e}."), "Copy the consent URL and open it in your browser yourself."))?;
        Ok(url)
    })
    .await;
    outcome("open_production_consent", opened)
}

/// Creates the production connection from a demo one (same integration key and private key,
/// copied keyring to keyring). The demo connection stays.
#[tauri::command]
pub async fn promote(
    state: State<'_, AppState>,
    input: PromotionInput,
) -> Result<Connection, IpcError> {
    let ws = Arc::clone(&state.workspace);
    let created = outcome("promote", blocking(move || Ok(ws.promote(&input)?)).await)?;
    connection_changed(&state.workspace, &created.name);
    Ok(created)
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
    let ws = Arc::clone(&state.workspace);
    // The connection's fields come from the config file (no keyring read).
    outcome(
        "sandbox_move",
        ws.sandbox_move(&name, &envelope_id, &recipient_id, action, tabs, reason)
            .await
            .map_err(IpcError::from),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use studio_core::triggers::RecipientEvent;

    #[test]
    fn file_names_stay_file_names() {
        assert_eq!(safe_file_name("../../etc/passwd"), "-..-etc-passwd.pdf");
        assert_eq!(
            safe_file_name("Please sign: NDA.pdf"),
            "Please sign- NDA.pdf"
        );
        assert_eq!(safe_file_name("  .hidden.pdf"), "hidden.pdf");
        assert_eq!(safe_file_name(""), "document.pdf");
        assert!(safe_file_name(&"x".repeat(300)).len() <= 200);
        assert_eq!(safe_file_name("CON.pdf"), "_CON.pdf");
        assert_eq!(safe_file_name("CON - documents.pdf"), "CON - documents.pdf");
        assert_eq!(safe_file_name("Contrat signé. . .pdf"), "Contrat signé.pdf");
    }

    #[test]
    fn unique_paths_do_not_overwrite() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = unique_path(dir.path(), "NDA.pdf");
        assert_eq!(first, dir.path().join("NDA.pdf"));
        let _ = std::fs::write(&first, b"x");
        assert_eq!(
            unique_path(dir.path(), "NDA.pdf"),
            dir.path().join("NDA (2).pdf")
        );
        let _ = std::fs::write(dir.path().join("NDA (2).pdf"), b"x");
        assert_eq!(
            unique_path(dir.path(), "NDA.pdf"),
            dir.path().join("NDA (3).pdf")
        );
    }

    #[test]
    fn notifications_say_who_and_what() {
        let mut e = TriggerEvent {
            trigger: TriggerKind::OnEnvelopeStatusChange,
            event_id: "k".into(),
            envelope_id: "0123456789".into(),
            status: "completed".into(),
            status_changed_at: None,
            template_id: None,
            email_subject: Some("Please sign the Mutual NDA".into()),
            recipient: None,
            delivery_problem: None,
        };
        assert_eq!(
            notification_text(&e),
            (
                "Envelope completed".into(),
                "“Please sign the Mutual NDA” is now completed.".into()
            )
        );
        e.trigger = TriggerKind::OnRecipientCompleted;
        e.recipient = Some(RecipientEvent {
            recipient_id: "1".into(),
            name: Some("Ada".into()),
            email: None,
            role_name: Some("Signer 1".into()),
            recipient_type: "signer".into(),
            completed_at: None,
        });
        assert_eq!(notification_text(&e).0, "Ada signed");
        assert!(notification_text(&e)
            .1
            .contains("Ada (Signer 1) finished signing"));
        e.email_subject = None;
        assert!(notification_text(&e).1.contains("Envelope 01234567"));
    }
}
