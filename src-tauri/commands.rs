//! The commands the UI calls. Each delegates to studio-core; keyring and CPU-heavy calls run
//! on the blocking pool. Errors cross as `{code, message, fix}` ([`IpcError`]).
//!
//! Private keys only ever go *in* (pasted text, a file's content): answers carry a check,
//! a fingerprint and the public key, never the private key. (The one way out is
//! [`crate::handoff::copy_private_key`]: to the clipboard, on purpose.)

use serde::Serialize;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Runtime, State};

use studio_core::api::key::Zeroizing;
use studio_core::connections::{ConnEnvironment, Connection};
use studio_core::consent_landing::{self, RedirectOutcome};
use studio_core::health::{self, HealthReport};
use studio_core::sandbox_setup::{self, SandboxInfo};
use studio_core::wizard::{self, ConsentOutcome, FieldCheck, KeyInfo};
use tokio_util::sync::CancellationToken;

use crate::error::IpcError;
use crate::logging::outcome;
use crate::state::AppState;

/// Runs `f` on the blocking pool (keyring D-Bus calls, RSA work).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(IpcError::internal)?
}

impl From<FieldCheck> for IpcError {
    fn from(c: FieldCheck) -> Self {
        IpcError {
            code: c.code,
            message: c.message,
            fix: c.fix,
            field: Some(c.field),
        }
    }
}

/// About the app.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// True while the built-in sandbox runs.
    pub sandbox_running: bool,
}

/// The app's version and whether the sandbox runs.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        sandbox_running: state.sandbox.lock().await.is_some(),
    })
}

/// Every saved connection (non-secret fields and the key's fingerprint).
#[tauri::command]
pub async fn list_connections(state: State<'_, AppState>) -> Result<Vec<Connection>, IpcError> {
    let store = state.store.clone();
    outcome(
        "list_connections",
        blocking(move || Ok(store.list()?)).await,
    )
}

/// One saved connection.
#[tauri::command]
pub async fn get_connection(
    state: State<'_, AppState>,
    name: String,
) -> Result<Connection, IpcError> {
    let store = state.store.clone();
    outcome(
        "get_connection",
        blocking(move || Ok(store.get(&name)?)).await,
    )
}

/// Removes a connection and its key from the keyring.
#[tauri::command]
pub async fn remove_connection(state: State<'_, AppState>, name: String) -> Result<(), IpcError> {
    let store = state.store.clone();
    crate::workspace::connection_changed(&state.workspace, &name);
    outcome(
        "remove_connection",
        blocking(move || Ok(store.remove(&name)?)).await,
    )
}

/// Help on where a value is in DocuSign's admin pages.
#[derive(Debug, Clone, Serialize)]
pub struct WhereToFind {
    /// The field asked about.
    pub field: String,
    /// Where to find it, in plain words.
    pub text: String,
}

/// Where to find `field` in DocuSign's admin pages.
#[tauri::command]
pub fn where_to_find(field: String) -> WhereToFind {
    WhereToFind {
        text: wizard::where_to_find(&field).to_string(),
        field,
    }
}

/// Checks a connection name as typed.
#[tauri::command]
pub fn check_connection_name(value: String) -> FieldCheck {
    wizard::check_connection_name(&value)
}

/// Checks an integration key as typed.
#[tauri::command]
pub fn check_integration_key(value: String) -> FieldCheck {
    wizard::check_integration_key(&value)
}

/// Checks a user ID as typed (warns when it equals the account ID).
#[tauri::command]
pub fn check_user_id(value: String, account_id: Option<String>) -> FieldCheck {
    wizard::check_user_id(&value, account_id.as_deref().filter(|a| !a.is_empty()))
}

/// Checks an account ID as typed (warns when it equals the user ID).
#[tauri::command]
pub fn check_account_id(value: String, user_id: Option<String>) -> FieldCheck {
    wizard::check_account_id(&value, user_id.as_deref().filter(|u| !u.is_empty()))
}

