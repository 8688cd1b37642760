//! The default world persists in its data folder: a restart on the same folder comes back with
//! the same identity, key pair, CA, consents, envelopes and port; `fresh` starts a new world.
//! And the consent page over plain HTTP (what a browser opens without a certificate warning).
#![allow(clippy::unwrap_used)]

use std::path::Path;

use docusign_emulator::{Emulator, EmulatorConfig, CONSENT_GIVEN_PATH, WORLD_FILE};
use serde_json::{json, Value};

use crate::common::*;

async fn start_in(dir: &Path, fresh: bool) -> Emulator {
    let mut config = EmulatorConfig::new(dir);
    config.fresh = fresh;
    Emulator::start(config).await.unwrap()
}

/// A token for the default world's user, signed with the key in `private_key.pem`.
async fn token(client: &reqwest::Client, emu: &Emulator, key_pem: &[u8]) -> (u16, Value) {
    let creds = emu.default_credentials().unwrap();
    let now = now();
    let claims = json!({
        "iss": creds.integration_key, "sub": creds.user_id, "aud": emu.oauth_host(),
        "iat": now, "exp": now + 3600, "scope": "signature impersonation"
    });
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(key_pem).unwrap();
    let assertion = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &claims,
        &key,
    )
    .unwrap();
    let resp = client
        .post(format!("{}/oauth/token", emu.url()))
        .form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

fn rest(emu: &Emulator, path: &str) -> String {
    let creds = emu.default_credentials().unwrap();
    format!(
        "{}/restapi/v2.1/accounts/{}{path}",
        emu.url(),
        creds.account_id
    )
}

/// A plain-HTTP client, as a browser on this machine: no CA of ours, no redirects followed.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .tls_built_in_root_certs(false)
        .build()
        .unwrap()
}

/// The consent URL over plain HTTP for the default world's integration key.
fn consent_page_url(emu: &Emulator) -> String {
    let creds = emu.default_credentials().unwrap();
    let mut url = url::Url::parse(&format!("{}/oauth/auth", emu.consent_base())).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("scope", "signature impersonation")
        .append_pair("client_id", &creds.integration_key)
        .append_pair("redirect_uri", &creds.redirect_uri)
        .append_pair("state", "s1");
    url.to_string()
}

