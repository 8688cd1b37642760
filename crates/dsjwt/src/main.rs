//! `dsjwt`: the headless CLI of DocuSign JWT Studio.
//!
//! Exit codes: 0 success / healthy, 1 a check failed or DocuSign refused,
//! 2 bad usage (a missing flag, an unreadable file).

use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use studio_core::api::{self, files};
use studio_core::connections::{ConnEnvironment, Connection, ConnectionStore};
use studio_core::health::{self, CheckInput, HealthReport, StepStatus};
use studio_core::ledger::Ledger;
use studio_core::messages::Surface;
use studio_core::sandbox::{Emulator, EmulatorConfig};
use studio_core::store::{self, Store, StoreError};
use studio_core::workspace::{GivenConnection, Workspace};

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
mod watch;

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
    Emulator(EmulatorArgs),
    /// Health check: JWT → token → userinfo → account → base URI.
    Check(CheckArgs),
    /// Print the consent URL for an integration key (and open it with --open).
    ConsentUrl(ConsentArgs),
    /// Print the public key (PEM) and fingerprint of a private key file.
    PublicKey(PublicKeyArgs),
    /// Run one of the nine eSignature actions; prints one JSON object.
    Action(actions::ActionArgs),
    /// The Go-Live streak (20 successful eSignature calls in a row) from the ledger.
    Golive(actions::GoliveArgs),
    /// Poll a trigger; prints one JSON line per event.
    Watch(watch::WatchArgs),
    /// Saved connections: settings in the config folder, the private key in the OS keyring.
    #[command(subcommand)]
    Connection(ConnectionCmd),
    /// Save a support bundle: a zip of versions, settings, the latest health report, Go-Live,
    /// the ledger and logs, with no key, token or assertion in it.
    SupportBundle(SupportBundleArgs),
}

