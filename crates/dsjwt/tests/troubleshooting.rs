//! The seed guide's troubleshooting table, one test per row, reproduced with
//! the real `dsjwt check` against the real emulator over HTTPS. Each asserts
//! the code and the fix.

mod common;
use common::*;
use serde_json::json;

/// Row "consent_required": the impersonated user has not granted consent.
/// Then consent is given through the consent page (an HTTP client presses
/// Allow) and the same check is healthy.
#[test]
fn consent_required_then_healthy_after_consent_page() {
    let sb = Sandbox::start(false);
    let (code, report) = sb.check(&[]);
    assert_eq!(code, 1, "{report:#}");
    let f = failure(&report);
    assert_eq!(f["step"], "token");
    assert_eq!(f["code"], "consent_required");
    assert_eq!(f["docusign_error"]["error"], "consent_required");
    let consent_url = report["consent_url"]
        .as_str()
        .expect("consent_url in report");
    assert!(
        consent_url.contains("scope=signature%20impersonation"),
        "{consent_url}"
    );
    assert!(
        f["fix"].as_str().unwrap().contains(consent_url),
        "the fix gives the exact consent URL"
    );
    assert_eq!(step(&report, "userinfo")["status"], "skipped");

    let resp = sb.consent_through_page("allow");
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&sb.s("redirect_uri")), "{location}");
    assert!(
        location.contains("code=") && location.contains("state=s1"),
        "{location}"
    );

    let (code, report) = sb.check(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["ok"], true);
    for s in report["steps"].as_array().unwrap() {
        assert_eq!(s["ok"], true, "{s:#}");
        assert_eq!(s["code"], "ok");
    }
    let names: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "settings",
            "key",
            "assertion",
            "token",
            "userinfo",
            "account",
            "base_uri"
        ]
    );
}

/// Pressing Deny on the consent page records nothing: still consent_required.
#[test]
fn consent_denied_stays_consent_required() {
    let sb = Sandbox::start(false);
    let resp = sb.consent_through_page("deny");
    assert_eq!(resp.status(), 302);
    assert!(resp.headers()["location"]
        .to_str()
        .unwrap()
        .contains("error=access_denied"));
    let (code, report) = sb.check(&[]);
    assert_eq!(code, 1);
    assert_eq!(failure(&report)["code"], "consent_required");
}

/// Row "invalid_grant": wrong user ID (a user not in this environment).
#[test]
fn invalid_grant_wrong_user_id() {
    let sb = Sandbox::start(true);
    let (code, report) = sb.check(&[("--user-id", &guid())]);
    assert_eq!(code, 1);
    let f = failure(&report);
    assert_eq!(f["code"], "invalid_grant");
    assert_eq!(f["detail"], "user_not_found");
    assert_eq!(f["docusign_error"]["error_description"], "user_not_found");
    assert!(f["fix"].as_str().unwrap().contains("API Username"), "{f:#}");
}

/// invalid_grant / issuer_not_found: an integration key unknown here (F10).
#[test]
fn invalid_grant_unknown_integration_key() {
    let sb = Sandbox::start(true);
    let (_, report) = sb.check(&[("--integration-key", &guid())]);
    let f = failure(&report);
    assert_eq!(f["code"], "invalid_grant");
    assert_eq!(f["detail"], "issuer_not_found");
    assert!(
        f["message"].as_str().unwrap().contains("not found"),
        "{f:#}"
    );
}

/// invalid_grant / no_valid_keys_or_signatures: a valid RSA key that is not
/// registered on the integration key (F07 b: e.g. the demo key after Go-Live).
#[test]
fn invalid_grant_key_not_registered() {
    let sb = Sandbox::start(true);
    let path = write_temp(sb.dir.path(), "other.pem", &other_key().to_pkcs1_pem());
    let (_, report) = sb.check(&[("--private-key", &path)]);
    let f = failure(&report);
    assert_eq!(f["code"], "invalid_grant");
    assert_eq!(f["detail"], "no_valid_keys_or_signatures");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains(other_key().fingerprint()),
        "the message shows the key's fingerprint: {msg}"
    );
    assert!(f["fix"].as_str().unwrap().contains("public key"), "{f:#}");
}

/// Row "Failed to load RSA private key": public half pasted (F07 a).
#[test]
fn key_load_failed_public_key() {
    let sb = Sandbox::start(true);
    let path = write_temp(sb.dir.path(), "public.pem", &other_key().public_key_pem());
    let (code, report) = sb.check(&[("--private-key", &path)]);
    assert_eq!(code, 1);
    let f = failure(&report);
    assert_eq!(f["step"], "key");
    assert_eq!(f["code"], "key_load_failed");
    assert_eq!(f["detail"], "public_key");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .starts_with("Failed to load RSA private key"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("private key"));
    assert_eq!(
        step(&report, "token")["status"],
        "skipped",
        "no call is made with an unusable key"
    );
}

