//! `dsjwt emulator --listen` on an address other machines can reach: refused (exit 2) unless
//! `--allow-remote`, and then a warning that the admin API has no authentication.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

#[test]
fn listen_on_non_loopback_without_allow_remote_exits_2() {
    for addr in ["0.0.0.0:0", "[::]:0"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let out = dsjwt()
            .args(["emulator", "--listen", addr, "--data-dir"])
            .arg(&data)
            .output()
            .expect("run dsjwt");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{addr}: {stderr}");
        assert!(out.stdout.is_empty(), "no ready line: {out:?}");
        assert!(stderr.contains(&format!("--listen {addr}")), "{stderr}");
        assert!(stderr.contains("not a loopback address"), "{stderr}");
        assert!(
            stderr.contains("admin API has no authentication"),
            "{stderr}"
        );
        assert!(stderr.contains("--allow-remote"), "{stderr}");
        assert!(!data.exists(), "nothing created before the refusal");
    }
}

/// Starts `dsjwt emulator --listen ADDR [extra...] --data-dir TMP`, reads its ready line, stops
/// it, and gives (ready line, everything it wrote on stderr).
fn start_and_stop(addr: &str, extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = dsjwt()
        .args(["emulator", "--listen", addr])
        .args(extra)
        .arg("--data-dir")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dsjwt emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("ready line");
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    (line, stderr)
}

#[test]
fn allow_remote_starts_and_warns_the_admin_api_has_no_authentication() {
    let (line, stderr) = start_and_stop("0.0.0.0:0", &["--allow-remote"]);
    let info: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("ready line ({e}): {line:?}"));
    assert!(info["base_uri"].as_str().is_some(), "{info}");
    assert!(
        stderr.contains("dsjwt: warning: listening on 0.0.0.0:0"),
        "{stderr}"
    );
    assert!(stderr.contains("reachable from other machines"), "{stderr}");
    assert!(
        stderr.contains("admin API (/__emulator/) has no authentication"),
        "{stderr}"
    );
}

/// The default (loopback) needs no flag and prints no warning.
#[test]
fn loopback_listen_needs_no_flag() {
    let (line, stderr) = start_and_stop("127.0.0.1:0", &[]);
    assert!(line.starts_with('{'), "ready line: {line:?}");
    assert!(!stderr.contains("warning"), "{stderr}");
}
