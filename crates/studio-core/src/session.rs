//! Turning connection settings into a working eSignature client, with every
//! call recorded in the Go-Live ledger.

use crate::problem::{AsProblem, Code, Problem};
use crate::token_store::{keyring_user, KeyringTokenStore};
use docusign_api::environment::{self, AuthServer, BaseUri};
use docusign_api::esign::{ClientParts, EsignClient, EsignConfig};
use docusign_api::key;
use docusign_api::oauth;
use docusign_api::observe::CallObserver;
use std::sync::Arc;
use std::time::Duration;

/// What the health check needs. `private_key` is the key file's bytes or the
/// pasted text (secret: never logged or echoed).
#[derive(Clone, Default)]
pub struct CheckInput {
    /// Integration key GUID as typed.
    pub integration_key: String,
    /// User ID GUID as typed.
    pub user_id: String,
    /// API Account ID GUID as typed.
    pub account_id: String,
    /// Base URI as typed (with or without `/restapi`).
    pub base_uri: String,
    /// `demo`, `production`, or an `https://` URL of a custom auth server, as typed (or a saved
    /// connection's auth server in its text form). Text, like the other fields here: the health
    /// check's settings step parses it, and reports a value that is not an auth server as
    /// `auth_server_invalid` like any other field.
    pub auth_server: String,
    /// The private key (file bytes or pasted text). Secret.
    pub private_key: docusign_api::key::PrivateKeyBytes,
    /// Extra CA certificate (PEM) trusted for a custom auth server.
    pub ca_cert_pem: Option<Vec<u8>>,
    /// Redirect URI registered on the integration key, for the consent URL in fixes.
    pub redirect_uri: Option<String>,
    /// The first-byte timeout of every call, downloads included: how long a call waits for
    /// the response head once its request is sent (default
    /// [`oauth::FIRST_BYTE_TIMEOUT_SECS`], 30 s). A token, userinfo or JSON call may take
    /// this or 30 s in all, whichever is longer; the connect timeout is always
    /// [`oauth::CONNECT_TIMEOUT_SECS`].
    pub timeout: Option<Duration>,
    /// Receives the token and userinfo calls (the Go-Live ledger shows them as not counting).
    pub observer: Option<std::sync::Arc<dyn docusign_api::observe::CallObserver>>,
    /// True for the Studio's sandbox: a saved connection of the sandbox environment. A custom
    /// auth server given by itself (`--auth-server https://HOST:PORT`) is not assumed to be it:
    /// the report names it by its host ([`crate::health::HealthReport::environment_label`]).
    pub sandbox: bool,
}

impl CheckInput {
    /// The first-byte timeout of this input's calls: its `timeout`, else
    /// [`oauth::FIRST_BYTE_TIMEOUT_SECS`].
    pub fn first_byte_timeout(&self) -> Duration {
        self.timeout
            .unwrap_or(Duration::from_secs(oauth::FIRST_BYTE_TIMEOUT_SECS))
    }

    /// The total timeout of one token, userinfo or JSON call for this input: its first-byte
    /// timeout or [`oauth::DEFAULT_TIMEOUT_SECS`], whichever is longer (so a slow head is always
    /// reported as the first-byte timeout).
    pub fn total_timeout(&self) -> Duration {
        self.first_byte_timeout()
            .max(Duration::from_secs(oauth::DEFAULT_TIMEOUT_SECS))
    }
}

impl std::fmt::Debug for CheckInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckInput")
            .field("integration_key", &self.integration_key)
            .field("user_id", &self.user_id)
            .field("account_id", &self.account_id)
            .field("base_uri", &self.base_uri)
            .field("auth_server", &self.auth_server)
            .field("sandbox", &self.sandbox)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

/// A setting that is not right: its code, detail, message (a sentence) and fix, the one
/// conversion the health check's settings step, the wizard's field checks and a saved
/// connection's field errors all use (no field set: each adds the one it checked).
impl AsProblem for environment::SettingError {
    fn problem(&self) -> Problem {
        Problem::new(
            Code::from_wire_or_unknown(self.code()),
            crate::problem::capitalise(&self.to_string()),
            self.fix(),
        )
        .with_detail(self.detail())
    }
}

crate::problem::problem_from!(environment::SettingError);

