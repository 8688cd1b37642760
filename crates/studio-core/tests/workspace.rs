//! The desktop part-2 use cases in-process, against the real emulator over
//! HTTPS and a REAL Secret Service (run under scripts/with-keyring.sh).

#![allow(clippy::unwrap_used)]

mod common;
use common::keyring_store;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use studio_core::actions::{ActionRequest, RoleInput};
use studio_core::connections::{Connection, ConnectionStore, Environment};
use studio_core::sandbox::{Emulator, EmulatorConfig};
use studio_core::triggers::TriggerKind;
use studio_core::workspace::{
    MonitorSpec, MonitorUpdate, PromotionInput, RecipientMove, SandboxMoveAsk, Workspace,
};

const NDA: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01";

/// A connection of the sandbox `emu` (its auth server and CA) with these IDs (integration key,
/// user ID, account ID), its base URI the emulator's own URL.
fn sandbox_conn(emu: &Emulator, name: &str, [ik, user, account]: [&str; 3]) -> Connection {
    let mut conn = Connection::new(name, Environment::Sandbox, ik, user, account, emu.url());
    conn.auth_server = emu.url().parse().unwrap();
    conn.ca_cert = Some(emu.ca_cert_path().to_path_buf());
    conn
}

/// Saves `conn` with its private key `key` (PEM) in the test's keyring.
async fn save(store: &ConnectionStore, conn: Connection, key: &[u8]) {
    let (s, key) = (store.clone(), key.to_vec());
    tokio::task::spawn_blocking(move || s.create(conn, &key))
        .await
        .unwrap()
        .unwrap();
}

/// The default sandbox world (consent given), saved as the connection "Sandbox".
async fn sandbox_connection(store: &ConnectionStore, dir: &Path) -> Emulator {
    let mut config = EmulatorConfig::new(dir.join("emu"));
    config.grant_consent = true;
    let emu = Emulator::start(config).await.unwrap();
    let c = emu.default_credentials().unwrap().clone();
    assert_eq!(c.base_uri, emu.url());
    let mut conn = sandbox_conn(
        &emu,
        "Sandbox",
        [&c.integration_key, &c.user_id, &c.account_id],
    );
    conn.redirect_uri = Some(c.redirect_uri);
    save(store, conn, &std::fs::read(&c.private_key).unwrap()).await;
    emu
}

