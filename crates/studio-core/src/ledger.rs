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

/// The `error_code` of a call written down before it was sent whose outcome was never
/// recorded (the disk filled up, or the program was killed mid-call): DocuSign may have seen it,
/// so the streak before it cannot be proven.
pub const OUTCOME_NOT_RECORDED: &str = "outcome_not_recorded";

/// How many successful eSignature calls in a row the review needs.
pub const REQUIRED_STREAK: usize = 20;
/// The polling rule's window, in seconds: one GET per envelope endpoint per 15 minutes.
pub const POLLING_WINDOW_SECS: i64 = 15 * 60;

/// Writes every call into the state file. Implements [`CallObserver`].
#[derive(Clone, Debug)]
pub struct Ledger {
    store: Store,
}

pub(crate) fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub(crate) fn rfc3339(ms: i64) -> String {
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
    /// `counted`, `not_counted`, `broke_streak`, or `unknown` (written down before it was sent,
    /// its outcome never recorded: the streak before it cannot be proven).
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
    /// The most recent eSignature calls in a row that succeeded and are not
    /// polling violations (a failure or a violation ends the run).
    pub streak: usize,
    /// 20.
    pub required: usize,
    /// The 20 most recent eSignature calls all succeeded and none is a
    /// polling violation (the same as `streak >= 20`).
    pub ready: bool,
    /// The most recent calls (all kinds), newest first, each with its verdict.
    pub recent: Vec<LedgerCall>,
    /// Polling-rule violations among the 20 most recent eSignature calls, newest first.
    pub violations: Vec<PollingViolation>,
    /// The call that ended the streak (a failure or a polling violation), if any.
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
    /// Written before it was sent, with no outcome after: DocuSign may have seen it.
    fn outcome_unknown(&self) -> bool {
        self.status.is_none() && self.error_code.as_deref() == Some(OUTCOME_NOT_RECORDED)
    }
    /// A write (POST, PUT, DELETE) sent with no answer in time (transport class `timeout`;
    /// a connect timeout is `connect`): DocuSign may have done it, and its review sees it.
    fn write_timed_out(&self) -> bool {
        self.status.is_none()
            && self.method != "GET"
            && self.error_code.as_deref() == Some("timeout")
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
        insert_call(
            &tx,
            call,
            call.status,
            call.error_code.as_deref(),
            call.duration_ms,
        )
        .map_err(|e| self.store.err(e))?;
        tx.commit().map_err(|e| self.store.err(e))
    }

    /// Writes down an eSignature call about to be sent (no status yet, `error_code`
    /// [`OUTCOME_NOT_RECORDED`]); [`Ledger::complete`] fills in its outcome. Returns the row id.
    ///
    /// # Errors
    /// [`StoreError`] when SQLite refuses (disk full, locked too long).
    pub fn begin(&self, call: &CallRecord) -> Result<i64, StoreError> {
        let conn = self.store.conn();
        insert_call(&conn, call, None, Some(OUTCOME_NOT_RECORDED), 0)
            .map_err(|e| self.store.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    /// Fills in the outcome of the call begun as row `id`.
    ///
    /// # Errors
    /// [`StoreError`] when SQLite refuses.
    pub fn complete(&self, id: i64, call: &CallRecord) -> Result<(), StoreError> {
        let conn = self.store.conn();
        conn.execute(
            "UPDATE calls SET status = ?1, error_code = ?2, duration_ms = ?3 WHERE id = ?4",
            params![call.status, call.error_code, call.duration_ms as i64, id],
        )
        .map_err(|e| self.store.err(e))?;
        Ok(())
    }

    /// The state file this ledger writes into.
    pub fn store(&self) -> &Store {
        &self.store
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

    /// Which envelope endpoints were fetched (GET, answered) within the last
    /// 15 minutes before `now`: fetching one again now would be a polling
    /// violation.
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
            .prepare("SELECT DISTINCT path FROM calls WHERE integration_key = ?1 COLLATE NOCASE AND auth_host = ?2 AND kind = 'esignature' AND method = 'GET' AND envelope_id IS NOT NULL AND status IS NOT NULL AND at_ms > ?3")
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

    /// The GETs of envelope `envelope_id`'s endpoints that reached DocuSign
    /// in the 15 minutes before `now`: `(path, Unix milliseconds)`, newest first.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn envelope_fetches(
        &self,
        integration_key: &str,
        auth_host: &str,
        envelope_id: &str,
        now: SystemTime,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let since = unix_ms(now) - POLLING_WINDOW_SECS * 1000;
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare("SELECT path, at_ms FROM calls WHERE integration_key = ?1 COLLATE NOCASE AND auth_host = ?2 AND kind = 'esignature' AND method = 'GET' AND status IS NOT NULL AND envelope_id = ?3 COLLATE NOCASE AND at_ms > ?4 ORDER BY at_ms DESC")
            .map_err(|e| self.store.err(e))?;
        let rows = stmt
            .query_map(
                params![integration_key, auth_host, envelope_id, since],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )
            .map_err(|e| self.store.err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.store.err(e))
    }

    /// How many eSignature calls that reached DocuSign are recorded (to tell
    /// how many calls an action made).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn esignature_call_count(
        &self,
        integration_key: &str,
        auth_host: &str,
    ) -> Result<usize, StoreError> {
        let conn = self.store.conn();
        conn.query_row(
            "SELECT COUNT(*) FROM calls WHERE integration_key = ?1 COLLATE NOCASE AND auth_host = ?2 AND kind = 'esignature' AND status IS NOT NULL",
            params![integration_key, auth_host],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n as usize)
        .map_err(|e| self.store.err(e))
    }

    /// Every eSignature endpoint this integration key has used in this
    /// environment (method + path template, e.g.
    /// `POST /restapi/v2.1/accounts/{accountId}/envelopes`), sorted, from the
    /// whole ledger: the "API endpoints used" answer of the Go-Live review.
    /// Calls that never reached DocuSign are left out.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn endpoints_used(
        &self,
        integration_key: &str,
        auth_host: &str,
    ) -> Result<Vec<String>, StoreError> {
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare("SELECT DISTINCT method, path_template FROM calls WHERE integration_key = ?1 COLLATE NOCASE AND auth_host = ?2 AND kind = 'esignature' AND status IS NOT NULL")
            .map_err(|e| self.store.err(e))?;
        let rows = stmt
            .query_map(params![integration_key, auth_host], |r| {
                Ok(format!(
                    "{} {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?
                ))
            })
            .map_err(|e| self.store.err(e))?;
        let mut v = rows
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.store.err(e))?;
        v.sort();
        v.dedup();
        Ok(v)
    }

    /// The Go-Live picture for `integration_key` in the environment whose auth
    /// server is `auth_host`, listing the newest `recent_limit` calls.
    ///
    /// DocuSign's rule: the 20 most recent eSignature calls must all have
    /// succeeded and none may be a polling violation (a GET of an envelope
    /// endpoint fetched already within the 15 minutes before it). Token and
    /// userinfo calls, and calls that never reached DocuSign, are not among
    /// them. So `streak` is the number of most recent eSignature calls in a
    /// row that are clean (succeeded, not a violation), and `ready` is
    /// `streak >= 20`: a failure or a violation leaves the window once 20
    /// newer clean calls are made.
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
        Ok(verdict(integration_key, auth_host, &rows, recent_limit))
    }
}

