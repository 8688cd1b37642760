//! The emulator's clock: system time plus an adjustable offset.
//!
//! Every time check (assertion `iat`/`exp`/`nbf`, access-token expiry, the `Date` header, request
//! log timestamps) reads this clock, so a test can move time with `POST /__emulator/clock`
//! instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// System time shifted by `offset_seconds` (which may be negative).
#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    /// A clock with no offset.
    pub fn new() -> Self {
        Self::default()
    }

    /// The current offset in seconds (positive = the emulator is ahead of the system clock).
    pub fn offset_seconds(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    /// Sets the offset in seconds.
    pub fn set_offset_seconds(&self, offset: i64) {
        self.offset_seconds.store(offset, Ordering::SeqCst);
    }

    /// Adds `seconds` (may be negative) to the offset; returns the new offset.
    pub fn advance_seconds(&self, seconds: i64) -> i64 {
        let previous = self
            .offset_seconds
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                Some(o.saturating_add(seconds))
            })
            .unwrap_or_else(|o| o);
        previous.saturating_add(seconds)
    }

    /// Emulator "now" as a [`SystemTime`].
    pub fn now(&self) -> SystemTime {
        let offset = self.offset_seconds();
        let base = SystemTime::now();
        let shift = Duration::from_secs(offset.unsigned_abs());
        let shifted = if offset >= 0 {
            base.checked_add(shift)
        } else {
            base.checked_sub(shift)
        };
        shifted.unwrap_or(base)
    }

    /// Emulator "now" in whole Unix seconds.
    pub fn now_unix(&self) -> i64 {
        match self.now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        }
    }

    /// Emulator "now" as an [`time::OffsetDateTime`] in UTC.
    pub fn now_datetime(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::from(self.now())
    }

    /// Emulator "now" as an HTTP-date (RFC 9110 IMF-fixdate), for the `Date` header.
    pub fn http_date(&self) -> String {
        httpdate::fmt_http_date(self.now())
    }

    /// Emulator "now" as RFC 3339 (UTC), for the request log.
    pub fn rfc3339(&self) -> String {
        self.now_datetime()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_moves_now() {
        let clock = Clock::new();
        let before = clock.now_unix();
        clock.set_offset_seconds(3600);
        assert!(clock.now_unix() - before >= 3600);
        assert_eq!(clock.advance_seconds(-7200), -3600);
        assert!(clock.now_unix() < before);
        assert!(clock.http_date().ends_with("GMT"));
    }
}
