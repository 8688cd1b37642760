//! Field cases F38–F50 of the emulator-fidelity kind (issue 10), through the real `dsjwt`
//! against the real emulator over HTTPS: the short account number (F40), bounced recipients
//! (F43), Date Signed text (F44), template roles of every type (F48), listing visibility and
//! `user_filter` (F50), and the bearer-token error codes.

mod common;
use common::*;
use serde_json::{json, Value};

const SENT_NDA: &str = "e1a0c001-0000-4000-8000-000000000002";

/// F40: the short account number in the API Account ID field is recognised, and the user's
/// own accounts are read (`GET /accounts/{guid}`, whose `externalAccountId` is the number):
/// the report offers the GUID. The number itself never goes into a path.
#[test]
fn f40_account_number_is_resolved_to_the_api_account_id() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    let (code, report) = sb.check(&[("--account-id", "18347261")]);
    assert_eq!(code, 1, "{report:#}");
    let f = failure(&report);
    assert_eq!(f["step"], "settings");
    assert_eq!(f["detail"], "account_number_not_id");
    assert_eq!(f["suggested_value"], sb.s("account_id"), "{f:#}");
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("18347261") && msg.contains(&sb.s("account_id")),
        "{msg}"
    );
    assert!(f["fix"]
        .as_str()
        .unwrap_or_default()
        .contains("API Account ID"));
    let paths: Vec<String> = requested_paths(&sb);
    assert_eq!(
        paths,
        [format!("/restapi/v2.1/accounts/{}", sb.s("account_id"))],
        "one read of the user's own account"
    );
}

/// Found by a fresh user: a number that is not one of the user's accounts was sent as
/// `GET /accounts/12345`, refused with HTTP 400, and that reset the Go-Live streak. Now no
/// call is made with it, nothing fails at DocuSign, and the settings step keeps its fix.
#[test]
fn f40_a_number_that_is_not_the_users_never_reaches_docusign() {
    let sb = Sandbox::start(true);
    sb.admin("DELETE", "requests", json!({}));
    let (code, report) = sb.check(&[("--account-id", "12345")]);
    assert_eq!(code, 1, "{report:#}");
    let f = failure(&report);
    assert_eq!(f["detail"], "account_number_not_id");
    assert!(f["suggested_value"].is_null(), "{f:#}");
    let log = sb.admin("GET", "requests", json!({}));
    let entries = log.as_array().unwrap();
    assert!(
        entries
            .iter()
            .all(|e| !e["path"].as_str().unwrap_or_default().contains("12345")),
        "{log:#}"
    );
    assert!(
        entries
            .iter()
            .filter(|e| e["path"]
                .as_str()
                .unwrap_or_default()
                .starts_with("/restapi"))
            .all(|e| e["status"].as_u64() == Some(200)),
        "no eSignature call failed: {log:#}"
    );
}

