//! Every use case of both front ends (the desktop app and `dsjwt`): saved connections and
//! their keys, the health check and consent, actions with their effect on the Go-Live streak,
//! the warm-up, trigger monitors running in the background, the Go-Live checklist and review
//! answers, production promotion, downloads, support bundles, and the sandbox.
//!
//! One [`EsignClient`] is kept per saved connection, so its access token is
//! reused across actions until close to expiry (DocuSign's rule) instead of
//! minted per call.

use crate::action_result::ActionResult;
use crate::actions::{ActionFailure, ActionRequest};
use crate::connections::{Connection, ConnectionStore, Environment, SavedAuthServer};
use crate::consent_landing::RedirectListener;
use crate::downloads::Downloads;
use crate::drafts::DraftKeys;
use crate::envelope_answers::{self, EarlierFetch, EnvelopeAnswers, FetchPolicy, Scope};
use crate::golive::WarmUpProgress;
use crate::handoff::CheckRecord;
use crate::ledger::{GoLiveStatus, Ledger, REQUIRED_STREAK};
use crate::messages::Surface;
use crate::sandbox_setup::SandboxSession;
use crate::session;
use crate::store::{Store, StoreError};
use crate::trigger_store::{TriggerSettings, TriggerStore};
use crate::triggers::{self, TriggerEvent, TriggerKind};
use docusign_api::environment::{AuthServer, AuthServerKind};
use docusign_api::esign::EsignClient;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio_util::sync::CancellationToken;

mod downloads;
mod files;
mod given;
mod golive;
mod handoff;
mod open;
mod sandbox;
mod setup;
mod support;
mod watch;

pub use downloads::DownloadAsk;
pub use files::ValuesRead;
pub(crate) use given::given_client;
pub use given::{GivenConnection, GivenSession, KeyringProblemHook, WaitNotice};
pub use golive::WarmUpEvent;
pub use handoff::{
    Clipboard, ConnectionExport, ExportError, KeyClipboardEvent, KeyCopied, PasteAnswer,
    KEY_CLIPBOARD_SECONDS, KEY_CLIPBOARD_SECONDS_ENV,
};
pub use open::OpenError;
pub use sandbox::{AppInfo, SandboxEnvelopeState, SandboxRecipient, SandboxStarted};
pub use setup::{CheckedReport, WhereToFind, PENDING_ACCOUNT_ID};
pub use watch::{
    nothing_new_words, notification_text, IntervalRule, PollEnd, PollUpdate, WatchError, WatchSpec,
    WatchUpdate,
};

/// Opens a URL in the system browser (the desktop app's `xdg-open`; a fake in tests).
pub type Opener = Arc<dyn Fn(&str) -> std::io::Result<()> + Send + Sync>;

/// Why the [`Opener`] could not open `what` (e.g. "the consent page"), in plain words: code
/// `browser_failed`, the system's own words only in `detail` (never in the message).
pub(crate) fn browser_failed(what: &str, e: &std::io::Error) -> Problem {
    let message = if e.kind() == std::io::ErrorKind::NotFound {
        format!("The browser could not be opened for {what}: this computer has no program set up to open web pages.")
    } else {
        format!("The browser could not be opened for {what}.")
    };
    Problem::new(
        Code::BrowserFailed,
        message,
        "Copy the address and open it in your browser yourself.",
    )
    .with_detail(e.to_string())
}

pub use crate::problem::{AsProblem, Code, Problem};

/// Runs keyring, file and CPU-heavy work on the blocking pool (of the current tokio runtime).
pub(crate) async fn blocking<T: Send + 'static, E: From<Problem> + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(Problem::internal(e).into()))
}

impl AsProblem for StoreError {
    fn problem(&self) -> Problem {
        Problem::new(
            Code::StateFile,
            self.to_string(),
            "Check that the data folder is writable and not full.",
        )
    }
}

crate::problem::problem_from!(StoreError);

impl From<Problem> for ActionFailure {
    /// A failure of no named action, with every field of the problem.
    fn from(p: Problem) -> Self {
        ActionFailure::new("", p)
    }
}

/// What an action did to the Go-Live streak.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StreakEffect {
    /// Streak before the action.
    pub before: usize,
    /// Streak after it.
    pub after: usize,
    /// eSignature calls the action made.
    pub calls: usize,
    /// A sentence: "+2 (4/20)" or "reset by HTTP 400 ENVELOPE_DOES_NOT_EXIST".
    pub summary: String,
}

/// An action's outcome with its Go-Live effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActionOutcome {
    /// The result (`{"ok": true, "action": …, …}`) when it succeeded.
    pub result: Option<ActionResult>,
    /// Why it failed.
    pub failure: Option<ActionFailure>,
    /// Its effect on the streak.
    pub streak: StreakEffect,
}

/// One step of DocuSign's Go-Live process, ticked from what the Studio knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistItem {
    /// Stable ID.
    pub id: String,
    /// The step, in plain words.
    pub title: String,
    /// `Some(true)` done, `Some(false)` not yet, `None` the Studio cannot tell.
    pub done: Option<bool>,
    /// Why we think so, or what to do.
    pub detail: String,
}