/// An envelope sent from the sandbox's "Mutual NDA" to Ada as "Signer 1", through the desktop's
/// path (the workspace's action on the connection "Sandbox"); a send that fails fails the test.
/// Its envelope ID.
async fn send_nda(ws: &Workspace) -> String {
    let sent = ws
        .run_action(
            "Sandbox",
            &ActionRequest::SendEnvelopeFromTemplate {
                template_id: NDA.into(),
                roles: vec![RoleInput {
                    role_name: "Signer 1".into(),
                    name: "Ada".into(),
                    email: "ada@example.com".into(),
                    in_person_signer_name: None,
                }],
                tabs: vec![],
                subject: None,
                message: None,
                draft: false,
            },
            |_, _| {},
        )
        .await;
    assert!(
        sent.failure.is_none(),
        "the NDA was not sent: {:?}",
        sent.failure
    );
    sent.result.unwrap().to_json()["envelope_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actions_reuse_one_token_and_report_their_streak_effect() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_actions", config.path());
    let emu = sandbox_connection(&store, data.path()).await;
    let ws = Workspace::open(store, &data.path().join("state")).unwrap();

    let a = ws
        .run_action("Sandbox", &ActionRequest::ListTemplates, |_, _| {})
        .await;
    assert!(a.failure.is_none(), "{:?}", a.failure);
    assert_eq!(a.streak.before, 0);
    assert_eq!(a.streak.after, 1);
    assert_eq!(a.streak.summary, "+1 (1/20)");
    let b = ws
        .run_action(
            "Sandbox",
            &ActionRequest::GetTemplateRoles {
                template_id: NDA.into(),
            },
            |_, _| {},
        )
        .await;
    assert_eq!(
        b.streak.after, 3,
        "the template list (the ID looked up first), then the roles"
    );
    // What the desktop's send form gets for a template the account lacks: the same failure as
    // the CLI, refused after the template list (a successful call), so the streak goes on.
    let wrong = ws
        .run_action(
            "Sandbox",
            &ActionRequest::SendEnvelopeFromTemplate {
                template_id: "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b99".into(),
                roles: vec![RoleInput {
                    role_name: "Signer 1".into(),
                    name: "Ada Lovelace".into(),
                    email: "ada@example.com".into(),
                    in_person_signer_name: None,
                }],
                tabs: vec![],
                subject: None,
                message: None,
                draft: false,
            },
            |_, _| {},
        )
        .await;
    let f = wrong.failure.as_ref().unwrap();
    assert_eq!(f.code.as_str(), "template_not_in_account");
    assert_eq!(f.field.as_deref(), Some("template_id"));
    assert!(
        f.message.starts_with("The template ID \"5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b99\" is not one of this account's templates. This account's templates: \"Mutual NDA\""),
        "{}",
        f.message
    );
    assert!(f.is_input_problem());
    assert_eq!((wrong.streak.calls, wrong.streak.after), (1, 4));
    // The same template again within a minute (the desktop's preview, then its send): the
    // list fetched just now confirms it, no second look-up.
    let again = ws
        .run_action(
            "Sandbox",
            &ActionRequest::GetTemplateRoles {
                template_id: NDA.into(),
            },
            |_, _| {},
        )
        .await;
    assert!(again.failure.is_none(), "{:?}", again.failure);
    assert_eq!((again.streak.calls, again.streak.after), (1, 5));
    let bad = ws
        .run_action(
            "Sandbox",
            &ActionRequest::GetEnvelope {
                envelope_id: "00000000-0000-4000-8000-000000000000".into(),
            },
            |_, _| {},
        )
        .await;
    assert_eq!(
        bad.failure.as_ref().unwrap().error_code.as_deref(),
        Some("ENVELOPE_DOES_NOT_EXIST")
    );
    assert_eq!(bad.streak.after, 0);
    assert!(
        bad.streak
            .summary
            .starts_with("reset by HTTP 400 ENVELOPE_DOES_NOT_EXIST"),
        "{}",
        bad.streak.summary
    );
    let tokens = emu
        .requests()
        .iter()
        .filter(|r| r.path == "/oauth/token")
        .count();
    assert_eq!(tokens, 1, "one token for every action of the session");

    let status = ws.warm_up("Sandbox", |_| {}).await.unwrap();
    assert!(status.ready, "{}", status.summary);
    let panel = ws.golive("Sandbox").unwrap();
    assert_eq!(
        panel
            .checklist
            .iter()
            .find(|c| c.id == "twenty_calls")
            .unwrap()
            .done,
        Some(true)
    );
    assert!(
        panel
            .answers
            .endpoints
            .iter()
            .any(|e| e == "GET /restapi/v2.1/accounts/{accountId}/templates"),
        "{:?}",
        panel.answers.endpoints
    );
    assert!(panel.answers.authentication.contains("JWT Bearer Grant"));
}

/// A sandbox whose one user has two accounts on the same base URI, each with its own template
/// (account A: "NDA of A", account B: "Offer of B"), saved as the connections "Account A" and
/// "Account B" (same integration key, user and key).
async fn two_account_sandbox(store: &ConnectionStore, dir: &Path) -> (Emulator, [String; 2]) {
    let key = docusign_api::key::PrivateKey::generate(2048).unwrap();
    let (ik, user) = (
        "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01",
        "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01",
    );
    let accounts = [
        "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e0a".to_string(),
        "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e0b".to_string(),
    ];
    let template = |id: &str, name: &str| {
        serde_json::json!({
            "template_id": id,
            "name": name,
            "documents": [{"document_id": "1", "name": format!("{name}.pdf")}],
            "roles": [{"role_name": "Signer 1"}],
        })
    };
    let world = serde_json::json!({
        "environment": "sandbox",
        "integration_keys": [{
            "integration_key": ik,
            "public_keys": [key.public_key_pem()],
            "redirect_uris": ["https://localhost/callback"],
        }],
        "users": [{
            "user_id": user,
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "accounts": [
                {"account_id": accounts[0], "account_name": "A", "is_default": true, "base_uri": "self"},
                {"account_id": accounts[1], "account_name": "B", "is_default": false, "base_uri": "self"},
            ],
        }],
        "consents": [{"user_id": user, "integration_key": ik}],
        "esignature": {
            accounts[0].as_str(): {"templates": [template(TEMPLATE_OF_A, "NDA of A")]},
            accounts[1].as_str(): {"templates": [template(TEMPLATE_OF_B, "Offer of B")]},
        },
    });
    let path = dir.join("two-accounts.json");
    std::fs::write(&path, serde_json::to_vec(&world).unwrap()).unwrap();
    let mut config = EmulatorConfig::new(dir.join("emu2"));
    config.world = Some(path);
    let emu = Emulator::start(config).await.unwrap();
    for (name, account) in [("Account A", &accounts[0]), ("Account B", &accounts[1])] {
        let conn = sandbox_conn(&emu, name, [ik, user, account]);
        save(store, conn, key.to_pkcs1_pem().as_bytes()).await;
    }
    (emu, accounts)
}

