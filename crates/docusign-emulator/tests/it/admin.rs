//! The admin API, common headers, faults and the request log.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn health_world_and_not_found() {
    let t = start(true).await;
    assert_eq!(t.get_json("/__emulator/health").await, json!({"ok": true}));
    let world = t.get_json("/__emulator/world").await;
    assert_eq!(world["environment"], "demo");
    assert_eq!(world["integration_keys"][0]["integration_key"], IK);
    assert_eq!(
        world["users"][0]["accounts"][0]["base_uri"],
        json!(t.emu.url())
    );
    let text = world.to_string();
    assert!(!text.contains("PRIVATE KEY"));
    assert!(text.contains("BEGIN PUBLIC KEY"));

    let resp = t.client.get(t.url("/nope")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    let resp = t
        .client
        .get(t.url(&format!(
            "/restapi/v2.1/accounts/{ACCOUNT}/no_such_resource"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.unwrap();
    assert!(body["errorCode"].is_string());
    assert!(body["message"].is_string());
}

#[tokio::test]
async fn date_and_trace_headers_follow_the_clock() {
    let t = start(true).await;
    let resp = t
        .client
        .get(t.url("/__emulator/health"))
        .send()
        .await
        .unwrap();
    let date = resp.headers()["date"].to_str().unwrap().to_owned();
    let parsed = httpdate::parse_http_date(&date).unwrap();
    let skew = parsed
        .duration_since(std::time::SystemTime::now() - Duration::from_secs(5))
        .unwrap();
    assert!(skew < Duration::from_secs(10));
    let trace = resp.headers()["x-docusign-tracetoken"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(trace).is_ok());

    let clock = t
        .admin_post("/__emulator/clock", json!({"offset_seconds": 86400}))
        .await;
    assert_eq!(clock["offset_seconds"], 86400);
    assert!(clock["now"].as_i64().unwrap() >= now() + 86399);
    let clock = t
        .admin_post("/__emulator/clock", json!({"advance_seconds": -400}))
        .await;
    assert_eq!(clock["offset_seconds"], 86000);
    let resp = t.client.get(t.url("/oauth/userinfo")).send().await.unwrap();
    let date = httpdate::parse_http_date(resp.headers()["date"].to_str().unwrap()).unwrap();
    let ahead = date
        .duration_since(std::time::SystemTime::now())
        .unwrap()
        .as_secs();
    assert!((85990..86010).contains(&ahead), "{ahead}");
    assert!(resp.headers().contains_key("x-docusign-tracetoken"));

    let resp = t
        .client
        .post(t.url("/__emulator/clock"))
        .json(&json!({"offset_seconds": 1, "advance_seconds": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn clock_shift_expires_an_assertion() {
    let t = start(true).await;
    let claims = t.claims(json!({}));
    let (s, _) = t.token(&keys().registered, &claims).await;
    assert_eq!(s, 200);
    t.admin_post("/__emulator/clock", json!({"advance_seconds": 7200}))
        .await;
    let (s, b) = t.token(&keys().registered, &claims).await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "invalid_grant", "error_description": "expired_grant"})
        )
    );
    // Emulator clock behind the client: the client's iat looks 10 min in the future.
    t.admin_post("/__emulator/clock", json!({"offset_seconds": -600}))
        .await;
    let (s, b) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "invalid_grant", "error_description": "no_valid_keys_or_signatures"})
        )
    );
}