/// The answers the Go-Live questionnaire asks for, ready to copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewAnswers {
    /// "OAuth v2 for REST, JWT Bearer Grant".
    pub authentication: String,
    /// Every endpoint this connection has used (method + path template), from the whole ledger.
    pub endpoints: Vec<String>,
    /// How errors and rate limits are handled.
    pub error_handling: String,
    /// How status changes are followed (polling policy).
    pub polling: String,
}

/// The Go-Live panel's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GoLivePanel {
    /// The streak, recent calls, violations.
    pub status: GoLiveStatus,
    /// The checklist.
    pub checklist: Vec<ChecklistItem>,
    /// Questionnaire answers.
    pub answers: ReviewAnswers,
}

/// A trigger monitor's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonitorSpec {
    /// The saved connection.
    pub connection: String,
    /// Which trigger.
    pub trigger: TriggerKind,
    /// Optional template filter.
    pub template_id: Option<String>,
    /// The filter's template name, as the person picked it (shown instead of its ID).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub template_name: Option<String>,
    /// Seconds between polls (≥ 900 against DocuSign; ≥ 1 in the sandbox).
    pub interval_seconds: u64,
}

/// A trigger of a connection as kept in the state file: its settings (the template filter and
/// the interval it was last started with) and where it goes on from. A restart shows it again,
/// and starting it goes on from its last check: nothing already reported comes again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SavedTrigger {
    /// Which trigger.
    pub trigger: TriggerKind,
    /// Only envelopes sent from this template (`None`: any template).
    pub template_id: Option<String>,
    /// That template's name, when known.
    pub template_name: Option<String>,
    /// Seconds between polls.
    pub interval_seconds: u64,
    /// The last check, in DocuSign's time (ISO 8601 UTC): the next start asks DocuSign for the
    /// changes since then (minus a 3-minute overlap whose repeats are dropped). `None`: never
    /// checked yet, so the first check looks back 24 hours.
    pub last_checked: Option<String>,
}

/// A running monitor.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonitorInfo {
    /// Its ID.
    pub id: String,
    /// Its settings.
    pub spec: MonitorSpec,
    /// API calls per hour it costs (one page per cycle).
    pub calls_per_hour: f64,
    /// The shortest interval allowed here, with the reason.
    pub minimum_interval_seconds: u64,
    /// Why that minimum.
    pub interval_reason: String,
    /// The trigger's last check before this start (DocuSign's time, ISO 8601 UTC): it goes on
    /// from there. `None`: its first start, so its first check looks back 24 hours.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub resumed_from: Option<String>,
}

/// What a monitor reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MonitorUpdate {
    /// A trigger event.
    Event {
        /// The monitor.
        monitor_id: String,
        /// The event.
        event: Box<TriggerEvent>,
    },
    /// A cycle finished.
    Cycle {
        /// The monitor.
        monitor_id: String,
        /// listStatusChanges calls made.
        calls: u32,
        /// New events.
        events: usize,
        /// When the next poll runs (Unix seconds).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        next_poll_at: u64,
    },
    /// A cycle failed (nothing saved; the next one covers the same window).
    Error {
        /// The monitor.
        monitor_id: String,
        /// What happened.
        message: String,
        /// When the next poll runs (Unix seconds).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        next_poll_at: u64,
    },
    /// The monitor stopped.
    Stopped {
        /// The monitor.
        monitor_id: String,
    },
}

/// Receives monitor updates (the app forwards them as window events and notifications).
pub type MonitorSink = Arc<dyn Fn(MonitorUpdate) + Send + Sync>;

struct Monitor {
    info: MonitorInfo,
    cancel: CancellationToken,
}

/// The sandbox's envelope controls: move a recipient along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RecipientMove {
    /// The recipient opens the envelope.
    Deliver,
    /// The recipient signs (tab values optional).
    Sign,
    /// The recipient declines.
    Decline,
}

/// A sandbox recipient move as the front end asks for it (from the UI:
/// `{name, envelopeId, recipientId, action, tabs?, reason?}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SandboxMoveAsk {
    /// The saved sandbox connection.
    pub name: String,
    /// The envelope.
    pub envelope_id: String,
    /// The recipient to move.
    pub recipient_id: String,
    /// Deliver, sign or decline.
    pub action: RecipientMove,
    /// Tab values to set on sign (`{label: value}`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub tabs: Option<std::collections::BTreeMap<String, String>>,
    /// The decline reason.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub reason: Option<String>,
}

/// Production promotion: the production values of a demo connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PromotionInput {
    /// The demo connection to copy (same integration key and private key).
    pub demo_connection: String,
    /// The new connection's name.
    pub name: String,
    /// The production user ID (API Username in the production account).
    pub user_id: String,
    /// The production API Account ID.
    pub account_id: String,
    /// The production account's region base URI (na1/na2/na3/eu/…).
    pub base_uri: String,
}

/// What the production account needs before the first production token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PromotionGuide {
    /// The integration key to add in production (Apps and Keys > Add an Application via Integration Key).
    pub integration_key: String,
    /// The redirect URI to re-add.
    pub redirect_uri: Option<String>,
    /// The RSA public key to re-add (derived from the private key in the keyring).
    pub public_key_pem: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// The production consent URL (when a redirect URI is known).
    pub production_consent_url: Option<String>,
}

