//! The Go-Live ledger: every API call the Studio makes, and what DocuSign's
//! Go-Live review will see in it.
//!
//! DocuSign's rule ("From the Trenches: Go-live failures"): the **20 most
//! recent API calls** of the integration key, in demo, must all have
//! succeeded; login (`/oauth/token`) and `/oauth/userinfo` calls **do not
//! count**; and the calls must not break the polling rules (the same envelope
//! endpoint requested again within 15 minutes). Field cases F26, F27.

use crate::store::{Store, StoreError};
use docusign_api::observe::{CallKind, CallObserver, CallRecord};
use rusqlite::params;
use serde::Serialize;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How many successful eSignature calls in a row the review needs.
pub const REQUIRED_STREAK: usize = 20;
/// The polling rule's window, in seconds: one GET per envelope endpoint per 15 minutes.
pub const POLLING_WINDOW_SECS: i64 = 15 * 60;

/// Writes every call into the state file. Implements [`CallObserver`].
#[derive(Clone, Debug)]
pub struct Ledger {
    store: Store,
}

fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn rfc3339(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// One call as the Go-Live panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerCall {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// `token`, `userinfo` or `esignature`.
    pub kind: String,
    /// HTTP method.
    pub method: String,
    /// Path with IDs as names.
    pub path_template: String,
    /// Path as sent.
    pub path: String,
    /// HTTP status, `None` if no answer came.
    pub status: Option<u16>,
    /// DocuSign's error code.
    pub error_code: Option<String>,
    /// Milliseconds.
    pub duration_ms: u64,
    /// `counted`, `not_counted` or `broke_streak`.
    pub verdict: String,
    /// Why, in plain words.
    pub reason: String,
}

/// Two GETs of the same envelope endpoint within 15 minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PollingViolation {
    /// The envelope.
    pub envelope_id: Option<String>,
    /// The endpoint requested twice.
    pub path: String,
    /// First request (RFC 3339).
    pub first_at: String,
    /// The repeat (RFC 3339).
    pub again_at: String,
    /// Seconds between them (< 900).
    pub gap_seconds: i64,
}

/// What the review would see now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GoLiveStatus {
    /// The integration key.
    pub integration_key: String,
    /// The environment's auth host (the review looks at demo: `account-d.docusign.com`).
    pub environment: String,
    /// Successful eSignature calls in a row, most recent first.
    pub streak: usize,
    /// 20.
    pub required: usize,
    /// `streak >= 20` and no polling violation among those calls.
    pub ready: bool,
    /// The most recent calls (all kinds), newest first, each with its verdict.
    pub recent: Vec<LedgerCall>,
    /// Polling-rule violations among the recent eSignature calls.
    pub violations: Vec<PollingViolation>,
    /// The call that ended the previous streak, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub broken_by: Option<LedgerCall>,
    /// A sentence for people: "14/20 (reset by HTTP 400 ENVELOPE_DOES_NOT_EXIST at …)".
    pub summary: String,
}

struct Row {
    at_ms: i64,
    kind: String,
    method: String,
    path_template: String,
    path: String,
    envelope_id: Option<String>,
    status: Option<u16>,
    error_code: Option<String>,
    duration_ms: u64,
}

impl Row {
    fn ok(&self) -> bool {
        matches!(self.status, Some(s) if (200..300).contains(&s))
    }
    fn failure_words(&self) -> String {
        match (self.status, &self.error_code) {
            (Some(s), Some(c)) => format!("HTTP {s} {c}"),
            (Some(s), None) => format!("HTTP {s}"),
            (None, Some(c)) => format!("no answer ({c})"),
            (None, None) => "no answer".into(),
        }
    }
    fn to_call(&self, verdict: &str, reason: String) -> LedgerCall {
        LedgerCall {
            at: rfc3339(self.at_ms),
            kind: self.kind.clone(),
            method: self.method.clone(),
            path_template: self.path_template.clone(),
            path: self.path.clone(),
            status: self.status,
            error_code: self.error_code.clone(),
            duration_ms: self.duration_ms,
            verdict: verdict.into(),
            reason,
        }
    }
}

impl Ledger {
    /// A ledger writing into `store`.
    pub fn new(store: Store) -> Self {
        Ledger { store }
    }

