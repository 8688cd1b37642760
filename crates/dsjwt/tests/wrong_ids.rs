//! A well-formed but wrong ID (a template the account does not have, a document number or a
//! recipient ID the envelope does not have) is refused before the call DocuSign would refuse:
//! it is looked up in a list DocuSign answers with 200 (one extra successful call), the
//! message names the field, the value and what exists, the exit code is 2, and the Go-Live
//! ledger records no failure. The place to save a download is checked before any call.
//! Real emulator over HTTPS, real keys (the default world's, generated at its start).

mod common;
use common::*;
use serde_json::{json, Value};

/// A well-formed template ID the default world does not have.
const NO_TEMPLATE: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b99";

/// Every `/restapi` request the emulator logged since the last clear.
fn esign_requests(sb: &Sandbox) -> Vec<Value> {
    sb.admin("GET", "requests?path_prefix=/restapi", json!({}))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The requests that DocuSign (the emulator) refused.
fn failed(requests: &[Value]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r["status"].as_u64().unwrap_or(0) >= 400)
        .map(|r| format!("{} {} {}", r["method"], r["path"], r["status"]))
        .collect()
}

/// `(method, path suffix after /accounts/{id})` of each request.
fn calls(requests: &[Value]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap_or_default();
            let tail = path.splitn(6, '/').nth(5).unwrap_or(path);
            format!("{} {}", r["method"].as_str().unwrap_or_default(), tail)
        })
        .collect()
}

/// The Go-Live verdict: no call in the ledger failed, and the streak is `streak`.
fn assert_ledger_clean(sb: &Sandbox, streak: u64) {
    let (_, g) = sb.run_json(&["golive", "--json"]);
    let recent = g["recent"].as_array().cloned().unwrap_or_default();
    let failures: Vec<&Value> = recent
        .iter()
        .filter(|c| c["kind"] == "esignature" && c["status"].as_u64().unwrap_or(0) >= 400)
        .collect();
    assert!(failures.is_empty(), "no failed call in the ledger: {g:#}");
    assert_eq!(g["streak"], streak, "{g:#}");
    assert!(
        g["violations"].as_array().is_some_and(|v| v.is_empty()),
        "{g:#}"
    );
}

