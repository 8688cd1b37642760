//! DocuSign JWT Studio's desktop shell: a thin Tauri 2 layer over `studio-core`.
//!
//! - [`commands`]: what the UI can call, each a delegation to studio-core.
//! - [`state`]: where files live, the connection store, keys held before saving, the sandbox.
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

use tauri::{Manager, Runtime};

pub use error::IpcError;
pub use state::{AppState, Paths};

/// Registers the commands on a builder (the real one, or `tauri::test::mock_builder()`).
pub fn configure<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
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
            eprintln!("DocuSign JWT Studio cannot start: {}\n{}", e.message, e.fix.unwrap_or_default());
            std::process::exit(1);
        }
    };
    let app = configure(tauri::Builder::default())
        .setup(move |app| {
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = app {
        tracing::error!(error = %e, "the app stopped with an error");
        eprintln!("DocuSign JWT Studio stopped with an error: {e}");
        std::process::exit(1);
    }
}