/// The `/restapi` paths the emulator was asked for since its request log was emptied.
fn requested_paths(sb: &Sandbox) -> Vec<String> {
    sb.admin("GET", "requests?path_prefix=/restapi", json!({}))
        .as_array()
        .expect("the request log is a list")
        .iter()
        .map(|e| e["path"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// F43: a bounced recipient is a problem with its fix in the recipient status and the
/// listing, although the envelope stays `sent`.
#[test]
fn f43_bounced_recipient_is_a_problem_with_its_fix() {
    let sb = Sandbox::start(true);
    sb.move_recipient(
        SENT_NDA,
        "1",
        "bounce",
        json!({"reason": "550 5.1.1 mailbox unavailable"}),
    );
    let (code, v) = sb.run_json(&["action", "get-recipient-status", SENT_NDA]);
    assert_eq!(code, 0, "{v:#}");
    let p = &v["problems"][0];
    assert_eq!(p["code"], "email_bounced", "{v:#}");
    assert_eq!(p["reason"], "550 5.1.1 mailbox unavailable");
    assert!(p["message"]
        .as_str()
        .unwrap_or_default()
        .contains("still says \"sent\""));
    assert!(p["fix"]
        .as_str()
        .unwrap_or_default()
        .contains("Correct the email address"));
    let (code, v) = sb.run_json(&["action", "list-envelopes", "--status", "sent"]);
    assert_eq!(code, 0, "{v:#}");
    let problems = v["delivery_problems"]
        .as_array()
        .expect("delivery_problems");
    assert!(
        problems.iter().any(|p| p["envelope_id"] == SENT_NDA),
        "{problems:?}"
    );
}

/// F44: Date Signed values come back verbatim (the user's regional text, not ISO), with a
/// note saying so; timestamps come from the `…DateTime` fields.
#[test]
fn f44_date_signed_values_are_returned_verbatim() {
    let sb = Sandbox::start(true);
    sb.move_recipient(SENT_NDA, "1", "sign", json!({}));
    let (code, v) = sb.run_json(&["action", "get-tab-values", SENT_NDA, "--recipient-id", "1"]);
    assert_eq!(code, 0, "{v:#}");
    let tabs = &v["recipients"][0]["tabs"]["dateSignedTabs"];
    let value = tabs[0]["value"].as_str().expect("a Date Signed value");
    let b = value.as_bytes();
    // MM/dd/yyyy | hh:mm tt PST
    assert!(
        value.len() == 25
            && b[2] == b'/'
            && b[5] == b'/'
            && value[10..13] == *" | "
            && value.ends_with(" PST"),
        "{value}"
    );
    assert!(v["notes"][0]
        .as_str()
        .unwrap_or_default()
        .contains("regional settings"));
    let (_, r) = sb.run_json(&["action", "get-recipient-status", SENT_NDA]);
    let signed = r["recipients"][0]["signed_date_time"]
        .as_str()
        .unwrap_or_default();
    assert!(signed.ends_with('Z') && signed.contains('T'), "{signed}");
}

/// F50: a listing says whose envelopes it shows, says an empty list may be a visibility
/// limit, and passes `user_filter` through.
#[test]
fn f50_listing_says_whose_envelopes_are_visible() {
    let sb = Sandbox::start(true);
    let (code, v) = sb.run_json(&["action", "list-envelopes", "--user-filter", "sender"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["user_filter"], "sender");
    assert!(v["count"].as_u64().unwrap_or(0) > 0, "{v:#}");
    let note = v["visibility"].as_str().unwrap_or_default();
    assert!(note.contains("sent by the connection's user"), "{note}");
    assert!(
        note.contains("Allow view and manage envelope rights through API"),
        "{note}"
    );
    let (code, v) = sb.run_json(&[
        "action",
        "list-envelopes",
        "--user-filter",
        "recipient_only",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["count"], 0);
    assert!(v["visibility"]
        .as_str()
        .unwrap_or_default()
        .contains("An empty list may be this visibility limit"));
    let (code, v) = sb.run_json(&["action", "list-envelopes", "--user-filter", "everyone"]);
    assert_eq!(code, 2, "{v:#}");
}

/// F48: roles from every recipient collection with their type, placeholder/fixed and
/// locked/required; GUID ids kept; an in-person role needs the signer's name; a send with it
/// reaches DocuSign with the host and `inPersonSignerName`.
#[test]
fn f48_in_person_and_carbon_copy_roles() {
    let key = other_key();
    let (ik, user, acc) = (guid(), guid(), guid());
    let tpl = "3e1c7a10-0000-4000-8000-0000000000f4";
    let signer_id = "5741ec70-1c2d-4e5f-8a9b-0c1d2e3f4a01";
    let world = json!({
        "integration_keys": [{"integration_key": ik, "name": "App", "public_keys": [key.public_key_pem()], "redirect_uris": ["https://localhost/callback"]}],
        "users": [{"user_id": user, "name": "Ada Lovelace", "email": "ada@example.com",
                   "accounts": [{"account_id": acc, "account_name": "A", "is_default": true, "base_uri": "self"}]}],
        "consents": [{"user_id": user, "integration_key": ik}],
        "esignature": {acc.clone(): {"templates": [{
            "template_id": tpl, "name": "Counter agreement",
            "documents": [{"document_id": "1", "name": "Agreement.pdf"}],
            "roles": [
                {"role_name": "Signer 1", "recipient_id": signer_id, "template_required": true},
                {"role_name": "Legal Team", "recipient_type": "carbonCopy", "routing_order": 2,
                 "name": "Legal", "email": "legal@example.com", "template_locked": true},
                {"role_name": "Customer", "recipient_type": "inPersonSigner", "routing_order": 3,
                 "tabs": [{"type": "signHere", "tab_label": "CustomerSign"}]}
            ]}]}}
    });
    let sb = Sandbox::start_world(&world);
    let keyfile = write_temp(sb.dir.path(), "k.pem", &key.to_pkcs1_pem());
    let flags: Vec<String> = sb
        .world_flags(&ik, &user, &acc, &keyfile, &sb.url())
        .into_iter()
        .flat_map(|(k, v)| [k, v])
        .chain([
            "--data-dir".to_string(),
            sb.dir.path().join("state").display().to_string(),
        ])
        .collect();
    let run = |args: &[&str]| -> (i32, Value) {
        let out = dsjwt().args(args).args(&flags).output().expect("run dsjwt");
        let v = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
        (out.status.code().unwrap_or(-1), v)
    };
    let (code, v) = run(&["action", "get-template-roles", tpl]);
    assert_eq!(code, 0, "{v:#}");
    let roles = v["roles"].as_array().expect("roles");
    let kinds: Vec<(&str, &str, &str)> = roles
        .iter()
        .map(|r| {
            (
                r["role_name"].as_str().unwrap_or_default(),
                r["recipient_type"].as_str().unwrap_or_default(),
                r["fill"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("Signer 1", "signer", "name_email"),
            ("Legal Team", "carbonCopy", "name_email"),
            ("Customer", "inPersonSigner", "in_person"),
        ]
    );
    assert_eq!(roles[0]["recipient_id"], signer_id);
    assert_eq!(roles[0]["required"], true);
    assert_eq!(
        (roles[1]["fixed"].clone(), roles[1]["locked"].clone()),
        (json!(true), json!(true))
    );

    let send = |extra: &[&str]| {
        let mut args = vec![
            "action",
            "send-envelope-from-template",
            tpl,
            "--role",
            "Signer 1=Zed Zero <zed@example.com>",
            "--role",
            "Customer=Hal Host <hal@example.com>",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let (code, v) = send(&[]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(
        v["problems"][0]["code"], "in_person_signer_name_missing",
        "{v:#}"
    );
    let (code, v) = send(&["--in-person", "Customer=Walk-in Customer"]);
    assert_eq!(code, 0, "{v:#}");
    let env = v["envelope_id"].as_str().expect("envelope_id").to_string();
    let (_, r) = run(&["action", "get-recipient-status", &env]);
    let host = r["recipients"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["recipient_type"] == "inPersonSigner"))
        .cloned()
        .expect("the in-person signer");
    assert_eq!(host["role_name"], "Customer");
}

/// Facts section 5: a bearer token DocuSign never issued is USER_AUTHENTICATION_FAILED; no
/// Authorization header is PARTNER_AUTHENTICATION_FAILED.
#[test]
fn bearer_token_errors_follow_docusign() {
    let sb = Sandbox::start(true);
    let url = format!(
        "{}/restapi/v2.1/accounts/{}/templates",
        sb.url(),
        sb.s("account_id")
    );
    let http = sb.http();
    let bad: Value = http
        .get(&url)
        .header("Authorization", "Bearer not-a-token")
        .send()
        .expect("send")
        .json()
        .expect("json");
    assert_eq!(bad["errorCode"], "USER_AUTHENTICATION_FAILED");
    let none = http.get(&url).send().expect("send");
    assert_eq!(none.status().as_u16(), 401);
    let none: Value = none.json().expect("json");
    assert_eq!(none["errorCode"], "PARTNER_AUTHENTICATION_FAILED");
}

/// F43: a bounce after the trigger's last poll is seen by the next `watch --once`: the emulator
/// moves the envelope's change times on a bounce (a recipient status change), as on signing, so
/// listStatusChanges from the cursor lists the envelope although its status stays `sent`.
#[test]
fn f43_watch_once_after_a_bounce_sees_it() {
    let sb = Sandbox::start(true);
    let watch = || sb.watch_once("envelope-status", None);
    let first = watch();
    assert!(
        first.iter().all(|e| e["delivery_problem"].is_null()),
        "{first:#?}"
    );
    // Past the cursor's 3-minute overlap, so the next poll's from_date is after the send.
    sb.admin("POST", "clock", json!({"advance_seconds": 600}));
    sb.move_recipient(
        SENT_NDA,
        "1",
        "bounce",
        json!({"reason": "550 5.1.1 mailbox unavailable"}),
    );
    let next = watch();
    let bounce = next
        .iter()
        .find(|e| e["envelope_id"] == SENT_NDA && !e["delivery_problem"].is_null())
        .unwrap_or_else(|| panic!("no bounce event after the bounce: {next:#?}"));
    assert_eq!(bounce["delivery_problem"]["code"], "email_bounced");
    assert_eq!(
        bounce["delivery_problem"]["reason"],
        "550 5.1.1 mailbox unavailable"
    );
}
