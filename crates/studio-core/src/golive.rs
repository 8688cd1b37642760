//! The Go-Live warm-up: successful eSignature calls that can never be polling
//! violations, until the verdict is ready (the 20 most recent eSignature calls
//! all succeeded and none is a polling violation).

use crate::ledger::{GoLiveStatus, Ledger, REQUIRED_STREAK};
use crate::store::StoreError;
use docusign_api::esign::{EsignClient, EsignError};
use serde::Serialize;

/// Progress of the warm-up, after each call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WarmUpProgress {
    /// The streak now.
    pub streak: usize,
    /// 20.
    pub required: usize,
    /// What was just called, e.g. `GET templates/{templateId}/recipients`.
    pub call: String,
}

/// Why the warm-up stopped early.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WarmUpError {
    /// A call failed (and so reset the streak).
    #[error("{call} failed, which resets the Go-Live streak: {source}")]
    Call {
        /// Which call.
        call: String,
        /// DocuSign's answer.
        #[source]
        source: EsignError,
    },
    /// The ledger.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The most calls one warm-up makes (20 are enough from any state; the rest is
/// room for calls that never reached DocuSign and so do not count).
pub const MAX_WARM_UP_CALLS: usize = 40;

/// Runs the warm-up for the client's integration key in the environment
/// `auth_host`, reporting progress after every call, until the verdict is
/// ready (at most [`MAX_WARM_UP_CALLS`] calls). A verdict that is already
/// ready makes no call.
///
/// Only template calls are made (list templates, then each template's roles,
/// round and round): they are not envelope resources, so they can never be
/// polling violations, and after a violation or a failure the 20 newer
/// successful calls push it out of the 20 most recent.
///
/// # Errors
/// [`WarmUpError::Call`] when a call fails (nothing is retried blindly: the
/// failure is in the ledger and the user should see it).
pub async fn warm_up(
    client: &EsignClient,
    ledger: &Ledger,
    integration_key: &str,
    auth_host: &str,
    mut progress: impl FnMut(&WarmUpProgress),
) -> Result<GoLiveStatus, WarmUpError> {
    let status = |l: &Ledger| l.golive_status(integration_key, auth_host, 40);
    let mut current = status(ledger)?;
    let mut templates: Vec<String> = Vec::new();
    let mut next = 0usize;
    let mut made = 0usize;
    while !current.ready && made < MAX_WARM_UP_CALLS {
        // Call 0 of each round lists the templates; then one call per template's roles.
        let call = if next == 0 {
            let list = client
                .list_templates()
                .await
                .map_err(|source| WarmUpError::Call {
                    call: "GET templates".into(),
                    source,
                })?;
            templates = list.into_iter().filter_map(|t| t.template_id).collect();
            "GET templates".to_string()
        } else {
            let id = &templates[next - 1];
            client
                .get_template_roles(id)
                .await
                .map_err(|source| WarmUpError::Call {
                    call: "GET templates/{templateId}/recipients".into(),
                    source,
                })?;
            format!("GET templates/{id}/recipients")
        };
        next = if next >= templates.len() { 0 } else { next + 1 };
        made += 1;
        current = status(ledger)?;
        progress(&WarmUpProgress {
            streak: current.streak,
            required: REQUIRED_STREAK,
            call,
        });
    }
    Ok(current)
}