const TEMPLATE_OF_A: &str = "3e1c7a10-5b6d-4e8f-9a0b-1c2d3e4f5a0a";
const TEMPLATE_OF_B: &str = "3e1c7a10-5b6d-4e8f-9a0b-1c2d3e4f5a0b";

/// The ID checks' template list belongs to each connection, not to the process: a template of
/// account A is refused on account B's connection (B's own list is fetched and names only B's
/// template), and each connection's list confirms its own template again within the minute
/// with no call, the desktop's path (preview, then send) counted at the emulator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_connections_never_see_each_other_s_template_list() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_template_lists", config.path());
    let (emu, [account_a, account_b]) = two_account_sandbox(&store, data.path()).await;
    let ws = Workspace::open(store, &data.path().join("state")).unwrap();
    let roles = |template: &str| ActionRequest::GetTemplateRoles {
        template_id: template.into(),
    };
    // `GET …/templates` requests the emulator served, per account.
    let lists = |account: &str| {
        let path = format!("/restapi/v2.1/accounts/{account}/templates");
        emu.requests().iter().filter(|r| r.path == path).count()
    };

    let a = ws
        .run_action("Account A", &roles(TEMPLATE_OF_A), |_, _| {})
        .await;
    assert!(a.failure.is_none(), "{:?}", a.failure);
    assert_eq!((lists(&account_a), lists(&account_b)), (1, 0));

    // Account A's list (fetched a moment ago) holds this ID: account B's connection must not
    // take it from there. It fetches B's own list, which does not.
    let b = ws
        .run_action("Account B", &roles(TEMPLATE_OF_A), |_, _| {})
        .await;
    let f = b.failure.as_ref().expect("refused on account B");
    assert_eq!(f.code.as_str(), "template_not_in_account");
    assert_eq!(
        f.message,
        format!("The template ID \"{TEMPLATE_OF_A}\" is not one of this account's templates. This account's template: \"Offer of B\" ({TEMPLATE_OF_B}).")
    );
    assert_eq!((lists(&account_a), lists(&account_b)), (1, 1));

    // Within the minute each connection's own list confirms its own template: no list call.
    for (name, template) in [("Account A", TEMPLATE_OF_A), ("Account B", TEMPLATE_OF_B)] {
        let again = ws.run_action(name, &roles(template), |_, _| {}).await;
        assert!(again.failure.is_none(), "{name}: {:?}", again.failure);
        assert_eq!(again.streak.calls, 1, "{name}: the roles only");
    }
    assert_eq!(
        (lists(&account_a), lists(&account_b)),
        (1, 1),
        "no template list fetched again within the minute"
    );
    let roles_calls = emu
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/recipients"))
        .count();
    assert_eq!(roles_calls, 3, "A's roles twice, B's once");
}

