//! DocuSign JWT Studio, the desktop app. All the work is in the library (`src-tauri/lib.rs`).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    studio_app::run();
}
