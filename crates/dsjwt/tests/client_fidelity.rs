//! Issue #10, client side: clock skew from DocuSign's `Date` header, documented length
//! limits before any call, document names from `Content-Disposition`, and field cases F42,
//! F45, F47, F49 — each through the real CLI and the real emulator over HTTPS.

#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::json;

/// With the computer's clock 10 minutes ahead of DocuSign's (the emulator's clock moved back
/// 600 s), an action still works: the assertion takes DocuSign's time from its `Date` header,
/// and the result says so once.
#[test]
fn clock_skew_actions_use_docusign_time() {
    let sb = Sandbox::start(true);
    sb.admin("POST", "clock", json!({"offset_seconds": -600}));
    // The emulator refuses an assertion from 10 minutes in the future, like DocuSign.
    let (code, report) = sb.check(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(failure(&report)["detail"], "clock_skew", "{report:#}");

    let out = sb.run(&["action", "list-templates"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout} / {stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["count"], 2, "{v:#}");
    assert_eq!(
        v["clock_skew_seconds"]
            .as_i64()
            .map(|s| (s + 600).abs() <= 2),
        Some(true),
        "{v:#}"
    );
    let notice = v["clock_notice"].as_str().expect("clock_notice");
    assert!(
        notice.contains("10 minutes ahead of DocuSign's"),
        "{notice}"
    );
    assert!(stderr.contains("10 minutes ahead"), "{stderr}");
}

/// The health check with this computer's clock 67 minutes behind DocuSign's (the emulator's
/// clock moved 4,000 s ahead: the assertion has expired by DocuSign's clock) and consent not
/// given: the token step still fails for the clock (other programs using this key are refused
/// too), and signed again with DocuSign's time it shows what is behind: `consent_required`,
/// with the consent URL. Once consent is given, the later steps run with the token DocuSign
/// issued for DocuSign's time, and the check still fails for the clock alone; with the clock
/// right, it passes. Text output shows both problems.
#[test]
fn health_check_with_the_clock_behind_reports_the_consent_behind_it() {
    let sb = Sandbox::start(false);
    sb.admin("POST", "clock", json!({"offset_seconds": 4000}));
    let (code, report) = sb.check(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["ok"], false);
    let token = step(&report, "token");
    assert_eq!(token["status"], "failed", "{report:#}");
    assert_eq!(token["code"], "invalid_grant", "{report:#}");
    assert_eq!(token["detail"], "clock_skew", "{report:#}");
    assert_eq!(
        token["docusign_error"]["error_description"],
        "expired_grant"
    );
    let msg = token["message"].as_str().unwrap();
    assert!(msg.contains("67 minutes behind DocuSign's"), "{msg}");
    assert!(token["fix"]
        .as_str()
        .unwrap()
        .contains("Set time automatically"));
    assert_eq!(
        report["clock_skew_seconds"]
            .as_i64()
            .map(|s| (s - 4000).abs() <= 2),
        Some(true),
        "{report:#}"
    );
    let behind = &token["with_docusign_time"];
    assert_eq!(behind["step"], "token", "{report:#}");
    assert_eq!(behind["status"], "failed", "{report:#}");
    assert_eq!(behind["code"], "consent_required", "{report:#}");
    let url = report["consent_url"].as_str().expect("consent_url");
    assert!(url.contains("/oauth/auth?"), "{url}");
    assert_eq!(behind["suggested_value"], url);
    assert_eq!(step(&report, "userinfo")["status"], "skipped");
    // Text output: the clock first, then what is behind it.
    let mut cmd = dsjwt_without_env();
    cmd.arg("check");
    for (k, v) in sb.default_flags() {
        cmd.arg(k).arg(v);
    }
    let out = cmd.output().expect("check");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let clock_at = text
        .find("[invalid_grant / clock_skew]")
        .expect("clock line");
    let consent_at = text
        .find("with DocuSign's time: ✗ [consent_required]")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(clock_at < consent_at, "{text}");

    // Behind the clock, consent is missing: not healthy.
    assert!(text.contains("Not healthy"), "{text}");
    assert!(!text.contains("Works, with a warning"), "{text}");

    // Consent given: the later steps run; the clock alone still fails the check.
    let resp = sb.consent_through_page("allow");
    assert!(resp.status().is_redirection(), "{}", resp.status());
    let (code, report) = sb.check(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["ok"], false);
    let token = step(&report, "token");
    assert_eq!(token["detail"], "clock_skew", "{report:#}");
    assert_eq!(
        token["with_docusign_time"]["status"], "passed",
        "{report:#}"
    );
    for later in ["userinfo", "account", "base_uri"] {
        assert_eq!(
            step(&report, later)["status"],
            "passed",
            "{later}: {report:#}"
        );
    }
    assert_eq!(failure(&report)["step"], "token");
    assert!(report.get("consent_url").is_none(), "{report:#}");
    // One verdict a user can trust: the Studio's calls work, so the text verdict is a warning
    // naming the gap (the exit code stays 1: other programs using this key are refused).
    let mut cmd = dsjwt_without_env();
    cmd.arg("check");
    for (k, v) in sb.default_flags() {
        cmd.arg(k).arg(v);
    }
    let out = cmd.output().expect("check");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Works, with a warning. This computer's clock is 67 minutes behind DocuSign's. The Studio signs its requests with DocuSign's time"),
        "{text}"
    );
    assert!(!text.contains("Not healthy"), "{text}");

    // The clock set right: healthy, nothing about the clock.
    sb.admin("POST", "clock", json!({"offset_seconds": 0}));
    let (code, report) = sb.check(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(step(&report, "token").get("with_docusign_time").is_none());
    assert!(report.get("clock_skew_seconds").is_none());
}

const COMPLETED_NDA: &str = "e1a0c001-0000-4000-8000-000000000004";

fn rest_calls(sb: &Sandbox) -> usize {
    sb.admin("GET", "requests?path_prefix=/restapi", json!({}))
        .as_array()
        .map_or(0, Vec::len)
}

/// A 101-character email subject never reaches DocuSign: exit 2 before any call, naming the
/// limit. The emulator refuses it too, like DocuSign.
#[test]
fn subject_over_100_characters_refused_before_any_call() {
    let sb = Sandbox::start(true);
    let subject = "S".repeat(101);
    let before = rest_calls(&sb);
    let (code, v) = sb.run_json(&[
        "action",
        "send-envelope-from-template",
        NDA,
        "--role",
        "Signer 1=Ada Lovelace <ada@example.com>",
        "--subject",
        &subject,
    ]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(v["code"], "validation", "{v:#}");
    let problem = &v["problems"][0];
    assert_eq!(problem["code"], "subject_too_long", "{v:#}");
    let msg = problem["message"].as_str().unwrap();
    assert!(
        msg.contains("101 characters") && msg.contains("at most 100"),
        "{msg}"
    );
    assert_eq!(rest_calls(&sb), before, "no call may be made");
    // Merge fields count as what they become: 90 + "Ada Lovelace" (12) = 102.
    let merged = format!("{}[[Signer 1_UserName]]", "m".repeat(90));
    let (code, v) = sb.run_json(&[
        "action",
        "send-envelope-from-template",
        NDA,
        "--role",
        "Signer 1=Ada Lovelace <ada@example.com>",
        "--subject",
        &merged,
    ]);
    assert_eq!(code, 2, "{v:#}");
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("102 characters"),
        "{v:#}"
    );
    // A 101-character name, and a 10,001-character message: refused the same way.
    let (code, v) = sb.run_json(&[
        "action",
        "send-envelope-from-template",
        NDA,
        "--role",
        &format!("Signer 1={} <ada@example.com>", "n".repeat(101)),
        "--message",
        &"b".repeat(10_001),
    ]);
    assert_eq!(code, 2, "{v:#}");
    let codes: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["message_too_long", "name_too_long"], "{v:#}");
    assert_eq!(rest_calls(&sb), before, "no call may be made");
    // Exactly 100 is sent, and accepted.
    let (code, v) = sb.run_json(&[
        "action",
        "send-envelope-from-template",
        NDA,
        "--role",
        "Signer 1=Ada Lovelace <ada@example.com>",
        "--subject",
        &"S".repeat(100),
    ]);
    assert_eq!(code, 0, "{v:#}");
}

/// An access token for the default world, for calls our client would never make.
fn raw_bearer(sb: &Sandbox) -> String {
    let pem = std::fs::read(sb.s("private_key")).unwrap();
    let key = docusign_api::key::load_private_key_bytes(&pem).unwrap().key;
    let auth = docusign_api::environment::AuthServer::parse(&sb.url()).unwrap();
    let claims = docusign_api::assertion::Claims::new(
        &sb.s("integration_key"),
        &sb.s("user_id"),
        &auth,
        std::time::SystemTime::now(),
    );
    let jwt = docusign_api::assertion::sign(&key, claims).unwrap();
    let token: serde_json::Value = sb
        .http()
        .post(format!("{}/oauth/token", sb.url()))
        .form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", jwt.secret()),
        ])
        .send()
        .unwrap()
        .json()
        .unwrap();
    token["access_token"].as_str().unwrap().to_string()
}

