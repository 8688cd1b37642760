//! One place for what the Studio fetched about an envelope (its summary, its
//! recipients with their status and tab values), reused by every screen and
//! every command for 15 minutes, so no screen breaks DocuSign's polling rule
//! on its own.
//!
//! DocuSign's Go-Live review rejects an integration that fetches the same
//! envelope endpoint again within 15 minutes ("From the Trenches: Go-live
//! failures"; the old rule: "1 GET request per unique envelope endpoint per 15
//! minutes"). So:
//!
//! - every envelope fetch an action makes goes through [`run_action`], which
//!   keeps the answer in the state file (shared by the app and the CLI, across
//!   processes) and answers from it for 15 minutes ([`FetchPolicy::Reuse`]);
//! - recipients are always fetched with their tabs, so "who has signed?" and
//!   "what did they fill in?" are one fetch;
//! - the status check before a void uses the envelope answer of the last 15
//!   minutes when there is one;
//! - when the person explicitly asks again, [`EnvelopeAnswers::earlier_fetch`]
//!   says so before the call, and [`FetchPolicy::FetchAnyway`] fetches
//!   anyway, marking the result with `polling_warning`.

// `ActionFailure` is the one error value of a user's action (see actions.rs).
#![allow(clippy::result_large_err)]

use crate::action_result::{ActionAnswer, ActionResult};
use crate::actions::{self, ActionFailure, ActionRequest};
use crate::id_checks;
use crate::ledger::{rfc3339, unix_ms, Ledger, POLLING_WINDOW_SECS};
use crate::store::{Store, StoreError};
use docusign_api::esign::{
    DocumentId, Envelope, EnvelopeDocument, EnvelopeDocuments, EsignClient, EsignError, Recipients,
};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::SystemTime;

/// Whose answers: the integration key, the environment (auth host) and the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The integration key.
    pub integration_key: String,
    /// The environment's auth host, e.g. `account-d.docusign.com`.
    pub auth_host: String,
    /// The API account ID.
    pub account_id: String,
}

/// What to do when an answer of the last 15 minutes is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FetchPolicy {
    /// Use it (no call). Screens always do this.
    #[default]
    Reuse,
    /// Fetch again although it counts as polling (the person was told and chose to).
    FetchAnyway,
}

pub use crate::action_result::{EarlierFetch, Reused};

/// The envelope endpoints whose answers are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resource {
    /// `GET envelopes/{envelopeId}`.
    Envelope,
    /// `GET envelopes/{envelopeId}/recipients` (always with `include_tabs=true`).
    Recipients,
    /// `GET envelopes/{envelopeId}/documents/{documentId}` (never kept: a file).
    Document(String),
    /// `GET envelopes/{envelopeId}/documents`: the list a document number is checked against.
    Documents,
}

impl Resource {
    /// The stored answer's name.
    fn key(&self) -> String {
        match self {
            Resource::Envelope => "envelope".into(),
            Resource::Recipients => "recipients".into(),
            Resource::Document(d) => format!("documents/{}", d.to_ascii_lowercase()),
            Resource::Documents => "documents".into(),
        }
    }
    /// The path after `/envelopes/{envelopeId}`, lower case.
    fn suffix(&self) -> String {
        match self {
            Resource::Envelope => String::new(),
            other => format!("/{}", other.key()),
        }
    }
    fn endpoint(&self) -> &'static str {
        match self {
            Resource::Envelope => "GET envelopes/{envelopeId}",
            Resource::Recipients => "GET envelopes/{envelopeId}/recipients",
            Resource::Document(_) => "GET envelopes/{envelopeId}/documents/{documentId}",
            Resource::Documents => "GET envelopes/{envelopeId}/documents",
        }
    }
    /// "This envelope's recipients were", for the warning.
    fn what(&self) -> &'static str {
        match self {
            Resource::Envelope => "This envelope was",
            Resource::Recipients => "This envelope's recipients (with their field values) were",
            Resource::Document(_) => "This document was",
            Resource::Documents => "This envelope's document list was",
        }
    }
}

/// "40 seconds ago", "1 minute ago", "2 minutes ago".
pub fn ago_words(secs: u64) -> String {
    match secs {
        0..=4 => "a moment ago".into(),
        5..=59 => format!("{secs} seconds ago"),
        60..=119 => "1 minute ago".into(),
        s => format!("{} minutes ago", s / 60),
    }
}

