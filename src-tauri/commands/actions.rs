//! The action tester: the nine actions with their Go-Live effect, and downloads with a save
//! location.

use tauri::{AppHandle, State};

use studio_core::actions::ActionRequest;
use studio_core::envelope_answers::{EarlierFetch, FetchPolicy};
use studio_core::workspace::{ActionOutcome, DownloadAsk};

use super::{emitter, events, run, save_dialog};
use crate::{AppState, IpcError};

/// Whether running `request` now would fetch an envelope endpoint fetched within the last 15
/// minutes (polling, in DocuSign's Go-Live review): the app says so before the call. No call.
#[tauri::command]
pub async fn polling_check(
    state: State<'_, AppState>,
    name: String,
    request: ActionRequest,
) -> Result<Option<EarlierFetch>, IpcError> {
    state
        .blocking("polling_check", move |w| w.polling_check(&name, &request))
        .await
}

/// Runs one action and says what it did to the Go-Live streak (a failed action is an answer,
/// not an error). Downloads go through [`download_document`].
#[tauri::command]
pub async fn run_action(
    state: State<'_, AppState>,
    name: String,
    request: ActionRequest,
    policy: Option<FetchPolicy>,
) -> Result<ActionOutcome, IpcError> {
    run(
        "run_action",
        state.workspace.action(&name, &request, policy),
    )
    .await
}

/// The folder downloads go to unless the person chooses another place.
#[tauri::command]
pub fn download_folder(state: State<'_, AppState>) -> String {
    state.workspace.downloads().folder().display().to_string()
}

/// Asks where to save a download (the system's save dialog); [`download_document`] writes only
/// there or in the Downloads folder. `None` when the person cancelled.
#[tauri::command]
pub async fn choose_save_location(
    app: AppHandle,
    state: State<'_, AppState>,
    file_name: String,
) -> Result<Option<String>, IpcError> {
    let ask = |name, dir| save_dialog(app, false, name, dir);
    Ok(state.workspace.choose_save_location(&file_name, ask).await)
}

/// Downloads a document (a number, `combined`, `archive`, `certificate` or `portfolio`) to
/// `save_to` (chosen with [`choose_save_location`]) or to the Downloads folder as `file_name`
/// (made unique), with `download-progress` events on the way.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn download_document(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    envelope_id: String,
    document_id: String,
    file_name: String,
    save_to: Option<String>,
    download_id: String,
    certificate: Option<bool>,
) -> Result<ActionOutcome, IpcError> {
    let ask = DownloadAsk {
        name,
        envelope_id,
        document_id,
        file_name,
        save_to,
        download_id,
        certificate,
    };
    run(
        "download_document",
        state
            .workspace
            .download_document(ask, emitter(&app, events::DOWNLOAD_PROGRESS)),
    )
    .await
}
