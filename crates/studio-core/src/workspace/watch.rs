//! Trigger polling as both front ends run it: the one polling loop (the app's monitors and
//! `dsjwt watch`), the polling rule shown first, the template filter checked before a trigger
//! is armed (F47), and the words of a trigger event's notification.
//!
//! The loop makes its connection's client again when the connection's CA file changed (a
//! sandbox started again with a new CA): otherwise every poll would fail with "invalid peer
//! certificate".

use serde::Serialize;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::{now_secs, GivenConnection, MonitorInfo, MonitorSink, MonitorSpec, Problem, Workspace};
use crate::actions::ActionFailure;
use crate::problem::AsProblem;
use crate::store::StoreError;
use crate::trigger_store::{StoredEvent, TriggerStore};
use crate::triggers::{
    self, CycleOutcome, TriggerError, TriggerEvent, TriggerKind, MIN_INTERVAL_DOCUSIGN_SECS,
};
use docusign_api::environment::AuthServerKind;
use docusign_api::esign::EsignClient;

/// Makes a connection's client again, trusting the CA given (its file's new contents).
pub(crate) type Remake = Arc<dyn Fn(Vec<u8>) -> Result<EsignClient, Problem> + Send + Sync>;

/// A connection's client, made again when its CA file changes.
pub(crate) struct ClientSource {
    client: Arc<EsignClient>,
    /// The CA file the connection names, read before every poll.
    ca_file: Option<PathBuf>,
    /// The CA the client trusts.
    ca_trusted: Option<Vec<u8>>,
    remake: Remake,
}

impl ClientSource {
    pub(crate) fn new(
        client: Arc<EsignClient>,
        ca_file: Option<PathBuf>,
        ca_trusted: Option<Vec<u8>>,
        remake: Remake,
    ) -> Self {
        ClientSource {
            client,
            ca_file,
            ca_trusted,
            remake,
        }
    }

    /// The client, made again first when the CA file's contents changed since it was made.
    /// A CA file that cannot be read right now (a sandbox starting) keeps the client: the poll
    /// then says what fails.
    ///
    /// # Errors
    /// The new CA cannot be used (the problem says why).
    async fn fresh(&mut self) -> Result<Arc<EsignClient>, Problem> {
        let Some(path) = self.ca_file.clone() else {
            return Ok(self.client.clone());
        };
        let read = tokio::task::spawn_blocking(move || docusign_api::files::read_ca_file(&path))
            .await
            .map_err(Problem::internal)?;
        if let Ok(now) = read {
            if self.ca_trusted.as_deref() != Some(now.as_slice()) {
                let remake = self.remake.clone();
                let pem = now.clone();
                let client = tokio::task::spawn_blocking(move || remake(pem))
                    .await
                    .map_err(Problem::internal)??;
                tracing::info!("the connection's CA file changed: its client was made again");
                self.client = Arc::new(client);
                self.ca_trusted = Some(now);
            }
        }
        Ok(self.client.clone())
    }
}

/// "No new events since 2026-11-30 23:37:00 UTC": what a poll that handed out no event says
/// (`outcome.from_date`, the start of the window it asked DocuSign about, to the second; as
/// given when it does not parse).
pub fn nothing_new_words(outcome: &CycleOutcome) -> String {
    use time::format_description::well_known::Rfc3339;
    let since = time::OffsetDateTime::parse(outcome.from_date.trim(), &Rfc3339)
        .ok()
        .and_then(|t| {
            t.to_offset(time::UtcOffset::UTC)
                .format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
                ))
                .ok()
        })
        .unwrap_or_else(|| outcome.from_date.clone());
    format!("No new events since {since}.")
}

