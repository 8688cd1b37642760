//! One rule for every command that needs a connection (a fresh user's findings: `golive` and
//! `action` did not pick the only saved connection while `support-bundle` did, and
//! `consent-url --connection` was refused): `--connection NAME`; else, with no connection value
//! given, the only saved connection (said on stderr); several saved → a usage error listing
//! them and how to pick; none saved → a usage error saying how to give one. Real CLI, real
//! emulator over HTTPS, real Secret Service (run under scripts/with-keyring.sh).

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

mod common;
use common::*;
use serde_json::Value;
use std::path::PathBuf;

/// A throwaway connection store (its own config folder and keyring service) and the state
/// folder of `sb`.
struct Store {
    dir: tempfile::TempDir,
    service: String,
    state: String,
}

impl Store {
    fn new(sb: &Sandbox) -> Store {
        Store {
            dir: tempfile::tempdir().unwrap(),
            service: format!("dsjwt-test-{}", guid()),
            state: sb.dir.path().join("state").display().to_string(),
        }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// `dsjwt <args…>` with this store's saved connections and no connection value given.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let mut cmd = dsjwt();
        cmd.args(args);
        with_store(&mut cmd, &self.config(), &self.service);
        let out = cmd.env("DSJWT_DATA_DIR", &self.state).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }

    fn add(&self, sb: &Sandbox, name: &str) {
        let mut args = vec!["connection".to_string(), "add".into(), name.into()];
        for (k, v) in sb.default_flags() {
            args.push(k);
            args.push(v);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = self.run(&args);
        assert_eq!(code, 0, "add {name}: {err}");
    }
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn every_command_uses_the_only_saved_connection_and_names_several() {
    let sb = Sandbox::start(true);
    let store = Store::new(&sb);
    let ik = sb.s("integration_key");
    let watch = ["watch", "envelope-status", "--once", "--interval", "1"];

    // None saved, nothing given: a usage error (exit 2) that says how to give one.
    for args in [
        &["golive", "--json"][..],
        &["action", "list-templates"],
        &["check", "--json"],
        &["consent-url"],
        &watch,
    ] {
        let (code, _, err) = store.run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("no connection given, and none is saved")
                && err.contains("dsjwt connection add NAME"),
            "{args:?}: {err}"
        );
    }

    // One saved: every command uses it, and says so on stderr.
    store.add(&sb, "Only one");
    let said = "dsjwt: using \"Only one\", the only saved connection";
    let (code, out, err) = store.run(&["golive", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["integration_key"], ik.as_str());
    assert!(err.contains(said), "{err}");
    let (code, out, err) = store.run(&["action", "list-templates"]);
    assert_eq!(code, 0, "{out} {err}");
    assert_eq!(json(&out)["ok"], true);
    assert!(err.contains(said), "{err}");
    let (code, out, err) = store.run(&["check", "--json"]);
    assert_eq!(code, 0, "{out} {err}");
    assert_eq!(json(&out)["ok"], true);
    let (code, _, err) = store.run(&watch);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(said), "{err}");
    let (code, by_default, err) = store.run(&["consent-url"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(said), "{err}");
    // consent-url takes --connection like every command: the saved key, auth server and
    // redirect URI, the same URL as the flags give.
    let (code, named, err) = store.run(&["consent-url", "--connection", "only ONE"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains(said), "named, so nothing to say: {err}");
    let mut cmd = dsjwt_without_env();
    cmd.args([
        "consent-url",
        "--integration-key",
        &ik,
        "--redirect-uri",
        &sb.s("redirect_uri"),
        "--auth-server",
        &sb.url(),
    ]);
    let flags = String::from_utf8_lossy(&cmd.output().unwrap().stdout).to_string();
    assert!(flags.contains(&format!("client_id={ik}")), "{flags}");
    assert_eq!(named, flags);
    assert_eq!(by_default, flags);
    // A flag given too overrides the saved field.
    let (code, out, err) = store.run(&[
        "consent-url",
        "--connection",
        "Only one",
        "--redirect-uri",
        "https://localhost:9/other",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("redirect_uri=https%3A%2F%2Flocalhost%3A9%2Fother"),
        "{out}"
    );

    // Two saved, none named: a usage error naming both and how to pick; --connection picks.
    store.add(&sb, "Second");
    for args in [
        &["golive", "--json"][..],
        &["action", "list-templates"],
        &["check"],
        &["consent-url"],
        &watch,
    ] {
        let (code, out, err) = store.run(args);
        assert_eq!(code, 2, "{args:?}: {out} {err}");
        assert!(
            err.contains("several connections are saved (\"Only one\", \"Second\")")
                && err.contains("--connection NAME"),
            "{args:?}: {err}"
        );
    }
    let (code, out, err) = store.run(&["golive", "--json", "--connection", "Second"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["integration_key"], ik.as_str());
}

/// Found by a fresh user: `check --connection NAME --integration-key ""` said "missing:
/// --integration-key … (or --connection NAME of a saved connection)" although a saved
/// connection was named. An empty flag is said to be empty, with the way out that fits.
#[test]
fn an_empty_flag_is_said_to_be_empty() {
    let sb = Sandbox::start(true);
    let store = Store::new(&sb);
    store.add(&sb, "Kept");
    let (code, _, err) = store.run(&["check", "--connection", "Kept", "--integration-key", ""]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "--integration-key is empty: give the value, or leave it out to use the saved connection's value"
        ),
        "{err}"
    );
    assert!(!err.contains("missing"), "{err}");
    let (code, _, err) = store.run(&[
        "check",
        "--connection",
        "Kept",
        "--user-id",
        " ",
        "--account-id",
        "",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--user-id and --account-id are empty: give the value"),
        "{err}"
    );
}