/// Inserts one row of `calls`: `call`'s request, with the outcome given (a finished call's own,
/// or none yet for [`Ledger::begin`]).
fn insert_call(
    conn: &rusqlite::Connection,
    call: &CallRecord,
    status: Option<u16>,
    error_code: Option<&str>,
    duration_ms: u64,
) -> rusqlite::Result<usize> {
    conn.execute(
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
            status,
            error_code,
            duration_ms as i64
        ],
    )
}

/// A polling violation: `row` is a GET of an envelope endpoint that an older
/// call (`older`, newest first) fetched less than 15 minutes before it.
fn violation_of(row: &Row, older: &[Row]) -> Option<PollingViolation> {
    if row.method != "GET" || row.envelope_id.is_none() || row.status.is_none() {
        return None;
    }
    // Older rows come newest first: stop at the first one 15 minutes or more before `row`.
    let prev = older
        .iter()
        .take_while(|p| row.at_ms - p.at_ms < POLLING_WINDOW_SECS * 1000)
        .find(|p| {
            p.kind == CallKind::Esignature.as_str()
                && p.method == "GET"
                && p.status.is_some()
                && p.path == row.path
        })?;
    let gap_ms = row.at_ms - prev.at_ms;
    Some(PollingViolation {
        envelope_id: row.envelope_id.clone(),
        path: row.path.clone(),
        first_at: rfc3339(prev.at_ms),
        again_at: rfc3339(row.at_ms),
        gap_seconds: gap_ms.max(0) / 1000,
    })
}