/// Row "Failed to load RSA private key": only a fragment was pasted.
#[test]
fn key_load_failed_fragment() {
    let sb = Sandbox::start(true);
    let pem = std::fs::read_to_string(sb.s("private_key")).unwrap();
    let lines: Vec<&str> = pem.lines().collect();
    let fragment = lines[..lines.len() / 2].join("\n");
    let path = write_temp(sb.dir.path(), "fragment.pem", &fragment);
    let (_, report) = sb.check(&[("--private-key", &path)]);
    let f = failure(&report);
    assert_eq!(f["code"], "key_load_failed");
    assert_eq!(f["detail"], "missing_end");
    // Nothing of the key leaks into the report.
    let text = report.to_string();
    for line in &lines[1..lines.len() / 2] {
        assert!(!text.contains(line), "a key line leaked into the report");
    }
}

/// Row "Failed to load RSA private key": the key is encrypted.
#[test]
fn key_load_failed_encrypted() {
    let sb = Sandbox::start(true);
    let pem = format!("-----BEGIN {0}-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END {0}-----\n", "ENCRYPTED PRIVATE KEY");
    let path = write_temp(sb.dir.path(), "enc.pem", &pem);
    let (_, report) = sb.check(&[("--private-key", &path)]);
    let f = failure(&report);
    assert_eq!(f["code"], "key_load_failed");
    assert_eq!(f["detail"], "encrypted");
    // The shared fix is plain words with a hint; the CLI adds its own way: an OpenSSL command.
    assert_eq!(f["hint"], "remove_key_password");
    let fix = f["fix"].as_str().unwrap();
    assert!(
        fix.contains("without its password")
            && fix.contains("`openssl pkey -in key.pem -out key-unencrypted.pem`"),
        "{fix}"
    );
}

/// Row "Failed to load RSA private key": an OpenSSH key file and a PKCS#12 bundle. The shared
/// fix names no command (the desktop shows it too, with its own "Generate a key pair here"); the
/// CLI adds the `ssh-keygen` / `openssl` command, in `dsjwt check` and `dsjwt public-key` alike.
#[test]
fn key_load_failed_openssh_and_pkcs12_name_the_cli_command() {
    let sb = Sandbox::start(true);
    // An OpenSSH file's shape, no key material ("openssh-key-v1", cipher and KDF "none"); the
    // label is built from parts so no private-key header stands in the source.
    let label = ["OPENSSH", "PRIVATE", "KEY"].join(" ");
    let openssh = write_temp(
        sb.dir.path(),
        "id_rsa",
        &format!("-----BEGIN {label}-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END {label}-----\n"),
    );
    // A PKCS#12 bundle's outer shape: SEQUENCE { INTEGER 3 (version), ContentInfo (data) }.
    let pfx = sb.dir.path().join("bundle.pfx");
    std::fs::write(
        &pfx,
        [
            0x30, 0x10, 0x02, 0x01, 0x03, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
            0x0d, 0x01, 0x07, 0x01,
        ],
    )
    .unwrap();
    let pfx = pfx.display().to_string();
    let new_pair = "In DocuSign Admin go to Settings → Integrations → Apps and Keys → your app → Service Integration → Add RSA Keypair, keep the private key DocuSign shows, and use that new private key.";
    let cases = [
        (
            &openssh,
            "convert_ssh_key",
            format!("DocuSign needs an RSA key in PEM form: if this is an RSA key, use a copy of it converted to PEM, without a passphrase. Otherwise make a new RSA pair. {new_pair} With ssh-keygen: `ssh-keygen -p -m PEM -f copy-of-key` converts a copy of the key file in place (keep the passphrase empty), then pass that copy with --private-key FILE."),
        ),
        (
            &pfx,
            "extract_pkcs12_key",
            format!("DocuSign needs the private key alone, in PEM form: use the private key taken out of the bundle (that needs the bundle's password), or make a new pair. {new_pair} With OpenSSL: `openssl pkcs12 -in bundle.pfx -nocerts -nodes -out key.pem` takes it out (it asks for the bundle's password), then pass key.pem with --private-key FILE."),
        ),
    ];
    for (path, hint, fix) in &cases {
        let (code, report) = sb.check(&[("--private-key", path)]);
        assert_eq!(code, 1, "{report:#}");
        let f = failure(&report);
        assert_eq!(f["code"], "key_load_failed");
        assert_eq!(f["detail"], "unsupported_key_type");
        assert_eq!(f["hint"], *hint);
        assert_eq!(f["fix"], fix.as_str(), "{report:#}");

        let out = dsjwt_without_env()
            .args(["public-key", "--json", "--private-key", path])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["detail"], "unsupported_key_type");
        assert_eq!(v["fix"], fix.as_str(), "{v:#}");
    }
}

