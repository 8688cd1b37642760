//! `wizard::confirm_consent` against the real emulator (in-process, default world, no consent):
//! the wizard's "Waiting for consent… [Cancel]". No keyring needed.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use docusign_emulator::{Emulator, EmulatorConfig};
use studio_core::health::{CheckInput, StepStatus};
use studio_core::wizard::{confirm_consent, ConsentPoll, ConsentState};
use tokio_util::sync::CancellationToken;

async fn emulator(dir: &std::path::Path) -> (Emulator, CheckInput) {
    let emu = Emulator::start(EmulatorConfig::new(dir)).await.unwrap();
    let c = emu.default_credentials().cloned().unwrap();
    let input = CheckInput {
        integration_key: c.integration_key.clone(),
        user_id: c.user_id.clone(),
        account_id: c.account_id.clone(),
        base_uri: c.base_uri.clone(),
        auth_server: emu.url(),
        private_key: docusign_api::key::PrivateKeyBytes::new(
            std::fs::read(&c.private_key).unwrap(),
        ),
        ca_cert_pem: Some(std::fs::read(emu.ca_cert_path()).unwrap()),
        redirect_uri: Some(c.redirect_uri.clone()),
        timeout: Some(Duration::from_secs(10)),
        observer: None,
        sandbox: true,
    };
    (emu, input)
}

fn recorder() -> (Arc<Mutex<Vec<ConsentPoll>>>, impl FnMut(ConsentPoll)) {
    let ticks = Arc::new(Mutex::new(Vec::new()));
    let t = ticks.clone();
    (ticks, move |p| t.lock().unwrap().push(p))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_granted_once_consent_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let (emu, input) = emulator(dir.path()).await;
    let emu = Arc::new(emu);
    let (ticks, on_tick) = recorder();
    let cancel = CancellationToken::new();

    let granter = {
        let emu = emu.clone();
        let (user, ik) = (input.user_id.clone(), input.integration_key.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(1200)).await;
            emu.grant_consent(&user, &ik, &["signature", "impersonation"]);
        })
    };
    let outcome = confirm_consent(&input, 40, Duration::from_millis(500), &cancel, on_tick).await;
    granter.await.unwrap();

    assert_eq!(outcome.state, ConsentState::Granted, "{outcome:?}");
    assert!(
        outcome.attempts_made >= 2,
        "consent was not there at first: {outcome:?}"
    );
    let step = outcome.step.as_ref().unwrap();
    assert_eq!(step.status, StepStatus::Passed);
    let report = outcome.report.as_ref().unwrap();
    assert!(report.ok, "{report:?}");

    let ticks = ticks.lock().unwrap();
    assert_eq!(ticks.first().map(|t| t.state), Some(ConsentState::Checking));
    assert_eq!(ticks.last().map(|t| t.state), Some(ConsentState::Granted));
    let waiting: Vec<_> = ticks
        .iter()
        .filter(|t| t.state == ConsentState::Waiting)
        .collect();
    assert!(!waiting.is_empty());
    assert!(
        waiting.iter().all(|t| t.seconds_until_next == Some(1)),
        "500 ms rounds up to 1 s"
    );
    assert!(
        waiting[0]
            .consent_url
            .as_deref()
            .unwrap_or_default()
            .contains("/oauth/auth?response_type=code&scope=signature%20impersonation"),
        "{:?}",
        waiting[0]
    );
    assert!(ticks.iter().all(|t| t.attempts == 40));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn still_required_after_the_last_attempt_with_countdown() {
    let dir = tempfile::tempdir().unwrap();
    let (_emu, input) = emulator(dir.path()).await;
    let (ticks, on_tick) = recorder();
    let outcome = confirm_consent(
        &input,
        2,
        Duration::from_millis(2300),
        &CancellationToken::new(),
        on_tick,
    )
    .await;
    assert_eq!(outcome.state, ConsentState::StillRequired);
    assert_eq!(outcome.attempts_made, 2);
    assert_eq!(
        outcome.step.as_ref().map(|s| s.code.as_str()),
        Some("consent_required")
    );
    let secs: Vec<u32> = ticks
        .lock()
        .unwrap()
        .iter()
        .filter_map(|t| t.seconds_until_next)
        .collect();
    assert_eq!(secs, [3, 2, 1], "a countdown tick each second");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_emu, input) = emulator(dir.path()).await;
    let (ticks, on_tick) = recorder();
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(800)).await;
        c.cancel();
    });
    let started = Instant::now();
    let outcome = confirm_consent(&input, 100, Duration::from_secs(30), &cancel, on_tick).await;
    assert_eq!(outcome.state, ConsentState::Cancelled);
    assert_eq!(outcome.attempts_made, 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        ticks.lock().unwrap().last().map(|t| t.state),
        Some(ConsentState::Cancelled)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_failures_stop_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let (_emu, mut input) = emulator(dir.path()).await;
    input.user_id = "00000000-0000-4000-8000-000000000000".into();
    let started = Instant::now();
    let outcome = confirm_consent(
        &input,
        10,
        Duration::from_secs(30),
        &CancellationToken::new(),
        |_| {},
    )
    .await;
    assert_eq!(outcome.state, ConsentState::Failed);
    assert_eq!(outcome.attempts_made, 1);
    assert_eq!(
        outcome.step.as_ref().map(|s| s.code.as_str()),
        Some("invalid_grant"),
        "{outcome:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    // A settings error fails before any request.
    input.base_uri = "http://demo.docusign.net".into();
    let outcome = confirm_consent(
        &input,
        10,
        Duration::from_secs(30),
        &CancellationToken::new(),
        |_| {},
    )
    .await;
    assert_eq!(outcome.state, ConsentState::Failed);
    assert_eq!(
        outcome.step.as_ref().map(|s| s.code.as_str()),
        Some("base_uri_invalid")
    );
}
