//! DocuSign JWT Studio's desktop shell: a thin Tauri 2 layer over `studio-core`.
//!
//! - [`commands`]: what the UI can call, by feature, each one call to studio-core's
//!   [`studio_core::workspace::Workspace`], and the window events.
//! - [`error`]: the `{code, message, fix}` error every command returns.
//!
//! Start-up (`docusign-jwt-studio [--data-dir DIR]`) is studio-core's [`desktop::start`].

pub mod commands;
pub mod error;

use studio_core::desktop::{self, Desktop};
use tauri::{AppHandle, Manager, RunEvent};

pub use error::IpcError;

/// Registers the plugins and the commands on a builder. The plugins are used from Rust only:
/// the capability grants the web view none of their commands. The command list is every
/// `#[tauri::command]` under `src-tauri/commands/`, collected by build.rs (which also makes
/// their permissions), so it is written nowhere else.
pub fn configure(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
}

/// One window showing one local document, drawn the light way:
/// - WebKit's smallest caches (no page cache, no memory cache of earlier pages; WebKitGTK's
///   "document viewer" cache model);
/// - no accelerated compositing (hardware acceleration policy "never"): the page is painted in
///   software straight into the window. With compositing, WebKitGTK 2.50 keeps layer tiles and
///   GL buffers (mesa's software GL when there is no GPU) in the web process: about 100 MiB more
///   for this page (docs/benchmarks.md, "Footprint"), for animations this UI does not have.
fn light_webview<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{
            CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
        };
        let view = webview.inner();
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// Starts the app ([`desktop::start`]: paths, log, one app per data folder, runtime,
/// workspace), resumes the sandbox of an earlier run, and stops the monitors on quit.
pub fn run() {
    let (state, runtime) = desktop::start(std::env::args().skip(1));
    #[cfg(target_os = "linux")] // tao panics when GTK finds no display; say so instead
    gtk::init().unwrap_or_else(|e| desktop::fail(&desktop::no_display(&e)));
    tauri::async_runtime::set(runtime.handle().clone());
    let app = configure(tauri::Builder::default()).setup(move |app| {
        let handle = app.handle().clone();
        state.on_second_launch(move || bring_to_front(&handle));
        // The sandbox of an earlier run is up before the window asks about it.
        tauri::async_runtime::block_on(state.resume_sandbox());
        app.manage(state);
        for window in app.webview_windows().values() {
            light_webview(window);
        }
        Ok(())
    });
    let app = app.build(tauri::generate_context!());
    let app = app.unwrap_or_else(|e| desktop::fail(&format!("stopped with an error: {e}")));
    app.run(|handle, event| {
        if let (RunEvent::Exit, Some(state)) = (event, handle.try_state::<Desktop>()) {
            state.quit();
        }
    });
}

/// Shows, un-minimises and focuses the main window (a second launch on the same data folder).
fn bring_to_front(app: &AppHandle) {
    let handle = app.clone();
    let _ = app.run_on_main_thread(move || {
        if let Some(w) = handle.get_webview_window("main") {
            let _ = (w.unminimize(), w.show(), w.set_focus());
        }
    });
}
