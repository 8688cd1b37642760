//! "Save a support bundle…": what goes in (listed before saving), then a native save dialog,
//! then the zip (the same bundle as `dsjwt support-bundle`, with no secrets).

use tauri::{AppHandle, State};

use studio_core::support::{BundlePlan, BundleSummary};

use super::{run, save_dialog};
use crate::{AppState, IpcError};

/// What a support bundle about `name` (or the only saved connection, or none) will hold.
#[tauri::command]
pub async fn support_bundle_plan(
    state: State<'_, AppState>,
    name: Option<String>,
) -> Result<BundlePlan, IpcError> {
    run(
        "support_bundle_plan",
        state.workspace.support_bundle_plan(name),
    )
    .await
}

/// Asks where to save (a native save dialog, in the Downloads folder), then writes the bundle
/// about `name` there. `None` when the person cancelled the dialog.
#[tauri::command]
pub async fn save_support_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    name: Option<String>,
) -> Result<Option<BundleSummary>, IpcError> {
    let ask = |file_name, dir| save_dialog(app, true, file_name, dir);
    run(
        "save_support_bundle",
        state
            .workspace
            .save_support_bundle(name, Some(state.log_file()), ask),
    )
    .await
}
