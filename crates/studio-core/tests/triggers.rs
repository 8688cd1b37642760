//! The trigger cycle against the real emulator over HTTPS (no keyring: the client is made from
//! the default world's values).

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use docusign_api::esign::{DateArg, EsignClient, ListEnvelopesQuery};
use studio_core::connections::ConnectionStore;
use studio_core::health::CheckInput;
use studio_core::ledger::Ledger;
use studio_core::sandbox::{Emulator, EmulatorConfig};
use studio_core::session;
use studio_core::store::Store;
use studio_core::trigger_store::TriggerStore;
use studio_core::triggers::{self, TriggerEvent, TriggerKind};
use studio_core::workspace::{
    GivenConnection, PollEnd, PollUpdate, WatchSpec, WatchUpdate, Workspace,
};
use tokio_util::sync::CancellationToken;

async fn start(dir: &std::path::Path) -> Emulator {
    let mut config = EmulatorConfig::new(dir.join("emu"));
    config.grant_consent = true;
    Emulator::start(config).await.unwrap()
}

fn input(emu: &Emulator) -> CheckInput {
    let c = emu.default_credentials().unwrap().clone();
    CheckInput {
        integration_key: c.integration_key,
        user_id: c.user_id,
        account_id: c.account_id,
        base_uri: c.base_uri,
        auth_server: emu.url(),
        private_key: docusign_api::key::PrivateKeyBytes::new(
            std::fs::read(&c.private_key).unwrap(),
        ),
        ca_cert_pem: Some(std::fs::read(emu.ca_cert_path()).unwrap()),
        ..Default::default()
    }
}

fn client(emu: &Emulator, state: &Store, page_size: u32) -> EsignClient {
    let (client, _) =
        session::esign_client(&input(emu), Arc::new(Ledger::new(state.clone()))).unwrap();
    let mut config = client.config().clone();
    config.page_size = page_size;
    client.with_config(config)
}