#[derive(Args)]
struct SupportBundleArgs {
    /// The saved connection it is about (default: the only saved connection).
    #[arg(long, env = "DSJWT_CONNECTION")]
    connection: Option<String>,
    /// The zip to write (replaced if it exists).
    #[arg(long)]
    out: PathBuf,
    /// Folder of the Go-Live ledger and the app's logs (default: the Studio's data folder).
    #[arg(long, env = "DSJWT_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print one JSON object ({"path","bytes","entries","redactions","notes"}).
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
enum ConnectionCmd {
    /// Save a connection (the key goes to the OS keyring, never to the config file).
    Add {
        /// Its name, e.g. "Acme demo".
        name: String,
        #[command(flatten)]
        connection: ConnectionArgs,
        /// demo, production or sandbox (default: from the auth server).
        #[arg(long)]
        environment: Option<String>,
        /// Redirect URI registered on the integration key (for the consent URL).
        #[arg(long, env = "DSJWT_REDIRECT_URI")]
        redirect_uri: Option<String>,
        /// Replace a saved connection of that name.
        #[arg(long)]
        replace: bool,
        /// Read the values from a file: a .env file, notes ("Integration Key: …"), or the JSON of
        /// `connection export` (the key inline with real or \n newlines, or DOCUSIGN_PRIVATE_KEY_FILE).
        /// Flags given too override its values.
        #[arg(long, value_name = "FILE")]
        from_env: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a healthy connection's values for the platform that will run it (runs the health
    /// check first; nothing is printed when it fails). No key material unless --include-key.
    Export {
        /// Its name.
        name: String,
        /// stackai (Stack AI's DocuSign (JWT) form), env (a .env block) or json.
        #[arg(long, default_value = "stackai", value_parser = ["stackai", "env", "json"])]
        format: String,
        /// Also print the private key from the OS keyring (a warning goes to stderr).
        #[arg(long)]
        include_key: bool,
    },
    /// List saved connections (no secrets).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one saved connection (no secrets).
    Show {
        /// Its name.
        name: String,
    },
    /// Remove a saved connection and its key from the keyring.
    Remove {
        /// Its name.
        name: String,
    },
}

#[derive(Args)]
struct EmulatorArgs {
    /// World file (JSON, see docs/emulator.md). Without it: a fresh default world.
    #[arg(long)]
    world: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port). Anything but a loopback address needs --allow-remote.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: std::net::SocketAddr,
    /// Allow a --listen address other machines can reach (e.g. 0.0.0.0). The emulator's admin API has no authentication.
    #[arg(long)]
    allow_remote: bool,
    /// Folder the default world lives in (world.json, ca.pem, private_key.pem): started again on the same folder, the emulator comes back with the same IDs, key, CA, consents, envelopes and port (default: a temporary folder removed on exit).
    #[arg(long, env = "DSJWT_EMULATOR_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Default world only: consent already granted, so `dsjwt check` passes without a browser.
    #[arg(long)]
    grant_consent: bool,
    /// Default world only: start a new world in --data-dir, replacing the one saved there.
    #[arg(long)]
    fresh: bool,
}

#[derive(Args, Clone, Default)]
pub(crate) struct ConnectionArgs {
    /// Integration key (GUID) from Apps and Keys.
    #[arg(long, env = "DSJWT_INTEGRATION_KEY", global = true)]
    integration_key: Option<String>,
    /// User ID (API Username GUID) of the impersonated user.
    #[arg(long, env = "DSJWT_USER_ID", global = true)]
    user_id: Option<String>,
    /// RSA private key file (PEM, PKCS#1 or PKCS#8).
    #[arg(
        long,
        env = "DSJWT_PRIVATE_KEY_FILE",
        global = true,
        allow_hyphen_values = true,
        hide_env_values = true
    )]
    private_key: Option<PathBuf>,
    /// API Account ID (GUID).
    #[arg(long, env = "DSJWT_ACCOUNT_ID", global = true)]
    account_id: Option<String>,
    /// Account base URI, e.g. https://demo.docusign.net (with or without /restapi).
    #[arg(long, env = "DSJWT_BASE_URI", global = true)]
    base_uri: Option<String>,
    /// demo, production, or the https:// URL of a custom auth server (the sandbox). Default: demo.
    #[arg(long, env = "DSJWT_AUTH_SERVER", global = true)]
    auth_server: Option<String>,
    /// Extra CA certificate (PEM) to trust, for the sandbox.
    #[arg(long, env = "DSJWT_CA_CERT", global = true)]
    ca_cert: Option<PathBuf>,
    /// Folder of the Go-Live ledger and trigger state (default: the Studio's data folder).
    #[arg(long, env = "DSJWT_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// A saved connection (`dsjwt connection list`); its key comes from the OS keyring. Flags given too override its fields.
    #[arg(long, env = "DSJWT_CONNECTION", global = true)]
    connection: Option<String>,
    /// Do not keep the access token in the OS keyring between runs: every run asks DocuSign
    /// for a new one. (By default `action`, `golive --warm-up` and `watch` reuse it until 10
    /// minutes before it expires; `check` always asks for a new one.)
    #[arg(long, global = true)]
    pub(crate) no_token_cache: bool,
    /// Seconds each call waits for DocuSign to start answering (the first-byte timeout, 1 to
    /// 600; default 30). Connecting always has 10 s.
    #[arg(long, env = "DSJWT_TIMEOUT", global = true, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: Option<u64>,
}

impl ConnectionArgs {
    /// The saved connection named by `--connection`, if any.
    pub(crate) fn saved(&self) -> Result<Option<Connection>, Usage> {
        let Some(name) = self.connection.as_deref() else {
            return Ok(None);
        };
        let store = open_store()?;
        store
            .get(name)
            .map(Some)
            .map_err(|e| Usage(format!("--connection: {e}. {}", e.fix())))
    }

    /// The integration key and auth server, from the flags or the saved connection.
    pub(crate) fn ik_and_auth(&self) -> Result<(Option<String>, String), Usage> {
        let saved = self.saved()?;
        let ik = self
            .integration_key
            .clone()
            .or_else(|| saved.as_ref().map(|c| c.integration_key.clone()));
        let auth = self
            .auth_server
            .clone()
            .or_else(|| saved.as_ref().map(|c| c.auth_server.clone()))
            .unwrap_or_else(|| "demo".into());
        Ok((ik, auth))
    }