/// Row "Account {id} is not accessible from this token".
#[test]
fn account_not_accessible() {
    let sb = Sandbox::start(true);
    let other = guid();
    let (code, report) = sb.check(&[("--account-id", &other)]);
    assert_eq!(code, 1);
    let f = failure(&report);
    assert_eq!(f["step"], "account");
    assert_eq!(f["code"], "account_not_accessible");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains(&format!(
            "Account {other} is not accessible from this token"
        )),
        "{msg}"
    );
    assert!(
        msg.contains(&sb.s("account_id")),
        "the accounts the token can reach are listed: {msg}"
    );
    assert!(f["fix"].as_str().unwrap().contains("Verify the Account ID"));
    assert_eq!(report["accounts"].as_array().unwrap().len(), 1);
}

/// Row "Configured base URI {x} does not match the account's base URI {y}",
/// with the one-click fix value.
#[test]
fn base_uri_mismatch() {
    let sb = Sandbox::start(true);
    let (code, report) = sb.check(&[("--base-uri", "https://na3.docusign.net")]);
    assert_eq!(code, 1);
    let f = failure(&report);
    assert_eq!(f["step"], "base_uri");
    assert_eq!(f["code"], "base_uri_mismatch");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains(&format!(
            "Configured base URI https://na3.docusign.net does not match the account's base URI {}",
            sb.url()
        )),
        "{msg}"
    );
    assert_eq!(f["suggested_value"], sb.url());
}

/// A base URI pasted with `/restapi` (F20) and a trailing slash is the same base URI.
#[test]
fn base_uri_with_restapi_is_accepted() {
    let sb = Sandbox::start(true);
    let with = format!("{}/restapi/", sb.url());
    let (code, report) = sb.check(&[("--base-uri", &with)]);
    assert_eq!(code, 0, "{report:#}");
    assert!(step(&report, "settings")["notes"]
        .to_string()
        .contains("/restapi"));
}

