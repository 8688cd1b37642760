//! Rate limits and retries: the explicit policy and its pure classifier (F17, F29).
//!
//! Decision table of [`classify`] for one finished attempt:
//!
//! | answer | safe to repeat (GET, void PUT) | not safe (POST /envelopes) |
//! |---|---|---|
//! | 2xx | done | done |
//! | 401, first time | re-mint the token once, retry once | same (the call was refused before anything happened) |
//! | 401 again | fail | fail |
//! | `HOURLY_APIINVOCATION_LIMIT_EXCEEDED` (400/429) | wait until `X-RateLimit-Reset` and retry, if within `max_rate_limit_wait`; else [`RateLimited`](super::EsignError::RateLimited) | `RateLimited` |
//! | `BURST_APIINVOCATION_LIMIT_EXCEEDED` | wait `burst_backoff`, retry | `RateLimited` |
//! | envelope polling / update limit codes | fail (retrying makes it worse) | fail |
//! | 429 (no code) | wait until the reset (headers) or `Retry-After`, else exponential backoff; at most `max_attempts` | `RateLimited` |
//! | 5xx | `Retry-After` when sent (up to `max_rate_limit_wait`, else fail), else exponential backoff with jitter; at most `max_attempts` | fail |
//! | no answer: timeout / refused connection | backoff, at most `max_attempts` | fail (an envelope may have been created) |
//! | anything else | fail | fail |
//!
//! Before every call the client also looks at the latest headers: when
//! `X-RateLimit-Remaining` is 0 it waits until `X-RateLimit-Reset` (or refuses with
//! `RateLimited` when that is further than `max_rate_limit_wait`), and when
//! `X-BurstLimit-Remaining` is 0 it waits `burst_backoff`: a call that is certain to fail would
//! also break the Go-Live streak.

use reqwest::header::HeaderMap;
use serde::Serialize;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The latest rate-limit headers DocuSign sent (`X-RateLimit-*`, `X-BurstLimit-*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: calls allowed per hour (default 3000 per account).
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: calls left this hour.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when the hourly count resets (sent as Unix seconds).
    pub reset_at: Option<SystemTime>,
    /// `X-BurstLimit-Limit`: calls allowed per 30 s (200 demo, 500 production).
    pub burst_limit: Option<u64>,
    /// `X-BurstLimit-Remaining`: calls left in this 30 s window.
    pub burst_remaining: Option<u64>,
    /// When these headers arrived (local clock).
    pub observed_at: Option<SystemTime>,
}

fn header_u64(h: &HeaderMap, name: &str) -> Option<u64> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
}

impl RateLimit {
    /// Reads the five headers; `None` when the answer carried none of them.
    pub fn from_headers(h: &HeaderMap, now: SystemTime) -> Option<RateLimit> {
        let rl = RateLimit {
            limit: header_u64(h, "x-ratelimit-limit"),
            remaining: header_u64(h, "x-ratelimit-remaining"),
            reset_at: header_u64(h, "x-ratelimit-reset")
                .map(|s| UNIX_EPOCH + Duration::from_secs(s)),
            burst_limit: header_u64(h, "x-burstlimit-limit"),
            burst_remaining: header_u64(h, "x-burstlimit-remaining"),
            observed_at: Some(now),
        };
        let any = rl.limit.is_some()
            || rl.remaining.is_some()
            || rl.reset_at.is_some()
            || rl.burst_limit.is_some()
            || rl.burst_remaining.is_some();
        any.then_some(rl)
    }
}

/// `Retry-After` of an answer, as a wait from now (RFC 9110 §10.2.3: delta seconds, or an
/// HTTP date; a date in the past is no wait).
pub(crate) fn retry_after(h: &HeaderMap) -> Option<Duration> {
    h.get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| parse_retry_after(s, SystemTime::now()))
}

/// Parses a `Retry-After` value in either form: delta seconds (`"2"`) or an HTTP date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`, and the obsolete forms), as the wait from `now`
/// (zero for a date already past). `None` when it is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The retry and waiting policy. All durations are wall time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all for 429 / 5xx / timeouts on requests safe to repeat (default 3).
    pub max_attempts: u32,
    /// First backoff (default 1 s); doubles per attempt, with jitter (50–100 %).
    pub backoff_base: Duration,
    /// Longest single backoff (default 8 s).
    pub backoff_max: Duration,
    /// Longest wait for an hourly-limit reset before giving up with `RateLimited`
    /// (default 60 s).
    pub max_rate_limit_wait: Duration,
    /// Wait after `BURST_APIINVOCATION_LIMIT_EXCEEDED` (default 30 s).
    pub burst_backoff: Duration,
    /// Rate-limit waits (hourly or burst) per call before giving up (default 2).
    pub max_rate_limit_waits: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(8),
            max_rate_limit_wait: Duration::from_secs(60),
            burst_backoff: Duration::from_secs(30),
            max_rate_limit_waits: 2,
        }
    }
}