/// Found by a fresh user: the send check named the template by its bare ID, and a bad email
/// also said the role had "no person yet".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_send_check_names_the_template_and_says_one_thing_per_role() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_send_check", config.path());
    let _emu = sandbox_connection(&store, data.path()).await;
    let ws = Workspace::open(store, &data.path().join("state")).unwrap();
    let person = |role: &str, name: &str, email: &str| RoleInput {
        role_name: role.into(),
        name: name.into(),
        email: email.into(),
        in_person_signer_name: None,
    };
    let checked = ws
        .run_action(
            "Sandbox",
            &ActionRequest::PreviewEnvelopeFromTemplate {
                template_id: NDA.into(),
                roles: vec![
                    person("Signer 1", "Ada", "ada@example"),
                    person("Company Signer", "Bo", "bo@example.com"),
                ],
                tabs: vec![],
                subject: None,
                message: None,
                draft: false,
            },
            |_, _| {},
        )
        .await;
    let failure = serde_json::to_value(checked.failure.expect("refused")).unwrap();
    let problems: Vec<String> = failure["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(problems.len(), 2, "one problem per role: {problems:?}");
    assert!(
        problems[0].contains("is not an email address"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("in template 'Mutual NDA' is fixed to"),
        "{problems:?}"
    );
    assert!(!problems.iter().any(|p| p.contains(NDA)), "{problems:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitor_fires_on_a_sandbox_signature() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_monitor", config.path());
    let _emu = sandbox_connection(&store, data.path()).await;
    let ws = Workspace::open(store, &data.path().join("state")).unwrap();

    let envelope_id = send_nda(&ws).await;

    let updates: Arc<Mutex<Vec<MonitorUpdate>>> = Arc::default();
    let sink = updates.clone();
    let spec = MonitorSpec {
        connection: "Sandbox".into(),
        trigger: TriggerKind::OnRecipientCompleted,
        template_id: Some(NDA.into()),
        template_name: Some("Mutual NDA".into()),
        interval_seconds: 1,
    };
    let info = ws
        .start_monitor(
            spec.clone(),
            Arc::new(move |u| sink.lock().unwrap().push(u)),
        )
        .unwrap();
    assert_eq!(info.calls_per_hour, 3600.0);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    ws.sandbox_move(SandboxMoveAsk {
        name: "Sandbox".into(),
        envelope_id: envelope_id.clone(),
        recipient_id: "1".into(),
        action: RecipientMove::Sign,
        tabs: None,
        reason: None,
    })
    .await
    .unwrap();
    let mut found = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        found = updates.lock().unwrap().iter().any(
            |u| matches!(u, MonitorUpdate::Event { event, .. } if event.envelope_id == envelope_id),
        );
        if found {
            break;
        }
    }
    assert!(
        found,
        "the monitor reported the signature: {:?}",
        updates.lock().unwrap()
    );
    assert!(ws.stop_monitor(&info.id));
    assert!(ws.monitors().is_empty());

    // Against DocuSign the interval is at least 15 minutes.
    let s = ws.store().clone();
    let mut demo = s.get("Sandbox").unwrap();
    demo.name = "Demo copy".into();
    demo.environment = Environment::Demo;
    demo.auth_server = "demo".parse().unwrap();
    demo.base_uri = "https://demo.docusign.net".into();
    demo.ca_cert = None;
    let key = s.private_key("Sandbox").unwrap().key.to_pkcs1_pem();
    s.create(demo, key.as_bytes()).unwrap();
    let err = ws
        .start_monitor(
            MonitorSpec {
                connection: "Demo copy".into(),
                interval_seconds: 60,
                ..spec
            },
            Arc::new(|_| {}),
        )
        .unwrap_err();
    assert_eq!(err.code, "interval_too_short");

    // Promotion: same integration key and key, production values; the demo connection stays.
    let guide = ws.promotion_guide("Demo copy").unwrap();
    assert!(guide
        .public_key_pem
        .starts_with("-----BEGIN PUBLIC KEY-----"));
    assert!(guide
        .production_consent_url
        .unwrap()
        .starts_with("https://account.docusign.com/oauth/auth?"));
    let prod = ws
        .promote(&PromotionInput {
            demo_connection: "Demo copy".into(),
            name: "Production".into(),
            user_id: "2b1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01".into(),
            account_id: "3b1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01".into(),
            base_uri: "https://na3.docusign.net".into(),
        })
        .unwrap();
    assert_eq!(prod.environment, Environment::Production);
    assert_eq!(
        prod.key_fingerprint.as_deref(),
        Some(guide.fingerprint.as_str())
    );
    assert!(s.get("Demo copy").is_ok());
    let panel = ws.golive("Demo copy").unwrap();
    assert_eq!(
        panel
            .checklist
            .iter()
            .find(|c| c.id == "promote")
            .unwrap()
            .done,
        Some(true)
    );
}

