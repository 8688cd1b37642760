//! `dsjwt watch envelope-status|recipient-completed`: one JSON line per event, polled by the
//! workspace's polling loop (the same as the app's trigger monitors).

use crate::actions::setup_failed;
use crate::{ConnectionArgs, Usage};
use clap::{Args, ValueEnum};
use std::process::ExitCode;
use studio_core::api::AuthServerKind;
use studio_core::triggers::TriggerKind;
use studio_core::workspace::{
    nothing_new_words, PollEnd, PollUpdate, WatchError, WatchSpec, WatchUpdate, Workspace,
};

#[derive(Clone, Copy, ValueEnum)]
enum WatchKind {
    /// on_envelope_status_change
    EnvelopeStatus,
    /// on_recipient_completed
    RecipientCompleted,
}

/// `dsjwt watch`
#[derive(Args)]
pub struct WatchArgs {
    /// Which trigger.
    #[arg(value_enum)]
    kind: WatchKind,
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Only envelopes sent from this template.
    #[arg(long)]
    template_id: Option<String>,
    /// Seconds between polls (at least 900 against DocuSign; shorter only in the sandbox).
    #[arg(long, default_value_t = 900)]
    interval: u64,
    /// Poll once and exit.
    #[arg(long)]
    once: bool,
    /// Forget this trigger's cursor and seen events first.
    #[arg(long)]
    reset: bool,
}

/// Runs the trigger until Ctrl-C / SIGTERM (or one poll with `--once`). Exit 0; 1 when the
/// `--once` poll failed or the template filter could not be checked; 2 on bad usage.
pub async fn run_watch(a: WatchArgs) -> Result<ExitCode, Usage> {
    let trigger = match a.kind {
        WatchKind::EnvelopeStatus => TriggerKind::OnEnvelopeStatusChange,
        WatchKind::RecipientCompleted => TriggerKind::OnRecipientCompleted,
    };
    a.connection.require_any()?;
    let (_, auth) = a.connection.ik_and_auth()?;
    let interval = Workspace::watch_interval(auth.kind(), a.interval)
        .map_err(|e| Usage(format!("--interval {}: {e}", a.interval)))?;
    let input = a.connection.to_input(None)?;
    let workspace = a.connection.workspace()?;
    let given = a.connection.given(input)?;
    let spec = WatchSpec {
        trigger,
        template_id: a.template_id.clone(),
        interval,
        once: a.once,
        reset: a.reset,
    };
    let once = a.once;
    let watched = workspace
        .watch(&given, spec, |u| present(u, once), crate::wait_for_stop())
        .await;
    match watched {
        Ok(PollEnd::Once { ok: false }) => Ok(ExitCode::from(1)),
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(WatchError::Setup(p) | WatchError::TemplateNotInAccount(p)) => Ok(setup_failed(p)),
        Err(WatchError::Reset(e)) => Err(Usage(e.to_string())),
        Err(e @ WatchError::Template { .. }) => {
            eprintln!("dsjwt: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => {
            eprintln!("dsjwt: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// Events on stdout (one JSON line each, flushed), everything else on stderr: with `once`, a
/// poll that found nothing new says so there ("No new events since …"), so stdout stays
/// JSON lines (none).
fn present(update: WatchUpdate<'_>, once: bool) {
    match update {
        WatchUpdate::Armed {
            interval,
            calls_per_hour,
            environment,
        } => {
            if environment != AuthServerKind::Custom {
                eprintln!(
                    "dsjwt: polling every {} s: about {calls_per_hour:.0} calls per hour",
                    interval.as_secs()
                );
            }
        }
        WatchUpdate::Poll(PollUpdate::Event(ev)) => outln!("{}", ev.payload),
        WatchUpdate::Poll(PollUpdate::Polled {
            outcome,
            delivered,
            delivery_problem,
            ..
        }) => {
            if let Some(n) = &outcome.notice {
                eprintln!("dsjwt: warning: {n}");
            }
            if once && delivered == 0 && delivery_problem.is_none() {
                eprintln!("dsjwt: {}", nothing_new_words(outcome));
            }
            if let Some(e) = delivery_problem {
                eprintln!("dsjwt: warning: {e} (the events not printed come next time)");
            }
            use std::io::Write;
            let _ = std::io::stdout().flush();
        }
        WatchUpdate::Poll(PollUpdate::Failed {
            problem, details, ..
        }) => {
            // Plain words, the fix, and the technical text last (as `check` prints a step).
            eprintln!("dsjwt: {}", problem.message);
            if let Some(fix) = problem.fix() {
                eprintln!("dsjwt: fix: {fix}");
            }
            if let Some(d) = details {
                eprintln!("dsjwt: details: {d}");
            }
        }
    }
}
