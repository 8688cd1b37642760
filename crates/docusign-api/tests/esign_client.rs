//! The eSignature client (`docusign_api::esign`) against a small SCRIPTED HTTPS server
//! (axum + axum-server, with a throw-away CA made by rcgen, trusted through the client's
//! extra-CA path). Each test scripts exactly the answers it needs, including the rate-limit
//! headers and failures DocuSign sends. This is a scripted server on purpose: the full
//! emulator tests (real envelopes, templates and documents) live in the CLI crate (dsjwt).
//!
//! Waiting goes through an injected sleeper that records the requested durations and returns
//! at once, so no test sleeps for real.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use docusign_api::environment::{AuthServer, BaseUri};
use docusign_api::esign::{
    ClientParts, DocumentId, EsignClient, EsignConfig, EsignError, ListEnvelopesQuery,
    RoleAssignment, SendStatus, SleepFn, TabValue, TemplateEnvelopeRequest, WaitEvent, WaitReason,
};
use docusign_api::key::PrivateKey;
use docusign_api::observe::{CallKind, CallObserver, CallRecord};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const IK: &str = "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01";
const USER: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01";
const ACCOUNT: &str = "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01";
const ENV_ID: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const TPL_ID: &str = "11111111-2222-4333-8444-555555555555";
const API: &str = "/restapi/v2.1/accounts/9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01";

fn key() -> Arc<PrivateKey> {
    static KEY: OnceLock<Arc<PrivateKey>> = OnceLock::new();
    KEY.get_or_init(|| Arc::new(PrivateKey::generate(2048).expect("key")))
        .clone()
}

// ---------------------------------------------------------------------------------------------
// The scripted server.

/// One request the server received.
#[derive(Debug, Clone)]
struct Req {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    bearer: Option<String>,
    accept: Option<String>,
    body: Value,
}

impl Req {
    fn q(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
}

/// A scripted answer.
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    /// Send only the body's first bytes, then stall or close the connection.
    cut: Option<(usize, Cut)>,
}

/// What the server does after a body's first bytes.
#[derive(Clone, Copy)]
enum Cut {
    /// Sends nothing more and keeps the connection open.
    Stall,
    /// Closes the connection (the rest of the announced length never comes).
    Close,
}

impl Resp {
    fn json(status: u16, v: Value) -> Resp {
        Resp {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: serde_json::to_vec_pretty(&v).unwrap(),
            delay: Duration::ZERO,
            cut: None,
        }
    }
    fn error(status: u16, code: &str, message: &str) -> Resp {
        Resp::json(status, json!({ "errorCode": code, "message": message }))
    }
    fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Resp {
        Resp {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
            delay: Duration::ZERO,
            cut: None,
        }
    }
    fn header(mut self, k: &str, v: impl ToString) -> Resp {
        self.headers.push((k.into(), v.to_string()));
        self
    }
    fn delay(mut self, d: Duration) -> Resp {
        self.delay = d;
        self
    }
    /// Sends the first `bytes` bytes of the body (announcing its full length), then `how`.
    fn cut_after(mut self, bytes: usize, how: Cut) -> Resp {
        self.cut = Some((bytes, how));
        self
    }
}

type Script = Arc<dyn Fn(&Req) -> Resp + Send + Sync>;

struct Server {
    url: String,
    ca_pem: String,
    log: Arc<Mutex<Vec<Req>>>,
    handle: axum_server::Handle,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.handle.shutdown();
    }
}

impl Server {
    /// The /restapi requests received, in order.
    fn rest(&self) -> Vec<Req> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path.starts_with("/restapi"))
            .cloned()
            .collect()
    }
}

fn tls() -> (String, Arc<rustls::ServerConfig>) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.distinguished_name
        .push(DnType::CommonName, "esign test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, "localhost");
    leaf.use_authority_key_identifier_extension = true;
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(rustls::pki_types::PrivatePkcs8KeyDer::from(
        leaf_key.serialize_der(),
    ));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf_cert.der().clone(), ca_cert.der().clone()], key)
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    (ca_cert.pem(), Arc::new(config))
}

async fn serve(script: impl Fn(&Req) -> Resp + Send + Sync + 'static) -> Server {
    serve_opts(script, false).await
}

/// `script_tokens`: the script also answers `/oauth/token` (otherwise tokens `tok-1`, `tok-2`,
/// … are minted).
async fn serve_opts(
    script: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    script_tokens: bool,
) -> Server {
    let script: Script = Arc::new(script);
    let log: Arc<Mutex<Vec<Req>>> = Arc::default();
    let tokens = Arc::new(AtomicUsize::new(0));
    let (ca_pem, config) = tls();
    let state = (script, log.clone(), tokens);
    let app = axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
        let (script, log, tokens) = state.clone();
        async move {
            let req = Req {
                method: method.to_string(),
                path: uri.path().to_string(),
                query: url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect(),
                bearer: headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|s| s.strip_prefix("Bearer ")).map(String::from),
                accept: headers.get("accept").and_then(|v| v.to_str().ok()).map(String::from),
                body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            };
            log.lock().unwrap().push(req.clone());
            if req.path == "/oauth/token" && !script_tokens {
                let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
                return axum::Json(json!({ "access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": 3600 })).into_response();
            }
            let r = script(&req);
            if !r.delay.is_zero() {
                tokio::time::sleep(r.delay).await;
            }
            let full_len = r.body.len();
            let body = match r.cut {
                None => axum::body::Body::from(r.body),
                Some((n, how)) => {
                    use futures_util::StreamExt as _;
                    let first = Bytes::copy_from_slice(&r.body[..n.min(r.body.len())]);
                    let head = futures_util::stream::iter([Ok::<_, std::io::Error>(first)]);
                    match how {
                        Cut::Stall => axum::body::Body::from_stream(head.chain(futures_util::stream::pending())),
                        Cut::Close => axum::body::Body::from_stream(head.chain(futures_util::stream::iter([Err(std::io::Error::other("cut"))]))),
                    }
                }
            };
            let mut resp = Response::new(body);
            if r.cut.is_some() {
                resp.headers_mut().insert("content-length", HeaderValue::from(full_len));
            }
            *resp.status_mut() = StatusCode::from_u16(r.status).unwrap();
            for (k, v) in r.headers {
                resp.headers_mut().append(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(&v).unwrap());
            }
            resp
        }
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = axum_server::Handle::new();
    let server = axum_server::from_tcp_rustls(
        listener,
        axum_server::tls_rustls::RustlsConfig::from_config(config),
    )
    .handle(handle.clone());
    tokio::spawn(async move { server.serve(app.into_make_service()).await });
    handle.listening().await.expect("listening");
    Server {
        url: format!("https://127.0.0.1:{port}"),
        ca_pem,
        log,
        handle,
    }
}

