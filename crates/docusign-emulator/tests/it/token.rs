//! POST /oauth/token: success and every DocuSign error body.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use crate::common::*;

fn grant(desc: &str) -> Value {
    json!({"error": "invalid_grant", "error_description": desc})
}

#[tokio::test]
async fn success_shape_and_headers() {
    let t = start(true).await;
    let assertion = sign(&keys().registered, &t.claims(json!({})));
    let resp = t
        .client
        .post(t.url("/oauth/token"))
        .form(&[
            ("assertion", assertion.as_str()),
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.version(),
        reqwest::Version::HTTP_2,
        "ALPN h2: aud checked against :authority"
    );
    assert_eq!(resp.headers()["cache-control"], "no-store");
    assert_eq!(resp.headers()["content-type"], "application/json");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], json!(3600));
    assert!(body["expires_in"].is_u64());
    assert!(body["access_token"].as_str().unwrap().len() >= 32);
    assert_eq!(body.as_object().unwrap().len(), 3, "{body}");
}

#[tokio::test]
async fn request_errors() {
    let t = start(true).await;
    let assertion = sign(&keys().registered, &t.claims(json!({})));
    let (s, b) = t
        .token_form(&[
            ("grant_type", "authorization_code"),
            ("assertion", &assertion),
        ])
        .await;
    assert_eq!((s, b), (400, grant("unsupported_grant_type")));
    let (s, b) = t
        .token_form(&[("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")])
        .await;
    assert_eq!((s, b), (400, json!({"error": "invalid_request"})));
    let (s, b) = t
        .token_form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", "not-a-jwt"),
        ])
        .await;
    assert_eq!((s, b), (400, grant("no_valid_keys_or_signatures")));
}

#[tokio::test]
async fn hs256_is_refused() {
    let t = start(true).await;
    let hs = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &t.claims(json!({})),
        &jsonwebtoken::EncodingKey::from_secret(b"secret"),
    )
    .unwrap();
    let (s, b) = t
        .token_form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", &hs),
        ])
        .await;
    assert_eq!((s, b), (400, grant("no_valid_keys_or_signatures")));
}

