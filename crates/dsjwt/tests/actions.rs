//! The nine actions, the Go-Live ledger and the two triggers, through the
//! real `dsjwt` against the real emulator over HTTPS (issue 3), with the field
//! cases of kinds GL, RL, ACT and POLL.

mod common;
use common::*;
use serde_json::json;

const OFFER: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b02";

/// [`Sandbox::send_nda`] with two of Signer 1's fields filled in and this subject.
fn send_nda(sb: &Sandbox, subject: &str) -> String {
    sb.send_nda(&[
        "--tab",
        "Signer 1:CustomerAddress=1 Analytical Way",
        "--tab",
        "Signer 1:Amount=1200",
        "--subject",
        subject,
    ])
}

#[test]
fn templates_and_roles() {
    let sb = Sandbox::start(true);
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
    let names: Vec<&str> = v["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Mutual NDA") && names.contains(&"Offer Letter"),
        "{names:?}"
    );
    let (code, v) = sb.run_json(&["action", "get-template-roles", NDA]);
    assert_eq!(code, 0, "{v:#}");
    let roles = v["roles"].as_array().unwrap();
    let signer = roles
        .iter()
        .find(|r| r["role_name"] == "Signer 1")
        .expect("Signer 1");
    assert_eq!(signer["fixed"], false);
    assert!(signer["tabs"].to_string().contains("CustomerAddress"));
    assert_eq!(
        roles
            .iter()
            .find(|r| r["role_name"] == "Company Signer")
            .unwrap()["fixed"],
        true
    );
}

/// Send → recipients → sign (sandbox control) → tab values → download the
/// combined PDF, the archive and the certificate.
#[test]
fn send_sign_read_and_download() {
    let sb = Sandbox::start(true);
    let id = send_nda(&sb, "NDA for Ada");
    let (code, v) = sb.run_json(&["action", "get-envelope", &id]);
    assert_eq!(code, 0);
    assert_eq!(v["envelope"]["status"], "sent");
    assert!(
        v["envelope"]["customFields"].to_string().contains(NDA),
        "the template ID is recorded on the envelope: {v:#}"
    );

    let (_, v) = sb.run_json(&["action", "get-recipient-status", &id]);
    let signer = v["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role_name"] == "Signer 1")
        .unwrap()
        .clone();
    assert_eq!(signer["status"], "sent");
    assert_eq!(signer["name"], "Ada Lovelace");

    sb.move_recipient(&id, "1", "sign", json!({"tabs": {"AgreeTerms": true}}));
    sb.move_recipient(&id, "2", "sign", json!({}));
    let (_, v) = sb.run_json(&["action", "get-envelope", &id]);
    assert_eq!(v["envelope"]["status"], "completed");

    let (code, v) = sb.run_json(&["action", "get-tab-values", &id, "--recipient-id", "1"]);
    assert_eq!(code, 0, "{v:#}");
    let text = v.to_string();
    assert!(
        text.contains("1 Analytical Way") && text.contains("1200"),
        "{text}"
    );
    assert!(
        text.contains("numberTabs") && text.contains("checkboxTabs"),
        "every tab collection is kept: {text}"
    );

    for (doc, magic) in [
        ("combined", &b"%PDF-"[..]),
        ("certificate", b"%PDF-"),
        ("1", b"%PDF-"),
        ("archive", b"PK\x03\x04"),
    ] {
        let out = sb.dir.path().join(format!("doc-{doc}"));
        let (code, v) = sb.run_json(&[
            "action",
            "download-document",
            &id,
            doc,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{doc}: {v:#}");
        let bytes = std::fs::read(&out).unwrap();
        assert!(
            bytes.starts_with(magic),
            "{doc} starts with {:?}",
            &bytes[..8.min(bytes.len())]
        );
        assert_eq!(v["bytes"].as_u64().unwrap(), bytes.len() as u64);
    }
}

/// F34: a role name that differs in case/spaces is refused before sending, with a suggestion.
#[test]
fn f34_role_mismatch_is_refused_with_suggestion() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    let (code, v) = sb.run_json(&[
        "action",
        "send-envelope-from-template",
        NDA,
        "--role",
        "signer1=Ada <ada@example.com>",
    ]);
    assert_eq!(code, 2, "an input problem, caught before sending: {v:#}");
    assert_eq!(v["code"], "validation");
    assert!(v["message"].as_str().unwrap().contains("Signer 1"), "{v:#}");
    let log = sb.admin("GET", "requests", json!({}));
    assert!(
        !log.to_string().contains("\"POST\",\"path\":\"/restapi"),
        "nothing was sent"
    );
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .all(|e| !(e["method"] == "POST" && e["path"].as_str().unwrap().ends_with("/envelopes"))));
}

