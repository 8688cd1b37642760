//! `dsjwt consent-url`: the consent URL of an integration key.

use crate::Usage;
use clap::Args;
use std::process::ExitCode;
use studio_core::workspace::Workspace;

#[derive(Args)]
pub(crate) struct ConsentArgs {
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

pub(crate) fn run_consent_url(a: ConsentArgs) -> Result<ExitCode, Usage> {
    let url = Workspace::consent_url_of_auth_server(
        &a.auth_server,
        &a.integration_key,
        &a.redirect_uri,
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