/// What the polling loop reports, as it happens.
pub enum PollUpdate<'a> {
    /// A new event, as stored (its JSON text in `payload`); each is handed out once.
    Event(&'a StoredEvent),
    /// A poll finished.
    Polled {
        /// What it did (calls, cursor, a notice when the change list was cut at the page cap).
        outcome: &'a CycleOutcome,
        /// Events handed out after it (those an earlier run did not hand out included).
        delivered: u64,
        /// Why handing out stopped part way (the rest come next time).
        delivery_problem: Option<&'a StoreError>,
        /// When the next poll runs (Unix seconds).
        next_poll_at: u64,
    },
    /// A poll failed: nothing was saved, the next poll covers the same window.
    Failed {
        /// What failed, in plain words ([`poll_failure`]): the message names the host it could
        /// not reach or gives DocuSign's sentence, and says no change is missed; the fix fits
        /// the failure.
        problem: &'a Problem,
        /// The technical text behind it (the network library's or DocuSign's words), for
        /// "details" only.
        details: Option<&'a str>,
        /// When the next poll runs (Unix seconds).
        next_poll_at: u64,
    },
}

/// Why a poll failed: the cycle's own error (with the eSignature host it called, named when it
/// could not be reached), or the connection's client could not be made again.
pub(crate) enum PollError<'a> {
    /// The cycle failed calling this host (`demo.docusign.net`).
    Cycle(&'a TriggerError, &'a str),
    /// The client could not be made again (its new CA cannot be used).
    Setup(Problem),
}

/// A failed poll in plain words, through the same words as a failed action
/// ([`ActionFailure::from_error_at`], as listing envelopes): "The trigger's check for changes
/// failed.", then what went wrong (the host it could not reach, or DocuSign's own sentence),
/// then that no change is missed; the failure's code and fix; the technical text only in
/// `details`.
pub(crate) fn poll_failure(e: PollError<'_>) -> ActionFailure {
    let inner = match e {
        PollError::Cycle(TriggerError::Api(e), host) => {
            ActionFailure::from_error_at("list_envelopes", e, Some(host))
        }
        PollError::Cycle(TriggerError::Store(e), _) => {
            ActionFailure::new("list_envelopes", e.problem())
        }
        PollError::Setup(p) => ActionFailure::new("list_envelopes", p),
    };
    let message = format!(
        "The trigger's check for changes failed. {} The next check covers the same time, so no change is missed.",
        inner.message
    );
    ActionFailure {
        problem: Problem {
            message,
            ..inner.problem.clone()
        },
        ..inner
    }
}

/// How a polling loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollEnd {
    /// Asked to stop.
    Stopped,
    /// One poll only (`once`): whether it succeeded.
    Once {
        /// The poll succeeded.
        ok: bool,
    },
}

/// One trigger's polling: its client, its state, its settings.
pub(crate) struct Poller {
    pub(crate) source: ClientSource,
    pub(crate) store: TriggerStore,
    pub(crate) kind: TriggerKind,
    pub(crate) trigger_id: String,
    pub(crate) template_id: Option<String>,
    pub(crate) interval: Duration,
}

impl Poller {
    /// The polling loop: a cycle (client made again first if the CA changed), its events handed
    /// out, then a wait of `interval`, until `stop` (or after one poll with `once`).
    pub(crate) async fn run(
        mut self,
        once: bool,
        mut report: impl FnMut(PollUpdate<'_>),
        stop: impl Future<Output = ()>,
    ) -> PollEnd {
        tokio::pin!(stop);
        loop {
            let next_poll_at = now_secs() + self.interval.as_secs();
            let polled = match self.source.fresh().await {
                Ok(client) => triggers::run_cycle(
                    &client,
                    &self.store,
                    self.kind,
                    &self.trigger_id,
                    self.template_id.as_deref(),
                )
                .await
                .map_err(|e| {
                    let host = client.base_uri().as_str().trim_start_matches("https://");
                    poll_failure(PollError::Cycle(&e, host))
                }),
                Err(p) => Err(poll_failure(PollError::Setup(p))),
            };
            let ok = match polled {
                Ok(outcome) => {
                    // The cycle's events are in the state file: handed out a batch at a time.
                    // If one cannot be marked delivered, the rest come next time.
                    let mut delivered = 0;
                    let handed = triggers::deliver_pending(&self.store, &self.trigger_id, |ev| {
                        delivered += 1;
                        report(PollUpdate::Event(ev));
                    });
                    report(PollUpdate::Polled {
                        outcome: &outcome,
                        delivered,
                        delivery_problem: handed.as_ref().err(),
                        next_poll_at,
                    });
                    true
                }
                Err(failure) => {
                    report(PollUpdate::Failed {
                        problem: &failure.problem,
                        details: failure.details.as_deref(),
                        next_poll_at,
                    });
                    false
                }
            };
            if once {
                return PollEnd::Once { ok };
            }
            tokio::select! {
                _ = &mut stop => return PollEnd::Stopped,
                _ = tokio::time::sleep(self.interval) => {}
            }
        }
    }
}

/// `dsjwt watch`'s trigger: which, the template filter, how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSpec {
    /// Which trigger.
    pub trigger: TriggerKind,
    /// Only envelopes sent from this template.
    pub template_id: Option<String>,
    /// Time between polls (checked with [`Workspace::watch_interval`] by the caller).
    pub interval: Duration,
    /// Poll once and end.
    pub once: bool,
    /// Forget the trigger's cursor and seen events first.
    pub reset: bool,
}