impl RetryPolicy {
    /// The backoff before retry number `failures` (1 = after the first failure):
    /// `min(base · 2^(failures-1), max)`, scaled by `0.5 + 0.5 · jitter` (`jitter` in 0..=1).
    pub fn backoff(&self, failures: u32, jitter: f64) -> Duration {
        let exp = failures.saturating_sub(1).min(16);
        let raw = self
            .backoff_base
            .saturating_mul(1u32 << exp)
            .min(self.backoff_max);
        raw.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// Why the client is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    /// `X-RateLimit-Remaining` was 0: waiting for `X-RateLimit-Reset` before the next call.
    RateLimitReset,
    /// DocuSign answered `HOURLY_APIINVOCATION_LIMIT_EXCEEDED`: waiting for the reset.
    HourlyLimitExceeded,
    /// Burst limit (`BURST_APIINVOCATION_LIMIT_EXCEEDED`, or `X-BurstLimit-Remaining` 0).
    BurstLimit,
    /// HTTP 429 without a known code.
    TooManyRequests,
    /// 5xx or no answer: exponential backoff.
    Backoff,
}

/// Reported to the wait hook before every wait, so the UI/CLI can say
/// "waiting for the rate limit reset (42 s)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitEvent {
    /// Why.
    pub reason: WaitReason,
    /// How long (wall time).
    pub wait: Duration,
    /// The rate-limit reset the wait runs to, when it is one.
    pub reset_at: Option<SystemTime>,
    /// The call being held (method and path template).
    pub call: String,
    /// Which retry this leads to (1 = first retry; 0 = a wait before the first attempt).
    pub retry: u32,
}

impl std::fmt::Display for WaitEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.wait.as_secs_f64().ceil() as u64;
        match self.reason {
            WaitReason::RateLimitReset | WaitReason::HourlyLimitExceeded => {
                write!(f, "waiting for the rate limit reset ({secs} s)")
            }
            WaitReason::BurstLimit => write!(f, "waiting for the burst limit window ({secs} s)"),
            WaitReason::TooManyRequests => write!(
                f,
                "DocuSign asked to slow down: waiting {secs} s before retry {}",
                self.retry
            ),
            WaitReason::Backoff => write!(
                f,
                "DocuSign did not answer properly: waiting {secs} s before retry {}",
                self.retry
            ),
        }
    }
}

/// One finished attempt, as the classifier sees it.
#[derive(Debug, Clone)]
pub struct AttemptOutcome<'a> {
    /// HTTP status; `None` when no answer arrived.
    pub status: Option<u16>,
    /// DocuSign's `errorCode`, if any.
    pub error_code: Option<&'a str>,
    /// For no answer: `"timeout"`, `"connect"`, `"tls"` or `"other"`.
    pub transport_class: Option<&'static str>,
    /// `X-RateLimit-Reset` of this answer.
    pub reset_at: Option<SystemTime>,
    /// `Retry-After` of this answer.
    pub retry_after: Option<Duration>,
    /// Whether the request is safe to send again (GET, the void PUT).
    pub repeatable: bool,
    /// Whether the token was already re-minted for this call.
    pub reminted: bool,
    /// 429/5xx/transport failures of this call so far, this one included.
    pub failures: u32,
    /// Rate-limit waits already done for this call.
    pub rate_waits: u32,
    /// Now (local clock).
    pub now: SystemTime,
    /// A random number in 0..=1 for the backoff jitter.
    pub jitter: f64,
}

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Success: hand the answer back.
    Done,
    /// 401: forget the token, mint a new one, send again (no wait).
    ReMint,
    /// Wait, then send again.
    Retry {
        /// How long.
        wait: Duration,
        /// Why.
        reason: WaitReason,
        /// The reset the wait runs to, when it is one.
        reset_at: Option<SystemTime>,
    },
    /// Give up with `RateLimited { reset_at }`.
    RateLimited {
        /// When calls may resume, if known.
        reset_at: Option<SystemTime>,
    },
    /// Give up with the error as it is.
    Fail,
}

