//! Shared helpers: RSA keys (generated once per test binary), a test world, a trusting client,
//! and assertion signing.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::OnceLock;

use docusign_emulator::{Emulator, EmulatorConfig};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

pub const IK: &str = "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01";
/// Integration key whose public key is registered as PKCS#1 `RSA PUBLIC KEY`.
pub const IK_PKCS1: &str = "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a02";
/// Integration key with no public key at all.
pub const IK_NO_KEYS: &str = "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a03";
pub const USER: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01";
pub const USER_NO_ACCOUNTS: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c02";
pub const ACCOUNT: &str = "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01";
pub const ACCOUNT2: &str = "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e02";
pub const ORG: &str = "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b01";
pub const REDIRECT: &str = "https://localhost/callback";

pub struct Keys {
    /// Registered on IK (SPKI) and IK_PKCS1 (PKCS#1).
    pub registered: RsaPrivateKey,
    /// Never registered anywhere.
    pub other: RsaPrivateKey,
}

pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand::thread_rng();
        Keys {
            registered: RsaPrivateKey::new(&mut rng, 2048).unwrap(),
            other: RsaPrivateKey::new(&mut rng, 2048).unwrap(),
        }
    })
}

pub fn spki_pem(key: &RsaPrivateKey) -> String {
    key.to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap()
}

pub fn pkcs1_public_pem(key: &RsaPrivateKey) -> String {
    key.to_public_key().to_pkcs1_pem(LineEnding::LF).unwrap()
}

pub fn private_pem(key: &RsaPrivateKey) -> String {
    key.to_pkcs1_pem(LineEnding::LF).unwrap().to_string()
}

/// The test world: three IKs, a user with two accounts (one "self", one fixed base URI with an
/// organization) and a user with no accounts. `consent` adds signature+impersonation for
/// USER on IK.
pub fn world(consent: bool) -> Value {
    let k = keys();
    json!({
        "environment": "demo",
        "token_lifetime_seconds": 3600,
        "integration_keys": [
            {"integration_key": IK, "name": "Test App", "public_keys": [spki_pem(&k.registered)],
             "redirect_uris": [REDIRECT, "http://localhost:8765/callback"]},
            {"integration_key": IK_PKCS1, "name": "PKCS1 App", "public_keys": [pkcs1_public_pem(&k.registered)],
             "redirect_uris": [REDIRECT]},
            {"integration_key": IK_NO_KEYS, "name": "Keyless App", "redirect_uris": [REDIRECT]}
        ],
        "users": [
            {"user_id": USER, "name": "Ada Lovelace", "email": "ada@example.com",
             "accounts": [
                {"account_id": ACCOUNT, "account_name": "Ada's Sandbox", "is_default": true, "base_uri": "self"},
                {"account_id": ACCOUNT2, "account_name": "Ada's Other", "is_default": false,
                 "base_uri": "https://demo.docusign.net", "organization_id": ORG}
             ]},
            {"user_id": USER_NO_ACCOUNTS, "name": "Nobody", "email": "nobody@example.com", "accounts": []}
        ],
        "consents": if consent {
            json!([
                {"user_id": USER, "integration_key": IK},
                {"user_id": USER, "integration_key": IK_PKCS1, "scopes": ["signature", "impersonation"]},
                {"user_id": USER, "integration_key": IK_NO_KEYS}
            ])
        } else { json!([]) }
    })
}

pub struct TestEmu {
    pub emu: Emulator,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
}

impl TestEmu {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.url())
    }

    /// `127.0.0.1:PORT`, the right `aud`.
    pub fn aud(&self) -> String {
        self.emu.oauth_host()
    }

    pub fn port(&self) -> u16 {
        self.emu.addr().port()
    }

    /// Claims for USER on IK, valid now (by the system clock), overridable.
    pub fn claims(&self, overrides: Value) -> Value {
        let now = now();
        let mut c = json!({
            "iss": IK, "sub": USER, "aud": self.aud(), "iat": now, "exp": now + 3600,
            "scope": "signature impersonation"
        });
        for (k, v) in overrides.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    }

    /// POST /oauth/token with a form body; returns (status, JSON body).
    pub async fn token_form(&self, form: &[(&str, &str)]) -> (u16, Value) {
        let resp = self
            .client
            .post(self.url("/oauth/token"))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body = resp.json::<Value>().await.unwrap();
        (status, body)
    }

    /// Signs `claims` with `key` (RS256) and exchanges it.
    pub async fn token(&self, key: &RsaPrivateKey, claims: &Value) -> (u16, Value) {
        let assertion = sign(key, claims);
        self.token_form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", &assertion),
        ])
        .await
    }

    /// A working access token for USER on IK (consent must be present).
    pub async fn access_token(&self) -> String {
        let (status, body) = self
            .token(&keys().registered, &self.claims(json!({})))
            .await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn admin_post(&self, path: &str, body: Value) -> Value {
        let resp = self
            .client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> Value {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn sign(key: &RsaPrivateKey, claims: &Value) -> String {
    let encoding = jsonwebtoken::EncodingKey::from_rsa_pem(private_pem(key).as_bytes()).unwrap();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        claims,
        &encoding,
    )
    .unwrap()
}

/// A reqwest client that trusts only the emulator's CA and does not follow redirects.
pub fn client(ca_pem: &[u8]) -> reqwest::Client {
    let cert = reqwest::Certificate::from_pem(ca_pem).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(cert)
        .tls_built_in_root_certs(false)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn start_world(world: Value) -> TestEmu {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&world).unwrap()).unwrap();
    let mut config = EmulatorConfig::new(dir.path().join("data"));
    config.world = Some(path);
    let emu = Emulator::start(config).await.unwrap();
    let ca = std::fs::read(emu.ca_cert_path()).unwrap();
    TestEmu {
        client: client(&ca),
        emu,
        dir,
    }
}

pub async fn start(consent: bool) -> TestEmu {
    start_world(world(consent)).await
}
