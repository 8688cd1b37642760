//! `sandbox_setup::start_sandbox` in-process with a REAL Secret Service.
//!
//! Run: `bash scripts/with-keyring.sh cargo test -p studio-core --test sandbox_setup`.
//! Fails when no Secret Service is reachable.

#![allow(clippy::unwrap_used)]

mod common;
use common::keyring_store;

use studio_core::connections::{Connection, Environment};
use studio_core::health;
use studio_core::sandbox_setup::{
    reset_sandbox, resume_sandbox, start_sandbox, SANDBOX_CONNECTION_NAME,
};

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_makes_a_working_sandbox_connection() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("sandbox", config.path());

    let session = start_sandbox(data.path(), &store).await.unwrap();
    assert_eq!(session.connection_name(), SANDBOX_CONNECTION_NAME);
    let url = session.url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    // The key went to the keyring; the PEM file is gone; the CA file stays.
    let sandbox_dir = data.path().join("sandbox");
    assert!(!sandbox_dir.join("private_key.pem").exists());
    assert!(sandbox_dir.join("ca.pem").exists());
    let s = store.clone();
    let conn = blocking(move || s.get(SANDBOX_CONNECTION_NAME))
        .await
        .unwrap();
    assert_eq!(&conn, session.connection());
    assert_eq!(conn.environment, Environment::Sandbox);
    assert_eq!(conn.auth_server.to_string(), url);
    assert_eq!(conn.base_uri, url);
    assert_eq!(
        conn.ca_cert.as_deref(),
        Some(sandbox_dir.join("ca.pem").as_path())
    );
    // After Allow the browser lands on the sandbox's own page (plain HTTP on loopback).
    assert_eq!(
        conn.redirect_uri,
        Some(format!(
            "{}{}",
            session.emulator().consent_base(),
            docusign_emulator::CONSENT_GIVEN_PATH
        ))
    );
    let s = store.clone();
    let key = blocking(move || s.private_key(SANDBOX_CONNECTION_NAME))
        .await
        .unwrap();
    assert_eq!(
        conn.key_fingerprint.as_deref(),
        Some(key.info.fingerprint.as_str())
    );
    let config_text = std::fs::read_to_string(store.config_path()).unwrap();
    assert!(!config_text.contains("PRIVATE KEY"));

    // No consent yet: the health check says so and offers the emulator's consent page.
    let s = store.clone();
    let input = blocking(move || s.check_input(SANDBOX_CONNECTION_NAME))
        .await
        .unwrap();
    let report = health::run(&input).await;
    assert_eq!(
        report.first_failure().map(|s| s.code.as_str()),
        Some("consent_required"),
        "{report:?}"
    );
    assert_eq!(
        report.consent_url.as_deref(),
        Some(session.consent_url().as_str())
    );
    let info = session.info();
    assert_eq!(info.url, url);
    assert!(!info.resumed && !info.consent_given);
    // The consent page opens over plain HTTP on the same port: no certificate warning.
    assert!(
        info.consent_url.starts_with(&format!(
            "{}/oauth/auth?",
            url.replace("https://", "http://")
        )),
        "{}",
        info.consent_url
    );

    // After consent (the browser's Allow, here through the emulator's API) everything passes.
    session.emulator().grant_consent(
        &conn.user_id,
        &conn.integration_key,
        &["signature", "impersonation"],
    );
    let report = health::run(&input).await;
    assert!(report.ok, "{report:?}");
    session.shutdown().await;

    let ca_before = std::fs::read(sandbox_dir.join("ca.pem")).unwrap();

    // The next start (an app restart) resumes the same sandbox: same identity, same
    // connection, consent still given, healthy at once.
    let session = resume_sandbox(data.path(), &store)
        .await
        .unwrap()
        .expect("a sandbox to resume");
    let s = store.clone();
    let again = blocking(move || s.get(SANDBOX_CONNECTION_NAME))
        .await
        .unwrap();
    assert_eq!(again.integration_key, conn.integration_key);
    assert_eq!(again.user_id, conn.user_id);
    assert_eq!(again.account_id, conn.account_id);
    assert_eq!(again.key_fingerprint, conn.key_fingerprint);
    assert!(session.info().resumed && session.info().consent_given);
    assert_eq!(
        std::fs::read(sandbox_dir.join("ca.pem")).unwrap(),
        ca_before
    );
    let s = store.clone();
    let input = blocking(move || s.check_input(SANDBOX_CONNECTION_NAME))
        .await
        .unwrap();
    let report = health::run(&input).await;
    assert!(report.ok, "healthy after the restart: {report:?}");
    session.shutdown().await;

    // start_sandbox resumes too.
    let session = start_sandbox(data.path(), &store).await.unwrap();
    assert!(session.info().resumed);
    assert_eq!(session.connection().integration_key, conn.integration_key);
    session.shutdown().await;

    // Reset makes a new identity, without consent, and replaces the connection.
    let session = reset_sandbox(data.path(), &store).await.unwrap();
    let s = store.clone();
    let fresh = blocking(move || s.get(SANDBOX_CONNECTION_NAME))
        .await
        .unwrap();
    assert_ne!(fresh.integration_key, conn.integration_key);
    assert_ne!(fresh.key_fingerprint, conn.key_fingerprint);
    assert_eq!(fresh.created_at, conn.created_at);
    assert!(!session.info().resumed && !session.info().consent_given);
    let s = store.clone();
    assert_eq!(blocking(move || s.list()).await.unwrap().len(), 1);
    drop(session);

    let s = store.clone();
    blocking(move || s.remove(SANDBOX_CONNECTION_NAME))
        .await
        .unwrap();

    // Nothing to resume without the Sandbox connection.
    assert!(resume_sandbox(data.path(), &store).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_connection_called_sandbox_is_left_alone() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("taken", config.path());
    let key = docusign_api::key::PrivateKey::generate(2048)
        .unwrap()
        .to_pkcs1_pem();
    let mine = Connection::new(
        "sandbox",
        Environment::Demo,
        "1a2b3c4d-1234-5678-9abc-0123456789ab",
        "6f1d2c0e-0b1a-4c1e-9d55-6f4f6f5b2c11",
        "9e8d7c6b-5a49-4837-a625-140312345678",
        "https://demo.docusign.net",
    );
    let s = store.clone();
    let mine = blocking(move || s.save(mine, Some(key.as_bytes())))
        .await
        .unwrap();

    let e = start_sandbox(data.path(), &store).await.unwrap_err();
    assert_eq!(e.code(), "sandbox_name_taken");
    assert!(e.fix().contains("Rename"), "{}", e.fix());
    let s = store.clone();
    assert_eq!(blocking(move || s.get("sandbox")).await.unwrap(), mine);
    let s = store.clone();
    blocking(move || s.remove("sandbox")).await.unwrap();
}
