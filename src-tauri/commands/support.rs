//! "Save a support bundle…": what goes in (listed before saving), then a native save dialog,
//! then the zip (the same bundle as `dsjwt support-bundle`, with no secrets).

use tauri::AppHandle;

use studio_core::support::{BundlePlan, BundleSummary};

use super::{run, save_dialog, Answer, St};

/// What a support bundle about `name` (or the only saved connection, or none) will hold.
#[tauri::command]
pub async fn support_bundle_plan(ws: St<'_>, name: Option<String>) -> Answer<BundlePlan> {
    run("support_bundle_plan", ws.support_bundle_plan(name)).await
}

/// Asks where to save (a save dialog), then writes the bundle; `None` when cancelled.
#[tauri::command]
pub async fn save_support_bundle(
    app: AppHandle,
    ws: St<'_>,
    name: Option<String>,
) -> Answer<Option<BundleSummary>> {
    let ask = |file_name, dir| save_dialog(app, true, file_name, dir);
    let save = ws.save_support_bundle(name, Some(ws.paths.log_dir.clone()), ask);
    run("save_support_bundle", save).await
}