/// Whether `code` is one of DocuSign's rate or polling limit codes (`…LIMIT_EXCEEDED`, compared
/// case-insensitively): the hourly and burst limits, and the per-envelope polling limits.
pub(crate) fn is_limit_code(code: &str) -> bool {
    code.to_ascii_uppercase().contains("LIMIT_EXCEEDED")
}

/// Whether `code` is DocuSign's hourly account limit.
pub(crate) fn is_hourly(code: Option<&str>) -> bool {
    code.is_some_and(|c| c.eq_ignore_ascii_case("HOURLY_APIINVOCATION_LIMIT_EXCEEDED"))
}

/// Whether `code` is DocuSign's 30-second burst limit.
pub(crate) fn is_burst(code: Option<&str>) -> bool {
    code.is_some_and(|c| c.eq_ignore_ascii_case("BURST_APIINVOCATION_LIMIT_EXCEEDED"))
}

/// The pure retry classifier (see the module's decision table).
pub fn classify(a: &AttemptOutcome<'_>, p: &RetryPolicy) -> Decision {
    let until = |t: SystemTime| t.duration_since(a.now).unwrap_or(Duration::ZERO);
    match a.status {
        Some(s) if (200..300).contains(&s) => return Decision::Done,
        Some(401) => {
            return if a.reminted {
                Decision::Fail
            } else {
                Decision::ReMint
            }
        }
        _ => {}
    }
    if is_hourly(a.error_code) {
        let Some(reset) = a.reset_at else {
            return Decision::RateLimited { reset_at: None };
        };
        // One second past the reset, so the first call lands in the new window.
        let wait = until(reset) + Duration::from_secs(1);
        if !a.repeatable
            || wait > p.max_rate_limit_wait + Duration::from_secs(1)
            || a.rate_waits >= p.max_rate_limit_waits
        {
            return Decision::RateLimited {
                reset_at: Some(reset),
            };
        }
        return Decision::Retry {
            wait,
            reason: WaitReason::HourlyLimitExceeded,
            reset_at: Some(reset),
        };
    }
    if is_burst(a.error_code) {
        if !a.repeatable || a.rate_waits >= p.max_rate_limit_waits {
            return Decision::RateLimited {
                reset_at: Some(a.now + p.burst_backoff),
            };
        }
        return Decision::Retry {
            wait: p.burst_backoff,
            reason: WaitReason::BurstLimit,
            reset_at: None,
        };
    }
    if a.error_code.is_some_and(is_limit_code) {
        // Per-envelope polling/update limits: retrying only digs deeper.
        return Decision::Fail;
    }
    match a.status {
        Some(429) => {
            let reset = a.reset_at.filter(|r| *r > a.now);
            if !a.repeatable || a.failures >= p.max_attempts {
                return Decision::RateLimited { reset_at: reset };
            }
            if let Some(r) = reset {
                let wait = until(r) + Duration::from_secs(1);
                if wait > p.max_rate_limit_wait + Duration::from_secs(1) {
                    return Decision::RateLimited { reset_at: Some(r) };
                }
                return Decision::Retry {
                    wait,
                    reason: WaitReason::TooManyRequests,
                    reset_at: Some(r),
                };
            }
            if let Some(ra) = a.retry_after {
                if ra > p.max_rate_limit_wait {
                    return Decision::RateLimited {
                        reset_at: Some(a.now + ra),
                    };
                }
                return Decision::Retry {
                    wait: ra,
                    reason: WaitReason::TooManyRequests,
                    reset_at: None,
                };
            }
            Decision::Retry {
                wait: p.backoff(a.failures, a.jitter),
                reason: WaitReason::TooManyRequests,
                reset_at: None,
            }
        }
        Some(s) if s >= 500 => {
            if !a.repeatable || a.failures >= p.max_attempts {
                return Decision::Fail;
            }
            // 503 (or any 5xx) with Retry-After: wait what the server says, not our backoff.
            let wait = match a.retry_after {
                Some(ra) if ra > p.max_rate_limit_wait => return Decision::Fail,
                Some(ra) => ra,
                None => p.backoff(a.failures, a.jitter),
            };
            Decision::Retry {
                wait,
                reason: WaitReason::Backoff,
                reset_at: None,
            }
        }
        None => {
            let transient = matches!(a.transport_class, Some("timeout" | "connect"));
            if transient && a.repeatable && a.failures < p.max_attempts {
                Decision::Retry {
                    wait: p.backoff(a.failures, a.jitter),
                    reason: WaitReason::Backoff,
                    reset_at: None,
                }
            } else {
                Decision::Fail
            }
        }
        _ => Decision::Fail,
    }
}

