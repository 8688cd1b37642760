//! "Save a support bundle…": what goes in (listed before saving), then a native save dialog,
//! then the zip, made by `studio_core::support` (the same bundle as `dsjwt support-bundle`).

use std::path::PathBuf;

use studio_core::support::{self, BundlePlan, BundleSource, BundleSummary};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::blocking;
use crate::error::IpcError;
use crate::logging::{self, outcome};
use crate::state::AppState;

/// What a support bundle about `name` (or the only saved connection, or none) will hold.
#[tauri::command]
pub async fn support_bundle_plan(
    state: State<'_, AppState>,
    name: Option<String>,
) -> Result<BundlePlan, IpcError> {
    let store = state.store.clone();
    outcome(
        "support_bundle_plan",
        blocking(move || Ok(support::plan(&store, name.as_deref())?)).await,
    )
}

/// Asks where to save (a native save dialog, in the Downloads folder), then writes the bundle
/// about `name` there. `None` when the person cancelled the dialog.
#[tauri::command]
pub async fn save_support_bundle<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: Option<String>,
) -> Result<Option<BundleSummary>, IpcError> {
    let store = state.store.clone();
    let plan = outcome(
        "save_support_bundle",
        blocking(move || Ok(support::plan(&store, name.as_deref())?)).await,
    )?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Save a support bundle")
        .set_file_name(&plan.suggested_file_name)
        .set_directory(state.download_dir())
        .add_filter("Zip archive", &["zip"])
        .save_file(move |p| {
            let _ = tx.send(p);
        });
    let picked: Option<PathBuf> = rx
        .await
        .map_err(IpcError::internal)?
        .and_then(|p| p.into_path().ok());
    let Some(out) = picked else {
        return Ok(None);
    };
    let source = BundleSource {
        app_name: "DocuSign JWT Studio".into(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        connection: plan.connection,
        log_file: Some(state.paths.log_dir.join(logging::LOG_FILE)),
    };
    let result = support::write_bundle(&state.store, state.workspace.state(), &source, &out).await;
    outcome(
        "save_support_bundle",
        result.map(Some).map_err(IpcError::from),
    )
}