/// `count` envelopes sent now, through the emulator's admin API.
async fn bulk_send(emu: &Emulator, count: u32) {
    let ca = std::fs::read(emu.ca_cert_path()).unwrap();
    let http = docusign_api::oauth::http_client(Some(&ca), Duration::from_secs(20)).unwrap();
    let account = emu.default_credentials().unwrap().account_id.clone();
    let resp = http
        .post(format!(
            "{}/__emulator/accounts/{account}/envelopes/bulk",
            emu.url()
        ))
        .json(&serde_json::json!({"count": count, "status": "sent"}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
}

/// A change list longer than a cycle's page cap: the cycle stops at the cap and saves as its
/// cursor the last change it read (not the server's time, which would skip the rest), says so,
/// and the next cycle hands out the rest: every envelope once, none skipped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_cap_moves_the_cursor_only_as_far_as_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start(dir.path()).await;
    bulk_send(&emu, 5).await;
    let state = Store::open(&dir.path().join("state")).unwrap();
    let store = TriggerStore::new(state.clone());
    let kind = TriggerKind::OnEnvelopeStatusChange;
    let id = triggers::trigger_id(kind, "sandbox", "ik", "acc", None);
    let one_a_page = client(&emu, &state, 1);

    let first = triggers::run_cycle_within(&one_a_page, &store, kind, &id, None, 2)
        .await
        .unwrap();
    assert_eq!(first.calls, 2);
    let notice = first.notice.clone().expect("the cap is reported");
    assert!(
        notice.contains("the next poll goes on from there"),
        "{notice}"
    );

    // What the two pages held: the first two changes of the window, oldest first.
    let all = client(&emu, &state, 100)
        .list_status_changes_page(
            &ListEnvelopesQuery {
                from_date: Some(DateArg::Text(first.from_date.clone())),
                include: vec!["recipients".into(), "custom_fields".into()],
                ..Default::default()
            },
            0,
        )
        .await
        .unwrap();
    assert!(all.envelopes.len() >= 5, "{}", all.envelopes.len());
    let second_read = all.envelopes[1].last_modified_date_time.clone().unwrap();
    assert_eq!(
        first.cursor, second_read,
        "the cursor stops at the last change read"
    );
    assert_ne!(Some(first.cursor.clone()), all.last_queried_date_time);
    assert_eq!(store.cursor(&id).unwrap(), Some(second_read));

    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut take = |ev: &studio_core::trigger_store::StoredEvent| {
        let e: TriggerEvent = serde_json::from_str(&ev.payload).unwrap();
        *seen.entry(e.envelope_id).or_default() += 1;
    };
    assert_eq!(
        triggers::deliver_pending(&store, &id, &mut take).unwrap(),
        2
    );

    let rest = triggers::run_cycle_within(&one_a_page, &store, kind, &id, None, 1000)
        .await
        .unwrap();
    assert!(rest.notice.is_none(), "{:?}", rest.notice);
    triggers::deliver_pending(&store, &id, &mut take).unwrap();
    let expected: BTreeMap<String, usize> = all
        .envelopes
        .iter()
        .map(|e| (e.envelope_id.clone().unwrap(), 1))
        .collect();
    assert_eq!(
        seen, expected,
        "every envelope of the window once, none skipped"
    );
    emu.shutdown().await;
}

/// Issue 12: a watch keeps polling across a sandbox restart that writes a new CA to the same
/// file. The loop is held after its first poll while the emulator stops, its CA key is removed
/// (so it makes a new CA, written to the same `ca.pem`) and it starts again on the same port;
/// the next poll must succeed (before: "invalid peer certificate: BadSignature" on every poll).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_reads_a_changed_ca_file_after_a_sandbox_restart() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start(dir.path()).await;
    let url = emu.url();
    let ca_file = emu.ca_cert_path().to_path_buf();
    let given = GivenConnection {
        input: input(&emu),
        ca_cert_file: Some(ca_file.clone()),
        ..Default::default()
    };
    let store = ConnectionStore::open(dir.path().join("config")).unwrap();
    let ws = Arc::new(Workspace::open(store, &dir.path().join("state")).unwrap());

    // Each poll's result goes to the test, and the loop waits for the test's go-ahead.
    let (to_test, polls) = std::sync::mpsc::channel::<Result<u64, String>>();
    let (go_on, go) = std::sync::mpsc::channel::<()>();
    let stop = CancellationToken::new();
    let spec = WatchSpec {
        trigger: TriggerKind::OnEnvelopeStatusChange,
        template_id: None,
        interval: Duration::from_secs(1),
        once: false,
        reset: false,
    };
    let watching = tokio::spawn({
        let (ws, given, stop) = (ws.clone(), given.clone(), stop.clone());
        async move {
            ws.watch(
                &given,
                spec,
                move |u| {
                    let polled = match u {
                        WatchUpdate::Poll(PollUpdate::Polled { outcome, .. }) => {
                            Ok(outcome.new_events)
                        }
                        WatchUpdate::Poll(PollUpdate::Failed { problem, .. }) => {
                            Err(problem.message.clone())
                        }
                        _ => return,
                    };
                    to_test.send(polled).unwrap();
                    tokio::task::block_in_place(|| go.recv().ok());
                },
                async move { stop.cancelled().await },
            )
            .await
        }
    });
    let next_poll = || {
        polls
            .recv_timeout(Duration::from_secs(120))
            .expect("the loop reports its poll")
    };
    next_poll().expect("the first poll works");

    let old_ca = std::fs::read(&ca_file).unwrap();
    emu.shutdown().await;
    std::fs::remove_file(dir.path().join("emu").join("ca_key.pem")).unwrap();
    let emu = start(dir.path()).await;
    assert_eq!(emu.url(), url, "the same sandbox, on the same port");
    assert_eq!(emu.ca_cert_path(), ca_file.as_path());
    assert_ne!(
        std::fs::read(&ca_file).unwrap(),
        old_ca,
        "a new CA in the same file"
    );
    bulk_send(&emu, 1).await;

    // What happened before: a client that keeps the CA it started with fails on every poll.
    let mut failure = String::new();
    let stale = GivenConnection {
        ca_cert_file: None,
        ..given.clone()
    };
    let once = WatchSpec {
        trigger: TriggerKind::OnEnvelopeStatusChange,
        template_id: None,
        interval: Duration::from_secs(1),
        once: true,
        reset: false,
    };
    let ended = ws
        .watch(
            &stale,
            once,
            |u| {
                if let WatchUpdate::Poll(PollUpdate::Failed { problem, .. }) = u {
                    failure = problem.message.clone();
                }
            },
            std::future::pending(),
        )
        .await
        .unwrap();
    assert_eq!(ended, PollEnd::Once { ok: false });
    // In plain words, naming the sandbox's address (the TLS library's words are for details).
    let host = url.trim_start_matches("https://");
    assert_eq!(
        failure,
        format!("The trigger's check for changes failed. The HTTPS certificate of {host} is not trusted, so nothing was sent to it. The next check covers the same time, so no change is missed.")
    );

    go_on.send(()).unwrap();
    let after = next_poll();
    assert_eq!(
        after,
        Ok(1),
        "the poll after the restart works and sees the new envelope"
    );

    stop.cancel();
    go_on.send(()).unwrap();
    assert_eq!(watching.await.unwrap().unwrap(), PollEnd::Stopped);
    emu.shutdown().await;
}