/// Opens the consent page over plain HTTP, clicks Allow, follows the redirect; returns the
/// landing page's HTML.
async fn allow_in_browser(emu: &Emulator) -> String {
    let b = browser();
    let page = b.get(consent_page_url(emu)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("value=\"allow\""), "{html}");
    let creds = emu.default_credentials().unwrap();
    // The form posts to the relative /oauth/auth: the same plain-HTTP origin.
    assert!(html.contains("action=\"/oauth/auth\""));
    let decision = b
        .post(format!("{}/oauth/auth", emu.consent_base()))
        .form(&[
            ("user_id", creds.user_id.as_str()),
            ("client_id", creds.integration_key.as_str()),
            ("redirect_uri", creds.redirect_uri.as_str()),
            ("scope", "signature impersonation"),
            ("state", "s1"),
            ("response_type", "code"),
            ("decision", "allow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(decision.status(), 302);
    let location = decision.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{}{CONSENT_GIVEN_PATH}?code=", emu.consent_base())),
        "{location}"
    );
    let landing = b.get(&location).send().await.unwrap();
    assert_eq!(landing.status(), 200);
    landing.text().await.unwrap()
}

#[tokio::test]
async fn restart_on_the_same_folder_is_the_same_docusign() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sandbox");

    // First run: consent through the page, send an envelope, void another.
    let first = start_in(&data, false).await;
    assert!(!first.resumed());
    let ready1 = first.ready_line();
    let ca1 = std::fs::read(first.ca_cert_path()).unwrap();
    let client = client(&ca1);
    let key = std::fs::read(&first.default_credentials().unwrap().private_key).unwrap();
    assert_eq!(
        token(&client, &first, &key).await.1["error"],
        "consent_required"
    );
    let landing = allow_in_browser(&first).await;
    assert!(landing.contains("Consent given"), "{landing}");
    let (status, body) = token(&client, &first, &key).await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap().to_owned();
    let sent: Value = client
        .post(rest(&first, "/envelopes"))
        .bearer_auth(&access)
        .json(&json!({
            "templateId": docusign_emulator::DEFAULT_NDA_TEMPLATE_ID,
            "status": "sent",
            "emailSubject": "Kept across restarts",
            "templateRoles": [{"roleName": "Signer 1", "name": "Pat Doe", "email": "pat@example.com"}]
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sent_id = sent["envelopeId"].as_str().unwrap().to_owned();
    let voided_id = docusign_emulator::DEFAULT_ENVELOPES[1].0;
    let void = client
        .put(rest(&first, &format!("/envelopes/{voided_id}")))
        .bearer_auth(&access)
        .json(&json!({"status": "voided", "voidedReason": "changed my mind"}))
        .send()
        .await
        .unwrap();
    assert_eq!(void.status(), 200);
    let port = first.addr().port();
    first.shutdown().await;

    // The saved world holds no private key and is not readable by others.
    let saved = std::fs::read_to_string(data.join(WORLD_FILE)).unwrap();
    assert!(!saved.contains("PRIVATE KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join(WORLD_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Second run: same ids, port and CA; consent holds; the envelopes are as left.
    let second = start_in(&data, false).await;
    assert!(second.resumed());
    let ready2 = second.ready_line();
    for field in [
        "integration_key",
        "user_id",
        "account_id",
        "private_key",
        "ca_cert",
        "url",
        "base_uri",
        "redirect_uri",
    ] {
        assert_eq!(ready1[field], ready2[field], "{field}");
    }
    assert_eq!(
        ready1.as_object().unwrap().keys().collect::<Vec<_>>(),
        ready2.as_object().unwrap().keys().collect::<Vec<_>>(),
        "the ready line keeps its shape"
    );
    assert_eq!(second.addr().port(), port);
    assert_eq!(std::fs::read(second.ca_cert_path()).unwrap(), ca1);
    // The client built from the first run's CA trusts the second run's certificate.
    let (status, body) = token(&client, &second, &key).await;
    assert_eq!(status, 200, "consent holds across the restart: {body}");
    let access = body["access_token"].as_str().unwrap().to_owned();
    let get = |id: String| {
        let (client, url, access) = (
            client.clone(),
            rest(&second, &format!("/envelopes/{id}")),
            access.clone(),
        );
        async move {
            client
                .get(url)
                .bearer_auth(access)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let kept = get(sent_id.clone()).await;
    assert_eq!(kept["status"], "sent");
    assert_eq!(kept["emailSubject"], "Kept across restarts");
    let voided = get(voided_id.to_owned()).await;
    assert_eq!(voided["status"], "voided");
    assert_eq!(voided["voidedReason"], "changed my mind");
    second.shutdown().await;

    // Fresh: a new world in the same folder.
    let third = start_in(&data, true).await;
    assert!(!third.resumed());
    assert_ne!(
        third.ready_line()["integration_key"],
        ready1["integration_key"]
    );
    assert_ne!(std::fs::read(third.ca_cert_path()).unwrap(), ca1);
    third.shutdown().await;
}

#[tokio::test]
async fn a_taken_port_gives_another_port_and_the_same_identity() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_in(dir.path(), false).await;
    let ik = first.ready_line()["integration_key"].clone();
    let port = first.addr().port();
    first.shutdown().await;
    let squatter = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let second = start_in(dir.path(), false).await;
    assert_ne!(second.addr().port(), port);
    assert_eq!(second.ready_line()["integration_key"], ik);
    assert_eq!(
        second.ready_line()["redirect_uri"],
        json!(format!("{}{CONSENT_GIVEN_PATH}", second.consent_base()))
    );
    drop(squatter);
}

#[tokio::test]
async fn a_damaged_world_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(WORLD_FILE), b"{\"format\": 1, \"por").unwrap();
    let err = Emulator::start(EmulatorConfig::new(dir.path()))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains(WORLD_FILE), "{err}");
}

#[tokio::test]
async fn consent_page_over_plain_http_and_everything_else_https_only() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start_in(dir.path(), false).await;
    assert!(emu.consent_base().starts_with("http://127.0.0.1:"));
    assert_eq!(
        emu.consent_base().trim_start_matches("http://"),
        emu.url().trim_start_matches("https://"),
        "same port"
    );
    let landing = allow_in_browser(&emu).await;
    assert!(landing.contains("Consent given"));
    assert!(landing.contains("go back"));
    assert!(!landing.contains("code="), "the code is not shown");
    assert!(emu.has_consent(
        &emu.default_credentials().unwrap().user_id,
        &emu.default_credentials().unwrap().integration_key
    ));

    // Deny lands on a page that says so.
    let b = browser();
    let creds = emu.default_credentials().unwrap();
    let deny = b
        .post(format!("{}/oauth/auth", emu.consent_base()))
        .form(&[
            ("user_id", creds.user_id.as_str()),
            ("client_id", creds.integration_key.as_str()),
            ("redirect_uri", creds.redirect_uri.as_str()),
            ("scope", "signature impersonation"),
            ("decision", "deny"),
        ])
        .send()
        .await
        .unwrap();
    let location = deny.headers()["location"].to_str().unwrap().to_owned();
    let page = b.get(&location).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Consent not given"), "{page}");

    // Token, userinfo, REST and admin: HTTPS only.
    let base = emu.consent_base();
    for (method, path) in [
        ("POST", "/oauth/token".to_owned()),
        ("GET", "/oauth/userinfo".to_owned()),
        ("GET", rest(&emu, "/envelopes").replace(&emu.url(), "")),
        ("GET", "/__emulator/world".to_owned()),
    ] {
        let req = match method {
            "POST" => b.post(format!("{base}{path}")).form(&[("grant_type", "x")]),
            _ => b.get(format!("{base}{path}")),
        };
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 403, "{method} {path} over plain HTTP");
        let text = resp.text().await.unwrap();
        assert!(text.contains(&emu.url()), "{text}");
    }
    // ...and still served over HTTPS.
    let ca = std::fs::read(emu.ca_cert_path()).unwrap();
    let https = client(&ca);
    let world = https
        .get(format!("{}/__emulator/world", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(world.status(), 200);
}

/// Issue 14: requests that change nothing `world.json` holds (a token, the request log, the
/// clock, faults, revoked tokens) do not rewrite it. With 100,000 envelopes each rewrite was
/// hundreds of megabytes of JSON, and the token request did not answer within 30 s. What does
/// change the world (a bulk load, a lifecycle move) is still saved before the answer.
#[tokio::test]
async fn requests_that_change_nothing_saved_do_not_rewrite_the_world() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sandbox");
    let mut config = EmulatorConfig::new(&data);
    config.grant_consent = true;
    let emu = Emulator::start(config).await.unwrap();
    let client = client(&std::fs::read(emu.ca_cert_path()).unwrap());
    let creds = emu.default_credentials().unwrap();
    let key = std::fs::read(&creds.private_key).unwrap();
    let world = data.join(WORLD_FILE);
    let moved = data.join("world.before.json");
    let admin = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let req = client.request(method, format!("{}/__emulator/{path}", emu.url()));
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        let path = path.to_owned();
        async move {
            let resp = req.send().await.unwrap();
            assert!(resp.status().is_success(), "{path}: {}", resp.status());
        }
    };
    let saved_envelopes = |path: &Path| -> usize {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        v["accounts"]["accounts"][&creds.account_id]["envelopes"]
            .as_array()
            .unwrap()
            .len()
    };
    let at_start = saved_envelopes(&world);

    // A bulk load changes the world: saved before the answer.
    admin(
        reqwest::Method::POST,
        &format!("accounts/{}/envelopes/bulk", creds.account_id),
        Some(json!({"count": 300})),
    )
    .await;
    assert_eq!(saved_envelopes(&world), at_start + 300);

    // Moved aside: any save from now on writes a new world.json.
    std::fs::rename(&world, &moved).unwrap();
    let (status, body) = token(&client, &emu, &key).await;
    assert_eq!(status, 200, "{body}");
    admin(reqwest::Method::DELETE, "requests", None).await;
    admin(
        reqwest::Method::POST,
        "clock",
        Some(json!({"advance_seconds": 60})),
    )
    .await;
    admin(reqwest::Method::DELETE, "faults", None).await;
    admin(reqwest::Method::DELETE, "tokens", None).await;
    assert!(
        !world.exists(),
        "a token, the request log, the clock, faults and revoked tokens are not saved, so they do not rewrite world.json"
    );

    // A lifecycle move is saved again, with every envelope.
    let envelope = docusign_emulator::DEFAULT_ENVELOPES
        .iter()
        .find(|(_, status)| *status == "sent")
        .map(|(id, _)| *id)
        .unwrap();
    admin(
        reqwest::Method::POST,
        &format!(
            "accounts/{}/envelopes/{envelope}/recipients/1/deliver",
            creds.account_id
        ),
        None,
    )
    .await;
    assert_eq!(saved_envelopes(&world), at_start + 300);
    emu.shutdown().await;
}
