//! Start-up: the default world, bad world files, a taken port, an unwritable data dir.
#![allow(clippy::unwrap_used)]

use docusign_emulator::{Emulator, EmulatorConfig, EmulatorError};
use serde_json::{json, Value};

use crate::common::*;

fn rsa_key_from_file(path: &std::path::Path) -> rsa::RsaPrivateKey {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    let pem = std::fs::read_to_string(path).unwrap();
    assert!(
        pem.starts_with(&format!("-----BEGIN {}-----", "RSA PRIVATE KEY")),
        "PKCS#1 as DocuSign hands out"
    );
    rsa::RsaPrivateKey::from_pkcs1_pem(&pem).unwrap()
}

#[tokio::test]
async fn default_world_with_consent() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = EmulatorConfig::new(dir.path().join("data"));
    config.grant_consent = true;
    let emu = Emulator::start(config).await.unwrap();
    assert_eq!(emu.environment(), "sandbox");
    let creds = emu.default_credentials().unwrap().clone();
    assert_eq!(creds.base_uri, emu.url());
    assert_eq!(
        creds.redirect_uri,
        format!(
            "{}{}",
            emu.consent_base(),
            docusign_emulator::CONSENT_GIVEN_PATH
        )
    );
    assert_eq!(creds.private_key, dir.path().join("data/private_key.pem"));
    assert!(emu.url().starts_with("https://127.0.0.1:"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&creds.private_key)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let ready = emu.ready_line();
    for field in [
        "url",
        "ca_cert",
        "private_key",
        "integration_key",
        "user_id",
        "account_id",
        "base_uri",
        "redirect_uri",
    ] {
        assert!(
            ready[field].is_string(),
            "ready line lacks {field}: {ready}"
        );
    }
    assert_eq!(
        ready["ca_cert"],
        json!(emu.ca_cert_path().to_string_lossy())
    );

    // The written private key's public half is registered on the integration key.
    let key = rsa_key_from_file(&creds.private_key);
    let ca = std::fs::read(emu.ca_cert_path()).unwrap();
    let client = client(&ca);
    let now = now();
    let claims = json!({"iss": creds.integration_key, "sub": creds.user_id, "aud": emu.oauth_host(),
        "iat": now, "exp": now + 3600, "scope": "signature impersonation"});
    let resp = client
        .post(format!("{}/oauth/token", emu.url()))
        .form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", sign(&key, &claims).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let token = resp.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let info: Value = client
        .get(format!("{}/oauth/userinfo", emu.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["name"], "Sandbox User");
    assert_eq!(info["accounts"][0]["account_id"], json!(creds.account_id));
    assert_eq!(info["accounts"][0]["account_name"], "Sandbox Account");
    assert_eq!(info["accounts"][0]["is_default"], json!(true));
    assert_eq!(info["accounts"][0]["base_uri"], json!(emu.url()));
    emu.shutdown().await;
}

#[tokio::test]
async fn default_world_without_consent() {
    let dir = tempfile::tempdir().unwrap();
    let emu = Emulator::start(EmulatorConfig::new(dir.path()))
        .await
        .unwrap();
    let creds = emu.default_credentials().unwrap();
    let key = rsa_key_from_file(&creds.private_key);
    let client = client(&std::fs::read(emu.ca_cert_path()).unwrap());
    let now = now();
    let claims = json!({"iss": creds.integration_key, "sub": creds.user_id, "aud": emu.oauth_host(),
        "iat": now, "exp": now + 3600, "scope": "signature impersonation"});
    let resp = client
        .post(format!("{}/oauth/token", emu.url()))
        .form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", sign(&key, &claims).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"error": "consent_required"})
    );
    emu.shutdown().await;
}

async fn start_with_world_text(text: &str) -> Result<Emulator, EmulatorError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    std::fs::write(&path, text).unwrap();
    let mut config = EmulatorConfig::new(dir.path().join("data"));
    config.world = Some(path);
    Emulator::start(config).await
}

