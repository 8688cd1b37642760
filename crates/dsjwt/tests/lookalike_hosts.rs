//! The rule that keeps tokens on DocuSign's hosts, at the CLI (issue #12): `dsjwt check` with a
//! DocuSign auth server and a look-alike base URI exits non-zero naming the host, with no
//! request made; `--ca-cert` is refused for a DocuSign auth server.
//!
//! "No request" is observed: the CLI runs with `HTTPS_PROXY` pointing at a local listener that
//! records each connection's first line (`CONNECT host:443`). The control case (DocuSign's real
//! demo base URI) shows the CLI's calls do reach that listener, which also shows `HTTPS_PROXY`
//! is honoured.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    fn start() -> Proxy {
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
        Proxy { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// `dsjwt check [--json]` against the demo auth server with `base_uri`, through the proxy.
fn check(proxy: &Proxy, dir: &std::path::Path, base_uri: &str, extra: &[&str]) -> Output {
    let key = dir.join("key.pem");
    if !key.exists() {
        std::fs::write(&key, common::other_key().to_pkcs1_pem()).unwrap();
    }
    let mut cmd = common::dsjwt_without_env();
    cmd.args(["check", "--auth-server", "demo", "--base-uri", base_uri])
        .args([
            "--integration-key",
            IK,
            "--user-id",
            USER,
            "--account-id",
            ACCOUNT,
        ])
        .arg("--private-key")
        .arg(&key)
        .args(extra);
    for (k, _) in std::env::vars() {
        if k.to_ascii_lowercase().ends_with("_proxy") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HTTPS_PROXY", &proxy.url)
        .env("DSJWT_DATA_DIR", dir.join("data"))
        .env("DSJWT_CONFIG_DIR", dir.join("config"));
    cmd.output().expect("run dsjwt check")
}

#[test]
fn check_with_a_lookalike_base_uri_exits_non_zero_naming_the_host_with_no_request() {
    let proxy = Proxy::start();
    let dir = tempfile::tempdir().unwrap();
    for (input, host) in LOOKALIKES {
        // Human output.
        let out = check(&proxy, dir.path(), input, &[]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{input}: {text}");
        assert!(text.contains(host), "{input}: names {host}: {text}");
        // JSON output.
        let out = check(&proxy, dir.path(), input, &["--json"]);
        assert_eq!(out.status.code(), Some(1), "{input}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let failed = common::failure(&v);
        assert_eq!(failed["step"], "settings", "{input}: {v:#}");
        assert_eq!(failed["code"], "base_uri_invalid", "{input}");
        assert_eq!(failed["detail"], "not_docusign_host", "{input}");
        assert!(
            failed["message"].as_str().unwrap().contains(host),
            "{input}: {v:#}"
        );
    }
    // A CA certificate with DocuSign's auth server.
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, "not read for DocuSign").unwrap();
    let out = check(
        &proxy,
        dir.path(),
        "https://demo.docusign.net",
        &["--json", "--ca-cert", ca.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::failure(&v)["code"], "ca_cert_invalid", "{v:#}");
    assert_eq!(common::failure(&v)["detail"], "not_sandbox", "{v:#}");

    assert_eq!(
        proxy.seen(),
        Vec::<String>::new(),
        "no connection for a look-alike"
    );

    // Control: the real demo base URI calls out through HTTPS_PROXY (the listener hangs up).
    let out = check(&proxy, dir.path(), "https://demo.docusign.net", &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let seen = proxy.seen();
    assert!(
        seen.iter()
            .any(|l| l.starts_with("CONNECT account-d.docusign.com:443")),
        "the control call went through HTTPS_PROXY: {seen:?}"
    );
}
