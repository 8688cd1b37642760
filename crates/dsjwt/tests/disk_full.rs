//! Issue 12: a full disk never costs a Go-Live ledger row silently. The state folder lives on a
//! small tmpfs (mounted by the test: it fails, never skips, when it cannot mount): a call that
//! cannot be written down first is not sent; a call whose outcome cannot be written down makes
//! the action exit 3 with `"ledger_recorded": false`; `golive --json` still reads the file,
//! names the disk as full, and never shows a streak it cannot prove.

mod common;
use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A tmpfs of `size` mounted on a fresh folder, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "this test needs a small tmpfs (run as root, or in a user+mount namespace): mount said {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs { dir }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    /// Fills the file system to the last byte.
    fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.path().join("filler")).expect("filler");
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.flush();
    }
    fn free(&self) {
        std::fs::remove_file(self.path().join("filler")).expect("remove filler");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// The sandbox's connection flags with the state folder `state`.
fn flags(sb: &Sandbox, state: &Path) -> Vec<String> {
    let mut v = sb.connection_flags();
    v.push("--data-dir".into());
    v.push(state.display().to_string());
    v
}

fn run(sb: &Sandbox, state: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut cmd = dsjwt_without_env();
    cmd.args(args).args(flags(sb, state));
    let out = cmd.env("NO_COLOR", "1").output().expect("run dsjwt");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let v = serde_json::from_str(stdout.trim()).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v, stderr)
}

#[test]
fn full_disk_never_costs_a_ledger_row_silently() {
    let fs = Tmpfs::mount("1m");
    let state: PathBuf = fs.path().join("state");
    let sb = Sandbox::start(true);

    // One recorded call: streak 1.
    let (code, v, err) = run(&sb, &state, &["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#} {err}");
    assert!(v.get("ledger_recorded").is_none(), "{v:#}");

    // Disk full before the call: it is not sent, and the result says why.
    fs.fill();
    let (code, v, err) = run(&sb, &state, &["action", "list-templates"]);
    assert_ne!(code, 0, "{v:#} {err}");
    assert_eq!(v["ok"], false, "{v:#}");
    assert_eq!(v["code"], "not_recorded", "{v:#}");
    assert_eq!(v["ledger_recorded"], false, "{v:#}");
    assert!(v["fix"].as_str().unwrap_or("").contains("space"), "{v:#}");
    assert!(
        v["message"].as_str().unwrap_or("").contains("is full"),
        "{v:#}"
    );

    // Reads still work on the full disk, and name it.
    let (code, g, err) = run(&sb, &state, &["golive", "--json"]);
    assert_eq!(code, 0, "golive on a full disk: {g:#} {err}");
    assert_eq!(g["streak"], 1, "{g:#}");
    assert!(!err.contains("disk I/O error"), "{err}");

    // Disk fills while the call is on its way: DocuSign answers, the outcome cannot be
    // written. The action says so (exit 3, ledger_recorded false) and the streak is unknown.
    fs.free();
    sb.admin(
        "POST",
        "faults",
        json!({"delay_ms": 8000, "path_prefix": "/restapi/v2.1/accounts/", "count": 1}),
    );
    let mut cmd = dsjwt_without_env();
    cmd.args(["action", "list-templates"])
        .args(flags(&sb, &state));
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // The call is written down as begun within a few hundred milliseconds of the start; the
    // emulator holds its answer for 8 s: fill the disk meanwhile.
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        child.try_wait().expect("child").is_none(),
        "the call ended too early"
    );
    fs.fill();
    let out = child.wait_with_output().expect("wait");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{v:#} {err}");
    assert_eq!(v["ok"], true, "{v:#}");
    assert_eq!(v["ledger_recorded"], false, "{v:#}");
    assert!(
        v["ledger_problem"]
            .as_str()
            .unwrap_or("")
            .contains("is full"),
        "{v:#}"
    );

    // golive (disk still full) cannot prove the streak past that call.
    let (code, g, err) = run(&sb, &state, &["golive", "--json"]);
    assert_eq!(code, 0, "{g:#} {err}");
    assert_eq!(g["streak"], 0, "{g:#}");
    assert_eq!(g["broken_by"]["verdict"], "unknown", "{g:#}");
    assert!(
        g["summary"].as_str().unwrap_or("").contains("unknown"),
        "{g:#}"
    );

    // A recorded call repairs it: the streak counts again from there.
    fs.free();
    let (code, v, err) = run(&sb, &state, &["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#} {err}");
    let (_, g, _) = run(&sb, &state, &["golive", "--json"]);
    assert_eq!(g["streak"], 1, "{g:#}");
}
