//! The connection flags every command shares, and reading the files they name.

use clap::Args;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use studio_core::api;
use studio_core::connections::{Chosen, Connection, ConnectionError};
use studio_core::health::CheckInput;
use studio_core::store::StoreError;
use studio_core::workspace::{GivenConnection, OpenError, Problem, Workspace};

/// The ID flags take values that start with `-`, so a private key pasted into one by mistake
/// (`-----BEGIN …`) reaches the settings check, which names it without showing it, instead of
/// clap's "unexpected argument", which would print the whole key (found by a fresh user).
#[derive(Args, Clone, Default)]
pub(crate) struct ConnectionArgs {
    /// Integration key (GUID) from Apps and Keys.
    #[arg(
        long,
        env = "DSJWT_INTEGRATION_KEY",
        global = true,
        allow_hyphen_values = true
    )]
    pub(crate) integration_key: Option<String>,
    /// User ID (API Username GUID) of the impersonated user.
    #[arg(long, env = "DSJWT_USER_ID", global = true, allow_hyphen_values = true)]
    pub(crate) user_id: Option<String>,
    /// RSA private key file (PEM, PKCS#1 or PKCS#8).
    #[arg(
        long,
        env = "DSJWT_PRIVATE_KEY_FILE",
        global = true,
        allow_hyphen_values = true,
        hide_env_values = true
    )]
    pub(crate) private_key: Option<PathBuf>,
    /// API Account ID (GUID).
    #[arg(
        long,
        env = "DSJWT_ACCOUNT_ID",
        global = true,
        allow_hyphen_values = true
    )]
    pub(crate) account_id: Option<String>,
    /// Account base URI, e.g. https://demo.docusign.net (with or without /restapi).
    #[arg(long, env = "DSJWT_BASE_URI", global = true)]
    pub(crate) base_uri: Option<String>,
    /// demo, production, or the https:// URL of a custom auth server (the sandbox). Default: demo.
    #[arg(long, env = "DSJWT_AUTH_SERVER", global = true)]
    pub(crate) auth_server: Option<String>,
    /// Extra CA certificate (PEM) to trust, for the sandbox.
    #[arg(long, env = "DSJWT_CA_CERT", global = true)]
    pub(crate) ca_cert: Option<PathBuf>,
    /// Folder of the Go-Live ledger and trigger state (default: the Studio's data folder).
    #[arg(long, env = "DSJWT_DATA_DIR", global = true)]
    pub(crate) data_dir: Option<PathBuf>,
    /// A saved connection (`dsjwt connection list`); its key comes from the OS keyring. Flags given too override its fields.
    #[arg(long, env = "DSJWT_CONNECTION", global = true)]
    pub(crate) connection: Option<String>,
    /// Do not keep the access token in the OS keyring between runs: every run asks DocuSign
    /// for a new one. (By default `action`, `golive --warm-up` and `watch` reuse it until 10
    /// minutes before it expires; `check` always asks for a new one.)
    #[arg(long, global = true)]
    pub(crate) no_token_cache: bool,
    /// Seconds each call waits for DocuSign to start answering (the first-byte timeout, 1 to
    /// 600; default 30). Connecting always has 10 s.
    #[arg(long, env = "DSJWT_TIMEOUT", global = true, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub(crate) timeout: Option<u64>,
    /// The saved connection this run uses, once chosen ([`ConnectionArgs::connection_name`]).
    #[arg(skip)]
    chosen: OnceLock<Option<String>>,
    /// Set by [`ConnectionArgs::without_default`].
    #[arg(skip)]
    flags_only: OnceLock<()>,
}

impl ConnectionArgs {
    /// The saved connection this run uses, by the one rule of every command that needs a
    /// connection ([`studio_core::connections::ConnectionStore::choose`]): `--connection NAME`
    /// (or `DSJWT_CONNECTION`); else, when no connection value is given (no `--integration-key`,
    /// `--user-id`, `--private-key`, `--account-id`, `--base-uri`, `--auth-server` nor their
    /// variables), the only saved connection, said once on stderr; else none. Several saved
    /// and none named is a usage error listing them.
    pub(crate) fn connection_name(&self) -> Result<Option<&str>, Usage> {
        if let Some(chosen) = self.chosen.get() {
            return Ok(chosen.as_deref());
        }
        let chosen = self.choose()?;
        Ok(self.chosen.get_or_init(|| chosen).as_deref())
    }