/// Checks a base URI as typed, for the environment.
#[tauri::command]
pub fn check_base_uri(value: String, environment: ConnEnvironment) -> FieldCheck {
    wizard::check_base_uri(&value, environment)
}

/// Checks a redirect URI as typed.
#[tauri::command]
pub fn check_redirect_uri(value: String) -> FieldCheck {
    wizard::check_redirect_uri(&value)
}

/// A private key the app accepted or refused: the check, what the key is (public parts only),
/// and a reference to the key now held in memory.
#[derive(Debug, Clone, Serialize)]
pub struct KeyAccepted {
    /// The check (reason and fix when refused).
    pub check: FieldCheck,
    /// Bits, fingerprint, public key; `None` when refused.
    pub info: Option<KeyInfo>,
    /// `draft:N` when accepted: pass it to `save_connection` / `confirm_consent`.
    pub key_ref: Option<String>,
}

/// Checks a pasted key (or a key file's text). When it loads, the app keeps it in memory
/// under a reference; only the check and the public info come back.
#[tauri::command]
pub async fn check_private_key(
    state: State<'_, AppState>,
    text: String,
) -> Result<KeyAccepted, IpcError> {
    let bytes = Zeroizing::new(text.into_bytes());
    let (check, bytes) = blocking(move || Ok((wizard::check_private_key(&bytes), bytes))).await?;
    let key_ref = match &check.info {
        Some(_) => Some(state.drafts.insert(bytes)?),
        None => None,
    };
    outcome(
        "check_private_key",
        Ok(KeyAccepted {
            check: check.check,
            info: check.info,
            key_ref,
        }),
    )
}

/// A key pair made in the app: the public half to upload, and the reference of the private half.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedKeyAnswer {
    /// Bits, fingerprint, and the public key PEM to upload to DocuSign.
    pub info: KeyInfo,
    /// `draft:N`: the private key, held in memory until saved.
    pub key_ref: String,
}

/// Generates a 2048-bit RSA key pair; the private half stays in the app.
#[tauri::command]
pub async fn generate_key_pair(state: State<'_, AppState>) -> Result<GeneratedKeyAnswer, IpcError> {
    let generated = outcome(
        "generate_key_pair",
        blocking(|| Ok(wizard::generate_key_pair()?)).await,
    )?;
    let key_ref = state
        .drafts
        .insert(Zeroizing::new(generated.private_pem.as_bytes().to_vec()))?;
    Ok(GeneratedKeyAnswer {
        info: generated.info.clone(),
        key_ref,
    })
}

/// Forgets a key the wizard no longer needs.
#[tauri::command]
pub fn forget_draft_key(state: State<'_, AppState>, key_ref: String) -> Result<(), IpcError> {
    state.drafts.remove(&key_ref)
}

fn consent_url_for(conn: &Connection) -> Result<String, IpcError> {
    Ok(wizard::consent_url(
        conn.environment,
        &conn.auth_server,
        &conn.integration_key,
        conn.redirect_uri.as_deref().unwrap_or(""),
    )?)
}

/// The exact consent URL for the connection's environment.
#[tauri::command]
pub fn consent_url(draft: Connection) -> Result<String, IpcError> {
    outcome("consent_url", consent_url_for(&draft))
}

/// The window event sent when the browser came back from the consent page (a
/// [`RedirectOutcome`]): the UI confirms consent at once.
pub const CONSENT_REDIRECT_EVENT: &str = "consent-redirect";

