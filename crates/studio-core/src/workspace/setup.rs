//! Setting a connection up and keeping it: the saved connections (save, rename, remove, each
//! letting go of the connection's old client and monitors), the keys a wizard holds before
//! saving, the consent page and the token try while waiting for consent, and the health check.

use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

use docusign_api::key::PrivateKeyBytes;

use super::{blocking, browser_failed, Code, Opener, Problem, Workspace};
use crate::connections::{Connection, ConnectionError, Environment};
use crate::consent_landing::{self, OnRedirect, RedirectOutcome};
use crate::drafts::{GeneratedKeyAnswer, KeyAccepted};
use crate::handoff::CheckRecord;
use crate::health::{self, CheckInput, HealthReport};
use crate::trigger_store::TriggerStore;
use crate::triggers::{self, TriggerKind};
use crate::wizard::{self, ConsentOutcome};

/// The sandbox CA file of a connection about to be saved, as it is kept: the absolute path
/// (symbolic links and `..` resolved; a relative path is taken from the current folder) of a
/// readable regular file of at most [`docusign_api::files::MAX_CA_FILE_BYTES`], checked here
/// for every front end (a path that cannot be read is refused now, not at the first call). An
/// empty path is no CA file. Whether a CA file is allowed at all (the sandbox only) is the
/// store's check.
///
/// # Errors
/// [`ConnectionError::CaCertUnreadable`] (field `ca_cert`) naming the file.
fn resolve_ca_cert(mut conn: Connection) -> Result<Connection, ConnectionError> {
    let Some(path) = conn.ca_cert.take().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(conn);
    };
    let unreadable = |source| ConnectionError::CaCertUnreadable {
        path: path.clone(),
        source,
    };
    docusign_api::files::read_ca_file(&path).map_err(unreadable)?;
    let absolute = std::fs::canonicalize(&path).map_err(|source| {
        unreadable(docusign_api::files::FileReadError::Io {
            what: "CA certificate".into(),
            path: path.clone(),
            source,
        })
    })?;
    conn.ca_cert = Some(absolute);
    Ok(conn)
}

/// The account ID stand-in of a token try made before an account is chosen (see
/// [`Workspace::probe_consent`]).
pub const PENDING_ACCOUNT_ID: &str = "00000000-0000-0000-0000-000000000000";

/// Help on where a value is in DocuSign's admin pages.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WhereToFind {
    /// The field asked about.
    pub field: String,
    /// Where to find it, in plain words.
    pub text: String,
}

/// A health check's report, and why it could not be kept for the support bundle (the check
/// itself is not affected).
#[derive(Debug)]
pub struct CheckedReport {
    /// The report.
    pub report: HealthReport,
    /// The state file refused to keep it.
    pub not_kept: Option<crate::store::StoreError>,
}

async fn run_health_check(input: &CheckInput) -> HealthReport {
    let report = health::run(input).await;
    tracing::info!(ok = report.ok, failed = ?report.first_failure().map(|s| s.code.as_str()), "health check");
    report
}

impl Workspace {
    /// Where `field` is in DocuSign's admin pages ([`wizard::where_to_find`]).
    pub fn where_to_find(field: String) -> WhereToFind {
        WhereToFind {
            text: wizard::where_to_find(&field).to_string(),
            field,
        }
    }

    /// Checks a wizard field as typed ([`wizard::check_field_among`]): a name is also checked
    /// against the saved connections, as saving and `dsjwt connection add` refuse a taken one.
    /// When the config file cannot be read, the name is checked for its form only (saving
    /// then says what is wrong with the file).
    pub fn check_field(
        &self,
        field: wizard::Field,
        value: &str,
        context: &wizard::FieldContext,
    ) -> wizard::FieldCheck {
        let saved: Vec<String> = match field {
            wizard::Field::Name => self
                .store
                .list()
                .map(|l| l.into_iter().map(|c| c.name).collect())
                .unwrap_or_default(),
            _ => vec![],
        };
        wizard::check_field_among(field, value, context, &saved)
    }

