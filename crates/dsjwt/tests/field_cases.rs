//! Field cases (the public field reports listed in docs/field-cases.md) of kinds CFG, JWT, TOK, UI,
//! CON, through the real CLI and emulator. KEY cases are in
//! docusign-api/tests/key_loading.rs; pure logic cases in unit tests.

mod common;
use common::*;
use serde_json::{json, Value};

/// F25: a production auth server with a demo base URI is blocked before any call.
#[test]
fn f25_environment_mismatch_blocked_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_temp(dir.path(), "k.pem", &other_key().to_pkcs1_pem());
    let flags: Vec<(String, String)> = [
        ("--integration-key", guid()),
        ("--user-id", guid()),
        ("--private-key", key),
        ("--account-id", guid()),
        ("--base-uri", "https://demo.docusign.net".to_string()),
        ("--auth-server", "production".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let (code, report) = run_check(&flags);
    assert_eq!(code, 1);
    let f = failure(&report);
    assert_eq!(f["step"], "settings");
    assert_eq!(f["code"], "environment_mismatch");
    assert_eq!(step(&report, "token")["status"], "skipped");
}

/// F09: `https://account-d.docusign.net/` is refused with the right host suggested.
#[test]
fn f09_wrong_auth_host_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_temp(dir.path(), "k.pem", &other_key().to_pkcs1_pem());
    let flags: Vec<(String, String)> = [
        ("--integration-key", guid()),
        ("--user-id", guid()),
        ("--private-key", key),
        ("--account-id", guid()),
        ("--base-uri", "https://demo.docusign.net".to_string()),
        (
            "--auth-server",
            "https://account-d.docusign.net/".to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let (_, report) = run_check(&flags);
    let f = failure(&report);
    assert_eq!(f["code"], "auth_server_invalid");
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("account-d.docusign.com"));
}

/// F10: an integration key with a dropped character is caught locally.
#[test]
fn f10_integration_key_missing_character() {
    let sb = Sandbox::start(true);
    let ik = sb.s("integration_key");
    let (_, report) = sb.check(&[("--integration-key", &ik[..ik.len() - 1])]);
    let f = failure(&report);
    assert_eq!(f["step"], "settings");
    assert_eq!(f["code"], "integration_key_malformed");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("31 letters and digits where an ID has 32"),
        "{f:#}"
    );
}

/// CFG: an email in the user ID field; a short account number in the account ID field.
#[test]
fn cfg_user_id_email_and_account_number() {
    let sb = Sandbox::start(true);
    let (_, report) = sb.check(&[("--user-id", "ada@example.com")]);
    assert_eq!(failure(&report)["detail"], "email_not_user_id");
    let (_, report) = sb.check(&[("--account-id", "18834567")]);
    assert_eq!(failure(&report)["detail"], "account_number_not_id");
}

/// F19: a base URI without https:// is fixed (noted); http:// is refused.
#[test]
fn f19_base_uri_scheme() {
    let sb = Sandbox::start(true);
    let bare = sb.url().trim_start_matches("https://").to_string();
    let (code, report) = sb.check(&[("--base-uri", &bare)]);
    assert_eq!(code, 0, "{report:#}");
    let (_, report) = sb.check(&[("--base-uri", &sb.url().replace("https://", "http://"))]);
    assert_eq!(failure(&report)["code"], "base_uri_invalid");
    assert_eq!(failure(&report)["detail"], "not_https");
}

/// F22: a production-style account on na3 while www was configured:
/// base_uri_mismatch with the account's value offered.
#[test]
fn f22_region_mismatch() {
    let key = other_key();
    let (ik, user, acc) = (guid(), guid(), guid());
    let world = json!({
        "environment": "production",
        "integration_keys": [{"integration_key": ik, "name": "Prod app", "public_keys": [key.public_key_pem()], "redirect_uris": ["https://localhost/callback"]}],
        "users": [{"user_id": user, "name": "Pat Prod", "email": "pat@example.com",
                   "accounts": [{"account_id": acc, "account_name": "Prod NA3", "is_default": true, "base_uri": "https://na3.docusign.net"}]}],
        "consents": [{"user_id": user, "integration_key": ik, "scopes": ["signature", "impersonation"]}]
    });
    let sb = Sandbox::start_world(&world);
    let keyfile = write_temp(sb.dir.path(), "k.pem", &key.to_pkcs1_pem());
    let (_, report) =
        run_check(&sb.world_flags(&ik, &user, &acc, &keyfile, "https://www.docusign.net"));
    let f = failure(&report);
    assert_eq!(f["code"], "base_uri_mismatch");
    assert_eq!(f["detail"], "region");
    assert_eq!(f["suggested_value"], "https://na3.docusign.net");
}

/// UI: a user with no accounts gets its own code.
#[test]
fn user_with_no_accounts() {
    let key = other_key();
    let (ik, user) = (guid(), guid());
    let world = json!({
        "integration_keys": [{"integration_key": ik, "name": "App", "public_keys": [key.public_key_pem()], "redirect_uris": ["https://localhost/callback"]}],
        "users": [{"user_id": user, "name": "No Accounts", "email": "na@example.com", "accounts": []}],
        "consents": [{"user_id": user, "integration_key": ik}]
    });
    let sb = Sandbox::start_world(&world);
    let keyfile = write_temp(sb.dir.path(), "k.pem", &key.to_pkcs1_pem());
    let (_, report) = run_check(&sb.world_flags(&ik, &user, &guid(), &keyfile, &sb.url()));
    let f = failure(&report);
    assert_eq!(f["code"], "no_accounts");
}

