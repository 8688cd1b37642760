//! The Go-Live warm-up: safe, read-only, distinct eSignature calls until the
//! streak DocuSign's review looks at reaches 20, without breaking the polling
//! rule (no envelope endpoint fetched twice within 15 minutes).

use crate::ledger::{GoLiveStatus, Ledger, REQUIRED_STREAK};
use crate::store::StoreError;
use docusign_api::esign::{DateArg, EsignClient, EsignError, ListEnvelopesQuery};
use serde::Serialize;
use std::time::SystemTime;

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

/// Runs the warm-up for the client's integration key in the environment
/// `auth_host`, reporting progress after every call, until the streak is 20
/// or no safe call is left (then the status says how far it got).
///
/// The calls, in order, skipping any envelope endpoint already fetched in
/// the last 15 minutes: list templates; each template's roles; list
/// envelopes over 1, 7, 30, 90 and 365 days; then for each envelope its
/// summary, recipients and tab values.
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
    if current.streak >= REQUIRED_STREAK {
        return Ok(current);
    }
    let mut report = |l: &Ledger, call: String| -> Result<GoLiveStatus, StoreError> {
        let s = status(l)?;
        progress(&WarmUpProgress {
            streak: s.streak,
            required: REQUIRED_STREAK,
            call,
        });
        Ok(s)
    };
    let fail = |call: &str, source: EsignError| WarmUpError::Call {
        call: call.to_string(),
        source,
    };

    let templates = client
        .list_templates()
        .await
        .map_err(|e| fail("GET templates", e))?;
    current = report(ledger, "GET templates".into())?;
    for t in &templates {
        if current.streak >= REQUIRED_STREAK {
            return Ok(current);
        }
        let Some(id) = t.template_id.as_deref() else {
            continue;
        };
        client
            .get_template_roles(id)
            .await
            .map_err(|e| fail("GET templates/{templateId}/recipients", e))?;
        current = report(ledger, format!("GET templates/{id}/recipients"))?;
    }
    let now = time::OffsetDateTime::now_utc();
    let mut envelopes = Vec::new();
    for days in [1i64, 7, 30, 90, 365] {
        if current.streak >= REQUIRED_STREAK {
            return Ok(current);
        }
        let q = ListEnvelopesQuery {
            from_date: Some(DateArg::At(now - time::Duration::days(days))),
            ..Default::default()
        };
        let list = client
            .list_envelopes(&q)
            .await
            .map_err(|e| fail("GET envelopes", e))?;
        if envelopes.len() < list.envelopes.len() {
            envelopes = list.envelopes;
        }
        current = report(ledger, format!("GET envelopes?from_date=(-{days} days)"))?;
    }
    let recent = ledger.recently_fetched(integration_key, auth_host, SystemTime::now())?;
    let fetched = |suffix: &str| recent.iter().any(|p| p.ends_with(suffix));
    for env in &envelopes {
        let Some(id) = env.envelope_id.as_deref() else {
            continue;
        };
        if current.streak >= REQUIRED_STREAK {
            return Ok(current);
        }
        if !fetched(&format!("/envelopes/{id}")) {
            client
                .get_envelope(id)
                .await
                .map_err(|e| fail("GET envelopes/{envelopeId}", e))?;
            current = report(ledger, format!("GET envelopes/{id}"))?;
        }
        if current.streak >= REQUIRED_STREAK {
            return Ok(current);
        }
        if !fetched(&format!("/envelopes/{id}/recipients")) {
            client
                .get_recipient_status(id)
                .await
                .map_err(|e| fail("GET envelopes/{envelopeId}/recipients", e))?;
            current = report(ledger, format!("GET envelopes/{id}/recipients"))?;
        }
    }
    Ok(current)
}