    /// The flags (and `--connection NAME` when given) only: never the only saved connection by
    /// default (`connection add`, whose flags are a new connection's).
    pub(crate) fn without_default(&self) -> &Self {
        let _ = self.flags_only.set(());
        let _ = self.chosen.set(self.connection.clone());
        self
    }

    fn choose(&self) -> Result<Option<String>, Usage> {
        if let Some(name) = &self.connection {
            return Ok(Some(name.clone()));
        }
        if self.gives_values() {
            return Ok(None);
        }
        let ws = open_saved()?;
        match ws.store().choose(None) {
            Ok(Chosen::OnlySaved(c)) => {
                eprintln!("dsjwt: using \"{}\", the only saved connection", c.name);
                Ok(Some(c.name))
            }
            Ok(_) => Ok(None),
            Err(e @ ConnectionError::Ambiguous { .. }) => Err(Usage(format!(
                "{e}: name one with --connection NAME (or DSJWT_CONNECTION); `dsjwt connection list` shows them"
            ))),
            Err(e) => Err(Usage(format!("{e}. {}", e.fix()))),
        }
    }

    /// True when a connection value is given by flag or variable (the run is about those
    /// values, not about the only saved connection).
    fn gives_values(&self) -> bool {
        [
            &self.integration_key,
            &self.user_id,
            &self.account_id,
            &self.base_uri,
            &self.auth_server,
        ]
        .iter()
        .any(|v| v.is_some())
            || self.private_key.is_some()
    }

    /// The usage error when the run needs a connection and nothing gives one: no value given and
    /// no saved connection chosen.
    fn nothing_given(&self) -> Usage {
        Usage("no connection given, and none is saved: save one with `dsjwt connection add NAME` and its flags (the key goes to the OS keyring), or give --integration-key, --user-id, --private-key, --account-id and --base-uri (or their DSJWT_* variables)".into())
    }

    /// A usage error ([`ConnectionArgs::nothing_given`]) when nothing gives this run a
    /// connection: no value, and no saved connection chosen.
    pub(crate) fn require_any(&self) -> Result<(), Usage> {
        if self.connection_name()?.is_none()
            && !self.gives_values()
            && self.flags_only.get().is_none()
        {
            return Err(self.nothing_given());
        }
        Ok(())
    }

    /// The saved connection this run uses ([`ConnectionArgs::connection_name`]), if any.
    pub(crate) fn saved(&self) -> Result<Option<Connection>, Usage> {
        let Some(name) = self.connection_name()? else {
            return Ok(None);
        };
        open_saved()?
            .connection(name)
            .map(Some)
            .map_err(|e| Usage(format!("--connection: {e}. {}", e.fix())))
    }

    /// The integration key and auth server, from the flags or the saved connection (the auth
    /// server defaults to demo). `--auth-server` is parsed here.
    pub(crate) fn ik_and_auth(&self) -> Result<(Option<String>, api::AuthServer), Usage> {
        let saved = self.saved()?;
        let ik = self
            .integration_key
            .clone()
            .or_else(|| saved.as_ref().map(|c| c.integration_key.clone()));
        let auth = match (&self.auth_server, &saved) {
            (Some(flag), _) => parse_auth_server(flag)?,
            (None, Some(c)) => c.auth_server.server().clone(),
            (None, None) => api::AuthServer::demo(),
        };
        Ok((ik, auth))
    }

