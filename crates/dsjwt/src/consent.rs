//! `dsjwt consent-url`: the consent URL of an integration key.

use crate::{ConnectionArgs, Usage};
use clap::Args;
use std::process::ExitCode;
use studio_core::workspace::Workspace;

#[derive(Args)]
pub(crate) struct ConsentArgs {
    /// The integration key (`--integration-key`), the auth server (`--auth-server`, default
    /// demo) or a saved connection (`--connection NAME`, as every command takes it; flags given
    /// too override its fields). The other connection flags are not used here.
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Redirect URI exactly as registered on the integration key (default: the saved
    /// connection's).
    #[arg(long, env = "DSJWT_REDIRECT_URI")]
    redirect_uri: Option<String>,
    /// Optional OAuth state value.
    #[arg(long)]
    state: Option<String>,
    /// Open the URL in the default browser.
    #[arg(long)]
    open: bool,
}

pub(crate) fn run_consent_url(a: ConsentArgs) -> Result<ExitCode, Usage> {
    let c = &a.connection;
    c.require_any()?;
    let saved = c.saved()?;
    let Some(integration_key) = c
        .integration_key
        .clone()
        .or_else(|| saved.as_ref().map(|s| s.integration_key.clone()))
    else {
        return Err(Usage(
            "missing: --integration-key (DSJWT_INTEGRATION_KEY) or --connection NAME".into(),
        ));
    };
    let Some(redirect_uri) = a
        .redirect_uri
        .clone()
        .or_else(|| saved.as_ref().and_then(|s| s.redirect_uri.clone()))
    else {
        return Err(Usage(match &saved {
            Some(s) => format!(
                "missing: --redirect-uri (DSJWT_REDIRECT_URI): the saved connection \"{}\" has no redirect URI; give the one registered on the integration key",
                s.name
            ),
            None => "missing: --redirect-uri (DSJWT_REDIRECT_URI), exactly as registered on the integration key".into(),
        }));
    };
    let auth_server = match (&c.auth_server, &saved) {
        (Some(flag), _) => flag.clone(),
        (None, Some(s)) => s.auth_server.to_string(),
        (None, None) => "demo".into(),
    };
    let url = Workspace::consent_url_of_auth_server(
        &auth_server,
        &integration_key,
        &redirect_uri,
        a.state.as_deref(),
    )
    .map_err(|p| Usage::of_flag(&p))?;
    outln!("{url}");
    if a.open && open::that_detached(&url).is_err() {
        eprintln!("dsjwt: no web browser could be opened here; copy the URL above into one.");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
