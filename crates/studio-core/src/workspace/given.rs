//! Connections given by their values on the spot (the CLI's flags, over a saved connection or
//! not) rather than by a saved connection's name: their client, made in one place, with every
//! call recorded in the workspace's Go-Live ledger.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use docusign_api::esign::{EsignClient, WaitEvent};

use super::Workspace;
use crate::action_result::ActionResult;
use crate::actions::{ActionFailure, ActionRequest};
use crate::envelope_answers::{self, EarlierFetch, FetchPolicy, Scope};
use crate::golive::{WarmUpError, WarmUpProgress};
use crate::health::CheckInput;
use crate::ledger::{GoLiveStatus, Ledger};
use crate::listing::{self, ListingError, ListingFormat, ListingSummary};
use crate::problem::Problem;
use crate::session::{self, Settings};
use crate::store::StoreError;

/// Told when the OS keyring cannot keep the access token (the run then mints its own).
pub type KeyringProblemHook = Arc<dyn Fn(&str) + Send + Sync>;
/// Told before every wait (rate-limit reset, burst window, backoff).
pub type WaitNotice = Arc<dyn Fn(&WaitEvent) + Send + Sync>;

/// A connection given by its values.
#[derive(Clone, Default)]
pub struct GivenConnection {
    /// Its values, as the health check takes them (the key and the CA's contents read).
    pub input: CheckInput,
    /// The file `input.ca_cert_pem` was read from: a trigger's polling reads it again before
    /// every poll and makes the client again when it changed (a sandbox started again with a
    /// new CA).
    pub ca_cert_file: Option<PathBuf>,
    /// Keep the access token in the OS keyring between runs, reused until 10 minutes before it
    /// expires (for actions and polling; the health check always asks for a new one).
    pub keep_token: bool,
    /// Told when the keyring cannot keep the token.
    pub on_keyring_problem: Option<KeyringProblemHook>,
    /// Told before every wait.
    pub on_wait: Option<WaitNotice>,
}

impl std::fmt::Debug for GivenConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GivenConnection")
            .field("input", &self.input)
            .field("ca_cert_file", &self.ca_cert_file)
            .field("keep_token", &self.keep_token)
            .finish()
    }
}

/// The client of a given connection, reporting every call to `ledger`.
///
/// # Errors
/// [`Problem`] for bad settings, an unusable key or CA (no call made).
pub(crate) fn given_client(
    given: &GivenConnection,
    ledger: &Ledger,
) -> Result<(EsignClient, Settings), Problem> {
    let observer = Arc::new(ledger.clone());
    let (client, settings) = if given.keep_token {
        let hook = given.on_keyring_problem.clone();
        session::esign_client_with_kept_token(&given.input, observer, move |why| {
            if let Some(h) = &hook {
                h(why)
            }
        })?
    } else {
        session::esign_client(&given.input, observer)?
    };
    let client = match given.on_wait.clone() {
        Some(hook) => client.on_wait(move |w| hook(w)),
        None => client,
    };
    Ok((client, settings))
}

impl Workspace {
    /// The client of a connection given by its values, with every call recorded in this
    /// workspace's Go-Live ledger (made anew on each call: not kept like a saved connection's).
    ///
    /// # Errors
    /// [`Problem`] for bad settings, an unusable key or CA (no call made).
    pub fn given_client(
        &self,
        given: &GivenConnection,
    ) -> Result<(EsignClient, Settings), Problem> {
        given_client(given, &self.ledger)
    }
}

/// A connection given by its values, with its client made: the use cases a front end runs on it
/// (`dsjwt action`, `golive --warm-up`), each recorded in the workspace's ledger.
pub struct GivenSession<'w> {
    workspace: &'w Workspace,
    client: EsignClient,
    settings: Settings,
}

impl Workspace {
    /// Makes the client of a connection given by its values, for the use cases of
    /// [`GivenSession`].
    ///
    /// # Errors
    /// [`Problem`] for bad settings, an unusable key or CA (no call made).
    pub fn given_session(&self, given: &GivenConnection) -> Result<GivenSession<'_>, Problem> {
        let (client, settings) = self.given_client(given)?;
        Ok(GivenSession {
            workspace: self,
            client,
            settings,
        })
    }
}

impl GivenSession<'_> {
    /// The connection's checked settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn scope(&self) -> Scope {
        Scope {
            integration_key: self.settings.integration_key.clone(),
            auth_host: self.settings.auth.host().to_string(),
            account_id: self.settings.account_id.clone(),
        }
    }

    /// Whether running `req` now would fetch an envelope endpoint fetched within the last 15
    /// minutes (by any front end): a polling violation in DocuSign's Go-Live review. No call.
    ///
    /// # Errors
    /// [`StoreError`] reading the kept answers.
    pub fn earlier_fetch(&self, req: &ActionRequest) -> Result<Option<EarlierFetch>, StoreError> {
        self.workspace
            .answers
            .earlier_fetch(&self.scope(), req, SystemTime::now())
    }

    /// Runs an action (checked first: see [`ActionRequest::checked`]), reusing or not an answer
    /// of the last 15 minutes as `policy` says; `progress` hears a download's bytes.
    ///
    /// # Errors
    /// [`ActionFailure`]: DocuSign refused, a bad input, the call could not be made.
    pub async fn run_action(
        &self,
        req: &ActionRequest,
        policy: FetchPolicy,
        progress: impl FnMut(u64, Option<u64>),
    ) -> Result<ActionResult, ActionFailure> {
        envelope_answers::run_action(
            &self.client,
            &self.workspace.answers,
            &self.scope(),
            req,
            policy,
            progress,
        )
        .await
    }

    /// `list_envelopes`, written page by page to `out` (flat memory at any size).
    ///
    /// # Errors
    /// [`ListingError`].
    pub async fn write_listing<W: std::io::Write>(
        &self,
        req: &ActionRequest,
        format: ListingFormat,
        out: &mut W,
    ) -> Result<ListingSummary, ListingError> {
        listing::write_envelopes(&self.client, req, format, out).await
    }

    /// The warm-up (read-only calls until the streak reaches 20), reporting after every call.
    ///
    /// # Errors
    /// [`WarmUpError`] when a call fails (the ledger says which).
    pub async fn warm_up(
        &self,
        progress: impl FnMut(&WarmUpProgress),
    ) -> Result<GoLiveStatus, WarmUpError> {
        crate::golive::warm_up(
            &self.client,
            &self.workspace.ledger,
            &self.settings.integration_key,
            self.settings.auth.host(),
            progress,
        )
        .await
    }
}