/// Clock skew: the emulator's clock 2 hours behind ours, so our assertion is
/// from its future: invalid_grant, with the clock named as the reason.
#[test]
fn clock_skew_is_diagnosed() {
    let sb = Sandbox::start(true);
    sb.admin("POST", "clock", json!({"offset_seconds": -7200}));
    let (_, report) = sb.check(&[]);
    let f = failure(&report);
    assert_eq!(f["code"], "invalid_grant");
    assert_eq!(f["detail"], "clock_skew");
    assert!(f["message"].as_str().unwrap().contains("ahead"), "{f:#}");
    assert!(f["fix"].as_str().unwrap().contains("automatically"));
}

/// F18: any other token failure shows DocuSign's words verbatim.
#[test]
fn f18_unknown_error_kept_verbatim() {
    let sb = Sandbox::start(true);
    sb.admin("POST", "faults", json!({"count": 1, "status": 400, "path_prefix": "/oauth/token", "body": {"error": "temporarily_unavailable", "error_description": "Try later please"}}));
    let (_, report) = sb.check(&[]);
    let f = failure(&report);
    assert_eq!(f["code"], "token_request_failed");
    assert_eq!(f["docusign_error"]["error"], "temporarily_unavailable");
    assert_eq!(f["docusign_error"]["error_description"], "Try later please");
    assert!(f["message"].as_str().unwrap().contains("Try later please"));
}

/// A 503 from the auth server: DocuSign's side, not the settings. The token call is retried
/// (3 attempts in all, issue #12), so it takes three 503s to fail the check.
#[test]
fn server_error_is_docusign_unavailable() {
    let sb = Sandbox::start(true);
    sb.admin(
        "POST",
        "faults",
        json!({"count": 3, "status": 503, "path_prefix": "/oauth/token"}),
    );
    let (_, report) = sb.check(&[]);
    assert_eq!(failure(&report)["code"], "docusign_unavailable");
}

/// Without the sandbox's CA certificate the TLS failure is named, with the fix.
#[test]
fn missing_ca_cert_is_named() {
    let sb = Sandbox::start(true);
    let flags: Vec<(String, String)> = sb
        .default_flags()
        .into_iter()
        .filter(|(k, _)| k != "--ca-cert")
        .collect();
    let (_, report) = run_check(&flags);
    let f = failure(&report);
    assert_eq!(f["code"], "tls_untrusted");
    assert!(f["fix"].as_str().unwrap().contains("--ca-cert"));
}

/// F13 through the CLI: the exact consent URL.
#[test]
fn f13_consent_url_cli_golden() {
    let ik = "1a2b3c4d-1234-5678-9abc-0123456789ab";
    let out = dsjwt()
        .args([
            "consent-url",
            "--integration-key",
            ik,
            "--redirect-uri",
            "https://localhost:8080/callback",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("https://account-d.docusign.com/oauth/auth?response_type=code&scope=signature%20impersonation&client_id={ik}&redirect_uri=https%3A%2F%2Flocalhost%3A8080%2Fcallback")
    );
    let out = dsjwt()
        .args([
            "consent-url",
            "--integration-key",
            ik,
            "--redirect-uri",
            "https://www.example.com/auth",
            "--auth-server",
            "production",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("https://account.docusign.com/oauth/auth?"));
}

/// F15: a redirect URI not registered on the key: the emulator refuses the
/// consent page like DocuSign, and never redirects there.
#[test]
fn f15_unregistered_redirect_uri_refused() {
    let sb = Sandbox::start(false);
    let out = dsjwt()
        .args([
            "consent-url",
            "--integration-key",
            &sb.s("integration_key"),
            "--redirect-uri",
            "https://evil.example/cb",
            "--auth-server",
            &sb.url(),
        ])
        .output()
        .unwrap();
    let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let resp = sb.http().get(&url).send().unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
}

/// `dsjwt public-key` prints the PEM to upload and the fingerprint.
#[test]
fn public_key_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(dir.path(), "k.pem", &other_key().to_pkcs1_pem());
    let out = dsjwt()
        .args(["public-key", "--private-key", &path])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert!(text.contains(other_key().fingerprint()));
    assert!(!text.contains("PRIVATE"));
}

/// Found by a fresh user: the private key pasted into the integration key flag was printed in
/// full, by the settings message (`--integration-key=…`) or by clap's "unexpected argument"
/// (`--integration-key …`). The key is named, never shown; nothing of it is in the output.
#[test]
fn a_private_key_in_the_integration_key_is_never_shown() {
    let sb = Sandbox::start(true);
    let pem = other_key().to_pkcs1_pem();
    let mut cmd = dsjwt_without_env();
    cmd.args(["check", "--json"]);
    for (k, v) in sb.default_flags() {
        let v = if k == "--integration-key" {
            pem.clone()
        } else {
            v
        };
        cmd.arg(k).arg(v);
    }
    let out = cmd.output().expect("run dsjwt check");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    for piece in body.as_bytes().chunks(16) {
        assert!(
            !text.contains(std::str::from_utf8(piece).unwrap_or_default()),
            "a piece of the key is in the output: {}",
            std::str::from_utf8(piece).unwrap_or_default()
        );
    }
    assert!(!text.contains("BEGIN"), "the PEM header is not echoed");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = failure(&v);
    assert_eq!(f["step"], "settings");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("(a private key, not shown here)"),
        "{f:#}"
    );
}