#[tokio::test]
async fn bad_world_files_name_the_field() {
    let mut w = world(false);
    w["users"][0]["emial"] = json!("typo@example.com");
    let err = start_with_world_text(&serde_json::to_string_pretty(&w).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, EmulatorError::WorldSyntax { .. }), "{err}");
    assert!(err.to_string().contains("emial"), "{err}");
    assert!(err.to_string().contains("line"), "{err}");

    let mut w = world(false);
    w["integration_keys"][1]["integration_key"] = json!("not-a-guid");
    let err = start_with_world_text(&w.to_string()).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("integration_keys[1].integration_key"),
        "{err}"
    );

    let mut w = world(false);
    w["integration_keys"][0]["public_keys"] =
        json!(["-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"]);
    let err = start_with_world_text(&w.to_string()).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("integration_keys[0].public_keys[0]"),
        "{err}"
    );

    let mut w = world(false);
    w["integration_keys"][0]["redirect_uris"] = json!(["/callback"]);
    let err = start_with_world_text(&w.to_string()).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("integration_keys[0].redirect_uris[0]"),
        "{err}"
    );

    let mut w = world(false);
    w["consents"] =
        json!([{"user_id": USER, "integration_key": "11111111-2222-3333-4444-555555555555"}]);
    let err = start_with_world_text(&w.to_string()).await.unwrap_err();
    assert!(
        err.to_string().contains("consents[0].integration_key"),
        "{err}"
    );

    let err = start_with_world_text("{\n  \"environment\": \"demo\",\n}")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");

    let mut config = EmulatorConfig::new(tempfile::tempdir().unwrap().path());
    config.world = Some("/nonexistent/world.json".into());
    let err = Emulator::start(config).await.unwrap_err();
    assert!(matches!(err, EmulatorError::WorldRead { .. }), "{err}");
}

#[tokio::test]
async fn public_key_file_relative_to_world() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ik.pub.pem"), spki_pem(&keys().registered)).unwrap();
    let mut w = world(true);
    w["integration_keys"][0]["public_keys"] = json!([]);
    w["integration_keys"][0]["public_key_files"] = json!(["ik.pub.pem"]);
    let path = dir.path().join("world.json");
    std::fs::write(&path, w.to_string()).unwrap();
    let mut config = EmulatorConfig::new(dir.path().join("data"));
    config.world = Some(path);
    let emu = Emulator::start(config).await.unwrap();
    assert!(emu.default_credentials().is_none());
    assert_eq!(emu.ready_line().as_object().unwrap().len(), 2);
    let client = client(&std::fs::read(emu.ca_cert_path()).unwrap());
    let now = now();
    let claims = json!({"iss": IK, "sub": USER, "aud": emu.oauth_host(),
        "iat": now, "exp": now + 3600, "scope": "signature impersonation"});
    let resp = client
        .post(format!("{}/oauth/token", emu.url()))
        .form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", sign(&keys().registered, &claims).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn port_in_use_and_unwritable_data_dir() {
    let t = start(false).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = EmulatorConfig::new(dir.path().join("data"));
    config.world = Some(dir.path().join("world.json"));
    std::fs::write(dir.path().join("world.json"), world(false).to_string()).unwrap();
    config.listen = t.emu.addr();
    let err = Emulator::start(config).await.unwrap_err();
    assert!(matches!(err, EmulatorError::PortInUse { .. }), "{err}");
    assert!(err.to_string().contains("already in use"), "{err}");

    // A regular file where the data directory should be.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = Emulator::start(EmulatorConfig::new(file.join("sub")))
        .await
        .unwrap_err();
    assert!(matches!(err, EmulatorError::DataDir { .. }), "{err}");
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let t = start(false).await;
    let url = t.emu.url();
    let client = t.client.clone();
    t.emu.shutdown().await;
    assert!(client
        .get(format!("{url}/__emulator/health"))
        .send()
        .await
        .is_err());
}

/// A listen address other machines can reach is refused without `allow_remote`, before
/// anything is written; loopback addresses (v4, v6, v4-mapped) are not remote.
#[tokio::test]
async fn remote_listen_needs_allow_remote() {
    use docusign_emulator::listens_remotely;
    for local in [
        "127.0.0.1:0",
        "127.1.2.3:80",
        "[::1]:0",
        "[::ffff:127.0.0.1]:0",
    ] {
        assert!(!listens_remotely(local.parse().unwrap()), "{local}");
    }
    for remote in [
        "0.0.0.0:0",
        "[::]:0",
        "192.168.1.10:8443",
        "[::ffff:10.0.0.1]:0",
    ] {
        assert!(listens_remotely(remote.parse().unwrap()), "{remote}");
    }

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut config = EmulatorConfig::new(&data);
    config.listen = "0.0.0.0:0".parse().unwrap();
    let err = Emulator::start(config.clone()).await.unwrap_err();
    assert!(
        matches!(err, EmulatorError::RemoteNotAllowed { addr } if addr == config.listen),
        "{err:?}"
    );
    assert!(err.to_string().contains("no authentication"), "{err}");
    assert!(!data.exists(), "nothing written before the refusal");

    config.allow_remote = true;
    let emu = Emulator::start(config).await.unwrap();
    assert!(emu.url().starts_with("https://127.0.0.1:"), "{}", emu.url());
    emu.shutdown().await;
}
