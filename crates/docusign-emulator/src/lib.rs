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
mod layers;
mod log;
mod oauth;
mod persist;
mod plain;
mod state;
mod tls;
pub mod world;

pub use error::EmulatorError;
pub use faults::FaultSpec;
pub use log::LoggedRequest;
pub use oauth::{JWT_BEARER_GRANT, MAX_ASSERTION_LIFETIME, MAX_CLOCK_SKEW};
pub use persist::WORLD_FILE;
pub use plain::CONSENT_GIVEN_PATH;
pub use world::{
    AccountEsignSpec, DefaultCredentials, WorldFile, DEFAULT_ACCOUNT_NUMBER, DEFAULT_ENVELOPES,
    DEFAULT_NDA_TEMPLATE_ID, DEFAULT_OFFER_TEMPLATE_ID, DEFAULT_REDIRECT_URI, DEFAULT_SCOPES,
};

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
    /// Default world only: start a new world even when `data_dir` holds one from an earlier
    /// run (the old one is replaced). Without it, a saved world is resumed.
    pub fresh: bool,
    /// Allow a `listen` address other machines can reach (anything but loopback, e.g.
    /// `0.0.0.0`). Off by default: the admin API has no authentication (see
    /// [`REMOTE_LISTEN_WARNING`]), so [`Emulator::start`] refuses such an address unless this
    /// is set.
    pub allow_remote: bool,
}

impl EmulatorConfig {
    /// Default world on `127.0.0.1:0`, no consent yet, files in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        EmulatorConfig {
            world: None,
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            data_dir: data_dir.into(),
            grant_consent: false,
            fresh: false,
            allow_remote: false,
        }
    }
}

/// What a front end tells the person who lets the emulator listen on an address other
/// machines can reach ([`EmulatorConfig::allow_remote`]).
pub const REMOTE_LISTEN_WARNING: &str = "the emulator's admin API (/__emulator/) has no \
     authentication: anyone who can reach this address can grant consent, move the clock, inject \
     faults and change envelopes";

/// Whether listening on `listen` lets other machines reach the emulator: every address but a
/// loopback one (`127.0.0.0/8`, `::1`, or `::ffff:127.x.x.x`), so also the unspecified
/// `0.0.0.0` and `::` that listen on every interface.
pub fn listens_remotely(listen: SocketAddr) -> bool {
    !listen.ip().to_canonical().is_loopback()
}