/// Exit code 2 for bad usage: a missing flag, an unreadable file.
#[test]
fn bad_usage_exits_2() {
    let out = dsjwt()
        .args(["check", "--integration-key", "x"])
        .env_remove("DSJWT_USER_ID")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let sb = Sandbox::start(true);
    let mut flags = sb.default_flags();
    flags
        .iter_mut()
        .find(|(k, _)| k == "--private-key")
        .unwrap()
        .1 = "/nonexistent/key.pem".into();
    let mut cmd = dsjwt();
    cmd.arg("check");
    for (k, v) in &flags {
        cmd.arg(k).arg(v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/key.pem"));
}

/// Text output says the same words.
#[test]
fn human_output_healthy() {
    let sb = Sandbox::start(true);
    let mut cmd = dsjwt();
    cmd.arg("check");
    for (k, v) in sb.default_flags() {
        cmd.arg(k).arg(v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Healthy"), "{text}");
    assert!(!text.contains("BEGIN"), "no key material in output");
}

/// The emulator's request log counts exactly two round trips for a healthy
/// check (token + userinfo), with the bearer redacted.
#[test]
fn healthy_check_is_two_round_trips_and_log_is_redacted() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    let (code, _) = sb.check(&[]);
    assert_eq!(code, 0);
    let log = sb.admin("GET", "requests", json!({}));
    let entries = log.as_array().expect("log array");
    let paths: Vec<&str> = entries
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/oauth/token", "/oauth/userinfo"]);
    let text = log.to_string();
    assert!(text.contains("<redacted>"), "{text}");
}

/// Runs `dsjwt args…`; a run still going after 60 s (a FIFO read forever) is killed and fails.
fn run_bounded(args: &[&str]) -> (Option<i32>, String) {
    let mut child = dsjwt()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn dsjwt");
    for _ in 0..600 {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err)
                .expect("stderr");
            return (status.code(), err);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("dsjwt {args:?} was still running after 60 s (reading a file that never ends?)");
}

/// Issue #12: `/dev/zero` as the private key or CA file was read until memory ran out, and a
/// FIFO hung. Only regular files, at most 64 KiB (key) / 1 MiB (CA), are read; the message
/// names the file. Exit 2 (bad usage) before any call.
#[test]
fn key_and_ca_files_must_be_small_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("key.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo")
        .success());
    let fifo = fifo.display().to_string();
    let huge = dir.path().join("huge.pem");
    std::fs::write(&huge, vec![b'A'; 2 * 1024 * 1024]).unwrap();
    let huge = huge.display().to_string();

    for path in ["/dev/zero", fifo.as_str(), huge.as_str()] {
        let (code, err) = run_bounded(&["public-key", "--private-key", path]);
        assert_eq!(code, Some(2), "{path}: {err}");
        assert!(
            err.contains(&format!("the private key file {path} is")),
            "{err}"
        );
        assert!(err.contains("Choose the private key file itself"), "{err}");
    }
    let (_, err) = run_bounded(&["public-key", "--private-key", "/dev/zero"]);
    assert!(err.contains("is a device, not a regular file"), "{err}");
    let (_, err) = run_bounded(&["public-key", "--private-key", &fifo]);
    assert!(err.contains("is a named pipe (FIFO)"), "{err}");
    let (_, err) = run_bounded(&["public-key", "--private-key", &huge]);
    assert!(
        err.contains("larger than 65536 bytes (2097152 bytes)"),
        "{err}"
    );

    let key = dir.path().join("private.key");
    std::fs::write(&key, other_key().to_pkcs1_pem()).unwrap();
    let key = key.display().to_string();
    for path in ["/dev/zero", fifo.as_str(), huge.as_str()] {
        let (code, err) = run_bounded(&[
            "check",
            "--integration-key",
            &guid(),
            "--user-id",
            &guid(),
            "--account-id",
            &guid(),
            "--private-key",
            &key,
            "--base-uri",
            "https://127.0.0.1:9",
            "--auth-server",
            "https://127.0.0.1:9",
            "--ca-cert",
            path,
        ]);
        assert_eq!(code, Some(2), "{path}: {err}");
        assert!(
            err.contains(&format!("the CA certificate file {path} is")),
            "{err}"
        );
    }
}

/// `dsjwt <command>` with the connection given by flags (new IDs, the demo base URI, the key
/// file `key`) and the state in `data`: the set-up every command shares, before any call.
fn run_with_flag_values(
    command: &[&str],
    key: &str,
    data: &std::path::Path,
) -> std::process::Output {
    dsjwt_without_env()
        .args(command)
        .arg("--integration-key")
        .arg(guid())
        .arg("--user-id")
        .arg(guid())
        .arg("--account-id")
        .arg(guid())
        .args([
            "--base-uri",
            "https://demo.docusign.net",
            "--private-key",
            key,
        ])
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("run dsjwt")
}

/// An action that cannot start (the key file holds no key) prints the core's problem as it
/// serializes it: code, detail, message, fix, and no DocuSign `errorCode`; exit 2 (input caught
/// before any call, as the README says).
#[test]
fn action_setup_problem_is_the_problem_json() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_temp(dir.path(), "k.pem", "not a key\n");
    let out = run_with_flag_values(
        &["action", "list-templates"],
        &key,
        &dir.path().join("state"),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(out.status.code(), Some(2), "{v:#}");
    assert_eq!(v["ok"], false, "{v:#}");
    assert_eq!(v["code"], "key_load_failed", "{v:#}");
    assert_eq!(v["detail"], "not_a_key", "{v:#}");
    assert!(
        v["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{v:#}"
    );
    assert!(
        v["fix"].as_str().is_some_and(|f| f.contains("BEGIN")),
        "{v:#}"
    );
    assert_eq!(v["errorCode"], serde_json::Value::Null, "{v:#}");
}

/// README: input caught before any call exits 2. A public key given as `--private-key` to
/// `public-key` (it exited 1), and a key file that holds no private key to `watch --once` and
/// `golive --warm-up` (they exited 1, through the same setup path as `action`): exit 2, the
/// key's problem said, and the fix ends with the CLI's own words (its flag), not a paste.
#[test]
fn a_key_refused_before_any_call_exits_2_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let public = write_temp(dir.path(), "pub.pem", &other_key().public_key_pem());
    let out = dsjwt_without_env()
        .args(["public-key", "--private-key", &public])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("This is a public key"), "{err}");
    assert!(err.contains("--private-key FILE"), "{err}");
    assert!(!err.to_lowercase().contains("paste"), "{err}");
    let out = dsjwt_without_env()
        .args(["public-key", "--json", "--private-key", &public])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(out.status.code(), Some(2), "{v:#}");
    assert_eq!(v["detail"], "public_key", "{v:#}");

    let key = write_temp(dir.path(), "k.pem", "not a key\n");
    for command in [
        &["watch", "envelope-status", "--once"][..],
        &["golive", "--warm-up"][..],
    ] {
        let out = run_with_flag_values(command, &key, &dir.path().join("state"));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {v:#} {err}");
        assert_eq!(v["code"], "key_load_failed", "{command:?}: {v:#} {err}");
        assert_eq!(v["detail"], "not_a_key", "{command:?}: {v:#}");
    }
}