#[tokio::test]
async fn audience_rules() {
    let t = start(true).await;
    let key = &keys().registered;
    let port = t.port();
    for bad in [
        format!("https://127.0.0.1:{port}"),
        format!("127.0.0.1:{port}/"),
        "127.0.0.1:1".to_owned(),
        "example.com".to_owned(),
    ] {
        let (s, b) = t.token(key, &t.claims(json!({ "aud": bad }))).await;
        assert_eq!(
            (s, b),
            (400, grant("no_valid_keys_or_signatures")),
            "aud {bad}"
        );
    }
    // F10: aud names another DocuSign environment's host.
    for other in ["account-d.docusign.com", "account.docusign.com"] {
        let (s, b) = t.token(key, &t.claims(json!({ "aud": other }))).await;
        assert_eq!((s, b), (400, grant("issuer_not_found")), "aud {other}");
    }
    let (s, _) = t.token(key, &t.claims(json!({ "aud": null }))).await;
    assert_eq!(s, 400);
    // Loopback alias.
    let (s, b) = t
        .token(
            key,
            &t.claims(json!({ "aud": format!("localhost:{port}") })),
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn audience_over_http1_host_header() {
    let t = start(true).await;
    let ca = std::fs::read(t.emu.ca_cert_path()).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .http1_only()
        .build()
        .unwrap();
    let assertion = sign(&keys().registered, &t.claims(json!({})));
    let resp = client
        .post(t.url("/oauth/token"))
        .form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.version(), reqwest::Version::HTTP_11);
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn issuer_and_keys() {
    let t = start(true).await;
    let k = keys();
    // F10: unknown integration key.
    let (s, b) = t
        .token(
            &k.registered,
            &t.claims(json!({"iss": "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a9"})),
        )
        .await;
    assert_eq!((s, b), (400, grant("issuer_not_found")));
    // F07: a key pair that is not registered on the IK.
    let (s, b) = t.token(&k.other, &t.claims(json!({}))).await;
    assert_eq!((s, b), (400, grant("no_valid_keys_or_signatures")));
    // No public key on the IK at all.
    let (s, b) = t
        .token(&k.registered, &t.claims(json!({"iss": IK_NO_KEYS})))
        .await;
    assert_eq!((s, b), (400, grant("no_valid_keys_or_signatures")));
    // A PKCS#1 "RSA PUBLIC KEY" registration verifies too.
    let (s, b) = t
        .token(&k.registered, &t.claims(json!({"iss": IK_PKCS1})))
        .await;
    assert_eq!(s, 200, "{b}");
    // Upper-case GUIDs are the same ids.
    let (s, b) = t
        .token(
            &k.registered,
            &t.claims(json!({"iss": IK.to_uppercase(), "sub": USER.to_uppercase()})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn time_claims() {
    let t = start(true).await;
    let key = &keys().registered;
    let now = now();
    let (s, b) = t.token(key, &t.claims(json!({"exp": null}))).await;
    assert_eq!(
        (s, b),
        (400, grant("no_valid_keys_or_signatures")),
        "exp missing"
    );
    let (s, b) = t
        .token(key, &t.claims(json!({"iat": now - 3700, "exp": now - 100})))
        .await;
    assert_eq!((s, b), (400, grant("expired_grant")));
    // F16: more than one hour between iat and exp.
    let (s, b) = t
        .token(key, &t.claims(json!({"iat": now, "exp": now + 8 * 3600})))
        .await;
    assert_eq!(
        (s, b),
        (400, grant("no_valid_keys_or_signatures")),
        "8h assertion"
    );
    let (s, b) = t
        .token(key, &t.claims(json!({"iat": now, "exp": now + 3601})))
        .await;
    assert_eq!(
        (s, b),
        (400, grant("no_valid_keys_or_signatures")),
        "3601 s"
    );
    let (s, _) = t
        .token(key, &t.claims(json!({"iat": now, "exp": now + 3600})))
        .await;
    assert_eq!(s, 200, "exactly one hour is fine");
    // Client clock ahead by 10 minutes.
    let (s, b) = t
        .token(key, &t.claims(json!({"iat": now + 600, "exp": now + 1800})))
        .await;
    assert_eq!(
        (s, b),
        (400, grant("no_valid_keys_or_signatures")),
        "iat ahead"
    );
    let (s, b) = t.token(key, &t.claims(json!({"nbf": now + 600}))).await;
    assert_eq!(
        (s, b),
        (400, grant("no_valid_keys_or_signatures")),
        "nbf ahead"
    );
    // Small skew is tolerated.
    let (s, _) = t
        .token(
            key,
            &t.claims(json!({"iat": now + 60, "nbf": now + 60, "exp": now + 3000})),
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn subject_errors() {
    let t = start(true).await;
    let key = &keys().registered;
    let (s, b) = t
        .token(key, &t.claims(json!({"sub": "ada@example.com"})))
        .await;
    assert_eq!((s, b), (400, grant("user_not_found")));
    let (s, b) = t
        .token(key, &t.claims(json!({"sub": "ada@example.com"})))
        .await;
    assert_eq!((s, b), (400, grant("user_not_found")));
}

#[tokio::test]
async fn consent_required_cases() {
    // F12: no consent at all.
    let t = start(false).await;
    let key = &keys().registered;
    let (s, b) = t.token(key, &t.claims(json!({}))).await;
    assert_eq!((s, b), (400, json!({"error": "consent_required"})));
    // Consent for signature only.
    t.admin_post(
        "/__emulator/consent",
        json!({"user_id": USER, "integration_key": IK, "scopes": ["signature"]}),
    )
    .await;
    let (s, b) = t.token(key, &t.claims(json!({}))).await;
    assert_eq!((s, b), (400, json!({"error": "consent_required"})));
    // Now impersonation too (merged).
    t.admin_post(
        "/__emulator/consent",
        json!({"user_id": USER, "integration_key": IK, "scopes": ["impersonation"]}),
    )
    .await;
    let (s, _) = t.token(key, &t.claims(json!({}))).await;
    assert_eq!(s, 200);
    // Requesting only signature is refused: JWT needs impersonation.
    let (s, b) = t.token(key, &t.claims(json!({"scope": "signature"}))).await;
    assert_eq!((s, b), (400, json!({"error": "consent_required"})));
    // Requesting a scope beyond the consent.
    let (s, b) = t
        .token(
            key,
            &t.claims(json!({"scope": "signature impersonation extended"})),
        )
        .await;
    assert_eq!((s, b), (400, json!({"error": "consent_required"})));
}

#[tokio::test]
async fn revoking_consent_keeps_live_tokens() {
    let t = start(true).await;
    let token = t.access_token().await;
    let resp = t
        .client
        .delete(t.url("/__emulator/consent"))
        .json(&json!({"user_id": USER, "integration_key": IK}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap()["revoked"], true);
    let resp = t
        .client
        .get(t.url("/oauth/userinfo"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let (s, b) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!((s, b), (400, json!({"error": "consent_required"})));
}

/// F38: an assertion without `sub` (or with an empty one) gets an *application* token, which
/// userinfo and the eSignature API refuse with 401.
#[tokio::test]
async fn f38_no_sub_gets_an_application_token_that_nothing_accepts() {
    let t = start(true).await;
    let key = &keys().registered;
    for claims in [t.claims(json!({"sub": null})), t.claims(json!({"sub": ""}))] {
        let (s, b) = t.token(key, &claims).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["token_type"], "Application", "{b}");
        assert_eq!(b["expires_in"], 3600);
        let token = b["access_token"].as_str().unwrap();
        let info = t
            .client
            .get(t.url("/oauth/userinfo"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(info.status().as_u16(), 401);
        let rest = t
            .client
            .get(t.url(&format!("/restapi/v2.1/accounts/{ACCOUNT}/templates")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(rest.status().as_u16(), 401);
        let body: serde_json::Value = rest.json().await.unwrap();
        assert_eq!(body["errorCode"], "USER_AUTHENTICATION_FAILED", "{body}");
    }
    // a user token is still a Bearer token
    let (s, b) = t.token(key, &t.claims(json!({}))).await;
    assert_eq!((s, b["token_type"].as_str()), (200, Some("Bearer")));
}