/// A running emulator. Dropping it stops the server at once; [`Emulator::shutdown`] stops it
/// gracefully.
pub struct Emulator {
    url: String,
    addr: SocketAddr,
    ca_cert_path: PathBuf,
    credentials: Option<DefaultCredentials>,
    resumed: bool,
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
    /// certificate, writes `data_dir/ca.pem` (atomically), and starts serving HTTPS (plus the
    /// consent page over plain HTTP on the same port).
    ///
    /// The default world persists: a `data_dir` holding `world.json` from an earlier run is
    /// resumed (same integration key, user, account, public key, CA, consents, envelopes;
    /// the same port when `listen` has port 0 and the old port is free) unless
    /// [`EmulatorConfig::fresh`]. The world is saved at start and after each changing request.
    ///
    /// # Errors
    /// [`EmulatorError::WorldRead`] / [`EmulatorError::WorldSyntax`] /
    /// [`EmulatorError::WorldInvalid`] for a bad world file (naming the field),
    /// [`EmulatorError::PortInUse`] / [`EmulatorError::Bind`] for the listen address,
    /// [`EmulatorError::DataDir`] when `data_dir` is not writable, and
    /// [`EmulatorError::Tls`] / [`EmulatorError::KeyGeneration`] / [`EmulatorError::Server`];
    /// [`EmulatorError::RemoteNotAllowed`] (before anything is written) when `listen` is not a
    /// loopback address and [`EmulatorConfig::allow_remote`] is off.
    pub async fn start(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        if listens_remotely(config.listen) && !config.allow_remote {
            return Err(EmulatorError::RemoteNotAllowed {
                addr: config.listen,
            });
        }
        let _ = rustls::crypto::ring::default_provider().install_default();

        std::fs::create_dir_all(&config.data_dir).map_err(|source| EmulatorError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        let data_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| EmulatorError::DataDir { path, source }
        };

        // The default world persists in the data folder; a world file does not.
        let saved = match (&config.world, config.fresh) {
            (None, false) => persist::load(&config.data_dir)?,
            _ => None,
        };
        let resumed = saved.is_some();
        let mut saved_port = None;
        let (mut world, mut credentials, persistence) = match (&config.world, saved) {
            (Some(path), _) => (world::load_world_file(path)?, None, None),
            (None, Some(saved)) => {
                saved_port = Some(saved.port);
                let world_path = config.data_dir.join(persist::WORLD_FILE);
                let creds =
                    world::saved_credentials(&saved.world, &config.data_dir).ok_or_else(|| {
                        EmulatorError::WorldInvalid {
                        path: world_path.clone(),
                        field: "world".into(),
                        message:
                            "it has no integration key, user or account: start with a fresh world"
                                .into(),
                    }
                    })?;
                let file = saved.world;
                let mut world = world::validate_world(file.clone(), &world_path, &config.data_dir)?;
                world.esign = saved.accounts;
                for account in world.esign.accounts.values_mut() {
                    account.reindex();
                }
                let persistence = persist::Persistence::new(&config.data_dir, file);
                (world, Some(creds), Some(persistence))
            }
            (None, None) => {
                let data_dir = config.data_dir.clone();
                let grant = config.grant_consent;
                let (file, creds) = tokio::task::spawn_blocking(move || {
                    world::generate_default_world(&data_dir, grant)
                })
                .await
                .map_err(|e| EmulatorError::KeyGeneration(e.to_string()))??;
                let persistence = persist::Persistence::new(&config.data_dir, file.clone());
                let world = world::validate_world(
                    file,
                    Path::new(world::DEFAULT_WORLD_NAME),
                    &config.data_dir,
                )?;
                (world, Some(creds), Some(persistence))
            }
        };

        // Same port as last time when it is free (and no port was asked for).
        let preferred = match saved_port {
            Some(port) if port != 0 && config.listen.port() == 0 => {
                std::net::TcpListener::bind(SocketAddr::new(config.listen.ip(), port)).ok()
            }
            _ => None,
        };
        let listener = match preferred {
            Some(l) => l,
            None => std::net::TcpListener::bind(config.listen).map_err(|source| {
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
            })?,
        };
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
            // The default world's own landing page after the consent page (plain HTTP).
            c.redirect_uri = format!("http://{addr}{}", plain::CONSENT_GIVEN_PATH);
            for ik in &mut world.integration_keys {
                if !ik.redirect_uris.contains(&c.redirect_uri) {
                    ik.redirect_uris.push(c.redirect_uri.clone());
                }
            }
        }

        // A persistent world keeps its CA, so clients trusting ca.pem keep working.
        let ca_cert_path = config.data_dir.join("ca.pem");
        let ca_key_path = config.data_dir.join(tls::CA_KEY_FILE);
        let kept = match (&persistence, resumed) {
            (Some(_), true) => match (
                std::fs::read_to_string(&ca_cert_path),
                std::fs::read_to_string(&ca_key_path),
            ) {
                (Ok(cert_pem), Ok(key_pem)) => Some(tls::KeptCa { cert_pem, key_pem }),
                _ => None,
            },
            _ => None,
        };
        let reused_ca = kept.is_some();
        let tls = tokio::task::spawn_blocking(move || tls::make_tls(kept))
            .await
            .map_err(|e| EmulatorError::Tls(e.to_string()))??;
        if persistence.is_some() && !reused_ca {
            fsutil::write_atomic(&ca_key_path, tls.ca_key_pem.as_bytes(), 0o600)
                .map_err(data_err(&ca_key_path))?;
        }
        fsutil::write_atomic(&ca_cert_path, tls.ca_pem.as_bytes(), 0o644)
            .map_err(data_err(&ca_cert_path))?;

