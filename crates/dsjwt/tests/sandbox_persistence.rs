//! `dsjwt emulator --data-dir DIR` keeps its world: started again on the same folder it prints
//! the same integration key, user ID and account ID, and the consent given through the consent
//! page (over plain HTTP, as a browser opens it) still holds: `dsjwt check` is healthy without
//! `--grant-consent`. `--fresh` starts a new world.

mod common;

use common::{dsjwt, run_check};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

struct Emu {
    child: Child,
    info: Value,
}

impl Emu {
    fn start(dir: &Path, extra: &[&str]) -> Emu {
        let mut child = dsjwt()
            .arg("emulator")
            .arg("--data-dir")
            .arg(dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn dsjwt emulator");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("ready line");
        let info: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("ready line is not JSON ({e}): {line:?}"));
        Emu { child, info }
    }

    fn s(&self, field: &str) -> String {
        self.info[field]
            .as_str()
            .unwrap_or_else(|| panic!("ready line lacks {field}: {}", self.info))
            .to_string()
    }

    fn check_flags(&self) -> Vec<(String, String)> {
        [
            ("--integration-key", "integration_key"),
            ("--user-id", "user_id"),
            ("--private-key", "private_key"),
            ("--account-id", "account_id"),
            ("--base-uri", "base_uri"),
            ("--auth-server", "url"),
            ("--ca-cert", "ca_cert"),
            ("--redirect-uri", "redirect_uri"),
        ]
        .iter()
        .map(|(flag, field)| (flag.to_string(), self.s(field)))
        .collect()
    }

    /// Stops it as a crash would (SIGKILL): what was answered is already saved.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a browser does: open the consent URL `dsjwt consent-url` prints (plain HTTP on
/// 127.0.0.1, no CA of ours trusted), press Allow, follow the redirect; returns the landing
/// page.
fn allow_in_browser(emu: &Emu) -> String {
    let out = dsjwt()
        .args([
            "consent-url",
            "--integration-key",
            &emu.s("integration_key"),
            "--redirect-uri",
            &emu.s("redirect_uri"),
            "--auth-server",
            &emu.s("url"),
        ])
        .output()
        .expect("consent-url");
    assert!(out.status.success());
    let url = String::from_utf8(out.stdout)
        .expect("utf8")
        .trim()
        .to_string();
    let origin = emu.s("url").replace("https://", "http://");
    assert!(
        url.starts_with(&format!("{origin}/oauth/auth?")),
        "the consent page is plain HTTP on loopback: {url}"
    );
    let browser = reqwest::blocking::Client::builder()
        .tls_built_in_root_certs(false)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = browser.get(&url).send().expect("consent page");
    assert_eq!(page.status(), 200);
    assert!(page.text().expect("html").contains("value=\"allow\""));
    let allow = browser
        .post(format!("{origin}/oauth/auth"))
        .form(&[
            ("client_id", emu.s("integration_key")),
            ("redirect_uri", emu.s("redirect_uri")),
            ("scope", "signature impersonation".to_string()),
            ("user_id", emu.s("user_id")),
            ("decision", "allow".to_string()),
        ])
        .send()
        .expect("allow");
    assert_eq!(allow.status(), 302);
    let location = allow.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(location.starts_with(&emu.s("redirect_uri")), "{location}");
    let landing = browser.get(&location).send().expect("landing page");
    assert_eq!(landing.status(), 200, "the landing page answers");
    landing.text().expect("html")
}

#[test]
fn emulator_started_twice_on_the_same_data_dir_is_the_same_sandbox() {
    let dir = tempfile::tempdir().expect("tempdir");

    let first = Emu::start(dir.path(), &[]);
    let (code, report) = run_check(&first.check_flags());
    assert_eq!(code, 1);
    assert_eq!(
        common::failure(&report)["code"],
        "consent_required",
        "{report:#}"
    );
    let landing = allow_in_browser(&first);
    assert!(landing.contains("Consent given"), "{landing}");
    let (code, report) = run_check(&first.check_flags());
    assert_eq!(code, 0, "{report:#}");
    let first_info = first.info.clone();
    first.kill();

    let second = Emu::start(dir.path(), &[]);
    for field in ["integration_key", "user_id", "account_id", "ca_cert"] {
        assert_eq!(second.info[field], first_info[field], "{field}");
    }
    let mut keys1: Vec<_> = first_info.as_object().expect("object").keys().collect();
    let mut keys2: Vec<_> = second.info.as_object().expect("object").keys().collect();
    keys1.sort();
    keys2.sort();
    assert_eq!(keys1, keys2, "the ready line keeps its shape");
    // Consent given in the first run holds: healthy without --grant-consent.
    let (code, report) = run_check(&second.check_flags());
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["ok"], true);
    second.kill();

    let fresh = Emu::start(dir.path(), &["--fresh"]);
    assert_ne!(fresh.info["integration_key"], first_info["integration_key"]);
    let (code, report) = run_check(&fresh.check_flags());
    assert_eq!(code, 1);
    assert_eq!(common::failure(&report)["code"], "consent_required");
}

#[test]
fn fresh_is_for_the_default_world_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = dir.path().join("w.json");
    std::fs::write(&world, "{}").expect("write");
    let out = dsjwt()
        .args(["emulator", "--fresh", "--world"])
        .arg(&world)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fresh"));
}