    /// The connection as the health check and the client take it: the saved
    /// connection (`--connection`, key from the keyring) overridden by any
    /// flag given; every missing value is named (exit 2).
    pub(crate) fn to_input(&self, redirect_uri: Option<String>) -> Result<CheckInput, Usage> {
        let mut input = match self.connection.as_deref() {
            Some(name) => {
                let store = open_store()?;
                store
                    .check_input(name)
                    .map_err(|e| Usage(format!("--connection {name}: {e}. {}", e.fix())))?
            }
            None => CheckInput {
                auth_server: "demo".into(),
                ..Default::default()
            },
        };
        let set = |slot: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *slot = v.clone();
            }
        };
        set(&mut input.integration_key, &self.integration_key);
        set(&mut input.user_id, &self.user_id);
        set(&mut input.account_id, &self.account_id);
        set(&mut input.base_uri, &self.base_uri);
        set(&mut input.auth_server, &self.auth_server);
        if let Some(p) = &self.private_key {
            input.private_key = api::PrivateKeyBytes::new(read_file("private key", p)?);
        }
        if let Some(p) = &self.ca_cert {
            input.ca_cert_pem = Some(read_file("CA certificate", p)?);
        }
        if redirect_uri.is_some() {
            input.redirect_uri = redirect_uri;
        }
        if let Some(t) = self.timeout {
            input.timeout = Some(std::time::Duration::from_secs(t));
        }
        let mut missing = Vec::new();
        for (v, flag) in [
            (
                &input.integration_key,
                "--integration-key (DSJWT_INTEGRATION_KEY)",
            ),
            (&input.user_id, "--user-id (DSJWT_USER_ID)"),
            (&input.account_id, "--account-id (DSJWT_ACCOUNT_ID)"),
            (&input.base_uri, "--base-uri (DSJWT_BASE_URI)"),
        ] {
            if v.trim().is_empty() {
                missing.push(flag);
            }
        }
        if input.private_key.is_empty() && self.private_key.is_none() {
            missing.push("--private-key (DSJWT_PRIVATE_KEY_FILE)");
        }
        if !missing.is_empty() {
            return Err(Usage(format!(
                "missing: {} (or --connection NAME of a saved connection)",
                missing.join(", ")
            )));
        }
        Ok(input)
    }

    /// The workspace over the saved connections and the state file of `--data-dir` (the
    /// Go-Live ledger, trigger state, kept answers).
    pub(crate) fn workspace(&self) -> Result<Workspace, Usage> {
        let dir = self.data_dir();
        let state = self.ledger_store()?;
        Ok(Workspace::over(open_store()?, state, &dir).with_surface(Surface::Cli))
    }

    /// The connection the flags give (over `--connection NAME`), for actions and polling: the
    /// access token kept in the OS keyring unless `--no-token-cache`, waits said on stderr.
    pub(crate) fn given(&self, input: CheckInput) -> Result<GivenConnection, Usage> {
        let ca_cert_file = match &self.ca_cert {
            Some(p) => Some(p.clone()),
            None => self.saved()?.and_then(|c| c.ca_cert),
        };
        Ok(GivenConnection {
            input,
            ca_cert_file,
            keep_token: !self.no_token_cache,
            on_keyring_problem: Some(Arc::new(|why| {
                eprintln!("dsjwt: warning: {why}; this run asks DocuSign for its own token (add --no-token-cache to stop trying the keyring)")
            })),
            on_wait: Some(Arc::new(|w| eprintln!("dsjwt: {w}"))),
        })
    }

    fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(store::default_data_dir)
    }

    pub(crate) fn ledger_store(&self) -> Result<Store, Usage> {
        let dir = self.data_dir();
        Store::open(&dir).map_err(|e| match e {
            // A full disk or a busy file is not fixed by another folder: say what is.
            StoreError::DiskFull { .. } | StoreError::Busy { .. } => Usage(format!("{e}.")),
            StoreError::NewerSchema { .. } => Usage(format!("{e} (--data-dir DIR).")),
            _ => Usage(format!("{e}. Use --data-dir to choose another folder.")),
        })
    }
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Redirect URI registered on the integration key: lets a consent_required fix show the exact consent URL.
    #[arg(long, env = "DSJWT_REDIRECT_URI")]
    redirect_uri: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ConsentArgs {
    /// Integration key (GUID).
    #[arg(long, env = "DSJWT_INTEGRATION_KEY")]
    integration_key: String,
    /// Redirect URI exactly as registered on the integration key.
    #[arg(long, env = "DSJWT_REDIRECT_URI")]
    redirect_uri: String,
    /// demo, production, or the https:// URL of a custom auth server.
    #[arg(long, env = "DSJWT_AUTH_SERVER", default_value = "demo")]
    auth_server: String,
    /// Optional OAuth state value.
    #[arg(long)]
    state: Option<String>,
    /// Open the URL in the default browser.
    #[arg(long)]
    open: bool,
}

