//! `dsjwt connection add|list|show|remove|export`: saved connections.

use crate::{open_saved, parse_auth_server, ConnectionArgs, Usage};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use studio_core::api::PrivateKeyBytes;
use studio_core::connections::{Connection, ConnectionError, Environment};
use studio_core::handoff::HandoffFormat;
use studio_core::problem::Hint;
use studio_core::workspace::{ExportError, Workspace};

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub(crate) enum ConnectionCmd {
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

pub(crate) async fn run_connection(cmd: ConnectionCmd) -> Result<ExitCode, Usage> {
    let workspace = open_saved()?;
    let fail = |e: ConnectionError| -> Result<ExitCode, Usage> {
        // A key's fix says what to give; the CLI says how: its flag.
        let fix = match e.field() {
            Some("private_key") => crate::check::fix_with_cli_words(
                &e.fix(),
                match &e {
                    ConnectionError::KeyInvalid(k) => Hint::for_key(k),
                    _ => Hint::for_key_error(e.detail().unwrap_or_default()),
                },
            ),
            _ => e.fix(),
        };
        eprintln!("dsjwt: {e}\n  fix: {fix}");
        if e.code().as_str() == "duplicate_name" {
            eprintln!("  To overwrite it, run the same command with --replace.");
        }
        // A name that does not exist, is taken or is not allowed is a usage mistake (2);
        // the keyring or the config file failing is not (1).
        let usage = matches!(
            e.code().as_str(),
            "not_found" | "invalid_name" | "duplicate_name"
        ) || e.field().is_some();
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
            match workspace.add_connection(conn, key, replace) {
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
        } => run_export(&workspace, &name, &format, include_key).await,
        ConnectionCmd::List { json } => match workspace.list_connections() {
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
        ConnectionCmd::Show { name } => match workspace.connection(&name) {
            Ok(c) => {
                outln!("{}", serde_json::to_string_pretty(&c).unwrap_or_default());
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => fail(e),
        },
        ConnectionCmd::Remove { name } => match workspace.remove_connection(&name) {
            Ok(()) => {
                outln!("Removed \"{name}\" and its key.");
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => fail(e),
        },
    }
}

fn parse_environment(word: &str) -> Result<Environment, Usage> {
    match word {
        "demo" => Ok(Environment::Demo),
        "production" => Ok(Environment::Production),
        "sandbox" => Ok(Environment::Sandbox),
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
) -> Result<(Connection, PrivateKeyBytes), Usage> {
    let input = connection.without_default().to_input(redirect_uri)?;
    let auth = parse_auth_server(&input.auth_server)?;
    let env = match environment {
        Some(w) => parse_environment(w)?,
        None => Environment::from_auth_kind(auth.kind()),
    };
    let mut conn = Connection::new(
        name,
        env,
        input.integration_key.clone(),
        input.user_id.clone(),
        input.account_id.clone(),
        input.base_uri.clone(),
    );
    conn.auth_server = auth.into();
    // Made absolute and checked by the workspace when saved.
    conn.ca_cert = connection.ca_cert.clone();
    conn.redirect_uri = input.redirect_uri.clone();
    Ok((conn, input.private_key))
}

/// `connection add NAME --from-env FILE`: the values studio-core reads in the file, with any
/// flag given overriding its value. Relative paths in the file are relative to its folder.
fn from_env_file(
    name: &str,
    file: &Path,
    flags: &ConnectionArgs,
    environment: Option<&str>,
    redirect_uri: Option<String>,
) -> Result<(Connection, PrivateKeyBytes), Usage> {
    let read = Workspace::read_connection_values(name, file).map_err(|e| Usage::of(&e))?;
    let mut conn = read.connection;
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
        let auth = parse_auth_server(a)?;
        conn.environment = Environment::from_auth_kind(auth.kind());
        conn.auth_server = auth.into();
    }
    if let Some(w) = environment {
        conn.environment = parse_environment(w)?;
    }
    if let Some(p) = &flags.ca_cert {
        conn.ca_cert = Some(p.clone());
    }
    if redirect_uri.is_some() {
        conn.redirect_uri = redirect_uri;
    }
    let key = match (&flags.private_key, read.private_key, &read.private_key_file) {
        (Some(p), _, _) => Workspace::read_private_key_file(p).map_err(|e| Usage::of(&e))?,
        (None, Some(k), _) => k,
        (None, None, Some(p)) => Workspace::read_private_key_file(p).map_err(|e| Usage::of(&e))?,
        (None, None, None) => {
            return Err(Usage(format!(
                "{} holds no private key (DOCUSIGN_PRIVATE_KEY=\"…\", a PEM block, or DOCUSIGN_PRIVATE_KEY_FILE=path); add it there or pass --private-key FILE",
                file.display()
            )))
        }
    };
    eprintln!(
        "dsjwt: read from {}: {}",
        file.display(),
        read.found.join(", ")
    );
    if !read.ignored.is_empty() {
        eprintln!("dsjwt: not used: {}", read.ignored.join("; "));
    }
    for n in &read.notes {
        eprintln!("dsjwt: note: {n}");
    }
    Ok((conn, key))
}

/// `connection export NAME --format F [--include-key]`: runs the health check, and prints the
/// values it proved only when it passed. Its calls go into the Go-Live ledger of the default data
/// folder when that state file can be used (otherwise they are not recorded).
async fn run_export(
    saved: &Workspace,
    name: &str,
    format: &str,
    include_key: bool,
) -> Result<ExitCode, Usage> {
    let format: HandoffFormat = format.parse().map_err(Usage)?;
    let recorded = Workspace::open_for_cli(&Workspace::default_data_dir()).ok();
    let workspace = recorded.as_ref().unwrap_or(saved);
    let export = match workspace.export_connection(name, format, include_key).await {
        Ok(export) => export,
        Err(ExportError::Connection(e)) => {
            let code = if matches!(e.code().as_str(), "not_found" | "invalid_name") {
                2
            } else {
                1
            };
            eprintln!("dsjwt: {e}\n  fix: {}", e.fix());
            if e.code().as_str() == "duplicate_name" {
                eprintln!("  To overwrite it, run the same command with --replace.");
            }
            return Ok(ExitCode::from(code));
        }
        Err(ExportError::NotHealthy(p)) => {
            eprintln!(
                "dsjwt: {}\n  fix: {}",
                p.message,
                p.fix()
                    .unwrap_or("Run dsjwt check --connection NAME and fix what it says.")
            );
            return Ok(ExitCode::from(1));
        }
        Err(ExportError::KeyChanged) => {
            eprintln!("dsjwt: the private key in the OS keyring changed during the check; run the export again.");
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(fingerprint) = &export.key_fingerprint {
        eprintln!(
            "dsjwt: warning: the output holds the private key of \"{}\" ({}). Anyone who has it can act as this DocuSign user: paste it only into the platform's private key field, keep any file of it readable only by you, and delete it once used.",
            export.connection, fingerprint
        );
    }
    eprintln!("dsjwt: {}", export.message);
    out!("{}", export.text.as_str());
    Ok(ExitCode::SUCCESS)
}
