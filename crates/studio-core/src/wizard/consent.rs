//! Waiting for consent: the wizard's "Waiting for consent… (next check in 4 s) [Cancel]".
//!
//! After the user opens the consent URL (F12), [`confirm_consent`] asks for a token again and
//! again until DocuSign stops answering `consent_required`. Token requests do not count toward
//! Go-Live and are cheap, but keep `every` at a few seconds (3–5 s) and the total at a few
//! minutes.

use crate::health::{self, CheckInput, HealthReport, Step, StepStatus};
use serde::Serialize;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Where the wait is, or how it ended. Serialized snake_case.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ConsentState {
    /// A token request is on its way.
    Checking,
    /// DocuSign still says `consent_required`; the next check comes in `seconds_until_next`.
    Waiting,
    /// DocuSign issued a token: consent is there. (Final.)
    Granted,
    /// Every attempt said `consent_required`. (Final.)
    StillRequired,
    /// Another failure (settings, key, `invalid_grant`, network): waiting will not help; see
    /// the step. (Final.)
    Failed,
    /// Cancelled by the user. (Final.)
    Cancelled,
}

/// One tick of the wait, for the UI's countdown. Sent before each check, once a second while
/// waiting, and once at the end.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConsentPoll {
    /// Checks started so far (1-based; 0 when cancelled before the first).
    pub attempt: u32,
    /// The most checks that will be made.
    pub attempts: u32,
    /// What is happening.
    pub state: ConsentState,
    /// Whole seconds (rounded up) until the next check, while `waiting`.
    pub seconds_until_next: Option<u32>,
    /// A sentence for the UI and the CLI.
    pub message: String,
    /// The consent URL to (re)open, when the connection has a redirect URI.
    pub consent_url: Option<String>,
}

/// How the wait ended.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConsentOutcome {
    /// `granted`, `still_required`, `failed` or `cancelled`.
    pub state: ConsentState,
    /// Checks that completed.
    pub attempts_made: u32,
    /// The deciding step: the passed token step (granted), the `consent_required` token step
    /// (still_required), or the first failed step (failed). `None` when cancelled before a
    /// check finished.
    pub step: Option<Step>,
    /// The last health report (after `granted` it shows the remaining steps: account, base
    /// URI).
    pub report: Option<HealthReport>,
}

/// The token step, or what is behind it when this computer's clock failed it (consent is
/// judged with DocuSign's time: a wrong clock is the health check's to report).
fn token_step(report: &HealthReport) -> Option<&Step> {
    report.token_behind_the_clock()
}

/// Asks for a token (via [`health::run`]) up to `attempts` times, `every` apart, until it stops
/// saying `consent_required`. `on_tick` gets a [`ConsentPoll`] before each check, once a second
/// while waiting, and once at the end. Cancelling `cancel` stops at once, also during a request.
///
/// Returns `granted` when the token step passed (later steps may still fail: see the report),
/// `still_required` after the last attempt, `failed` on any other failure (stopping at once:
/// waiting would not fix a wrong key), `cancelled`.
pub async fn confirm_consent(
    input: &CheckInput,
    attempts: u32,
    every: Duration,
    cancel: &CancellationToken,
    mut on_tick: impl FnMut(ConsentPoll),
) -> ConsentOutcome {
    let attempts = attempts.max(1);
    let mut consent_url: Option<String> = None;
    let mut last: Option<HealthReport> = None;
    let mut made = 0u32;
    let tick = |on_tick: &mut dyn FnMut(ConsentPoll),
                attempt: u32,
                state: ConsentState,
                secs: Option<u32>,
                message: String,
                url: &Option<String>| {
        on_tick(ConsentPoll {
            attempt,
            attempts,
            state,
            seconds_until_next: secs,
            message,
            consent_url: url.clone(),
        });
    };
    let cancelled = |made: u32,
                     last: Option<HealthReport>,
                     on_tick: &mut dyn FnMut(ConsentPoll),
                     url: &Option<String>| {
        tick(
            on_tick,
            made,
            ConsentState::Cancelled,
            None,
            "Stopped waiting for consent.".into(),
            url,
        );
        ConsentOutcome {
            state: ConsentState::Cancelled,
            attempts_made: made,
            step: last.as_ref().and_then(token_step).cloned(),
            report: last,
        }
    };

    for attempt in 1..=attempts {
        tick(
            &mut on_tick,
            attempt,
            ConsentState::Checking,
            None,
            format!("Checking consent ({attempt} of {attempts})…"),
            &consent_url,
        );
        let report = tokio::select! {
            biased;
            _ = cancel.cancelled() => return cancelled(made, last, &mut on_tick, &consent_url),
            r = health::run(input) => r,
        };
        made = attempt;
        if report.consent_url.is_some() {
            consent_url = report.consent_url.clone();
        }
        let token = token_step(&report).cloned();
        match token {
            Some(t) if t.status == StepStatus::Passed => {
                tick(
                    &mut on_tick,
                    attempt,
                    ConsentState::Granted,
                    None,
                    "Consent granted: DocuSign issued a token.".into(),
                    &consent_url,
                );
                return ConsentOutcome {
                    state: ConsentState::Granted,
                    attempts_made: made,
                    step: Some(t),
                    report: Some(report),
                };
            }
            Some(t) if t.code == "consent_required" => {
                if attempt == attempts {
                    tick(
                        &mut on_tick,
                        attempt,
                        ConsentState::StillRequired,
                        None,
                        format!("Still no consent after {attempts} checks: {}", t.message),
                        &consent_url,
                    );
                    return ConsentOutcome {
                        state: ConsentState::StillRequired,
                        attempts_made: made,
                        step: Some(t),
                        report: Some(report),
                    };
                }
                last = Some(report);
                // Count down to the next check, one tick a second.
                let deadline = tokio::time::Instant::now() + every;
                loop {
                    let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    let secs = u32::try_from(left.as_millis().div_ceil(1000)).unwrap_or(u32::MAX);
                    tick(
                        &mut on_tick,
                        attempt,
                        ConsentState::Waiting,
                        Some(secs),
                        format!("Waiting for consent… next check in {secs} s"),
                        &consent_url,
                    );
                    // Sleep to the next whole second of the countdown.
                    let frac = Duration::from_nanos(u64::from(left.subsec_nanos()));
                    let nap = if frac.is_zero() {
                        left.min(Duration::from_secs(1))
                    } else {
                        frac
                    };
                    tokio::select! {
                        biased;
                        _ = cancel.cancelled() => return cancelled(made, last, &mut on_tick, &consent_url),
                        _ = tokio::time::sleep(nap) => {}
                    }
                }
            }
            _ => {
                let step = report.first_failure().cloned();
                let why = step
                    .as_ref()
                    .map(|s| s.message.clone())
                    .unwrap_or_else(|| "the check failed".into());
                tick(
                    &mut on_tick,
                    attempt,
                    ConsentState::Failed,
                    None,
                    format!("Waiting will not help: {why}"),
                    &consent_url,
                );
                return ConsentOutcome {
                    state: ConsentState::Failed,
                    attempts_made: made,
                    step,
                    report: Some(report),
                };
            }
        }
    }
    // Unreachable in practice (the loop returns on its last attempt); kept total.
    ConsentOutcome {
        state: ConsentState::StillRequired,
        attempts_made: made,
        step: last.as_ref().and_then(token_step).cloned(),
        report: last,
    }
}