/// `POST …/envelopes` as another app would send it.
fn raw_send(sb: &Sandbox, body: serde_json::Value) -> reqwest::blocking::Response {
    let url = format!(
        "{}/restapi/v2.1/accounts/{}/envelopes",
        sb.url(),
        sb.s("account_id")
    );
    sb.http()
        .post(url)
        .bearer_auth(raw_bearer(sb))
        .json(&body)
        .send()
        .unwrap()
}

/// The emulator itself refuses an over-long subject (what DocuSign does), so a client that
/// skipped the check could not pass against it.
#[test]
fn subject_over_100_characters_refused_by_the_emulator() {
    let sb = Sandbox::start(true);
    let role = json!([{"roleName": "Signer 1", "name": "Ada", "email": "ada@example.com"}]);
    let r = raw_send(
        &sb,
        json!({"templateId": NDA, "status": "sent", "emailSubject": "S".repeat(101), "templateRoles": role}),
    );
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().unwrap();
    assert_eq!(body["errorCode"], "INVALID_REQUEST_PARAMETER");
    assert!(
        body["message"].as_str().unwrap().contains("maximum is 100"),
        "{body}"
    );
    let r = raw_send(
        &sb,
        json!({"templateId": NDA, "status": "sent", "emailSubject": "S".repeat(100), "templateRoles": role}),
    );
    assert_eq!(r.status(), 201);
}

