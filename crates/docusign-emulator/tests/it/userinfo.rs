//! GET /oauth/userinfo.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn shape_matches_docusign() {
    let t = start(true).await;
    let token = t.access_token().await;
    let resp = t
        .client
        .get(t.url("/oauth/userinfo"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["sub"], USER);
    assert_eq!(body["name"], "Ada Lovelace");
    assert_eq!(body["given_name"], "Ada");
    assert_eq!(body["family_name"], "Lovelace");
    assert_eq!(body["email"], "ada@example.com");
    assert!(body["created"].is_string());
    let mut keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "accounts",
            "created",
            "email",
            "family_name",
            "given_name",
            "name",
            "sub"
        ]
    );
    let accounts = body["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    let first = &accounts[0];
    assert_eq!(first["account_id"], ACCOUNT);
    assert_eq!(
        first["is_default"],
        json!(true),
        "is_default is a JSON bool"
    );
    assert_eq!(first["account_name"], "Ada's Sandbox");
    assert_eq!(
        first["base_uri"],
        json!(t.emu.url()),
        "self = the emulator url"
    );
    assert!(!first["base_uri"].as_str().unwrap().contains("/restapi"));
    assert!(first.get("organization").is_none());
    let second = &accounts[1];
    assert_eq!(second["is_default"], json!(false));
    assert_eq!(second["base_uri"], "https://demo.docusign.net");
    assert_eq!(second["organization"]["organization_id"], ORG);
    assert_eq!(second["organization"]["links"][0]["rel"], "self");
}

#[tokio::test]
async fn user_with_no_accounts() {
    let t = start(false).await;
    t.admin_post(
        "/__emulator/consent",
        json!({"user_id": USER_NO_ACCOUNTS, "integration_key": IK}),
    )
    .await;
    let (s, b) = t
        .token(
            &keys().registered,
            &t.claims(json!({"sub": USER_NO_ACCOUNTS})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let token = b["access_token"].as_str().unwrap();
    let body: Value = t
        .client
        .get(t.url("/oauth/userinfo"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["accounts"], json!([]));
    assert_eq!(body["family_name"], "");
}

#[tokio::test]
async fn missing_unknown_and_expired_tokens() {
    let t = start(true).await;
    let resp = t.client.get(t.url("/oauth/userinfo")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"error": "invalid_request"})
    );

    let resp = t
        .client
        .get(t.url("/oauth/userinfo"))
        .bearer_auth("made-up")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"error": "invalid_token"})
    );

    // F17: the token dies after expires_in by the emulator clock.
    let token = t.access_token().await;
    t.admin_post("/__emulator/clock", json!({"advance_seconds": 3500}))
        .await;
    let resp = t
        .client
        .get(t.url("/oauth/userinfo"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    t.admin_post("/__emulator/clock", json!({"advance_seconds": 101}))
        .await;
    let resp = t
        .client
        .get(t.url("/oauth/userinfo"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"error": "invalid_token"})
    );
}

#[tokio::test]
async fn short_token_lifetime_from_world() {
    let mut world = world(true);
    world["token_lifetime_seconds"] = json!(60);
    let t = start_world(world).await;
    let (s, b) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!(s, 200);
    assert_eq!(b["expires_in"], json!(60));
}