/// Before the consent page opens: be told when the person answers it. In the sandbox, the
/// emulator says when consent is given; for a DocuSign connection whose redirect URI is a
/// plain-HTTP loopback address, the app serves the landing page there itself. Otherwise (or
/// when that port is taken) the UI keeps trying on its own.
async fn watch_consent_answer<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    draft: &Connection,
) {
    let emit = {
        let app = app.clone();
        move |o: RedirectOutcome| {
            if let Err(e) = app.emit(CONSENT_REDIRECT_EVENT, &o) {
                tracing::warn!(error = %e, "consent answer not delivered to the window");
            }
        }
    };
    if draft.environment == ConnEnvironment::Sandbox {
        let changes = state
            .sandbox
            .lock()
            .await
            .as_ref()
            .map(|s| s.consent_changes());
        if let Some(mut changes) = changes {
            tauri::async_runtime::spawn(async move {
                if let Ok(Ok(())) =
                    tokio::time::timeout(consent_landing::LISTEN_FOR, changes.changed()).await
                {
                    emit(RedirectOutcome::Allowed);
                }
            });
        }
        return;
    }
    let redirect = draft.redirect_uri.clone().unwrap_or_default();
    match consent_landing::listen(&redirect, Arc::new(emit)).await {
        Ok(listener) => {
            // One at a time: a new consent page replaces the previous listener.
            *state
                .consent_listener
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = listener;
        }
        Err(e) => {
            tracing::info!(error = %e, "the redirect URI's port is taken; consent is confirmed by trying")
        }
    }
}

/// Opens the consent URL in the system browser (the URL is built here, not taken from the UI).
#[tauri::command]
pub async fn open_consent_page<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    draft: Connection,
) -> Result<String, IpcError> {
    let url = consent_url_for(&draft)?;
    watch_consent_answer(&app, &state, &draft).await;
    let opener = Arc::clone(&state.opener);
    let target = url.clone();
    let opened = blocking(move || {
        opener(&target).map_err(|e| {
            IpcError::new(
                "browser_failed",
                format!("The browser could not be opened: {e}."),
                "Copy the consent URL and open it in your browser yourself.",
            )
        })
    })
    .await;
    outcome("open_consent_page", opened.map(|_| url))
}

/// Saves a connection. `key_ref`: `draft:N` (a key given to this wizard), `saved:<name>`
/// (the key of a saved connection, e.g. when renaming), or none (keep the stored key).
#[tauri::command]
pub async fn save_connection(
    state: State<'_, AppState>,
    draft: Connection,
    key_ref: Option<String>,
) -> Result<Connection, IpcError> {
    let key = match key_ref.as_deref() {
        Some(r) if r.starts_with("draft:") => Some(state.drafts.get(r)?),
        _ => None,
    };
    let store = state.store.clone();
    let saved_from = key_ref
        .as_deref()
        .and_then(|r| r.strip_prefix("saved:"))
        .map(String::from);
    let result = blocking(move || {
        let key = match (key, saved_from) {
            (Some(k), _) => Some(k),
            // Renamed: carry the key over from the old name.
            (None, Some(old)) if !old.eq_ignore_ascii_case(draft.name.trim()) => Some(
                Zeroizing::new(store.private_key(&old)?.key.to_pkcs1_pem().into_bytes()),
            ),
            (None, _) => None,
        };
        Ok(store.save(draft, key.as_deref().map(|k| k.as_slice()))?)
    })
    .await;
    if let (Ok(_), Some(r)) = (
        &result,
        key_ref.as_deref().filter(|r| r.starts_with("draft:")),
    ) {
        state.drafts.remove(r)?;
    }
    if let Ok(saved) = &result {
        crate::workspace::connection_changed(&state.workspace, &saved.name);
        if let Some(old) = key_ref.as_deref().and_then(|r| r.strip_prefix("saved:")) {
            crate::workspace::connection_changed(&state.workspace, old);
        }
    }
    outcome("save_connection", result)
}

