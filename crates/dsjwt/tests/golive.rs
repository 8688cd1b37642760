//! Issue 9, Go-Live from the CLI against the real emulator: a repeat fetch is a polling
//! violation (warned on stderr and marked in the JSON), the warm-up then makes the verdict ready
//! again, and commands reuse what was fetched about an envelope in the last 15 minutes.

mod common;
use common::*;
use serde_json::Value;

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}; stderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// GETs of this envelope's own endpoint in the ledger (what `golive` lists).
fn envelope_gets(v: &Value, id: &str) -> usize {
    v["recent"]
        .as_array()
        .expect("recent calls")
        .iter()
        .filter(|c| {
            c["method"] == "GET"
                && c["path"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with(&format!("/envelopes/{id}"))
        })
        .count()
}

/// `get-envelope E` twice (a violation), then `golive --warm-up` → `golive --json` says
/// `"ready": true`.
#[test]
fn repeat_get_envelope_then_warm_up_is_ready() {
    let sb = Sandbox::start(true);
    let id = sb.send_nda(&["--subject", "Go-Live"]);
    let first = sb.run(&["action", "get-envelope", &id]);
    assert_eq!(first.status.code(), Some(0));
    assert!(json_of(&first).get("polling_warning").is_none());
    assert!(
        !String::from_utf8_lossy(&first.stderr).contains("polling"),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );

    // The second fetch is made (the command asked for it), with the warning first.
    let second = sb.run(&["action", "get-envelope", &id]);
    assert_eq!(second.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("counts as polling in DocuSign's Go-Live review")
            && stderr.contains("--reuse"),
        "{stderr}"
    );
    let v = json_of(&second);
    assert_eq!(v["envelope"]["status"], "sent");
    assert_eq!(
        v["polling_warning"]["endpoint"],
        "GET envelopes/{envelopeId}"
    );
    assert_eq!(v["polling_warning"]["answer_kept"], true);

    let (_, g) = sb.run_json(&["golive", "--json"]);
    assert_eq!(g["ready"], false, "{g:#}");
    assert_eq!(g["streak"], 0);
    assert_eq!(g["violations"].as_array().unwrap().len(), 1, "{g:#}");

    let out = sb.run(&["golive", "--warm-up", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, g) = sb.run_json(&["golive", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(g["ready"], true, "{g:#}");
    assert_eq!(g["streak"], 20, "exactly the 20 calls needed: {g:#}");
    assert!(g["violations"].as_array().unwrap().is_empty(), "{g:#}");
    // The warm-up's 20 calls touched no envelope: template calls only.
    let newest: Vec<&Value> = g["recent"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "esignature")
        .take(20)
        .collect();
    assert_eq!(newest.len(), 20);
    assert!(
        newest
            .iter()
            .all(|c| c["path_template"].as_str().unwrap().contains("/templates")),
        "{g:#}"
    );
    assert_eq!(envelope_gets(&g, &id), 2, "only the two asked for: {g:#}");
}

/// Within 15 minutes, `--reuse` answers from what was fetched (no call), and the status check
/// before a void uses the kept answer instead of fetching the envelope again; the recipients
/// answer serves the tab values too. No polling violation on the way.
#[test]
fn commands_reuse_envelope_answers_for_15_minutes() {
    let sb = Sandbox::start(true);
    let id = sb.send_nda(&["--subject", "Go-Live"]);
    let (code, v) = sb.run_json(&["action", "get-recipient-status", &id]);
    assert_eq!(code, 0, "{v:#}");
    assert!(v.get("reused").is_none());
    let (code, v) = sb.run_json(&["action", "get-tab-values", &id, "--reuse"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(v["reused"]["message"]
        .as_str()
        .unwrap()
        .contains("no call was made"));
    assert!(v["recipients"].to_string().contains("tabLabel"), "{v:#}");

    let (code, v) = sb.run_json(&["action", "get-envelope", &id]);
    assert_eq!(code, 0, "{v:#}");
    let (code, v) = sb.run_json(&["action", "get-envelope", &id, "--reuse"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["envelope"]["status"], "sent");
    assert!(v.get("reused").is_some(), "{v:#}");

    let (code, v) = sb.run_json(&[
        "action",
        "void-envelope",
        &id,
        "--reason",
        "Sent by mistake",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert!(v.get("status_checked_from").is_some(), "{v:#}");
    // The kept answer follows the void.
    let (_, v) = sb.run_json(&["action", "get-envelope", &id, "--reuse"]);
    assert_eq!(v["envelope"]["status"], "voided", "{v:#}");

    let (_, g) = sb.run_json(&["golive", "--json", "--recent", "100"]);
    assert!(g["violations"].as_array().unwrap().is_empty(), "{g:#}");
    assert_eq!(
        envelope_gets(&g, &id),
        1,
        "one GET of the envelope, then reuse: {g:#}"
    );
    assert_eq!(
        g["streak"], 6,
        "template list + template roles + POST (the send), recipients, GET, PUT: {g:#}"
    );
}

/// "The next day" with this computer's clock behind DocuSign's: after the warm-up made the
/// verdict ready (the token kept in the OS keyring), DocuSign's clock moves 25 hours while this
/// computer's stands still. The next action must not send the kept token DocuSign now
/// considers expired to an eSignature endpoint: the kept token is first shown to
/// `/oauth/userinfo` (a call that does not count), whose refusal and `Date` header say the
/// token is dead and DocuSign is 25 hours ahead; a new token is minted with DocuSign's time,
/// and the streak goes on (no eSignature call answered 401, in the ledger or the emulator's
/// log). The next run reuses that token (the skew was kept with it).
/// Run under scripts/with-keyring.sh (the real Secret Service).
#[test]
fn golive_streak_survives_the_emulator_clock_moving_25_h() {
    let sb = Sandbox::start(true);
    let out = sb.run(&["golive", "--warm-up", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", json_of(&out));
    let (_, before) = sb.run_json(&["golive", "--json"]);
    assert_eq!(before["ready"], true, "{before:#}");
    let streak = before["streak"].as_u64().expect("streak");
    assert!(streak >= 20, "{before:#}");
    let tokens = || {
        sb.admin(
            "GET",
            "requests?path_prefix=/oauth/token",
            serde_json::json!({}),
        )
        .as_array()
        .map_or(0, Vec::len)
    };
    assert_eq!(tokens(), 1, "the warm-up mints one token");

    sb.admin(
        "POST",
        "clock",
        serde_json::json!({"advance_seconds": 25 * 3600}),
    );
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(tokens(), 2, "one new token after the jump");
    let notice = v["clock_notice"].as_str().unwrap_or_default();
    assert!(
        notice.contains("25 hours behind DocuSign's"),
        "{notice}: {v:#}"
    );
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(tokens(), 2, "the new token is reused by the next run");

    let (_, after) = sb.run_json(&["golive", "--json"]);
    assert_eq!(after["streak"].as_u64(), Some(streak + 2), "{after:#}");
    assert_eq!(after["ready"], true, "{after:#}");
    assert!(after.get("broken_by").is_none(), "{after:#}");
    let recent = after["recent"].as_array().expect("recent");
    assert!(
        recent
            .iter()
            .all(|c| c["kind"] != "esignature" || c["status"] == 200),
        "an eSignature call failed: {after:#}"
    );
    let shown: Vec<&Value> = recent.iter().filter(|c| c["kind"] == "userinfo").collect();
    assert_eq!(
        shown.len(),
        2,
        "each run shows its kept token first: {after:#}"
    );
    // Newest first: the second run's token was accepted, the first run's (yesterday's) not.
    assert_eq!(shown[0]["status"], 200, "{after:#}");
    assert_eq!(shown[1]["status"], 401, "{after:#}");
    assert!(shown.iter().all(|c| c["verdict"] == "not_counted"));
    let log = sb.admin(
        "GET",
        "requests?path_prefix=/restapi",
        serde_json::json!({}),
    );
    let refused: Vec<&Value> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|r| r["status"] == 401)
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
}

/// A 5xx from `/oauth/userinfo` when a run shows it the token kept in the OS keyring says
/// nothing about that token (DocuSign's own trouble): the confirmation is "unknown", so the
/// token is used as its kept expiry says, not dropped as if refused. No second token is minted,
/// the action succeeds, and the next run (DocuSign answering again) still reuses it.
/// Run under scripts/with-keyring.sh (the real Secret Service).
#[test]
fn a_5xx_from_userinfo_keeps_the_kept_token() {
    let sb = Sandbox::start(true);
    let count = |prefix: &str, status: Option<u64>| {
        sb.admin(
            "GET",
            &format!("requests?path_prefix={prefix}"),
            serde_json::json!({}),
        )
        .as_array()
        .map_or(0, |a| {
            a.iter()
                .filter(|r| status.is_none_or(|s| r["status"] == s))
                .count()
        })
    };
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        count("/oauth/token", None),
        1,
        "the first run mints and keeps one"
    );

    // Every userinfo attempt of the next run (its retries included) answers 503.
    sb.admin(
        "POST",
        "faults",
        serde_json::json!({"count": 20, "status": 503, "path_prefix": "/oauth/userinfo",
                           "headers": {"Retry-After": "0"},
                           "body": {"error": "internal_server_error"}}),
    );
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        count("/oauth/userinfo", Some(503)) >= 1,
        "the kept token was shown to userinfo"
    );
    assert_eq!(
        count("/oauth/token", None),
        1,
        "a 503 from userinfo is not a refusal: the kept token is used, no new one minted"
    );

    sb.admin("DELETE", "faults", serde_json::json!({}));
    let (code, v) = sb.run_json(&["action", "list-templates"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        count("/oauth/token", None),
        1,
        "the token is still kept in the keyring for the next run"
    );
    assert_eq!(count("/oauth/userinfo", Some(200)), 1, "{v:#}");
}

/// What the CLI says when DocuSign refuses a warm-up call and a trigger's check: plain words
/// (which call, DocuSign's own sentence), the fix that fits, and DocuSign's raw line only after
/// "details:".
#[test]
fn a_failed_warm_up_and_a_failed_trigger_check_keep_the_raw_line_for_details() {
    let sb = Sandbox::start(true);
    let refuse_next_call = || {
        sb.admin(
            "POST",
            "faults",
            serde_json::json!({"count": 1, "status": 400, "path_prefix": "/restapi", "body": {
                "errorCode": "USER_LACKS_PERMISSIONS",
                "message": "This user lacks sufficient permissions to access this resource."
            }}),
        );
    };
    let fix = "dsjwt: fix: This is the account plan or permission profile: ask your DocuSign admin to allow it for this user (API access, templates, sending); it is not your key or settings.";
    let lines = |out: &std::process::Output| -> Vec<String> {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .map(String::from)
            .collect()
    };

    refuse_next_call();
    let out = sb.run(&["golive", "--warm-up"]);
    assert_eq!(out.status.code(), Some(1));
    let err = lines(&out);
    let at = err
        .iter()
        .position(|l| l.starts_with("dsjwt: The warm-up stopped"))
        .unwrap_or_else(|| panic!("{err:#?}"));
    assert_eq!(
        err[at],
        "dsjwt: The warm-up stopped at its call to list the account's templates. DocuSign refused to list the templates: This user lacks sufficient permissions to access this resource."
    );
    assert_eq!(err[at + 1], fix);
    assert!(
        err[at + 2].starts_with("dsjwt: details: DocuSign refused GET /restapi/v2.1/accounts/")
            && err[at + 2].contains("USER_LACKS_PERMISSIONS"),
        "{err:#?}"
    );

    refuse_next_call();
    let out = sb.run(&["watch", "envelope-status", "--once", "--interval", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = lines(&out);
    let at = err
        .iter()
        .position(|l| l.starts_with("dsjwt: The trigger's check"))
        .unwrap_or_else(|| panic!("{err:#?}"));
    assert_eq!(
        err[at],
        "dsjwt: The trigger's check for changes failed. DocuSign refused to list the envelopes: This user lacks sufficient permissions to access this resource. The next check covers the same time, so no change is missed."
    );
    assert_eq!(err[at + 1], fix);
    assert!(
        err[at + 2].starts_with("dsjwt: details: DocuSign refused GET /restapi/v2.1/accounts/"),
        "{err:#?}"
    );
}
