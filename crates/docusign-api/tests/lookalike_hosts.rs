//! The rule that keeps tokens on DocuSign's hosts, at the client (issue #12): an
//! [`EsignClient`] whose auth server is DocuSign's (demo or production) and whose base URI is
//! not a DocuSign host makes no request at all, not even the token call.
//!
//! "No request" is observed, not assumed: every client in these tests sends through an HTTP
//! proxy that is a local listener recording each connection's first line. A request to any
//! host (the auth server, the look-alike) would arrive there as `CONNECT host:port`. A control
//! case with DocuSign's real demo base URI shows the listener does see the client's calls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use docusign_api::environment::{
    check_environment, is_docusign_host, AuthServer, AuthServerKind, BaseUri,
};
use docusign_api::esign::{ClientParts, EsignClient, EsignError};
use docusign_api::key::PrivateKey;
use docusign_api::observe::NoObserver;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

const IK: &str = "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01";
const USER: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01";
const ACCOUNT: &str = "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01";

/// Base URIs that look like DocuSign's and are not, with the host each must be refused as.
pub const LOOKALIKES: &[(&str, &str)] = &[
    (
        "https://demo.docusign.net.evil.example",
        "demo.docusign.net.evil.example",
    ),
    ("https://evildocusign.net", "evildocusign.net"),
    ("https://demo.docusign.net.", "demo.docusign.net."),
    ("https://docusign.net", "docusign.net"),
    ("https://docusign.com/restapi", "docusign.com"),
    // IDN look-alikes: a Cyrillic "о" in docusign, a Cyrillic "е" in net (unicode and punycode).
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

fn key() -> Arc<PrivateKey> {
    static KEY: OnceLock<Arc<PrivateKey>> = OnceLock::new();
    KEY.get_or_init(|| Arc::new(PrivateKey::generate(2048).expect("key")))
        .clone()
}

/// A local listener standing in for an HTTP proxy: records the first line of every connection
/// (`CONNECT host:443 HTTP/1.1`) and closes it.
struct ProxyListener {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl ProxyListener {
    fn start() -> ProxyListener {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", l.local_addr().expect("addr"));
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
        ProxyListener { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn client(proxy: &ProxyListener, base_uri: &str) -> EsignClient {
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .https_only(true)
        .proxy(reqwest::Proxy::all(&proxy.url).expect("proxy"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    EsignClient::new(ClientParts {
        auth: AuthServer::demo(),
        http,
        key: key(),
        integration_key: IK.into(),
        user_id: USER.into(),
        account_id: ACCOUNT.into(),
        base_uri: BaseUri::parse(base_uri).expect("parses as a URL"),
        observer: Arc::new(NoObserver),
    })
}

fn assert_refused(e: &EsignError, host: &str, what: &str) {
    let EsignError::Validation { problems } = e else {
        panic!("{what}: expected a refusal before any call, got {e:?}");
    };
    assert_eq!(problems[0].code, "base_uri_not_docusign", "{what}");
    assert!(
        problems[0].message.contains(&format!("\"{host}\"")),
        "{what}: the message names the host {host}: {}",
        problems[0].message
    );
}

#[test]
fn lookalike_base_uris_are_not_docusign_hosts() {
    for (input, host) in LOOKALIKES {
        let b = BaseUri::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(b.host(), *host, "{input}");
        assert!(!is_docusign_host(b.host()), "{input}");
        assert_eq!(b.environment(), AuthServerKind::Custom, "{input}");
        for auth in [AuthServer::demo(), AuthServer::production()] {
            let e = check_environment(&auth, &b).unwrap_err();
            assert_eq!(e.code(), "base_uri_invalid", "{input}");
            assert_eq!(e.detail(), "not_docusign_host", "{input}");
            assert!(e.to_string().contains(host), "{input}: {e}");
        }
        // The sandbox (a custom auth server) may name any base URI.
        let sandbox = AuthServer::parse("https://127.0.0.1:8443").unwrap();
        assert!(check_environment(&sandbox, &b).is_ok(), "{input}");
    }
    for real in [
        "demo.docusign.net",
        "na3.docusign.net",
        "eu.docusign.net",
        "account-d.docusign.com",
    ] {
        assert!(is_docusign_host(real), "{real}");
    }
}

#[tokio::test]
async fn a_lookalike_base_uri_makes_no_request_at_the_client() {
    let proxy = ProxyListener::start();
    for (input, host) in LOOKALIKES {
        let c = client(&proxy, input);
        assert_refused(
            &c.list_templates().await.unwrap_err(),
            host,
            &format!("{input}: list_templates"),
        );
        assert_refused(
            &c.get_envelope("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
                .await
                .unwrap_err(),
            host,
            &format!("{input}: get_envelope"),
        );
        assert_refused(
            &c.access_token().await.unwrap_err(),
            host,
            &format!("{input}: access_token"),
        );
        assert_eq!(c.token_mints(), 0, "{input}");
    }
    assert_eq!(
        proxy.seen(),
        Vec::<String>::new(),
        "no connection at all for a look-alike"
    );

    // Control: with DocuSign's demo base URI the client does call out (its token call reaches
    // the listener, which then hangs up), so the empty list above is evidence.
    let c = client(&proxy, "https://demo.docusign.net");
    let e = c.list_templates().await.unwrap_err();
    assert!(
        !matches!(e, EsignError::Validation { .. }),
        "the real demo host is not refused: {e:?}"
    );
    let seen = proxy.seen();
    assert!(
        seen.iter()
            .any(|l| l.starts_with("CONNECT account-d.docusign.com:443")),
        "the control call went through the listener: {seen:?}"
    );
}