/// The verdict over `rows` (newest first).
fn verdict(
    integration_key: &str,
    auth_host: &str,
    rows: &[Row],
    recent_limit: usize,
) -> GoLiveStatus {
    let mut streak = 0usize;
    let mut broken_by: Option<LedgerCall> = None;
    let mut broken_violation: Option<PollingViolation> = None;
    let mut in_streak = true;
    let mut verdicts: Vec<(&Row, &'static str, String)> = Vec::with_capacity(rows.len());
    let mut esign_seen = 0usize;
    let mut violations = Vec::new();
    for (i, row) in rows.iter().enumerate() {
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
        if row.outcome_unknown() || row.write_timed_out() {
            esign_seen += 1;
            let position = if esign_seen <= REQUIRED_STREAK {
                format!(", {esign_seen} of the 20 most recent")
            } else {
                String::new()
            };
            let why = if row.write_timed_out() {
                "it was sent and no answer came in time: DocuSign may have done it, and may count it as failed, so the streak cannot be proven before it"
            } else {
                "its outcome was not recorded (the disk was full, or the program was stopped mid-call): DocuSign may have seen it, so the streak cannot be proven before it"
            }
            .to_string();
            if in_streak {
                broken_by = Some(row.to_call("unknown", why.clone()));
                verdicts.push((row, "unknown", format!("{why}{position}")));
            } else {
                verdicts.push((row, "unknown", format!("outcome not recorded{position}")));
            }
            in_streak = false;
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
        let in_window = esign_seen <= REQUIRED_STREAK;
        let violation = violation_of(row, &rows[i + 1..]);
        if let (true, Some(v)) = (in_window, &violation) {
            violations.push(v.clone());
        }
        let position = if in_window {
            format!(", {esign_seen} of the 20 most recent")
        } else {
            String::new()
        };
        if !row.ok() {
            let why = format!(
                "{} reset the streak: every one of the 20 most recent calls must succeed",
                row.failure_words()
            );
            if in_streak {
                broken_by = Some(row.to_call("broke_streak", why.clone()));
                verdicts.push((row, "broke_streak", format!("{why}{position}")));
            } else {
                verdicts.push((
                    row,
                    "broke_streak",
                    format!("{} (an earlier failure{position})", row.failure_words()),
                ));
            }
            in_streak = false;
        } else if let Some(v) = &violation {
            let why = format!(
                "a polling-rule violation (the same envelope fetched again after {} s) reset the streak: DocuSign allows one fetch per 15 minutes; it stops counting after 20 newer successful calls",
                v.gap_seconds
            );
            if in_streak {
                broken_by = Some(row.to_call("broke_streak", why.clone()));
                broken_violation = Some(v.clone());
                verdicts.push((row, "broke_streak", format!("{why}{position}")));
            } else {
                verdicts.push((
                    row,
                    "broke_streak",
                    format!(
                        "polling-rule violation (again after {} s{position})",
                        v.gap_seconds
                    ),
                ));
            }
            in_streak = false;
        } else if in_streak {
            streak += 1;
            verdicts.push((
                row,
                "counted",
                format!("successful eSignature call{position}"),
            ));
        } else if in_window {
            verdicts.push((
                row,
                "not_counted",
                format!("successful, but older than the call that reset the streak{position}"),
            ));
        } else {
            verdicts.push((
                row,
                "not_counted",
                "older than the 20 most recent eSignature calls".into(),
            ));
        }
    }

    let ready = streak >= REQUIRED_STREAK;
    let shown = streak.min(REQUIRED_STREAK);
    let left = REQUIRED_STREAK - shown;
    let summary = if ready {
        format!("{shown}/{REQUIRED_STREAK} — ready for the Go-Live review")
    } else if let (Some(_), Some(v)) = (&broken_by, &broken_violation) {
        format!(
            "{shown}/{REQUIRED_STREAK}: a polling-rule violation (the same envelope fetched again after {} s) is among the 20 most recent calls; it stops counting after {left} more successful call{}",
            v.gap_seconds,
            if left == 1 { "" } else { "s" }
        )
    } else if let Some(b) = broken_by.as_ref().filter(|b| b.verdict == "unknown") {
        format!(
            "{shown}/{REQUIRED_STREAK} proven: the outcome of the call at {} ({} {}) was not recorded (the disk was full, or the program was stopped mid-call), so the streak before it is unknown; {left} more successful recorded call{} needed",
            b.at,
            b.method,
            b.path_template,
            if left == 1 { "" } else { "s" }
        )
    } else if let Some(b) = &broken_by {
        format!(
            "{shown}/{REQUIRED_STREAK} (reset by {} at {}; {left} more successful call{} needed)",
            match (b.status, &b.error_code) {
                (Some(s), Some(c)) => format!("HTTP {s} {c}"),
                (Some(s), None) => format!("HTTP {s}"),
                _ => "a call with no answer".into(),
            },
            b.at,
            if left == 1 { "" } else { "s" }
        )
    } else if rows.is_empty() {
        format!("0/{REQUIRED_STREAK}: no calls recorded yet; run actions, or the warm-up")
    } else {
        format!("{shown}/{REQUIRED_STREAK}")
    };
    let recent = verdicts
        .into_iter()
        .take(recent_limit)
        .map(|(r, v, why)| r.to_call(v, why))
        .collect();
    GoLiveStatus {
        integration_key: integration_key.into(),
        environment: auth_host.into(),
        streak,
        required: REQUIRED_STREAK,
        ready,
        recent,
        violations,
        broken_by,
        summary,
    }
}

impl CallObserver for Ledger {
    fn record(&self, call: &CallRecord) {
        if let Err(e) = self.append(call) {
            tracing::error!(error = %e, "could not record an API call in the Go-Live ledger");
            self.store.note_unrecorded(&e);
        }
    }

    fn begin(&self, call: &CallRecord) -> Result<u64, String> {
        match self.begin(call) {
            Ok(id) => Ok(id as u64),
            Err(e) => {
                tracing::error!(error = %e, "could not record an API call in the Go-Live ledger: not sending it");
                Err(e.to_string())
            }
        }
    }

    fn answered(&self, id: u64, status: u16) {
        let conn = self.store.conn();
        // The head arrived: DocuSign answered with `status`, whatever happens to the body.
        if let Err(e) = conn.execute(
            "UPDATE calls SET status = ?1, error_code = NULL WHERE id = ?2",
            params![status, id as i64],
        ) {
            tracing::warn!(error = %e, "could not note the answer's status in the Go-Live ledger");
        }
    }

    fn finish(&self, id: u64, call: &CallRecord) {
        let result = if id == 0 {
            self.append(call)
        } else {
            self.complete(id as i64, call)
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "could not record an API call's outcome in the Go-Live ledger");
            self.store.note_unrecorded(&e);
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

    /// Issue 12: a POST sent with no answer in time may have been done by DocuSign, so it is
    /// `unknown` (the streak cannot be proven before it); a GET that timed out and a call that
    /// never connected did not reach DocuSign's review.
    #[test]
    fn a_timed_out_write_is_unknown_a_failed_connection_is_not_counted() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::new(Store::open(dir.path()).unwrap());
        let t0 = SystemTime::now() - Duration::from_secs(600);
        let esign = |i: u64, method: &str, class: Option<&str>| {
            let mut c = call(
                t0 + Duration::from_secs(i),
                CallKind::Esignature,
                200,
                "/restapi/v2.1/accounts/{accountId}/envelopes",
                None,
            );
            c.method = method.into();
            if let Some(class) = class {
                c.status = None;
                c.error_code = Some(class.into());
            }
            c
        };
        for i in 0..3 {
            ledger.append(&esign(i, "GET", None)).unwrap();
        }
        ledger.append(&esign(3, "GET", Some("timeout"))).unwrap();
        ledger.append(&esign(4, "POST", Some("connect"))).unwrap();
        let s = ledger
            .golive_status("IK", "account-d.docusign.com", 50)
            .unwrap();
        assert_eq!(s.streak, 3, "{s:#?}");
        assert!(s.broken_by.is_none(), "{s:#?}");
        assert_eq!(s.recent[0].verdict, "not_counted");
        assert_eq!(s.recent[1].verdict, "not_counted");

        ledger.append(&esign(5, "POST", Some("timeout"))).unwrap();
        ledger.append(&esign(6, "GET", None)).unwrap();
        let s = ledger
            .golive_status("IK", "account-d.docusign.com", 50)
            .unwrap();
        assert_eq!(s.streak, 1, "{s:#?}");
        assert_eq!(s.recent[1].verdict, "unknown", "{s:#?}");
        let broken = s
            .broken_by
            .expect("the timed-out POST ends the provable streak");
        assert_eq!(broken.method, "POST");
        assert!(
            broken.reason.contains("may have done it"),
            "{}",
            broken.reason
        );
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
        // The repeat is the newest call: it is clean neither way, so the streak restarts at 0.
        assert_eq!(s.streak, 0);
        assert_eq!(s.violations.len(), 1);
        assert_eq!(s.violations[0].gap_seconds, 60);
        assert!(!s.ready);
        assert_eq!(s.recent[0].verdict, "broke_streak");
        assert!(
            s.summary.starts_with(
                "0/20: a polling-rule violation (the same envelope fetched again after 60 s)"
            ),
            "{}",
            s.summary
        );
        assert!(
            s.summary.ends_with("after 20 more successful calls"),
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
        assert_eq!(s.streak, 0);
        assert_eq!(s.violations.len(), 1);
        assert_eq!(s.recent[0].verdict, "not_counted");
        assert!(s.recent[0].reason.contains("never reached DocuSign"));
    }

    fn rec(
        at_ms: i64,
        kind: CallKind,
        method: &str,
        path: &str,
        status: Option<u16>,
    ) -> CallRecord {
        CallRecord {
            started_at: UNIX_EPOCH + Duration::from_millis(at_ms as u64),
            kind,
            integration_key: "IK".into(),
            auth_host: "account-d.docusign.com".into(),
            method: method.into(),
            path_template: path.into(),
            path: path.into(),
            envelope_id: path
                .split("/envelopes/")
                .nth(1)
                .map(|r| r.split('/').next().unwrap_or_default().to_string()),
            status,
            error_code: status.filter(|s| *s >= 300).map(|_| "SOME_ERROR".into()),
            duration_ms: 5,
        }
    }

    /// A ledger fed one call per second from t = 1 000 000 s.
    struct Feed {
        ledger: Ledger,
        t: i64,
        _dir: tempfile::TempDir,
    }

    impl Feed {
        fn new() -> Feed {
            let dir = tempfile::tempdir().unwrap();
            Feed {
                ledger: Ledger::new(Store::open(dir.path()).unwrap()),
                t: 1_000_000_000,
                _dir: dir,
            }
        }
        fn add(&mut self, kind: CallKind, method: &str, path: &str, status: Option<u16>) {
            self.t += 1000;
            self.ledger
                .append(&rec(self.t, kind, method, path, status))
                .unwrap();
        }
        /// `n` successful, distinct, non-envelope eSignature calls.
        fn clean(&mut self, n: usize) {
            for i in 0..n {
                self.add(
                    CallKind::Esignature,
                    "GET",
                    &format!("/restapi/v2.1/accounts/A/templates/t{}-{i}", self.t),
                    Some(200),
                );
            }
        }
        fn status(&self) -> GoLiveStatus {
            self.ledger
                .golive_status("IK", "account-d.docusign.com", 100)
                .unwrap()
        }
    }

    const ENV: &str = "/restapi/v2.1/accounts/A/envelopes/E1";

    /// Issue 9: after one violation, 20 newer successful calls make the
    /// verdict ready again (the field report had 32 and 45 newer calls still
    /// saying "20/20, but not ready").
    #[test]
    fn violation_ages_out_after_20_newer_calls() {
        let mut f = Feed::new();
        f.clean(25);
        assert!(f.status().ready);
        f.add(CallKind::Esignature, "GET", ENV, Some(200));
        f.add(CallKind::Esignature, "GET", ENV, Some(200)); // 1 s later: a violation
        let s = f.status();
        assert_eq!((s.streak, s.ready, s.violations.len()), (0, false, 1));
        assert_eq!(s.violations[0].path, ENV);
        assert_eq!(s.violations[0].gap_seconds, 1);
        f.clean(19);
        let s = f.status();
        assert_eq!((s.streak, s.ready, s.violations.len()), (19, false, 1));
        assert!(
            s.summary.starts_with("19/20: a polling-rule violation"),
            "{}",
            s.summary
        );
        assert!(
            s.summary.ends_with("after 1 more successful call"),
            "{}",
            s.summary
        );
        f.clean(1);
        let s = f.status();
        assert_eq!((s.streak, s.ready, s.violations.len()), (20, true, 0));
        assert_eq!(s.summary, "20/20 — ready for the Go-Live review");
        f.clean(12); // 32 newer calls
        assert!(f.status().ready);
        f.clean(13); // 45 newer calls
        let s = f.status();
        assert!(s.ready);
        assert_eq!(s.streak, 45);
    }

    /// Token and userinfo calls (and calls that never reached DocuSign) are not
    /// among the 20: they neither fill the window nor push a violation out.
    #[test]
    fn token_and_userinfo_calls_are_not_in_the_window() {
        let mut f = Feed::new();
        f.add(CallKind::Esignature, "GET", ENV, Some(200));
        f.add(CallKind::Esignature, "GET", ENV, Some(200));
        for _ in 0..30 {
            f.add(CallKind::Token, "POST", "/oauth/token", Some(200));
            f.add(CallKind::Userinfo, "GET", "/oauth/userinfo", Some(200));
            f.add(
                CallKind::Esignature,
                "GET",
                "/restapi/v2.1/accounts/A/templates",
                None,
            );
        }
        let s = f.status();
        assert_eq!((s.streak, s.ready, s.violations.len()), (0, false, 1));
        f.clean(10);
        for _ in 0..10 {
            f.add(CallKind::Token, "POST", "/oauth/token", Some(200));
        }
        f.clean(9);
        let s = f.status();
        assert_eq!((s.streak, s.ready, s.violations.len()), (19, false, 1));
        f.clean(1);
        let s = f.status();
        assert_eq!((s.streak, s.ready, s.violations.len()), (20, true, 0));
        assert!(s
            .recent
            .iter()
            .filter(|c| c.kind != "esignature")
            .all(|c| c.verdict == "not_counted"));
    }

    /// A failure among the 20 most recent: not ready until 20 newer successes.
    #[test]
    fn a_failure_leaves_the_window_after_20_newer_calls() {
        let mut f = Feed::new();
        f.clean(30);
        f.add(
            CallKind::Esignature,
            "GET",
            "/restapi/v2.1/accounts/A/envelopes/nope",
            Some(400),
        );
        f.clean(19);
        let s = f.status();
        assert_eq!((s.streak, s.ready), (19, false));
        assert!(
            s.summary.starts_with("19/20 (reset by HTTP 400 SOME_ERROR"),
            "{}",
            s.summary
        );
        assert_eq!(s.broken_by.as_ref().unwrap().status, Some(400));
        f.clean(1);
        let s = f.status();
        assert_eq!((s.streak, s.ready), (20, true));
        assert_eq!(s.summary, "20/20 — ready for the Go-Live review");
        // Still named as where the streak starts, though out of the 20 most recent.
        assert_eq!(s.broken_by.as_ref().unwrap().status, Some(400));
    }

    /// What is and is not a violation: the same path (the query does not
    /// matter) within 15 minutes is; another endpoint of the same envelope, a
    /// PUT, or the same path 15 minutes later is not; an earlier fetch outside
    /// the 20 most recent still makes the repeat inside them a violation.
    #[test]
    fn what_counts_as_a_polling_violation() {
        let mut f = Feed::new();
        f.add(CallKind::Esignature, "GET", ENV, Some(200));
        f.add(
            CallKind::Esignature,
            "GET",
            &format!("{ENV}/recipients"),
            Some(200),
        );
        f.add(CallKind::Esignature, "PUT", ENV, Some(200));
        f.add(
            CallKind::Esignature,
            "GET",
            "/restapi/v2.1/accounts/A/envelopes",
            Some(200),
        );
        f.add(
            CallKind::Esignature,
            "GET",
            "/restapi/v2.1/accounts/A/envelopes",
            Some(200),
        );
        assert_eq!(f.status().violations.len(), 0);
        assert_eq!(f.status().streak, 5);
        // 15 minutes after the first GET of ENV: allowed.
        f.t += 900_000;
        f.add(CallKind::Esignature, "GET", ENV, Some(200));
        assert_eq!(f.status().violations.len(), 0);
        // 25 clean calls later (the first fetch is out of the window), within 15 minutes: a violation.
        f.clean(25);
        f.add(CallKind::Esignature, "GET", ENV, Some(200));
        let s = f.status();
        assert_eq!(s.violations.len(), 1);
        assert_eq!(s.violations[0].gap_seconds, 26);
        assert_eq!(s.streak, 0);
    }

    /// The review's "endpoints used" answer covers the whole ledger, not only the recent calls.
    #[test]
    fn endpoints_used_cover_every_call() {
        let mut f = Feed::new();
        f.add(
            CallKind::Esignature,
            "POST",
            "/restapi/v2.1/accounts/A/envelopes",
            Some(201),
        );
        f.add(CallKind::Esignature, "PUT", ENV, Some(200));
        f.add(
            CallKind::Esignature,
            "GET",
            &format!("{ENV}/documents/combined"),
            Some(200),
        );
        f.add(
            CallKind::Esignature,
            "GET",
            "/restapi/v2.1/accounts/A/never",
            None,
        );
        f.add(CallKind::Token, "POST", "/oauth/token", Some(200));
        for _ in 0..40 {
            f.add(
                CallKind::Esignature,
                "GET",
                "/restapi/v2.1/accounts/A/templates",
                Some(200),
            );
        }
        assert_eq!(
            f.ledger
                .endpoints_used("ik", "account-d.docusign.com")
                .unwrap(),
            vec![
                "GET /restapi/v2.1/accounts/A/envelopes/E1/documents/combined".to_string(),
                "GET /restapi/v2.1/accounts/A/templates".to_string(),
                "POST /restapi/v2.1/accounts/A/envelopes".to_string(),
                "PUT /restapi/v2.1/accounts/A/envelopes/E1".to_string(),
            ]
        );
        assert_eq!(
            f.ledger
                .esignature_call_count("IK", "account-d.docusign.com")
                .unwrap(),
            43
        );
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

    /// A call written down before it was sent whose outcome was never recorded (disk full,
    /// kill -9) ends the provable streak; a recorded call after it counts again.
    #[test]
    fn a_call_without_a_recorded_outcome_makes_the_streak_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::new(Store::open(dir.path()).unwrap());
        let now = SystemTime::now();
        for i in 0..3 {
            ledger
                .append(&call(
                    ago(now, 100 - i),
                    CallKind::Esignature,
                    200,
                    "/restapi/v2.1/accounts/A/templates",
                    None,
                ))
                .unwrap();
        }
        let begun = call(
            ago(now, 50),
            CallKind::Esignature,
            200,
            "/restapi/v2.1/accounts/A/envelopes",
            None,
        );
        ledger.begin(&begun).unwrap();
        let s = ledger
            .golive_status("IK", "account-d.docusign.com", 10)
            .unwrap();
        assert_eq!(s.streak, 0);
        assert_eq!(s.recent[0].verdict, "unknown");
        assert_eq!(
            s.broken_by.as_ref().map(|b| b.verdict.as_str()),
            Some("unknown")
        );
        assert!(s.summary.contains("unknown"), "{}", s.summary);
        ledger
            .append(&call(
                ago(now, 10),
                CallKind::Esignature,
                200,
                "/restapi/v2.1/accounts/A/templates",
                None,
            ))
            .unwrap();
        let s = ledger
            .golive_status("IK", "account-d.docusign.com", 10)
            .unwrap();
        assert_eq!(s.streak, 1);
        // Completed: the row counts as any other.
        let id = ledger.begin(&begun).unwrap();
        let mut done = begun.clone();
        done.status = Some(201);
        ledger.complete(id, &done).unwrap();
        let s = ledger
            .golive_status("IK", "account-d.docusign.com", 10)
            .unwrap();
        assert!(s.recent.iter().filter(|c| c.verdict == "unknown").count() == 1);
    }

    /// A call that cannot be written down marks only the action that made it: not an action
    /// running at the same time in another task (the app's monitors, another connection), and
    /// a failure outside any action is only logged (a process-wide counter got both wrong).
    #[tokio::test]
    async fn an_unrecorded_call_marks_only_the_action_that_made_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let full = || StoreError::DiskFull {
            folder: dir.path().to_path_buf(),
        };
        let (_, mine) = Store::tracking_unrecorded(async { store.note_unrecorded(&full()) }).await;
        assert_eq!(mine, Some(full().to_string()));

        let other = store.clone();
        let folder = dir.path().to_path_buf();
        let (_, clean) = Store::tracking_unrecorded(async {
            tokio::spawn(async move { other.note_unrecorded(&StoreError::DiskFull { folder }) })
                .await
                .unwrap();
        })
        .await;
        assert_eq!(clean, None);

        store.note_unrecorded(&full());
        let (_, next) = Store::tracking_unrecorded(async {}).await;
        assert_eq!(next, None);
    }
}