    /// Appends one call, in its own transaction.
    ///
    /// # Errors
    /// [`StoreError`] when SQLite refuses (disk full, locked for > 5 s).
    pub fn append(&self, call: &CallRecord) -> Result<(), StoreError> {
        let mut conn = self.store.conn();
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        tx.execute(
            "INSERT INTO calls (at_ms, kind, integration_key, auth_host, method, path_template, path, envelope_id, status, error_code, duration_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                unix_ms(call.started_at),
                call.kind.as_str(),
                call.integration_key,
                call.auth_host,
                call.method,
                call.path_template,
                call.path,
                call.envelope_id,
                call.status,
                call.error_code,
                call.duration_ms as i64
            ],
        )
        .map_err(|e| self.store.err(e))?;
        tx.commit().map_err(|e| self.store.err(e))
    }

    fn rows(
        &self,
        integration_key: &str,
        auth_host: &str,
        limit: usize,
    ) -> Result<Vec<Row>, StoreError> {
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT at_ms, kind, method, path_template, path, envelope_id, status, error_code, duration_ms FROM calls
                 WHERE integration_key = ?1 COLLATE NOCASE AND auth_host = ?2 ORDER BY at_ms DESC, id DESC LIMIT ?3",
            )
            .map_err(|e| self.store.err(e))?;
        let rows = stmt
            .query_map(params![integration_key, auth_host, limit as i64], |r| {
                Ok(Row {
                    at_ms: r.get(0)?,
                    kind: r.get(1)?,
                    method: r.get(2)?,
                    path_template: r.get(3)?,
                    path: r.get(4)?,
                    envelope_id: r.get(5)?,
                    status: r.get::<_, Option<i64>>(6)?.map(|s| s as u16),
                    error_code: r.get(7)?,
                    duration_ms: r.get::<_, i64>(8)? as u64,
                })
            })
            .map_err(|e| self.store.err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.store.err(e))
    }

    /// Which endpoints were GET within the last 15 minutes (for a warm-up
    /// that must not break the polling rule).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn recently_fetched(
        &self,
        integration_key: &str,
        auth_host: &str,
        now: SystemTime,
    ) -> Result<Vec<String>, StoreError> {
        let since = unix_ms(now) - POLLING_WINDOW_SECS * 1000;
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare("SELECT DISTINCT path FROM calls WHERE integration_key = ?1 COLLATE NOCASE AND auth_host = ?2 AND kind = 'esignature' AND method = 'GET' AND at_ms >= ?3")
            .map_err(|e| self.store.err(e))?;
        let paths = stmt
            .query_map(params![integration_key, auth_host, since], |r| {
                r.get::<_, String>(0)
            })
            .map_err(|e| self.store.err(e))?;
        paths
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.store.err(e))
    }

    /// The Go-Live picture for `integration_key` in the environment whose auth
    /// server is `auth_host`, from the newest `recent_limit` calls (at least 20
    /// eSignature calls are looked at whatever the limit).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn golive_status(
        &self,
        integration_key: &str,
        auth_host: &str,
        recent_limit: usize,
    ) -> Result<GoLiveStatus, StoreError> {
        // Enough rows to find 20 eSignature calls among token/userinfo calls, and the streak's end.
        let rows = self.rows(integration_key, auth_host, 2000)?;
        let mut streak = 0usize;
        let mut broken_by = None;
        let mut in_streak = true;
        let mut verdicts: Vec<(&Row, &'static str, String)> = Vec::with_capacity(rows.len());
        let mut esign_seen = 0usize;
        for row in &rows {
            if row.kind != CallKind::Esignature.as_str() {
                verdicts.push((
                    row,
                    "not_counted",
                    format!(
                        "{} calls do not count toward Go-Live (only eSignature REST calls do)",
                        if row.kind == "token" {
                            "Token (/oauth/token)"
                        } else {
                            "Userinfo (/oauth/userinfo)"
                        }
                    ),
                ));
                continue;
            }
            if row.status.is_none() {
                verdicts.push((
                    row,
                    "not_counted",
                    format!(
                        "never reached DocuSign ({}), so DocuSign's review does not see it",
                        row.error_code.as_deref().unwrap_or("no answer")
                    ),
                ));
                continue;
            }
            esign_seen += 1;
            if row.ok() {
                if in_streak {
                    streak += 1;
                    verdicts.push((
                        row,
                        "counted",
                        if esign_seen <= REQUIRED_STREAK {
                            format!(
                                "successful eSignature call, {} of the 20 most recent",
                                esign_seen
                            )
                        } else {
                            "successful eSignature call".into()
                        },
                    ));
                } else {
                    verdicts.push((
                        row,
                        "not_counted",
                        "before the call that broke the streak".into(),
                    ));
                }
            } else {
                if in_streak {
                    broken_by = Some(row.to_call("broke_streak", format!("{} reset the streak: every one of the 20 most recent calls must succeed", row.failure_words())));
                    verdicts.push((row, "broke_streak", format!("{} reset the streak: every one of the 20 most recent calls must succeed", row.failure_words())));
                } else {
                    verdicts.push((
                        row,
                        "broke_streak",
                        format!("{} (an earlier failure)", row.failure_words()),
                    ));
                }
                in_streak = false;
            }
        }

        // Polling violations among the eSignature calls the review looks at (the streak or the last 20).
        let window: Vec<&Row> = rows
            .iter()
            .filter(|r| r.kind == CallKind::Esignature.as_str() && r.status.is_some())
            .take(streak.max(REQUIRED_STREAK))
            .collect();
        let mut violations = Vec::new();
        // Oldest first: a GET of the same endpoint again within 15 minutes of the previous one.
        let mut last_get: std::collections::HashMap<&str, &Row> = std::collections::HashMap::new();
        for row in window.iter().rev() {
            if row.method != "GET" || row.envelope_id.is_none() {
                continue;
            }
            if let Some(prev) = last_get.get(row.path.as_str()) {
                let gap = (row.at_ms - prev.at_ms) / 1000;
                if gap < POLLING_WINDOW_SECS {
                    violations.push(PollingViolation {
                        envelope_id: row.envelope_id.clone(),
                        path: row.path.clone(),
                        first_at: rfc3339(prev.at_ms),
                        again_at: rfc3339(row.at_ms),
                        gap_seconds: gap,
                    });
                }
            }
            last_get.insert(row.path.as_str(), row);
        }
        violations.reverse();

        let ready = streak >= REQUIRED_STREAK && violations.is_empty();
        let summary = if ready {
            format!(
                "{}/{} — ready for the Go-Live review",
                streak.min(REQUIRED_STREAK),
                REQUIRED_STREAK
            )
        } else if streak >= REQUIRED_STREAK {
            format!("{REQUIRED_STREAK}/{REQUIRED_STREAK}, but not ready: {} polling-rule violation(s) among those calls; they age out as newer calls replace them (no envelope endpoint twice within 15 minutes)", violations.len())
        } else if let Some(b) = &broken_by {
            format!(
                "{}/{} (reset by {} at {})",
                streak,
                REQUIRED_STREAK,
                match (b.status, &b.error_code) {
                    (Some(s), Some(c)) => format!("HTTP {s} {c}"),
                    (Some(s), None) => format!("HTTP {s}"),
                    _ => "a call with no answer".into(),
                },
                b.at
            )
        } else if rows.is_empty() {
            format!("0/{REQUIRED_STREAK}: no calls recorded yet; run actions, or the warm-up (`dsjwt golive --warm-up`)")
        } else {
            format!("{streak}/{REQUIRED_STREAK}")
        };
        let recent = verdicts
            .into_iter()
            .take(recent_limit)
            .map(|(r, v, why)| r.to_call(v, why))
            .collect();
        Ok(GoLiveStatus {
            integration_key: integration_key.into(),
            environment: auth_host.into(),
            streak,
            required: REQUIRED_STREAK,
            ready,
            recent,
            violations,
            broken_by,
            summary,
        })
    }
}