/// F42: the app never sends clientUserId; a recipient that has one (sent by another app) is
/// shown as an embedded signer who gets no email.
#[test]
fn f42_embedded_recipient_shown_and_never_sent() {
    let sb = Sandbox::start(true);
    let r = raw_send(
        &sb,
        json!({"templateId": NDA, "status": "sent", "templateRoles": [
            {"roleName": "Signer 1", "name": "Ada Lovelace", "email": "ada@example.com", "clientUserId": "1001"}]}),
    );
    assert_eq!(r.status(), 201);
    let other: serde_json::Value = r.json().unwrap();
    let id = other["envelopeId"].as_str().unwrap().to_string();
    let (code, v) = sb.run_json(&["action", "get-recipient-status", &id]);
    assert_eq!(code, 0, "{v:#}");
    let ada = v["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Ada Lovelace")
        .unwrap();
    assert_eq!(ada["client_user_id"], "1001");
    assert_eq!(ada["embedded"], true);
    assert_eq!(ada["delivery"], "embedded: DocuSign sends no email");
    let note = v["notes"][0].as_str().unwrap();
    assert!(
        note.contains("Ada Lovelace is an embedded signer") && note.contains("no email"),
        "{note}"
    );

    // Our own send: no clientUserId, so every recipient is emailed.
    let id = sb.send_nda(&[]);
    let (_, r) = sb.run_json(&["action", "get-recipient-status", &id]);
    for x in r["recipients"].as_array().unwrap() {
        assert_eq!(x["embedded"], false, "{x:#}");
        assert!(x["client_user_id"].is_null(), "{x:#}");
        assert_eq!(x["delivery"], "email");
    }
    assert_eq!(r["notes"], json!([]));
}