/// "13 minutes", "40 seconds".
fn wait_words(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs} second{}", if secs == 1 { "" } else { "s" }),
        60..=119 => "1 minute".into(),
        s => format!("{} minutes", s.div_ceil(60)),
    }
}

fn age_secs(now: SystemTime, at_ms: i64) -> u64 {
    (unix_ms(now) - at_ms).max(0) as u64 / 1000
}

/// The answers kept in the state file, and the ledger that says what was fetched when.
#[derive(Debug, Clone)]
pub struct EnvelopeAnswers {
    store: Store,
    ledger: Ledger,
}

impl EnvelopeAnswers {
    /// The answers kept in `store` (the same state file as the ledger).
    pub fn new(store: Store) -> Self {
        EnvelopeAnswers {
            ledger: Ledger::new(store.clone()),
            store,
        }
    }

    fn ids(scope: &Scope, envelope_id: &str) -> [String; 3] {
        [
            scope.integration_key.trim().to_ascii_lowercase(),
            scope.account_id.trim().to_ascii_lowercase(),
            envelope_id.trim().to_ascii_lowercase(),
        ]
    }

    /// The kept answer for `res` if it was fetched within the 15 minutes before `now`:
    /// `(fetched Unix ms, body)`.
    fn stored(
        &self,
        scope: &Scope,
        envelope_id: &str,
        res: &Resource,
        now: SystemTime,
    ) -> Result<Option<(i64, Value)>, StoreError> {
        let [ik, acc, env] = Self::ids(scope, envelope_id);
        let since = unix_ms(now) - POLLING_WINDOW_SECS * 1000;
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare("SELECT fetched_ms, body FROM envelope_answers WHERE integration_key = ?1 AND auth_host = ?2 AND account_id = ?3 AND envelope_id = ?4 AND resource = ?5 AND fetched_ms > ?6")
            .map_err(|e| self.store.err(e))?;
        let mut rows = stmt
            .query_map(
                params![ik, scope.auth_host, acc, env, res.key(), since],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )
            .map_err(|e| self.store.err(e))?;
        match rows.next() {
            Some(row) => {
                let (at, body) = row.map_err(|e| self.store.err(e))?;
                Ok(serde_json::from_str(&body).ok().map(|v| (at, v)))
            }
            None => Ok(None),
        }
    }

    /// Keeps an answer fetched at `at`.
    fn keep(
        &self,
        scope: &Scope,
        envelope_id: &str,
        res: &Resource,
        at: SystemTime,
        body: &Value,
    ) -> Result<(), StoreError> {
        let [ik, acc, env] = Self::ids(scope, envelope_id);
        let conn = self.store.conn();
        conn.execute(
            "INSERT OR REPLACE INTO envelope_answers (integration_key, auth_host, account_id, envelope_id, resource, fetched_ms, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![ik, scope.auth_host, acc, env, res.key(), unix_ms(at), body.to_string()],
        )
        .map_err(|e| self.store.err(e))?;
        Ok(())
    }

    /// Changes every kept answer of an envelope in place (its fetch time stays: what changed
    /// is known without a fetch, e.g. after a void or a sandbox move).
    fn patch(
        &self,
        scope: &Scope,
        envelope_id: &str,
        mut f: impl FnMut(&str, &mut Value),
    ) -> Result<(), StoreError> {
        let [ik, acc, env] = Self::ids(scope, envelope_id);
        let conn = self.store.conn();
        let rows: Vec<(String, String)> = {
            let mut stmt = conn
                .prepare("SELECT resource, body FROM envelope_answers WHERE integration_key = ?1 AND auth_host = ?2 AND account_id = ?3 AND envelope_id = ?4")
                .map_err(|e| self.store.err(e))?;
            let rows = stmt
                .query_map(params![ik, scope.auth_host, acc, env], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(|e| self.store.err(e))?;
            rows.collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.store.err(e))?
        };
        for (resource, body) in rows {
            let Ok(mut v) = serde_json::from_str::<Value>(&body) else {
                continue;
            };
            f(&resource, &mut v);
            conn.execute(
                "UPDATE envelope_answers SET body = ?6 WHERE integration_key = ?1 AND auth_host = ?2 AND account_id = ?3 AND envelope_id = ?4 AND resource = ?5",
                params![ik, scope.auth_host, acc, env, resource, v.to_string()],
            )
            .map_err(|e| self.store.err(e))?;
        }
        Ok(())
    }

