//! A local DocuSign for tests and the Studio's sandbox: HTTPS on loopback, DocuSign's OAuth
//! endpoints (consent page, JWT grant, userinfo), a stateful eSignature REST account
//! (`/restapi/v2.1/accounts/{accountId}/...`: envelopes, recipients, tabs, custom fields,
//! documents, templates, with DocuSign's errors and rate limits), a world file of integration
//! keys, users, accounts, consents and per-account templates and envelopes, and an admin API
//! (`/__emulator/...`) for consent, the clock, fault injection, a request log, envelope
//! lifecycle, bulk envelopes, large documents and rate limits.
//!
//! It depends on nothing else in this workspace: the JSON it writes follows DocuSign's docs
//! and the eSignature OpenAPI spec on its own, so a field-name mistake in the client cannot hide
//! behind the same mistake here. The world format and every endpoint are documented in
//! `docs/emulator.md`.
//!
//! ```no_run
//! # async fn run() -> Result<(), docusign_emulator::EmulatorError> {
//! use docusign_emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig::new("/tmp/emu")).await?;
//! println!("{}", emulator.ready_line());
//! // trust emulator.ca_cert_path(), mint a JWT with default_credentials(), call emulator.url()...
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

mod admin;
pub mod clock;
mod error;
pub mod esign;
mod faults;
mod fsutil;
mod log;
mod oauth;
mod state;
mod tls;
pub mod world;

pub use error::EmulatorError;
pub use esign::spec::{
    AccountEsignSpec, DEFAULT_ENVELOPES, DEFAULT_NDA_TEMPLATE_ID, DEFAULT_OFFER_TEMPLATE_ID,
};
pub use faults::FaultSpec;
pub use log::LoggedRequest;
pub use oauth::{JWT_BEARER_GRANT, MAX_ASSERTION_LIFETIME, MAX_CLOCK_SKEW};
pub use world::{DefaultCredentials, WorldFile, DEFAULT_REDIRECT_URI, DEFAULT_SCOPES};

use state::AppState;

/// Path prefix reserved for the admin API; never used by DocuSign.
pub const ADMIN_PREFIX: &str = "/__emulator/";

/// How long [`Emulator::shutdown`] lets open connections finish.
const GRACE: Duration = Duration::from_secs(5);

/// How to start the emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// World JSON file (format in `docs/emulator.md`); `None` = generate the default world.
    pub world: Option<PathBuf>,
    /// Listen address, e.g. `127.0.0.1:0` (port 0 = pick a free port).
    pub listen: SocketAddr,
    /// Folder for `ca.pem` (and, for the default world, `private_key.pem`); created if missing.
    pub data_dir: PathBuf,
    /// Default world only: the user has already consented (`signature impersonation`).
    pub grant_consent: bool,
}

impl EmulatorConfig {
    /// Default world on `127.0.0.1:0`, no consent yet, files in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        EmulatorConfig {
            world: None,
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            data_dir: data_dir.into(),
            grant_consent: false,
        }
    }
}