/// Runs the health check of a saved connection. Its token and userinfo calls go into the
/// Go-Live ledger (shown there as "not counted").
#[tauri::command]
pub async fn run_health_check(
    state: State<'_, AppState>,
    checks: State<'_, crate::handoff::LastChecks>,
    name: String,
) -> Result<HealthReport, IpcError> {
    let (store, key_name) = (state.store.clone(), name.clone());
    let (conn, mut input) = outcome(
        "run_health_check",
        blocking(move || Ok((store.get(&key_name)?, store.check_input(&key_name)?))).await,
    )?;
    input.observer = Some(Arc::new(state.workspace.ledger().clone()));
    input.surface = studio_core::messages::Surface::Desktop;
    let report = health::run(&input).await;
    // What it proved, for "Use this connection in…".
    checks.record(studio_core::handoff::CheckRecord::now(&conn, &report));
    tracing::info!(command = "run_health_check", ok = report.ok, failed = ?report.first_failure().map(|s| s.code.clone()), "report");
    // Kept as this connection's latest report, for its support bundle.
    if let Err(e) =
        studio_core::support::record_health_report(state.workspace.state(), &name, &report)
    {
        tracing::warn!(command = "run_health_check", error = %e, "the report is not kept for the support bundle");
    }
    Ok(report)
}

/// The inputs of a token try for a connection being set up: its fields, the key the wizard
/// holds (`draft:N`) or a saved connection's key (`saved:<name>`), and the sandbox's CA file.
///
/// Until the user has chosen an account (it is offered from userinfo once the token works),
/// the account ID and base URI are stand-ins that pass the settings step; the account and base
/// URI steps of that report are not used.
async fn probe_input(
    state: &AppState,
    conn: &Connection,
    key_ref: &str,
) -> Result<health::CheckInput, IpcError> {
    let key = match key_ref.strip_prefix("saved:") {
        Some(name) => {
            let (store, name) = (state.store.clone(), name.to_string());
            blocking(move || {
                Ok(Zeroizing::new(
                    store.private_key(&name)?.key.to_pkcs1_pem().into_bytes(),
                ))
            })
            .await?
        }
        None => state.drafts.get(key_ref)?,
    };
    let ca_cert_pem = match &conn.ca_cert {
        Some(p) => Some(std::fs::read(p).map_err(|e| {
            IpcError::new(
                "ca_cert_unreadable",
                format!(
                    "The sandbox's certificate file {} cannot be read: {e}.",
                    p.display()
                ),
                "Start the sandbox again.",
            )
        })?),
        None => None,
    };
    let auth_server = match (conn.environment, conn.auth_server.trim()) {
        (ConnEnvironment::Demo, "") => "demo".to_string(),
        (ConnEnvironment::Production, "") => "production".to_string(),
        (_, a) => a.to_string(),
    };
    let account_id = if conn.account_id.trim().is_empty() {
        PENDING_ACCOUNT_ID.to_string()
    } else {
        conn.account_id.clone()
    };
    let base_uri = match (conn.base_uri.trim(), conn.environment) {
        ("", ConnEnvironment::Demo) => "https://demo.docusign.net".to_string(),
        ("", ConnEnvironment::Production) => "https://na1.docusign.net".to_string(),
        ("", ConnEnvironment::Sandbox) => auth_server.clone(),
        (b, _) => b.to_string(),
    };
    Ok(health::CheckInput {
        integration_key: conn.integration_key.clone(),
        user_id: conn.user_id.clone(),
        account_id,
        base_uri,
        auth_server,
        private_key: key.to_vec(),
        ca_cert_pem,
        redirect_uri: conn.redirect_uri.clone().filter(|r| !r.trim().is_empty()),
        timeout: Some(std::time::Duration::from_secs(20)),
        observer: None,
        surface: studio_core::messages::Surface::Desktop,
    })
}

/// The account ID stand-in used before an account is chosen (see [`probe_input`]).
const PENDING_ACCOUNT_ID: &str = "00000000-0000-0000-0000-000000000000";