/// F35: a tab label in the wrong case is refused before sending.
#[test]
fn f35_tab_label_mismatch_is_refused() {
    let sb = Sandbox::start(true);
    let (code, v) = sb.run_json(&[
        "action",
        "send-envelope-from-template",
        NDA,
        "--role",
        "Signer 1=Ada <ada@example.com>",
        "--tab",
        "Signer 1:customeraddress=x",
    ]);
    assert_eq!(code, 2);
    assert!(
        v["fix"].as_str().unwrap().contains("CustomerAddress"),
        "the fix names the right label: {v:#}"
    );
    assert!(
        v["message"].as_str().unwrap().contains("CustomerAddress"),
        "{v:#}"
    );
}

/// Void: a sent envelope is voided; a completed one is refused with the reason.
#[test]
fn void_rules() {
    let sb = Sandbox::start(true);
    let id = send_nda(&sb, "to void");
    let (code, v) = sb.run_json(&[
        "action",
        "void-envelope",
        &id,
        "--reason",
        "Sent by mistake",
    ]);
    assert_eq!(code, 0, "{v:#}");
    let (_, v) = sb.run_json(&["action", "get-envelope", &id]);
    assert_eq!(v["envelope"]["status"], "voided");
    let (code, v) = sb.run_json(&["action", "void-envelope", &id, "--reason", "again"]);
    assert_eq!(
        code, 2,
        "voiding a voided envelope is refused before any PUT"
    );
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("voided"),
        "{v:#}"
    );
    let out = sb.run(&["action", "void-envelope", &id]);
    assert_eq!(out.status.code(), Some(2), "--reason is required");
}

/// An envelope that does not exist: DocuSign's errorCode in the JSON, exit 1.
#[test]
fn missing_envelope_gives_error_code() {
    let sb = Sandbox::start(true);
    let (code, v) = sb.run_json(&["action", "get-envelope", &guid()]);
    assert_eq!(code, 1);
    assert_eq!(v["errorCode"], "ENVELOPE_DOES_NOT_EXIST");
}

