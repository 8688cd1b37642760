//! The eSignature REST half over real HTTPS, with tokens from the OAuth half.
#![allow(dead_code, clippy::unwrap_used)]

use docusign_emulator::{Emulator, EmulatorConfig};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::common::*;

mod conformance;
mod documents;
mod envelopes;
mod fidelity;
mod lifecycle;
mod limits;
mod list;
mod templates;
mod world;

/// A response, decoded as JSON when it is JSON.
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.json["errorCode"].as_str().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert!(
            (200..300).contains(&self.status),
            "status {}: {}",
            self.status,
            self.text
        );
        &self.json
    }

    #[track_caller]
    pub fn error(&self, status: u16, code: &str) -> &str {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.code(), code, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            "application/json; charset=utf-8"
        );
        self.json["message"].as_str().unwrap()
    }
}

/// An emulator plus a working token for one account.
pub struct Ds {
    pub t: TestEmu,
    pub token: String,
    pub account: String,
    pub user: String,
}

impl Ds {
    pub fn rest(&self, path: &str) -> String {
        format!(
            "{}/restapi/v2.1/accounts/{}{path}",
            self.t.emu.url(),
            self.account
        )
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            text,
            json,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.t.client.get(self.rest(path)).bearer_auth(&self.token))
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(
            self.t
                .client
                .post(self.rest(path))
                .bearer_auth(&self.token)
                .json(&body),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(
            self.t
                .client
                .put(self.rest(path))
                .bearer_auth(&self.token)
                .json(&body),
        )
        .await
    }

    /// GET returning raw bytes.
    pub async fn get_bytes(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, HeaderMap, Vec<u8>) {
        let mut req = self.t.client.get(self.rest(path)).bearer_auth(&self.token);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let h = resp.headers().clone();
        (status, h, resp.bytes().await.unwrap().to_vec())
    }

    /// POST to the admin API; returns (status, body).
    pub async fn admin(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .t
            .client
            .post(self.t.url(&format!("/__emulator{path}")))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// POST to the admin API, which must succeed.
    pub async fn admin_ok(&self, path: &str, body: Value) -> Value {
        let (status, v) = self.admin(path, body).await;
        assert_eq!(status, 200, "{path}: {v}");
        v
    }

    pub async fn recipient_action(
        &self,
        envelope: &str,
        recipient: &str,
        action: &str,
        body: Value,
    ) -> (u16, Value) {
        self.admin(
            &format!(
                "/accounts/{}/envelopes/{envelope}/recipients/{recipient}/{action}",
                self.account
            ),
            body,
        )
        .await
    }

    pub async fn bulk(&self, body: Value) -> Value {
        self.admin_ok(&format!("/accounts/{}/envelopes/bulk", self.account), body)
            .await
    }

    /// Moves the emulator clock to 10 s after the next top of the hour.
    pub async fn align_to_hour(&self) {
        let now = self.t.get_json("/__emulator/clock").await["now"]
            .as_i64()
            .unwrap();
        let next = (now.div_euclid(3600) + 1) * 3600 + 10;
        self.advance(next - now).await;
    }

    pub async fn advance(&self, seconds: i64) {
        self.admin_ok("/clock", json!({"advance_seconds": seconds}))
            .await;
    }

    /// Lifts the per-envelope limits (for tests that read one envelope many times).
    pub async fn relax_limits(&self) {
        self.admin_ok(
            "/limits",
            json!({"envelope_get_hourly": 100000, "envelope_get_burst": 100000, "burst": 100000}),
        )
        .await;
    }
}

/// The default world (fixed template/envelope ids), consent granted, token for its user.
pub async fn default_world() -> Ds {
    let dir = tempfile::tempdir().unwrap();
    let mut config = EmulatorConfig::new(dir.path().join("data"));
    config.grant_consent = true;
    let emu = Emulator::start(config).await.unwrap();
    let creds = emu.default_credentials().unwrap().clone();
    let ca = std::fs::read(emu.ca_cert_path()).unwrap();
    let t = TestEmu {
        client: client(&ca),
        emu,
        dir,
    };
    let now = now();
    let claims = json!({
        "iss": creds.integration_key, "sub": creds.user_id, "aud": t.aud(),
        "iat": now, "exp": now + 3600, "scope": "signature impersonation"
    });
    let pem = std::fs::read(&creds.private_key).unwrap();
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(&pem).unwrap();
    let assertion = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &claims,
        &key,
    )
    .unwrap();
    let (status, body) = t
        .token_form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", &assertion),
        ])
        .await;
    assert_eq!(status, 200, "{body}");
    Ds {
        token: body["access_token"].as_str().unwrap().to_owned(),
        account: creds.account_id.clone(),
        user: creds.user_id.clone(),
        t,
    }
}

/// The test world of `common` (USER on ACCOUNT) with `esignature` data for ACCOUNT.
pub async fn world_with(esign_account: Value) -> Ds {
    let mut w = world(true);
    // long-lived tokens: tests move the clock by hours
    w["token_lifetime_seconds"] = json!(86400);
    w["esignature"] = json!({ ACCOUNT: esign_account });
    let t = start_world(w).await;
    let token = t.access_token().await;
    Ds {
        t,
        token,
        account: ACCOUNT.to_owned(),
        user: USER.to_owned(),
    }
}

/// A small template: one placeholder signer "Signer 1" with a text and a company tab.
pub fn small_template(id: &str) -> Value {
    json!({
        "template_id": id,
        "name": "Small",
        "documents": [{"document_id": "1", "name": "Small.pdf"}],
        "roles": [{"role_name": "Signer 1", "tabs": [
            {"type": "text", "tab_label": "Address"},
            {"type": "company", "tab_label": "Company"}
        ]}]
    })
}

pub const TEMPLATE: &str = "3e1c7a10-0000-4000-8000-0000000000a1";

/// The NDA template's id, as exposed by the emulator.
pub use docusign_emulator::{
    DEFAULT_ENVELOPES, DEFAULT_NDA_TEMPLATE_ID, DEFAULT_OFFER_TEMPLATE_ID,
};

/// Default world envelope id by index (0 = draft, 1 sent, 2 delivered, 3 completed, 4 voided,
/// 5 offer sent, 6 offer completed, 7 offer declined, 8 ad-hoc sent).
pub fn env_id(i: usize) -> &'static str {
    DEFAULT_ENVELOPES[i].0
}

/// `2026-11-29T10:00:00.1234567Z`
pub fn is_ds_time(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 28
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && b[27] == b'Z'
        && s[20..27].bytes().all(|c| c.is_ascii_digit())
}

/// A send-from-template body.
pub fn nda_body(role: &str, status: &str, tabs: Value) -> Value {
    json!({
        "templateId": DEFAULT_NDA_TEMPLATE_ID,
        "status": status,
        "emailSubject": "Test NDA",
        "templateRoles": [{"roleName": role, "name": "Test Person", "email": "test@example.com", "tabs": tabs}]
    })
}

/// The signers of an envelope (GET recipients?include_tabs=true).
pub async fn signers(ds: &Ds, envelope: &str) -> Vec<Value> {
    ds.get(&format!(
        "/envelopes/{envelope}/recipients?include_tabs=true"
    ))
    .await
    .ok()["signers"]
        .as_array()
        .unwrap()
        .clone()
}

/// The tab `label` in `collection` of a signer's tabs.
pub fn find_tab<'a>(signer: &'a Value, collection: &str, label: &str) -> Option<&'a Value> {
    signer["tabs"][collection]
        .as_array()?
        .iter()
        .find(|t| t["tabLabel"] == label)
}
