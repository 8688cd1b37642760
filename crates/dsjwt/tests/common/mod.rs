//! Test harness: runs the real `dsjwt` binary and the real emulator over HTTPS.
#![allow(dead_code, missing_docs)]

use docusign_api::key::PrivateKey;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub fn dsjwt() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dsjwt"))
}

/// `dsjwt` with no `DSJWT_*` variable of the test's environment (flags only).
pub fn dsjwt_without_env() -> Command {
    let mut cmd = dsjwt();
    remove_dsjwt_env(&mut cmd);
    cmd
}

/// Leaves every `DSJWT_*` variable of the test's environment out of `cmd` (the one place that
/// does it: [`dsjwt_without_env`], [`with_store`]).
fn remove_dsjwt_env(cmd: &mut Command) {
    for (k, _) in std::env::vars() {
        if k.starts_with("DSJWT_") {
            cmd.env_remove(k);
        }
    }
}

/// One freshly generated 2048-bit key per test binary (generation is slow-ish).
pub fn other_key() -> &'static PrivateKey {
    static KEY: std::sync::OnceLock<PrivateKey> = std::sync::OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate(2048).expect("generate key"))
}

/// The default world's "Mutual NDA" template: one document (`1`), the placeholder role
/// "Signer 1" and the fixed "Company Signer" (Casey Counsel).
pub const NDA: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01";

pub struct Sandbox {
    child: Child,
    pub dir: tempfile::TempDir,
    world_dir: Option<tempfile::TempDir>,
    pub info: Value,
}

impl Sandbox {
    /// `dsjwt emulator` with the default world.
    pub fn start(grant_consent: bool) -> Sandbox {
        let mut args = vec![];
        if grant_consent {
            args.push("--grant-consent".to_string());
        }
        Self::start_with(args)
    }