/// The key a saved connection gets is the one its reference names: `draft:N` (a key given to the
/// wizard, forgotten once saved), `saved:<old name>` (carried over on a rename), nothing (the
/// stored key stays); an unknown draft is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_connection_takes_the_key_its_reference_names() {
    const IK: &str = "1a2b3c4d-1234-5678-9abc-0123456789ab";
    const UID: &str = "6f1d2c0e-0b1a-4c1e-9d55-6f4f6f5b2c11";
    const ACC: &str = "9e8d7c6b-5a49-4837-a625-140312345678";
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_key_ref", config.path());
    let ws = Workspace::open(store.clone(), data.path()).unwrap();
    let demo = |name: &str| {
        Connection::new(
            name,
            Environment::Demo,
            IK,
            UID,
            ACC,
            "https://demo.docusign.net",
        )
    };

    let e = ws
        .save_connection(demo("Demo"), Some("draft:999"))
        .unwrap_err();
    assert_eq!(e.code, "key_missing", "{e:?}");
    assert!(store.list().unwrap().is_empty(), "nothing saved");

    let generated = ws.generate_key_pair().await.unwrap();
    assert!(
        generated.key_ref.starts_with("draft:"),
        "{}",
        generated.key_ref
    );
    let saved = ws
        .save_connection(demo("Demo"), Some(&generated.key_ref))
        .unwrap();
    let fingerprint = saved.key_fingerprint.clone().expect("a key fingerprint");
    assert_eq!(fingerprint, generated.info.fingerprint);
    // The draft is forgotten once saved.
    let e = ws
        .save_connection(demo("Demo"), Some(&generated.key_ref))
        .unwrap_err();
    assert_eq!(e.code, "key_missing", "{e:?}");

    // A rename carries the key over from the old name.
    let renamed = ws
        .save_connection(demo("Demo renamed"), Some("saved:Demo"))
        .unwrap();
    assert_eq!(
        renamed.key_fingerprint.as_deref(),
        Some(fingerprint.as_str())
    );
    let s = store.clone();
    let loaded = tokio::task::spawn_blocking(move || s.private_key("Demo renamed"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.key.fingerprint(), fingerprint);

    // No reference: the stored key stays.
    let again = ws.save_connection(demo("Demo renamed"), None).unwrap();
    assert_eq!(again.key_fingerprint.as_deref(), Some(fingerprint.as_str()));
}

/// `dsjwt connection add` goes through the workspace: a new name is refused when taken, and
/// `replace` saves over it and lets go of the connection's old client, so the next action uses
/// the values saved now (a kept client would still sign in as the old user and pass).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_connection_replaces_and_lets_go_of_the_old_client() {
    use studio_core::api::PrivateKeyBytes;
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_add", config.path());
    let emu = sandbox_connection(&store, data.path()).await;
    let ws = Workspace::open(store, &data.path().join("state")).unwrap();
    let list = || ws.run_action("Sandbox", &ActionRequest::ListTemplates, |_, _| {});
    let a = list().await;
    assert!(a.failure.is_none(), "{:?}", a.failure);

    let good = ws.connection("Sandbox").unwrap();
    let c = emu.default_credentials().unwrap().clone();
    let key = || PrivateKeyBytes::new(std::fs::read(&c.private_key).unwrap());
    let e = ws.add_connection(good.clone(), key(), false).unwrap_err();
    assert_eq!(e.code().as_str(), "duplicate_name", "{e}");

    // The CA file is checked where it is saved, for every front end: one that cannot be read
    // is refused naming it (desktop and CLI alike), before anything is written.
    let mut missing_ca = good.clone();
    missing_ca.name = "Missing CA".into();
    missing_ca.ca_cert = Some(data.path().join("gone").join("ca.pem"));
    let e = ws
        .add_connection(missing_ca.clone(), key(), false)
        .unwrap_err();
    assert_eq!(e.code().as_str(), "ca_cert_unreadable", "{e}");
    assert_eq!(e.field(), Some("ca_cert"));
    assert!(e.to_string().contains("ca.pem"), "{e}");
    let p = ws.save_connection(missing_ca, None).unwrap_err();
    assert_eq!(p.code.as_str(), "ca_cert_unreadable", "{p:?}");
    assert!(ws.connection("Missing CA").is_err());

    // A user the sandbox does not know: the action now fails, as the saved values say.
    let mut unknown_user = good.clone();
    unknown_user.user_id = "0a0b0c0d-0000-4000-8000-00000000dead".into();
    ws.add_connection(unknown_user, key(), true).unwrap();
    let a = list().await;
    assert!(
        a.failure.is_some(),
        "the old client was kept: the action passed as the old user"
    );

    ws.add_connection(good, key(), true).unwrap();
    let a = list().await;
    assert!(a.failure.is_none(), "{:?}", a.failure);
    emu.shutdown().await;
}

