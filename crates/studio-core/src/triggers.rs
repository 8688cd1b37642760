//! The two polling triggers of the seed guide: `on_envelope_status_change`
//! and `on_recipient_completed`, each with an optional template filter.
//!
//! DocuSign's polling rules (docusign-facts.md §4.1, §6; field cases F27,
//! F30, F32): one listStatusChanges call per cycle (plus one per extra page),
//! always with a `from_date` cursor taken from the **server's** time
//! (`lastQueriedDateTime`) minus a small overlap, `include=recipients,custom_fields`
//! so no per-envelope GET is needed, events de-duplicated, and no more often
//! than every 15 minutes against DocuSign (shorter only in the sandbox).

use crate::action_result::BouncedRecipient;
use crate::store::StoreError;
use crate::trigger_store::{StoredEvent, TriggerStore};
use docusign_api::environment::AuthServerKind;
use docusign_api::esign::models::Envelope;
use docusign_api::esign::{DateArg, EsignClient, EsignError, ListEnvelopesQuery};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The shortest interval against DocuSign (demo or production), in seconds:
/// "You are not allowed to poll DocuSign more than once every 15 minutes."
pub const MIN_INTERVAL_DOCUSIGN_SECS: u64 = 15 * 60;
/// The shortest interval against the sandbox, in seconds.
pub const MIN_INTERVAL_SANDBOX_SECS: u64 = 1;
/// Each poll asks for changes since this many seconds before the previous
/// poll's server time (DocuSign's polling recipe: 3 minutes), tolerating duplicates.
pub const OVERLAP_SECS: i64 = 180;
/// With no saved cursor, the first poll looks back this far (seconds).
pub const FIRST_LOOKBACK_SECS: i64 = 24 * 3600;

/// Which trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// An envelope's top-level status changes (e.g. sent → completed).
    OnEnvelopeStatusChange,
    /// A recipient finishes signing (recipient status `completed`).
    OnRecipientCompleted,
}

impl TriggerKind {
    /// `on_envelope_status_change` / `on_recipient_completed`.
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerKind::OnEnvelopeStatusChange => "on_envelope_status_change",
            TriggerKind::OnRecipientCompleted => "on_recipient_completed",
        }
    }
}

/// Checks a polling interval for an environment: at least 15 minutes against
/// DocuSign, at least 1 s against the sandbox (a custom auth server).
///
/// # Errors
/// A sentence saying the minimum and why.
pub fn check_interval(environment: AuthServerKind, secs: u64) -> Result<Duration, String> {
    let min = if environment == AuthServerKind::Custom {
        MIN_INTERVAL_SANDBOX_SECS
    } else {
        MIN_INTERVAL_DOCUSIGN_SECS
    };
    if secs < min {
        return Err(if environment == AuthServerKind::Custom {
            format!(
                "the interval must be at least {}",
                crate::problem::counted(min, "second", "seconds")
            )
        } else {
            format!(
                "the interval must be at least {min} seconds (15 minutes) against DocuSign: its polling rule forbids more frequent polling, and a Go-Live review is refused for it. Shorter intervals are allowed only in the sandbox."
            )
        });
    }
    Ok(Duration::from_secs(secs))
}

/// How many API calls per hour a trigger costs at `interval`, one page per cycle.
pub fn calls_per_hour(interval: Duration) -> f64 {
    3600.0 / interval.as_secs_f64().max(1.0)
}

/// The identity of a desktop trigger's state (settings, cursor, seen events): one per trigger
/// kind, integration key and account, whatever its template filter (changing the filter keeps
/// the trigger's place: it goes on from its cursor) and whatever the port of the auth server
/// (a sandbox may come back on another port). `dsjwt watch` keeps its own state per filter
/// ([`trigger_id`]), so a watch in a terminal never takes the app's events.
pub fn app_trigger_id(kind: TriggerKind, integration_key: &str, account_id: &str) -> String {
    format!(
        "{}|app|{}|{}|app",
        kind.as_str(),
        integration_key.trim().to_ascii_lowercase(),
        account_id.trim().to_ascii_lowercase()
    )
}

/// The stable identity of a trigger's state (cursor, seen events).
pub fn trigger_id(
    kind: TriggerKind,
    auth_host: &str,
    integration_key: &str,
    account_id: &str,
    template_id: Option<&str>,
) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        kind.as_str(),
        auth_host,
        integration_key.to_ascii_lowercase(),
        account_id.to_ascii_lowercase(),
        template_id.unwrap_or("*").to_ascii_lowercase()
    )
}

