//! The consent page, the token try while waiting for consent, and the health check.

use std::sync::Arc;
use tauri::AppHandle;

use studio_core::connections::Connection;
use studio_core::health::HealthReport;
use studio_core::wizard::ConsentOutcome;
use studio_core::workspace::Workspace;

use super::{emitter, events, run, Answer, St};

/// The exact consent URL for the connection's environment.
#[tauri::command]
pub async fn consent_url(draft: Connection) -> Answer<String> {
    run("consent_url", async move { Workspace::consent_url(&draft) }).await
}

/// Opens the consent page (URL built here); a `consent-redirect` event when it is answered.
#[tauri::command]
pub async fn open_consent_page(app: AppHandle, ws: St<'_>, draft: Connection) -> Answer<String> {
    let on_answer = Arc::new(emitter::<events::ConsentRedirect>(&app));
    let open = ws.open_consent_page(&draft, on_answer, &ws.opener);
    run("open_consent_page", open).await
}

/// One token try while waiting for consent: `granted`, `still_required` or `failed`.
#[tauri::command]
pub async fn confirm_consent(
    ws: St<'_>,
    draft: Connection,
    key_ref: String,
) -> Answer<ConsentOutcome> {
    let probe = ws.probe_consent(&draft, &key_ref);
    run("confirm_consent", probe).await
}

/// Runs the health check of a saved connection (its calls go into the Go-Live ledger).
#[tauri::command]
pub async fn run_health_check(ws: St<'_>, name: String) -> Answer<HealthReport> {
    run("run_health_check", ws.health_check(&name)).await
}