#[derive(Args)]
struct PublicKeyArgs {
    /// RSA private key file.
    #[arg(
        long,
        env = "DSJWT_PRIVATE_KEY_FILE",
        allow_hyphen_values = true,
        hide_env_values = true
    )]
    private_key: PathBuf,
    /// Print JSON ({"public_key_pem","fingerprint","bits","format"}).
    #[arg(long)]
    json: bool,
}

fn open_store() -> Result<ConnectionStore, Usage> {
    ConnectionStore::open(ConnectionStore::default_config_dir())
        .map_err(|e| Usage(format!("{e}. {}", e.fix())))
}

/// A usage problem: printed to stderr, exit code 2.
pub(crate) struct Usage(pub(crate) String);

/// Reads a file named on the command line. A value that is the file's
/// *contents* (a key or certificate pasted where its path belongs, e.g.
/// `DSJWT_PRIVATE_KEY_FILE="$(cat key.pem)"`) is refused without echoing it.
pub(crate) fn read_file(what: &str, path: &Path) -> Result<Vec<u8>, Usage> {
    let text = path.to_string_lossy();
    if text.contains("-----BEGIN") || text.contains('\n') || text.len() > 1024 {
        return Err(Usage(format!(
            "the {what} option holds the {what} itself, not the path of a file. Save it to a file (for example {}) and pass that path.",
            if what == "private key" { "private.key, readable only by you" } else { "ca.pem" }
        )));
    }
    if path.is_dir() {
        return Err(Usage(format!(
            "the {what} path {} is a folder; pass the file inside it",
            path.display()
        )));
    }
    // Regular files only, size-capped: /dev/zero or a FIFO is refused, not read forever.
    let max = match what {
        "private key" => files::MAX_KEY_FILE_BYTES,
        "CA certificate" => files::MAX_CA_FILE_BYTES,
        _ => files::MAX_SMALL_FILE_BYTES,
    };
    files::read_capped(path, what, max).map_err(|e| Usage(format!("{e}. {}", e.fix())))
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
            Command::Emulator(a) => run_emulator(a).await,
            Command::Check(a) => until_stopped(run_check(a)).await,
            Command::ConsentUrl(a) => run_consent_url(a),
            Command::PublicKey(a) => run_public_key(a),
            Command::Action(a) => until_stopped(actions::run_action(a)).await,
            Command::Golive(a) => until_stopped(actions::run_golive(a)).await,
            Command::Watch(a) => watch::run_watch(a).await,
            Command::Connection(c) => until_stopped(run_connection(c)).await,
            Command::SupportBundle(a) => until_stopped(run_support_bundle(a)).await,
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

async fn run_emulator(a: EmulatorArgs) -> Result<ExitCode, Usage> {
    let remote = studio_core::sandbox::listens_remotely(a.listen);
    if remote && !a.allow_remote {
        return Err(Usage(format!(
            "--listen {} is not a loopback address: other machines could reach the emulator, and its admin API has no authentication. Listen on 127.0.0.1 (the default), or add --allow-remote if you mean it",
            a.listen
        )));
    }
    if remote {
        eprintln!(
            "dsjwt: warning: listening on {}, reachable from other machines; {}",
            a.listen,
            studio_core::sandbox::REMOTE_LISTEN_WARNING
        );
    }
    let (data_dir, _temp) = match a.data_dir {
        Some(d) => {
            std::fs::create_dir_all(&d).map_err(|e| {
                Usage(format!(
                    "cannot create the data folder {}: {e}",
                    d.display()
                ))
            })?;
            (d, None)
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("dsjwt-emulator-")
                .tempdir()
                .map_err(|e| Usage(format!("cannot create a temporary folder: {e}")))?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    if a.world.is_some() && a.grant_consent {
        return Err(Usage("--grant-consent applies to the default world only; put consents in the world file instead".into()));
    }
    if a.world.is_some() && a.fresh {
        return Err(Usage(
            "--fresh applies to the default world only; a world file always starts as written"
                .into(),
        ));
    }
    let mut config = EmulatorConfig::new(data_dir);
    config.world = a.world;
    config.listen = a.listen;
    config.grant_consent = a.grant_consent;
    config.fresh = a.fresh;
    config.allow_remote = a.allow_remote;
    let emulator = Emulator::start(config)
        .await
        .map_err(|e| Usage(format!("the emulator could not start: {e}")))?;
    outln!("{}", emulator.ready_line());
    use std::io::Write;
    let _ = std::io::stdout().flush();
    wait_for_stop().await;
    emulator.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// Runs `command` until it ends, or until the process is asked to stop (Ctrl-C / SIGINT, or
/// SIGTERM): then the command is dropped where it is, which removes what it was writing (a
/// download's `.part` file, a bundle's temporary file), says so on stderr, and ends with the
/// conventional exit code 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
async fn until_stopped(
    command: impl std::future::Future<Output = Result<ExitCode, Usage>>,
) -> Result<ExitCode, Usage> {
    tokio::select! {
        result = command => result,
        (name, code) = stop_signal() => {
            eprintln!("dsjwt: stopped by {name} before the command finished; nothing half-written was left behind");
            Ok(ExitCode::from(code))
        }
    }
}

/// Waits for Ctrl-C (SIGINT) or SIGTERM; returns the signal's name and the exit code for it.
async fn stop_signal() -> (&'static str, u8) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            tokio::select! {
                _ = int.recv() => return ("Ctrl-C (SIGINT)", 130),
                _ = term.recv() => return ("SIGTERM", 143),
            }
        }
    }
    match tokio::signal::ctrl_c().await {
        Ok(()) => ("Ctrl-C", 130),
        // No handler could be installed: never resolves (the command runs to its end).
        Err(_) => std::future::pending().await,
    }
}

pub(crate) async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn run_support_bundle(a: SupportBundleArgs) -> Result<ExitCode, Usage> {
    use studio_core::support::{self, BundleSource};
    let store = open_store()?;
    let data_dir = a.data_dir.clone().unwrap_or_else(store::default_data_dir);
    let state = Store::open(&data_dir)
        .map_err(|e| Usage(format!("{e}. Use --data-dir to choose another folder.")))?;
    if a.out.is_dir() {
        return Err(Usage(format!(
            "--out {} is a folder; give the zip's file name, e.g. {}",
            a.out.display(),
            a.out.join("support.zip").display()
        )));
    }
    let source = BundleSource {
        app_name: "dsjwt".into(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        connection: a.connection.clone(),
        // The desktop app's log, in the same data folder (the CLI logs to stderr only).
        log_dir: Some(data_dir.join("logs")),
    };
    let summary = match support::write_bundle(&store, &state, &source, &a.out).await {
        Ok(s) => s,
        Err(p) if p.code == "bundle_write_failed" => {
            eprintln!("dsjwt: {} {}", p.message, p.fix);
            return Ok(ExitCode::from(1));
        }
        Err(p) => return Err(Usage(format!("{} {}", p.message, p.fix))),
    };
    if a.json {
        outln!(
            "{}",
            serde_json::to_string(&summary).unwrap_or_else(|_| "{}".into())
        );
    } else {
        outln!(
            "Saved the support bundle to {} ({} bytes).",
            summary.path,
            summary.bytes
        );
        outln!("Inside: {}.", summary.entries.join(", "));
        outln!("Never inside: the private key, access tokens, assertions, Authorization values, request or response bodies.");
        for n in &summary.notes {
            outln!("Note: {n}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_check(a: CheckArgs) -> Result<ExitCode, Usage> {
    let input = a.connection.to_input(a.redirect_uri)?;
    let report = match a.connection.workspace() {
        Ok(ws) => {
            // The latest report of a saved connection is kept for its support bundle.
            let checked = ws
                .check_given(input, a.connection.connection.as_deref())
                .await;
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

fn print_report(report: &HealthReport) {
    let env = match report.environment {
        Some(api::EnvironmentKind::Custom) => " (sandbox)".to_string(),
        Some(e) => format!(" ({e})"),
        None => String::new(),
    };
    outln!("DocuSign JWT health check{env}");
    for s in &report.steps {
        let (mark, text) = match s.status {
            StepStatus::Passed => ("✓", s.message.clone()),
            StepStatus::Failed => (
                "✗",
                format!(
                    "[{}{}] {}",
                    s.code,
                    s.detail
                        .as_deref()
                        .filter(|d| *d != s.code)
                        .map(|d| format!(" / {d}"))
                        .unwrap_or_default(),
                    s.message
                ),
            ),
            StepStatus::Skipped => ("·", "not run".to_string()),
        };
        outln!("  {mark} {:<16} {text}", s.step.title());
        for n in &s.notes {
            outln!("      note: {n}");
        }
        if let Some(d) = &s.docusign_error {
            outln!(
                "      DocuSign said: HTTP {} {}{}",
                d.status,
                d.error,
                d.error_description
                    .as_deref()
                    .map(|x| format!(" / {x}"))
                    .unwrap_or_default()
            );
        }
        if let Some(d) = &s.details {
            outln!("      details: {d}");
        }
        if let Some(f) = &s.fix {
            outln!("      fix: {f}");
        }
    }
    if report.ok {
        outln!("Healthy: this JWT connection works.");
    } else {
        outln!("Not healthy: fix the first ✗ above and run the check again.");
    }
}

fn run_consent_url(a: ConsentArgs) -> Result<ExitCode, Usage> {
    let auth = api::AuthServer::parse(&a.auth_server)
        .map_err(|e| Usage(format!("--auth-server: {e}. {}", e.fix())))?;
    let ik = api::check_guid("integration key", &a.integration_key)
        .map_err(|e| Usage(format!("--integration-key: {e}. {}", e.fix())))?;
    let redirect = api::check_redirect_uri(&a.redirect_uri)
        .map_err(|e| Usage(format!("--redirect-uri: {e}. {}", e.fix())))?;
    let url = api::consent_url(&auth, &ik, &redirect, a.state.as_deref());
    outln!("{url}");
    if a.open && open::that_detached(&url).is_err() {
        eprintln!("dsjwt: no web browser could be opened here; copy the URL above into one.");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn run_public_key(a: PublicKeyArgs) -> Result<ExitCode, Usage> {
    let bytes = read_file("private key", &a.private_key)?;
    match api::load_private_key_bytes(&bytes) {
        Ok(loaded) => {
            let pem = loaded.key.public_key_pem();
            if a.json {
                let v = serde_json::json!({
                    "public_key_pem": pem,
                    "fingerprint": loaded.info.fingerprint,
                    "bits": loaded.info.bits,
                    "format": loaded.info.format,
                    "notes": loaded.info.notes,
                });
                outln!("{v}");
            } else {
                out!("{pem}");
                if !pem.ends_with('\n') {
                    outln!();
                }
                outln!("Fingerprint: {}", loaded.info.fingerprint);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if a.json {
                outln!(
                    "{}",
                    serde_json::json!({"ok": false, "code": "key_load_failed", "detail": e.detail(), "message": format!("Failed to load RSA private key: {e}"), "fix": e.fix()})
                );
            } else {
                eprintln!(
                    "dsjwt: Failed to load RSA private key: {e}\n  fix: {}",
                    e.fix()
                );
            }
            Ok(ExitCode::from(1))
        }
    }
}

async fn run_connection(cmd: ConnectionCmd) -> Result<ExitCode, Usage> {
    let store = open_store()?;
    let fail = |e: studio_core::connections::ConnectionError| -> Result<ExitCode, Usage> {
        eprintln!("dsjwt: {e}\n  fix: {}", e.fix());
        // A name that does not exist, is taken or is not allowed is a usage mistake (2);
        // the keyring or the config file failing is not (1).
        let usage = matches!(e.code(), "not_found" | "invalid_name" | "duplicate_name")
            || e.field().is_some();
        Ok(ExitCode::from(if usage { 2 } else { 1 }))
    };
    match cmd {
        ConnectionCmd::Add {
            name,
            connection,
            environment,
            redirect_uri,
            replace,
            from_env,
            json,
        } => {
            let (conn, key) = match from_env {
                Some(file) => from_env_file(
                    &name,
                    &file,
                    &connection,
                    environment.as_deref(),
                    redirect_uri,
                )?,
                None => from_flags(name, &connection, environment.as_deref(), redirect_uri)?,
            };
            let saved = if replace {
                store.save(conn, Some(key.as_slice()))
            } else {
                store.create(conn, &key)
            };
            match saved {
                Ok(c) => {
                    if json {
                        outln!("{}", serde_json::to_string(&c).unwrap_or_default());
                    } else {
                        outln!("Saved \"{}\" ({}; key {} in the OS keyring). Check it with: dsjwt check --connection \"{}\"", c.name, c.environment.as_str(), c.key_fingerprint.as_deref().unwrap_or("?"), c.name);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => fail(e),
            }
        }
        ConnectionCmd::Export {
            name,
            format,
            include_key,
        } => run_export(&store, &name, &format, include_key).await,
        ConnectionCmd::List { json } => match store.list() {
            Ok(list) => {
                if json {
                    outln!("{}", serde_json::to_string(&list).unwrap_or_default());
                } else if list.is_empty() {
                    outln!("No saved connections. Add one with: dsjwt connection add NAME --integration-key … --private-key FILE …");
                } else {
                    for c in &list {
                        outln!(
                            "{:<24} {:<10} ik {}  account {}  {}  key {}",
                            c.name,
                            c.environment.as_str(),
                            c.integration_key,
                            c.account_id,
                            c.base_uri,
                            c.key_fingerprint.as_deref().unwrap_or("-")
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => fail(e),
        },
        ConnectionCmd::Show { name } => match store.get(&name) {
            Ok(c) => {
                outln!("{}", serde_json::to_string_pretty(&c).unwrap_or_default());
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => fail(e),
        },
        ConnectionCmd::Remove { name } => match store.remove(&name) {
            Ok(()) => {
                outln!("Removed \"{name}\" and its key.");
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => fail(e),
        },
    }
}

fn parse_environment(word: &str) -> Result<ConnEnvironment, Usage> {
    match word {
        "demo" => Ok(ConnEnvironment::Demo),
        "production" => Ok(ConnEnvironment::Production),
        "sandbox" => Ok(ConnEnvironment::Sandbox),
        other => Err(Usage(format!(
            "--environment {other}: use demo, production or sandbox"
        ))),
    }
}

/// `connection add NAME` from flags (and `DSJWT_*` variables): the connection and its key.
fn from_flags(
    name: String,
    connection: &ConnectionArgs,
    environment: Option<&str>,
    redirect_uri: Option<String>,
) -> Result<(Connection, api::Zeroizing<Vec<u8>>), Usage> {
    let input = connection.to_input(redirect_uri)?;
    let env = match environment {
        Some(w) => parse_environment(w)?,
        None => {
            let auth = api::AuthServer::parse(&input.auth_server)
                .map_err(|e| Usage(format!("--auth-server: {e}. {}", e.fix())))?;
            ConnEnvironment::from_auth_kind(auth.kind())
        }
    };
    let mut conn = Connection::new(
        name,
        env,
        input.integration_key.clone(),
        input.user_id.clone(),
        input.account_id.clone(),
        input.base_uri.clone(),
    );
    conn.auth_server = input.auth_server.clone();
    conn.ca_cert = connection
        .ca_cert
        .clone()
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p));
    conn.redirect_uri = input.redirect_uri.clone();
    Ok((
        conn,
        api::Zeroizing::new(input.private_key.expose().to_vec()),
    ))
}

/// `connection add NAME --from-env FILE`: the values studio-core reads in the file, with any
/// flag given overriding its value. Relative paths in the file are relative to its folder.
fn from_env_file(
    name: &str,
    file: &Path,
    flags: &ConnectionArgs,
    environment: Option<&str>,
    redirect_uri: Option<String>,
) -> Result<(Connection, api::Zeroizing<Vec<u8>>), Usage> {
    use studio_core::handoff;
    let bytes = api::Zeroizing::new(read_file("values", file)?);
    let text = api::Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
    let pasted = handoff::parse_pasted(&text);
    let mut conn = handoff::connection_from_pasted(name, &pasted)
        .map_err(|e| Usage(format!("{}: {e}. {}", file.display(), e.fix())))?;
    let folder = file.parent().unwrap_or(Path::new("."));
    let near = |p: &str| {
        let p = PathBuf::from(p);
        let p = if p.is_relative() { folder.join(p) } else { p };
        std::fs::canonicalize(&p).unwrap_or(p)
    };
    let set = |slot: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            *slot = v.clone();
        }
    };
    set(&mut conn.integration_key, &flags.integration_key);
    set(&mut conn.user_id, &flags.user_id);
    set(&mut conn.account_id, &flags.account_id);
    set(&mut conn.base_uri, &flags.base_uri);
    if let Some(a) = &flags.auth_server {
        conn.auth_server = a.clone();
        let auth = api::AuthServer::parse(a)
            .map_err(|e| Usage(format!("--auth-server: {e}. {}", e.fix())))?;
        conn.environment = ConnEnvironment::from_auth_kind(auth.kind());
    }
    if let Some(w) = environment {
        conn.environment = parse_environment(w)?;
    }
    conn.ca_cert = match (&flags.ca_cert, &pasted.ca_cert) {
        (Some(p), _) => Some(std::fs::canonicalize(p).unwrap_or(p.clone())),
        (None, Some(p)) => Some(near(p)),
        (None, None) => None,
    };
    if redirect_uri.is_some() {
        conn.redirect_uri = redirect_uri;
    }
    let key = match (&flags.private_key, &pasted.private_key, &pasted.private_key_file) {
        (Some(p), _, _) => read_file("private key", p)?,
        (None, Some(k), _) => k.as_bytes().to_vec(),
        (None, None, Some(p)) => read_file("private key", &near(p))?,
        (None, None, None) => {
            return Err(Usage(format!(
                "{} holds no private key (DOCUSIGN_PRIVATE_KEY=\"…\", a PEM block, or DOCUSIGN_PRIVATE_KEY_FILE=path); add it there or pass --private-key FILE",
                file.display()
            )))
        }
    };
    let labels = |ids: &[String]| {
        ids.iter()
            .map(|f| handoff::label_of(f))
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!(
        "dsjwt: read from {}: {}",
        file.display(),
        labels(&pasted.found)
    );
    if !pasted.ignored.is_empty() {
        eprintln!("dsjwt: not used: {}", pasted.ignored.join("; "));
    }
    for n in &pasted.notes {
        eprintln!("dsjwt: note: {n}");
    }
    Ok((conn, api::Zeroizing::new(key)))
}

/// `connection export NAME --format F [--include-key]`: runs the health check, and prints the
/// values it proved only when it passed.
async fn run_export(
    connections: &ConnectionStore,
    name: &str,
    format: &str,
    include_key: bool,
) -> Result<ExitCode, Usage> {
    use studio_core::handoff::{self, CheckRecord, HandoffFormat, HandoffStatus};
    let format: HandoffFormat = format.parse().map_err(Usage)?;
    let connection_error = |e: studio_core::connections::ConnectionError| {
        let code = if matches!(e.code(), "not_found" | "invalid_name") {
            2
        } else {
            1
        };
        eprintln!("dsjwt: {e}\n  fix: {}", e.fix());
        ExitCode::from(code)
    };
    let conn = match connections.get(name) {
        Ok(c) => c,
        Err(e) => return Ok(connection_error(e)),
    };
    let mut input = match connections.check_input(&conn.name) {
        Ok(i) => i,
        Err(e) => return Ok(connection_error(e)),
    };
    if let Ok(s) = Store::open(&store::default_data_dir()) {
        input.observer = Some(Arc::new(Ledger::new(s)));
    }
    let report = health::run(&input).await;
    let record = CheckRecord::now(&conn, &report);
    let h = handoff::handoff(&conn, Some(&record));
    if h.status != HandoffStatus::Healthy {
        eprintln!(
            "dsjwt: {}\n  fix: {}",
            h.message,
            h.fix
                .as_deref()
                .unwrap_or("Run dsjwt check --connection NAME and fix what it says.")
        );
        return Ok(ExitCode::from(1));
    }
    let key = if include_key {
        let loaded = match connections.private_key(&conn.name) {
            Ok(k) => k,
            Err(e) => return Ok(connection_error(e)),
        };
        if Some(&loaded.info.fingerprint) != record.values.key_fingerprint.as_ref() {
            eprintln!("dsjwt: the private key in the OS keyring changed during the check; run the export again.");
            return Ok(ExitCode::from(1));
        }
        eprintln!(
            "dsjwt: warning: the output holds the private key of \"{}\" ({}). Anyone who has it can act as this DocuSign user: paste it only into the platform's private key field, keep any file of it readable only by you, and delete it once used.",
            conn.name, loaded.info.fingerprint
        );
        Some(api::Zeroizing::new(loaded.key.to_pkcs1_pem()))
    } else {
        None
    };
    eprintln!("dsjwt: {}", h.message);
    out!(
        "{}",
        api::Zeroizing::new(handoff::render(
            &record.values,
            format,
            key.as_ref().map(|k| k.as_str())
        ))
        .as_str()
    );
    Ok(ExitCode::SUCCESS)
}