/// A bounce notice kept in the state file before the notice was a typed problem (no `code`, no
/// `detail`: the old `DeliveryProblem` row) still loads from the real trigger store, as the
/// bounced recipient it was: `email_bounced`, its words, its fix and the recipient's fields.
#[test]
fn a_bounce_notice_stored_before_it_had_a_code_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let store = TriggerStore::new(Store::open(&dir.path().join("state")).unwrap());
    let kind = TriggerKind::OnEnvelopeStatusChange;
    let id = triggers::trigger_id(kind, "sandbox", "ik-old", "acc-old", None);
    let old_row = r#"{"trigger":"on_envelope_status_change","event_id":"bounce:env-1:1","envelope_id":"env-1","status":"sent","status_changed_at":"2026-01-05T10:00:00Z","template_id":null,"email_subject":"Please sign","delivery_problem":{"recipient_id":"1","name":"Bo","email":"bo@example.com","reason":"550 5.1.1 mailbox unavailable","message":"Delivery failure: the email to Bo <bo@example.com> bounced (\"550 5.1.1 mailbox unavailable\"). The envelope still says \"sent\", but this person never got it.","fix":"Correct the email address in DocuSign, then resend."}}"#;
    let stored = studio_core::trigger_store::StoredEvent {
        key: "bounce:env-1:1".into(),
        payload: old_row.into(),
    };
    assert_eq!(store.stage(&id, &[stored]).unwrap(), 1);
    store.commit_staged(&id, "2026-01-05T10:00:00Z").unwrap();
    let rows = store.history("ik-old", "acc-old", 10).unwrap();
    assert_eq!(rows.len(), 1);
    let event: TriggerEvent = serde_json::from_str(&rows[0].payload).unwrap();
    assert_eq!(event.envelope_id, "env-1");
    let p = event.delivery_problem.expect("the bounce");
    assert_eq!(p.code, studio_core::problem::Code::EmailBounced);
    assert_eq!(p.problem.detail, None);
    assert_eq!(p.problem.field, None);
    assert_eq!(
        p.message,
        "Delivery failure: the email to Bo <bo@example.com> bounced (\"550 5.1.1 mailbox unavailable\"). The envelope still says \"sent\", but this person never got it."
    );
    assert_eq!(
        p.fix(),
        Some("Correct the email address in DocuSign, then resend.")
    );
    assert_eq!(p.recipient_id.as_deref(), Some("1"));
    assert_eq!(p.name.as_deref(), Some("Bo"));
    assert_eq!(p.email.as_deref(), Some("bo@example.com"));
    assert_eq!(p.reason.as_deref(), Some("550 5.1.1 mailbox unavailable"));
    // Written again, it carries the code and keeps every field the old row had.
    let again = serde_json::to_value(&p).unwrap();
    let old: serde_json::Value = serde_json::from_str(old_row).unwrap();
    for (k, v) in old["delivery_problem"].as_object().unwrap() {
        assert_eq!(&again[k], v, "{k}");
    }
    assert_eq!(again["code"], "email_bounced");
    assert_eq!(again["detail"], serde_json::Value::Null);
}

