//! The rule that keeps tokens on DocuSign's hosts, at the store and at the app's use cases
//! (issue #12): a saved connection with a DocuSign auth server and a look-alike base URI is
//! refused when saved; one edited into `connections.json` by hand is refused by the health
//! check and by every action of the workspace (what the desktop app runs), with no request made.
//! A CA certificate is accepted only for sandbox connections.
//!
//! "No request" is observed: this test binary sends everything through `HTTPS_PROXY`, a local
//! listener that records each connection's first line (`CONNECT host:443`). A control health
//! check with DocuSign's real demo base URI shows the listener sees the calls made.
//!
//! One test function only: it sets `HTTPS_PROXY` for the whole process before any client is
//! built. It needs a Secret Service (run under scripts/with-keyring.sh) and fails without one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use docusign_api::key::PrivateKey;
use studio_core::actions::ActionRequest;
use studio_core::connections::{Connection, ConnectionStore, Environment};
use studio_core::health::{self, StepName, StepStatus};
use studio_core::workspace::Workspace;

const IK: &str = "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01";
const USER: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01";
const ACCOUNT: &str = "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01";

/// Base URIs that look like DocuSign's and are not, with the host each is refused as.
const LOOKALIKES: &[(&str, &str)] = &[
    (
        "https://demo.docusign.net.evil.example",
        "demo.docusign.net.evil.example",
    ),
    ("https://evildocusign.net", "evildocusign.net"),
    ("https://demo.docusign.net.", "demo.docusign.net."),
    ("https://docusign.net", "docusign.net"),
    (
        "https://demo.d\u{43e}cusign.net",
        "demo.xn--dcusign-9ig.net",
    ),
    (
        "https://demo.xn--dcusign-9ig.net",
        "demo.xn--dcusign-9ig.net",
    ),
    (
        "https://demo.docusign.n\u{435}t",
        "demo.docusign.xn--nt-nlc",
    ),
];

fn proxy_listener() -> (String, Arc<Mutex<Vec<String>>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    std::thread::spawn(move || {
        for stream in l.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            s.lock().unwrap().push(line.trim().to_string());
        }
    });
    (url, seen)
}

fn demo(name: &str, base_uri: &str) -> Connection {
    Connection::new(name, Environment::Demo, IK, USER, ACCOUNT, base_uri)
}