#[tokio::test]
async fn faults_apply_to_the_next_n_matching_requests() {
    let t = start(true).await;
    let pending = t
        .admin_post(
            "/__emulator/faults",
            json!({"count": 2, "status": 503, "body": {"error": "temporarily_unavailable"},
                   "headers": {"Retry-After": "1"}, "path_prefix": "/oauth/token"}),
        )
        .await;
    assert_eq!(pending["pending"][0]["count"], 2);
    // userinfo is not matched by the prefix.
    let resp = t.client.get(t.url("/oauth/userinfo")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    for _ in 0..2 {
        let resp = t
            .client
            .post(t.url("/oauth/token"))
            .form(&[("grant_type", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 503);
        assert_eq!(resp.headers()["retry-after"], "1");
        assert!(resp.headers().contains_key("x-docusign-tracetoken"));
        assert_eq!(
            resp.json::<Value>().await.unwrap(),
            json!({"error": "temporarily_unavailable"})
        );
    }
    let (s, _) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!(s, 200);
    assert_eq!(t.get_json("/__emulator/faults").await, json!([]));

    // Admin paths are never faulted; DELETE clears.
    t.admin_post("/__emulator/faults", json!({"count": 5, "status": 500}))
        .await;
    assert_eq!(t.get_json("/__emulator/health").await, json!({"ok": true}));
    let cleared: Value = t
        .client
        .delete(t.url("/__emulator/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cleared, json!({"cleared": 1}));
    let resp = t.client.get(t.url("/oauth/userinfo")).send().await.unwrap();
    assert_eq!(resp.status(), 401);

    // Bad fault specs are refused with the field named.
    let resp = t
        .client
        .post(t.url("/__emulator/faults"))
        .json(&json!({"count": 1, "status": 42}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("status"));
    let resp = t
        .client
        .post(t.url("/__emulator/faults"))
        .json(&json!({"cuont": 1, "status": 500}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("cuont"));
}

#[tokio::test]
async fn delay_only_fault_then_serves_normally() {
    let t = start(true).await;
    t.admin_post(
        "/__emulator/faults",
        json!({"delay_ms": 400, "path_prefix": "/oauth/userinfo"}),
    )
    .await;
    let started = Instant::now();
    let resp = t.client.get(t.url("/oauth/userinfo")).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(resp.status(), 401, "served normally after the delay");
    let started = Instant::now();
    t.client.get(t.url("/oauth/userinfo")).send().await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn request_log_redacts_secrets() {
    let t = start(true).await;
    let assertion = sign(&keys().registered, &t.claims(json!({})));
    let (s, b) = t
        .token_form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", &assertion),
        ])
        .await;
    assert_eq!(s, 200);
    let token = b["access_token"].as_str().unwrap().to_owned();
    let resp = t
        .client
        .get(t.url("/oauth/userinfo?x=1&access_token=leak"))
        .bearer_auth(&token)
        .header("X-Custom", "kept")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    t.get_json("/__emulator/world").await;

    let log = t.get_json("/__emulator/requests").await;
    let text = log.to_string();
    assert!(!text.contains(&token), "access token leaked into the log");
    assert!(!text.contains(&assertion), "assertion leaked into the log");
    assert!(!text.contains("leak"));
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 2, "admin requests are not logged: {log}");
    assert_eq!(entries[0]["seq"], 1);
    assert_eq!(entries[0]["method"], "POST");
    assert_eq!(entries[0]["path"], "/oauth/token");
    assert_eq!(entries[0]["status"], 200);
    assert!(entries[0]["query"].is_null());
    assert!(entries[0]["duration_ms"].is_u64());
    assert!(time::OffsetDateTime::parse(
        entries[0]["time"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339
    )
    .is_ok());
    assert_eq!(entries[1]["path"], "/oauth/userinfo");
    assert_eq!(entries[1]["headers"]["authorization"], "Bearer <redacted>");
    assert_eq!(entries[1]["headers"]["x-custom"], "kept");
    assert_eq!(entries[1]["query"], "x=1&access_token=<redacted>");

    let filtered = t
        .get_json("/__emulator/requests?path_prefix=/oauth/userinfo")
        .await;
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    let cleared: Value = t
        .client
        .delete(t.url("/__emulator/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cleared, json!({"cleared": 2}));
    assert_eq!(t.get_json("/__emulator/requests").await, json!([]));
}

#[tokio::test]
async fn consent_admin_endpoints() {
    let t = start(false).await;
    assert_eq!(t.get_json("/__emulator/consent").await, json!([]));
    let granted = t
        .admin_post(
            "/__emulator/consent",
            json!({"user_id": USER, "integration_key": IK}),
        )
        .await;
    assert_eq!(granted["scopes"], json!(["impersonation", "signature"]));
    let list = t.get_json("/__emulator/consent").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let revoked = t
        .admin_post(
            "/__emulator/consent/revoke",
            json!({"user_id": USER, "integration_key": IK, "scopes": ["impersonation"]}),
        )
        .await;
    assert_eq!(revoked, json!({"revoked": true, "scopes": ["signature"]}));
    let resp = t
        .client
        .post(t.url("/__emulator/consent"))
        .json(&json!({"user_id": "11111111-2222-3333-4444-555555555555", "integration_key": IK}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    // Programmatic access does the same.
    t.emu.grant_consent(USER, IK, &["impersonation"]);
    let (s, _) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!(s, 200);
    let tokens = t.get_json("/__emulator/tokens").await;
    assert_eq!(tokens[0]["user_id"], USER);
    assert!(tokens[0].get("access_token").is_none());
}
