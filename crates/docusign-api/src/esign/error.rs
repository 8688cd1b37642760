//! [`EsignError`]: everything an eSignature action can fail with, DocuSign's own
//! `{"errorCode","message"}` kept verbatim (F18) plus a fix where we know one.

use super::retry::is_limit_code;
use crate::assertion::SignError;
use crate::oauth::OAuthError;
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One problem found by our own checks before anything is sent (role names, tab labels and
/// values, void reason and state). `message` is a complete sentence for people;
/// `suggestion` is the value we think was meant (e.g. the exact role name), for a one-click fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ValidationProblem {
    /// Stable machine code: `role_not_in_template`, `role_is_fixed`, `placeholder_role_missing`,
    /// `duplicate_role`, `tab_not_on_role`, `tab_not_settable`, `value_not_a_number`,
    /// `value_not_a_boolean`, `value_not_in_list`, `email_malformed`, `value_empty`,
    /// `empty_void_reason`, `void_invalid_state`, `empty_id`, `empty_role_person`,
    /// `template_has_no_roles`, `base_uri_not_docusign`, `environment_mismatch`.
    pub code: &'static str,
    /// What is wrong and what to do, in plain words.
    pub message: String,
    /// The value we think was meant, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl ValidationProblem {
    /// A problem without a suggestion.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ValidationProblem {
            code,
            message: message.into(),
            suggestion: None,
        }
    }

    /// A problem with a suggested value.
    pub fn with_suggestion(
        code: &'static str,
        message: impl Into<String>,
        suggestion: Option<String>,
    ) -> Self {
        ValidationProblem {
            code,
            message: message.into(),
            suggestion,
        }
    }
}

fn join_problems(p: &[ValidationProblem]) -> String {
    p.iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn fmt_reset(reset_at: &Option<SystemTime>) -> String {
    match reset_at {
        Some(t) => {
            let secs = t
                .duration_since(UNIX_EPOCH)
                .unwrap_or(Duration::ZERO)
                .as_secs() as i64;
            let when = time::OffsetDateTime::from_unix_timestamp(secs)
                .ok()
                .and_then(|d| {
                    d.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_else(|| secs.to_string());
            let left = t
                .duration_since(SystemTime::now())
                .map(|d| d.as_secs())
                .unwrap_or(0);
            format!("until {when} (in {left} s)")
        }
        None => "for now (DocuSign did not say until when)".into(),
    }
}

/// Why an eSignature call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EsignError {
    /// DocuSign answered with an error status. `error_code` and `message` are DocuSign's own
    /// (`errorDetails`), verbatim; for a body that is not DocuSign's shape, `error_code` is
    /// `None` and `message` is the start of the body.
    #[error("DocuSign refused {method} {path} (HTTP {status}{}): {message}{}", error_code.as_deref().map(|c| format!(", {c}")).unwrap_or_default(), fix.as_deref().map(|f| format!(" — {f}")).unwrap_or_default())]
    Api {
        /// HTTP status.
        status: u16,
        /// DocuSign's `errorCode`, e.g. `ENVELOPE_DOES_NOT_EXIST`.
        error_code: Option<String>,
        /// DocuSign's `message`, verbatim (or the start of a non-JSON body, at most 300 chars).
        message: String,
        /// What to do about it, when we know.
        fix: Option<String>,
        /// HTTP method.
        method: String,
        /// The path as sent (no query; IDs are not secret).
        path: String,
    },
    /// Minting the access token failed (`consent_required`, `invalid_grant`, …). The OAuth
    /// error is kept whole.
    #[error("could not get an access token: {0}")]
    Auth(#[from] OAuthError),
    /// The JWT assertion could not be signed with the key.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// DocuSign's API-call limit is used up and the reset is further away than the
    /// configured maximum wait (or the request is not safe to repeat).
    #[error("DocuSign's API call limit is used up{} {}: {message}", error_code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(), fmt_reset(reset_at))]
    RateLimited {
        /// `HOURLY_APIINVOCATION_LIMIT_EXCEEDED`, `BURST_APIINVOCATION_LIMIT_EXCEEDED`, or
        /// `None` for a bare HTTP 429 / our own pre-call check.
        error_code: Option<String>,
        /// When calls may resume (`X-RateLimit-Reset`), if known.
        reset_at: Option<SystemTime>,
        /// DocuSign's message, or ours.
        message: String,
    },
    /// No answer: DNS, refused connection, TLS, timeout.
    #[error("could not reach DocuSign for {method} {path}: {reason}")]
    Transport {
        /// HTTP method.
        method: String,
        /// The path as sent.
        path: String,
        /// The transport error, flattened (no secrets).
        reason: String,
        /// `"timeout"`, `"tls"`, `"connect"` or `"other"`.
        class: &'static str,
    },
    /// A 2xx answer whose body is not what DocuSign documents (or a download that is not the
    /// expected file type).
    #[error(
        "DocuSign's answer to {path} was not as expected: {reason} (body starts: {excerpt:?})"
    )]
    Decode {
        /// The path as sent.
        path: String,
        /// What did not match, with the JSON field path when there is one.
        reason: String,
        /// The start of the body (at most 200 chars; DocuSign's answers carry no tokens).
        excerpt: String,
    },
    /// Our own checks refused the request before anything was sent.
    #[error("{}", join_problems(problems))]
    Validation {
        /// Every problem found (all of them, not just the first).
        problems: Vec<ValidationProblem>,
    },
    /// A local file error during a download.
    #[error("file error at {}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The call could not be written down in the Go-Live ledger before it was sent, so it was
    /// not sent (a call DocuSign sees must be recorded). `reason` says why in plain words.
    #[error(
        "the call was not sent, because it could not be recorded in the Go-Live ledger: {reason}"
    )]
    NotRecorded {
        /// Why (e.g. "the disk holding /home/ada/.local/share/dev.dsjwt.studio is full").
        reason: String,
    },
    /// Paging did not end after the configured number of pages (or did not advance).
    #[error("stopped paging {path} after {pages} pages: {reason}")]
    Paging {
        /// The path listed.
        path: String,
        /// Pages fetched.
        pages: u32,
        /// Why we stopped.
        reason: String,
    },
}