/// A recipient who finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecipientEvent {
    /// Recipient ID within the envelope.
    pub recipient_id: String,
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Template role.
    pub role_name: Option<String>,
    /// `signer`, `carbonCopy`, …
    pub recipient_type: String,
    /// When they signed (DocuSign's time).
    pub completed_at: Option<String>,
}

/// One trigger event, printed as one JSON line by `dsjwt watch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TriggerEvent {
    /// `on_envelope_status_change` or `on_recipient_completed`.
    pub trigger: TriggerKind,
    /// De-duplication key.
    pub event_id: String,
    /// The envelope.
    pub envelope_id: String,
    /// The envelope's status now.
    pub status: String,
    /// `statusChangedDateTime` (DocuSign's time).
    pub status_changed_at: Option<String>,
    /// The template it was sent from (`templateId` envelope custom field), if known.
    pub template_id: Option<String>,
    /// The email subject.
    pub email_subject: Option<String>,
    /// For `on_recipient_completed`: who.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<RecipientEvent>,
    /// F43: a recipient's email bounced (`autoresponded`) while the envelope stays `sent`.
    /// The envelope's status did not change, so this is a separate notice of either trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub delivery_problem: Option<BouncedRecipient>,
}

/// F43: one notice per bounced recipient of the listed envelopes (template filter re-checked),
/// keyed by envelope + recipient so it is reported once.
pub fn delivery_problems_from(
    kind: TriggerKind,
    envelopes: &[Envelope],
    template_id: Option<&str>,
) -> Vec<TriggerEvent> {
    let mut out = Vec::new();
    for env in envelopes {
        let (Some(id), Some(recipients)) = (env.envelope_id.clone(), &env.recipients) else {
            continue;
        };
        if let Some(t) = template_id {
            if !env.template_id().is_some_and(|v| v.eq_ignore_ascii_case(t)) {
                continue;
            }
        }
        for (_, r) in recipients.all() {
            let Some(mut bounced) = crate::actions::bounce_problem(r) else {
                continue;
            };
            // A notice always names a recipient ID (empty when DocuSign gave none).
            let rid = bounced.recipient_id.get_or_insert_with(String::new).clone();
            out.push(TriggerEvent {
                trigger: kind,
                event_id: format!("bounce:{id}:{rid}"),
                envelope_id: id.clone(),
                status: env.status.clone().unwrap_or_default(),
                status_changed_at: env.status_changed_date_time.clone(),
                template_id: env.template_id().map(String::from),
                email_subject: env.email_subject.clone(),
                recipient: None,
                delivery_problem: Some(bounced),
            });
        }
    }
    out
}

/// The events in one page of listStatusChanges, filtered by template
/// (re-checked client-side: listStatusChanges can return extra envelopes).
pub fn events_from(
    kind: TriggerKind,
    envelopes: &[Envelope],
    template_id: Option<&str>,
) -> Vec<TriggerEvent> {
    let mut out = Vec::new();
    for env in envelopes {
        let Some(id) = env.envelope_id.clone() else {
            continue;
        };
        if let Some(t) = template_id {
            if !env.template_id().is_some_and(|v| v.eq_ignore_ascii_case(t)) {
                continue;
            }
        }
        let status = env.status.clone().unwrap_or_default();
        let base = TriggerEvent {
            trigger: kind,
            event_id: String::new(),
            envelope_id: id.clone(),
            status: status.clone(),
            status_changed_at: env.status_changed_date_time.clone(),
            template_id: env.template_id().map(String::from),
            email_subject: env.email_subject.clone(),
            recipient: None,
            delivery_problem: None,
        };
        match kind {
            TriggerKind::OnEnvelopeStatusChange => {
                let mut ev = base;
                ev.event_id = format!(
                    "envelope:{}:{}:{}",
                    id,
                    status,
                    status_reached_at(env).unwrap_or("")
                );
                out.push(ev);
            }
            TriggerKind::OnRecipientCompleted => {
                let Some(recipients) = &env.recipients else {
                    continue;
                };
                for (rtype, r) in recipients.all() {
                    if r.status.as_deref() != Some("completed") {
                        continue;
                    }
                    let rid = r.recipient_id.clone().unwrap_or_default();
                    let mut ev = base.clone();
                    // F49: one event per recipient completion (envelope + recipient + when), so
                    // several completions in one interval are all reported, and an overlapping
                    // window repeats none.
                    ev.event_id = format!(
                        "recipient:{id}:{rid}:completed:{}",
                        r.signed_date_time.as_deref().unwrap_or("")
                    );
                    ev.recipient = Some(RecipientEvent {
                        recipient_id: rid,
                        name: r.name.clone(),
                        email: r.email.clone(),
                        role_name: r.role_name.clone(),
                        recipient_type: rtype.to_string(),
                        completed_at: r
                            .signed_date_time
                            .clone()
                            .or_else(|| r.delivered_date_time.clone()),
                    });
                    out.push(ev);
                }
            }
        }
    }
    out
}

