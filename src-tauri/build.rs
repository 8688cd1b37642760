//! Build script: generates Tauri's context, the ACL permissions of the app's own commands
//! (`allow-<command>` for each, see `COMMANDS`), and reads capabilities from `src-tauri/capabilities/`.

/// Every command the shell registers; each gets an `allow-…` permission that a capability must name.
const COMMANDS: &[&str] = &[
    "app_info",
    "list_connections",
    "get_connection",
    "remove_connection",
    "where_to_find",
    "check_connection_name",
    "check_integration_key",
    "check_user_id",
    "check_account_id",
    "check_base_uri",
    "check_redirect_uri",
    "check_private_key",
    "generate_key_pair",
    "forget_draft_key",
    "consent_url",
    "open_consent_page",
    "confirm_consent",
    "save_connection",
    "run_health_check",
    "start_sandbox",
    "reset_sandbox",
    "golive_panel",
    "warm_up",
    "run_action",
    "polling_check",
    "download_folder",
    "choose_save_location",
    "download_document",
    "monitor_rule",
    "start_monitor",
    "stop_monitor",
    "list_monitors",
    "trigger_history",
    "promotion_guide",
    "open_production_consent",
    "promote",
    "sandbox_move",
    "connection_handoff",
    "copy_private_key",
    "read_pasted",
    "support_bundle_plan",
    "save_support_bundle",
];

/// The built UI (`npm --prefix ui run build`); see `ensure_ui_dist`.
const UI_DIST: &str = "ui/dist";

/// Tauri embeds `ui/dist` at compile time and refuses to compile without it. So that
/// `cargo build --workspace` works on a fresh clone before the UI is built, a placeholder page
/// that says how to build the UI is written when the folder is missing (it is git-ignored and
/// replaced by the real build).
fn ensure_ui_dist() {
    let index = std::path::Path::new(UI_DIST).join("index.html");
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

fn main() {
    ensure_ui_dist();
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    println!("cargo:rerun-if-changed=ui/dist");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo:warning=tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
