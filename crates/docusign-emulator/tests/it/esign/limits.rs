//! Rate limits: headers, the hourly limit (reset at the top of the hour on the emulator clock),
//! the burst limit, 400 vs 429, per-envelope polling limits (F29).
#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;

const LIST: &str = "/envelopes?from_date=2000-01-01";
const E1: &str = "4b9d0c6e-0000-4000-8000-0000000000e1";
const E2: &str = "4b9d0c6e-0000-4000-8000-0000000000e2";

#[tokio::test]
async fn headers_present_and_decreasing() {
    let ds = world_with(json!({})).await;
    ds.align_to_hour().await;
    let a = ds.get(LIST).await;
    let b = ds.get("/templates").await;
    for r in [&a, &b] {
        assert_eq!(r.header("x-ratelimit-limit"), "3000");
        assert_eq!(r.header("x-burstlimit-limit"), "200", "demo/sandbox burst");
        assert!(!r.header("x-docusign-tracetoken").is_empty());
    }
    let rem = |r: &Resp, h: &str| r.header(h).parse::<u32>().unwrap();
    assert_eq!(rem(&a, "x-ratelimit-remaining"), 2999);
    assert_eq!(rem(&b, "x-ratelimit-remaining"), 2998);
    assert_eq!(rem(&b, "x-burstlimit-remaining"), 198);
    let reset: i64 = a.header("x-ratelimit-reset").parse().unwrap();
    let clock = ds.t.get_json("/__emulator/clock").await;
    let now = clock["now"].as_i64().unwrap();
    assert!(
        reset > now && reset <= now + 3600 && reset % 3600 == 0,
        "{reset} vs {now}"
    );
    // errors carry them too
    let e = ds.get("/envelopes").await;
    assert_eq!(e.status, 400);
    assert_eq!(rem(&e, "x-ratelimit-remaining"), 2997);
}

#[tokio::test]
async fn hourly_limit_then_reset() {
    let mut w = json!({"limits": {"hourly": 3}});
    w["templates"] = json!([small_template(TEMPLATE)]);
    let ds = world_with(w).await;
    ds.align_to_hour().await;
    for left in [2, 1, 0] {
        let r = ds.get("/templates").await;
        r.ok();
        assert_eq!(r.header("x-ratelimit-remaining"), left.to_string());
    }
    let r = ds.get("/templates").await;
    let msg = r.error(400, "HOURLY_APIINVOCATION_LIMIT_EXCEEDED");
    assert_eq!(
        msg,
        "The maximum number of hourly API invocations has been exceeded. The hourly limit is 3."
    );
    assert_eq!(r.header("x-ratelimit-remaining"), "0");
    let reset: i64 = r.header("x-ratelimit-reset").parse().unwrap();
    // still refused a bit later in the same hour
    ds.get("/templates")
        .await
        .error(400, "HOURLY_APIINVOCATION_LIMIT_EXCEEDED");

    // 429 instead of 400, switched at run time
    ds.admin_ok("/limits", json!({"exceeded_status": 429}))
        .await;
    let r = ds.get("/templates").await;
    r.error(429, "HOURLY_APIINVOCATION_LIMIT_EXCEEDED");
    let retry: i64 = r.header("retry-after").parse().unwrap();
    assert!((1..=3600).contains(&retry));

    // move the emulator clock past the top of the hour
    let now = ds.t.get_json("/__emulator/clock").await["now"]
        .as_i64()
        .unwrap();
    ds.advance(reset - now + 1).await;
    let r = ds.get("/templates").await;
    r.ok();
    assert_eq!(r.header("x-ratelimit-remaining"), "2");
    assert_eq!(
        r.header("x-ratelimit-reset").parse::<i64>().unwrap(),
        reset + 3600
    );
}

#[tokio::test]
async fn burst_limit() {
    let ds = world_with(json!({"limits": {"burst": 2, "burst_window_seconds": 30}})).await;
    ds.align_to_hour().await;
    ds.get(LIST).await.ok();
    ds.get(LIST).await.ok();
    let r = ds.get(LIST).await;
    r.error(400, "BURST_APIINVOCATION_LIMIT_EXCEEDED");
    assert_eq!(r.header("x-burstlimit-remaining"), "0");
    ds.advance(31).await;
    ds.get(LIST).await.ok();
    let limits = ds.t.get_json("/__emulator/limits").await;
    let acc = limits["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account_id"] == ACCOUNT)
        .unwrap()
        .clone();
    assert_eq!(acc["limits"]["burst"], 2);
    assert_eq!(acc["used_this_hour"], 3);
}

