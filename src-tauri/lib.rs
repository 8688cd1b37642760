//! DocuSign JWT Studio's desktop shell: a thin Tauri 2 layer over `studio-core`.
//!
//! - [`commands`]: what the UI can call, by feature, each one call to studio-core's
//!   [`studio_core::workspace::Workspace`], and the window events.
//! - [`state`]: where files live, how to open the browser, the workspace.
//! - [`error`]: the `{code, message, fix}` error every command returns.
//! - [`logging`]: the log file (no secrets, no arguments).
//!
//! Start-up: `docusign-jwt-studio [--data-dir DIR]`. With `--data-dir`, the config, the
//! sandbox's files and the logs all live under `DIR`; without it, the config folder is the one
//! the `dsjwt` CLI uses and the rest goes to the platform's data folder.

pub mod commands;
pub mod error;
pub mod logging;
pub mod state;

use tauri::Manager;

pub use error::IpcError;
pub use state::{AppState, Paths};

/// Registers the plugins and the commands on a builder. The plugins are used from Rust only:
/// the capability grants the web view none of their commands.
pub fn configure(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .invoke_handler(tauri::generate_handler![
            commands::sandbox::app_info,
            commands::connections::list_connections,
            commands::connections::get_connection,
            commands::connections::remove_connection,
            commands::connections::where_to_find,
            commands::connections::check_connection_name,
            commands::connections::check_integration_key,
            commands::connections::check_user_id,
            commands::connections::check_account_id,
            commands::connections::check_base_uri,
            commands::connections::check_redirect_uri,
            commands::connections::check_private_key,
            commands::connections::generate_key_pair,
            commands::connections::forget_draft_key,
            commands::health::consent_url,
            commands::health::open_consent_page,
            commands::connections::save_connection,
            commands::health::run_health_check,
            commands::health::confirm_consent,
            commands::sandbox::start_sandbox,
            commands::sandbox::reset_sandbox,
            commands::golive::golive_panel,
            commands::golive::warm_up,
            commands::actions::run_action,
            commands::actions::polling_check,
            commands::actions::download_folder,
            commands::actions::choose_save_location,
            commands::actions::download_document,
            commands::watch::monitor_rule,
            commands::watch::start_monitor,
            commands::watch::stop_monitor,
            commands::watch::list_monitors,
            commands::watch::trigger_history,
            commands::golive::promotion_guide,
            commands::golive::open_production_consent,
            commands::golive::promote,
            commands::sandbox::sandbox_move,
            commands::handoff::connection_handoff,
            commands::handoff::copy_private_key,
            commands::handoff::read_pasted,
            commands::support::support_bundle_plan,
            commands::support::save_support_bundle,
        ])
}

/// One window showing one local document: WebKit's smallest caches (no page cache, no memory
/// cache of earlier pages; WebKitGTK's "document viewer" cache model).
fn light_webview<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
        if let Some(context) = webview.inner().context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// Starts the app with the paths from the command line.
pub fn run() {
    let paths = Paths::from_args(std::env::args().skip(1));
    logging::init(&paths.log_dir);
    // One runtime, sized for this app (studio-core `runtime`), instead of Tauri's per-CPU one.
    let runtime = match studio_core::runtime::app_runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("DocuSign JWT Studio cannot start: {e}");
            std::process::exit(1);
        }
    };
    tauri::async_runtime::set(runtime.handle().clone());
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "starting");
    let state = match AppState::new(paths) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(code = %e.code, message = %e.message, "cannot start");
            eprintln!(
                "DocuSign JWT Studio cannot start: {}\n{}",
                e.message,
                e.fix.unwrap_or_default()
            );
            std::process::exit(1);
        }
    };
    let app = configure(tauri::Builder::default())
        .setup(move |app| {
            // The sandbox of an earlier run is up before the window asks about it.
            tauri::async_runtime::block_on(state.workspace.resume_sandbox());
            app.manage(state);
            for window in app.webview_windows().values() {
                light_webview(window);
            }
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        // Monitors stop when the app quits.
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(state) = handle.try_state::<AppState>() {
                    state.workspace.stop_all_monitors();
                    tracing::info!("stopped the trigger monitors; quitting");
                }
            }
        }),
        Err(e) => {
            tracing::error!(error = %e, "the app stopped with an error");
            eprintln!("DocuSign JWT Studio stopped with an error: {e}");
            std::process::exit(1);
        }
    }
}