/// The long-lived state every use case runs over: saved connections, the state file (ledger,
/// trigger cursors), one client per connection and the trigger monitors.
pub struct Workspace {
    store: ConnectionStore,
    state: Store,
    ledger: Ledger,
    answers: EnvelopeAnswers,
    /// Each saved connection's client, with the CA it trusts (made again when the
    /// connection's CA file changes).
    clients: Mutex<HashMap<String, KeptClient>>,
    monitors: Mutex<HashMap<String, Monitor>>,
    next_monitor: std::sync::atomic::AtomicU64,
    data_dir: PathBuf,
    surface: Surface,
    drafts: DraftKeys,
    downloads: Downloads,
    last_checks: Mutex<HashMap<String, CheckRecord>>,
    sandbox: tokio::sync::Mutex<Option<SandboxSession>>,
    consent_listener: Mutex<Option<RedirectListener>>,
}

/// A saved connection's client and the CA (PEM) it trusts.
#[derive(Clone)]
struct KeptClient {
    client: Arc<EsignClient>,
    ca_cert_pem: Option<Vec<u8>>,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// How many stored trigger events [`Workspace::trigger_history`] gives back at most.
pub const TRIGGER_HISTORY_LIMIT: usize = 200;

impl Workspace {
    /// Opens the workspace over a connection store and the state file in `data_dir`.
    ///
    /// # Errors
    /// [`Problem`] `state_file` when the data folder cannot be used.
    pub fn open(store: ConnectionStore, data_dir: &Path) -> Result<Workspace, Problem> {
        let state = Store::open(data_dir)?;
        Ok(Self::over(store, state, data_dir))
    }

    /// The workspace over a connection store and a state file already open in `data_dir`
    /// (a front end that words the state file's errors itself).
    pub fn over(store: ConnectionStore, state: Store, data_dir: &Path) -> Workspace {
        Workspace {
            store,
            ledger: Ledger::new(state.clone()),
            answers: EnvelopeAnswers::new(state.clone()),
            state,
            clients: Mutex::new(HashMap::new()),
            monitors: Mutex::new(HashMap::new()),
            next_monitor: Default::default(),
            data_dir: data_dir.to_path_buf(),
            surface: Surface::Desktop,
            drafts: DraftKeys::default(),
            downloads: Downloads::new(crate::downloads::default_download_dir(data_dir)),
            last_checks: Mutex::new(HashMap::new()),
            sandbox: tokio::sync::Mutex::new(None),
            consent_listener: Mutex::new(None),
        }
    }

    /// The same workspace, serving `surface` (the desktop by default): a support bundle names
    /// the program that wrote it. Messages are the same for both front ends.
    pub fn with_surface(mut self, surface: Surface) -> Workspace {
        self.surface = surface;
        self
    }

    /// The download location policy (default folder, files chosen in a save dialog).
    pub fn downloads(&self) -> &Downloads {
        &self.downloads
    }

    /// Stops the monitors of a connection and forgets its client: after it was saved, renamed,
    /// removed, promoted to, or the sandbox started again (its old client and monitors point at
    /// what is gone).
    pub fn connection_changed(&self, name: &str) {
        for m in self
            .monitors()
            .into_iter()
            .filter(|m| m.spec.connection.eq_ignore_ascii_case(name))
        {
            self.stop_monitor(&m.id);
        }
        self.forget_client(name);
    }

    /// Stops every monitor (the app is quitting).
    pub fn stop_all_monitors(&self) {
        for m in self.monitors() {
            self.stop_monitor(&m.id);
        }
    }

    /// Makes the connection's API client if it is not made yet, reading the keyring on the
    /// blocking pool, so the async work after it finds it ready.
    ///
    /// # Errors
    /// As [`Workspace::client`].
    pub async fn ready_client(&self, name: &str) -> Result<(), Problem> {
        if self.cached_client(name).is_some() {
            return Ok(());
        }
        let (store, n) = (self.store.clone(), name.to_string());
        let input = blocking::<_, Problem>(move || Ok(store.check_input(&n)?)).await?;
        self.client_from(name, &input).map(|_| ())
    }

    /// The kept client of `name`, unless the connection's CA file changed since it was made
    /// (a sandbox started again with a new CA): then it is forgotten, to be made again.
    fn cached_client(&self, name: &str) -> Option<Arc<EsignClient>> {
        let kept = self
            .clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned()?;
        if let Some(trusted) = &kept.ca_cert_pem {
            let file = self.store.get(name).ok().and_then(|c| c.ca_cert);
            let now = file.and_then(|p| docusign_api::files::read_ca_file(&p).ok());
            if now.as_ref().is_some_and(|now| now != trusted) {
                self.forget_client(name);
                return None;
            }
        }
        Some(kept.client)
    }

    /// The CA (PEM) the kept client of `name` trusts.
    fn cached_ca(&self, name: &str) -> Option<Vec<u8>> {
        self.clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .and_then(|k| k.ca_cert_pem.clone())
    }