        let grant = match (&credentials, resumed && config.grant_consent) {
            (Some(c), true) => Some((c.user_id.clone(), c.integration_key.clone())),
            _ => None,
        };
        let state = AppState::new(world, url.clone(), addr.port(), persistence);
        if let Some((user_id, integration_key)) = grant {
            state.grant_consent(
                &user_id,
                &integration_key,
                DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()),
            );
        }
        // Saved at once: the identity (and this port) hold even if nothing else happens.
        let st = state.clone();
        tokio::task::spawn_blocking(move || st.save())
            .await
            .map_err(|e| EmulatorError::Server(e.to_string()))?
            .map_err(data_err(&config.data_dir.join(persist::WORLD_FILE)))?;

        let app = router(state.clone());
        let acceptor = plain::SniffAcceptor {
            tls: axum_server::tls_rustls::RustlsAcceptor::new(
                axum_server::tls_rustls::RustlsConfig::from_config(tls.server_config),
            ),
            plain: plain_router(state.clone()),
        };
        let handle = axum_server::Handle::new();
        let server = axum_server::from_tcp(listener)
            .acceptor(acceptor)
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
        tracing::info!(%url, environment = %state.world.environment, resumed, "DocuSign emulator listening");

        Ok(Emulator {
            url,
            addr,
            ca_cert_path,
            credentials,
            resumed,
            state,
            handle,
            task: Some(task),
        })
    }

    /// Whether this start resumed a world saved in the data folder by an earlier run (same
    /// integration key, user, account, key pair, CA, consents and envelopes).
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// Whether `user_id` has consented to `integration_key` for `signature` and
    /// `impersonation` (what JWT Grant needs) in this world.
    pub fn has_consent(&self, user_id: &str, integration_key: &str) -> bool {
        let scopes = self.state.consented_scopes(user_id, integration_key);
        DEFAULT_SCOPES.iter().all(|s| scopes.contains(*s))
    }

    /// A receiver that changes each time a consent is granted (consent page Allow, admin API,
    /// [`Emulator::grant_consent`]): lets an app confirm consent at once.
    pub fn consent_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.state.consent_granted.subscribe()
    }

    /// The consent page's base over plain HTTP, `http://127.0.0.1:PORT` (the same port): a
    /// browser opens `{consent_base}/oauth/auth?...` without a certificate warning.
    pub fn consent_base(&self) -> String {
        format!("http://{}", self.addr)
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
        self.save();
    }

    /// Saves a persistent world now (blocking file I/O; a failure is logged).
    fn save(&self) {
        if let Err(e) = self.state.save() {
            tracing::error!(error = %e, "could not save the emulator's world");
        }
    }

    /// Removes the consent of `user_id` to `integration_key`; live tokens stay valid.
    pub fn revoke_consent(&self, user_id: &str, integration_key: &str) -> bool {
        let removed = self.state.revoke_consent(user_id, integration_key, None);
        self.save();
        removed
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
        .route(plain::CONSENT_GIVEN_PATH, get(oauth::consent_given))
        .merge(esign::router(state.clone()))
        .nest("/__emulator", admin::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::save_after_change,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::faults,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::request_log,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::common_headers,
        ))
        .with_state(state)
}

/// The router for plain-HTTP connections: the consent page and its landing page only (see
/// [`plain`]); everything else is 403.
fn plain_router(state: AppState) -> Router {
    Router::new()
        .route(
            "/oauth/auth",
            get(oauth::auth_page).post(oauth::auth_decision),
        )
        .route(plain::CONSENT_GIVEN_PATH, get(oauth::consent_given))
        .fallback(oauth::https_only)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::save_after_change,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::request_log,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::common_headers,
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