/// When the envelope reached its current status: the status's own time (`sentDateTime` for
/// `sent`, `deliveredDateTime` for `delivered`, …), else `statusChangedDateTime`.
///
/// An envelope-status event is keyed on this, not on `statusChangedDateTime` alone: DocuSign
/// (and the emulator, docs/emulator.md F43) moves `statusChangedDateTime` on every recipient
/// change too (a bounce, an opening, a signature of one of several signers) while the
/// envelope's status stays the same, and such a move is not a status change: one change, one
/// event. A status reached again later (a corrected envelope sent again) has a new time of its
/// own, so it is a new event.
pub fn status_reached_at(env: &Envelope) -> Option<&str> {
    let own = match env
        .status
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("created") => env.created_date_time.as_deref(),
        Some("sent") => env.sent_date_time.as_deref(),
        Some("delivered") => env.delivered_date_time.as_deref(),
        Some("completed") => env.completed_date_time.as_deref(),
        Some("declined") => env.declined_date_time.as_deref(),
        Some("voided") => env.voided_date_time.as_deref(),
        _ => None,
    };
    own.filter(|t| !t.trim().is_empty())
        .or(env.status_changed_date_time.as_deref())
}

/// F47: checks a trigger's template filter before the trigger is armed: a template of another
/// account (a demo template on a production connection: templates are not copied at Go-Live)
/// never matches, so the trigger would never fire. The ID is looked up in the account's
/// template list (`GET …/templates`, a call that succeeds whatever the ID; see
/// [`crate::id_checks`]), so a wrong ID costs no failing call and leaves the Go-Live streak as
/// it was.
///
/// # Errors
/// [`IdCheckError::NotFound`] (`template_not_in_account`, naming the account's templates), or
/// [`IdCheckError::CheckFailed`] when the list could not be fetched.
pub async fn check_template_filter(
    client: &EsignClient,
    template_id: &str,
) -> Result<(), crate::id_checks::IdCheckError> {
    crate::id_checks::template_in_account(client, template_id).await
}

