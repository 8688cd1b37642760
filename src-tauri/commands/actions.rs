//! The action tester: the nine actions with their Go-Live effect, and downloads.

use tauri::AppHandle;

use studio_core::actions::ActionRequest;
use studio_core::envelope_answers::{EarlierFetch, FetchPolicy};
use studio_core::workspace::{ActionOutcome, DownloadAsk, Workspace};

use super::{blocking, emitter, events, run, save_dialog, Answer, St};

/// Whether `request` now would be polling (an envelope fetched in the last 15 minutes); no call.
#[tauri::command]
pub async fn polling_check(
    ws: St<'_>,
    name: String,
    request: ActionRequest,
) -> Answer<Option<EarlierFetch>> {
    let check = move |w: &Workspace| w.polling_check(&name, &request);
    blocking(&ws, "polling_check", check).await
}

/// Runs one action and says what it did to the Go-Live streak (downloads: `download_document`).
#[tauri::command]
pub async fn run_action(
    ws: St<'_>,
    name: String,
    request: ActionRequest,
    policy: Option<FetchPolicy>,
) -> Answer<ActionOutcome> {
    let act = ws.action(&name, &request, policy);
    run("run_action", act).await
}

/// The folder downloads go to unless the person chooses another place.
#[tauri::command]
pub fn download_folder(ws: St<'_>) -> String {
    ws.downloads().folder().display().to_string()
}

/// Asks where to save a download (a save dialog); `None` when the person cancelled.
#[tauri::command]
pub async fn choose_save_location(
    app: AppHandle,
    ws: St<'_>,
    file_name: String,
) -> Answer<Option<String>> {
    let ask = |name, dir| save_dialog(app, false, name, dir);
    Ok(ws.choose_save_location(&file_name, ask).await)
}

/// Downloads a document where chosen or into Downloads, with `download-progress` events.
#[tauri::command]
pub async fn download_document(
    app: AppHandle,
    ws: St<'_>,
    ask: DownloadAsk,
    download_id: String,
) -> Answer<ActionOutcome> {
    let report = emitter::<events::Download>(&app);
    let go = ws.download_document(ask, download_id, report);
    run("download_document", go).await
}
