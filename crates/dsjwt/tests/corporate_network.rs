//! Corporate networks (issue #12): `HTTPS_PROXY` and `NO_PROXY` are honoured, the operating
//! system's certificate store is trusted as well as the bundled roots, and a certificate
//! failure names the TLS-inspecting proxy case.
//!
//! The test plays a company network on this computer: a CONNECT proxy (a local listener) that,
//! like a TLS-inspecting proxy, answers every tunnel itself with a certificate for the host
//! asked (`account-d.docusign.com`) signed by its own "company" CA, and answers the token call
//! as DocuSign would for a user who has not consented. `SSL_CERT_FILE` stands for the system
//! store into which IT installed that CA (rustls-native-certs reads it as the OS store on Linux).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const IK: &str = "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01";
const USER: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01";
const ACCOUNT: &str = "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01";

/// The company CA (PEM) and a TLS server config for `account-d.docusign.com` signed by it.
fn company_ca() -> (String, Arc<rustls::ServerConfig>) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.distinguished_name
        .push(DnType::CommonName, "Example Corp HTTPS inspection CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec!["account-d.docusign.com".to_string()]).unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, "account-d.docusign.com");
    leaf.use_authority_key_identifier_extension = true;
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(rustls::pki_types::PrivatePkcs8KeyDer::from(
        leaf_key.serialize_der(),
    ));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf_cert.der().clone(), ca_cert.der().clone()], key)
    .unwrap();
    (ca_cert.pem(), Arc::new(config))
}

/// The inspecting proxy: records each request line (`CONNECT host:port HTTP/1.1`), accepts the
/// tunnel, then speaks TLS itself and answers any HTTP request with DocuSign's
/// `consent_required`.
struct InspectingProxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl InspectingProxy {
    fn start(tls: Arc<rustls::ServerConfig>) -> InspectingProxy {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        std::thread::spawn(move || {
            for stream in l.incoming() {
                let Ok(stream) = stream else { continue };
                let (s, tls) = (s.clone(), tls.clone());
                std::thread::spawn(move || tunnel(stream, &s, tls));
            }
        });
        InspectingProxy { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn tunnel(stream: TcpStream, seen: &Mutex<Vec<String>>, tls: Arc<rustls::ServerConfig>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    seen.lock().unwrap().push(first.trim().to_string());
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let mut raw = stream;
    if raw
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let conn = rustls::ServerConnection::new(tls).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, raw);
    // Read the request head and body (Content-Length), then answer as DocuSign does.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        match tls.read(&mut chunk) {
            Ok(0) | Err(_) => return, // e.g. the client refused our certificate
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match tls.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = r#"{"error":"consent_required"}"#;
    let resp = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tls.write_all(resp.as_bytes());
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

/// `dsjwt check --json` against DocuSign's demo environment with `env` set (and every other
/// proxy or certificate variable removed). Returns the exit code and the token step.
fn check_demo(dir: &Path, env: &[(&str, &str)]) -> (i32, serde_json::Value) {
    let key = dir.join("key.pem");
    if !key.exists() {
        std::fs::write(&key, common::other_key().to_pkcs1_pem()).unwrap();
    }
    let mut cmd = common::dsjwt_without_env();
    cmd.args(["check", "--json", "--auth-server", "demo"])
        .args(["--base-uri", "https://demo.docusign.net"])
        .args([
            "--integration-key",
            IK,
            "--user-id",
            USER,
            "--account-id",
            ACCOUNT,
        ])
        .arg("--private-key")
        .arg(&key);
    scrub(&mut cmd);
    cmd.env("DSJWT_DATA_DIR", dir.join("data"))
        .env("DSJWT_CONFIG_DIR", dir.join("config"))
        .envs(env.iter().copied());
    let out = cmd.output().expect("run dsjwt check");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {} / {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let token = common::step(&v, "token").clone();
    (out.status.code().unwrap_or(-1), token)
}

/// Leaves the test's own proxy and CA settings out (the `DSJWT_*` ones are already out:
/// [`common::dsjwt_without_env`]).
fn scrub(cmd: &mut std::process::Command) {
    for (k, _) in std::env::vars() {
        let lower = k.to_ascii_lowercase();
        if lower.ends_with("_proxy") || lower.starts_with("ssl_cert") {
            cmd.env_remove(k);
        }
    }
}

#[test]
fn company_proxy_and_os_trust_store() {
    let (ca_pem, tls) = company_ca();
    let proxy = InspectingProxy::start(tls);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("company-ca.pem");
    std::fs::write(&ca_file, &ca_pem).unwrap();
    let ca_file = ca_file.to_str().unwrap();

    // 1. Through HTTPS_PROXY, with the company CA not (yet) in the system store: the call goes
    //    through the proxy, the certificate is refused, and the message names the proxy case.
    let (code, token) = check_demo(dir.path(), &[("HTTPS_PROXY", &proxy.url)]);
    assert_eq!(code, 1);
    assert_eq!(token["code"], "tls_untrusted", "{token:#}");
    let fix = token["fix"].as_str().unwrap();
    assert!(
        fix.contains("proxy") && fix.contains("inspects HTTPS") && fix.contains("IT"),
        "the fix names the TLS-inspecting proxy case: {fix}"
    );
    assert!(
        token["message"]
            .as_str()
            .unwrap()
            .contains("account-d.docusign.com"),
        "{token:#}"
    );
    assert_eq!(
        proxy.seen(),
        vec!["CONNECT account-d.docusign.com:443 HTTP/1.1".to_string()],
        "the token call went through HTTPS_PROXY"
    );

    // 2. IT installed the company CA in the system store: the same call is trusted and reaches
    //    "DocuSign" (the proxy's answer: consent_required).
    let (code, token) = check_demo(
        dir.path(),
        &[("HTTPS_PROXY", &proxy.url), ("SSL_CERT_FILE", ca_file)],
    );
    assert_eq!(code, 1);
    assert_eq!(token["code"], "consent_required", "{token:#}");
    assert_eq!(proxy.seen().len(), 2);

    // 3. The lower-case form and ALL_PROXY are honoured too.
    let (_, token) = check_demo(
        dir.path(),
        &[("all_proxy", &proxy.url), ("SSL_CERT_FILE", ca_file)],
    );
    assert_eq!(token["code"], "consent_required", "{token:#}");
    assert_eq!(proxy.seen().len(), 3);

    // 4. NO_PROXY: the host is reached directly (no network here: unreachable), not through
    //    the proxy.
    let (code, token) = check_demo(
        dir.path(),
        &[
            ("HTTPS_PROXY", &proxy.url),
            ("NO_PROXY", "example.com,.docusign.com"),
        ],
    );
    assert_eq!(code, 1);
    assert_ne!(token["code"], "consent_required", "{token:#}");
    assert_ne!(token["code"], "tls_untrusted", "{token:#}");
    assert_eq!(proxy.seen().len(), 3, "NO_PROXY bypassed the proxy");
}

#[test]
fn the_sandbox_on_this_computer_never_goes_through_a_proxy() {
    let sb = common::Sandbox::start(true);
    let proxy = InspectingProxy::start(company_ca().1);
    let mut cmd = common::dsjwt_without_env();
    cmd.arg("check").arg("--json");
    for (k, v) in sb.default_flags() {
        cmd.arg(k).arg(v);
    }
    scrub(&mut cmd);
    cmd.env("HTTPS_PROXY", &proxy.url)
        .env("DSJWT_DATA_DIR", sb.dir.path().join("state"));
    let out = cmd.output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(v["ok"], true);
    assert_eq!(proxy.seen(), Vec::<String>::new());
}