#[tokio::test]
async fn envelope_polling_limits() {
    let ds = world_with(json!({
        "templates": [small_template(TEMPLATE)],
        "envelopes": [
            {"envelope_id": E1, "status": "sent", "template_id": TEMPLATE},
            {"envelope_id": E2, "status": "sent", "template_id": TEMPLATE}
        ]
    }))
    .await;
    ds.align_to_hour().await;
    ds.admin_ok(
        "/limits",
        json!({"account_id": ds.account, "envelope_get_burst": 2, "envelope_get_hourly": 3}),
    )
    .await;
    let id = E1;
    ds.get(&format!("/envelopes/{id}")).await.ok();
    ds.get(&format!("/envelopes/{id}/recipients")).await.ok();
    let r = ds.get(&format!("/envelopes/{id}/documents")).await;
    r.error(400, "Burst_Envelope_Polling_Limit_Exceeded");
    // another envelope is not affected; the list endpoint is not per-envelope
    ds.get(&format!("/envelopes/{E2}")).await.ok();
    ds.get(LIST).await.ok();
    ds.advance(31).await;
    ds.get(&format!("/envelopes/{id}")).await.ok();
    ds.advance(31).await;
    ds.get(&format!("/envelopes/{id}"))
        .await
        .error(400, "Hourly_Envelope_Polling_Limit_Exceeded");
    // bad admin input
    let (status, body) = ds.admin("/limits", json!({"exceeded_status": 418})).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = ds.admin("/limits", json!({"hourly": 0})).await;
    assert_eq!(status, 400);
    let (status, body) = ds.admin("/limits", json!({"hourlly": 5})).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("unknown field `hourlly`")),
        "{body}"
    );
    // reset_counters clears the envelope counters
    ds.admin_ok("/limits", json!({"reset_counters": true}))
        .await;
    ds.get(&format!("/envelopes/{id}")).await.ok();
}

/// The admin call takes the world file's `limits` fields (one definition) beside its own
/// `account_id` and `reset_counters`, and refuses a mistyped field or a value of the wrong type
/// without changing anything.
#[tokio::test]
async fn admin_limits_body_is_the_world_files_limits_plus_its_own_fields() {
    let ds = world_with(json!({})).await;
    let limits_of = |v: &serde_json::Value| {
        v["accounts"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["account_id"] == ACCOUNT))
            .map(|a| a["limits"].clone())
            .unwrap_or_default()
    };
    let before = limits_of(&ds.t.get_json("/__emulator/limits").await);
    for (bad, named) in [
        (
            json!({"account_id": ds.account, "burts": 5}),
            "unknown field `burts`",
        ),
        (
            json!({"reset_counter": true}),
            "unknown field `reset_counter`",
        ),
        (
            json!({"reset_counters": "yes"}),
            "reset_counters: invalid type",
        ),
        (json!({"account_id": 7}), "account_id: invalid type"),
        (json!({"hourly": "many"}), "invalid type"),
    ] {
        let (status, body) = ds.admin("/limits", bad.clone()).await;
        assert_eq!(status, 400, "{bad} → {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(named)),
            "{bad} → {body}"
        );
    }
    assert_eq!(
        limits_of(&ds.t.get_json("/__emulator/limits").await),
        before,
        "a refused call changes nothing"
    );
    let (status, body) = ds
        .admin(
            "/limits",
            json!({"account_id": ds.account, "reset_counters": true, "hourly": 7, "envelope_put_burst": 3, "exceeded_status": 429}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let now = limits_of(&body);
    assert_eq!(now["hourly"], 7, "{body}");
    assert_eq!(now["envelope_put_burst"], 3, "{body}");
    assert_eq!(now["exceeded_status"], 429, "{body}");
    assert_eq!(now["burst"], before["burst"], "{body}");
}
