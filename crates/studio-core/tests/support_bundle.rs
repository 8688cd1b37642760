//! The support bundle against the real emulator over HTTPS and a REAL Secret Service (run under
//! scripts/with-keyring.sh): a health check and a few actions with a real key and real tokens,
//! then the bundle, then a scan of every file in it for the key, the tokens and the assertion
//! captured on the way, PEM markers and `Authorization` values.

#![allow(clippy::unwrap_used)]

mod common;
use common::keyring_store;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use docusign_api::assertion::{self, Claims};
use docusign_api::environment::AuthServer;
use docusign_api::oauth::{self, OAuthClient};
use studio_core::actions::ActionRequest;
use studio_core::connections::{Connection, Environment};
use studio_core::health;
use studio_core::sandbox::{Emulator, EmulatorConfig};
use studio_core::support::{self, BundleSource};
use studio_core::workspace::Workspace;

const NDA: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01";

/// Every file of the zip, by name, as text.
fn unzip(path: &Path) -> Vec<(String, String)> {
    let f = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(f).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut text = String::new();
        e.read_to_string(&mut text).unwrap();
        out.push((e.name().unwrap().to_string(), text));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_bundle_has_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring_store("support_bundle", &dir.path().join("config"));
    // The sandbox, consent given, saved as a connection with its key in the keyring.
    let mut config = EmulatorConfig::new(dir.path().join("emu"));
    config.grant_consent = true;
    let emu = Emulator::start(config).await.unwrap();
    let c = emu.default_credentials().unwrap().clone();
    let mut conn = Connection::new(
        "Sandbox",
        Environment::Sandbox,
        c.integration_key.clone(),
        c.user_id.clone(),
        c.account_id.clone(),
        c.base_uri.clone(),
    );
    conn.auth_server = emu.url().parse().unwrap();
    conn.ca_cert = Some(emu.ca_cert_path().to_path_buf());
    conn.redirect_uri = Some(c.redirect_uri.clone());
    let key_file = std::fs::read(&c.private_key).unwrap();
    let s = store.clone();
    let k = key_file.clone();
    tokio::task::spawn_blocking(move || s.create(conn, &k))
        .await
        .unwrap()
        .unwrap();
    let data = dir.path().join("data");
    let ws = Workspace::open(store.clone(), &data).unwrap();

    // The health check (real assertion, real token), kept as the latest report.
    let s = store.clone();
    let mut input = tokio::task::spawn_blocking(move || s.check_input("Sandbox"))
        .await
        .unwrap()
        .unwrap();
    input.observer = Some(Arc::new(ws.ledger().clone()));
    let report = health::run(&input).await;
    assert!(report.ok, "{report:#?}");
    support::record_health_report(ws.state(), "Sandbox", &report).unwrap();

    // A few actions (one of them refused by DocuSign, so an error code is in the ledger).
    for req in [
        ActionRequest::ListTemplates,
        ActionRequest::GetTemplateRoles {
            template_id: NDA.into(),
        },
        ActionRequest::ListEnvelopes {
            from_date: None,
            to_date: None,
            status: None,
            folder_id: None,
            template_id: None,
            user_filter: None,
        },
        ActionRequest::GetEnvelope {
            envelope_id: "00000000-0000-4000-8000-000000000000".into(),
        },
    ] {
        ws.run_action("Sandbox", &req, |_, _| {}).await;
    }

    // The secrets of this run: the token the actions used, a second assertion and its token,
    // the private key (as the file and as PKCS#1 PEM).
    let (client, _) = ws.client("Sandbox").unwrap();
    let token_used = client.access_token().await.unwrap().secret().to_string();
    let auth = AuthServer::parse(&emu.url()).unwrap();
    let s = store.clone();
    let loaded = tokio::task::spawn_blocking(move || s.private_key("Sandbox"))
        .await
        .unwrap()
        .unwrap();
    let claims = Claims::new(&c.integration_key, &c.user_id, &auth, SystemTime::now());
    let assertion = assertion::sign(&loaded.key, claims).unwrap();
    let http = oauth::http_client(
        Some(&std::fs::read(emu.ca_cert_path()).unwrap()),
        std::time::Duration::from_secs(20),
    )
    .unwrap();
    let minted = OAuthClient::new(auth, http)
        .request_token(&assertion)
        .await
        .unwrap();
    let token_minted = minted.access_token.secret().to_string();
    let key_pem = loaded.key.to_pkcs1_pem();
    let key_file_text = String::from_utf8(key_file).unwrap();

    // A careless log: the app never writes these, but if it ever did, the bundle must not
    // carry them on.
    let log_dir = data.join("logs");
    std::fs::create_dir_all(&log_dir).unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let log = studio_core::logging::file_of_day(&log_dir, today);
    std::fs::write(
        &log,
        format!(
            "2026-01-01T00:00:00Z  INFO starting version=0.1.0\n\
             2026-01-01T00:00:01Z  INFO run_health_check: ok\n\
             2026-01-01T00:00:02Z DEBUG request headers: Authorization: Bearer {token_used}\n\
             2026-01-01T00:00:03Z DEBUG token form: grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={}\n\
             2026-01-01T00:00:04Z DEBUG answer {{\"access_token\":\"{token_minted}\",\"token_type\":\"Bearer\"}}\n\
             2026-01-01T00:00:05Z DEBUG key {key_pem}\n",
            assertion.secret()
        ),
    )
    .unwrap();

    let out = dir.path().join("bundle.zip");
    let source = BundleSource {
        app_name: "DocuSign JWT Studio".into(),
        app_version: "test".into(),
        connection: None, // the only saved connection
        log_dir: Some(log_dir),
    };
    let summary = support::write_bundle(&store, ws.state(), &source, &out)
        .await
        .unwrap();
    assert!(summary.notes.is_empty(), "{:?}", summary.notes);
    assert!(summary.redactions >= 4, "{summary:?}");
    let files = unzip(&out);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "README.txt",
            "versions.json",
            "connection.json",
            "health-report.json",
            "golive.json",
            "ledger.json",
            "app.log",
            "emulator-requests.json"
        ]
    );
    assert_eq!(summary.entries, names);

    // The scan: none of this run's secrets, no PEM marker, no Authorization value.
    let mut secrets: Vec<(&str, String)> = vec![
        ("the access token the actions used", token_used.clone()),
        ("a minted access token", token_minted.clone()),
        ("the JWT assertion", assertion.secret().to_string()),
        (
            "the assertion's signature",
            assertion.secret().rsplit('.').next().unwrap().to_string(),
        ),
    ];
    for pem in [&key_pem, &key_file_text] {
        for line in pem
            .lines()
            .filter(|l| l.len() >= 16 && !l.starts_with("-----"))
        {
            secrets.push(("a line of the private key", line.to_string()));
        }
    }
    let dashes = "-----";
    for (name, text) in &files {
        for (what, secret) in &secrets {
            assert!(!text.contains(secret.as_str()), "{name} holds {what}");
        }
        for marker in [
            format!("{dashes}BEGIN"),
            format!("{dashes}END"),
            "PRIVATE KEY".into(),
        ] {
            assert!(
                !text.contains(&marker),
                "{name} holds a PEM marker {marker}"
            );
        }
        let lower = text.to_lowercase();
        for (i, _) in lower.match_indices("bearer ") {
            let after = &text[i + "bearer ".len()..];
            assert!(
                after.starts_with("<redacted>"),
                "{name} holds an Authorization value: {}",
                &after[..after.len().min(12)]
            );
        }
    }

    // And it is useful: the report, the ledger rows, the request log, shortened IDs.
    let get = |n: &str| files.iter().find(|(f, _)| f == n).unwrap().1.clone();
    let health: serde_json::Value = serde_json::from_str(&get("health-report.json")).unwrap();
    assert_eq!(health["report"]["ok"], true, "{health:#}");
    let ledger: serde_json::Value = serde_json::from_str(&get("ledger.json")).unwrap();
    let rows = ledger.as_array().unwrap();
    assert!(rows.len() >= 6, "{ledger:#}");
    assert!(rows.len() <= support::LEDGER_ROWS);
    assert!(rows
        .iter()
        .any(|r| r["error_code"] == "ENVELOPE_DOES_NOT_EXIST" && r["status"] == 400));
    assert!(rows
        .iter()
        .all(|r| r["method"].is_string() && r["path"].is_string()));
    let requests: serde_json::Value = serde_json::from_str(&get("emulator-requests.json")).unwrap();
    assert!(
        requests.as_array().is_some_and(|a| a.len() >= 6),
        "{requests:#}"
    );
    let connection: serde_json::Value = serde_json::from_str(&get("connection.json")).unwrap();
    assert_eq!(
        connection["integration_key"],
        support::shorten_id(&c.integration_key)
    );
    assert!(!get("connection.json").contains(&c.user_id));
    let golive: serde_json::Value = serde_json::from_str(&get("golive.json")).unwrap();
    assert!(golive["streak"].is_number(), "{golive:#}");
    assert!(get("app.log").contains("run_health_check: ok"));
    emu.shutdown().await;
}

#[tokio::test]
async fn support_bundle_refuses_an_unknown_connection_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring_store("support_unknown", &dir.path().join("config"));
    let ws = Workspace::open(store.clone(), &dir.path().join("data")).unwrap();
    let out = dir.path().join("b.zip");
    let source = BundleSource {
        app_name: "dsjwt".into(),
        app_version: "test".into(),
        connection: Some("Nope".into()),
        log_dir: None,
    };
    let err = support::write_bundle(&store, ws.state(), &source, &out)
        .await
        .unwrap_err();
    assert_eq!(err.code, "not_found", "{err:?}");
    assert!(!out.exists());
    // With no connection at all, the bundle still has the versions and the log.
    let source = BundleSource {
        connection: None,
        ..source
    };
    let summary = support::write_bundle(&store, ws.state(), &source, &out)
        .await
        .unwrap();
    assert_eq!(summary.entries, ["README.txt", "versions.json", "app.log"]);
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("partial"))
            .count(),
        0
    );
}
