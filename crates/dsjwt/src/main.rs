//! `dsjwt`: the headless CLI of DocuSign JWT Studio.
//!
//! Exit codes: 0 success / healthy, 1 a check failed or DocuSign refused,
//! 2 bad usage or input caught before any call (a missing flag, an unreadable file, a key
//! that is not a private key).

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Prints a line on stdout. When the reader has gone (`dsjwt … | head`), the
/// process ends quietly with exit 0 instead of panicking; a trigger's events
/// not yet printed stay undelivered and come again next time.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if let Err(e) = writeln!(out, $($t)*).and_then(|_| out.flush()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

/// [`outln!`] without the newline.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if let Err(e) = write!(out, $($t)*).and_then(|_| out.flush()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod actions;
mod args;
mod check;
mod connection;
mod consent;
mod emulator;
mod public_key;
mod signals;
mod support_bundle;
mod watch;

pub(crate) use args::{open_saved, parse_auth_server, ConnectionArgs, Usage};
use signals::until_stopped;
pub(crate) use signals::wait_for_stop;

#[derive(Parser)]
#[command(
    name = "dsjwt",
    version,
    about = "DocuSign JWT Grant: check a connection, build the consent URL, run the local sandbox."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the local DocuSign emulator (the sandbox) until Ctrl-C / SIGTERM.
    Emulator(emulator::EmulatorArgs),
    /// Health check: JWT → token → userinfo → account → base URI.
    Check(check::CheckArgs),
    /// Print the consent URL for an integration key (and open it with --open).
    ConsentUrl(consent::ConsentArgs),
    /// Print the public key (PEM) and fingerprint of a private key file.
    PublicKey(public_key::PublicKeyArgs),
    /// Run one of the nine eSignature actions; prints one JSON object.
    Action(actions::ActionArgs),
    /// The Go-Live streak (20 successful eSignature calls in a row) from the ledger.
    Golive(actions::GoliveArgs),
    /// Poll a trigger; prints one JSON line per event.
    Watch(watch::WatchArgs),
    /// Saved connections: settings in the config folder, the private key in the OS keyring.
    #[command(subcommand)]
    Connection(connection::ConnectionCmd),
    /// Save a support bundle: a zip of versions, settings, the latest health report, Go-Live,
    /// the ledger and logs, with no key, token or assertion in it.
    SupportBundle(support_bundle::SupportBundleArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DSJWT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dsjwt: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Emulator(a) => emulator::run_emulator(a).await,
            Command::Check(a) => until_stopped(check::run_check(a)).await,
            Command::ConsentUrl(a) => consent::run_consent_url(a),
            Command::PublicKey(a) => public_key::run_public_key(a),
            Command::Action(a) => until_stopped(actions::run_action(a)).await,
            Command::Golive(a) => until_stopped(actions::run_golive(a)).await,
            Command::Watch(a) => watch::run_watch(a).await,
            Command::Connection(c) => until_stopped(connection::run_connection(c)).await,
            Command::SupportBundle(a) => until_stopped(support_bundle::run_support_bundle(a)).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(Usage(msg)) => {
            eprintln!("dsjwt: {msg}");
            ExitCode::from(2)
        }
    }
}