/// F32 + F30: 250 envelopes → every page followed; from_date always sent.
#[test]
fn f32_paging_past_one_page_and_f30_from_date() {
    let sb = Sandbox::start(true);
    sb.admin(
        "POST",
        &format!("accounts/{}/envelopes/bulk", sb.s("account_id")),
        json!({"count": 250, "status": "sent"}),
    );
    sb.admin("DELETE", "requests", json!({}));
    let (code, v) = sb.run_json(&["action", "list-envelopes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(v["count"].as_u64().unwrap() >= 250, "{}", v["count"]);
    assert!(v["pages"].as_u64().unwrap() >= 3);
    let log = sb.admin("GET", "requests?path_prefix=/restapi", json!({}));
    let lists: Vec<&serde_json::Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"].as_str().unwrap().ends_with("/envelopes"))
        .collect();
    assert!(lists.len() >= 3);
    assert!(
        lists
            .iter()
            .all(|e| e["query"].as_str().unwrap_or("").contains("from_date=")),
        "{lists:?}"
    );
}

/// Issue 14: the listing is written page by page. The default output is still one JSON
/// document with the same fields; `--jsonl` gives one envelope per line, the same envelopes.
/// A page refused part way ends the document with `"ok": false` and DocuSign's words after
/// the envelopes read so far (exit 1); in JSON Lines the failure is the last line.
#[test]
fn list_envelopes_streams_a_document_or_json_lines() {
    let sb = Sandbox::start(true);
    sb.admin(
        "POST",
        &format!("accounts/{}/envelopes/bulk", sb.s("account_id")),
        json!({"count": 250, "status": "sent"}),
    );
    let (code, doc) = sb.run_json(&["action", "list-envelopes", "--status", "sent"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["action"], "list_envelopes");
    let n = doc["count"].as_u64().unwrap();
    assert!(n >= 250, "{n}");
    assert_eq!(doc["envelopes"].as_array().unwrap().len() as u64, n);
    assert!(doc["pages"].as_u64().unwrap() >= 3);
    for field in [
        "total_set_size",
        "from_date",
        "last_queried_date_time",
        "visibility",
        "user_filter",
        "delivery_problems",
    ] {
        assert!(doc.get(field).is_some(), "{field} missing");
    }
    let out = sb.run(&["action", "list-envelopes", "--status", "sent", "--jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one envelope per line"))
        .collect();
    assert_eq!(lines.len() as u64, n);
    let ids = |v: &[serde_json::Value]| {
        v.iter()
            .map(|e| e["envelopeId"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&lines), ids(doc["envelopes"].as_array().unwrap()));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{n} envelopes in")));

    // Two calls allowed this hour: pages 1 and 2 are written, page 3 is refused.
    sb.clear_of_the_hour();
    sb.admin(
        "POST",
        "limits",
        json!({"hourly": 2, "reset_counters": true}),
    );
    let (code, v) = sb.run_json(&["action", "list-envelopes", "--status", "sent"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["ok"], false);
    let mut head = v.clone();
    head["envelopes"] = json!(null);
    assert_eq!(v["code"], "rate_limited", "{head:#}");
    assert_eq!(v["pages"], 2);
    assert_eq!(v["count"], 200);
    assert_eq!(v["envelopes"].as_array().unwrap().len(), 200);
    sb.admin(
        "POST",
        "limits",
        json!({"hourly": 2, "reset_counters": true}),
    );
    let out = sb.run(&["action", "list-envelopes", "--status", "sent", "--jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 201);
    let last: serde_json::Value = serde_json::from_str(lines[200]).unwrap();
    assert_eq!(last["ok"], false);
    assert_eq!(last["code"], "rate_limited", "{last:#}");
}

/// RL: a 429 with reset headers on a read is waited out, not failed.
#[test]
fn rl_429_with_reset_headers_is_waited_out() {
    let sb = Sandbox::start(true);
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 2;
    sb.admin(
        "POST",
        "faults",
        json!({"count": 1, "status": 429, "path_prefix": "/restapi", "headers": {"X-RateLimit-Reset": reset.to_string(), "X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "3000"},
               "body": {"errorCode": "HOURLY_APIINVOCATION_LIMIT_EXCEEDED", "message": "The maximum number of hourly API invocations has been exceeded."}}),
    );
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
}

/// F29: over the hourly limit with a reset far away: a clear error with the reset time, no hammering.
#[test]
fn f29_hourly_limit_reports_reset() {
    let sb = Sandbox::start(true);
    // Seen failing when a run crossed the top of the hour, where the counter resets.
    sb.clear_of_the_hour();
    sb.admin(
        "POST",
        "limits",
        json!({"hourly": 2, "reset_counters": true}),
    );
    sb.run_json(&["action", "list-templates"]);
    sb.run_json(&["action", "list-templates"]);
    sb.admin("DELETE", "requests", json!({}));
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["errorCode"], "HOURLY_APIINVOCATION_LIMIT_EXCEEDED");
    let calls = sb
        .admin("GET", "requests?path_prefix=/restapi", json!({}))
        .as_array()
        .unwrap()
        .len();
    assert!(calls <= 1, "no blind retries: {calls} calls");
}

/// TOKLIFE (F17): the first REST call answers 401 (token died early): the
/// client re-mints once and retries with the new token.
#[test]
fn expired_token_is_reminted_once() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    sb.admin("POST", "faults", json!({"count": 1, "status": 401, "path_prefix": "/restapi", "body": {"errorCode": "USER_AUTHENTICATION_FAILED", "message": "One or both of Username and Password are invalid. Invalid access token"}}));
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
    let tokens = sb
        .admin("GET", "requests?path_prefix=/oauth/token", json!({}))
        .as_array()
        .unwrap()
        .len();
    assert_eq!(tokens, 2, "one re-mint after the 401");
}

/// GL (F26): only eSignature calls count; an error resets; the warm-up reaches 20.
#[test]
fn f26_golive_streak_and_warm_up() {
    let sb = Sandbox::start(true);
    let (code, _) = sb.check(&[(
        "--data-dir",
        &sb.dir.path().join("state").display().to_string(),
    )]);
    assert_eq!(code, 0);
    let (_, v) = sb.run_json(&["golive", "--json"]);
    assert_eq!(
        v["streak"], 0,
        "token and userinfo calls do not count: {v:#}"
    );
    assert_eq!(v["required"], 20);
    assert!(v["recent"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["kind"] == "token" && c["verdict"] == "not_counted"));

    sb.run_json(&["action", "list-templates"]);
    sb.run_json(&["action", "get-envelope", &guid()]);
    sb.run_json(&["action", "list-templates"]);
    let (_, v) = sb.run_json(&["golive", "--json"]);
    assert_eq!(v["streak"], 1);
    assert_eq!(v["broken_by"]["error_code"], "ENVELOPE_DOES_NOT_EXIST");
    assert_eq!(v["ready"], false);

    let out = sb.run(&["golive", "--warm-up", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{v:#} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(v["streak"].as_u64().unwrap() >= 20);
    assert_eq!(v["ready"], true);
    assert!(
        v["violations"].as_array().unwrap().is_empty(),
        "the warm-up never breaks the polling rule"
    );
}

/// F27: the same envelope endpoint fetched twice within 15 minutes is flagged.
#[test]
fn f27_polling_violation_is_flagged() {
    let sb = Sandbox::start(true);
    let id = send_nda(&sb, "poll me");
    sb.run_json(&["action", "get-recipient-status", &id]);
    sb.run_json(&["action", "get-recipient-status", &id]);
    let (_, v) = sb.run_json(&["golive", "--json"]);
    let violations = v["violations"].as_array().unwrap();
    assert_eq!(violations.len(), 1, "{v:#}");
    assert!(violations[0]["path"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/envelopes/{id}/recipients")));
}

/// POLL: a template-filtered trigger across a restart (each `--once` is a new
/// process): no event lost, none repeated; both triggers fire on signing.
#[test]
fn triggers_template_filter_across_restart() {
    let sb = Sandbox::start(true);
    let first = sb.watch_once("envelope-status", Some(NDA));
    assert!(first.iter().all(|e| e["template_id"] == NDA), "{first:#?}");
    assert!(
        sb.watch_once("envelope-status", Some(NDA)).is_empty(),
        "nothing repeated after a restart"
    );

    let id = send_nda(&sb, "watched");
    // An envelope from the other template does not pass the filter.
    let (code, _) = sb.run_json(&[
        "action",
        "send-envelope-from-template",
        OFFER,
        "--role",
        "Candidate=Cy <cy@example.com>",
    ]);
    assert_eq!(code, 0);
    let events = sb.watch_once("envelope-status", Some(NDA));
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0]["envelope_id"], id.as_str());
    assert_eq!(events[0]["status"], "sent");
    assert_eq!(events[0]["trigger"], "on_envelope_status_change");

    let before = sb.watch_once("recipient-completed", Some(NDA));
    assert!(before.iter().all(|e| e["envelope_id"] != id.as_str()));
    sb.move_recipient(&id, "1", "sign", json!({}));
    let done = sb.watch_once("recipient-completed", Some(NDA));
    assert_eq!(done.len(), 1, "{done:#?}");
    assert_eq!(done[0]["recipient"]["recipient_id"], "1");
    assert_eq!(done[0]["recipient"]["name"], "Ada Lovelace");
    let changed = sb.watch_once("envelope-status", Some(NDA));
    assert!(
        changed.iter().any(
            |e| e["envelope_id"] == id.as_str() && e["status"] == "delivered"
                || e["status"] == "sent"
        ),
        "{changed:#?}"
    );
}

/// POLL: against DocuSign the interval is at least 15 minutes (refused before any call).
#[test]
fn watch_interval_minimum_against_docusign() {
    let out = dsjwt()
        .args([
            "watch",
            "envelope-status",
            "--interval",
            "60",
            "--auth-server",
            "demo",
            "--integration-key",
            &guid(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("15 minutes"));
}

/// `watch --once` with nothing new says so in a plain line on stderr ("No new events since
/// …", found by a fresh user: it printed nothing at all), while stdout stays one JSON object
/// per event (none); a poll that printed events does not say it.
#[test]
fn watch_once_says_when_nothing_is_new() {
    let sb = Sandbox::start(true);
    let watch = ["watch", "envelope-status", "--once", "--interval", "1"];
    let id = send_nda(&sb, "seen once");
    let out = sb.run(&watch);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON line per event"))
        .collect();
    assert!(
        events.iter().any(|e| e["envelope_id"] == id.as_str()),
        "{stdout}"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("No new events"));

    // The other trigger's first poll hands out what the world already has; its second, none.
    sb.watch_once("recipient-completed", None);
    for kind in ["envelope-status", "recipient-completed"] {
        let out = sb.run(&["watch", kind, "--once", "--interval", "1"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(
            out.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let line = err
            .lines()
            .find(|l| l.starts_with("dsjwt: No new events since "))
            .unwrap_or_else(|| panic!("{kind}: {err}"));
        assert!(line.ends_with(" UTC."), "{line}");
    }
}

/// F28: a plan or permission-profile refusal is explained as such, not as a
/// key or settings problem.
#[test]
fn f28_permission_refusal_points_to_the_admin() {
    let sb = Sandbox::start(true);
    sb.admin(
        "POST",
        "faults",
        json!({"count": 1, "status": 400, "path_prefix": "/restapi/v2.1/accounts", "body": {"errorCode": "USER_LACKS_PERMISSIONS", "message": "This user lacks sufficient permissions to access this resource. RequestTemplates"}}),
    );
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["errorCode"], "USER_LACKS_PERMISSIONS");
    assert!(
        v["message"].as_str().unwrap().contains("RequestTemplates"),
        "DocuSign's words verbatim: {v:#}"
    );
    let fix = v["fix"].as_str().unwrap();
    assert!(
        fix.contains("admin") && fix.contains("not your key or settings"),
        "{fix}"
    );
}

/// Typos in IDs, dates and statuses are caught locally (exit 2) and never
/// reach DocuSign, so they cannot reset the Go-Live streak.
#[test]
fn typos_are_caught_before_any_call() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    for args in [
        vec![
            "action",
            "get-envelope",
            "e1a0c001-0000-4000-8000-00000000001",
        ],
        vec!["action", "list-envelopes", "--from-date", "yesterday"],
        vec!["action", "list-envelopes", "--from-date", "2026-13-45"],
        vec!["action", "list-envelopes", "--status", "bogus"],
        vec!["action", "list-envelopes", "--folder-id", "nope"],
        vec![
            "action",
            "void-envelope",
            "e1a0c001-0000-4000-8000-000000000002",
            "--reason",
            " ",
        ],
        vec![
            "action",
            "download-document",
            "e1a0c001-0000-4000-8000-000000000002",
            "first",
            "--out",
            "/tmp/x.pdf",
        ],
    ] {
        let (code, v) = sb.run_json(&args);
        assert_eq!(code, 2, "{args:?}: {v:#}");
        assert!(
            v["fix"].as_str().is_some_and(|f| !f.is_empty())
                || v["message"].as_str().unwrap().contains("must be"),
            "{args:?} has a fix: {v:#}"
        );
    }
    assert!(
        sb.admin("GET", "requests", json!({}))
            .as_array()
            .unwrap()
            .is_empty(),
        "no call was made"
    );
    // Braces around a GUID are removed, as in `check`.
    let (code, v) = sb.run_json(&[
        "action",
        "get-envelope",
        "{e1a0c001-0000-4000-8000-000000000002}",
    ]);
    assert_eq!(code, 0, "{v:#}");
}

/// Issue #12 "typos reach DocuSign": a recipient ID of 10,000 characters, in another script,
/// with a control character or `../`, a document ID of 10,000 zeros (once sent as `0`) and an
/// `--out` name too long for any file system (once caught only after the download) all exit 2
/// with a specific message (the value cut, not echoed whole) and no request at all reaches the
/// emulator; well-formed values still work.
#[test]
fn recipient_document_and_out_typos_never_reach_docusign() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    let env = "e1a0c001-0000-4000-8000-000000000002";
    let long = "7".repeat(10_000);
    let zeros = "0".repeat(10_000);
    let letters = "a".repeat(10_000);
    let out_dir = tempfile::tempdir().unwrap();
    let long_name = out_dir
        .path()
        .join(format!("{}.pdf", "n".repeat(300)))
        .display()
        .to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["get-tab-values", env, "--recipient-id", &letters],
            "recipient ID \"aaaa",
        ),
        (
            vec!["get-tab-values", env, "--recipient-id", &long],
            "10000 digits",
        ),
        (
            vec!["get-tab-values", env, "--recipient-id", "受信者"],
            "recipient ID \"受信者\"",
        ),
        (
            vec!["get-tab-values", env, "--recipient-id", "1\u{7}"],
            "recipient ID \"1\\u{7}\"",
        ),
        (
            vec!["get-tab-values", env, "--recipient-id", "1\n2"],
            "recipient ID \"1\\n2\"",
        ),
        (
            vec!["get-tab-values", env, "--recipient-id", "../1"],
            "recipient ID \"../1\"",
        ),
        (
            vec!["get-tab-values", env, "--recipient-id", "0"],
            "start at 1",
        ),
        (
            vec!["download-document", env, &zeros, "--out", "/tmp/x.pdf"],
            "numbered from 1",
        ),
        (
            vec!["download-document", env, "007", "--out", "/tmp/x.pdf"],
            "leading zeros (7)",
        ),
        (
            vec![
                "download-document",
                env,
                "1234567890",
                "--out",
                "/tmp/x.pdf",
            ],
            "at most 9",
        ),
        (
            vec!["download-document", env, "1", "--out", &long_name],
            "304 bytes long",
        ),
    ];
    for (args, expected) in &cases {
        let mut all = vec!["action"];
        all.extend(args.iter().copied());
        let (code, v) = sb.run_json(&all);
        let shown: String = format!("{args:?}").chars().take(120).collect();
        assert_eq!(code, 2, "{shown}: {v:#}");
        assert_eq!(v["code"], "usage", "{shown}: {v:#}");
        let message = v["message"].as_str().unwrap();
        assert!(message.contains(expected), "{shown}: {message}");
        assert!(
            message.chars().count() < 300,
            "{shown}: the value is cut: {message}"
        );
        assert!(
            v["fix"].as_str().is_some_and(|f| !f.is_empty()),
            "{shown}: {v:#}"
        );
    }
    let requests = sb.admin("GET", "requests", json!({}));
    assert_eq!(
        requests.as_array().unwrap().len(),
        0,
        "no request at all: {requests}"
    );
    assert_eq!(
        std::fs::read_dir(out_dir.path()).unwrap().count(),
        0,
        "nothing written"
    );

    // Well-formed values: a recipient number (spaces trimmed) and a document number.
    let (code, v) = sb.run_json(&["action", "get-tab-values", env, "--recipient-id", " 1 "]);
    assert_eq!(code, 0, "{v:#}");
    let out = out_dir.path().join("doc.pdf");
    let (code, v) = sb.run_json(&[
        "action",
        "download-document",
        env,
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
}

/// A download into a folder nobody can write to (even root: /proc) fails
/// before the call, so no call is wasted and no retry looks like polling.
#[test]
fn unwritable_download_folder_fails_before_the_call() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    let (code, v) = sb.run_json(&[
        "action",
        "download-document",
        "e1a0c001-0000-4000-8000-000000000004",
        "combined",
        "--out",
        "/proc/x.pdf",
    ]);
    assert_eq!(code, 2, "{v:#}");
    assert!(v["fix"].as_str().unwrap().contains("folder"), "{v:#}");
    let docs = sb.admin("GET", "requests?path_prefix=/restapi", json!({}));
    assert!(
        docs.as_array()
            .unwrap()
            .iter()
            .all(|e| !e["path"].as_str().unwrap().contains("/documents")),
        "no download call: {docs}"
    );
}

/// The kept tokens in the OS keyring, as `secret-tool` (libsecret, outside our code) finds
/// them: (keyring user, secret) for every `token:` entry whose user mentions `host`.
fn kept_tokens(host: &str) -> Vec<(String, String)> {
    let out = std::process::Command::new("secret-tool")
        .args(["search", "--all", "service", "dev.dsjwt.studio"])
        .output()
        .expect("secret-tool (apt install libsecret-tools; run under scripts/with-keyring.sh)");
    // secret-tool prints each item's secret on stdout and its attributes on stderr, items
    // in the same order.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let secrets = stdout.lines().filter_map(|l| l.strip_prefix("secret = "));
    let users = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("attribute.username = "));
    let found: Vec<(String, String)> = users
        .zip(secrets)
        .map(|(u, s)| (u.to_string(), s.to_string()))
        .collect();
    let kept: Vec<(String, String)> = found
        .into_iter()
        .filter(|(u, _)| u.starts_with("token:") && u.contains(host))
        .collect();
    if kept.is_empty() {
        eprintln!("secret-tool found no token of {host}: {stderr}");
    }
    kept
}

fn files_contain(dir: &std::path::Path, needle: &str) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            let p = e.path();
            if p.is_dir() {
                files_contain(&p, needle)
            } else {
                std::fs::read(&p)
                    .map(|b| String::from_utf8_lossy(&b).contains(needle))
                    .unwrap_or(false)
            }
        })
}

/// Issue 14: `dsjwt action` keeps the access token in the OS keyring (never in a file) and
/// the next runs reuse it: 5 runs, 1 token request. `--no-token-cache` mints every run;
/// `check` always mints; an early 401 drops the kept token and mints once, and the new token
/// is the one kept. The token never appears in the output or the data folder.
#[test]
fn the_access_token_is_kept_in_the_os_keyring_between_runs() {
    let sb = Sandbox::start(true);
    let host = sb.url().trim_start_matches("https://").to_string();
    sb.admin("DELETE", "requests", json!({}));
    let tokens = || {
        sb.admin("GET", "requests?path_prefix=/oauth/token", json!({}))
            .as_array()
            .unwrap()
            .len()
    };
    let mut printed = String::new();
    for _ in 0..5 {
        let out = sb.run(&["action", "list-templates"]);
        assert_eq!(out.status.code(), Some(0));
        printed.push_str(&String::from_utf8_lossy(&out.stdout));
        printed.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(tokens(), 1, "5 runs, 1 token request");
    let kept = kept_tokens(&host);
    assert_eq!(
        kept.len(),
        1,
        "{:?}",
        kept.iter().map(|k| &k.0).collect::<Vec<_>>()
    );
    let secret: serde_json::Value = serde_json::from_str(&kept[0].1).expect("JSON secret");
    let token = secret["access_token"]
        .as_str()
        .expect("access_token")
        .to_string();
    let expires_at = secret["expires_at"].as_u64().expect("expires_at");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        expires_at > now + 3000 && expires_at <= now + 3600,
        "{expires_at} vs {now}"
    );
    assert!(token.len() > 20);
    assert!(!printed.contains(&token), "the token was printed");
    assert!(
        !files_contain(sb.dir.path(), &token),
        "the token is in a file"
    );

    // --no-token-cache: every run asks for its own token.
    for _ in 0..2 {
        let out = sb.run(&["action", "list-templates", "--no-token-cache"]);
        assert_eq!(out.status.code(), Some(0));
    }
    assert_eq!(tokens(), 3);
    // check always mints (that is what it checks).
    let (code, v) = sb.check(&[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(tokens(), 4);
    // The kept token is refused early: dropped, one new token, and that one kept.
    sb.admin("POST", "faults", json!({"count": 1, "status": 401, "path_prefix": "/restapi", "body": {"errorCode": "USER_AUTHENTICATION_FAILED", "message": "One or both of Username and Password are invalid. Invalid access token"}}));
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(tokens(), 5);
    let kept = kept_tokens(&host);
    assert_eq!(kept.len(), 1);
    assert!(
        !kept[0].1.contains(&token),
        "the refused token was replaced"
    );
    let (code, _) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0);
    assert_eq!(tokens(), 5, "the new token is reused");
}