/// A document named `Contrat signé.pdf` (UTF-8 bytes in DocuSign's header) downloads to a
/// folder under that name; a `;` inside the quoted name is part of it; a Windows device name is
/// made safe; the answer says where the file went.
#[test]
fn utf8_document_name_downloads_under_its_name() {
    let sb = Sandbox::start(true);
    let acc = sb.s("account_id");
    let add = |name: &str| {
        sb.admin(
            "POST",
            &format!("accounts/{acc}/envelopes/{COMPLETED_NDA}/documents"),
            json!({"size_bytes": 4000, "name": name}),
        )["document_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    // Added before the first download: the envelope's document list is kept 15 minutes to
    // check document numbers (a sent envelope's documents do not change at DocuSign).
    let docs: Vec<(String, &str, &str)> = [
        ("Contrat signé.pdf", "Contrat signé.pdf"),
        ("Offer; final=yes.pdf", "Offer; final=yes.pdf"),
        ("CON.pdf", "_CON.pdf"),
    ]
    .into_iter()
    .map(|(name, expected)| (add(name), name, expected))
    .collect();
    for (doc, name, expected) in docs {
        let out_run = sb.run(&[
            "action",
            "download-document",
            COMPLETED_NDA,
            &doc,
            "--out",
            &out,
        ]);
        let stdout = String::from_utf8_lossy(&out_run.stdout);
        let stderr = String::from_utf8_lossy(&out_run.stderr);
        assert_eq!(out_run.status.code(), Some(0), "{stdout} / {stderr}");
        let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        let want = dir.path().join(expected);
        assert_eq!(v["path"], want.display().to_string(), "{v:#}");
        assert_eq!(v["filename"], name, "{v:#}");
        assert!(want.is_file());
        assert!(
            stderr.contains(&format!("saved to {}", want.display())),
            "{stderr}"
        );
        let head = std::fs::read(&want).unwrap();
        assert!(head.starts_with(b"%PDF-"));
    }
}

/// F45: `combined` always carries `certificate=true|false` from an explicit choice, so the
/// account's "attach certificate" setting does not decide what the file holds.
#[test]
fn f45_combined_always_sends_the_certificate_choice() {
    let sb = Sandbox::start(true);
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("with.pdf").display().to_string();
    let without = dir.path().join("without.pdf").display().to_string();
    let (code, v) = sb.run_json(&[
        "action",
        "download-document",
        COMPLETED_NDA,
        "combined",
        "--out",
        &with,
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["certificate_included"], true);
    assert!(
        v["contains"]
            .as_str()
            .unwrap()
            .contains("followed by the certificate"),
        "{v:#}"
    );
    let (code, v) = sb.run_json(&[
        "action",
        "download-document",
        COMPLETED_NDA,
        "combined",
        "--certificate",
        "false",
        "--out",
        &without,
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["certificate_included"], false);
    assert!(
        v["contains"]
            .as_str()
            .unwrap()
            .contains("without the certificate"),
        "{v:#}"
    );
    let has_cert = |p: &str| {
        let b = std::fs::read(p).unwrap();
        String::from_utf8_lossy(&b).contains("Certificate Of Completion")
    };
    assert!(has_cert(&with));
    assert!(!has_cert(&without));
    // Both requests named the choice (never left to the account setting).
    let log = sb.admin("GET", "requests?path_prefix=/restapi", json!({}));
    let queries: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .unwrap_or("")
                .ends_with("/documents/combined")
        })
        .map(|r| r["query"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(queries, ["certificate=true", "certificate=false"]);
    // The help states the default.
    let help = dsjwt()
        .args(["action", "download-document", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--certificate") && help.contains("[default: true]"),
        "{help}"
    );
}

/// `dsjwt watch KIND --once`: the events of one poll, one JSON object per line.
fn watch_once(sb: &Sandbox, kind: &str) -> Vec<serde_json::Value> {
    let out = sb.run(&["watch", kind, "--once", "--interval", "1"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout} / {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// F49: poll 1 sees an envelope `sent`; both signers complete in the same interval (no
/// `delivered` ever seen); poll 2 reports the envelope's `completed` and both recipients'
/// completions; poll 3 (overlapping window) reports nothing again.
#[test]
fn f49_collapsed_transitions_and_several_completions_in_one_interval() {
    let sb = Sandbox::start(true);
    let env = sb.send_nda(&[]);
    let mine = |evs: &[serde_json::Value]| -> Vec<serde_json::Value> {
        evs.iter()
            .filter(|e| e["envelope_id"] == env.as_str())
            .cloned()
            .collect()
    };
    let status1 = mine(&watch_once(&sb, "envelope-status"));
    assert_eq!(status1.len(), 1, "{status1:#?}");
    assert_eq!(status1[0]["status"], "sent");
    assert!(mine(&watch_once(&sb, "recipient-completed")).is_empty());

    // 15 minutes later both signers have signed, one after the other, between two polls.
    sb.admin("POST", "clock", json!({"advance_seconds": 300}));
    sb.move_recipient(&env, "1", "sign", json!({}));
    sb.admin("POST", "clock", json!({"advance_seconds": 300}));
    let done = sb.move_recipient(&env, "2", "sign", json!({}));
    assert_eq!(done["status"], "completed", "{done:#}");
    sb.admin("POST", "clock", json!({"advance_seconds": 300}));

    let status2 = mine(&watch_once(&sb, "envelope-status"));
    assert_eq!(status2.len(), 1, "{status2:#?}");
    assert_eq!(status2[0]["status"], "completed");
    assert_ne!(status2[0]["event_id"], status1[0]["event_id"]);
    let rec2 = mine(&watch_once(&sb, "recipient-completed"));
    let mut who: Vec<String> = rec2
        .iter()
        .map(|e| e["recipient"]["recipient_id"].as_str().unwrap().to_string())
        .collect();
    who.sort();
    assert_eq!(who, ["1", "2"], "{rec2:#?}");
    for e in &rec2 {
        assert!(e["recipient"]["completed_at"].is_string(), "{e:#}");
    }

    // The next poll overlaps the last one by 3 minutes: nothing is reported twice.
    sb.admin("POST", "clock", json!({"advance_seconds": 60}));
    assert!(mine(&watch_once(&sb, "envelope-status")).is_empty());
    assert!(mine(&watch_once(&sb, "recipient-completed")).is_empty());
}

/// F47: templates are not copied at Go-Live. A connection to an account that lacks the demo
/// template (standing for production) is told why before it sends, and a trigger filtered on
/// the demo template is not armed.
#[test]
fn f47_demo_template_on_production_account_is_explained() {
    let key = other_key();
    let (ik, user, demo, prod) = (guid(), guid(), guid(), guid());
    let (demo_tpl, prod_tpl) = (guid(), guid());
    let template = |id: &str, name: &str| {
        json!({"template_id": id, "name": name, "documents": [{"document_id": "1", "name": "NDA.pdf"}],
               "roles": [{"role_name": "Signer 1", "routing_order": 1}]})
    };
    let world = json!({
        "integration_keys": [{"integration_key": ik, "name": "App", "public_keys": [key.public_key_pem()], "redirect_uris": ["https://localhost/callback"]}],
        "users": [{"user_id": user, "name": "Pat", "email": "pat@example.com", "accounts": [
            {"account_id": demo, "account_name": "Demo", "is_default": true, "base_uri": "self"},
            {"account_id": prod, "account_name": "Production", "is_default": false, "base_uri": "self"}]}],
        "consents": [{"user_id": user, "integration_key": ik}],
        "esignature": {
            demo.clone(): {"templates": [template(&demo_tpl, "NDA (demo)")]},
            prod.clone(): {"templates": [template(&prod_tpl, "NDA (production)")]}
        }
    });
    let sb = Sandbox::start_world(&world);
    let keyfile = write_temp(sb.dir.path(), "k.pem", &key.to_pkcs1_pem());
    let state = sb.dir.path().join("state").display().to_string();
    let run = |args: &[&str]| {
        let mut cmd = dsjwt_without_env();
        cmd.args(args);
        for (k, v) in sb.world_flags(&ik, &user, &prod, &keyfile, &sb.url()) {
            cmd.arg(k).arg(v);
        }
        cmd.args(["--data-dir", &state]);
        cmd.output().unwrap()
    };
    let out = run(&[
        "action",
        "send-envelope-from-template",
        &demo_tpl,
        "--role",
        "Signer 1=Ada Lovelace <ada@example.com>",
    ]);
    // Looked up in the production account's template list first: refused before the send,
    // naming the templates it has (no TEMPLATE_ID_INVALID in the Go-Live streak).
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "template_not_in_account", "{v:#}");
    assert_eq!(v["errorCode"], serde_json::Value::Null, "{v:#}");
    assert_eq!(
        v["message"],
        format!("The template ID \"{demo_tpl}\" is not one of this account's templates. This account's template: \"NDA (production)\" ({prod_tpl}).")
    );
    let fix = v["fix"].as_str().unwrap();
    assert!(fix.contains("not copied at Go-Live"), "{fix}");

    let out = run(&[
        "watch",
        "envelope-status",
        "--once",
        "--interval",
        "1",
        "--template-id",
        &demo_tpl,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["code"], "template_not_in_account", "{v:#}");
    assert!(
        v["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("not copied at Go-Live"),
        "{v:#}"
    );
    // No call failed: nothing in the Go-Live ledger resets the streak.
    let g = run(&["golive", "--json"]);
    let g: serde_json::Value = serde_json::from_slice(&g.stdout).unwrap_or_default();
    assert!(
        g["recent"]
            .as_array()
            .is_some_and(|r| r.iter().all(|c| c["status"].as_u64().unwrap_or(0) < 400)),
        "{g:#}"
    );

    // The production template works for both.
    let out = run(&[
        "watch",
        "envelope-status",
        "--once",
        "--interval",
        "1",
        "--template-id",
        &prod_tpl,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "action",
        "send-envelope-from-template",
        &prod_tpl,
        "--role",
        "Signer 1=Ada Lovelace <ada@example.com>",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
