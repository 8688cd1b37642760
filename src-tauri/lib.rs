//! DocuSign JWT Studio's desktop shell: a thin Tauri 2 layer over `studio-core`.
//!
//! - [`commands`]: what the UI can call, each a delegation to studio-core.
//! - [`handoff`]: "Use this connection in…" (values to hand over, the key copied on
//!   purpose) and "Paste everything".
//! - [`workspace`]: the commands once a connection works (Go-Live, actions, downloads,
//!   trigger monitors, promotion, sandbox controls) and the events they emit.
//! - [`state`]: where files live, the connection store, keys held before saving, the sandbox.
//! - [`error`]: the `{code, message, fix}` error every command returns.
//! - [`logging`]: the log file (no secrets, no arguments).
//! - [`support`]: "Save a support bundle…" (the zip made by studio-core, with no secrets).
//!
//! Start-up: `docusign-jwt-studio [--data-dir DIR]`. With `--data-dir`, the config, the
//! sandbox's files and the logs all live under `DIR`; without it, the config folder is the one
//! the `dsjwt` CLI uses and the rest goes to the platform's data folder.

pub mod commands;
pub mod error;
pub mod handoff;
pub mod logging;
pub mod state;
pub mod support;
pub mod workspace;

use tauri::{Manager, Runtime};

pub use error::IpcError;
pub use state::{AppState, Paths};

/// Registers the plugins and the commands on a builder (the real one, or
/// `tauri::test::mock_builder()`). The plugins are used from Rust only: the capability grants
/// the web view none of their commands.
pub fn configure<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(handoff::LastChecks::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_connections,
            commands::get_connection,
            commands::remove_connection,
            commands::where_to_find,
            commands::check_connection_name,
            commands::check_integration_key,
            commands::check_user_id,
            commands::check_account_id,
            commands::check_base_uri,
            commands::check_redirect_uri,
            commands::check_private_key,
            commands::generate_key_pair,
            commands::forget_draft_key,
            commands::consent_url,
            commands::open_consent_page,
            commands::save_connection,
            commands::run_health_check,
            commands::confirm_consent,
            commands::start_sandbox,
            commands::reset_sandbox,
            workspace::golive_panel,
            workspace::warm_up,
            workspace::run_action,
            workspace::polling_check,
            workspace::download_folder,
            workspace::choose_save_location,
            workspace::download_document,
            workspace::monitor_rule,
            workspace::start_monitor,
            workspace::stop_monitor,
            workspace::list_monitors,
            workspace::trigger_history,
            workspace::promotion_guide,
            workspace::open_production_consent,
            workspace::promote,
            workspace::sandbox_move,
            handoff::connection_handoff,
            handoff::copy_private_key,
            handoff::read_pasted,
            support::support_bundle_plan,
            support::save_support_bundle,
        ])
}

/// Starts the app with the paths from the command line.
pub fn run() {
    let paths = Paths::from_args(std::env::args().skip(1));
    logging::init(&paths.log_dir);
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
            tauri::async_runtime::block_on(commands::resume_sandbox_at_start(&state));
            app.manage(state);
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        // Monitors stop when the app quits.
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(state) = handle.try_state::<AppState>() {
                    workspace::stop_all_monitors(&state.workspace);
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