/// Whether an attempt with this outcome counts toward `max_attempts` (429, 5xx, no answer).
pub(crate) fn is_transient_failure(status: Option<u16>) -> bool {
    matches!(status, None | Some(429)) || status.is_some_and(|s| s >= 500)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(now: SystemTime) -> AttemptOutcome<'static> {
        AttemptOutcome {
            status: Some(200),
            error_code: None,
            transport_class: None,
            reset_at: None,
            retry_after: None,
            repeatable: true,
            reminted: false,
            failures: 0,
            rate_waits: 0,
            now,
            jitter: 1.0,
        }
    }

    #[test]
    fn success_and_401() {
        let now = SystemTime::now();
        let p = RetryPolicy::default();
        assert_eq!(classify(&base(now), &p), Decision::Done);
        let a = AttemptOutcome {
            status: Some(401),
            repeatable: false,
            ..base(now)
        };
        assert_eq!(classify(&a, &p), Decision::ReMint);
        let a = AttemptOutcome {
            status: Some(401),
            reminted: true,
            ..base(now)
        };
        assert_eq!(classify(&a, &p), Decision::Fail);
    }

    #[test]
    fn hourly_limit_waits_within_max_else_rate_limited() {
        let now = SystemTime::now();
        let p = RetryPolicy::default();
        let soon = now + Duration::from_secs(20);
        let a = AttemptOutcome {
            status: Some(400),
            error_code: Some("HOURLY_APIINVOCATION_LIMIT_EXCEEDED"),
            reset_at: Some(soon),
            ..base(now)
        };
        assert_eq!(
            classify(&a, &p),
            Decision::Retry {
                wait: Duration::from_secs(21),
                reason: WaitReason::HourlyLimitExceeded,
                reset_at: Some(soon)
            }
        );
        let late = now + Duration::from_secs(3000);
        let a = AttemptOutcome {
            reset_at: Some(late),
            ..a
        };
        assert_eq!(
            classify(&a, &p),
            Decision::RateLimited {
                reset_at: Some(late)
            }
        );
        // Never repeats a POST.
        let a = AttemptOutcome {
            reset_at: Some(soon),
            repeatable: false,
            status: Some(429),
            ..a
        };
        assert_eq!(
            classify(&a, &p),
            Decision::RateLimited {
                reset_at: Some(soon)
            }
        );
        // Gives up after the configured number of waits.
        let a = AttemptOutcome {
            repeatable: true,
            rate_waits: 2,
            ..a
        };
        assert_eq!(
            classify(&a, &p),
            Decision::RateLimited {
                reset_at: Some(soon)
            }
        );
    }

    #[test]
    fn burst_limit_backs_off() {
        let now = SystemTime::now();
        let p = RetryPolicy {
            burst_backoff: Duration::from_millis(5),
            ..RetryPolicy::default()
        };
        let a = AttemptOutcome {
            status: Some(400),
            error_code: Some("burst_apiinvocation_limit_exceeded"),
            ..base(now)
        };
        assert_eq!(
            classify(&a, &p),
            Decision::Retry {
                wait: Duration::from_millis(5),
                reason: WaitReason::BurstLimit,
                reset_at: None
            }
        );
    }

    #[test]
    fn polling_limits_are_not_retried() {
        let now = SystemTime::now();
        let a = AttemptOutcome {
            status: Some(400),
            error_code: Some("Hourly_Envelope_Polling_Limit_Exceeded"),
            ..base(now)
        };
        assert_eq!(classify(&a, &RetryPolicy::default()), Decision::Fail);
    }

    #[test]
    fn status_429_and_5xx_only_for_repeatable_and_bounded() {
        let now = SystemTime::now();
        let p = RetryPolicy::default();
        let a = AttemptOutcome {
            status: Some(503),
            failures: 1,
            ..base(now)
        };
        assert!(matches!(
            classify(&a, &p),
            Decision::Retry {
                reason: WaitReason::Backoff,
                ..
            }
        ));
        let a = AttemptOutcome { failures: 3, ..a };
        assert_eq!(classify(&a, &p), Decision::Fail);
        let a = AttemptOutcome {
            status: Some(500),
            failures: 1,
            repeatable: false,
            ..base(now)
        };
        assert_eq!(classify(&a, &p), Decision::Fail);
        let reset = now + Duration::from_secs(4);
        let a = AttemptOutcome {
            status: Some(429),
            failures: 1,
            reset_at: Some(reset),
            ..base(now)
        };
        assert_eq!(
            classify(&a, &p),
            Decision::Retry {
                wait: Duration::from_secs(5),
                reason: WaitReason::TooManyRequests,
                reset_at: Some(reset)
            }
        );
        let a = AttemptOutcome {
            repeatable: false,
            ..a
        };
        assert_eq!(
            classify(&a, &p),
            Decision::RateLimited {
                reset_at: Some(reset)
            }
        );
        let a = AttemptOutcome {
            status: None,
            transport_class: Some("timeout"),
            failures: 1,
            ..base(now)
        };
        assert!(matches!(classify(&a, &p), Decision::Retry { .. }));
        let a = AttemptOutcome {
            transport_class: Some("tls"),
            ..a
        };
        assert_eq!(classify(&a, &p), Decision::Fail);
        let a = AttemptOutcome {
            status: Some(400),
            error_code: Some("INVALID_REQUEST_PARAMETER"),
            ..base(now)
        };
        assert_eq!(classify(&a, &p), Decision::Fail);
    }

    /// Issue #12: `Retry-After` on 503 and 429 is honoured in both forms (it waited 1 s when
    /// told 2 s): the computed delay is what the server said.
    #[test]
    fn retry_after_in_seconds_and_http_date_sets_the_wait_on_503_and_429() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_478); // Wed, 21 Oct 2015 07:27:58 GMT
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        let mut h = HeaderMap::new();
        h.insert(
            "Retry-After",
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30))
                .parse()
                .expect("header"),
        );
        let from_date = retry_after(&h).expect("date form");
        assert!(from_date > Duration::from_secs(27) && from_date <= Duration::from_secs(30));

        let p = RetryPolicy::default();
        for status in [503, 429] {
            let a = AttemptOutcome {
                status: Some(status),
                failures: 1,
                retry_after: Some(Duration::from_secs(2)),
                jitter: 0.0,
                ..base(SystemTime::now())
            };
            let Decision::Retry { wait, .. } = classify(&a, &p) else {
                panic!("{status}: {:?}", classify(&a, &p));
            };
            assert_eq!(wait, Duration::from_secs(2), "{status}");
        }
        // Longer than the policy's longest wait: a 503 gives up instead of waiting.
        let a = AttemptOutcome {
            status: Some(503),
            failures: 1,
            retry_after: Some(Duration::from_secs(3600)),
            ..base(SystemTime::now())
        };
        assert_eq!(classify(&a, &p), Decision::Fail);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(p.backoff(2, 1.0), Duration::from_secs(2));
        assert_eq!(p.backoff(3, 0.0), Duration::from_secs(2));
        assert_eq!(p.backoff(10, 1.0), Duration::from_secs(8));
    }

    #[test]
    fn reads_rate_limit_headers() {
        let mut h = HeaderMap::new();
        h.insert("X-RateLimit-Limit", "3000".parse().expect("header"));
        h.insert("X-RateLimit-Remaining", "0".parse().expect("header"));
        h.insert("X-RateLimit-Reset", "1320855230".parse().expect("header"));
        h.insert("X-BurstLimit-Remaining", "199".parse().expect("header"));
        let rl = RateLimit::from_headers(&h, SystemTime::now()).expect("some");
        assert_eq!(rl.limit, Some(3000));
        assert_eq!(rl.remaining, Some(0));
        assert_eq!(
            rl.reset_at,
            Some(UNIX_EPOCH + Duration::from_secs(1_320_855_230))
        );
        assert_eq!(rl.burst_remaining, Some(199));
        assert!(RateLimit::from_headers(&HeaderMap::new(), SystemTime::now()).is_none());
    }
}