// ---------------------------------------------------------------------------------------------
// The client side.

#[derive(Debug, Default)]
struct Recorder(Mutex<Vec<CallRecord>>);
impl CallObserver for Recorder {
    fn record(&self, call: &CallRecord) {
        self.0.lock().unwrap().push(call.clone());
    }
}
impl Recorder {
    fn esign(&self) -> Vec<CallRecord> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.kind == CallKind::Esignature)
            .cloned()
            .collect()
    }
}

struct Harness {
    client: EsignClient,
    observer: Arc<Recorder>,
    sleeps: Arc<Mutex<Vec<Duration>>>,
    waits: Arc<Mutex<Vec<WaitEvent>>>,
}

fn harness_with(server: &Server, config: EsignConfig) -> Harness {
    let observer = Arc::new(Recorder::default());
    let http =
        docusign_api::oauth::http_client(Some(server.ca_pem.as_bytes()), Duration::from_secs(30))
            .expect("http");
    let conn = ClientParts {
        auth: AuthServer::parse(&server.url).expect("auth"),
        http,
        key: key(),
        integration_key: IK.into(),
        user_id: USER.into(),
        account_id: ACCOUNT.into(),
        base_uri: BaseUri::parse(&server.url).expect("base uri"),
        observer: observer.clone(),
    };
    let sleeps: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let s2 = sleeps.clone();
    let sleeper: SleepFn = Arc::new(move |d| {
        s2.lock().unwrap().push(d);
        Box::pin(async {})
    });
    let waits: Arc<Mutex<Vec<WaitEvent>>> = Arc::default();
    let w2 = waits.clone();
    let client = EsignClient::new(conn)
        .with_config(config)
        .with_sleeper(sleeper)
        .on_wait(move |w| w2.lock().unwrap().push(w.clone()));
    Harness {
        client,
        observer,
        sleeps,
        waits,
    }
}

fn harness(server: &Server) -> Harness {
    harness_with(server, EsignConfig::default())
}

fn unix_in(secs: u64) -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + secs
}

fn envelope(i: usize, template: Option<&str>) -> Value {
    let mut e = json!({ "envelopeId": format!("env-{i:04}"), "status": "completed", "statusChangedDateTime": "2024-05-01T00:00:00.0000000Z" });
    if let Some(t) = template {
        e["customFields"] = json!({ "textCustomFields": [ { "name": "templateId", "value": t, "show": "false" } ] });
    }
    e
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_envelopes_follows_every_page_and_always_sends_from_date() {
    // 250 envelopes; the server pages by start_position/count like DocuSign (counts as strings).
    let server = serve(|r| {
        assert_eq!(r.path, format!("{API}/envelopes"));
        let start: usize = r.q("start_position").unwrap().parse().unwrap();
        let count: usize = r.q("count").unwrap().parse().unwrap();
        let end = (start + count).min(250);
        // Every 10th envelope lacks the template field: the server "ignored" the filter for it.
        let page: Vec<Value> = (start..end).map(|i| envelope(i, if i % 10 == 0 { None } else { Some(TPL_ID) })).collect();
        Resp::json(
            200,
            json!({ "envelopes": page, "resultSetSize": (end - start).to_string(), "totalSetSize": "250", "startPosition": start.to_string(),
                    "endPosition": (end - 1).to_string(), "nextUri": if end < 250 { "/envelopes?start_position=x" } else { "" },
                    "lastQueriedDateTime": "2024-05-02T00:00:00.0000000Z" }),
        )
        .header("X-RateLimit-Limit", 3000)
        .header("X-RateLimit-Remaining", 2990)
        .header("X-RateLimit-Reset", unix_in(1800))
        .header("X-BurstLimit-Limit", 200)
        .header("X-BurstLimit-Remaining", 190)
    })
    .await;
    let h = harness(&server);
    let list = h
        .client
        .list_envelopes(&ListEnvelopesQuery {
            template_id: Some(TPL_ID.into()),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(list.pages, 3);
    assert_eq!(list.envelopes.len() + list.filtered_out, 250);
    assert_eq!(list.filtered_out, 25);
    assert_eq!(
        list.last_queried_date_time.as_deref(),
        Some("2024-05-02T00:00:00.0000000Z")
    );
    let reqs = server.rest();
    assert_eq!(reqs.len(), 3);
    let starts: Vec<&str> = reqs
        .iter()
        .map(|r| r.q("start_position").unwrap())
        .collect();
    assert_eq!(starts, ["0", "100", "200"]);
    for r in &reqs {
        // from_date always present, ISO 8601 UTC, the same on every page (F30).
        let fd = r.q("from_date").expect("from_date");
        assert!(fd.ends_with('Z') && fd.len() == 20, "{fd}");
        assert_eq!(fd, reqs[0].q("from_date").unwrap());
        assert_eq!(
            r.q("custom_field"),
            Some(format!("templateId={TPL_ID}").as_str())
        );
        assert_eq!(r.q("include"), Some("custom_fields"));
        assert_eq!(r.accept.as_deref(), Some("application/json"));
    }
    // Rate-limit headers kept.
    let rl = h.client.rate_limit().expect("rate limit");
    assert_eq!(
        (rl.limit, rl.remaining, rl.burst_limit, rl.burst_remaining),
        (Some(3000), Some(2990), Some(200), Some(190))
    );
    assert!(rl.reset_at.is_some());
    // One token for all pages; one record per page.
    assert_eq!(h.client.token_mints(), 1);
    let recs = h.observer.esign();
    assert_eq!(recs.len(), 3);
    assert!(recs.iter().all(
        |c| c.path_template == "/restapi/v2.1/accounts/{accountId}/envelopes"
            && c.status == Some(200)
            && c.envelope_id.is_none()
    ));
    assert!(recs
        .iter()
        .all(|c| c.path == format!("{API}/envelopes") && c.integration_key == IK));
    assert!(h.sleeps.lock().unwrap().is_empty());
}

#[tokio::test]
async fn status_page_defaults_from_date_to_30_days_ago() {
    let server = serve(|_| Resp::json(200, json!({ "envelopes": [], "totalSetSize": "0", "lastQueriedDateTime": "2024-05-02T00:00:00Z" }))).await;
    let h = harness(&server);
    let page = h
        .client
        .list_status_changes_page(&ListEnvelopesQuery::default(), 0)
        .await
        .expect("page");
    assert_eq!(
        page.last_queried_date_time.as_deref(),
        Some("2024-05-02T00:00:00Z")
    );
    let fd = server.rest()[0].q("from_date").unwrap().to_string();
    let parsed =
        time::OffsetDateTime::parse(&fd, &time::format_description::well_known::Rfc3339).unwrap();
    let age = time::OffsetDateTime::now_utc() - parsed;
    assert!((age.whole_days() - 30).abs() <= 1, "{fd}");
}

#[tokio::test]
async fn unauthorized_remints_once_and_retries_with_the_new_bearer() {
    // F17: the first token is "expired" server-side.
    let server = serve(|r| {
        if r.bearer.as_deref() == Some("tok-1") {
            Resp::error(
                401,
                "USER_AUTHENTICATION_FAILED",
                "One or both of Username and Password are invalid. Invalid access token",
            )
        } else {
            Resp::json(200, json!({ "envelopeId": ENV_ID, "status": "sent" }))
        }
    })
    .await;
    let h = harness(&server);
    let env = h.client.get_envelope(ENV_ID).await.expect("envelope");
    assert_eq!(env.status.as_deref(), Some("sent"));
    let reqs = server.rest();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].bearer.as_deref(), Some("tok-1"));
    assert_eq!(
        reqs[1].bearer.as_deref(),
        Some("tok-2"),
        "the retried request carries the NEW token"
    );
    assert_eq!(h.client.token_mints(), 2);
    let recs = h.observer.esign();
    assert_eq!(
        recs.iter().map(|c| c.status).collect::<Vec<_>>(),
        vec![Some(401), Some(200)]
    );
    assert_eq!(
        recs[0].error_code.as_deref(),
        Some("USER_AUTHENTICATION_FAILED")
    );
    assert_eq!(recs[0].envelope_id.as_deref(), Some(ENV_ID));
    // Token calls are reported too (as Token, not Esignature).
    assert_eq!(
        h.observer
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.kind == CallKind::Token)
            .count(),
        2
    );
}

