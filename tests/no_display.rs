//! The desktop app started where there is no display to draw on (an SSH session, a broken
//! `DISPLAY`): it says so in plain words and exits with status 1, instead of the toolkit's
//! panic (status 101, "Failed to initialize gtk backend!"). Runs the real app binary; no
//! window is needed, so this runs in the test command without Xvfb.
#![cfg(target_os = "linux")]
#![allow(missing_docs)]

use std::process::Command;

#[test]
fn the_app_without_a_display_says_so_and_exits_1() {
    let home = tempfile::tempdir().unwrap();
    let run_dir = home.path().join("run");
    std::fs::create_dir_all(&run_dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_docusign-jwt-studio"))
        .arg("--data-dir")
        .arg(home.path().join("data"))
        .env("HOME", home.path())
        .env("XDG_RUNTIME_DIR", &run_dir)
        // An X display nobody serves (no socket for it), and no Wayland.
        .env("DISPLAY", ":1999")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert!(
        stderr.contains(
            "DocuSign JWT Studio cannot open its window: there is no display to draw on \
             (DISPLAY is \":1999\", WAYLAND_DISPLAY is not set)"
        ),
        "stderr: {stderr}"
    );
}