/// `now - FIRST_LOOKBACK_SECS` (ISO 8601 UTC): the `from_date` of a trigger's first poll,
/// `now` being DocuSign's clock ([`docusign_api::clock::ServerClock::now`]).
pub fn first_from_date(now: std::time::SystemTime) -> String {
    let t = time::OffsetDateTime::from(now) - time::Duration::seconds(FIRST_LOOKBACK_SECS);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn parse_time(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// By how many seconds the time `a` is later than `b` (0 when not, or when either does not
/// parse).
fn later_by(a: &str, b: &str) -> i64 {
    match (parse_time(a), parse_time(b)) {
        (Some(a), Some(b)) => (a - b).whole_seconds().max(0),
        _ => 0,
    }
}

/// `cursor - OVERLAP_SECS`, as the next `from_date` (ISO 8601 UTC). A cursor
/// that does not parse is used as is (DocuSign parses many formats).
pub fn from_date_for(cursor: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(cursor.trim(), &Rfc3339) {
        Ok(t) => (t - time::Duration::seconds(OVERLAP_SECS))
            .format(&Rfc3339)
            .unwrap_or_else(|_| cursor.to_string()),
        Err(_) => cursor.to_string(),
    }
}

/// One poll's outcome. Its events are in the state file, committed and undelivered:
/// hand them to the consumer with [`deliver_pending`].
#[derive(Debug, Clone, Default)]
pub struct CycleOutcome {
    /// New events this poll committed (not counting those left undelivered by an earlier
    /// run, which [`deliver_pending`] hands out too).
    pub new_events: u64,
    /// listStatusChanges calls made (one per page).
    pub calls: u32,
    /// The `from_date` sent.
    pub from_date: String,
    /// The cursor saved for the next poll: the server's `lastQueriedDateTime`, or, when the
    /// cycle stopped at [`MAX_PAGES_PER_CYCLE`], the last change it read.
    pub cursor: String,
    /// Something the person should know about this poll: the change list was longer than
    /// [`MAX_PAGES_PER_CYCLE`] pages, so the poll read part of it and the next one goes on from
    /// there.
    pub notice: Option<String>,
}

/// The most listStatusChanges pages one cycle reads (100 envelopes each by default). A longer
/// change list is read over several cycles: the cursor moves only as far as what was read.
pub const MAX_PAGES_PER_CYCLE: u32 = 1000;

/// How many events [`deliver_pending`] reads from the state file at a time.
pub const DELIVERY_BATCH: usize = 256;

/// Hands every committed, undelivered event of `trigger_id` to `consume`, oldest first
/// (those an earlier run committed but did not hand out come first), reading them
/// [`DELIVERY_BATCH`] at a time, and marks each delivered once `consume` returns: memory
/// holds one batch, whatever the number of events. Returns how many were handed out.
///
/// # Errors
/// [`StoreError`] reading a batch or marking an event delivered; delivery stops there and
/// the events not marked are handed out again next time (at least once, never lost).
pub fn deliver_pending(
    store: &TriggerStore,
    trigger_id: &str,
    mut consume: impl FnMut(&StoredEvent),
) -> Result<u64, StoreError> {
    let mut after = 0;
    let mut handed = 0;
    loop {
        let batch = store.undelivered_batch(trigger_id, after, DELIVERY_BATCH)?;
        let Some((last, _)) = batch.last() else {
            return Ok(handed);
        };
        after = *last;
        for (_, ev) in &batch {
            consume(ev);
            handed += 1;
            store.mark_delivered(trigger_id, &ev.key)?;
        }
    }
}

/// Why a poll failed; nothing was saved, so the next poll retries the same window.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TriggerError {
    /// DocuSign (or the network) refused.
    #[error(transparent)]
    Api(#[from] EsignError),
    /// The state file.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Runs one polling cycle: listStatusChanges from the saved cursor (minus the
/// overlap) with `include=recipients,custom_fields` and, with a template
/// filter, `custom_field=templateId=<id>`; follows every page. Each page's events
/// not seen before are written down (staged) before the next page is fetched, so
/// memory holds one page whatever the number of changes; once every page was read,
/// they and the server's `lastQueriedDateTime` (the next cursor) are committed in
/// one transaction (the cursor advances only after all pages succeeded, F32). Then
/// hand them out with [`deliver_pending`].
///
/// # Errors
/// [`TriggerError`]; nothing is committed then: the cursor stays, so the next poll covers
/// the same window, and what this one staged is committed with it (events are keyed, so
/// none is counted twice; staged rows are never dropped, so a cycle running at the same time
/// for the same trigger, e.g. two monitors, loses nothing either).
pub async fn run_cycle(
    client: &EsignClient,
    store: &TriggerStore,
    kind: TriggerKind,
    trigger_id: &str,
    template_id: Option<&str>,
) -> Result<CycleOutcome, TriggerError> {
    run_cycle_within(
        client,
        store,
        kind,
        trigger_id,
        template_id,
        MAX_PAGES_PER_CYCLE,
    )
    .await
}

/// [`run_cycle`] reading at most `max_pages` pages (at least 1). When the change list has more,
/// the cycle commits what it read and saves as the cursor the last change it read (the
/// `lastModifiedDateTime` of the last envelope: listStatusChanges lists the oldest change
/// first), not the server's time, so the next cycle goes on from there instead of skipping
/// the rest; [`CycleOutcome::notice`] says so.
///
/// # Errors
/// As [`run_cycle`].
pub async fn run_cycle_within(
    client: &EsignClient,
    store: &TriggerStore,
    kind: TriggerKind,
    trigger_id: &str,
    template_id: Option<&str>,
    max_pages: u32,
) -> Result<CycleOutcome, TriggerError> {
    let max_pages = max_pages.max(1);
    let saved = store.cursor(trigger_id)?;
    let mut from_date = match &saved {
        Some(c) => from_date_for(c),
        None => first_from_date(client.server_clock().now()),
    };
    let mut query = ListEnvelopesQuery {
        from_date: Some(DateArg::Text(from_date.clone())),
        include: vec!["recipients".into(), "custom_fields".into()],
        template_id: template_id.map(String::from),
        ..Default::default()
    };
    // A first poll before any DocuSign answer was seen in this process used this computer's
    // clock: when DocuSign's clock (its `lastQueriedDateTime`) says the window started later
    // than FIRST_LOOKBACK_SECS before its now (this computer's clock ahead), the poll asks
    // again from DocuSign's time, so a change just before the trigger started is not lost.
    let mut retried = saved.is_some();
    let mut calls = 0u32;
    let mut start = 0u64;
    let mut cursor: Option<String> = None;
    // The last change read, and whether the list went on past the page cap.
    let mut last_read: Option<String> = None;
    let mut capped = false;
    loop {
        let page = client.list_status_changes_page(&query, start).await?;
        calls += 1;
        if !retried {
            retried = true;
            let server_first = page
                .last_queried_date_time
                .as_deref()
                .and_then(parse_time)
                .map(|now| first_from_date(now.into()));
            if let Some(better) = server_first.filter(|b| later_by(&from_date, b) > 60) {
                from_date = better;
                query.from_date = Some(DateArg::Text(from_date.clone()));
                continue;
            }
        }
        if cursor.is_none() {
            cursor = page.last_queried_date_time.clone();
        }
        let stored = |e: TriggerEvent| StoredEvent {
            key: e.event_id.clone(),
            payload: serde_json::to_string(&e).unwrap_or_default(),
        };
        // this page's events are written down, then the page is dropped
        let mut found: Vec<StoredEvent> = events_from(kind, &page.envelopes, template_id)
            .into_iter()
            .map(stored)
            .collect();
        found.extend(
            delivery_problems_from(kind, &page.envelopes, template_id)
                .into_iter()
                .map(stored),
        );
        store.stage(trigger_id, &found)?;
        if let Some(last) = page.envelopes.last() {
            last_read = last
                .last_modified_date_time
                .clone()
                .or_else(|| last.status_changed_date_time.clone())
                .or(last_read);
        }
        let got = page.envelopes.len() as u64;
        let end = page.end_position.unwrap_or(start + got.saturating_sub(1));
        let more = match page.total_set_size {
            Some(total) => end + 1 < total,
            None => page.next_uri.as_deref().is_some_and(|u| !u.is_empty()),
        };
        if !more || got == 0 {
            break;
        }
        if calls >= max_pages {
            capped = true;
            break;
        }
        start = end + 1;
    }
    let (cursor, notice) = if capped {
        // Not past what was read: the next cycle asks from the last change read (minus the
        // overlap); with no date to go on, the cursor stays where it was.
        let cursor = last_read.or(saved).unwrap_or_else(|| from_date.clone());
        let notice = format!(
            "More changes than one poll reads ({calls} pages of listStatusChanges): this poll handed out the changes up to {cursor}, and the next poll goes on from there."
        );
        (cursor, Some(notice))
    } else {
        (cursor.unwrap_or_else(|| from_date.clone()), None)
    };
    let new_events = store.commit_staged(trigger_id, &cursor)?;
    Ok(CycleOutcome {
        new_events,
        calls,
        from_date,
        cursor,
        notice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// F49: poll 1 saw the envelope `sent`; poll 2 sees it `completed` with both signers
    /// completed in the same interval (no `delivered` ever seen). Every change is an event;
    /// the same page seen again (overlapping windows) gives the same keys.
    #[test]
    fn f49_collapsed_transitions_keyed_by_status_and_completion() {
        let poll1 = vec![env(serde_json::json!({"envelopeId":"e1","status":"sent",
            "statusChangedDateTime":"2026-11-29T10:00:00.0000000Z",
            "recipients":{"signers":[{"recipientId":"1","status":"sent"},{"recipientId":"2","status":"created"}]}}))];
        let poll2 = vec![env(
            serde_json::json!({"envelopeId":"e1","status":"completed",
            "statusChangedDateTime":"2026-11-29T10:20:00.0000000Z",
            "recipients":{"signers":[
                {"recipientId":"1","status":"completed","signedDateTime":"2026-11-29T10:05:00.0000000Z"},
                {"recipientId":"2","status":"completed","signedDateTime":"2026-11-29T10:20:00.0000000Z"}]}}),
        )];
        let s1 = events_from(TriggerKind::OnEnvelopeStatusChange, &poll1, None);
        let s2 = events_from(TriggerKind::OnEnvelopeStatusChange, &poll2, None);
        assert_eq!(s1.len(), 1);
        assert_eq!(s2.len(), 1);
        assert_eq!(s2[0].status, "completed");
        assert_ne!(
            s1[0].event_id, s2[0].event_id,
            "completed is not a duplicate of sent"
        );
        assert!(events_from(TriggerKind::OnRecipientCompleted, &poll1, None).is_empty());
        let r2 = events_from(TriggerKind::OnRecipientCompleted, &poll2, None);
        assert_eq!(r2.len(), 2, "both completions of the interval");
        let again = events_from(TriggerKind::OnRecipientCompleted, &poll2, None);
        assert_eq!(
            r2.iter().map(|e| &e.event_id).collect::<Vec<_>>(),
            again.iter().map(|e| &e.event_id).collect::<Vec<_>>()
        );
    }

    fn env(json: serde_json::Value) -> Envelope {
        serde_json::from_value(json).unwrap()
    }

    /// Issue 14: the events of a cycle are handed out a batch at a time from the state file,
    /// oldest first, each once; those an earlier run did not hand out come first; a second
    /// delivery hands out nothing.
    #[test]
    fn deliver_pending_in_batches_each_once_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = TriggerStore::new(crate::store::Store::open(dir.path()).unwrap());
        let ev = |i: usize| StoredEvent {
            key: format!("k{i:04}"),
            payload: format!("{{\"i\":{i}}}"),
        };
        let n = DELIVERY_BATCH * 2 + 10;
        // an earlier run committed 5 events and handed out 2 of them before it stopped
        store
            .commit_cycle("t", "c0", &(0..5).map(ev).collect::<Vec<_>>())
            .unwrap();
        store.mark_delivered("t", "k0000").unwrap();
        store.mark_delivered("t", "k0001").unwrap();
        for page in (5..n).collect::<Vec<_>>().chunks(100) {
            store
                .stage("t", &page.iter().map(|&i| ev(i)).collect::<Vec<_>>())
                .unwrap();
        }
        assert_eq!(store.commit_staged("t", "c1").unwrap(), (n - 5) as u64);
        let mut got = Vec::new();
        let handed = deliver_pending(&store, "t", |e| got.push(e.key.clone())).unwrap();
        assert_eq!(handed, (n - 2) as u64);
        assert_eq!(got, (2..n).map(|i| ev(i).key).collect::<Vec<_>>());
        assert_eq!(
            deliver_pending(&store, "t", |_| panic!("nothing left")).unwrap(),
            0
        );
    }

    #[test]
    fn interval_rules() {
        assert!(check_interval(AuthServerKind::Demo, 60)
            .unwrap_err()
            .contains("15 minutes"));
        assert!(check_interval(AuthServerKind::Production, 900).is_ok());
        assert!(check_interval(AuthServerKind::Custom, 2).is_ok());
        assert_eq!(calls_per_hour(Duration::from_secs(900)), 4.0);
    }

    #[test]
    fn overlap_is_three_minutes() {
        assert_eq!(
            from_date_for("2026-11-29T10:00:00Z"),
            "2026-11-29T09:57:00Z"
        );
        assert_eq!(
            from_date_for("2026-11-29T10:00:00.0000000Z"),
            "2026-11-29T09:57:00Z"
        );
    }

    #[test]
    fn template_filter_and_recipient_events() {
        let envs = vec![
            env(
                serde_json::json!({"envelopeId":"e1","status":"completed","statusChangedDateTime":"t1",
                "customFields":{"textCustomFields":[{"name":"templateId","value":"T1"}]},
                "recipients":{"signers":[{"recipientId":"1","status":"completed","name":"A","signedDateTime":"s1"},{"recipientId":"2","status":"sent"}],
                              "carbonCopies":[{"recipientId":"3","status":"completed"}]}}),
            ),
            env(
                serde_json::json!({"envelopeId":"e2","status":"sent","statusChangedDateTime":"t2"}),
            ),
        ];
        let all = events_from(TriggerKind::OnEnvelopeStatusChange, &envs, None);
        assert_eq!(all.len(), 2);
        let t1 = events_from(TriggerKind::OnEnvelopeStatusChange, &envs, Some("t1"));
        assert_eq!(t1.len(), 1);
        assert_eq!(t1[0].event_id, "envelope:e1:completed:t1");
        let r = events_from(TriggerKind::OnRecipientCompleted, &envs, None);
        assert_eq!(
            r.iter().map(|e| e.event_id.as_str()).collect::<Vec<_>>(),
            ["recipient:e1:1:completed:s1", "recipient:e1:3:completed:"]
        );
        assert_eq!(
            r[0].recipient.as_ref().unwrap().completed_at.as_deref(),
            Some("s1")
        );
    }
}