    /// `dsjwt emulator --world FILE`.
    pub fn start_world(world: &Value) -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("world.json");
        std::fs::write(&path, serde_json::to_vec_pretty(world).expect("json"))
            .expect("write world");
        let mut sb = Self::start_with(vec!["--world".into(), path.display().to_string()]);
        sb.world_dir = Some(dir);
        sb
    }

    fn start_with(extra: Vec<String>) -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut child = dsjwt()
            .arg("emulator")
            .arg("--data-dir")
            .arg(dir.path())
            .args(&extra)
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
        Sandbox {
            child,
            dir,
            world_dir: None,
            info,
        }
    }

    pub fn s(&self, field: &str) -> String {
        self.info[field]
            .as_str()
            .unwrap_or_else(|| panic!("ready line lacks {field}: {}", self.info))
            .to_string()
    }

    pub fn url(&self) -> String {
        self.s("url")
    }

    pub fn ca_cert(&self) -> PathBuf {
        PathBuf::from(self.s("ca_cert"))
    }

    /// The default world's connection as `dsjwt check` flags.
    pub fn default_flags(&self) -> Vec<(String, String)> {
        vec![
            ("--integration-key".into(), self.s("integration_key")),
            ("--user-id".into(), self.s("user_id")),
            ("--private-key".into(), self.s("private_key")),
            ("--account-id".into(), self.s("account_id")),
            ("--base-uri".into(), self.s("base_uri")),
            ("--auth-server".into(), self.url()),
            ("--ca-cert".into(), self.ca_cert().display().to_string()),
            ("--redirect-uri".into(), self.s("redirect_uri")),
        ]
    }

    /// The default world's connection flags for `action`/`golive`/`watch`,
    /// with the ledger and trigger state in this sandbox's folder.
    pub fn conn_flags(&self) -> Vec<String> {
        let mut v = self.connection_flags();
        v.push("--data-dir".into());
        v.push(self.dir.path().join("state").display().to_string());
        v
    }

    /// The default world's connection flags for `action`/`golive`/`watch`, without a data
    /// folder (the caller gives its own `--data-dir`).
    pub fn connection_flags(&self) -> Vec<String> {
        let mut v = Vec::new();
        for (k, val) in self.default_flags() {
            if k != "--redirect-uri" {
                v.push(k);
                v.push(val);
            }
        }
        v
    }

    /// Runs `dsjwt <args…> <connection flags>` and parses its one JSON object.
    pub fn run_json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let v = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "not one JSON object ({e}): {stdout:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), v)
    }

    /// Runs `dsjwt <args…> <connection flags>`.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        dsjwt_without_env()
            .args(args)
            .args(self.conn_flags())
            .output()
            .expect("run dsjwt")
    }

    /// An envelope sent from the default world's "Mutual NDA" ([`NDA`]) to Ada Lovelace
    /// <ada@example.com> as "Signer 1", with `more` arguments of `send-envelope-from-template`
    /// (`--subject`, `--tab`, …); a send that does not exit 0 fails the test. Its envelope ID.
    pub fn send_nda(&self, more: &[&str]) -> String {
        let mut args = vec![
            "action",
            "send-envelope-from-template",
            NDA,
            "--role",
            "Signer 1=Ada Lovelace <ada@example.com>",
        ];
        args.extend_from_slice(more);
        let (code, v) = self.run_json(&args);
        assert_eq!(code, 0, "the NDA was not sent: {v:#}");
        v["envelope_id"].as_str().expect("envelope_id").to_string()
    }

    /// `dsjwt watch <kind> --once --interval 1` (with `--template-id` when given): its events,
    /// one JSON object per line; a run that does not exit 0 fails the test.
    pub fn watch_once(&self, kind: &str, template: Option<&str>) -> Vec<Value> {
        let mut args = vec!["watch", kind, "--once", "--interval", "1"];
        if let Some(t) = template {
            args.extend(["--template-id", t]);
        }
        let out = self.run(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON line per event"))
            .collect()
    }

    /// `POST /__emulator/accounts/{acc}/envelopes/{env}/recipients/{rid}/{action}`.
    pub fn move_recipient(
        &self,
        envelope_id: &str,
        recipient_id: &str,
        action: &str,
        body: Value,
    ) -> Value {
        self.admin(
            "POST",
            &format!(
                "accounts/{}/envelopes/{}/recipients/{}/{}",
                self.s("account_id"),
                envelope_id,
                recipient_id,
                action
            ),
            body,
        )
    }

    /// `dsjwt check --json` with the default flags, some replaced.
    pub fn check(&self, overrides: &[(&str, &str)]) -> (i32, Value) {
        let mut flags = self.default_flags();
        for (k, v) in overrides {
            match flags.iter_mut().find(|(f, _)| f == k) {
                Some(slot) => slot.1 = v.to_string(),
                None => flags.push((k.to_string(), v.to_string())),
            }
        }
        run_check(&flags)
    }

    /// Flags for a connection of a custom world served by this sandbox.
    pub fn world_flags(
        &self,
        ik: &str,
        user: &str,
        account: &str,
        key_file: &str,
        base_uri: &str,
    ) -> Vec<(String, String)> {
        [
            ("--integration-key", ik.to_string()),
            ("--user-id", user.to_string()),
            ("--private-key", key_file.to_string()),
            ("--account-id", account.to_string()),
            ("--base-uri", base_uri.to_string()),
            ("--auth-server", self.url()),
            ("--ca-cert", self.ca_cert().display().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    pub fn http(&self) -> reqwest::blocking::Client {
        let pem = std::fs::read(self.ca_cert()).expect("ca");
        reqwest::blocking::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("pem"))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn admin(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/__emulator/{}", self.url(), path);
        let c = self.http();
        let req = match method {
            "GET" => c.get(&url),
            "DELETE" => c.delete(&url).json(&body),
            _ => c.post(&url).json(&body),
        };
        let resp = req.send().expect("admin call");
        assert!(
            resp.status().is_success(),
            "admin {method} {path}: {}",
            resp.status()
        );
        resp.json().unwrap_or(Value::Null)
    }

    /// Moves the emulator's clock past the next top of the hour when it is in the hour's last
    /// 10 minutes, so a test of the hourly limit (which resets at the top of the hour, as
    /// DocuSign's does) cannot see its counter reset half-way. Call it before the first call.
    /// The move is at most 11 minutes ahead: tokens and assertions still pass.
    pub fn clear_of_the_hour(&self) {
        let now = self.admin("GET", "clock", serde_json::json!({}))["now"]
            .as_i64()
            .expect("the emulator's now");
        let into_hour = now.rem_euclid(3600);
        if into_hour >= 3000 {
            let advance = 3600 - into_hour + 60;
            self.admin(
                "POST",
                "clock",
                serde_json::json!({ "advance_seconds": advance }),
            );
        }
    }

    /// Grants consent the way a person does: open the consent URL, press Allow.
    pub fn consent_through_page(&self, decision: &str) -> reqwest::blocking::Response {
        let out = dsjwt()
            .args([
                "consent-url",
                "--integration-key",
                &self.s("integration_key"),
                "--redirect-uri",
                &self.s("redirect_uri"),
                "--auth-server",
                &self.url(),
                "--state",
                "s1",
            ])
            .output()
            .expect("consent-url");
        assert!(out.status.success());
        let url = String::from_utf8(out.stdout)
            .expect("utf8")
            .trim()
            .to_string();
        let c = self.http();
        let page = c.get(&url).send().expect("consent page");
        assert_eq!(page.status(), 200);
        let html = page.text().expect("html");
        assert!(
            html.contains("Allow") && html.contains("Deny"),
            "consent page lacks Allow/Deny: {html}"
        );
        c.post(format!("{}/oauth/auth", self.url()))
            .form(&[
                ("client_id", self.s("integration_key")),
                ("redirect_uri", self.s("redirect_uri")),
                ("scope", "signature impersonation".to_string()),
                ("state", "s1".to_string()),
                ("user_id", self.s("user_id")),
                ("decision", decision.to_string()),
            ])
            .send()
            .expect("consent decision")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn run_check(flags: &[(String, String)]) -> (i32, Value) {
    let mut cmd = dsjwt_without_env();
    cmd.arg("check").arg("--json");
    for (k, v) in flags {
        cmd.arg(k).arg(v);
    }
    let out = cmd.output().expect("run dsjwt check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "check output is not JSON ({e}): {stdout} / {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

/// The first failed step.
pub fn failure(report: &Value) -> &Value {
    report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["status"] == "failed")
        .unwrap_or_else(|| panic!("no failed step in {report:#}"))
}

pub fn step<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

pub fn write_temp(dir: &Path, name: &str, contents: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, contents).expect("write");
    p.display().to_string()
}

pub fn guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Points a `dsjwt` command at its own config folder and keyring service (the test's saved
/// connections), with every other `DSJWT_*` setting of the outer environment removed. The
/// keyring is the real Secret Service of `scripts/with-keyring.sh`: without one the command
/// fails, and so does the test.
pub fn with_store(cmd: &mut Command, config: &Path, service: &str) {
    remove_dsjwt_env(cmd);
    cmd.env("DSJWT_CONFIG_DIR", config)
        .env("DSJWT_KEYRING_SERVICE", service);
}