    fn client_from(
        &self,
        name: &str,
        input: &crate::health::CheckInput,
    ) -> Result<Arc<EsignClient>, Problem> {
        let (client, _) = session::esign_client(input, Arc::new(self.ledger.clone()))?;
        let client = Arc::new(client);
        self.clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                name.to_string(),
                KeptClient {
                    client: client.clone(),
                    ca_cert_pem: input.ca_cert_pem.clone(),
                },
            );
        Ok(client)
    }

    /// The connection store.
    pub fn store(&self) -> &ConnectionStore {
        &self.store
    }

    /// The Go-Live ledger (for health checks to record into).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The state file (ledger, trigger state, latest health reports).
    pub fn state(&self) -> &Store {
        &self.state
    }

    /// The data folder the workspace was opened over (the state file, the sandbox's files).
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone()
    }

    /// Forgets the cached client of `name` (after the connection was saved, replaced or removed).
    pub fn forget_client(&self, name: &str) {
        self.clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
    }

    /// The client of a saved connection, made once and kept (token reuse).
    ///
    /// # Errors
    /// [`Problem`]: unknown connection, keyring, or a setting/key problem.
    pub fn client(&self, name: &str) -> Result<(Arc<EsignClient>, Connection), Problem> {
        let conn = self.store.get(name)?;
        if let Some(c) = self.cached_client(name) {
            return Ok((c, conn));
        }
        let input = self.store.check_input(name)?;
        Ok((self.client_from(name, &input)?, conn))
    }

    fn auth_host(conn: &Connection) -> String {
        conn.auth_server.host().to_string()
    }

    fn streak(&self, conn: &Connection) -> usize {
        self.ledger
            .golive_status(&conn.integration_key, &Self::auth_host(conn), 1)
            .map(|s| s.streak)
            .unwrap_or(0)
    }

    fn scope(conn: &Connection) -> Scope {
        Scope {
            integration_key: conn.integration_key.clone(),
            auth_host: Self::auth_host(conn),
            account_id: conn.account_id.clone(),
        }
    }

    /// Whether running `req` now would fetch an envelope endpoint that was fetched within the
    /// last 15 minutes (a polling violation in DocuSign's Go-Live review), so the app can say
    /// so before the call and offer the kept answer. No call is made.
    ///
    /// # Errors
    /// [`Problem`] for an unknown connection or the state file.
    pub fn polling_check(
        &self,
        name: &str,
        req: &ActionRequest,
    ) -> Result<Option<EarlierFetch>, Problem> {
        let conn = self.store.get(name)?;
        Ok(self
            .answers
            .earlier_fetch(&Self::scope(&conn), req, SystemTime::now())?)
    }

    /// Runs an action on a saved connection and says what it did to the Go-Live streak.
    /// Envelope fetches reuse what any screen fetched in the last 15 minutes (the polling
    /// rule), as [`Workspace::run_action_with`] with [`FetchPolicy::Reuse`].
    /// Never fails as a whole: the outcome carries the failure.
    pub async fn run_action(
        &self,
        name: &str,
        req: &ActionRequest,
        progress: impl FnMut(u64, Option<u64>),
    ) -> ActionOutcome {
        self.run_action_with(name, req, FetchPolicy::Reuse, progress)
            .await
    }

    /// [`Workspace::run_action`] with a choice for envelope endpoints fetched in the last 15
    /// minutes: reuse the kept answer, or fetch anyway (the person was warned).
    pub async fn run_action_with(
        &self,
        name: &str,
        req: &ActionRequest,
        policy: FetchPolicy,
        progress: impl FnMut(u64, Option<u64>),
    ) -> ActionOutcome {
        let (client, conn) = match self.client(name) {
            Ok(c) => c,
            Err(p) => {
                let mut f: ActionFailure = p.into();
                f.action = req.name().into();
                return ActionOutcome {
                    result: None,
                    failure: Some(f),
                    streak: StreakEffect {
                        before: 0,
                        after: 0,
                        calls: 0,
                        summary: "no call was made".into(),
                    },
                };
            }
        };
        let host = Self::auth_host(&conn);
        let count = |l: &Ledger| {
            l.esignature_call_count(&conn.integration_key, &host)
                .unwrap_or(0)
        };
        let before = self.streak(&conn);
        let calls_before = count(&self.ledger);
        let result = envelope_answers::run_action(
            &client,
            &self.answers,
            &Self::scope(&conn),
            req,
            policy,
            progress,
        )
        .await;
        let after_status = self
            .ledger
            .golive_status(&conn.integration_key, &host, 1)
            .ok();
        let after = after_status.as_ref().map(|s| s.streak).unwrap_or(0);
        let calls = count(&self.ledger).saturating_sub(calls_before);
        let summary = if calls == 0 {
            "no eSignature call was made".to_string()
        } else if after >= before + calls {
            format!(
                "+{calls} ({}/{REQUIRED_STREAK})",
                after.min(REQUIRED_STREAK)
            )
        } else {
            match after_status.and_then(|s| s.broken_by) {
                Some(b) => format!(
                    "reset by {} ({}/{REQUIRED_STREAK})",
                    b.reason.split(" reset").next().unwrap_or("an error"),
                    after.min(REQUIRED_STREAK)
                ),
                None => format!("{}/{REQUIRED_STREAK}", after.min(REQUIRED_STREAK)),
            }
        };
        let summary = match &result {
            Ok(v) if v.ledger_not_recorded() => v
                .ledger_problem
                .clone()
                .unwrap_or_else(|| "not recorded in the Go-Live ledger".into()),
            Err(f) if f.ledger_recorded == Some(false) => f
                .ledger_problem
                .clone()
                .unwrap_or_else(|| "not recorded in the Go-Live ledger".into()),
            _ => summary,
        };
        let streak = StreakEffect {
            before,
            after,
            calls,
            summary,
        };
        match result {
            Ok(v) => ActionOutcome {
                result: Some(v),
                failure: None,
                streak,
            },
            Err(f) => ActionOutcome {
                result: None,
                failure: Some(f),
                streak,
            },
        }
    }

    /// The Go-Live panel of a saved connection.
    ///
    /// # Errors
    /// [`Problem`] for an unknown connection or the state file.
    pub fn golive(&self, name: &str) -> Result<GoLivePanel, Problem> {
        let conn = self.store.get(name)?;
        let host = Self::auth_host(&conn);
        let status = self
            .ledger
            .golive_status(&conn.integration_key, &host, 40)?;
        let all = self.store.list()?;
        let same_ik = |env: Environment| {
            all.iter()
                .find(|c| {
                    c.environment == env
                        && c.integration_key
                            .eq_ignore_ascii_case(&conn.integration_key)
                })
                .cloned()
        };
        let demo = if conn.environment == Environment::Demo {
            Some(conn.clone())
        } else {
            same_ik(Environment::Demo)
        };
        let prod = same_ik(Environment::Production);
        let token_ok = |c: &Connection| {
            self.ledger
                .golive_status(&c.integration_key, &Self::auth_host(c), 400)
                .ok()
                .map(|s| {
                    s.recent
                        .iter()
                        .any(|r| r.kind == "token" && r.status == Some(200))
                })
        };
        let mut checklist = vec![
            ChecklistItem {
                id: "build_in_demo".into(),
                title: "Build and test in demo".into(),
                done: demo.as_ref().and_then(token_ok),
                detail: match &demo {
                    Some(d) => format!("Demo connection \"{}\": run real workflows end to end, as an acceptance test.", d.name),
                    None if conn.environment == Environment::Sandbox => "This is the sandbox: practise here, then create a demo connection for the real review.".into(),
                    None => "Create a demo connection with this integration key.".into(),
                },
            },
            ChecklistItem {
                id: "twenty_calls".into(),
                title: "20 successful eSignature calls in a row".into(),
                done: Some(status.ready),
                detail: format!("{} (token and userinfo calls do not count; no envelope fetched again within 15 minutes).", status.summary),
            },
            ChecklistItem {
                id: "submit_review".into(),
                title: "Submit the Go-Live review".into(),
                done: if prod.is_some() { Some(true) } else { None },
                detail: "Developer Console > Apps and Keys > your app > Actions > Start Go-Live Review; the answers below are ready to copy.".into(),
            },
            ChecklistItem {
                id: "promote".into(),
                title: "Add the integration key to the production account".into(),
                done: Some(prod.is_some()),
                detail: "After approval: production Admin > Apps and Keys > Add an Application via Integration Key; re-add the redirect URI and the RSA public key (they do not carry over).".into(),
            },
            ChecklistItem {
                id: "recreate_templates".into(),
                title: "Re-create the templates in production".into(),
                done: None,
                detail: "Templates are not copied at Go-Live: re-create (or export and import) each template in the production account, then pick it again in the production connection's sends and trigger filters (its ID is different there).".into(),
            },
            ChecklistItem {
                id: "production_consent".into(),
                title: "Grant consent again in production".into(),
                done: prod.as_ref().and_then(token_ok),
                detail: "Production consent is separate: open the production consent URL and sign in as the production user.".into(),
            },
        ];
        if conn.environment == Environment::Sandbox {
            checklist[0].done = None;
        }
        let endpoints = self.ledger.endpoints_used(&conn.integration_key, &host)?;
        let answers = ReviewAnswers {
            authentication: "OAuth v2 for REST, JWT Bearer Grant (no App Passwords, no SOAP).".into(),
            endpoints,
            error_handling: "Every DocuSign error (errorCode and message) is recorded and shown; 401 re-mints the access token once; 429 and 5xx are retried with exponential backoff only for requests that are safe to repeat (never envelope creation); X-RateLimit-* and X-BurstLimit-* headers are read on every response and the integration waits for the reset instead of failing; the access token is cached and reused until close to its one-hour expiry.".into(),
            polling: "Status changes are followed with one listStatusChanges call per cycle (from_date cursor from DocuSign's lastQueriedDateTime, include=recipients,custom_fields, template filter by envelope custom field), at most every 15 minutes, with no per-envelope polling.".into(),
        };
        Ok(GoLivePanel {
            status,
            checklist,
            answers,
        })
    }

    /// The warm-up on a saved connection, with progress after every call.
    ///
    /// # Errors
    /// [`Problem`] `warm_up_failed` when a call fails, in plain words
    /// ([`crate::golive::WarmUpError::failure`]; the technical text is logged); the
    /// connection's setup problem; `state_file`.
    pub async fn warm_up(
        &self,
        name: &str,
        progress: impl FnMut(&WarmUpProgress),
    ) -> Result<GoLiveStatus, Problem> {
        let (client, conn) = self.client(name)?;
        crate::golive::warm_up(
            &client,
            &self.ledger,
            &conn.integration_key,
            &Self::auth_host(&conn),
            progress,
        )
        .await
        .map_err(|e| {
            // The desktop shows the plain words; the technical text goes to the log.
            let f = e.failure();
            if let Some(d) = &f.details {
                tracing::warn!(connection = %name, details = %d, "the warm-up stopped");
            }
            f.problem
        })
    }

    /// The minimum interval for a connection's environment, and why.
    pub fn interval_rule(conn: &Connection) -> (u64, String) {
        if conn.auth_server.kind() == AuthServerKind::Custom {
            (
                triggers::MIN_INTERVAL_SANDBOX_SECS,
                "The sandbox allows short intervals for trying things out.".into(),
            )
        } else {
            (triggers::MIN_INTERVAL_DOCUSIGN_SECS, "DocuSign forbids polling more than once every 15 minutes, and refuses Go-Live reviews for it.".into())
        }
    }

    /// F47: checks a trigger's template filter on its connection before the trigger is armed
    /// (one call that succeeds: the account's template list; see
    /// [`triggers::check_template_filter`]).
    ///
    /// # Errors
    /// [`Problem`] `template_not_in_account` naming the account's templates (no failing call
    /// was made), `template_check_failed` when the list could not be fetched, or the
    /// connection's setup problem.
    pub async fn check_template(&self, name: &str, template_id: &str) -> Result<(), Problem> {
        let (client, _) = self.client(name)?;
        triggers::check_template_filter(&client, template_id)
            .await
            .map_err(|e| match e {
                crate::id_checks::IdCheckError::NotFound(p) => p,
                crate::id_checks::IdCheckError::CheckFailed(e) => {
                    let f = crate::actions::ActionFailure::from_error("list_templates", &e);
                    Problem::new(
                        Code::TemplateCheckFailed,
                        format!(
                            "The trigger's template {template_id} could not be checked: {}",
                            f.problem.message
                        ),
                        f.problem
                            .fix()
                            .unwrap_or(
                                "Pick the template again from this connection's template list.",
                            )
                            .to_string(),
                    )
                }
            })
    }

    /// Starts a trigger monitor in the background (on the current tokio runtime).
    ///
    /// # Errors
    /// [`Problem`]: unknown connection, an interval below the minimum, setup problems.
    pub fn start_monitor(
        &self,
        spec: MonitorSpec,
        sink: MonitorSink,
    ) -> Result<MonitorInfo, Problem> {
        let (client, conn) = self.client(&spec.connection)?;
        let (min, reason) = Self::interval_rule(&conn);
        let interval = triggers::check_interval(conn.auth_server.kind(), spec.interval_seconds)
            .map_err(|m| {
                Problem::new(
                    Code::IntervalTooShort,
                    format!("Interval {} s: {m}", spec.interval_seconds),
                    format!("Use at least {min} seconds."),
                )
            })?;
        let id = format!(
            "monitor-{}",
            self.next_monitor
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1
        );
        let mut spec = spec;
        spec.template_id = spec
            .template_id
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if spec.template_id.is_none() {
            spec.template_name = None;
        }
        let store = TriggerStore::new(self.state.clone());
        // One trigger per kind and connection, kept with its settings: starting it again (after
        // a restart, or with another filter) goes on from its cursor.
        let trigger_id =
            triggers::app_trigger_id(spec.trigger, &conn.integration_key, &conn.account_id);
        let earlier_id = triggers::trigger_id(
            spec.trigger,
            &Self::auth_host(&conn),
            &conn.integration_key,
            &conn.account_id,
            spec.template_id.as_deref(),
        );
        store.save_settings(
            &trigger_id,
            &TriggerSettings {
                template_id: spec.template_id.clone(),
                template_name: spec.template_name.clone(),
                interval_seconds: spec.interval_seconds,
            },
            Some(&earlier_id),
        )?;
        let resumed_from = store.cursor(&trigger_id)?;
        let info = MonitorInfo {
            id: id.clone(),
            spec: spec.clone(),
            calls_per_hour: triggers::calls_per_hour(interval),
            minimum_interval_seconds: min,
            interval_reason: reason,
            resumed_from,
        };
        let cancel = CancellationToken::new();
        let (store_c, ledger, n) = (
            self.store.clone(),
            self.ledger.clone(),
            spec.connection.clone(),
        );
        let remake: watch::Remake = Arc::new(move |pem: Vec<u8>| {
            let mut input = store_c.check_input(&n).map_err(|e| e.problem())?;
            input.ca_cert_pem = Some(pem);
            session::esign_client(&input, Arc::new(ledger.clone())).map(|(c, _)| c)
        });
        let poller = watch::Poller {
            source: watch::ClientSource::new(
                client,
                conn.ca_cert.clone(),
                self.cached_ca(&spec.connection),
                remake,
            ),
            store,
            kind: spec.trigger,
            trigger_id,
            template_id: spec.template_id.clone(),
            interval,
        };
        let token = cancel.clone();
        tokio::spawn(async move {
            let mut sent = 0usize;
            poller
                .run(
                    false,
                    |update| match update {
                        PollUpdate::Event(ev) => {
                            match serde_json::from_str::<TriggerEvent>(&ev.payload) {
                                Ok(event) => {
                                    sent += 1;
                                    sink(MonitorUpdate::Event {
                                        monitor_id: id.clone(),
                                        event: Box::new(event),
                                    });
                                }
                                Err(e) => {
                                    tracing::warn!(monitor = %id, key = %ev.key, error = %e, "a stored trigger event could not be read")
                                }
                            }
                        }
                        PollUpdate::Polled {
                            outcome,
                            next_poll_at,
                            ..
                        } => {
                            if let Some(n) = &outcome.notice {
                                tracing::warn!(monitor = %id, "{n}");
                            }
                            // The count is the events this monitor sent, one by one, since the
                            // last cycle: the same events the log shows, never another count.
                            sink(MonitorUpdate::Cycle {
                                monitor_id: id.clone(),
                                calls: outcome.calls,
                                events: std::mem::take(&mut sent),
                                next_poll_at,
                            })
                        }
                        PollUpdate::Failed {
                            problem,
                            details,
                            next_poll_at,
                        } => {
                            // The monitor's log shows the plain words and the fix; the
                            // technical text goes to the app's log.
                            if let Some(d) = details {
                                tracing::warn!(monitor = %id, details = %d, "a trigger's check failed");
                            }
                            sink(MonitorUpdate::Error {
                                monitor_id: id.clone(),
                                message: crate::problem::fix_with_words(&problem.message, &problem.fix),
                                next_poll_at,
                            })
                        }
                    },
                    token.cancelled(),
                )
                .await;
            sink(MonitorUpdate::Stopped { monitor_id: id });
        });
        self.monitors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                info.id.clone(),
                Monitor {
                    info: info.clone(),
                    cancel,
                },
            );
        Ok(info)
    }

    /// The triggers of a connection as kept in the state file (those started at least once),
    /// with their settings and last check: what the trigger screen shows after a restart.
    ///
    /// # Errors
    /// [`Problem`] for an unknown connection or an unreadable state file.
    pub fn saved_triggers(&self, name: &str) -> Result<Vec<SavedTrigger>, Problem> {
        let conn = self.store.get(name)?;
        let store = TriggerStore::new(self.state.clone());
        let mut out = Vec::new();
        for kind in [
            TriggerKind::OnEnvelopeStatusChange,
            TriggerKind::OnRecipientCompleted,
        ] {
            let id = triggers::app_trigger_id(kind, &conn.integration_key, &conn.account_id);
            if let Some(s) = store.settings(&id)? {
                out.push(SavedTrigger {
                    trigger: kind,
                    template_id: s.template_id,
                    template_name: s.template_name,
                    interval_seconds: s.interval_seconds,
                    last_checked: store.cursor(&id)?,
                });
            }
        }
        Ok(out)
    }

    /// The trigger events stored for a connection (any trigger, any template filter), oldest
    /// first, at most the newest [`TRIGGER_HISTORY_LIMIT`]: what the event log shows again after
    /// the app restarts. Events are kept per integration key and account, so a sandbox that
    /// was reset (a new integration key) starts with none.
    ///
    /// # Errors
    /// [`Problem`] for an unknown connection or an unreadable state file.
    pub fn trigger_history(&self, name: &str) -> Result<Vec<TriggerEvent>, Problem> {
        let conn = self.store.get(name)?;
        let stored = TriggerStore::new(self.state.clone()).history(
            &conn.integration_key,
            &conn.account_id,
            TRIGGER_HISTORY_LIMIT,
        )?;
        Ok(stored
            .iter()
            .filter_map(|e| serde_json::from_str::<TriggerEvent>(&e.payload).ok())
            .collect())
    }

    /// Stops a monitor. Returns whether it was running.
    pub fn stop_monitor(&self, id: &str) -> bool {
        match self
            .monitors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id)
        {
            Some(m) => {
                m.cancel.cancel();
                true
            }
            None => false,
        }
    }

    /// The running monitors.
    pub fn monitors(&self) -> Vec<MonitorInfo> {
        let mut v: Vec<MonitorInfo> = self
            .monitors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .map(|m| m.info.clone())
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// What the production account needs, for the promotion page.
    ///
    /// # Errors
    /// [`Problem`] for an unknown connection or an unreadable key.
    pub fn promotion_guide(&self, demo_connection: &str) -> Result<PromotionGuide, Problem> {
        let conn = self.store.get(demo_connection)?;
        let key = self.store.private_key(demo_connection)?;
        let production_consent_url = conn.redirect_uri.as_deref().map(|r| {
            docusign_api::consent::consent_url(
                &AuthServer::production(),
                &conn.integration_key,
                r,
                None,
            )
        });
        Ok(PromotionGuide {
            integration_key: conn.integration_key,
            redirect_uri: conn.redirect_uri,
            public_key_pem: key.info.public_key_pem.clone(),
            fingerprint: key.info.fingerprint.clone(),
            production_consent_url,
        })
    }

    /// Creates the production connection from a demo one: same integration key and private
    /// key (copied keyring to keyring, never through the UI), production user, account and
    /// region base URI. The demo connection stays.
    ///
    /// # Errors
    /// [`Problem`]: the demo connection is not a demo one, a bad field, the name is taken.
    pub fn promote(&self, input: &PromotionInput) -> Result<Connection, Problem> {
        let demo = self.store.get(&input.demo_connection)?;
        if demo.environment == Environment::Production {
            return Err(Problem::new(
                Code::AlreadyProduction,
                format!("\"{}\" is already a production connection.", demo.name),
                "Pick the demo connection to promote.",
            ));
        }
        let key = self.store.private_key(&input.demo_connection)?;
        let mut conn = Connection::new(
            input.name.clone(),
            Environment::Production,
            demo.integration_key.clone(),
            input.user_id.clone(),
            input.account_id.clone(),
            input.base_uri.clone(),
        );
        conn.auth_server = SavedAuthServer::production();
        conn.redirect_uri = demo.redirect_uri.clone();
        let pem = key.key.to_pkcs1_pem();
        let created = self.store.create(conn, pem.as_bytes())?;
        self.connection_changed(&created.name);
        Ok(created)
    }

    /// Moves a sandbox recipient along (deliver, sign, decline) through the
    /// emulator's admin API, so triggers and Go-Live can be tried offline.
    ///
    /// # Errors
    /// [`Problem`]: not a sandbox connection, or the emulator refused (its words).
    pub async fn sandbox_move(&self, ask: SandboxMoveAsk) -> Result<SandboxEnvelopeState, Problem> {
        let (name, envelope_id) = (ask.name.as_str(), ask.envelope_id.as_str());
        let (recipient_id, action, tabs, reason) =
            (ask.recipient_id.as_str(), ask.action, ask.tabs, ask.reason);
        let conn = self.store.get(name)?;
        if conn.environment != Environment::Sandbox {
            return Err(Problem::new(
                Code::NotSandbox,
                "Sandbox controls only work on the sandbox connection.",
                "Switch to the Sandbox connection.",
            ));
        }
        let ca = match &conn.ca_cert {
            Some(p) => Some(docusign_api::files::read_ca_file(p).map_err(|e| {
                Problem::new(
                    Code::CaCertUnreadable,
                    format!("The sandbox certificate could not be used: {e}."),
                    "Start the sandbox again.",
                )
            })?),
            None => None,
        };
        let http = docusign_api::oauth::http_client(ca.as_deref(), Duration::from_secs(20))
            .map_err(|e| {
                Problem::new(
                    Code::CaCertInvalid,
                    e.to_string(),
                    "Start the sandbox again.",
                )
            })?;
        let verb = match action {
            RecipientMove::Deliver => "deliver",
            RecipientMove::Sign => "sign",
            RecipientMove::Decline => "decline",
        };
        let url = format!(
            "{}/__emulator/accounts/{}/envelopes/{}/recipients/{}/{}",
            conn.auth_server.origin(),
            conn.account_id,
            envelope_id,
            recipient_id,
            verb
        );
        let mut body = serde_json::json!({});
        if let Some(t) = tabs {
            body["tabs"] = serde_json::json!(t);
        }
        if let Some(r) = reason {
            body["reason"] = Value::String(r);
        }
        let resp = http.post(&url).json(&body).send().await.map_err(|e| {
            Problem::new(
                Code::SandboxUnreachable,
                format!("The sandbox did not answer: {e}"),
                "Start the sandbox again.",
            )
        })?;
        let status = resp.status();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            // What screens keep about this envelope follows the move (no fetch needed).
            if let Err(e) = self.answers.note_sandbox_move(
                &Self::scope(&conn),
                envelope_id,
                recipient_id,
                &v,
                body.get("tabs"),
            ) {
                tracing::warn!(error = %e, "could not note a sandbox move in the kept answers");
            }
            serde_json::from_value(v).map_err(|e| {
                Problem::internal(format!(
                    "the sandbox answered a move in an unknown shape ({e})"
                ))
            })
        } else {
            Err(Problem::new(
                Code::SandboxRefused,
                v.get("error")
                    .and_then(Value::as_str)
                    .map(String::from)
                    .unwrap_or_else(|| format!("HTTP {status}")),
                "Only a sent or delivered recipient, in routing order, can be moved along.",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_failed_keeps_the_system_words_out_of_the_message() {
        // Found by a fresh-user run: with no browser installed, the consent step said "The
        // browser could not be opened: No such file or directory (os error 2)."
        let p = browser_failed("the consent page", &std::io::Error::from_raw_os_error(2));
        assert_eq!(p.code, Code::BrowserFailed);
        assert_eq!(
            p.message,
            "The browser could not be opened for the consent page: this computer has no program set up to open web pages."
        );
        assert_eq!(
            p.fix,
            "Copy the address and open it in your browser yourself."
        );
        assert_eq!(
            p.detail.as_deref(),
            Some("No such file or directory (os error 2)")
        );
        let p = browser_failed(
            "the production consent page",
            &std::io::Error::other("exit status 3"),
        );
        assert_eq!(
            p.message,
            "The browser could not be opened for the production consent page."
        );
        assert_eq!(p.detail.as_deref(), Some("exit status 3"));
    }
}