/// POSTs `body` to the emulator's admin API at `path` (after `/__emulator`); its JSON answer.
async fn admin(emu: &Emulator, path: &str, body: serde_json::Value) -> serde_json::Value {
    let ca = std::fs::read(emu.ca_cert_path()).unwrap();
    let http = docusign_api::oauth::http_client(Some(&ca), Duration::from_secs(20)).unwrap();
    let resp = http
        .post(format!("{}/__emulator{path}", emu.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap()
}

/// The events a cycle committed and handed out now.
fn handed_out(store: &TriggerStore, id: &str) -> Vec<TriggerEvent> {
    let mut out = Vec::new();
    triggers::deliver_pending(store, id, |ev| {
        out.push(serde_json::from_str(&ev.payload).unwrap())
    })
    .unwrap();
    out
}

/// Review leftover (F43, commit 7799d32): a bounce moves the envelope's `statusChangedDateTime`
/// while its status stays `sent`. The envelope-status trigger reports the bounce once, as a
/// delivery problem, and not "sent" a second time: one change, one event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bounce_is_one_notice_not_a_second_sent_event() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start(dir.path()).await;
    let state = Store::open(&dir.path().join("state")).unwrap();
    let store = TriggerStore::new(state.clone());
    let kind = TriggerKind::OnEnvelopeStatusChange;
    let id = triggers::trigger_id(kind, "sandbox", "ik", "acc", None);
    let c = client(&emu, &state, 100);
    let envelope = "e1a0c001-0000-4000-8000-000000000002";
    let account = emu.default_credentials().unwrap().account_id.clone();
    // The default world's envelopes are days old: the trigger's place is before them.
    store.commit_staged(&id, "2000-01-01T00:00:00Z").unwrap();

    triggers::run_cycle(&c, &store, kind, &id, None)
        .await
        .unwrap();
    let first: Vec<_> = handed_out(&store, &id)
        .into_iter()
        .filter(|e| e.envelope_id == envelope)
        .collect();
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].status, "sent");

    admin(&emu, "/clock", serde_json::json!({"advance_seconds": 600})).await;
    admin(
        &emu,
        &format!("/accounts/{account}/envelopes/{envelope}/recipients/1/bounce"),
        serde_json::json!({"reason": "550 5.1.1 mailbox unavailable"}),
    )
    .await;
    let changed = c
        .get_envelope(envelope)
        .await
        .map(|e| (e.status, e.status_changed_date_time))
        .unwrap();
    assert_eq!(changed.0.as_deref(), Some("sent"));
    assert_ne!(changed.1, first[0].status_changed_at, "the bounce moved it");

    let second = triggers::run_cycle(&c, &store, kind, &id, None)
        .await
        .unwrap();
    let after: Vec<_> = handed_out(&store, &id)
        .into_iter()
        .filter(|e| e.envelope_id == envelope)
        .collect();
    assert_eq!(after.len(), 1, "one change, one event: {after:?}");
    assert!(
        after[0].delivery_problem.is_some(),
        "the bounce notice, not a second \"sent\": {after:?}"
    );
    assert_eq!(second.new_events, 1);
    emu.shutdown().await;
}

/// Issue 2 (the fresh user's finding 2): an envelope sent just before a trigger starts is in its
/// first poll, even when this computer's clock is a day ahead of DocuSign's. The first poll looks
/// back 24 hours in DocuSign's time (its `lastQueriedDateTime`), not this computer's: before,
/// the window began at DocuSign's "now", the envelope was not in it, and it was lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_poll_looks_back_in_docusigns_time_when_this_computer_is_a_day_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start(dir.path()).await;
    // DocuSign's clock 25 hours behind this computer's.
    admin(
        &emu,
        "/clock",
        serde_json::json!({"offset_seconds": -25 * 3600}),
    )
    .await;
    let sent = admin(
        &emu,
        &format!(
            "/accounts/{}/envelopes/bulk",
            emu.default_credentials().unwrap().account_id
        ),
        serde_json::json!({"count": 1, "status": "sent"}),
    )
    .await;
    let envelope = sent["envelope_ids"][0].as_str().unwrap().to_string();

    let state = Store::open(&dir.path().join("state")).unwrap();
    let store = TriggerStore::new(state.clone());
    let kind = TriggerKind::OnEnvelopeStatusChange;
    let id = triggers::trigger_id(kind, "sandbox", "ik", "acc", None);
    let c = client(&emu, &state, 100);
    let first = triggers::run_cycle(&c, &store, kind, &id, None)
        .await
        .unwrap();
    let events = handed_out(&store, &id);
    assert!(
        events.iter().any(|e| e.envelope_id == envelope),
        "the envelope sent just before the start is in the first poll (from {}): {events:?}",
        first.from_date
    );
    // The window: 24 hours before DocuSign's now, which is the cursor saved.
    let parse = |t: &str| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).unwrap()
    };
    let span = parse(&first.cursor) - parse(&first.from_date);
    assert!(
        (span.whole_seconds() - triggers::FIRST_LOOKBACK_SECS).abs() <= 120,
        "from {} to {}",
        first.from_date,
        first.cursor
    );
    // The next poll goes on from DocuSign's time: nothing again.
    triggers::run_cycle(&c, &store, kind, &id, None)
        .await
        .unwrap();
    assert!(handed_out(&store, &id).is_empty());
    emu.shutdown().await;
}
