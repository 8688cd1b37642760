//! Build script: generates Tauri's context, and from the `#[tauri::command]` functions under
//! `src-tauri/commands/` both the handler list lib.rs registers and the ACL permission of each
//! (`allow-<command>`; a capability in `capabilities/` must name it).

use std::path::Path;

/// The built UI (`npm --prefix ui run build`); see `ensure_ui_dist`.
const UI_DIST: &str = "ui/dist";

/// The folder of the app's commands.
const COMMANDS_DIR: &str = "src-tauri/commands";

/// Tauri embeds `ui/dist` at compile time and refuses to compile without it. So that
/// `cargo build --workspace` works on a fresh clone before the UI is built, a placeholder page
/// that says how to build the UI is written when the folder is missing (it is git-ignored and
/// replaced by the real build).
fn ensure_ui_dist() {
    let index = Path::new(UI_DIST).join("index.html");
    if index.exists() {
        return;
    }
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>DocuSign JWT Studio</title></head>\
<body style=\"font-family:sans-serif;margin:3rem\"><h1>The user interface was not built</h1>\
<p>Run <code>bash scripts/app-run.sh</code>, or <code>npm --prefix ui ci &amp;&amp; npm --prefix ui run build</code> and build the app again.</p></body></html>\n";
    if let Err(e) = std::fs::create_dir_all(UI_DIST).and_then(|_| std::fs::write(&index, page)) {
        println!(
            "cargo:warning=could not write the placeholder {}: {e}",
            index.display()
        );
    }
}

/// Every command the shell registers: `(module, function)` for each `#[tauri::command]` under
/// [`COMMANDS_DIR`], in file order.
fn commands() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(COMMANDS_DIR)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let module = file.file_stem().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim() == "#[tauri::command]" {
                let name = lines.find_map(|l| l.split_once("fn ").map(|(_, rest)| rest));
                let name = name
                    .and_then(|r| r.split(['(', '<']).next())
                    .unwrap_or_default();
                found.push((module.to_string(), name.to_string()));
            }
        }
    }
    found
}

/// Writes `$OUT_DIR/handlers.rs`: the `generate_handler!` of every command (lib.rs includes it).
fn write_handlers(commands: &[(String, String)]) {
    let paths: Vec<String> = commands
        .iter()
        .map(|(m, f)| format!("commands::{m}::{f}"))
        .collect();
    let text = format!("tauri::generate_handler![{}]\n", paths.join(", "));
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("handlers.rs");
    if let Err(e) = std::fs::write(&out, text) {
        println!("cargo:warning=could not write {}: {e}", out.display());
        std::process::exit(1);
    }
}

fn main() {
    ensure_ui_dist();
    // Release: lld folds identical functions (generic code instantiated alike); ~1% of the binary.
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo:rustc-link-arg-bins=-Wl,--icf=all");
    }
    for watched in ["capabilities", "tauri.conf.json", "ui/dist", COMMANDS_DIR] {
        println!("cargo:rerun-if-changed={watched}");
    }
    let commands = commands();
    write_handlers(&commands);
    let names: Vec<&'static str> = commands.into_iter().map(|(_, f)| &*f.leak()).collect();
    let manifest = tauri_build::AppManifest::new().commands(names.leak());
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo:warning=tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
