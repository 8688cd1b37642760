//! The Go-Live warm-up: successful eSignature calls that can never be polling
//! violations, until the verdict is ready (the 20 most recent eSignature calls
//! all succeeded and none is a polling violation).

use crate::actions::ActionFailure;
use crate::ledger::{GoLiveStatus, Ledger, REQUIRED_STREAK};
use crate::problem::{AsProblem, Code, Problem};
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

/// Why the warm-up stopped early. Its `Display` is the technical text (the call, DocuSign's or
/// the network's words): show [`WarmUpError::failure`] instead, which keeps that text for
/// `details` only.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WarmUpError {
    /// A call failed (and so reset the streak, when it reached DocuSign).
    #[error("{call} failed, which resets the Go-Live streak: {source}")]
    Call {
        /// Which call, e.g. `GET templates`.
        call: String,
        /// The action the call is (`list_templates`, `get_template_roles`): how its failure
        /// is worded.
        action: &'static str,
        /// The eSignature host the call went to (`demo.docusign.net`), named when it could
        /// not be reached.
        host: String,
        /// DocuSign's answer.
        #[source]
        source: EsignError,
    },
    /// The ledger.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl WarmUpError {
    /// The warm-up's failure as the front ends show it, through the same plain words as a
    /// failed action ([`ActionFailure::from_error_at`]): code `warm_up_failed`, a message
    /// saying which call stopped it and what went wrong (naming the host it could not reach,
    /// or DocuSign's own sentence), the failed call's fix (the catalogue's when it has none),
    /// the failed call's own code as `detail` (`network_unreachable`, `api`, …), and the raw
    /// error only in `details`. A ledger that cannot be read gives its own `state_file`
    /// problem.
    pub fn failure(&self) -> ActionFailure {
        match self {
            WarmUpError::Call {
                action,
                host,
                source,
                ..
            } => {
                let call = ActionFailure::from_error_at(action, source, Some(host));
                let message = format!(
                    "The warm-up stopped at its call to {}. {}",
                    call_words(action),
                    call.message
                );
                let fix = call
                    .fix()
                    .unwrap_or(crate::messages::fix(Code::WarmUpFailed))
                    .to_string();
                let problem =
                    Problem::new(Code::WarmUpFailed, message, fix).with_detail(call.code.as_str());
                ActionFailure {
                    action: "warm_up".into(),
                    problem,
                    ..call
                }
            }
            WarmUpError::Store(e) => ActionFailure::new("warm_up", e.problem()),
        }
    }
}

impl AsProblem for WarmUpError {
    /// [`WarmUpError::failure`]'s problem (its `details` left out).
    fn problem(&self) -> Problem {
        self.failure().problem
    }
}

/// What a warm-up call does, after "its call to".
fn call_words(action: &str) -> &'static str {
    match action {
        "list_templates" => "list the account's templates",
        _ => "get a template's roles",
    }
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
    let host = client
        .base_uri()
        .as_str()
        .trim_start_matches("https://")
        .to_string();
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
                    action: "list_templates",
                    host: host.clone(),
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
                    action: "get_template_roles",
                    host: host.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const REFUSED: &str = "error sending request for url (https://demo.docusign.net/restapi/v2.1/accounts/A/templates): client error (Connect): tcp connect error: Connection refused (os error 111)";

    #[test]
    fn a_warm_up_that_cannot_reach_docusign_names_the_host_in_plain_words() {
        let e = WarmUpError::Call {
            call: "GET templates".into(),
            action: "list_templates",
            host: "demo.docusign.net".into(),
            source: EsignError::Transport {
                method: "GET".into(),
                path: "/restapi/v2.1/accounts/A/templates".into(),
                reason: REFUSED.into(),
                class: "connect",
            },
        };
        let f = e.failure();
        assert_eq!(f.code, Code::WarmUpFailed);
        assert_eq!(
            f.message,
            "The warm-up stopped at its call to list the account's templates. Could not reach demo.docusign.net: no connection, or a firewall blocks it."
        );
        assert_eq!(
            f.fix,
            "Check the internet connection, and that a firewall or proxy lets this computer reach demo.docusign.net over HTTPS; then try again."
        );
        assert_eq!(f.detail.as_deref(), Some("network_unreachable"));
        assert_eq!(
            f.details.as_deref(),
            Some(REFUSED),
            "the raw text only here"
        );
        assert_eq!(e.problem(), f.problem);
    }

    #[test]
    fn a_warm_up_docusign_refuses_gives_its_sentence_and_its_fix_not_the_raw_line() {
        let e = WarmUpError::Call {
            call: "GET templates/{templateId}/recipients".into(),
            action: "get_template_roles",
            host: "demo.docusign.net".into(),
            source: EsignError::Api {
                status: 400,
                error_code: Some("USER_LACKS_PERMISSIONS".into()),
                message: "This user lacks sufficient permissions to access this resource.".into(),
                fix: docusign_api::esign::fix_for("USER_LACKS_PERMISSIONS").map(String::from),
                method: "GET".into(),
                path: "/restapi/v2.1/accounts/A/templates/T/recipients".into(),
            },
        };
        let f = e.failure();
        assert_eq!(f.code, Code::WarmUpFailed);
        assert_eq!(
            f.message,
            "The warm-up stopped at its call to get a template's roles. DocuSign refused to give the template's roles: This user lacks sufficient permissions to access this resource."
        );
        assert_eq!(
            f.fix,
            "This is the account plan or permission profile: ask your DocuSign admin to allow it for this user (API access, templates, sending); it is not your key or settings."
        );
        assert_eq!(f.detail.as_deref(), Some("api"));
        assert_eq!(f.error_code.as_deref(), Some("USER_LACKS_PERMISSIONS"));
        let details = f.details.clone().unwrap_or_default();
        assert!(
            details.contains("USER_LACKS_PERMISSIONS") && details.contains("/restapi/"),
            "{details}"
        );
        for raw in ["/restapi", "HTTP", "USER_LACKS_PERMISSIONS", "GET "] {
            assert!(!f.message.contains(raw), "{raw:?} in {}", f.message);
        }
    }
}