    /// Every saved connection (non-secret fields and the key's fingerprint).
    ///
    /// # Errors
    /// Config file errors.
    pub fn list_connections(&self) -> Result<Vec<Connection>, ConnectionError> {
        self.store.list()
    }

    /// One saved connection.
    ///
    /// # Errors
    /// `not_found`, config file errors.
    pub fn connection(&self, name: &str) -> Result<Connection, ConnectionError> {
        self.store.get(name)
    }

    /// Removes a connection and its key from the keyring; its client and monitors go first.
    /// Then its triggers are forgotten (settings, place and events, in one transaction of the
    /// state file: a separate file from the connections, so not the same transaction), unless
    /// another saved connection has the same integration key and account ID (the triggers are
    /// kept per integration key and account, so they are that connection's too). A connection
    /// added again later starts with no trigger.
    ///
    /// # Errors
    /// `not_found`, keyring and config errors (nothing removed); `state_file`
    /// ([`ConnectionError::TriggersNotForgotten`]) when the connection was removed but its
    /// triggers could not be.
    pub fn remove_connection(&self, name: &str) -> Result<(), ConnectionError> {
        let removed = self.store.get(name)?;
        self.connection_changed(name);
        self.store.remove(name)?;
        let same_account = |c: &Connection| {
            c.integration_key
                .eq_ignore_ascii_case(&removed.integration_key)
                && c.account_id.eq_ignore_ascii_case(&removed.account_id)
        };
        // Still another connection's triggers: kept. A list that cannot be read keeps them too
        // (nothing is lost; they only come back with a connection to the same account).
        match self.store.list() {
            Ok(left) if left.iter().any(same_account) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "the connections could not be listed: the removed connection's triggers are kept");
                return Ok(());
            }
        }
        let ids: Vec<String> = [
            TriggerKind::OnEnvelopeStatusChange,
            TriggerKind::OnRecipientCompleted,
        ]
        .into_iter()
        .map(|k| triggers::app_trigger_id(k, &removed.integration_key, &removed.account_id))
        .collect();
        TriggerStore::new(self.state.clone())
            .forget(&ids)
            .map(|_| ())
            .map_err(|e| {
                tracing::warn!(error = %e, connection = %name, "the removed connection's triggers could not be forgotten");
                ConnectionError::TriggersNotForgotten {
                    name: removed.name.clone(),
                }
            })
    }

    /// Saves a connection. `key_ref`: `draft:N` (a key given to this wizard, forgotten once
    /// saved), `saved:<name>` (the key of a saved connection: on a rename it is carried over
    /// from the old name), or none (keep the stored key). The saved connection's (and the old
    /// name's) client and monitors are let go.
    ///
    /// # Errors
    /// `key_missing` for an unknown draft; `ca_cert_unreadable` as [`resolve_ca_cert`]; as
    /// [`crate::connections::ConnectionStore::save`].
    pub fn save_connection(
        &self,
        draft: Connection,
        key_ref: Option<&str>,
    ) -> Result<Connection, Problem> {
        let draft = resolve_ca_cert(draft)?;
        let draft_ref = key_ref.filter(|r| r.starts_with("draft:"));
        let saved_from = key_ref.and_then(|r| r.strip_prefix("saved:"));
        let key = match (draft_ref, saved_from) {
            (Some(r), _) => Some(self.drafts.get(r)?),
            // Renamed: carry the key over from the old name.
            (None, Some(old)) if !old.eq_ignore_ascii_case(draft.name.trim()) => {
                Some(self.saved_key(old)?)
            }
            _ => None,
        };
        let saved = self
            .store
            .save(draft, key.as_ref().map(PrivateKeyBytes::expose))?;
        if let Some(r) = draft_ref {
            self.drafts.remove(r);
        }
        self.connection_changed(&saved.name);
        if let Some(old) = saved_from {
            self.connection_changed(old);
        }
        Ok(saved)
    }

    /// Saves a connection with the private key a front end read (`dsjwt connection add`: a key
    /// file or the key in a values file), kept as [`PrivateKeyBytes`] into the keyring: as a
    /// new connection (refused when the name is taken), or with `replace` over the one of that
    /// name. The saved connection's client and monitors are let go.
    ///
    /// # Errors
    /// `duplicate_name` (without `replace`), the key or a field refused, keyring and config
    /// errors, as [`crate::connections::ConnectionStore::create`] and
    /// [`crate::connections::ConnectionStore::save`]; `ca_cert_unreadable` as
    /// [`resolve_ca_cert`] (a front end passes the CA file's path as given).
    pub fn add_connection(
        &self,
        conn: Connection,
        key: PrivateKeyBytes,
        replace: bool,
    ) -> Result<Connection, ConnectionError> {
        let conn = resolve_ca_cert(conn)?;
        let saved = if replace {
            self.store.save(conn, Some(key.expose()))
        } else {
            self.store.create(conn, key.expose())
        }?;
        self.connection_changed(&saved.name);
        Ok(saved)
    }

    /// The PEM of a saved connection's key, from the keyring.
    fn saved_key(&self, name: &str) -> Result<PrivateKeyBytes, ConnectionError> {
        let pem = self.store.private_key(name)?.key.to_pkcs1_pem();
        Ok(PrivateKeyBytes::from_text(pem))
    }

    /// Checks a pasted key (or a key file's text). When it loads, the key is kept in memory
    /// under a `draft:N` reference; only the check and the public info come back.
    ///
    /// # Errors
    /// `internal` when the check's task failed.
    pub async fn accept_key(&self, text: String) -> Result<KeyAccepted, Problem> {
        let bytes = PrivateKeyBytes::from_text(text);
        let (check, bytes) =
            blocking(move || Ok::<_, Problem>((wizard::check_private_key(bytes.expose()), bytes)))
                .await?;
        Ok(self.keep_checked_key(check, bytes))
    }

    pub(super) fn keep_checked_key(
        &self,
        check: wizard::KeyCheck,
        bytes: PrivateKeyBytes,
    ) -> KeyAccepted {
        let key_ref = check.info.as_ref().map(|_| self.drafts.insert(bytes));
        KeyAccepted {
            check: check.check,
            info: check.info,
            key_ref,
        }
    }

    /// Generates a 2048-bit RSA key pair; the private half stays in memory (`draft:N`).
    ///
    /// # Errors
    /// `key_generate_failed`.
    pub async fn generate_key_pair(&self) -> Result<GeneratedKeyAnswer, Problem> {
        let generated = blocking(|| Ok::<_, Problem>(wizard::generate_key_pair()?)).await?;
        let key_ref = self.drafts.insert(PrivateKeyBytes::new(
            generated.private_pem.as_bytes().to_vec(),
        ));
        Ok(GeneratedKeyAnswer {
            info: generated.info.clone(),
            key_ref,
        })
    }

    /// Forgets a key the wizard no longer needs.
    pub fn forget_draft_key(&self, key_ref: &str) {
        self.drafts.remove(key_ref);
    }

    /// The exact consent URL for the connection's environment.
    ///
    /// # Errors
    /// The check of the first field that is wrong.
    pub fn consent_url(draft: &Connection) -> Result<String, Problem> {
        Ok(wizard::consent_url(
            draft.environment,
            &draft.auth_server,
            &draft.integration_key,
            draft.redirect_uri.as_deref().unwrap_or(""),
        )?)
    }

    /// The exact consent URL of an integration key, for the environment its auth server names
    /// (`demo`, `production`, or the `https://` URL of a custom auth server: the sandbox), with
    /// an optional OAuth `state` DocuSign hands back on the redirect (`dsjwt consent-url`). The
    /// same checks and problems as [`Workspace::consent_url`].
    ///
    /// # Errors
    /// The check of the first field that is wrong (`field`: `auth_server`, `integration_key`,
    /// `redirect_uri`).
    pub fn consent_url_of_auth_server(
        auth_server: &str,
        integration_key: &str,
        redirect_uri: &str,
        state: Option<&str>,
    ) -> Result<String, Problem> {
        Ok(wizard::consent_url_of_auth_server(
            auth_server,
            integration_key,
            redirect_uri,
            state,
        )?)
    }

    /// Opens the consent page in the system browser (the URL is built here) and, first, arranges
    /// to be told when the person answers it: `on_answer` gets the [`RedirectOutcome`]. In the
    /// sandbox, the emulator says when consent is given; for a DocuSign connection whose
    /// redirect URI is a plain-HTTP loopback address, the app serves the landing page there
    /// itself. Otherwise (or when that port is taken) the front end keeps trying on its own.
    /// Returns the URL.
    ///
    /// # Errors
    /// A field's check; `browser_failed`.
    pub async fn open_consent_page(
        &self,
        draft: &Connection,
        on_answer: OnRedirect,
        opener: &Opener,
    ) -> Result<String, Problem> {
        let url = Self::consent_url(draft)?;
        self.watch_consent_answer(draft, on_answer).await;
        let (opener, target) = (Arc::clone(opener), url.clone());
        blocking(move || opener(&target).map_err(|e| browser_failed("the consent page", &e)))
            .await?;
        Ok(url)
    }

    async fn watch_consent_answer(&self, draft: &Connection, on_answer: OnRedirect) {
        if draft.environment == Environment::Sandbox {
            let changes = self
                .sandbox
                .lock()
                .await
                .as_ref()
                .map(|s| s.consent_changes());
            if let Some(mut changes) = changes {
                tokio::spawn(async move {
                    let changed =
                        tokio::time::timeout(consent_landing::LISTEN_FOR, changes.changed());
                    if let Ok(Ok(())) = changed.await {
                        on_answer(RedirectOutcome::Allowed);
                    }
                });
            }
            return;
        }
        let redirect = draft.redirect_uri.clone().unwrap_or_default();
        match consent_landing::listen(&redirect, on_answer).await {
            // One at a time: a new consent page replaces the previous listener.
            Ok(listener) => {
                *self
                    .consent_listener
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = listener;
            }
            Err(e) => {
                tracing::info!(error = %e, "the redirect URI's port is taken; consent is confirmed by trying")
            }
        }
    }

    /// One token try for a connection being set up: `granted` once the user gave consent (with
    /// the accounts from userinfo in the report), `still_required` while not, `failed`
    /// otherwise. `key_ref`: the key the wizard holds (`draft:N`) or a saved connection's key
    /// (`saved:<name>`). The front end repeats it with a countdown and a Cancel.
    ///
    /// # Errors
    /// `key_missing`, keyring errors, `ca_cert_unreadable`.
    pub async fn probe_consent(
        &self,
        draft: &Connection,
        key_ref: &str,
    ) -> Result<ConsentOutcome, Problem> {
        let input = self.probe_input(draft, key_ref).await?;
        let cancel = CancellationToken::new();
        Ok(wizard::confirm_consent(&input, 1, Duration::ZERO, &cancel, |_| {}).await)
    }

    /// The inputs of a token try for a connection being set up: its fields, the key, and the
    /// sandbox's CA file.
    ///
    /// Until the user has chosen an account (it is offered from userinfo once the token
    /// works), the account ID ([`PENDING_ACCOUNT_ID`]) and base URI are stand-ins that pass the
    /// settings step; the account and base URI steps of that report are not used.
    async fn probe_input(&self, conn: &Connection, key_ref: &str) -> Result<CheckInput, Problem> {
        let key = match key_ref.strip_prefix("saved:") {
            Some(name) => {
                let (store, name) = (self.store.clone(), name.to_string());
                blocking(move || {
                    let pem = store.private_key(&name)?.key.to_pkcs1_pem();
                    Ok::<_, Problem>(PrivateKeyBytes::from_text(pem))
                })
                .await?
            }
            None => self.drafts.get(key_ref)?,
        };
        let ca_cert_pem = match &conn.ca_cert {
            Some(p) => Some(docusign_api::files::read_ca_file(p).map_err(|e| {
                Problem::new(
                    Code::CaCertUnreadable,
                    format!("The sandbox's certificate could not be used: {e}."),
                    "Start the sandbox again.",
                )
            })?),
            None => None,
        };
        let auth_server = conn.auth_server.to_string();
        let account_id = match conn.account_id.trim() {
            "" => PENDING_ACCOUNT_ID.to_string(),
            _ => conn.account_id.clone(),
        };
        let base_uri = match (conn.base_uri.trim(), conn.environment) {
            ("", Environment::Demo) => "https://demo.docusign.net".to_string(),
            ("", Environment::Production) => "https://na1.docusign.net".to_string(),
            ("", Environment::Sandbox) => conn.auth_server.origin(),
            (b, _) => b.to_string(),
        };
        Ok(CheckInput {
            integration_key: conn.integration_key.clone(),
            user_id: conn.user_id.clone(),
            account_id,
            base_uri,
            auth_server,
            private_key: key,
            ca_cert_pem,
            redirect_uri: conn.redirect_uri.clone().filter(|r| !r.trim().is_empty()),
            timeout: Some(Duration::from_secs(20)),
            observer: None,
            sandbox: conn.environment == Environment::Sandbox,
        })
    }

    /// Runs the health check of a saved connection. Its token and userinfo calls go into the
    /// Go-Live ledger (shown there as "not counted"); what it proved is kept for hand-over, and
    /// the report for the connection's support bundle.
    ///
    /// # Errors
    /// `not_found`, `key_missing`, keyring and config errors (before any call).
    pub async fn health_check(&self, name: &str) -> Result<HealthReport, Problem> {
        let (store, n) = (self.store.clone(), name.to_string());
        let (conn, input) =
            blocking(move || Ok::<_, Problem>((store.get(&n)?, store.check_input(&n)?))).await?;
        let checked = self.check_recorded(input, Some(name)).await;
        self.record_check(CheckRecord::now(&conn, &checked.report));
        if let Some(e) = &checked.not_kept {
            tracing::warn!(error = %e, "the report is not kept for the support bundle");
        }
        Ok(checked.report)
    }

    /// Runs the health check of a connection given by its values (`dsjwt check`: flags, over
    /// a saved connection or not). Its token and userinfo calls go into the Go-Live ledger;
    /// with `saved` (the saved connection the values start from), the report is kept for that
    /// connection's support bundle.
    pub async fn check_given(&self, input: CheckInput, saved: Option<&str>) -> CheckedReport {
        self.check_recorded(input, saved).await
    }

    /// The health check of given values when no state file can be used: no call is recorded
    /// and no report kept.
    pub async fn check_unrecorded(input: CheckInput) -> HealthReport {
        run_health_check(&input).await
    }

    /// The health check with its calls in the ledger and, for a saved connection, the report
    /// kept for its support bundle: the one wiring of every front end's health check.
    async fn check_recorded(&self, mut input: CheckInput, saved: Option<&str>) -> CheckedReport {
        input.observer = Some(Arc::new(self.ledger.clone()));
        let report = run_health_check(&input).await;
        let not_kept = saved.and_then(|name| {
            crate::support::record_health_report(&self.state, name, &report).err()
        });
        CheckedReport { report, not_kept }
    }

    pub(super) fn record_check(&self, record: CheckRecord) {
        let mut checks = self.last_checks.lock().unwrap_or_else(|p| p.into_inner());
        checks.insert(record.values.name.to_lowercase(), record);
    }

    /// The last health check of `name` in this session, if one ran.
    pub fn last_check(&self, name: &str) -> Option<CheckRecord> {
        let checks = self.last_checks.lock().unwrap_or_else(|p| p.into_inner());
        checks.get(&name.trim().to_lowercase()).cloned()
    }
}