/// A running emulator. Dropping it stops the server at once; [`Emulator::shutdown`] stops it
/// gracefully.
pub struct Emulator {
    url: String,
    addr: SocketAddr,
    ca_cert_path: PathBuf,
    credentials: Option<DefaultCredentials>,
    state: AppState,
    handle: axum_server::Handle,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url)
            .field("ca_cert_path", &self.ca_cert_path)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Loads (or generates) the world, binds `config.listen`, makes the CA and server
    /// certificate, writes `data_dir/ca.pem` (atomically), and starts serving HTTPS.
    ///
    /// # Errors
    /// [`EmulatorError::WorldRead`] / [`EmulatorError::WorldSyntax`] /
    /// [`EmulatorError::WorldInvalid`] for a bad world file (naming the field),
    /// [`EmulatorError::PortInUse`] / [`EmulatorError::Bind`] for the listen address,
    /// [`EmulatorError::DataDir`] when `data_dir` is not writable, and
    /// [`EmulatorError::Tls`] / [`EmulatorError::KeyGeneration`] / [`EmulatorError::Server`].
    pub async fn start(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        let _ = rustls::crypto::ring::default_provider().install_default();

        std::fs::create_dir_all(&config.data_dir).map_err(|source| EmulatorError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;

        let (world, mut credentials) = match &config.world {
            Some(path) => (world::load_world_file(path)?, None),
            None => {
                let data_dir = config.data_dir.clone();
                let grant = config.grant_consent;
                let (file, creds) = tokio::task::spawn_blocking(move || {
                    world::generate_default_world(&data_dir, grant)
                })
                .await
                .map_err(|e| EmulatorError::KeyGeneration(e.to_string()))??;
                let world = world::validate_world(
                    file,
                    Path::new(world::DEFAULT_WORLD_NAME),
                    &config.data_dir,
                )?;
                (world, Some(creds))
            }
        };

        let listener = std::net::TcpListener::bind(config.listen).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AddrInUse {
                EmulatorError::PortInUse {
                    addr: config.listen,
                }
            } else {
                EmulatorError::Bind {
                    addr: config.listen,
                    source,
                }
            }
        })?;
        let bind_err = |source| EmulatorError::Bind {
            addr: config.listen,
            source,
        };
        listener.set_nonblocking(true).map_err(bind_err)?;
        let local = listener.local_addr().map_err(bind_err)?;
        let addr = match local.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), local.port())
            }
            IpAddr::V6(ip) if ip.is_unspecified() => {
                SocketAddr::new(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), local.port())
            }
            _ => local,
        };
        let url = format!("https://{addr}");
        if let Some(c) = credentials.as_mut() {
            c.base_uri = url.clone();
        }

        let tls = tokio::task::spawn_blocking(tls::make_tls)
            .await
            .map_err(|e| EmulatorError::Tls(e.to_string()))??;
        let ca_cert_path = config.data_dir.join("ca.pem");
        fsutil::write_atomic(&ca_cert_path, tls.ca_pem.as_bytes(), 0o644).map_err(|source| {
            EmulatorError::DataDir {
                path: ca_cert_path.clone(),
                source,
            }
        })?;

        let state = AppState::new(world, url.clone(), addr.port());
        let app = router(state.clone());
        let handle = axum_server::Handle::new();
        let server = axum_server::from_tcp_rustls(
            listener,
            axum_server::tls_rustls::RustlsConfig::from_config(tls.server_config),
        )
        .handle(handle.clone());
        let task = tokio::spawn(async move {
            let result = server.serve(app.into_make_service()).await;
            if let Err(e) = &result {
                tracing::error!(error = %e, "emulator server stopped");
            }
            result
        });
        if handle.listening().await.is_none() {
            let message = match task.await {
                Ok(Err(e)) => e.to_string(),
                Ok(Ok(())) => "stopped before listening".to_owned(),
                Err(e) => e.to_string(),
            };
            return Err(EmulatorError::Server(message));
        }
        tracing::info!(%url, environment = %state.world.environment, "DocuSign emulator listening");

        Ok(Emulator {
            url,
            addr,
            ca_cert_path,
            credentials,
            state,
            handle,
            task: Some(task),
        })
    }

    /// The base URL, `https://127.0.0.1:PORT` (no trailing slash). OAuth endpoints live at
    /// `{url}/oauth/...`; the JWT `aud` is the bare `127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The bound socket address (loopback when an unspecified address was given).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The OAuth host to use as JWT `aud` and token host: `127.0.0.1:PORT`.
    pub fn oauth_host(&self) -> String {
        self.addr.to_string()
    }

    /// PEM file of the CA that signed the server certificate (`data_dir/ca.pem`).
    pub fn ca_cert_path(&self) -> &Path {
        &self.ca_cert_path
    }

    /// The generated credentials when running the default world; `None` with a world file.
    pub fn default_credentials(&self) -> Option<&DefaultCredentials> {
        self.credentials.as_ref()
    }

    /// The environment name of the world (`"sandbox"` for the default world).
    pub fn environment(&self) -> &str {
        &self.state.world.environment
    }

    /// The JSON object the `dsjwt emulator` CLI prints as its single stdout line:
    /// `{"url", "ca_cert"}` plus, for the default world, `"private_key"`, `"integration_key"`,
    /// `"user_id"`, `"account_id"`, `"base_uri"`, `"redirect_uri"`. Paths are strings.
    pub fn ready_line(&self) -> serde_json::Value {
        let mut line = json!({
            "url": self.url,
            "ca_cert": self.ca_cert_path.to_string_lossy(),
        });
        if let (Some(c), Some(obj)) = (&self.credentials, line.as_object_mut()) {
            obj.insert("private_key".into(), json!(c.private_key.to_string_lossy()));
            obj.insert("integration_key".into(), json!(c.integration_key));
            obj.insert("user_id".into(), json!(c.user_id));
            obj.insert("account_id".into(), json!(c.account_id));
            obj.insert("base_uri".into(), json!(c.base_uri));
            obj.insert("redirect_uri".into(), json!(c.redirect_uri));
        }
        line
    }

    /// Current clock offset in seconds (same as `GET /__emulator/clock`).
    pub fn clock_offset_seconds(&self) -> i64 {
        self.state.clock.offset_seconds()
    }

    /// Sets the clock offset in seconds (same as `POST /__emulator/clock {"offset_seconds"}`).
    pub fn set_clock_offset_seconds(&self, offset: i64) {
        self.state.clock.set_offset_seconds(offset);
    }

    /// Records consent of `user_id` to `integration_key` for `scopes` (merged with existing ones),
    /// like `POST /__emulator/consent`. Unknown ids are recorded but never match a token request.
    pub fn grant_consent(&self, user_id: &str, integration_key: &str, scopes: &[&str]) {
        self.state.grant_consent(
            user_id,
            integration_key,
            scopes.iter().map(|s| (*s).to_owned()),
        );
    }

    /// Removes the consent of `user_id` to `integration_key`; live tokens stay valid.
    pub fn revoke_consent(&self, user_id: &str, integration_key: &str) -> bool {
        self.state.revoke_consent(user_id, integration_key, None)
    }

    /// A copy of the request log (same as `GET /__emulator/requests`).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        state::lock(&self.state.log)
            .entries
            .iter()
            .cloned()
            .collect()
    }

    /// The effective world as JSON (same as `GET /__emulator/world`).
    pub fn world_json(&self) -> serde_json::Value {
        admin::world_json(&self.state)
    }

    /// Stops accepting connections, lets open ones finish (up to 5 s), and waits for the
    /// server task.
    pub async fn shutdown(mut self) {
        self.handle.graceful_shutdown(Some(GRACE));
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if self.task.is_some() {
            self.handle.shutdown();
        }
    }
}

/// The whole router: OAuth, admin, fallback, and the middleware stack (outermost first:
/// Date/TraceToken headers, request log, faults).
fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/oauth/auth",
            get(oauth::auth_page).post(oauth::auth_decision),
        )
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/userinfo", get(oauth::userinfo))
        .merge(esign::router(state.clone()))
        .nest("/__emulator", admin::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log::common_headers,
        ))
        .with_state(state)
}

/// 404 for unknown paths. Under `/restapi` the body is DocuSign's `errorDetails` shape.
async fn not_found(req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with("/restapi") {
        (
            StatusCode::NOT_FOUND,
            Json(json!({
                "errorCode": "NOT_FOUND",
                "message": format!("The emulator has no resource at {} {path}.", req.method()),
            })),
        )
            .into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "not_found", "path": path})),
        )
            .into_response()
    }
}
