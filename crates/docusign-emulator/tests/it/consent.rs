//! GET/POST /oauth/auth: the consent page, its decisions, and its error pages.
#![allow(clippy::unwrap_used)]

use serde_json::json;

use crate::common::*;

fn consent_url(
    t: &TestEmu,
    client_id: &str,
    redirect: &str,
    scope: &str,
    state: Option<&str>,
) -> String {
    let mut url = url::Url::parse(&t.url("/oauth/auth")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect);
    let mut s = url.to_string();
    // Append scope verbatim so tests control its encoding (%20 vs %2B).
    s.push_str("&scope=");
    s.push_str(scope);
    if let Some(st) = state {
        s.push_str("&state=");
        s.push_str(st);
    }
    s
}

async fn post_decision(t: &TestEmu, fields: &[(&str, &str)]) -> reqwest::Response {
    t.client
        .post(t.url("/oauth/auth"))
        .form(fields)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn page_shows_allow_and_deny() {
    let t = start(false).await;
    let resp = t
        .client
        .get(consent_url(
            &t,
            IK,
            REDIRECT,
            "signature%20impersonation",
            Some("xyz"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = resp.text().await.unwrap();
    for needle in [
        "Allow",
        "Deny",
        "Test App",
        "Ada Lovelace",
        "signature",
        "impersonation",
        "name=\"decision\" value=\"allow\"",
        "name=\"state\" value=\"xyz\"",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
    assert!(!html.contains("<link"), "no external stylesheets");
    assert!(!html.contains("<script"), "no scripts");
}

#[tokio::test]
async fn allow_records_consent_and_redirects_with_code_and_state() {
    let t = start(false).await;
    let (s, _) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!(s, 400);
    let resp = post_decision(
        &t,
        &[
            ("client_id", IK),
            ("redirect_uri", REDIRECT),
            ("scope", "signature impersonation"),
            ("state", "st 1"),
            ("user_id", USER),
            ("decision", "allow"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 302);
    let location = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(REDIRECT));
    let pairs: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert!(pairs["code"].len() >= 20);
    assert_eq!(pairs["state"], "st 1");
    let (s, b) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!(s, 200, "{b}");
    let consents = t.get_json("/__emulator/consent").await;
    assert_eq!(consents[0]["environment"], "demo");
    assert_eq!(consents[0]["scopes"], json!(["impersonation", "signature"]));
}

#[tokio::test]
async fn allow_without_state_has_no_state() {
    let t = start(false).await;
    let resp = post_decision(
        &t,
        &[
            ("client_id", IK),
            ("redirect_uri", REDIRECT),
            ("scope", "signature impersonation"),
            ("user_id", USER),
            ("decision", "allow"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("code="));
    assert!(!location.contains("state="));
}

#[tokio::test]
async fn deny_redirects_with_access_denied() {
    let t = start(false).await;
    let resp = post_decision(
        &t,
        &[
            ("client_id", IK),
            ("redirect_uri", REDIRECT),
            ("scope", "signature impersonation"),
            ("state", "abc"),
            ("user_id", USER),
            ("decision", "deny"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 302);
    assert_eq!(
        resp.headers()["location"],
        "https://localhost/callback?error=access_denied&error_message=The+user+did+not+consent+to+connecting+the+application.&state=abc"
    );
    let (s, _) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn unregistered_redirect_uri_is_an_error_page_not_a_redirect() {
    let t = start(false).await;
    let bad = "https://localhost:8080/callback";
    let resp = t
        .client
        .get(consent_url(&t, IK, bad, "signature%20impersonation", None))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    let html = resp.text().await.unwrap();
    assert!(html.contains("The redirect URI is not registered properly with DocuSign"));
    assert!(html.contains(bad));
    assert!(html.contains("Redirect URIs"));
    // The POST re-validates too.
    let resp = post_decision(
        &t,
        &[
            ("client_id", IK),
            ("redirect_uri", bad),
            ("scope", "signature impersonation"),
            ("user_id", USER),
            ("decision", "allow"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    assert_eq!(t.get_json("/__emulator/consent").await, json!([]));
}

#[tokio::test]
async fn unknown_client_and_bad_response_type() {
    let t = start(false).await;
    let resp = t
        .client
        .get(consent_url(
            &t,
            "11111111-2222-3333-4444-555555555555",
            REDIRECT,
            "signature",
            None,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let html = resp.text().await.unwrap();
    assert!(html.contains("not registered"), "{html}");
    assert!(html.contains("demo"));

    let url = consent_url(&t, IK, REDIRECT, "signature", None)
        .replace("response_type=code", "response_type=token");
    let resp = t.client.get(url).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
}

#[tokio::test]
async fn encoded_plus_scope_is_one_unknown_scope() {
    // F13: scope=signature%2Bimpersonation is one token "signature+impersonation".
    let t = start(false).await;
    let resp = t
        .client
        .get(consent_url(
            &t,
            IK,
            REDIRECT,
            "signature%2Bimpersonation",
            None,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Unknown scope"), "{html}");
    let resp = post_decision(
        &t,
        &[
            ("client_id", IK),
            ("redirect_uri", REDIRECT),
            ("scope", "signature+impersonation"),
            ("user_id", USER),
            ("decision", "allow"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 302);
    let (s, b) = t.token(&keys().registered, &t.claims(json!({}))).await;
    assert_eq!((s, b), (400, json!({"error": "consent_required"})));

    // A literal '+' in the URL decodes to a space: two scopes.
    let resp = t
        .client
        .get(consent_url(
            &t,
            IK,
            REDIRECT,
            "signature+impersonation",
            None,
        ))
        .send()
        .await
        .unwrap();
    let html = resp.text().await.unwrap();
    assert!(!html.contains("Unknown scope"));
}