#[test]
fn a_template_id_the_account_lacks_is_refused_before_docusign_is_asked_for_it() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    for args in [
        vec![
            "action",
            "send-envelope-from-template",
            NO_TEMPLATE,
            "--role",
            "Signer 1=Ada Lovelace <ada@example.com>",
        ],
        vec!["action", "get-template-roles", NO_TEMPLATE],
    ] {
        let (code, v) = sb.run_json(&args);
        assert_eq!(code, 2, "input refused before the failing call: {v:#}");
        assert_eq!(v["ok"], false);
        assert_eq!(v["code"], "template_not_in_account");
        assert_eq!(v["field"], "template_id");
        assert_eq!(v["errorCode"], Value::Null, "DocuSign was not asked: {v:#}");
        assert_eq!(
            v["message"],
            format!(
                "The template ID \"{NO_TEMPLATE}\" is not one of this account's templates. This account's templates: \"Mutual NDA\" ({NDA}), \"Offer Letter\" (5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b02)."
            )
        );
        assert!(v["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("not copied at Go-Live"));
    }
    let requests = esign_requests(&sb);
    assert_eq!(failed(&requests), Vec::<String>::new());
    assert_eq!(
        calls(&requests),
        vec!["GET templates", "GET templates"],
        "one template list per check, nothing else"
    );
    assert_ledger_clean(&sb, 2);
}

#[test]
fn a_trigger_template_filter_the_account_lacks_is_refused_without_a_failing_call() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    let out = sb.run(&[
        "watch",
        "envelope-status",
        "--once",
        "--interval",
        "1",
        "--template-id",
        NO_TEMPLATE,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["code"], "template_not_in_account", "{v:#}");
    assert!(v["message"]
        .as_str()
        .unwrap_or_default()
        .contains(&format!("\"{NO_TEMPLATE}\"")));
    let requests = esign_requests(&sb);
    assert_eq!(failed(&requests), Vec::<String>::new());
    assert_eq!(
        calls(&requests),
        vec!["GET templates"],
        "the trigger never polled"
    );
    assert_ledger_clean(&sb, 1);
}

#[test]
fn a_document_number_the_envelope_lacks_is_refused_naming_its_documents() {
    let sb = Sandbox::start(true);
    let env = sb.send_nda(&[]);
    sb.admin("DELETE", "requests", json!({}));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let out = dir.path().join("doc.pdf");
    let out_s = out.display().to_string();
    let (code, v) = sb.run_json(&["action", "download-document", &env, "7", "--out", &out_s]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(v["code"], "document_not_in_envelope");
    assert_eq!(v["field"], "document_id");
    assert_eq!(
        v["message"],
        format!("The document ID \"7\" is not a document of envelope {env}, so it was not downloaded. Its documents: 1 \"Mutual NDA.pdf\". The certificate of completion is there too (certificate).")
    );
    assert!(!out.exists(), "nothing written");
    assert_eq!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(99),
        0,
        "no part file left"
    );
    // The same typo again: refused from the kept list (no call), saying how old it is.
    let (code, v) = sb.run_json(&["action", "download-document", &env, "7", "--out", &out_s]);
    assert_eq!(code, 2, "{v:#}");
    let again = v["message"].as_str().unwrap_or_default();
    assert!(
        again.starts_with("The document ID \"7\" is not a document of envelope ")
            && again.contains(" (The envelope's document list as fetched "),
        "{again}"
    );
    // The right number next: the list is not fetched again (kept 15 minutes), so no polling.
    let (code, v) = sb.run_json(&["action", "download-document", &env, "1", "--out", &out_s]);
    assert_eq!(code, 0, "{v:#}");
    assert!(out.exists());
    let requests = esign_requests(&sb);
    assert_eq!(failed(&requests), Vec::<String>::new());
    assert_eq!(
        calls(&requests),
        vec![
            format!("GET envelopes/{env}/documents"),
            format!("GET envelopes/{env}/documents/1"),
        ]
    );
    // The send (template list, template roles, the envelope), the document list and the
    // download: all counted, no violation.
    assert_ledger_clean(&sb, 5);
}

#[test]
fn a_recipient_id_the_envelope_lacks_is_refused_naming_its_recipients() {
    let sb = Sandbox::start(true);
    let env = sb.send_nda(&[]);
    sb.admin("DELETE", "requests", json!({}));
    let (code, v) = sb.run_json(&["action", "get-tab-values", &env, "--recipient-id", "9"]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(v["code"], "recipient_not_in_envelope");
    assert_eq!(v["field"], "recipient_id");
    assert_eq!(
        v["message"],
        format!("The recipient ID \"9\" is not a recipient of envelope {env}. Its recipients: 1 Ada Lovelace (Signer 1), 2 Casey Counsel (Company Signer).")
    );
    // The right one next, from the same (kept) answer: no second fetch.
    let (code, v) = sb.run_json(&[
        "action",
        "get-tab-values",
        &env,
        "--recipient-id",
        "1",
        "--reuse",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["recipients"][0]["recipient_id"], "1");
    let requests = esign_requests(&sb);
    assert_eq!(failed(&requests), Vec::<String>::new());
    assert_eq!(
        calls(&requests),
        vec![format!("GET envelopes/{env}/recipients")]
    );
    // The send's three calls and the recipients.
    assert_ledger_clean(&sb, 4);
}

#[test]
fn a_place_to_save_that_cannot_be_used_is_refused_before_any_call() {
    let sb = Sandbox::start(true);
    let env = sb.send_nda(&[]);
    sb.admin("DELETE", "requests", json!({}));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap_or_else(|e| panic!("write: {e}"));
    let d = dir.path().display();
    let cases: Vec<(String, String)> = vec![
        (
            format!("{d}/missing/doc.pdf"),
            format!("The folder {d}/missing does not exist, so nothing was downloaded."),
        ),
        (
            format!("{d}/missing/"),
            format!("The folder {d}/missing does not exist, so nothing was downloaded."),
        ),
        (
            format!("{d}/notes.txt/doc.pdf"),
            format!("{d}/notes.txt is a file, not a folder, so nothing can be saved in it; nothing was downloaded."),
        ),
        (
            // A folder no one may write to, even root.
            "/proc/doc.pdf".to_string(),
            "The folder /proc cannot be written to (this computer does not allow writing to it), so nothing was downloaded.".to_string(),
        ),
    ];
    for (out, message) in cases {
        let (code, v) = sb.run_json(&["action", "download-document", &env, "1", "--out", &out]);
        assert_eq!(code, 2, "{out}: {v:#}");
        assert_eq!(v["code"], "download_destination", "{v:#}");
        assert_eq!(v["field"], "out");
        assert_eq!(v["message"], message);
    }
    assert_eq!(esign_requests(&sb), Vec::<Value>::new(), "no call at all");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("notes.txt")],
        "nothing written"
    );
}

#[test]
fn docusign_s_refusal_is_in_plain_words_with_the_raw_line_only_in_details() {
    let sb = Sandbox::start(true);
    // A well-formed envelope ID the account lacks: no list tells an unknown envelope ID apart
    // without an error, so this one reaches DocuSign (exit 1).
    let (code, v) = sb.run_json(&["action", "get-envelope", &guid()]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["errorCode"], "ENVELOPE_DOES_NOT_EXIST");
    let message = v["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("DocuSign refused to give the envelope: "),
        "{message}"
    );
    for raw in ["/restapi", "GET ", "HTTP", "ENVELOPE_DOES_NOT_EXIST", " — "] {
        assert!(!message.contains(raw), "{raw:?} in the message: {message}");
    }
    let details = v["details"].as_str().unwrap_or_default();
    assert!(
        details.starts_with("DocuSign refused GET /restapi/v2.1/accounts/"),
        "{details}"
    );
}
