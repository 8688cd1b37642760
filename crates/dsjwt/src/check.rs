//! `dsjwt check`: the health check, as text or one JSON object.

use crate::{ConnectionArgs, Usage};
use clap::Args;
use std::process::ExitCode;
use studio_core::health::{HealthReport, Step, StepStatus};
use studio_core::problem::Hint;
use studio_core::workspace::Workspace;

#[derive(Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Redirect URI registered on the integration key: lets a consent_required fix show the exact consent URL.
    #[arg(long, env = "DSJWT_REDIRECT_URI")]
    redirect_uri: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) async fn run_check(a: CheckArgs) -> Result<ExitCode, Usage> {
    let input = a.connection.to_input(a.redirect_uri)?;
    let report = match a.connection.workspace() {
        Ok(ws) => {
            // The latest report of a saved connection is kept for its support bundle.
            let checked = ws.check_given(input, a.connection.connection_name()?).await;
            if let Some(e) = &checked.not_kept {
                eprintln!("dsjwt: warning: the report is not kept for the support bundle: {e}");
            }
            checked.report
        }
        Err(Usage(e)) => {
            eprintln!("dsjwt: warning: calls will not be recorded in the Go-Live ledger: {e}");
            Workspace::check_unrecorded(input).await
        }
    };
    let report = report.with_hint_words(cli_words);
    if a.json {
        outln!(
            "{}",
            serde_json::to_string(&report)
                .unwrap_or_else(|e| format!("{{\"ok\":false,\"error\":\"{e}\"}}"))
        );
    } else {
        print_report(&report);
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `fix` followed by the CLI's own words for `hint` (a fix that says what to give; the CLI says
/// how: its flag or command).
pub(crate) fn fix_with_cli_words(fix: &str, hint: Hint) -> String {
    match (fix.trim(), cli_words(hint)) {
        (_, "") => fix.to_string(),
        ("", words) => words.to_string(),
        (fix, words) => format!("{fix} {words}"),
    }
}

/// The CLI's own words for a move the core's fix names only by its hint.
fn cli_words(hint: Hint) -> &'static str {
    match hint {
        Hint::ShowPublicKey => "`dsjwt public-key --private-key FILE` prints the public key.",
        Hint::GiveSandboxCertificate => {
            "Pass that file with --ca-cert FILE (`dsjwt emulator` prints where it is)."
        }
        Hint::StartSandbox => {
            "`dsjwt emulator` starts it; or point the connection at the one running."
        }
        Hint::GivePrivateKey => "Pass the private key file with --private-key FILE.",
        Hint::RemoveKeyPassword => "With OpenSSL: `openssl pkey -in key.pem -out key-unencrypted.pem` (it asks for the password once), then pass key-unencrypted.pem with --private-key FILE.",
        Hint::MakeRsaKeyPair => "With OpenSSL: `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem` makes one; `dsjwt public-key --private-key key.pem` prints its public key to upload.",
        Hint::ConvertSshKey => "With ssh-keygen: `ssh-keygen -p -m PEM -f copy-of-key` converts a copy of the key file in place (keep the passphrase empty), then pass that copy with --private-key FILE.",
        Hint::ExtractPkcs12Key => "With OpenSSL: `openssl pkcs12 -in bundle.pfx -nocerts -nodes -out key.pem` takes it out (it asks for the bundle's password), then pass key.pem with --private-key FILE.",
        Hint::MakeConsentUrl => "`dsjwt consent-url` prints the consent URL (with this connection's --integration-key and a --redirect-uri registered on it); `dsjwt check --redirect-uri URI` shows it here.",
        _ => "",
    }
}

fn mark(s: &Step) -> &'static str {
    match s.status {
        StepStatus::Passed => "✓",
        StepStatus::Failed => "✗",
        StepStatus::Skipped => "·",
    }
}

fn text(s: &Step) -> String {
    match s.status {
        StepStatus::Passed => s.message.clone(),
        StepStatus::Failed => format!(
            "[{}{}] {}",
            s.code,
            s.detail
                .as_deref()
                .filter(|d| *d != s.code)
                .map(|d| format!(" / {d}"))
                .unwrap_or_default(),
            s.message
        ),
        StepStatus::Skipped => "not run".to_string(),
    }
}

/// A step's notes, DocuSign's words, details and fix, each on its own line after `indent`.
fn print_step_lines(s: &Step, indent: &str) {
    for n in &s.notes {
        outln!("{indent}note: {n}");
    }
    if let Some(d) = &s.docusign_error {
        outln!(
            "{indent}DocuSign said: HTTP {} {}{}",
            d.status,
            d.error,
            d.error_description
                .as_deref()
                .map(|x| format!(" / {x}"))
                .unwrap_or_default()
        );
    }
    if let Some(d) = &s.details {
        outln!("{indent}details: {d}");
    }
    if let Some(f) = s.fix() {
        outln!("{indent}fix: {f}");
    }
}

fn print_report(report: &HealthReport) {
    let env = report
        .environment_label
        .as_deref()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    outln!("DocuSign JWT health check{env}");
    for s in &report.steps {
        outln!("  {} {:<16} {}", mark(s), s.step.title(), text(s));
        print_step_lines(s, "      ");
        if let Some(b) = &s.with_docusign_time {
            outln!("      with DocuSign's time: {} {}", mark(b), text(b));
            print_step_lines(b, "        ");
        }
    }
    if report.ok {
        outln!("Healthy: this JWT connection works.");
    } else if let Some(w) = report.clock_warning() {
        outln!("Works, with a warning. {w}");
        outln!("Set the clock right as the ✗ above says, then run the check again.");
    } else {
        outln!("Not healthy: fix the first ✗ above and run the check again.");
    }
}