    /// The last fetch of `res` within the 15 minutes before `now` (from the ledger, so
    /// fetches by any screen or command count), Unix ms.
    fn last_fetch(
        &self,
        scope: &Scope,
        envelope_id: &str,
        res: &Resource,
        now: SystemTime,
    ) -> Result<Option<i64>, StoreError> {
        let tail = format!(
            "/accounts/{}/envelopes/{}{}",
            scope.account_id.trim().to_ascii_lowercase(),
            envelope_id.trim().to_ascii_lowercase(),
            res.suffix()
        );
        Ok(self
            .ledger
            .envelope_fetches(
                &scope.integration_key,
                &scope.auth_host,
                envelope_id.trim(),
                now,
            )?
            .into_iter()
            .find(|(path, _)| path.to_ascii_lowercase().ends_with(&tail))
            .map(|(_, at)| at))
    }

    /// What `req` would fetch with [`FetchPolicy::FetchAnyway`]: the envelope and endpoint.
    fn target(req: &ActionRequest) -> Option<(String, Resource)> {
        Some(match req {
            ActionRequest::GetEnvelope { envelope_id } => (envelope_id.clone(), Resource::Envelope),
            ActionRequest::GetRecipientStatus { envelope_id }
            | ActionRequest::GetTabValues { envelope_id, .. } => {
                (envelope_id.clone(), Resource::Recipients)
            }
            ActionRequest::DownloadDocument {
                envelope_id,
                document_id,
                ..
            } => (
                envelope_id.clone(),
                Resource::Document(document_id.trim().to_string()),
            ),
            _ => return None,
        })
    }

