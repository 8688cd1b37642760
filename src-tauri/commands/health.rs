//! The consent page, the token try while waiting for consent, and the health check.

use std::sync::Arc;
use tauri::{AppHandle, State};

use studio_core::connections::Connection;
use studio_core::health::HealthReport;
use studio_core::wizard::ConsentOutcome;
use studio_core::workspace::Workspace;

use super::{emitter, events, run};
use crate::{AppState, IpcError};

/// The exact consent URL for the connection's environment.
#[tauri::command]
pub fn consent_url(draft: Connection) -> Result<String, IpcError> {
    crate::logging::outcome(
        "consent_url",
        Workspace::consent_url(&draft).map_err(Into::into),
    )
}

/// Opens the consent URL in the system browser (the URL is built here, not taken from the UI);
/// the answer comes as a `consent-redirect` event when the app can see it.
#[tauri::command]
pub async fn open_consent_page(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: Connection,
) -> Result<String, IpcError> {
    let on_answer = Arc::new(emitter(&app, events::CONSENT_REDIRECT));
    run(
        "open_consent_page",
        state
            .workspace
            .open_consent_page(&draft, on_answer, &state.opener),
    )
    .await
}

/// One token try for a connection being set up (`key_ref`: `draft:N` or `saved:<name>`):
/// `granted`, `still_required` or `failed`. The UI repeats it with a countdown and a Cancel.
#[tauri::command]
pub async fn confirm_consent(
    state: State<'_, AppState>,
    draft: Connection,
    key_ref: String,
) -> Result<ConsentOutcome, IpcError> {
    run(
        "confirm_consent",
        state.workspace.probe_consent(&draft, &key_ref),
    )
    .await
}

/// Runs the health check of a saved connection. Its token and userinfo calls go into the
/// Go-Live ledger (shown there as "not counted").
#[tauri::command]
pub async fn run_health_check(
    state: State<'_, AppState>,
    name: String,
) -> Result<HealthReport, IpcError> {
    run("run_health_check", state.workspace.health_check(&name)).await
}
