//! Issue #12 "leftover temp files": a download is written to a hidden
//! `.dsjwt-download-*.part` file beside its target. Ctrl-C (SIGINT) and SIGTERM remove it before
//! `dsjwt` exits (130 / 143); after a kill -9 (which nothing can catch) the next download into
//! that folder sweeps it, and never the part file of a download still running. Real `dsjwt`
//! processes, stopped while the emulator holds the document's body half sent
//! (`stall_after_bytes`).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A sent envelope of the default world.
const ENV: &str = "e1a0c001-0000-4000-8000-000000000002";

/// Kills the child on drop (a failing test leaves no process behind).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The next download of `ENV`'s documents sends 100 bytes of the body, then nothing.
fn stall_next_download(sb: &Sandbox) {
    sb.admin(
        "POST",
        "faults",
        json!({
            "stall_after_bytes": 100,
            "path_prefix": format!("/restapi/v2.1/accounts/{}/envelopes/{ENV}/documents", sb.s("account_id")),
        }),
    );
}

/// `dsjwt action download-document ENV combined --out DIR`, running.
fn start_download(sb: &Sandbox, dir: &Path) -> Running {
    let mut cmd = dsjwt_without_env();
    cmd.args(["action", "download-document", ENV, "combined", "--out"])
        .arg(dir)
        .args(sb.conn_flags())
        .arg("--no-token-cache")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    Running(cmd.spawn().expect("spawn dsjwt"))
}

/// Our part files in `dir`.
fn part_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with(".dsjwt-download-") && n.ends_with(".part")
        })
        .collect();
    v.sort();
    v
}

/// Waits (up to a minute, then fails) until a new part file in `dir` holds the 100 bytes sent.
fn wait_for_part(dir: &Path, known: &[PathBuf], child: &mut Running) -> PathBuf {
    let start = Instant::now();
    loop {
        if let Some(p) = part_files(dir).into_iter().find(|p| !known.contains(p)) {
            if std::fs::metadata(&p).is_ok_and(|m| m.len() >= 100) {
                return p;
            }
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("dsjwt ended before the body stalled: {status}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no part file in {} after a minute",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn signal(child: &Running, sig: rustix::process::Signal) {
    rustix::process::kill_process(rustix::process::Pid::from_child(&child.0), sig)
        .expect("send the signal");
}

/// Ctrl-C and SIGTERM in the middle of a download: the part file is removed, the exit code is
/// the conventional 128 + signal, and stderr says why it stopped.
#[test]
fn ctrl_c_and_sigterm_during_a_download_remove_the_part_file() {
    let sb = Sandbox::start(true);
    let out = tempfile::tempdir().unwrap();
    for (sig, code, name) in [
        (rustix::process::Signal::INT, 130, "Ctrl-C (SIGINT)"),
        (rustix::process::Signal::TERM, 143, "SIGTERM"),
    ] {
        stall_next_download(&sb);
        let mut child = start_download(&sb, out.path());
        let part = wait_for_part(out.path(), &[], &mut child);
        signal(&child, sig);
        let output = std::mem::replace(
            &mut child.0,
            std::process::Command::new("true").spawn().unwrap(),
        )
        .wait_with_output()
        .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{name}: {stderr}");
        assert!(stderr.contains(&format!("stopped by {name}")), "{stderr}");
        assert!(!part.exists(), "{name}: the part file is removed");
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "{name}: nothing left in the folder"
        );
    }
}

/// kill -9 leaves the part file (nothing can run in a killed process); the next download into
/// that folder removes it, while the part file of a download still running there is kept.
#[test]
fn after_kill_9_the_next_download_into_the_folder_sweeps_our_part_file() {
    let sb = Sandbox::start(true);
    let out = tempfile::tempdir().unwrap();

    stall_next_download(&sb);
    let mut killed = start_download(&sb, out.path());
    let left = wait_for_part(out.path(), &[], &mut killed);
    killed.0.kill().unwrap(); // SIGKILL
    killed.0.wait().unwrap();
    assert!(left.exists(), "kill -9 leaves the part file behind");

    // A download still running in the same folder.
    stall_next_download(&sb);
    let mut live = start_download(&sb, out.path());
    let live_part = wait_for_part(out.path(), std::slice::from_ref(&left), &mut live);

    // The next download into the folder.
    let (code, v) = sb.run_json(&[
        "action",
        "download-document",
        ENV,
        "combined",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!left.exists(), "the killed download's part file is swept");
    assert!(
        live_part.exists(),
        "the running download's part file is kept"
    );
    assert_eq!(part_files(out.path()), vec![live_part.clone()]);

    signal(&live, rustix::process::Signal::TERM);
    live.0.wait().unwrap();
    assert!(
        part_files(out.path()).is_empty(),
        "{:?}",
        part_files(out.path())
    );
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "only the finished download: {names:?}");
    assert!(names[0].ends_with(".pdf"), "{names:?}");
}
