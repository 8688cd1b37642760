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
    let flags = sb.connection_flags();
    for round in 0..10 {
        let parent = tempfile::tempdir().unwrap();
        let data = parent.path().join("new").join("state");
        // Half make a call (a ledger row each), half only read the ledger: all open the new file.
        let children: Vec<_> = (0..8)
            .map(|i| {
                let mut cmd = dsjwt_without_env();
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

/// Issue #12 "kill -9 while writing the state file": CLIs killed with SIGKILL at moments spread
/// from the start to past the end of a run (measured first: token call, ledger writes, the
/// listing, the outcome's write) never leave a damaged state file: SQLite's integrity check
/// passes (WAL: a write is all there or not at all), `golive` reads it, and the next action is
/// recorded with its outcome.
#[test]
fn kill_9_while_writing_the_state_file_leaves_it_intact() {
    let sb = Sandbox::start(true);
    let flags = sb.connection_flags();
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("state");
    let action = |data: &std::path::Path| {
        let mut cmd = dsjwt_without_env();
        cmd.args(["action", "list-templates", "--no-token-cache"])
            .args(&flags)
            .arg("--data-dir")
            .arg(data)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    let rows = |data: &std::path::Path| -> i64 {
        let db = rusqlite::Connection::open(data.join("studio.sqlite3")).unwrap();
        let check: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "SQLite's integrity check");
        db.query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
            .unwrap()
    };
    // One whole run first, then three at once as in the rounds below: how long a run takes on
    // this machine now (other tests run beside this one), so the kills land from its start to
    // past its end.
    assert!(
        action(&data).status().unwrap().success(),
        "the first action"
    );
    let started = std::time::Instant::now();
    let mut three: Vec<_> = (0..3)
        .map(|_| action(&data).spawn().expect("spawn dsjwt"))
        .collect();
    for c in &mut three {
        assert!(c.wait().unwrap().success(), "three actions at once");
    }
    let run = started.elapsed();
    let before = rows(&data);
    let kill_round = |delay: std::time::Duration| {
        let mut children: Vec<_> = (0..3)
            .map(|_| action(&data).spawn().expect("spawn dsjwt"))
            .collect();
        std::thread::sleep(delay);
        for c in &mut children {
            let _ = c.kill(); // SIGKILL
            let _ = c.wait();
        }
    };
    for round in 0u32..24 {
        kill_round(run * round / 16);
    }
    // The machine may have slowed down since the measure (a CI runner's load changes from one
    // second to the next): past the end means some run reached its writes, so go on with longer
    // delays until one has (at most 8 more rounds, up to 4 times the measured run).
    let mut extra = 0u32;
    while rows(&data) == before && extra < 8 {
        extra += 1;
        kill_round(run * (6 + extra * 2) / 4);
    }
    let after = rows(&data);
    assert!(
        after > before,
        "no killed CLI got as far as writing the ledger ({before} rows before, {after} after, run {run:?}): the kills did not reach the writes"
    );

    let out = action(&data).stdout(Stdio::piped()).output().unwrap();
    assert!(out.status.success(), "the next action: {}", out.status);
    let out = dsjwt()
        .args(["golive", "--json", "--recent", "5"])
        .args(&flags)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "golive: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let newest = v["recent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["path_template"]
                .as_str()
                .unwrap_or("")
                .ends_with("/templates")
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(newest["status"], 200, "the next action's row: {v:#}");
}