    /// The connection as the health check and the client take it: the saved
    /// connection (`--connection`, key from the keyring) overridden by any
    /// flag given; every missing value is named (exit 2).
    pub(crate) fn to_input(&self, redirect_uri: Option<String>) -> Result<CheckInput, Usage> {
        self.require_any()?;
        let saved_name = self.connection_name()?;
        // A flag given with nothing in it is not "missing": say so, not "give --connection"
        // when one was given (found by a fresh user).
        let empty: Vec<&str> = [
            (&self.integration_key, "--integration-key"),
            (&self.user_id, "--user-id"),
            (&self.account_id, "--account-id"),
            (&self.base_uri, "--base-uri"),
        ]
        .into_iter()
        .filter(|(v, _)| v.as_deref().is_some_and(|v| v.trim().is_empty()))
        .map(|(_, flag)| flag)
        .collect();
        if !empty.is_empty() {
            let (flags, verb) = match empty.as_slice() {
                [one] => ((*one).to_string(), "is"),
                [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "are"),
                [] => (String::new(), "is"),
            };
            let keep = if saved_name.is_some() {
                ", or leave it out to use the saved connection's value"
            } else {
                ""
            };
            return Err(Usage(format!("{flags} {verb} empty: give the value{keep}")));
        }
        let mut input = match saved_name {
            Some(name) => open_saved()?
                .saved_check_input(name)
                .map_err(|e| Usage(format!("--connection {name}: {e}. {}", e.fix())))?,
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
            input.private_key = Workspace::read_private_key_file(p).map_err(|e| Usage::of(&e))?;
        }
        if let Some(p) = &self.ca_cert {
            input.ca_cert_pem = Some(Workspace::read_ca_cert_file(p).map_err(|e| Usage::of(&e))?);
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
        Workspace::open_for_cli(&self.data_dir()).map_err(open_failed)
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
            .unwrap_or_else(Workspace::default_data_dir)
    }
}

/// The workspace over the saved connections alone (nothing recorded, no state file).
pub(crate) fn open_saved() -> Result<Workspace, Usage> {
    Workspace::open_saved_for_cli().map_err(open_failed)
}

/// The workspace could not be opened: the saved connections' error with its fix, or the state
/// file's with the flag that chooses another folder when that helps.
pub(crate) fn open_failed(e: OpenError) -> Usage {
    match e {
        OpenError::SavedConnections(e) => Usage(format!("{e}. {}", e.fix())),
        // A full disk or a busy file is not fixed by another folder: say what is.
        OpenError::StateFile(e @ (StoreError::DiskFull { .. } | StoreError::Busy { .. })) => {
            Usage(format!("{e}."))
        }
        OpenError::StateFile(e @ StoreError::NewerSchema { .. }) => {
            Usage(format!("{e} (--data-dir DIR)."))
        }
        OpenError::StateFile(e) => Usage(format!("{e}. Use --data-dir to choose another folder.")),
    }
}

/// A usage problem: printed to stderr, exit code 2.
pub(crate) struct Usage(pub(crate) String);

impl Usage {
    /// A problem with no flag to name (a file's problem names the file): what happened, then
    /// what to do.
    pub(crate) fn of(p: &Problem) -> Usage {
        let message = p.message.trim_end_matches('.');
        Usage(match p.fix() {
            Some(fix) => format!("{message}. {fix}"),
            None => message.to_string(),
        })
    }

    /// A value given on the command line was refused: the problem, led by the flag of its field
    /// (`--integration-key: …`), then what to do.
    pub(crate) fn of_flag(p: &Problem) -> Usage {
        let message = p.message.trim_end_matches('.');
        let fix = p.fix().map(|f| format!(". {f}")).unwrap_or_default();
        match p.field.as_deref() {
            Some(field) => Usage(format!("--{}: {message}{fix}", field.replace('_', "-"))),
            None => Usage(format!("{message}{fix}")),
        }
    }
}

/// `--auth-server` (or `DSJWT_AUTH_SERVER`) parsed: `demo`, `production` or an https:// URL.
///
/// # Errors
/// [`Usage`] naming the flag, with what is wrong and the fix.
pub(crate) fn parse_auth_server(text: &str) -> Result<api::AuthServer, Usage> {
    api::AuthServer::parse(text).map_err(|e| Usage(format!("--auth-server: {e}. {}", e.fix())))
}
