//! Go-Live as the front ends run it: the warm-up with a report after every call, and the
//! production consent page opened for a demo connection's integration key.

use serde::Serialize;
use std::sync::Arc;

use super::{blocking, browser_failed, Code, Opener, Problem, Workspace};
use crate::golive::WarmUpProgress;
use crate::ledger::GoLiveStatus;
use crate::store::StoreError;
use docusign_api::environment::AuthServer;

/// Warm-up progress, as the desktop's `warm-up-progress` event carries it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WarmUpEvent {
    /// The connection warming up.
    pub connection: String,
    /// The streak now, of how many, and the call just made.
    #[serde(flatten)]
    pub progress: WarmUpProgress,
}

impl Workspace {
    /// The Go-Live status of `integration_key` at the auth server `auth` (the ledger keeps each
    /// auth host's calls apart), from the ledger (no call), with the `recent` most recent calls
    /// listed.
    ///
    /// # Errors
    /// [`StoreError`] reading the state file.
    pub fn golive_status(
        &self,
        integration_key: &str,
        auth: &AuthServer,
        recent: usize,
    ) -> Result<GoLiveStatus, StoreError> {
        self.ledger
            .golive_status(integration_key, auth.host(), recent)
    }

    /// Runs the warm-up (read-only calls until the streak reaches 20) on a saved connection,
    /// reporting after every call.
    ///
    /// # Errors
    /// The connection's setup problem; `warm_up_failed` when a call fails.
    pub async fn warm_up_reporting(
        &self,
        name: &str,
        report: impl Fn(WarmUpEvent),
    ) -> Result<GoLiveStatus, Problem> {
        self.ready_client(name).await?;
        self.warm_up(name, |p| {
            report(WarmUpEvent {
                connection: name.to_string(),
                progress: p.clone(),
            })
        })
        .await
    }

    /// Opens the production consent page for the demo connection's integration key and
    /// redirect URI in the system browser (the URL is built here). Returns the URL.
    ///
    /// # Errors
    /// `redirect_uri_missing`, `browser_failed`, keyring and config errors.
    pub async fn open_production_consent(
        self: &Arc<Self>,
        name: &str,
        opener: &Opener,
    ) -> Result<String, Problem> {
        let (ws, name, opener) = (Arc::clone(self), name.to_string(), Arc::clone(opener));
        blocking(move || {
            let url = ws.promotion_guide(&name)?.production_consent_url.ok_or_else(|| {
                Problem::new(
                    Code::RedirectUriMissing,
                    "This connection has no redirect URI, so there is no consent URL.",
                    "Edit the connection and add the redirect URI registered on the integration key.",
                )
            })?;
            opener(&url).map_err(|e| browser_failed("the production consent page", &e))?;
            Ok(url)
        })
        .await
    }
}
