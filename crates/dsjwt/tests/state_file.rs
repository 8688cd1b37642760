//! Issue #12 "database is locked on first use": 8 `dsjwt` processes started together on a new
//! data folder all succeed, 10 rounds in a row, each on a fresh folder (the schema is created in
//! one `BEGIN IMMEDIATE` transaction, every statement waits for the busy timeout), and the
//! folder and state file are this user's only (0700 / 0600).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

#[test]
fn eight_clis_on_a_new_data_folder_all_succeed_ten_rounds() {
    let sb = Sandbox::start(true);
    let mut flags: Vec<String> = Vec::new();
    for (k, v) in sb.default_flags() {
        if k != "--redirect-uri" {
            flags.push(k);
            flags.push(v);
        }
    }
    for round in 0..10 {
        let parent = tempfile::tempdir().unwrap();
        let data = parent.path().join("new").join("state");
        // Half make a call (a ledger row each), half only read the ledger: all open the new file.
        let children: Vec<_> = (0..8)
            .map(|i| {
                let mut cmd = dsjwt();
                if i % 2 == 0 {
                    cmd.args(["action", "list-templates", "--no-token-cache"]);
                } else {
                    cmd.args(["golive", "--json"]);
                }
                cmd.args(&flags)
                    .arg("--data-dir")
                    .arg(&data)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped());
                for (k, _) in std::env::vars() {
                    if k.starts_with("DSJWT_") {
                        cmd.env_remove(k);
                    }
                }
                cmd.spawn().expect("spawn dsjwt")
            })
            .collect();
        for (i, child) in children.into_iter().enumerate() {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}, process {i}: {}; stderr: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "round {round}: the data folder");
        assert_eq!(
            mode(&data.join("studio.sqlite3")),
            0o600,
            "round {round}: the state file"
        );
        // Every call of the four actions is in the ledger with its outcome (a burst limit
        // reached across rounds adds a recorded 400 and its retry; never a row without outcome).
        let out = dsjwt()
            .args(["golive", "--json", "--recent", "100"])
            .args(&flags)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let calls = v["recent"].as_array().unwrap();
        let templates = |status: u64| {
            calls
                .iter()
                .filter(|c| {
                    c["path_template"]
                        .as_str()
                        .unwrap_or("")
                        .ends_with("/templates")
                })
                .filter(|c| c["status"] == status)
                .count()
        };
        assert_eq!(templates(200), 4, "round {round}: {v:#}");
        assert_eq!(
            calls.iter().filter(|c| c["status"].is_null()).count(),
            0,
            "round {round}: every row has its outcome: {v:#}"
        );
    }
}