/// One token try for a connection being set up: `granted` once the user gave consent (with
/// the accounts from userinfo in the report), `still_required` while not, `failed` otherwise.
/// The UI repeats it with a countdown and a Cancel.
#[tauri::command]
pub async fn confirm_consent(
    state: State<'_, AppState>,
    draft: Connection,
    key_ref: String,
) -> Result<ConsentOutcome, IpcError> {
    let input = outcome(
        "confirm_consent",
        probe_input(&state, &draft, &key_ref).await,
    )?;
    Ok(wizard::confirm_consent(
        &input,
        1,
        std::time::Duration::ZERO,
        &CancellationToken::new(),
        |_| {},
    )
    .await)
}

/// The sandbox as started: where it runs, and its saved connection.
#[derive(Debug, Clone, Serialize)]
pub struct SandboxStarted {
    /// URL, connection name, CA file, consent URL.
    pub info: SandboxInfo,
    /// The saved "Sandbox" connection.
    pub connection: Connection,
}

/// Starts the built-in sandbox (or returns the running one) and its "Sandbox" connection.
/// The sandbox of an earlier run comes back with the same identity, consent and envelopes
/// (`info.resumed`, `info.consent_given`); otherwise a fresh one starts.
#[tauri::command]
pub async fn start_sandbox(state: State<'_, AppState>) -> Result<SandboxStarted, IpcError> {
    let mut running = state.sandbox.lock().await;
    if let Some(s) = running.as_ref() {
        let store = state.store.clone();
        let name = s.connection_name().to_string();
        // Still saved as started? Then reuse it; otherwise start again.
        if let Ok(connection) = blocking(move || Ok(store.get(&name)?)).await {
            if connection.auth_server == s.url()
                && connection
                    .integration_key
                    .eq_ignore_ascii_case(&s.connection().integration_key)
            {
                return Ok(SandboxStarted {
                    info: s.info(),
                    connection,
                });
            }
        }
    }
    if let Some(old) = running.take() {
        old.shutdown().await;
    }
    let session = outcome(
        "start_sandbox",
        sandbox_setup::start_sandbox(&state.paths.data_dir, &state.store)
            .await
            .map_err(|e| IpcError::from(e.info())),
    )?;
    Ok(started(&state, &mut running, session))
}

/// "Reset the sandbox": stops it and starts a fresh one (new integration key, user, account
/// and key pair; no consent; the envelopes sent in it are gone). The "Sandbox" connection is
/// replaced; the UI then walks the consent step again.
#[tauri::command]
pub async fn reset_sandbox(state: State<'_, AppState>) -> Result<SandboxStarted, IpcError> {
    let mut running = state.sandbox.lock().await;
    if let Some(old) = running.take() {
        old.shutdown().await;
    }
    let session = outcome(
        "reset_sandbox",
        sandbox_setup::reset_sandbox(&state.paths.data_dir, &state.store)
            .await
            .map_err(|e| IpcError::from(e.info())),
    )?;
    Ok(started(&state, &mut running, session))
}

/// Keeps a started sandbox in the state (its connection's old client and monitors are let go).
fn started(
    state: &AppState,
    running: &mut Option<sandbox_setup::SandboxSession>,
    session: sandbox_setup::SandboxSession,
) -> SandboxStarted {
    crate::workspace::connection_changed(&state.workspace, session.connection_name());
    let started = SandboxStarted {
        info: session.info(),
        connection: session.connection().clone(),
    };
    *running = Some(session);
    started
}

/// At start-up: the sandbox of an earlier run starts again with the same identity, so its
/// saved connection is healthy without any step. Nothing happens when there is none; a failure
/// is logged and shown when the sandbox is used.
pub async fn resume_sandbox_at_start(state: &AppState) {
    let mut running = state.sandbox.lock().await;
    match sandbox_setup::resume_sandbox(&state.paths.data_dir, &state.store).await {
        Ok(Some(session)) => {
            tracing::info!(url = %session.url(), "sandbox resumed at start-up");
            *running = Some(session);
        }
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(
                code = e.code(),
                "the sandbox could not be resumed at start-up"
            );
        }
    }
}
