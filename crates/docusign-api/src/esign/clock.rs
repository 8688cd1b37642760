//! Clock skew between this computer and DocuSign, in one place: the difference is read from
//! the `Date` header (RFC 9110 §6.6.1) of every DocuSign answer (token, userinfo, eSignature,
//! refusals included) into a [`ServerClock`], and that clock is used for the assertion's
//! `iat`/`exp` (DocuSign refuses an assertion issued "in the future" or already expired: facts
//! §1.4, `no_valid_keys_or_signatures` / `expired_grant`) and for judging whether an access
//! token is still fresh (facts §1.5: "store the expires in time and check the time before making
//! API calls" — DocuSign's time, since DocuSign is the one that refuses an expired token).
//!
//! The clock itself ([`ServerClock`], the skew and its words) lives in [`crate::clock`], which
//! depends on nothing; this module adds what needs the OAuth errors: the correction after a
//! refused assertion and the notice that says so once.

pub use crate::clock::{
    describe, shift, skew_seconds, unix_seconds, ServerClock, CLOCK_SKEW_TOLERANCE_SECS,
};
use crate::oauth::{InvalidGrantReason, OAuthError, OAuthErrorKind};
use serde::Serialize;
use std::time::SystemTime;

/// "Assertions now use DocuSign's time", to be shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockNotice {
    /// DocuSign's clock minus this computer's, in seconds (negative: this computer is ahead).
    pub skew_seconds: i64,
    /// One plain sentence for people, naming the difference.
    pub message: String,
    #[serde(skip)]
    pub(crate) told: bool,
}

impl ClockNotice {
    pub(crate) fn new(skew_seconds: i64) -> Self {
        ClockNotice {
            skew_seconds,
            message: format!(
                "{}, so the Studio signs its requests with DocuSign's time instead. Setting the computer's clock right (automatic time) makes this unnecessary.",
                describe(skew_seconds)
            ),
            told: false,
        }
    }
}

/// The skew to correct after a refused token request: `Some` when DocuSign refused the
/// assertion for a reason a wrong clock causes (`no_valid_keys_or_signatures`,
/// `expired_grant`) and its `Date` header is more than [`CLOCK_SKEW_TOLERANCE_SECS`] from
/// `sent_at` (the time the assertion was signed for).
pub fn skew_to_correct(err: &OAuthError, sent_at: SystemTime) -> Option<i64> {
    let OAuthError::OAuth {
        kind, server_date, ..
    } = err
    else {
        return None;
    };
    let clock_reason = matches!(
        kind,
        OAuthErrorKind::ExpiredGrant
            | OAuthErrorKind::InvalidGrant(
                InvalidGrantReason::NoValidKeysOrSignatures | InvalidGrantReason::ExpiredGrant
            )
    );
    let skew = skew_seconds((*server_date)?, sent_at);
    (clock_reason && skew.abs() > CLOCK_SKEW_TOLERANCE_SECS).then_some(skew)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn refused(desc: &str, server: SystemTime) -> OAuthError {
        OAuthError::OAuth {
            status: 400,
            kind: OAuthErrorKind::parse("invalid_grant", Some(desc)),
            error: "invalid_grant".into(),
            description: Some(desc.into()),
            server_date: Some(server),
        }
    }

    #[test]
    fn clock_skew_is_taken_from_the_date_header_only_for_clock_refusals() {
        let local = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let server = local - Duration::from_secs(600);
        assert_eq!(
            skew_to_correct(&refused("no_valid_keys_or_signatures", server), local),
            Some(-600)
        );
        assert_eq!(
            skew_to_correct(
                &refused("expired_grant", local + Duration::from_secs(4000)),
                local
            ),
            Some(4000)
        );
        // A refusal a clock cannot cause, or a clock within the tolerance: no correction.
        assert_eq!(
            skew_to_correct(&refused("user_not_found", server), local),
            None
        );
        assert_eq!(
            skew_to_correct(
                &refused(
                    "no_valid_keys_or_signatures",
                    local - Duration::from_secs(30)
                ),
                local
            ),
            None
        );
        assert_eq!(shift(local, -600), server);
        assert_eq!(
            describe(-600),
            "This computer's clock is 10 minutes ahead of DocuSign's"
        );
        assert_eq!(
            describe(75),
            "This computer's clock is 75 seconds behind DocuSign's"
        );
        assert!(ClockNotice::new(-600).message.contains("10 minutes ahead"));
        assert_eq!(
            describe(25 * 3600 + 40),
            "This computer's clock is 25 hours behind DocuSign's"
        );
    }
}