/// The updates of one monitor until its first finished cycle (or failure), at most 30 s.
async fn until_first_cycle(updates: &Arc<Mutex<Vec<MonitorUpdate>>>) -> Vec<MonitorUpdate> {
    for _ in 0..120 {
        {
            let got = updates.lock().unwrap();
            if got
                .iter()
                .any(|u| matches!(u, MonitorUpdate::Cycle { .. } | MonitorUpdate::Error { .. }))
            {
                return got.clone();
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("no cycle: {:?}", updates.lock().unwrap());
}

/// The event IDs a monitor sent before its first cycle, and the count that cycle reported.
fn first_cycle(updates: &[MonitorUpdate]) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    for u in updates {
        match u {
            MonitorUpdate::Event { event, .. } => ids.push(event.event_id.clone()),
            MonitorUpdate::Cycle { events, .. } => return (ids, *events),
            MonitorUpdate::Error { message, .. } => panic!("the cycle failed: {message}"),
            MonitorUpdate::Stopped { .. } => {}
        }
    }
    panic!("no cycle: {updates:?}");
}

/// The fresh user's findings 2, 3 and 11: a trigger keeps its template filter, its interval and
/// its place across a restart. Started again unchanged, it goes on from its last check and
/// re-reports nothing (before: a new trigger looked back 24 hours and reported old events
/// again); started with another filter, it is the same trigger, still at its place, so the
/// filter change re-reports nothing either. Each cycle's count is the number of events it sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trigger_keeps_its_filter_interval_and_place_across_a_restart() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_trigger_restart", config.path());
    let _emu = sandbox_connection(&store, data.path()).await;
    let state = data.path().join("state");
    let ws = Workspace::open(store.clone(), &state).unwrap();
    assert!(ws.saved_triggers("Sandbox").unwrap().is_empty());
    let envelope_id = send_nda(&ws).await;
    let spec = MonitorSpec {
        connection: "Sandbox".into(),
        trigger: TriggerKind::OnEnvelopeStatusChange,
        template_id: Some(NDA.into()),
        template_name: Some("Mutual NDA".into()),
        interval_seconds: 7,
    };
    let run = |ws: &Workspace, spec: MonitorSpec| {
        let updates: Arc<Mutex<Vec<MonitorUpdate>>> = Arc::default();
        let sink = updates.clone();
        let info = ws
            .start_monitor(spec, Arc::new(move |u| sink.lock().unwrap().push(u)))
            .unwrap();
        (info, updates)
    };

    // First start: it looks back 24 hours and reports the envelope sent just before.
    let (info, updates) = run(&ws, spec.clone());
    assert_eq!(info.resumed_from, None);
    let (reported, count) = first_cycle(&until_first_cycle(&updates).await);
    assert!(
        reported.iter().any(|e| e.contains(&envelope_id)),
        "{reported:?}"
    );
    assert_eq!(count, reported.len(), "the count is the events sent");
    assert!(ws.stop_monitor(&info.id));
    drop(ws);

    // The app restarts: the same trigger, with its filter, its template's name and interval.
    let ws = Workspace::open(store, &state).unwrap();
    let saved = ws.saved_triggers("Sandbox").unwrap();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let kept = &saved[0];
    assert_eq!(kept.trigger, TriggerKind::OnEnvelopeStatusChange);
    assert_eq!(kept.template_id.as_deref(), Some(NDA));
    assert_eq!(kept.template_name.as_deref(), Some("Mutual NDA"));
    assert_eq!(kept.interval_seconds, 7);
    let place = kept.last_checked.clone().expect("its last check");

    // Started again unchanged: it goes on from its last check and re-reports nothing.
    let (info, updates) = run(&ws, spec.clone());
    assert_eq!(info.resumed_from.as_deref(), Some(place.as_str()));
    let (again, count) = first_cycle(&until_first_cycle(&updates).await);
    assert_eq!((again.len(), count), (0, 0), "{again:?}");
    assert!(ws.stop_monitor(&info.id));

    // Another filter (any template): the same trigger at its place, so nothing comes again.
    let (info, updates) = run(
        &ws,
        MonitorSpec {
            template_id: None,
            template_name: None,
            ..spec
        },
    );
    assert!(info.resumed_from.is_some());
    let (after_change, count) = first_cycle(&until_first_cycle(&updates).await);
    assert_eq!(count, after_change.len());
    assert!(
        after_change.iter().all(|e| !reported.contains(e)),
        "reported again after the filter change: {after_change:?}"
    );
    assert!(ws.stop_monitor(&info.id));
    let saved = ws.saved_triggers("Sandbox").unwrap();
    assert_eq!(saved[0].template_id, None);
    assert_eq!(saved[0].template_name, None);
}

/// The desktop's Go-Live warm-up and a trigger monitor's check, with the sandbox stopped: each
/// says what failed in plain words, naming the sandbox's address, with the sandbox's fix; the
/// network library's words stay out of the message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_sandbox_stops_the_warm_up_and_a_trigger_s_check_in_plain_words() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_plain_failures", config.path());
    let emu = sandbox_connection(&store, data.path()).await;
    let host = emu.url().trim_start_matches("https://").to_string();
    let ws = Workspace::open(store, &data.path().join("state")).unwrap();
    emu.shutdown().await;

    let p = ws.warm_up("Sandbox", |_| {}).await.unwrap_err();
    assert_eq!(p.code.as_str(), "warm_up_failed");
    assert_eq!(
        p.message,
        format!("The warm-up stopped at its call to list the account's templates. Could not reach the sandbox at {host}: it is not running.")
    );
    assert_eq!(p.fix, "Start the sandbox again, then try again.");
    assert_eq!(p.detail.as_deref(), Some("network_unreachable"));

    let updates: Arc<Mutex<Vec<MonitorUpdate>>> = Arc::default();
    let sink = updates.clone();
    let info = ws
        .start_monitor(
            MonitorSpec {
                connection: "Sandbox".into(),
                trigger: TriggerKind::OnEnvelopeStatusChange,
                template_id: None,
                template_name: None,
                interval_seconds: 60,
            },
            Arc::new(move |u| sink.lock().unwrap().push(u)),
        )
        .unwrap();
    let got = until_first_cycle(&updates).await;
    assert!(ws.stop_monitor(&info.id));
    let message = got
        .iter()
        .find_map(|u| match u {
            MonitorUpdate::Error { message, .. } => Some(message.clone()),
            _ => None,
        })
        .expect("the check failed");
    assert_eq!(
        message,
        format!("The trigger's check for changes failed. Could not reach the sandbox at {host}: it is not running. The next check covers the same time, so no change is missed. Start the sandbox again, then try again.")
    );
}