#[test]
fn lookalike_hosts_are_refused_by_the_store_and_the_workspace_with_no_request() {
    let (proxy, seen) = proxy_listener();
    for k in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::set_var(k, &proxy);
    }
    for k in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(k);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let pem = PrivateKey::generate(2048).unwrap().to_pkcs1_pem();
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = ConnectionStore::open(config.path())
        .unwrap()
        .with_keyring_service(format!(
            "dev.dsjwt.studio.test.{}.lookalike",
            std::process::id()
        ));

    // The store: saving refuses every look-alike (demo and production), naming the host, and
    // writes nothing.
    for (input, host) in LOOKALIKES {
        for env in [Environment::Demo, Environment::Production] {
            let conn = Connection::new("Look", env, IK, USER, ACCOUNT, *input);
            let e = store.save(conn, Some(pem.as_bytes())).unwrap_err();
            assert_eq!(e.code(), "base_uri_invalid", "{input} ({env})");
            assert_eq!(e.field(), Some("base_uri"), "{input}");
            assert!(e.to_string().contains(host), "{input}: {e}");
        }
    }
    assert!(
        !store.config_path().exists(),
        "nothing saved for a look-alike"
    );

    // A CA certificate is accepted only for a sandbox connection.
    let mut with_ca = demo("With CA", "https://demo.docusign.net");
    with_ca.ca_cert = Some(config.path().join("corp-ca.pem"));
    let e = store.save(with_ca, Some(pem.as_bytes())).unwrap_err();
    assert_eq!(e.code(), "ca_cert_invalid");
    assert_eq!(e.field(), Some("ca_cert"));
    let mut input = health::CheckInput {
        integration_key: IK.into(),
        user_id: USER.into(),
        account_id: ACCOUNT.into(),
        base_uri: "https://demo.docusign.net".into(),
        auth_server: "demo".into(),
        private_key: docusign_api::key::PrivateKeyBytes::from_text(pem.clone()),
        ca_cert_pem: Some(b"not used".to_vec()),
        redirect_uri: None,
        timeout: Some(Duration::from_secs(10)),
        observer: None,
        sandbox: false,
    };
    let report = rt.block_on(health::run(&input));
    let settings = &report.steps[0];
    assert_eq!(settings.step, StepName::Settings);
    assert_eq!(settings.code, "ca_cert_invalid", "{settings:?}");
    assert!(seen.lock().unwrap().is_empty());

    // The health check the app runs on what is typed in the wizard.
    input.ca_cert_pem = None;
    for (typed, host) in LOOKALIKES {
        input.base_uri = (*typed).into();
        let report = rt.block_on(health::run(&input));
        assert!(!report.ok, "{typed}");
        let failed = report.first_failure().unwrap();
        assert_eq!(failed.step, StepName::Settings, "{typed}");
        assert_eq!(failed.code, "base_uri_invalid", "{typed}");
        assert!(failed.message.contains(host), "{typed}: {}", failed.message);
        assert!(
            report
                .steps
                .iter()
                .filter(|s| matches!(
                    s.step,
                    StepName::Token | StepName::Userinfo | StepName::Account | StepName::BaseUri
                ))
                .all(|s| s.status == StepStatus::Skipped),
            "{typed}: no network step runs: {:?}",
            report.steps
        );
    }

    // A saved connection edited by hand: the workspace (the app's actions and health check)
    // refuses it before any call. This part needs the keyring: fail, never skip, without one.
    store.check_keyring().unwrap_or_else(|e| {
        panic!("no usable Secret Service ({e}): run under bash scripts/with-keyring.sh")
    });
    store
        .save(
            demo("Edited", "https://demo.docusign.net"),
            Some(pem.as_bytes()),
        )
        .unwrap();
    let path = store.config_path();
    let original = std::fs::read_to_string(&path).unwrap();
    let ws = Workspace::open(store.clone(), data.path()).unwrap();
    for (typed, host) in LOOKALIKES {
        let edited = original.replace(
            "\"https://demo.docusign.net\"",
            &serde_json::to_string(typed).unwrap(),
        );
        assert_ne!(edited, original);
        std::fs::write(&path, edited).unwrap();
        ws.forget_client("Edited");
        let outcome =
            rt.block_on(ws.run_action("Edited", &ActionRequest::ListTemplates, |_, _| {}));
        let failure = outcome.failure.expect("refused");
        assert!(
            failure.message.contains(host),
            "{typed}: {}",
            failure.message
        );
        let input = store.check_input("Edited").unwrap();
        let report = rt.block_on(health::run(&input));
        let failed = report.first_failure().unwrap();
        assert_eq!(failed.step, StepName::Settings, "{typed}");
        assert!(failed.message.contains(host), "{typed}: {}", failed.message);
    }
    assert_eq!(
        seen.lock().unwrap().clone(),
        Vec::<String>::new(),
        "no connection was made for any look-alike"
    );
    std::fs::write(&path, &original).unwrap();
    let _ = store.remove("Edited");

    // Control: DocuSign's real demo base URI does call out (the token call reaches the proxy
    // listener, which hangs up), so the empty list above is evidence.
    input.base_uri = "https://demo.docusign.net".into();
    let report = rt.block_on(health::run(&input));
    assert!(!report.ok);
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter()
            .any(|l| l.starts_with("CONNECT account-d.docusign.com:443")),
        "the control call went through the proxy listener: {seen:?}"
    );
}