/// The parsed, checked settings of a connection.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Auth server.
    pub auth: AuthServer,
    /// Base URI.
    pub base_uri: BaseUri,
    /// Integration key.
    pub integration_key: String,
    /// User ID.
    pub user_id: String,
    /// Account ID.
    pub account_id: String,
}

/// Checks the settings of `input` (no network).
///
/// # Errors
/// [`Problem`] naming the first bad field.
pub fn settings(input: &CheckInput) -> Result<Settings, Problem> {
    Ok(check_settings(input)?)
}

/// [`settings`] with the underlying [`environment::SettingError`] (the health
/// check's settings step reports its code, detail and fix).
///
/// # Errors
/// The first bad field, in the order auth server, integration key, user ID,
/// account ID, base URI, environment pairing, CA certificate (sandbox only).
pub fn check_settings(input: &CheckInput) -> Result<Settings, environment::SettingError> {
    let auth = AuthServer::parse(&input.auth_server)?;
    let integration_key = environment::check_guid("integration key", &input.integration_key)?;
    let user_id = environment::check_guid("user ID", &input.user_id)?;
    let account_id = environment::check_guid("account ID", &input.account_id)?;
    let base_uri = BaseUri::parse(&input.base_uri)?;
    environment::check_environment(&auth, &base_uri)?;
    if input.ca_cert_pem.is_some() {
        environment::check_ca_cert_allowed(&auth)?;
    }
    Ok(Settings {
        auth,
        base_uri,
        integration_key,
        user_id,
        account_id,
    })
}

/// Builds an [`EsignClient`] for `input`, reporting every call to `observer`.
///
/// # Errors
/// [`Problem`] for bad settings (`*_invalid`, `*_malformed`,
/// `environment_mismatch`), an unusable key (`key_load_failed`) or CA file
/// (`ca_cert_invalid`).
pub fn esign_client(
    input: &CheckInput,
    observer: Arc<dyn CallObserver>,
) -> Result<(EsignClient, Settings), Problem> {
    build(input, observer).map(|(client, s, _)| (client, s))
}

/// [`esign_client`] whose access token is kept in the OS keyring between processes
/// ([`KeyringTokenStore`]: reused until 10 minutes before it expires, dropped on a 401).
/// For the CLI's actions, not for the health check (which always mints).
///
/// # Errors
/// As [`esign_client`].
pub fn esign_client_with_kept_token(
    input: &CheckInput,
    observer: Arc<dyn CallObserver>,
    on_keyring_problem: impl Fn(&str) + Send + Sync + 'static,
) -> Result<(EsignClient, Settings), Problem> {
    let (client, s, fingerprint) = build(input, observer)?;
    let user = keyring_user(s.auth.host(), &s.integration_key, &s.user_id, &fingerprint);
    let store = KeyringTokenStore::new(&user).on_problem(on_keyring_problem);
    Ok((client.with_token_store(Arc::new(store)), s))
}

fn build(
    input: &CheckInput,
    observer: Arc<dyn CallObserver>,
) -> Result<(EsignClient, Settings, String), Problem> {
    let s = settings(input)?;
    let loaded = key::load_private_key_bytes(input.private_key.expose()).map_err(|e| {
        Problem::new(
            Code::KeyLoadFailed,
            format!("Failed to load RSA private key: {e}"),
            e.fix(),
        )
        .with_detail(e.detail())
    })?;
    let http =
        oauth::http_client(input.ca_cert_pem.as_deref(), input.total_timeout()).map_err(|e| {
            Problem::new(
                Code::CaCertInvalid,
                e.to_string(),
                "Pass the PEM CA certificate file the sandbox printed (ca_cert).",
            )
        })?;
    let fingerprint = loaded.key.fingerprint().to_string();
    let config = EsignConfig {
        first_byte_timeout: input.first_byte_timeout(),
        timeout: input.total_timeout(),
        ..EsignConfig::default()
    };
    let client = EsignClient::new(ClientParts {
        auth: s.auth.clone(),
        http,
        key: Arc::new(loaded.key),
        integration_key: s.integration_key.clone(),
        user_id: s.user_id.clone(),
        account_id: s.account_id.clone(),
        base_uri: s.base_uri.clone(),
        observer,
    })
    .with_config(config);
    Ok((client, s, fingerprint))
}