/// A removed connection takes its triggers with it (their template filter, interval, last check
/// and events, in the real state file): a connection added again under the same name, to the
/// same account, starts with no trigger. While another saved connection has the same
/// integration key and account, the triggers are kept (they are that connection's too).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_connection_s_triggers_do_not_come_back_when_it_is_added_again() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_trigger_remove", config.path());
    let emu = sandbox_connection(&store, data.path()).await;
    let key = std::fs::read(&emu.default_credentials().unwrap().private_key).unwrap();
    let state = data.path().join("state");
    let ws = Workspace::open(store.clone(), &state).unwrap();
    let saved = ws.connection("Sandbox").unwrap();
    let copy = Connection {
        name: "Sandbox copy".into(),
        ..saved.clone()
    };
    save(&store, copy, &key).await;

    let updates: Arc<Mutex<Vec<MonitorUpdate>>> = Arc::default();
    let sink = updates.clone();
    let info = ws
        .start_monitor(
            MonitorSpec {
                connection: "Sandbox".into(),
                trigger: TriggerKind::OnEnvelopeStatusChange,
                template_id: Some(NDA.into()),
                template_name: Some("Mutual NDA".into()),
                interval_seconds: 7,
            },
            Arc::new(move |u| sink.lock().unwrap().push(u)),
        )
        .unwrap();
    first_cycle(&until_first_cycle(&updates).await);
    assert!(ws.stop_monitor(&info.id));
    let kept = ws.saved_triggers("Sandbox").unwrap();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].last_checked.is_some(), "{kept:?}");

    // The other connection to the same account is removed: the triggers stay.
    tokio::task::block_in_place(|| ws.remove_connection("Sandbox copy")).unwrap();
    assert_eq!(ws.saved_triggers("Sandbox").unwrap(), kept);

    // The last one: they go with it.
    tokio::task::block_in_place(|| ws.remove_connection("Sandbox")).unwrap();
    drop(ws);
    save(&store, saved, &key).await;
    let ws = Workspace::open(store, &state).unwrap();
    assert_eq!(ws.saved_triggers("Sandbox").unwrap(), vec![]);
    let info = ws
        .start_monitor(
            MonitorSpec {
                connection: "Sandbox".into(),
                trigger: TriggerKind::OnEnvelopeStatusChange,
                template_id: None,
                template_name: None,
                interval_seconds: 60,
            },
            Arc::new(|_| {}),
        )
        .unwrap();
    assert_eq!(info.resumed_from, None, "a new trigger: no place kept");
    assert!(ws.stop_monitor(&info.id));
}

