//! DocuSign JWT Studio, the desktop app. All the work is in the library (`src-tauri/lib.rs`).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // First, while this is the only thread: the GTK/WebKit settings of a light web view
    // (environment variables the user has not set; studio-core `webview_env`).
    studio_core::webview_env::apply();
    studio_app::run();
}
