//! DocuSign's clock as this computer knows it: the one home of the skew between the two,
//! read from the `Date` header (RFC 9110 §6.6.1) of every DocuSign answer. Depends on nothing
//! else of this crate (the OAuth client and the token cache use it; the correction after a
//! refused assertion is in [`crate::esign::clock`]).

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A difference between DocuSign's `Date` header and this computer's clock larger than this
/// many seconds is treated as clock skew when DocuSign refuses an assertion. Smaller
/// differences are network delay and the header's one-second resolution; the assertion's
/// `iat` is already set back by [`crate::assertion::IAT_BACKDATE_SECS`].
pub const CLOCK_SKEW_TOLERANCE_SECS: i64 = 60;

/// DocuSign's clock as this process knows it: this computer's clock moved by the difference
/// the latest DocuSign `Date` header showed, when that difference is more than
/// [`CLOCK_SKEW_TOLERANCE_SECS`] (smaller ones are network delay and the header's one-second
/// resolution, and count as none).
///
/// One is shared by an [`crate::esign::EsignClient`], its [`crate::oauth::OAuthClient`] and its
/// [`crate::token_cache::TokenCache`]; every answer updates it ([`ServerClock::observe`]), so
/// after DocuSign's clock moves (a computer whose clock stalled: a paused VM) the first answer
/// corrects what follows. Before any answer, an estimate kept from an earlier process may be
/// assumed ([`ServerClock::assume`]).
#[derive(Debug, Default)]
pub struct ServerClock {
    state: Mutex<ClockState>,
}

#[derive(Debug, Default, Clone, Copy)]
struct ClockState {
    /// DocuSign's clock minus this computer's, seconds; `None`: within the tolerance.
    offset: Option<i64>,
    /// A `Date` header was seen in this process.
    observed: bool,
}

impl ServerClock {
    /// A clock with no correction yet (this computer's time).
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ClockState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a DocuSign answer's `Date` header (`server_date`), received at `local` (this
    /// computer's clock). The latest answer wins: a clock set right clears the correction.
    pub fn observe(&self, server_date: SystemTime, local: SystemTime) {
        let skew = skew_seconds(server_date, local);
        let mut s = self.state();
        s.offset = (skew.abs() > CLOCK_SKEW_TOLERANCE_SECS).then_some(skew);
        s.observed = true;
    }

    /// Uses `offset_seconds` (kept by an earlier process) until this process sees a `Date`
    /// header; ignored once one was seen.
    pub fn assume(&self, offset_seconds: Option<i64>) {
        let mut s = self.state();
        if !s.observed {
            s.offset = offset_seconds.filter(|o| o.abs() > CLOCK_SKEW_TOLERANCE_SECS);
        }
    }

    /// True once a DocuSign `Date` header was seen in this process.
    pub fn observed(&self) -> bool {
        self.state().observed
    }

    /// DocuSign's clock minus this computer's, in seconds, when more than
    /// [`CLOCK_SKEW_TOLERANCE_SECS`] apart; `None` otherwise.
    pub fn offset(&self) -> Option<i64> {
        self.state().offset
    }

    /// DocuSign's "now": this computer's clock corrected by [`ServerClock::offset`].
    pub fn now(&self) -> SystemTime {
        shift(SystemTime::now(), self.offset().unwrap_or(0))
    }

    /// [`ServerClock::now`] in Unix seconds.
    pub fn now_unix(&self) -> u64 {
        unix_seconds(self.now())
    }
}

/// `t` in whole Unix seconds (0 before 1970).
pub fn unix_seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// "This computer's clock is 10 minutes ahead of DocuSign's" (or behind), for `skew_seconds`
/// = DocuSign's clock minus this computer's. Starts with a capital: mid-sentence, use
/// [`describe_lower`].
pub fn describe(skew_seconds: i64) -> String {
    let how = if skew_seconds < 0 {
        "ahead of"
    } else {
        "behind"
    };
    format!(
        "This computer's clock is {} {how} DocuSign's",
        amount(skew_seconds.unsigned_abs())
    )
}

/// [`describe`] mid-sentence: "this computer's clock is 24 hours behind DocuSign's".
pub fn describe_lower(skew_seconds: i64) -> String {
    let how = if skew_seconds < 0 {
        "ahead of"
    } else {
        "behind"
    };
    format!(
        "this computer's clock is {} {how} DocuSign's",
        amount(skew_seconds.unsigned_abs())
    )
}

/// A time span in the unit a person would say, rounded: "1 second", "45 seconds" (under
/// 90 s), "10 minutes" (under 2 hours), "24 hours" (under 2 days), "3 days".
pub fn amount(secs: u64) -> String {
    let (n, unit) = if secs < 90 {
        (secs, "second")
    } else if secs < 2 * 3600 {
        ((secs + 30) / 60, "minute")
    } else if secs < 2 * 86_400 {
        ((secs + 1800) / 3600, "hour")
    } else {
        ((secs + 43_200) / 86_400, "day")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// `t` moved by `secs` seconds (either way).
pub fn shift(t: SystemTime, secs: i64) -> SystemTime {
    if secs >= 0 {
        t + Duration::from_secs(secs as u64)
    } else {
        t.checked_sub(Duration::from_secs(secs.unsigned_abs()))
            .unwrap_or(UNIX_EPOCH)
    }
}

/// DocuSign's clock minus ours, in whole seconds: `server` (its `Date` header) against
/// `local` (when the request was sent).
pub fn skew_seconds(server: SystemTime, local: SystemTime) -> i64 {
    match server.duration_since(local) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_is_said_in_natural_units() {
        assert_eq!(amount(1), "1 second");
        assert_eq!(amount(45), "45 seconds");
        assert_eq!(amount(90), "2 minutes");
        assert_eq!(amount(600), "10 minutes");
        assert_eq!(amount(4000), "67 minutes");
        assert_eq!(amount(7199), "120 minutes");
        assert_eq!(amount(7200), "2 hours");
        // A fresh user saw "1440 minute(s)" for a day.
        assert_eq!(amount(86_400), "24 hours");
        assert_eq!(amount(25 * 3600), "25 hours");
        assert_eq!(amount(2 * 86_400), "2 days");
        assert_eq!(amount(3 * 86_400 + 3600), "3 days");
        assert_eq!(
            describe(86_400),
            "This computer's clock is 24 hours behind DocuSign's"
        );
        assert_eq!(
            describe_lower(-600),
            "this computer's clock is 10 minutes ahead of DocuSign's"
        );
        assert_eq!(
            describe(-1),
            "This computer's clock is 1 second ahead of DocuSign's"
        );
    }
}
