//! Go-Live: the panel, the warm-up, and production promotion.

use tauri::{AppHandle, State};

use studio_core::connections::Connection;
use studio_core::ledger::GoLiveStatus;
use studio_core::workspace::{GoLivePanel, PromotionGuide, PromotionInput};

use super::{emitter, events, run};
use crate::{AppState, IpcError};

/// The Go-Live panel: the streak, recent calls with their verdict, violations, the checklist
/// and the review answers.
#[tauri::command]
pub async fn golive_panel(
    state: State<'_, AppState>,
    name: String,
) -> Result<GoLivePanel, IpcError> {
    state
        .blocking("golive_panel", move |w| w.golive(&name))
        .await
}

/// Runs the warm-up (read-only calls until the streak reaches 20), emitting a
/// `warm-up-progress` event after every call.
#[tauri::command]
pub async fn warm_up(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<GoLiveStatus, IpcError> {
    run(
        "warm_up",
        state
            .workspace
            .warm_up_reporting(&name, emitter(&app, events::WARM_UP_PROGRESS)),
    )
    .await
}

/// What the production account needs: the integration key, redirect URI and public key to
/// re-add, and the production consent URL.
#[tauri::command]
pub async fn promotion_guide(
    state: State<'_, AppState>,
    name: String,
) -> Result<PromotionGuide, IpcError> {
    state
        .blocking("promotion_guide", move |w| w.promotion_guide(&name))
        .await
}

/// Opens the production consent page of a demo connection in the system browser. Returns the URL.
#[tauri::command]
pub async fn open_production_consent(
    state: State<'_, AppState>,
    name: String,
) -> Result<String, IpcError> {
    run(
        "open_production_consent",
        state
            .workspace
            .open_production_consent(&name, &state.opener),
    )
    .await
}

/// Creates the production connection from a demo one (same integration key and private key,
/// copied keyring to keyring). The demo connection stays.
#[tauri::command]
pub async fn promote(
    state: State<'_, AppState>,
    input: PromotionInput,
) -> Result<Connection, IpcError> {
    state.blocking("promote", move |w| w.promote(&input)).await
}
