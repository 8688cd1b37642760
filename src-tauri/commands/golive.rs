//! Go-Live: the panel, the warm-up, and production promotion.

use tauri::AppHandle;

use studio_core::connections::Connection;
use studio_core::ledger::GoLiveStatus;
use studio_core::workspace::{GoLivePanel, PromotionGuide, PromotionInput};

use super::{blocking, emitter, events, run, Answer, St};

/// The Go-Live panel: streak, recent calls, violations, checklist and review answers.
#[tauri::command]
pub async fn golive_panel(ws: St<'_>, name: String) -> Answer<GoLivePanel> {
    blocking(&ws, "golive_panel", move |w| w.golive(&name)).await
}

/// Runs the warm-up, with a `warm-up-progress` event after every call.
#[tauri::command]
pub async fn warm_up(app: AppHandle, ws: St<'_>, name: String) -> Answer<GoLiveStatus> {
    let report = emitter::<events::WarmUp>(&app);
    run("warm_up", ws.warm_up_reporting(&name, report)).await
}

/// What the production account needs (key, redirect URI, public key, consent URL).
#[tauri::command]
pub async fn promotion_guide(ws: St<'_>, name: String) -> Answer<PromotionGuide> {
    blocking(&ws, "promotion_guide", move |w| w.promotion_guide(&name)).await
}

/// Opens the production consent page of a demo connection in the system browser; its URL.
#[tauri::command]
pub async fn open_production_consent(ws: St<'_>, name: String) -> Answer<String> {
    let open = ws.open_production_consent(&name, &ws.opener);
    run("open_production_consent", open).await
}

/// Creates the production connection from a demo one; the demo connection stays.
#[tauri::command]
pub async fn promote(ws: St<'_>, input: PromotionInput) -> Answer<Connection> {
    blocking(&ws, "promote", move |w| w.promote(&input)).await
}