/// Field cases F4 and F12 (tester8). A key pair generated in the wizard for the built-in
/// sandbox: the sandbox refuses it (it knows only the pair it made), and the fix says so in
/// the sandbox's terms, not "Apps and Keys", which the sandbox does not have. And the name of
/// the saved sandbox connection is taken for a new one, not for itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_made_in_the_wizard_is_refused_by_the_sandbox_with_its_own_fix() {
    use studio_core::wizard::{Field, FieldContext};
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = keyring_store("ws_sandbox_genkey", config.path());
    let _emu = sandbox_connection(&store, data.path()).await;
    let ws = Workspace::open(store.clone(), &data.path().join("state")).unwrap();
    let draft = store.get("Sandbox").unwrap();
    let generated = ws.generate_key_pair().await.unwrap();
    let outcome = ws.probe_consent(&draft, &generated.key_ref).await.unwrap();
    let step = outcome.step.expect("the token step");
    assert_eq!(step.code, "invalid_grant", "{step:?}");
    assert_eq!(step.detail.as_deref(), Some("no_valid_keys_or_signatures"));
    assert_eq!(
        step.message,
        format!(
            "The sandbox does not know this private key (fingerprint {}): it knows only the key pair it made for integration key {} (invalid_grant / no_valid_keys_or_signatures).",
            generated.info.fingerprint, draft.integration_key
        )
    );
    assert_eq!(
        step.fix.as_str(),
        "The sandbox has no Apps and Keys page to add a public key to. Use the private key the sandbox made for this connection instead of this one; to use a key of your own, connect to DocuSign's demo environment."
    );
    // The sandbox's own key still works.
    let own = ws.probe_consent(&draft, "saved:Sandbox").await.unwrap();
    assert_eq!(
        own.state,
        studio_core::wizard::ConsentState::Granted,
        "{:?}",
        own.step
    );

    let ctx = |editing: Option<&str>| FieldContext {
        environment: Environment::Demo,
        account_id: None,
        user_id: None,
        editing: editing.map(String::from),
    };
    let taken = ws.check_field(Field::Name, "Sandbox", &ctx(None));
    assert_eq!(taken.code, "duplicate_name");
    assert_eq!(
        taken.message,
        "You already have a connection named \"Sandbox\"."
    );
    assert_eq!(taken.fix, "Give this one another name, e.g. \"Sandbox 2\".");
    assert!(
        ws.check_field(Field::Name, "Sandbox", &ctx(Some("Sandbox")))
            .ok
    );
}