/// Why a watch did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WatchError {
    /// The connection's settings or key (no call made).
    #[error(transparent)]
    Setup(Problem),
    /// The trigger's state could not be reset.
    #[error(transparent)]
    Reset(StoreError),
    /// F47: the template filter could not be checked (a template of another account).
    #[error(
        "the trigger was not started: its template {template_id} could not be checked: {error}"
    )]
    Template {
        /// The template filter.
        template_id: String,
        /// Why the account's template list could not be fetched.
        error: docusign_api::esign::EsignError,
    },
    /// The template filter is not one of the account's templates (looked up in its template
    /// list, so no failing call was made): `template_not_in_account`, naming its templates.
    #[error("the trigger was not started: {0}")]
    TemplateNotInAccount(Problem),
}

/// What a watch reports: the polling rate once armed, then the polling loop's updates.
pub enum WatchUpdate<'a> {
    /// The trigger is armed: it polls every `interval`, about `calls_per_hour` calls an hour
    /// (`environment` says whether that is DocuSign, where the polling rule applies).
    Armed {
        /// Time between polls.
        interval: Duration,
        /// listStatusChanges calls per hour (one page per cycle).
        calls_per_hour: f64,
        /// Where it polls.
        environment: AuthServerKind,
    },
    /// What the polling loop reports.
    Poll(PollUpdate<'a>),
}

/// The shortest interval between polls for a connection, why, and the interval to suggest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IntervalRule {
    /// The shortest interval allowed (900 s against DocuSign, 1 s in the sandbox).
    pub minimum_interval_seconds: u64,
    /// Why, in plain words.
    pub reason: String,
    /// What the form starts with.
    pub suggested_interval_seconds: u64,
}