#[tokio::test]
async fn unauthorized_twice_fails_after_one_remint_with_environment_hint() {
    let server = serve(|_| {
        Resp::error(
            401,
            "PARTNER_AUTHENTICATION_FAILED",
            "The specified Integrator Key was not found or is disabled.",
        )
    })
    .await;
    let h = harness(&server);
    let err = h.client.get_recipient_status(ENV_ID).await.unwrap_err();
    match &err {
        EsignError::Api {
            status: 401,
            error_code,
            message,
            fix,
            ..
        } => {
            assert_eq!(error_code.as_deref(), Some("PARTNER_AUTHENTICATION_FAILED"));
            assert!(message.contains("Integrator Key was not found"));
            assert!(fix.as_deref().unwrap().contains("Authorization header"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.rest().len(), 2);
    assert_eq!(h.client.token_mints(), 2);
}

#[tokio::test]
async fn status_429_with_reset_headers_on_get_waits_then_succeeds() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let reset = unix_in(5);
    let server = serve(move |_| {
        if c.fetch_add(1, Ordering::SeqCst) == 0 {
            Resp::json(429, json!({})).header("X-RateLimit-Remaining", 0).header("X-RateLimit-Reset", reset)
        } else {
            Resp::json(200, json!({ "signers": [ { "recipientId": "1", "name": "Ann", "email": "a@example.com", "status": "completed" } ], "recipientCount": "1" }))
        }
    })
    .await;
    let h = harness(&server);
    let r = h
        .client
        .get_recipient_status(ENV_ID)
        .await
        .expect("recipients");
    assert_eq!(r.signers[0].status.as_deref(), Some("completed"));
    assert_eq!(server.rest().len(), 2);
    let sleeps = h.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 1);
    assert!(
        sleeps[0] >= Duration::from_secs(4) && sleeps[0] <= Duration::from_secs(7),
        "{sleeps:?}"
    );
    let waits = h.waits.lock().unwrap().clone();
    assert_eq!(waits[0].reason, WaitReason::TooManyRequests);
    assert!(waits[0].call.contains("/envelopes/{envelopeId}/recipients"));
    let recs = h.observer.esign();
    assert_eq!(
        recs.iter().map(|c| c.status).collect::<Vec<_>>(),
        vec![Some(429), Some(200)]
    );
}

fn template_recipients() -> Value {
    json!({
        "signers": [
            { "recipientId": "1", "roleName": "Signer 1", "routingOrder": "1", "name": "", "email": "",
              "tabs": { "textTabs": [ { "tabLabel": "CustomerAddress" } ], "numberTabs": [ { "tabLabel": "Amount" } ],
                        "checkboxTabs": [ { "tabLabel": "Agree" } ], "companyTabs": [ { "tabLabel": "Company" } ],
                        "listTabs": [ { "tabLabel": "Plan", "listItems": [ { "text": "Basic", "value": "basic" }, { "text": "Pro", "value": "pro" } ] } ],
                        "signHereTabs": [ { "tabLabel": "Signature" } ] } },
            { "recipientId": "2", "roleName": "Manager", "routingOrder": "2", "name": "Jane Doe", "email": "jane@example.com" }
        ],
        "recipientCount": "2"
    })
}

fn send_request() -> TemplateEnvelopeRequest {
    TemplateEnvelopeRequest {
        template_id: TPL_ID.into(),
        roles: vec![RoleAssignment {
            role_name: "Signer 1".into(),
            name: "Ann Smith".into(),
            email: "ann@example.com".into(),
            in_person_signer_name: None,
        }],
        tabs: vec![
            TabValue {
                role_name: "Signer 1".into(),
                tab_label: "CustomerAddress".into(),
                value: "1 Main St".into(),
            },
            TabValue {
                role_name: "Signer 1".into(),
                tab_label: "Amount".into(),
                value: "1200".into(),
            },
            TabValue {
                role_name: "Signer 1".into(),
                tab_label: "Agree".into(),
                value: "true".into(),
            },
            TabValue {
                role_name: "Signer 1".into(),
                tab_label: "Plan".into(),
                value: "pro".into(),
            },
        ],
        email_subject: Some("Please sign the NDA".into()),
        email_blurb: None,
        status: SendStatus::Sent,
        template_name: Some("Mutual NDA".into()),
    }
}

#[tokio::test]
async fn status_429_on_post_envelopes_is_not_retried() {
    let reset = unix_in(5);
    let server = serve(move |r| {
        if r.method == "GET" {
            Resp::json(200, template_recipients())
        } else {
            Resp::json(429, json!({}))
                .header("X-RateLimit-Remaining", 10)
                .header("X-RateLimit-Reset", reset)
        }
    })
    .await;
    let h = harness(&server);
    let err = h
        .client
        .send_envelope_from_template(&send_request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            EsignError::RateLimited {
                reset_at: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    let posts = server
        .rest()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1, "never a second envelope");
    assert!(h.sleeps.lock().unwrap().is_empty());
}

#[tokio::test]
async fn server_error_on_post_is_not_retried_but_get_is() {
    let gets = Arc::new(AtomicUsize::new(0));
    let g = gets.clone();
    let server = serve(move |r| {
        if r.method == "GET" {
            if g.fetch_add(1, Ordering::SeqCst) < 2 {
                Resp::bytes(503, "text/html", b"<html>busy</html>".to_vec())
            } else {
                Resp::json(200, template_recipients())
            }
        } else {
            Resp::bytes(502, "text/html", b"bad gateway".to_vec())
        }
    })
    .await;
    let h = harness(&server);
    let err = h
        .client
        .send_envelope_from_template(&send_request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            EsignError::Api {
                status: 502,
                error_code: None,
                ..
            }
        ),
        "{err:?}"
    );
    let reqs = server.rest();
    assert_eq!(
        reqs.iter().filter(|r| r.method == "GET").count(),
        3,
        "GET retried twice (3 attempts)"
    );
    assert_eq!(reqs.iter().filter(|r| r.method == "POST").count(), 1);
    let sleeps = h.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 2);
    assert!(
        sleeps
            .iter()
            .all(|d| *d >= Duration::from_millis(500) && *d <= Duration::from_secs(2)),
        "{sleeps:?}"
    );
}

