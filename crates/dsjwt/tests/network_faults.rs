//! Network faults from issue #12 against the real emulator's fault injection: a server that
//! never answers (first-byte timeout), token retries and `Retry-After`, a timed-out POST.

mod common;
use common::*;
use serde_json::json;

/// The emulator's `host:port`, as messages name it.
fn host(sb: &Sandbox) -> String {
    sb.url().trim_start_matches("https://").to_string()
}

/// Issue #12 "a download can hang for an hour": a server that takes the request and never
/// sends the response head. With `--timeout 1` (the first-byte timeout; default 30 s) the
/// action and the health check give up with a message naming the host and the timeout in the
/// details, instead of waiting for a total timeout.
#[test]
fn a_server_that_never_answers_fails_at_the_first_byte_timeout_naming_the_host() {
    let sb = Sandbox::start(true);
    // Delay-only faults of 10 minutes: the emulator holds each request without answering.
    sb.admin(
        "POST",
        "faults",
        json!({"count": 3, "delay_ms": 600000, "path_prefix": "/restapi"}),
    );
    let (code, v) = sb.run_json(&["action", "list-templates", "--timeout", "1"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["code"], "network_unreachable", "{v:#}");
    assert_eq!(
        v["message"],
        format!(
            "The sandbox at {} did not answer in time (it may be busy or stuck).",
            host(&sb)
        )
    );
    assert_eq!(
        v["details"],
        format!(
            "{} took the request but sent no answer within 1 s (first-byte timeout)",
            host(&sb)
        ),
        "{v:#}"
    );

    sb.admin(
        "POST",
        "faults",
        json!({"count": 5, "delay_ms": 600000, "path_prefix": "/oauth/token"}),
    );
    let (code, report) = sb.check(&[("--timeout", "1")]);
    assert_ne!(code, 0, "{report:#}");
    let f = failure(&report);
    assert_eq!(f["step"], "token", "{report:#}");
    assert_eq!(f["code"], "network_unreachable", "{report:#}");
    assert!(
        f["message"].as_str().unwrap().contains(&host(&sb)),
        "{report:#}"
    );
    assert!(
        f["details"]
            .as_str()
            .unwrap()
            .contains("sent no answer within 1 s (first-byte timeout)"),
        "{report:#}"
    );
}