impl Workspace {
    /// Watches a trigger on a connection given by its values (`dsjwt watch`), in this task,
    /// with the same polling loop as the app's monitors: the trigger's state is reset first
    /// when asked, its template filter checked (F47), then it polls until `stop` (or once).
    ///
    /// # Errors
    /// [`WatchError`] before the first poll; a failed poll is reported, not an error.
    pub async fn watch(
        &self,
        given: &GivenConnection,
        spec: WatchSpec,
        mut report: impl FnMut(WatchUpdate<'_>),
        stop: impl Future<Output = ()>,
    ) -> Result<PollEnd, WatchError> {
        let (client, settings) = self.given_client(given).map_err(WatchError::Setup)?;
        let client = Arc::new(client);
        let store = TriggerStore::new(self.state.clone());
        let trigger_id = triggers::trigger_id(
            spec.trigger,
            settings.auth.host(),
            &settings.integration_key,
            &settings.account_id,
            spec.template_id.as_deref(),
        );
        if spec.reset {
            store.reset(&trigger_id).map_err(WatchError::Reset)?;
        }
        if let Some(t) = spec.template_id.as_deref() {
            triggers::check_template_filter(&client, t)
                .await
                .map_err(|e| match e {
                    crate::id_checks::IdCheckError::NotFound(p) => {
                        WatchError::TemplateNotInAccount(p)
                    }
                    crate::id_checks::IdCheckError::CheckFailed(error) => WatchError::Template {
                        template_id: t.to_string(),
                        error,
                    },
                })?;
        }
        report(WatchUpdate::Armed {
            interval: spec.interval,
            calls_per_hour: triggers::calls_per_hour(spec.interval),
            environment: settings.auth.kind(),
        });
        let (remade, ledger) = (given.clone(), self.ledger.clone());
        let remake: Remake = Arc::new(move |pem: Vec<u8>| {
            let mut given = remade.clone();
            given.input.ca_cert_pem = Some(pem);
            super::given_client(&given, &ledger).map(|(c, _)| c)
        });
        let poller = Poller {
            source: ClientSource::new(
                client,
                given.ca_cert_file.clone(),
                given.input.ca_cert_pem.clone(),
                remake,
            ),
            store,
            kind: spec.trigger,
            trigger_id,
            template_id: spec.template_id,
            interval: spec.interval,
        };
        Ok(poller
            .run(spec.once, |u| report(WatchUpdate::Poll(u)), stop)
            .await)
    }

    /// `seconds` between polls of a watch ([`WatchSpec::interval`]) checked against the polling
    /// rule of where it polls (`environment`): at least 900 s (15 minutes) against DocuSign, at
    /// least 1 s in the sandbox (a custom auth server). See [`triggers::check_interval`].
    ///
    /// # Errors
    /// A sentence saying the minimum and why.
    pub fn watch_interval(environment: AuthServerKind, seconds: u64) -> Result<Duration, String> {
        triggers::check_interval(environment, seconds)
    }

    /// The polling rule of a connection's environment, shown before a monitor starts.
    ///
    /// # Errors
    /// `not_found`, config file errors.
    pub fn monitor_rule(&self, name: &str) -> Result<IntervalRule, Problem> {
        let conn = self.store.get(name)?;
        let (min, reason) = Self::interval_rule(&conn);
        let suggested = if min >= MIN_INTERVAL_DOCUSIGN_SECS {
            min
        } else {
            min.max(5)
        };
        Ok(IntervalRule {
            minimum_interval_seconds: min,
            reason,
            suggested_interval_seconds: suggested,
        })
    }

    /// Starts a trigger monitor after checking its connection works and (F47) that its
    /// template filter names a template of the connection's account. Its updates go to `sink`.
    ///
    /// # Errors
    /// The connection's setup problem, `template_not_in_account`, `template_check_failed`,
    /// `interval_too_short`.
    pub async fn arm_monitor(
        &self,
        spec: MonitorSpec,
        sink: MonitorSink,
    ) -> Result<MonitorInfo, Problem> {
        self.ready_client(&spec.connection).await?;
        if let Some(t) = spec.template_id.as_deref().filter(|t| !t.trim().is_empty()) {
            self.check_template(&spec.connection, t).await?;
        }
        self.start_monitor(spec, sink)
    }
}

/// A desktop notification's title and body for a trigger event.
pub fn notification_text(event: &TriggerEvent) -> (String, String) {
    let subject = event
        .email_subject
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("Envelope {}", short(&event.envelope_id)));
    // F43: a bounced recipient, whichever trigger saw it.
    if let Some(p) = &event.delivery_problem {
        return (
            "Delivery failure".into(),
            format!("“{subject}”: {} {}", p.message, p.fix),
        );
    }
    match (event.trigger, &event.recipient) {
        (TriggerKind::OnRecipientCompleted, Some(r)) => {
            let who = r
                .name
                .clone()
                .or_else(|| r.email.clone())
                .unwrap_or_else(|| format!("Recipient {}", r.recipient_id));
            let role = r
                .role_name
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            (
                format!("{who} signed"),
                format!("{who}{role} finished signing “{subject}”."),
            )
        }
        _ => (
            format!("Envelope {}", event.status),
            format!("“{subject}” is now {}.", event.status),
        ),
    }
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::triggers::RecipientEvent;
    use docusign_api::esign::EsignError;