#[tokio::test]
async fn hourly_limit_waits_for_the_reset_and_retries() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let reset = unix_in(10);
    let server = serve(move |_| {
        if c.fetch_add(1, Ordering::SeqCst) == 0 {
            Resp::error(400, "HOURLY_APIINVOCATION_LIMIT_EXCEEDED", "The maximum number of hourly API invocations has been exceeded. The hourly limit is 3000.")
                .header("X-RateLimit-Limit", 3000)
                .header("X-RateLimit-Remaining", 0)
                .header("X-RateLimit-Reset", reset)
        } else {
            Resp::json(200, json!({ "envelopeTemplates": [ { "templateId": TPL_ID, "name": "Mutual NDA", "shared": "false", "pageCount": "3" } ], "resultSetSize": "1", "totalSetSize": "1", "startPosition": "0", "endPosition": "0" }))
                .header("X-RateLimit-Remaining", 2999)
                .header("X-RateLimit-Reset", unix_in(3600))
        }
    })
    .await;
    let h = harness(&server);
    let t = h.client.list_templates().await.expect("templates");
    assert_eq!(t[0].name.as_deref(), Some("Mutual NDA"));
    assert_eq!(t[0].page_count, Some(3));
    let waits = h.waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1);
    assert_eq!(waits[0].reason, WaitReason::HourlyLimitExceeded);
    assert!(
        waits[0].wait >= Duration::from_secs(9) && waits[0].wait <= Duration::from_secs(12),
        "{:?}",
        waits[0]
    );
    assert!(
        waits[0]
            .to_string()
            .starts_with("waiting for the rate limit reset ("),
        "{}",
        waits[0]
    );
    assert_eq!(server.rest().len(), 2);
    assert_eq!(h.client.rate_limit().unwrap().remaining, Some(2999));
    let recs = h.observer.esign();
    assert_eq!(
        recs[0].error_code.as_deref(),
        Some("HOURLY_APIINVOCATION_LIMIT_EXCEEDED")
    );
}