    /// Whether fetching what `req` asks for now would fetch an envelope endpoint again within
    /// 15 minutes (a polling violation), and whether that earlier answer is kept. `None`
    /// when the request is not an envelope fetch or nothing was fetched in the window.
    /// Input is checked first; a malformed request gives `None` (running it says why).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn earlier_fetch(
        &self,
        scope: &Scope,
        req: &ActionRequest,
        now: SystemTime,
    ) -> Result<Option<EarlierFetch>, StoreError> {
        let Ok(req) = req.checked() else {
            return Ok(None);
        };
        let Some((envelope_id, res)) = Self::target(&req) else {
            return Ok(None);
        };
        let Some(at) = self.last_fetch(scope, &envelope_id, &res, now)? else {
            return Ok(None);
        };
        let answer_kept = !matches!(res, Resource::Document(_))
            && self.stored(scope, &envelope_id, &res, now)?.is_some();
        let age = age_secs(now, at);
        let wait = (POLLING_WINDOW_SECS as u64).saturating_sub(age);
        let ago = ago_words(age);
        Ok(Some(EarlierFetch {
            endpoint: res.endpoint().into(),
            fetched_at: rfc3339(at),
            age_seconds: age,
            ago: ago.clone(),
            wait_seconds: wait,
            answer_kept,
            message: format!(
                "{} fetched {ago}. Fetching again within 15 minutes counts as polling in DocuSign's Go-Live review and resets the Go-Live streak (in {} it no longer does).",
                res.what(),
                wait_words(wait)
            ),
        }))
    }

    fn reused(at: i64, now: SystemTime) -> Reused {
        let age = age_secs(now, at);
        let ago = ago_words(age);
        Reused {
            fetched_at: rfc3339(at),
            age_seconds: age,
            ago: ago.clone(),
            message: format!("The answer fetched {ago}: no call was made, because fetching the same envelope again within 15 minutes counts as polling in DocuSign's Go-Live review."),
        }
    }

    /// Brings kept answers up to date after a sandbox move (deliver, sign, decline) whose
    /// result `state` is the emulator's answer (`status`, `recipients[]` with `recipient_id`
    /// and `status`); `tabs` are the values the recipient `recipient_id` signed with
    /// (`{label: value}`). No call is made.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn note_sandbox_move(
        &self,
        scope: &Scope,
        envelope_id: &str,
        recipient_id: &str,
        state: &Value,
        tabs: Option<&Value>,
    ) -> Result<(), StoreError> {
        let status = state
            .get("status")
            .and_then(Value::as_str)
            .map(String::from);
        let moved: Vec<(String, String)> = state
            .get("recipients")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|r| {
                        Some((
                            r.get("recipient_id")?.as_str()?.to_string(),
                            r.get("status")?.as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.patch(scope, envelope_id, |resource, v| {
            let recipients = if resource == "envelope" {
                if let Some(s) = &status {
                    v["status"] = json!(s);
                }
                v.get_mut("recipients")
            } else if resource == "recipients" {
                Some(v)
            } else {
                if resource == format!("recipients/{}/tabs", recipient_id.to_ascii_lowercase()) {
                    if let Some(t) = tabs {
                        set_tab_values(v, t);
                    }
                }
                None
            };
            let Some(Value::Object(groups)) = recipients else {
                return;
            };
            for list in groups.values_mut() {
                let Some(list) = list.as_array_mut() else {
                    continue;
                };
                for r in list {
                    let id = r
                        .get("recipientId")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    if let Some((_, s)) = moved.iter().find(|(m, _)| *m == id) {
                        r["status"] = json!(s);
                    }
                    if id == recipient_id {
                        if let (Some(t), Some(rt)) = (tabs, r.get_mut("tabs")) {
                            set_tab_values(rt, t);
                        }
                    }
                }
            }
        })
    }
}

/// Sets `value` of every tab whose `tabLabel` is a key of `values` (`{label: value}`).
fn set_tab_values(tabs: &mut Value, values: &Value) {
    let (Some(groups), Some(values)) = (tabs.as_object_mut(), values.as_object()) else {
        return;
    };
    for list in groups.values_mut() {
        for t in list.as_array_mut().into_iter().flatten() {
            let label = t.get("tabLabel").and_then(Value::as_str).map(String::from);
            if let Some(v) = label.and_then(|l| values.get(&l)) {
                t["value"] = match v {
                    Value::String(s) => json!(s),
                    other => json!(other.to_string()),
                };
            }
        }
    }
}

/// Runs one action like [`actions::run`], with envelope fetches going through the kept
/// answers: with [`FetchPolicy::Reuse`] an answer of the last 15 minutes is used (the result
/// then has `"reused": {…}`, see [`Reused`]); otherwise the endpoint is fetched and its
/// answer kept, and if it was fetched within 15 minutes already the result has
/// `"polling_warning": {…}` ([`EarlierFetch`]). The status check before a void uses the
/// envelope answer of the last 15 minutes when there is one. Other actions run as they are.
///
/// # Errors
/// [`ActionFailure`] as [`actions::run`].
pub async fn run_action(
    client: &EsignClient,
    answers: &EnvelopeAnswers,
    scope: &Scope,
    req: &ActionRequest,
    policy: FetchPolicy,
    progress: impl FnMut(u64, Option<u64>),
) -> Result<ActionResult, ActionFailure> {
    let (result, unrecorded) = Store::tracking_unrecorded(run_action_inner(
        client, answers, scope, req, policy, progress,
    ))
    .await;
    let Some(reason) = unrecorded else {
        return result;
    };
    // A call of this action reached DocuSign but its outcome could not be written down.
    let problem = format!(
        "A call of this action could not be recorded in the Go-Live ledger: {reason}. \
         The Go-Live streak is unknown until a call is recorded again."
    );
    match result {
        Ok(mut v) => {
            v.ledger_recorded = Some(false);
            v.ledger_problem = Some(problem);
            Ok(v)
        }
        Err(mut f) => {
            f.ledger_recorded = Some(false);
            f.ledger_problem = Some(problem);
            Err(f)
        }
    }
}

async fn run_action_inner(
    client: &EsignClient,
    answers: &EnvelopeAnswers,
    scope: &Scope,
    req: &ActionRequest,
    policy: FetchPolicy,
    progress: impl FnMut(u64, Option<u64>),
) -> Result<ActionResult, ActionFailure> {
    let req = req.checked()?;
    let name = req.name();
    let fail = |e: EsignError| ActionFailure::from_error(name, &e);
    let now = SystemTime::now();
    let warn = |req: &ActionRequest| answers.earlier_fetch(scope, req, now).ok().flatten();
    let reuse = policy == FetchPolicy::Reuse;
    let stored = |env: &str, res: &Resource| {
        answers.stored(scope, env, res, now).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "kept envelope answers unreadable");
            None
        })
    };
    let keep = |env: &str, res: &Resource, at: SystemTime, body: &Value| {
        if let Err(e) = answers.keep(scope, env, res, at, body) {
            tracing::warn!(error = %e, "could not keep an envelope answer");
        }
    };
    let mark = |answer: ActionAnswer, reused: Option<Reused>, warning: Option<EarlierFetch>| {
        let mut v = ActionResult::new(answer);
        v.reused = reused;
        v.polling_warning = warning;
        v
    };
    match &req {
        ActionRequest::GetEnvelope { envelope_id } => {
            let res = Resource::Envelope;
            if reuse {
                if let Some((at, body)) = stored(envelope_id, &res) {
                    return Ok(mark(
                        ActionAnswer::GetEnvelope { envelope: body },
                        Some(EnvelopeAnswers::reused(at, now)),
                        None,
                    ));
                }
            }
            let warning = warn(&req);
            let e = fetch_envelope(client, envelope_id).await.map_err(fail)?;
            let body = serde_json::to_value(&e).unwrap_or(Value::Null);
            keep(envelope_id, &res, now, &body);
            Ok(mark(
                ActionAnswer::GetEnvelope { envelope: body },
                None,
                warning,
            ))
        }
        ActionRequest::GetRecipientStatus { envelope_id }
        | ActionRequest::GetTabValues { envelope_id, .. } => {
            // One answer for all three: the recipients with their tabs. One recipient's values
            // are picked from it, so a recipient ID the envelope does not have is refused with
            // its recipients named, instead of a per-recipient call DocuSign would refuse.
            let res = Resource::Recipients;
            let answer = |r: &Recipients| -> Result<ActionAnswer, ActionFailure> {
                match &req {
                    ActionRequest::GetTabValues {
                        recipient_id: Some(rid),
                        ..
                    } => {
                        if let Some(p) = id_checks::recipient_refusal(envelope_id, rid, r) {
                            return Err(ActionFailure::new(name, p));
                        }
                        let same = |v: Option<&str>| {
                            v.is_some_and(|v| v.trim().eq_ignore_ascii_case(rid.trim()))
                        };
                        let ids: Vec<String> = r
                            .all()
                            .filter(|(_, x)| {
                                same(x.recipient_id.as_deref())
                                    || same(x.recipient_id_guid.as_deref())
                            })
                            .filter_map(|(_, x)| x.recipient_id.clone())
                            .collect();
                        let one = actions::tabs_of(r)
                            .into_iter()
                            .filter(|t| ids.contains(&t.recipient_id))
                            .collect();
                        Ok(actions::tab_values(envelope_id, one))
                    }
                    ActionRequest::GetTabValues { .. } => {
                        Ok(actions::tab_values(envelope_id, actions::tabs_of(r)))
                    }
                    _ => Ok(actions::recipient_status(envelope_id, r)),
                }
            };
            if reuse {
                if let Some((at, body)) = stored(envelope_id, &res) {
                    if let Ok(r) = serde_json::from_value::<Recipients>(body) {
                        return Ok(mark(
                            answer(&r)?,
                            Some(EnvelopeAnswers::reused(at, now)),
                            None,
                        ));
                    }
                }
            }
            let warning = warn(&req);
            let r = client
                .get_recipients_with_tabs(envelope_id)
                .await
                .map_err(fail)?;
            keep(
                envelope_id,
                &res,
                now,
                &serde_json::to_value(&r).unwrap_or(Value::Null),
            );
            Ok(mark(answer(&r)?, None, warning))
        }
        ActionRequest::VoidEnvelope {
            envelope_id,
            reason,
        } => {
            let res = Resource::Envelope;
            // The status: from the envelope answer of the last 15 minutes, else one fetch (kept).
            let (status, reused) = match stored(envelope_id, &res) {
                Some((at, body)) => (
                    body.get("status")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    Some(EnvelopeAnswers::reused(at, now)),
                ),
                None => {
                    let e = fetch_envelope(client, envelope_id).await.map_err(fail)?;
                    keep(
                        envelope_id,
                        &res,
                        now,
                        &serde_json::to_value(&e).unwrap_or(Value::Null),
                    );
                    (e.status.unwrap_or_default(), None)
                }
            };
            client
                .void_envelope_in_status(envelope_id, reason, &status)
                .await
                .map_err(fail)?;
            let voided_at = rfc3339(unix_ms(SystemTime::now()));
            if let Err(e) = answers.patch(scope, envelope_id, |resource, v| {
                if resource == "envelope" {
                    v["status"] = json!("voided");
                    v["voidedReason"] = json!(reason);
                    v["voidedDateTime"] = json!(voided_at);
                }
            }) {
                tracing::warn!(error = %e, "could not note the void in the kept answers");
            }
            let mut v = ActionResult::new(ActionAnswer::VoidEnvelope {
                envelope_id: envelope_id.clone(),
                status: "voided".into(),
                voided_reason: reason.clone(),
            });
            v.status_checked_from = reused;
            Ok(v)
        }
        ActionRequest::DownloadDocument {
            envelope_id,
            document_id,
            ..
        } => {
            // The place to save was checked with the input; now the document number, against
            // the envelope's list (kept for 15 minutes like any envelope answer).
            if let Ok(DocumentId::Id(number)) = actions::parse_document_id(document_id) {
                // The list, and when it was fetched when it is a kept answer.
                let documents: Option<(Vec<EnvelopeDocument>, Option<i64>)> =
                    match stored(envelope_id, &Resource::Documents).and_then(|(at, v)| {
                        serde_json::from_value::<EnvelopeDocuments>(v)
                            .ok()
                            .map(|d| (d.envelope_documents, Some(at)))
                    }) {
                        Some(d) => Some(d),
                        None => {
                            match stored(envelope_id, &Resource::Envelope).and_then(|(at, v)| {
                                v.get("envelopeDocuments")
                                    .cloned()
                                    .and_then(|v| {
                                        serde_json::from_value::<Vec<EnvelopeDocument>>(v).ok()
                                    })
                                    .map(|d| (d, Some(at)))
                            }) {
                                Some(d) => Some(d),
                                // Listed within 15 minutes but not kept: listing again would be
                                // polling, so the download itself is the check.
                                None if answers
                                    .last_fetch(scope, envelope_id, &Resource::Documents, now)
                                    .ok()
                                    .flatten()
                                    .is_some() =>
                                {
                                    None
                                }
                                None => {
                                    let d =
                                        client.list_documents(envelope_id).await.map_err(fail)?;
                                    keep(
                                        envelope_id,
                                        &Resource::Documents,
                                        now,
                                        &serde_json::to_value(&d).unwrap_or(Value::Null),
                                    );
                                    Some((d.envelope_documents, None))
                                }
                            }
                        }
                    };
                if let Some((documents, kept_at)) = documents {
                    if let Some(mut p) =
                        id_checks::document_refusal(envelope_id, number, &documents)
                    {
                        // A kept list may miss a document added to a draft since: say its age.
                        if let Some(at) = kept_at {
                            p.message.push_str(&format!(
                                " (The envelope's document list as fetched {}.)",
                                ago_words(age_secs(now, at))
                            ));
                        }
                        return Err(ActionFailure::new(name, p));
                    }
                }
            }
            let warning = warn(&req);
            let mut v = actions::run(client, &req, progress).await?;
            v.polling_warning = warning;
            Ok(v)
        }
        _ => actions::run(client, &req, progress).await,
    }
}