impl EsignError {
    /// A validation error with one problem.
    pub fn validation(code: &'static str, message: impl Into<String>) -> Self {
        EsignError::Validation {
            problems: vec![ValidationProblem::new(code, message)],
        }
    }

    /// DocuSign's `errorCode` (for [`EsignError::Api`] and [`EsignError::RateLimited`]), or
    /// the OAuth `error` for [`EsignError::Auth`].
    pub fn error_code(&self) -> Option<&str> {
        match self {
            EsignError::Api { error_code, .. } | EsignError::RateLimited { error_code, .. } => {
                error_code.as_deref()
            }
            EsignError::Auth(OAuthError::OAuth { error, .. }) => Some(error),
            _ => None,
        }
    }

    /// The HTTP status, when DocuSign answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            EsignError::Api { status, .. } => Some(*status),
            EsignError::Auth(
                OAuthError::OAuth { status, .. } | OAuthError::Http { status, .. },
            ) => Some(*status),
            _ => None,
        }
    }

    /// What to do about it, when we know (for [`EsignError::Api`]).
    pub fn fix(&self) -> Option<&str> {
        match self {
            EsignError::Api { fix, .. } => fix.as_deref(),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed: rate limits, 429, 5xx, timeouts
    /// and refused connections. The client already retried what was safe to retry; this is
    /// for callers deciding whether to offer "try again".
    pub fn is_retryable(&self) -> bool {
        match self {
            EsignError::RateLimited { .. } => true,
            EsignError::Api {
                status, error_code, ..
            } => {
                *status == 429 || *status >= 500 || error_code.as_deref().is_some_and(is_limit_code)
            }
            EsignError::Transport { class, .. } => matches!(*class, "timeout" | "connect"),
            EsignError::Auth(OAuthError::Transport { class, .. }) => {
                matches!(*class, "timeout" | "connect")
            }
            EsignError::Auth(OAuthError::Http { status, .. }) => *status >= 500,
            _ => false,
        }
    }

    /// A short stable machine code for the UI/CLI: `api`, `auth`, `sign`, `rate_limited`,
    /// `transport`, `decode`, `validation`, `io`, `paging`, `not_recorded`.
    pub fn kind(&self) -> &'static str {
        match self {
            EsignError::Api { .. } => "api",
            EsignError::Auth(_) => "auth",
            EsignError::Sign(_) => "sign",
            EsignError::RateLimited { .. } => "rate_limited",
            EsignError::Transport { .. } => "transport",
            EsignError::Decode { .. } => "decode",
            EsignError::Validation { .. } => "validation",
            EsignError::Io { .. } => "io",
            EsignError::Paging { .. } => "paging",
            EsignError::NotRecorded { .. } => "not_recorded",
        }
    }
}