#[tokio::test]
async fn hourly_limit_far_away_is_a_typed_error_saying_when() {
    let reset = unix_in(1800);
    let server = serve(move |_| {
        Resp::error(
            429,
            "HOURLY_APIINVOCATION_LIMIT_EXCEEDED",
            "The maximum number of hourly API invocations has been exceeded.",
        )
        .header("X-RateLimit-Remaining", 0)
        .header("X-RateLimit-Reset", reset)
    })
    .await;
    let h = harness(&server);
    let err = h.client.get_envelope(ENV_ID).await.unwrap_err();
    match &err {
        EsignError::RateLimited {
            error_code,
            reset_at,
            ..
        } => {
            assert_eq!(
                error_code.as_deref(),
                Some("HOURLY_APIINVOCATION_LIMIT_EXCEEDED")
            );
            assert_eq!(*reset_at, Some(UNIX_EPOCH + Duration::from_secs(reset)));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("until "), "{err}");
    assert!(err.is_retryable());
    assert_eq!(server.rest().len(), 1);
    // The budget is known to be used up: the next call is refused locally, no call made.
    let err = h.client.get_envelope(ENV_ID).await.unwrap_err();
    assert!(
        matches!(
            err,
            EsignError::RateLimited {
                error_code: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.rest().len(), 1);
}

#[tokio::test]
async fn burst_limit_backs_off_the_configured_time() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let server = serve(move |_| {
        if c.fetch_add(1, Ordering::SeqCst) == 0 {
            Resp::error(
                400,
                "BURST_APIINVOCATION_LIMIT_EXCEEDED",
                "The maximum number of burst API invocations has been exceeded.",
            )
        } else {
            Resp::json(200, json!({ "envelopeId": ENV_ID, "status": "delivered" }))
        }
    })
    .await;
    let mut config = EsignConfig::default();
    config.retry.burst_backoff = Duration::from_millis(7);
    let h = harness_with(&server, config);
    h.client.get_envelope(ENV_ID).await.expect("envelope");
    assert_eq!(*h.sleeps.lock().unwrap(), vec![Duration::from_millis(7)]);
    assert_eq!(h.waits.lock().unwrap()[0].reason, WaitReason::BurstLimit);
}

#[tokio::test]
async fn remaining_zero_waits_for_reset_before_the_next_call() {
    let reset = unix_in(3);
    let server = serve(move |_| {
        Resp::json(200, json!({ "envelopeId": ENV_ID, "status": "sent" }))
            .header("X-RateLimit-Remaining", 0)
            .header("X-RateLimit-Reset", reset)
    })
    .await;
    let h = harness(&server);
    h.client.get_envelope(ENV_ID).await.expect("first");
    assert!(h.sleeps.lock().unwrap().is_empty());
    h.client.get_envelope(ENV_ID).await.expect("second");
    let waits = h.waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1);
    assert_eq!(waits[0].reason, WaitReason::RateLimitReset);
    assert_eq!(waits[0].retry, 0);
    assert!(waits[0].wait <= Duration::from_secs(5));
    assert_eq!(server.rest().len(), 2);
}

#[tokio::test]
async fn timeouts_are_retried_for_get_and_recorded_without_status() {
    let server = serve(|_| Resp::json(200, json!({})).delay(Duration::from_secs(3))).await;
    let config = EsignConfig {
        timeout: Duration::from_millis(300),
        ..EsignConfig::default()
    };
    let h = harness_with(&server, config);
    let err = h.client.get_envelope(ENV_ID).await.unwrap_err();
    assert!(
        matches!(
            &err,
            EsignError::Transport {
                class: "timeout",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    let recs = h.observer.esign();
    assert_eq!(recs.len(), 3, "3 attempts");
    assert!(recs
        .iter()
        .all(|c| c.status.is_none() && c.error_code.as_deref() == Some("timeout")));
    assert_eq!(h.sleeps.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn role_and_tab_mismatches_are_refused_before_sending() {
    let server = serve(|r| {
        assert_eq!(r.method, "GET", "nothing may be POSTed");
        assert_eq!(r.path, format!("{API}/templates/{TPL_ID}/recipients"));
        assert_eq!(r.q("include_tabs"), Some("true"));
        Resp::json(200, template_recipients())
    })
    .await;
    let h = harness(&server);
    let mut req = send_request();
    req.roles[0].role_name = "signer1".into();
    req.tabs[0].role_name = "Signer 1".into();
    req.tabs[0].tab_label = "customeraddress".into();
    req.tabs[1].value = "twelve".into();
    req.tabs[3].value = "Premium".into();
    req.tabs.push(TabValue {
        role_name: "Signer 1".into(),
        tab_label: "Signature".into(),
        value: "x".into(),
    });
    let err = h
        .client
        .send_envelope_from_template(&req)
        .await
        .unwrap_err();
    let EsignError::Validation { problems } = &err else {
        panic!("{err:?}")
    };
    let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
    assert!(codes.contains(&"role_not_in_template"), "{codes:?}");
    let role = problems
        .iter()
        .find(|p| p.code == "role_not_in_template")
        .unwrap();
    assert_eq!(
        role.message,
        "role 'signer1' is not in template 'Mutual NDA'; did you mean 'Signer 1'?"
    );
    let tab = problems
        .iter()
        .find(|p| p.code == "tab_not_on_role")
        .unwrap();
    assert!(
        tab.message.contains("did you mean 'CustomerAddress'?"),
        "{}",
        tab.message
    );
    assert!(
        codes.contains(&"value_not_a_number")
            && codes.contains(&"value_not_in_list")
            && codes.contains(&"tab_not_settable"),
        "{codes:?}"
    );
    assert!(server.rest().iter().all(|r| r.method == "GET"));
}

#[tokio::test]
async fn send_from_template_posts_once_with_roles_tabs_and_template_field() {
    let server = serve(|r| {
        if r.method == "GET" {
            Resp::json(200, template_recipients())
        } else {
            Resp::json(201, json!({ "envelopeId": ENV_ID, "status": "sent", "statusDateTime": "2024-05-01T00:00:00Z", "uri": format!("/envelopes/{ENV_ID}") }))
        }
    })
    .await;
    let h = harness(&server);
    let preview = h
        .client
        .prepare_envelope_from_template(&send_request())
        .await
        .expect("preview");
    assert!(preview
        .notes
        .iter()
        .any(|n| n.contains("'Manager' is fixed")));
    let sent = h
        .client
        .send_envelope_from_template(&send_request())
        .await
        .expect("sent");
    assert_eq!(sent.envelope_id.as_deref(), Some(ENV_ID));
    let posts: Vec<Req> = server
        .rest()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 1);
    let b = &posts[0].body;
    assert_eq!(b, &preview.body, "what is sent is exactly the preview");
    assert_eq!(b["templateId"], TPL_ID);
    assert_eq!(b["status"], "sent");
    assert_eq!(b["emailSubject"], "Please sign the NDA");
    assert_eq!(
        b["customFields"]["textCustomFields"],
        json!([{ "name": "templateId", "value": TPL_ID, "show": "false" }])
    );
    let roles = b["templateRoles"].as_array().unwrap();
    assert_eq!(
        roles.len(),
        1,
        "no extra signer: the fixed Manager role is left to the template"
    );
    assert_eq!(roles[0]["roleName"], "Signer 1");
    assert_eq!(
        roles[0]["tabs"]["numberTabs"],
        json!([{ "tabLabel": "Amount", "value": "1200" }])
    );
    assert_eq!(
        roles[0]["tabs"]["checkboxTabs"],
        json!([{ "tabLabel": "Agree", "selected": "true" }])
    );
    assert_eq!(
        roles[0]["tabs"]["listTabs"],
        json!([{ "tabLabel": "Plan", "value": "pro" }])
    );
    let recs = h.observer.esign();
    let post = recs.iter().find(|c| c.method == "POST").unwrap();
    assert_eq!(
        post.path_template,
        "/restapi/v2.1/accounts/{accountId}/envelopes"
    );
    assert_eq!(post.status, Some(201));
    assert!(recs.iter().any(|c| c.path_template
        == "/restapi/v2.1/accounts/{accountId}/templates/{templateId}/recipients"));
}

#[tokio::test]
async fn void_checks_reason_and_state_locally() {
    let status = Arc::new(Mutex::new("completed"));
    let s = status.clone();
    let server = serve(move |r| {
        if r.method == "GET" {
            Resp::json(
                200,
                json!({ "envelopeId": ENV_ID, "status": *s.lock().unwrap() }),
            )
        } else {
            Resp::json(200, json!({ "envelopeId": ENV_ID }))
        }
    })
    .await;
    let h = harness(&server);
    // Empty reason: refused before any call.
    let err = h.client.void_envelope(ENV_ID, "  ").await.unwrap_err();
    assert!(
        matches!(&err, EsignError::Validation { problems } if problems[0].code == "empty_void_reason")
    );
    assert!(server.rest().is_empty());
    // Completed: one GET, no PUT.
    let err = h
        .client
        .void_envelope(ENV_ID, "wrong recipient")
        .await
        .unwrap_err();
    let EsignError::Validation { problems } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(problems[0].code, "void_invalid_state");
    assert!(
        problems[0].message.contains("'completed'")
            && problems[0].message.contains("can't be voided"),
        "{}",
        problems[0].message
    );
    assert_eq!(server.rest().len(), 1);
    // Draft: explains that drafts are deleted.
    *status.lock().unwrap() = "created";
    let err = h
        .client
        .void_envelope(ENV_ID, "wrong recipient")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("deleted, not voided"), "{err}");
    // Sent: GET then PUT with the documented body.
    *status.lock().unwrap() = "sent";
    let done = h
        .client
        .void_envelope(ENV_ID, "wrong recipient")
        .await
        .expect("voided");
    assert_eq!(done.envelope_id.as_deref(), Some(ENV_ID));
    let reqs = server.rest();
    let put = reqs.last().unwrap();
    assert_eq!(put.method, "PUT");
    assert_eq!(put.path, format!("{API}/envelopes/{ENV_ID}"));
    assert_eq!(
        put.body,
        json!({ "status": "voided", "voidedReason": "wrong recipient" })
    );
    assert_eq!(
        h.observer.esign().last().unwrap().path_template,
        "/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}"
    );
}

fn pdf_bytes() -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    v.extend((0u8..=255).cycle().take(200_000));
    v.extend_from_slice(b"\n%%EOF\n");
    v
}

fn dir_entries(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn downloads_check_type_decode_base64_and_write_atomically() {
    let pdf = pdf_bytes();
    let pdf2 = pdf.clone();
    let server = serve(move |r| {
        let doc = r.path.rsplit('/').next().unwrap().to_string();
        match doc.as_str() {
            "combined" => Resp::bytes(200, "application/pdf", pdf2.clone()).header(
                "Content-Disposition",
                r#"file; filename="NDA signed.pdf"; documentid="combined""#,
            ),
            "certificate" => {
                // base64, wrapped at 76 columns with CRLF (F37).
                let enc = base64::engine::general_purpose::STANDARD.encode(&pdf2);
                let wrapped: String = enc
                    .as_bytes()
                    .chunks(76)
                    .map(|c| String::from_utf8_lossy(c).into_owned() + "\r\n")
                    .collect();
                Resp::bytes(200, "application/pdf", wrapped.into_bytes())
                    .header("Content-Transfer-Encoding", "base64")
            }
            "archive" => Resp::bytes(200, "application/zip", b"PK\x03\x04rest-of-zip".to_vec()),
            // Text where a PDF should be (the corrupted-download case).
            "1" => Resp::bytes(
                200,
                "application/pdf",
                b"undefined%PDF-1.4 garbage".to_vec(),
            ),
            _ => Resp::error(
                400,
                "ENVELOPE_DOES_NOT_EXIST",
                "The envelope specified either does not exist or you have no rights to it.",
            ),
        }
    })
    .await;
    let h = harness(&server);
    let dir = tempfile::tempdir().unwrap();

    // Into a folder: DocuSign's file name is used; progress reaches the full size.
    let mut last = (0u64, None);
    let d = h
        .client
        .download_document(ENV_ID, DocumentId::Combined, dir.path(), |done, total| {
            last = (done, total)
        })
        .await
        .expect("combined");
    assert_eq!(d.path, dir.path().join("NDA signed.pdf"));
    assert_eq!(d.bytes, pdf.len() as u64);
    assert_eq!(std::fs::read(&d.path).unwrap(), pdf);
    assert_eq!(d.filename.as_deref(), Some("NDA signed.pdf"));
    assert_eq!(d.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(last.0, pdf.len() as u64);
    assert!(!d.was_base64);

    // base64 transfer encoding decoded on the fly, to an explicit path.
    let cert = dir.path().join("certificate.pdf");
    let d = h
        .client
        .download_document(ENV_ID, DocumentId::Certificate, &cert, |_, _| {})
        .await
        .expect("certificate");
    assert!(d.was_base64);
    assert_eq!(std::fs::read(&cert).unwrap(), pdf);

    // The archive must be a ZIP.
    let zip = dir.path().join("all.zip");
    h.client
        .download_document(ENV_ID, DocumentId::Archive, &zip, |_, _| {})
        .await
        .expect("archive");
    assert!(std::fs::read(&zip).unwrap().starts_with(b"PK\x03\x04"));

    // Not a PDF: an error, and no file (no temporary leftovers either).
    let before = dir_entries(dir.path());
    let bad = dir.path().join("doc1.pdf");
    let err = h
        .client
        .download_document(ENV_ID, DocumentId::Id(1), &bad, |_, _| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, EsignError::Decode { reason, .. } if reason.contains("%PDF-")),
        "{err:?}"
    );
    assert!(!bad.exists());
    assert_eq!(dir_entries(dir.path()), before);

    // An API error leaves nothing either, and keeps DocuSign's words.
    let err = h
        .client
        .download_document(
            ENV_ID,
            DocumentId::Id(9),
            &dir.path().join("x.pdf"),
            |_, _| {},
        )
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some("ENVELOPE_DOES_NOT_EXIST"));
    assert_eq!(dir_entries(dir.path()), before);

    // A missing target folder is refused before any call.
    let n = server.rest().len();
    let err = h
        .client
        .download_document(
            ENV_ID,
            DocumentId::Combined,
            &dir.path().join("nope/x.pdf"),
            |_, _| {},
        )
        .await
        .unwrap_err();
    assert!(matches!(err, EsignError::Io { .. }));
    assert_eq!(server.rest().len(), n);

    // Records: one per call, right template, envelope ID, errorCode.
    let recs = h.observer.esign();
    assert_eq!(recs.len(), 5);
    assert!(recs.iter().all(|c| c.path_template
        == "/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/documents/{documentId}"));
    assert!(recs
        .iter()
        .all(|c| c.envelope_id.as_deref() == Some(ENV_ID)));
    assert_eq!(
        recs[0].path,
        format!("{API}/envelopes/{ENV_ID}/documents/combined")
    );
    assert_eq!(recs[3].error_code.as_deref(), Some("unexpected_body"));
    assert_eq!(recs[4].status, Some(400));
    assert_eq!(
        recs[4].error_code.as_deref(),
        Some("ENVELOPE_DOES_NOT_EXIST")
    );
    // PDFs are asked for as PDFs (errors still come as JSON).
    assert!(server.rest()[0]
        .accept
        .as_deref()
        .unwrap()
        .contains("application/pdf"));
}

#[tokio::test]
async fn errors_keep_docusign_words_and_known_fixes() {
    let server = serve(|r| {
        if r.path.ends_with("/templates") {
            Resp::error(
                400,
                "USER_LACKS_PERMISSIONS",
                "This user lacks sufficient permissions to access this resource.",
            )
        } else {
            Resp::error(
                400,
                "ENVELOPE_DOES_NOT_EXIST",
                "The envelope specified either does not exist or you have no rights to it.",
            )
        }
    })
    .await;
    let h = harness(&server);
    let err = h.client.list_templates().await.unwrap_err();
    assert_eq!(err.error_code(), Some("USER_LACKS_PERMISSIONS"));
    assert!(err.fix().unwrap().contains("not your key or settings"));
    assert!(err.to_string().contains("lacks sufficient permissions"));
    let err = h
        .client
        .get_tab_values(ENV_ID, Some("1"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(!err.is_retryable());
    let recs = h.observer.esign();
    assert_eq!(recs.len(), 2, "400s are not retried");
    assert_eq!(
        recs[0].path_template,
        "/restapi/v2.1/accounts/{accountId}/templates"
    );
    assert_eq!(
        recs[0].error_code.as_deref(),
        Some("USER_LACKS_PERMISSIONS")
    );
    assert_eq!(
        recs[1].path_template,
        "/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/recipients/{recipientId}/tabs"
    );
    assert_eq!(
        recs[1].path,
        format!("{API}/envelopes/{ENV_ID}/recipients/1/tabs")
    );
    assert_eq!(recs[1].envelope_id.as_deref(), Some(ENV_ID));
}

#[tokio::test]
async fn tab_values_keep_every_collection() {
    let server = serve(|r| {
        if r.path.ends_with("/tabs") {
            Resp::json(200, json!({ "textTabs": [ { "tabLabel": "CustomerAddress", "value": "1 Main St" } ], "formulaTabs": [ { "tabLabel": "Total", "value": "42" } ] }))
        } else {
            assert_eq!(r.q("include_tabs"), Some("true"));
            Resp::json(
                200,
                json!({ "signers": [ { "recipientId": "1", "roleName": "Signer 1", "name": "Ann", "email": "ann@example.com",
                    "tabs": { "textTabs": [ { "tabLabel": "CustomerAddress", "value": "1 Main St" } ], "checkboxTabs": [ { "tabLabel": "Agree", "selected": "true" } ],
                              "radioGroupTabs": [ { "groupName": "Size", "radios": [ { "value": "L", "selected": "true" } ] } ], "brandNewTabs": [ { "tabLabel": "N", "value": "v" } ] } } ],
                    "carbonCopies": [ { "recipientId": "2", "name": "Cc", "email": "cc@example.com" } ] }),
            )
        }
    })
    .await;
    let h = harness(&server);
    let one = h
        .client
        .get_tab_values(ENV_ID, Some("1"))
        .await
        .expect("one");
    assert_eq!(
        one[0].tabs.collection("formulaTabs")[0].value.as_deref(),
        Some("42")
    );
    let all = h.client.get_tab_values(ENV_ID, None).await.expect("all");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].role_name.as_deref(), Some("Signer 1"));
    assert_eq!(
        all[0].tabs.collection("checkboxTabs")[0].selected,
        Some(true)
    );
    assert_eq!(
        all[0].tabs.collection("brandNewTabs")[0].value.as_deref(),
        Some("v")
    );
    assert_eq!(
        all[0].tabs.collection("radioGroupTabs")[0].radios[0]
            .value
            .as_deref(),
        Some("L")
    );
    assert_eq!(all[1].recipient_type.as_deref(), Some("carbonCopy"));
    assert!(all[1].tabs.is_empty());
}

#[tokio::test]
async fn template_roles_and_template_pages() {
    let server = serve(|r| {
        if r.path.ends_with("/recipients") {
            return Resp::json(200, template_recipients());
        }
        let start: usize = r.q("start_position").unwrap().parse().unwrap();
        // No totals, only nextUri: page until it is empty.
        let items: Vec<Value> = (start..start + 2).map(|i| json!({ "templateId": format!("t-{i}"), "name": format!("T{i}") })).collect();
        Resp::json(200, json!({ "envelopeTemplates": items, "resultSetSize": "2", "nextUri": if start < 4 { "/templates?start_position=next" } else { "" } }))
    })
    .await;
    let h = harness(&server);
    let all = h.client.list_templates().await.expect("templates");
    assert_eq!(all.len(), 6);
    let roles = h.client.get_template_roles(TPL_ID).await.expect("roles");
    assert_eq!(roles.roles.len(), 2);
    assert_eq!(roles.roles[0].role_name, "Signer 1");
    assert!(!roles.roles[0].fixed);
    assert!(roles.roles[1].fixed);
    assert_eq!(roles.roles[0].routing_order, Some(1));
    assert!(roles.roles[0]
        .tabs
        .iter()
        .any(|t| t.label == "Plan" && t.kind == "list" && t.choices == ["basic", "pro"]));
    assert!(roles.roles[0]
        .tabs
        .iter()
        .any(|t| t.label == "Signature" && !t.settable));
}

#[tokio::test]
async fn minting_failures_are_auth_errors_and_bodies_that_do_not_parse_are_decode_errors() {
    let server = serve_opts(
        |r| {
            if r.path == "/oauth/token" {
                Resp::json(400, json!({ "error": "consent_required" }))
            } else {
                Resp::bytes(200, "text/html", b"<html>maintenance</html>".to_vec())
            }
        },
        true,
    )
    .await;
    let h = harness(&server);
    let err = h.client.get_envelope(ENV_ID).await.unwrap_err();
    assert!(
        matches!(
            &err,
            EsignError::Auth(docusign_api::oauth::OAuthError::OAuth {
                kind: docusign_api::oauth::OAuthErrorKind::ConsentRequired,
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(err.error_code(), Some("consent_required"));
    assert!(server.rest().is_empty(), "no REST call without a token");
    assert!(h.observer.esign().is_empty());

    let server =
        serve(|_| Resp::bytes(200, "text/html", b"<html>maintenance</html>".to_vec())).await;
    let h = harness(&server);
    let err = h.client.get_envelope(ENV_ID).await.unwrap_err();
    let EsignError::Decode { excerpt, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(excerpt.contains("maintenance"));
    let recs = h.observer.esign();
    assert_eq!(
        (recs[0].status, recs[0].error_code.as_deref()),
        (Some(200), Some("unexpected_body"))
    );
}

#[test]
fn client_and_its_futures_are_send() {
    fn is_send_sync<T: Send + Sync>() {}
    fn is_send<T: Send>(_: &T) {}
    is_send_sync::<EsignClient>();
    is_send_sync::<EsignError>();
    // Type-check only: the futures can be spawned (the Tauri shell and the CLI do).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = rt.enter();
    let http = docusign_api::oauth::http_client(None, Duration::from_secs(1)).unwrap();
    let conn = ClientParts {
        auth: AuthServer::demo(),
        http,
        key: key(),
        integration_key: IK.into(),
        user_id: USER.into(),
        account_id: ACCOUNT.into(),
        base_uri: BaseUri::parse("https://demo.docusign.net").unwrap(),
        observer: Arc::new(Recorder::default()),
    };
    let c = EsignClient::new(conn);
    let q = ListEnvelopesQuery::default();
    is_send(&c.list_envelopes(&q));
    is_send(&c.send_envelope_from_template(&send_request()));
    is_send(&c.void_envelope(ENV_ID, "r"));
    let p = std::path::PathBuf::from("x.pdf");
    is_send(&c.download_document(ENV_ID, DocumentId::Combined, &p, |_, _| {}));
}

/// F38: a token answer whose `token_type` is not `Bearer` (an application token) fails the
/// token step with a message naming the User ID; no eSignature call is made with it.
#[tokio::test]
async fn f38_application_token_is_refused_before_any_call() {
    let server = serve_opts(
        |r| {
            if r.path == "/oauth/token" {
                Resp::json(
                    200,
                    json!({"access_token": "app-1", "token_type": "Application", "expires_in": 3600}),
                )
            } else {
                Resp::json(200, json!({}))
            }
        },
        true,
    )
    .await;
    let h = harness(&server);
    let err = h.client.get_envelope(ENV_ID).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            &err,
            EsignError::Auth(docusign_api::oauth::OAuthError::NotUserToken { token_type })
                if token_type == "Application"
        ),
        "{err:?}"
    );
    assert!(
        text.contains("application token") && text.contains("User ID"),
        "{text}"
    );
    assert!(
        server.rest().is_empty(),
        "no eSignature call with an application token"
    );
}

/// Issue #12: a body that stops coming (the server stalls after the first bytes) fails after
/// the download's idle timeout, and one cut short (the connection closed mid-body) fails at
/// once; neither leaves a file at the target nor a `.part` file beside it.
#[tokio::test]
async fn a_stalled_or_cut_body_fails_and_leaves_no_file_behind() {
    let pdf = pdf_bytes();
    let server = serve(move |r| {
        let how = if r.path.ends_with("/combined") {
            Cut::Stall
        } else {
            Cut::Close
        };
        Resp::bytes(200, "application/pdf", pdf.clone()).cut_after(100, how)
    })
    .await;
    let config = EsignConfig {
        download_idle_timeout: Duration::from_secs(1),
        ..EsignConfig::default()
    };
    let h = harness_with(&server, config);
    let dir = tempfile::tempdir().unwrap();
    let leftovers = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };

    let out = dir.path().join("stalled.pdf");
    let err = h
        .client
        .download_document(ENV_ID, DocumentId::Combined, &out, |_, _| {})
        .await
        .unwrap_err();
    match &err {
        EsignError::Transport { class, reason, .. } => {
            assert_eq!(*class, "timeout");
            assert_eq!(reason, "no data for 1 s");
        }
        other => panic!("expected an idle timeout, got {other:?}"),
    }
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());

    let out = dir.path().join("cut.pdf");
    let err = h
        .client
        .download_document(ENV_ID, DocumentId::Certificate, &out, |_, _| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, EsignError::Transport { class, .. } if *class != "timeout"),
        "a cut body is a transport error, not a timeout: {err:?}"
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

/// Issue #12: a server that takes the request and never sends the response head kept a
/// download waiting for its one-hour total. Every call now has a first-byte timeout: the
/// download (a GET: retried within the policy) and the token call fail with a timeout whose
/// reason names the host, long before any total timeout.
#[tokio::test]
async fn a_server_that_never_sends_the_head_fails_within_the_first_byte_timeout() {
    let server = serve_opts(
        |_| Resp::json(200, json!({})).delay(Duration::from_secs(600)),
        false,
    )
    .await;
    let config = EsignConfig {
        first_byte_timeout: Duration::from_secs(1),
        download_total_timeout: Duration::from_secs(3600),
        download_idle_timeout: Duration::from_secs(3600),
        ..EsignConfig::default()
    };
    let h = harness_with(&server, config);
    let host = server.url.trim_start_matches("https://").to_string();
    let dir = tempfile::tempdir().unwrap();
    let err = h
        .client
        .download_document(ENV_ID, DocumentId::Combined, dir.path(), |_, _| {})
        .await
        .unwrap_err();
    match &err {
        EsignError::Transport { class, reason, .. } => {
            assert_eq!(*class, "timeout");
            assert_eq!(
                reason,
                &format!(
                    "{host} took the request but sent no answer within 1 s (first-byte timeout)"
                )
            );
        }
        other => panic!("{other:?}"),
    }
    // A GET: sent max_attempts (3) times, each given up at the first-byte timeout.
    assert_eq!(server.rest().len(), 3);
    assert_eq!(dir_entries(dir.path()), Vec::<String>::new());
    let recs = h.observer.esign();
    assert_eq!(recs.len(), 3);
    assert!(recs
        .iter()
        .all(|c| c.status.is_none() && c.error_code.as_deref() == Some("timeout")));

    // The token call has the same first-byte timeout.
    let server = serve_opts(
        |r| {
            assert_eq!(r.path, "/oauth/token");
            Resp::json(200, json!({})).delay(Duration::from_secs(600))
        },
        true,
    )
    .await;
    let h = harness_with(
        &server,
        EsignConfig {
            first_byte_timeout: Duration::from_secs(1),
            ..EsignConfig::default()
        },
    );
    let host = server.url.trim_start_matches("https://").to_string();
    let err = h.client.access_token().await.unwrap_err();
    match &err {
        EsignError::Auth(docusign_api::oauth::OAuthError::Transport { class, reason, .. }) => {
            assert_eq!(*class, "timeout");
            assert!(
                reason.starts_with(&format!("{host} took the request")),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
}