impl CallObserver for Ledger {
    fn record(&self, call: &CallRecord) {
        if let Err(e) = self.append(call) {
            tracing::error!(error = %e, "could not record an API call in the Go-Live ledger");
        }
    }
}

/// `now - secs`, for tests and the warm-up.
pub fn ago(now: SystemTime, secs: u64) -> SystemTime {
    now.checked_sub(Duration::from_secs(secs))
        .unwrap_or(UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(
        at: SystemTime,
        kind: CallKind,
        status: u16,
        path: &str,
        code: Option<&str>,
    ) -> CallRecord {
        CallRecord {
            started_at: at,
            kind,
            integration_key: "IK".into(),
            auth_host: "account-d.docusign.com".into(),
            method: "GET".into(),
            path_template: path.into(),
            path: path.into(),
            envelope_id: path
                .contains("/envelopes/")
                .then(|| path.rsplit('/').next().unwrap_or_default().to_string()),
            status: Some(status),
            error_code: code.map(String::from),
            duration_ms: 5,
        }
    }

    /// F26's exact trigger: 5 token/userinfo calls, 19 successful eSignature
    /// calls, 1 error (400), then 10 more successes → 10/20, reset by the 400,
    /// token/userinfo not counted.
    #[test]
    fn f26_streak_counts_only_esignature_and_resets_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::new(Store::open(dir.path()).unwrap());
        let start = SystemTime::now() - Duration::from_secs(10_000);
        let mut t = start;
        let mut next = || {
            t += Duration::from_secs(60 * 16);
            t
        };
        for i in 0..5 {
            ledger
                .append(&call(
                    next(),
                    if i % 2 == 0 {
                        CallKind::Token
                    } else {
                        CallKind::Userinfo
                    },
                    200,
                    "/oauth/token",
                    None,
                ))
                .unwrap();
        }
        for i in 0..19 {
            ledger
                .append(&call(
                    next(),
                    CallKind::Esignature,
                    200,
                    &format!("/restapi/v2.1/accounts/A/envelopes/e{i}"),
                    None,
                ))
                .unwrap();
        }
        ledger
            .append(&call(
                next(),
                CallKind::Esignature,
                400,
                "/restapi/v2.1/accounts/A/envelopes/missing",
                Some("ENVELOPE_DOES_NOT_EXIST"),
            ))
            .unwrap();
        for i in 0..10 {
            ledger
                .append(&call(
                    next(),
                    CallKind::Esignature,
                    200,
                    &format!("/restapi/v2.1/accounts/A/templates/t{i}"),
                    None,
                ))
                .unwrap();
        }
        let s = ledger
            .golive_status("IK", "account-d.docusign.com", 50)
            .unwrap();
        assert_eq!(s.streak, 10);
        assert!(!s.ready);
        assert!(
            s.summary
                .starts_with("10/20 (reset by HTTP 400 ENVELOPE_DOES_NOT_EXIST"),
            "{}",
            s.summary
        );
        assert_eq!(
            s.broken_by.as_ref().unwrap().error_code.as_deref(),
            Some("ENVELOPE_DOES_NOT_EXIST")
        );
        assert!(s
            .recent
            .iter()
            .filter(|c| c.kind != "esignature")
            .all(|c| c.verdict == "not_counted"));
        // A different environment (production) has its own, empty, ledger.
        assert_eq!(
            ledger
                .golive_status("IK", "account.docusign.com", 50)
                .unwrap()
                .streak,
            0
        );
    }

    /// F27: the same envelope endpoint fetched again within 15 minutes is flagged.
    #[test]
    fn f27_polling_violation_flagged() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::new(Store::open(dir.path()).unwrap());
        let now = SystemTime::now();
        for i in 0..20u64 {
            ledger
                .append(&call(
                    ago(now, 3000 - i * 10),
                    CallKind::Esignature,
                    200,
                    &format!("/restapi/v2.1/accounts/A/envelopes/x{i}"),
                    None,
                ))
                .unwrap();
        }
        assert!(
            ledger
                .golive_status("IK", "account-d.docusign.com", 30)
                .unwrap()
                .ready
        );
        ledger
            .append(&call(
                ago(now, 100),
                CallKind::Esignature,
                200,
                "/restapi/v2.1/accounts/A/envelopes/E1/recipients",
                None,
            ))
            .unwrap();
        ledger
            .append(&call(
                ago(now, 40),
                CallKind::Esignature,
                200,
                "/restapi/v2.1/accounts/A/envelopes/E1/recipients",
                None,
            ))
            .unwrap();
        let s = ledger
            .golive_status("IK", "account-d.docusign.com", 30)
            .unwrap();
        assert_eq!(s.streak, 22);
        assert_eq!(s.violations.len(), 1);
        assert_eq!(s.violations[0].gap_seconds, 60);
        assert!(!s.ready);
        assert!(
            s.summary
                .starts_with("20/20, but not ready: 1 polling-rule violation"),
            "{}",
            s.summary
        );
        // A call that never reached DocuSign (no answer) neither counts nor breaks the streak.
        let mut lost = call(
            ago(now, 10),
            CallKind::Esignature,
            200,
            "/restapi/v2.1/accounts/A/templates",
            None,
        );
        lost.status = None;
        lost.error_code = Some("connect".into());
        ledger.append(&lost).unwrap();
        let s = ledger
            .golive_status("IK", "account-d.docusign.com", 30)
            .unwrap();
        assert_eq!(s.streak, 22);
        assert_eq!(s.recent[0].verdict, "not_counted");
        assert!(s.recent[0].reason.contains("never reached DocuSign"));
    }

    #[test]
    fn survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let ledger = Ledger::new(Store::open(dir.path()).unwrap());
            ledger
                .append(&call(
                    SystemTime::now(),
                    CallKind::Esignature,
                    200,
                    "/restapi/x",
                    None,
                ))
                .unwrap();
        }
        let ledger = Ledger::new(Store::open(dir.path()).unwrap());
        assert_eq!(
            ledger
                .golive_status("ik", "account-d.docusign.com", 5)
                .unwrap()
                .streak,
            1,
            "integration keys compare case-insensitively"
        );
    }
}