    #[test]
    fn notifications_say_who_and_what() {
        let mut e = TriggerEvent {
            trigger: TriggerKind::OnEnvelopeStatusChange,
            event_id: "k".into(),
            envelope_id: "0123456789".into(),
            status: "completed".into(),
            status_changed_at: None,
            template_id: None,
            email_subject: Some("Please sign the Mutual NDA".into()),
            recipient: None,
            delivery_problem: None,
        };
        assert_eq!(
            notification_text(&e),
            (
                "Envelope completed".into(),
                "“Please sign the Mutual NDA” is now completed.".into()
            )
        );
        e.trigger = TriggerKind::OnRecipientCompleted;
        e.recipient = Some(RecipientEvent {
            recipient_id: "1".into(),
            name: Some("Ada".into()),
            email: None,
            role_name: Some("Signer 1".into()),
            recipient_type: "signer".into(),
            completed_at: None,
        });
        assert_eq!(notification_text(&e).0, "Ada signed");
        assert!(notification_text(&e)
            .1
            .contains("Ada (Signer 1) finished signing"));
        e.email_subject = None;
        assert!(notification_text(&e).1.contains("Envelope 01234567"));
    }

    #[test]
    fn a_failed_poll_says_what_failed_in_plain_words_and_keeps_the_raw_text_for_details() {
        let refused = EsignError::Api {
            status: 400,
            error_code: Some("USER_LACKS_PERMISSIONS".into()),
            message: "This user lacks sufficient permissions to access this resource.".into(),
            fix: docusign_api::esign::fix_for("USER_LACKS_PERMISSIONS").map(String::from),
            method: "GET".into(),
            path: "/restapi/v2.1/accounts/A/envelopes".into(),
        };
        let f = poll_failure(PollError::Cycle(
            &TriggerError::Api(refused),
            "demo.docusign.net",
        ));
        assert_eq!(f.code, crate::problem::Code::Api);
        assert_eq!(
            f.message,
            "The trigger's check for changes failed. DocuSign refused to list the envelopes: This user lacks sufficient permissions to access this resource. The next check covers the same time, so no change is missed."
        );
        assert_eq!(
            f.fix,
            "This is the account plan or permission profile: ask your DocuSign admin to allow it for this user (API access, templates, sending); it is not your key or settings."
        );
        assert!(f
            .details
            .as_deref()
            .is_some_and(|d| d.contains("/restapi/v2.1/accounts/A/envelopes")));

        let unreachable = EsignError::Transport {
            method: "GET".into(),
            path: "/restapi/v2.1/accounts/A/envelopes".into(),
            reason: "client error (Connect): tcp connect error: Connection refused (os error 111)"
                .into(),
            class: "connect",
        };
        let f = poll_failure(PollError::Cycle(
            &TriggerError::Api(unreachable),
            "demo.docusign.net",
        ));
        assert_eq!(f.code, crate::problem::Code::NetworkUnreachable);
        assert_eq!(
            f.message,
            "The trigger's check for changes failed. Could not reach demo.docusign.net: no connection, or a firewall blocks it. The next check covers the same time, so no change is missed."
        );
        assert_eq!(
            f.details.as_deref(),
            Some("client error (Connect): tcp connect error: Connection refused (os error 111)")
        );
    }

    #[test]
    fn nothing_new_names_the_window_start_to_the_second() {
        let outcome = |from: &str| CycleOutcome {
            from_date: from.into(),
            ..CycleOutcome::default()
        };
        assert_eq!(
            nothing_new_words(&outcome("2026-11-30T23:37:00.123456789Z")),
            "No new events since 2026-11-30 23:37:00 UTC."
        );
        assert_eq!(
            nothing_new_words(&outcome("2026-12-01T01:37:05+02:00")),
            "No new events since 2026-11-30 23:37:05 UTC."
        );
        assert_eq!(
            nothing_new_words(&outcome("11/30/2026")),
            "No new events since 11/30/2026."
        );
    }
}