/// What to do about a DocuSign `errorCode` (compared case-insensitively), when we know.
/// `None` for codes with no better advice than DocuSign's own message.
pub fn fix_for(error_code: &str) -> Option<&'static str> {
    Some(match error_code.trim().to_ascii_uppercase().as_str() {
        "USER_LACKS_PERMISSIONS" | "ACCOUNT_LACKS_PERMISSIONS" => {
            "This is the account plan or permission profile: ask your DocuSign admin to allow it for this user (API access, templates, sending); it is not your key or settings."
        }
        "ENVELOPE_DOES_NOT_EXIST" => {
            "Check the envelope ID; the envelope must be in this account (API Account ID) and visible to the impersonated user; IDs from the other environment (demo vs production) do not exist here."
        }
        "ENVELOPE_CANNOT_VOID_INVALID_STATE" => {
            "Only envelopes that are 'sent' or 'delivered' can be voided: a draft is deleted instead, a completed or declined envelope can't be voided."
        }
        "INVALID_REQUEST_PARAMETER" => {
            "A query value was refused: a status listing needs from_date (ISO 8601, e.g. 2024-05-01T00:00:00Z) or envelope_ids given as one comma-separated value."
        }
        "TEMPLATE_ID_INVALID" => {
            "This template ID is not in this account. Templates are not copied at Go-Live (nor from one account to another): re-create or import the template in this account, then pick it again from the template list."
        }
        "HOURLY_APIINVOCATION_LIMIT_EXCEEDED" => {
            "The account's hourly API call limit is used up (all integrations together): wait until the reset time, then call less often."
        }
        "BURST_APIINVOCATION_LIMIT_EXCEEDED" => {
            "Too many calls within 30 seconds: wait about 30 seconds and spread the calls out."
        }
        "HOURLY_ENVELOPE_POLLING_LIMIT_EXCEEDED" | "BURST_ENVELOPE_POLLING_LIMIT_EXCEEDED" => {
            "Too many reads of one envelope: don't fetch one envelope (or its recipients or documents) more than once per 15 minutes; list status changes instead."
        }
        "HOURLY_APIINVOCATION_ENVELOPE_LIMIT_EXCEEDED" | "BURST_APIINVOCATION_ENVELOPE_LIMIT_EXCEEDED" => {
            "Too many updates of one envelope: wait before changing this envelope again."
        }
        // Facts section 5: a bearer token DocuSign did not issue (or no longer accepts) is
        // USER_AUTHENTICATION_FAILED "Invalid access token"; a missing or non-bearer
        // Authorization header is PARTNER_AUTHENTICATION_FAILED.
        "USER_AUTHENTICATION_FAILED" | "AUTHORIZATION_INVALID_TOKEN" => {
            "DocuSign did not accept the access token (\"Invalid access token\"), even freshly minted: the base URI is probably from the other environment (a demo token sent to a production base URI or the reverse) or another region; run the health check to compare it with userinfo."
        }
        "PARTNER_AUTHENTICATION_FAILED" => {
            "DocuSign received no usable access token (the Authorization header was missing or not a bearer token): a proxy or firewall between this computer and DocuSign may remove the header; run the health check, and ask your network admin to let the Authorization header through."
        }
        "INVALID_REQUEST_BODY" => "The request body was refused as malformed; this is a bug on our side: please report it with the message.",
        "ENVELOPE_INVALID_STATUS" => "The envelope is not in a state that allows this action.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync() {
        fn check<T: Send + Sync + 'static>() {}
        check::<EsignError>();
    }

    #[test]
    fn fixes_for_known_codes() {
        assert!(fix_for("USER_LACKS_PERMISSIONS")
            .is_some_and(|f| f.contains("not your key or settings")));
        assert!(fix_for("account_lacks_permissions").is_some());
        assert!(fix_for("Hourly_Envelope_Polling_Limit_Exceeded")
            .is_some_and(|f| f.contains("15 minutes")));
        assert!(fix_for("SOMETHING_NEW").is_none());
    }

    #[test]
    fn bearer_token_errors_have_distinct_fixes() {
        let user = fix_for("USER_AUTHENTICATION_FAILED").unwrap_or_default();
        assert!(user.contains("Invalid access token") && user.contains("other environment"));
        let partner = fix_for("PARTNER_AUTHENTICATION_FAILED").unwrap_or_default();
        assert!(partner.contains("Authorization header"), "{partner}");
        assert_ne!(user, partner);
    }

    #[test]
    fn display_keeps_docusign_words() {
        let e = EsignError::Api {
            status: 400,
            error_code: Some("ENVELOPE_DOES_NOT_EXIST".into()),
            message: "The envelope specified either does not exist or you have no rights to it."
                .into(),
            fix: fix_for("ENVELOPE_DOES_NOT_EXIST").map(String::from),
            method: "GET".into(),
            path: "/restapi/v2.1/accounts/A/envelopes/E".into(),
        };
        let s = e.to_string();
        assert!(
            s.contains("ENVELOPE_DOES_NOT_EXIST")
                && s.contains("does not exist or you have no rights")
        );
        assert_eq!(e.error_code(), Some("ENVELOPE_DOES_NOT_EXIST"));
        assert!(!e.is_retryable());
        let r = EsignError::RateLimited {
            error_code: None,
            reset_at: None,
            message: "x".into(),
        };
        assert!(r.is_retryable());
    }
}