/// `GET envelopes/{envelopeId}` with what "Look at an envelope" shows (recipients, custom
/// fields, documents), so one answer serves every screen.
async fn fetch_envelope(client: &EsignClient, envelope_id: &str) -> Result<Envelope, EsignError> {
    client
        .get_envelope_with(envelope_id, &["recipients", "custom_fields", "documents"])
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use docusign_api::observe::{CallKind, CallRecord};
    use std::time::{Duration, UNIX_EPOCH};

    const E1: &str = "a1b2c3d4-0000-4000-8000-00000000000e";

    fn scope() -> Scope {
        Scope {
            integration_key: "IK".into(),
            auth_host: "account-d.docusign.com".into(),
            account_id: "ACC".into(),
        }
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    fn fetched(ledger: &Ledger, t: SystemTime, path: &str) {
        ledger
            .append(&CallRecord {
                started_at: t,
                kind: CallKind::Esignature,
                integration_key: "ik".into(),
                auth_host: "account-d.docusign.com".into(),
                method: "GET".into(),
                path_template:
                    "/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/recipients".into(),
                path: path.into(),
                envelope_id: Some(E1.into()),
                status: Some(200),
                error_code: None,
                duration_ms: 3,
            })
            .unwrap();
    }

    /// An answer is used for 15 minutes, then no longer; a repeat within 15 minutes is
    /// announced with its age and whether the answer is kept; another envelope endpoint is not.
    #[test]
    fn answers_last_15_minutes_and_repeats_are_announced() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let answers = EnvelopeAnswers::new(store.clone());
        let ledger = Ledger::new(store);
        let s = scope();
        fetched(
            &ledger,
            at(0),
            &format!("/restapi/v2.1/accounts/ACC/envelopes/{E1}/recipients"),
        );
        answers
            .keep(
                &s,
                &E1.to_ascii_lowercase(),
                &Resource::Recipients,
                at(0),
                &json!({"signers": []}),
            )
            .unwrap();
        let ask = ActionRequest::GetTabValues {
            envelope_id: E1.into(),
            recipient_id: None,
        };
        let w = answers.earlier_fetch(&s, &ask, at(120)).unwrap().unwrap();
        assert_eq!(w.age_seconds, 120);
        assert_eq!(w.ago, "2 minutes ago");
        assert_eq!(w.wait_seconds, 780);
        assert!(w.answer_kept);
        assert_eq!(w.endpoint, "GET envelopes/{envelopeId}/recipients");
        assert!(
            w.message
                .contains("counts as polling in DocuSign's Go-Live review"),
            "{}",
            w.message
        );
        assert!(
            w.message.contains("in 13 minutes it no longer does"),
            "{}",
            w.message
        );
        assert!(answers
            .stored(&s, E1, &Resource::Recipients, at(899))
            .unwrap()
            .is_some());
        // Another endpoint of the same envelope was not fetched.
        let env = ActionRequest::GetEnvelope {
            envelope_id: E1.into(),
        };
        assert!(answers.earlier_fetch(&s, &env, at(120)).unwrap().is_none());
        // 15 minutes later: no warning, no kept answer.
        assert!(answers.earlier_fetch(&s, &ask, at(900)).unwrap().is_none());
        assert!(answers
            .stored(&s, E1, &Resource::Recipients, at(900))
            .unwrap()
            .is_none());
        // Another account's envelope of the same ID: nothing.
        let other = Scope {
            account_id: "OTHER".into(),
            ..scope()
        };
        assert!(answers
            .earlier_fetch(&other, &ask, at(60))
            .unwrap()
            .is_none());
    }

    /// A sandbox move updates the kept answers (status, recipients, tab values) without a call.
    #[test]
    fn sandbox_moves_update_kept_answers() {
        let dir = tempfile::tempdir().unwrap();
        let answers = EnvelopeAnswers::new(Store::open(dir.path()).unwrap());
        let s = scope();
        let now = SystemTime::now();
        answers
            .keep(&s, E1, &Resource::Envelope, now, &json!({"status": "sent", "recipients": {"signers": [{"recipientId": "1", "status": "sent"}]}}))
            .unwrap();
        answers
            .keep(&s, E1, &Resource::Recipients, now, &json!({"signers": [{"recipientId": "1", "status": "sent", "tabs": {"textTabs": [{"tabLabel": "Company", "value": ""}]}}]}))
            .unwrap();
        answers
            .note_sandbox_move(
                &s,
                E1,
                "1",
                &json!({"status": "completed", "recipients": [{"recipient_id": "1", "status": "completed"}]}),
                Some(&json!({"Company": "Acme"})),
            )
            .unwrap();
        let (_, env) = answers
            .stored(&s, E1, &Resource::Envelope, now)
            .unwrap()
            .unwrap();
        assert_eq!(env["status"], "completed");
        assert_eq!(env["recipients"]["signers"][0]["status"], "completed");
        let (_, rec) = answers
            .stored(&s, E1, &Resource::Recipients, now)
            .unwrap()
            .unwrap();
        assert_eq!(rec["signers"][0]["status"], "completed");
        assert_eq!(rec["signers"][0]["tabs"]["textTabs"][0]["value"], "Acme");
    }

    #[test]
    fn ages_in_words() {
        assert_eq!(ago_words(3), "a moment ago");
        assert_eq!(ago_words(40), "40 seconds ago");
        assert_eq!(ago_words(61), "1 minute ago");
        assert_eq!(ago_words(150), "2 minutes ago");
        assert_eq!(wait_words(780), "13 minutes");
        assert_eq!(wait_words(1), "1 second");
    }
}
