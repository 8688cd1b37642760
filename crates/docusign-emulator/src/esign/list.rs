//! `GET /envelopes` (listStatusChanges) → `envelopesInformation`.

use std::cmp::Ordering;

use axum::extract::{Extension, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::model::*;
use super::render::{self, Include};
use super::{
    ds_json, time, with_account, ApiError, Caller, Query, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
use crate::state::AppState;

/// `from_to_status`: which transition must fall in [from_date, to_date].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Qualifier {
    Changed,
    Created,
    Sent,
    Delivered,
    Signed,
    Completed,
    Declined,
    TimedOut,
    Voided,
    Deleted,
    Processing,
}

impl Qualifier {
    fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "changed" | "any" => Qualifier::Changed,
            "created" => Qualifier::Created,
            "sent" => Qualifier::Sent,
            "delivered" => Qualifier::Delivered,
            "signed" => Qualifier::Signed,
            "completed" => Qualifier::Completed,
            "declined" => Qualifier::Declined,
            "timedout" => Qualifier::TimedOut,
            "voided" => Qualifier::Voided,
            "deleted" => Qualifier::Deleted,
            "processing" => Qualifier::Processing,
            _ => return None,
        })
    }

    /// The spec's "Valid Current Statuses" column (`None` = any).
    fn valid_statuses(self) -> Option<&'static [&'static str]> {
        match self {
            Qualifier::Changed | Qualifier::Created | Qualifier::Processing => None,
            Qualifier::Sent => Some(&[
                "sent",
                "delivered",
                "signed",
                "completed",
                "declined",
                "voided",
                "deleted",
            ]),
            Qualifier::Delivered => Some(&[
                "delivered",
                "signed",
                "completed",
                "declined",
                "voided",
                "deleted",
            ]),
            Qualifier::Signed => Some(&["signed", "completed", "declined", "voided", "deleted"]),
            Qualifier::Completed => Some(&["completed", "declined", "voided", "deleted"]),
            Qualifier::Declined => Some(&["declined", "voided", "deleted"]),
            Qualifier::TimedOut => Some(&["voided", "deleted"]),
            Qualifier::Voided => Some(&["voided", "deleted"]),
            Qualifier::Deleted => Some(&["deleted"]),
        }
    }

    /// The timestamp compared with the date range (the spec's "Effective Status Qualifier").
    fn stamp(self, e: &Envelope) -> Option<i64> {
        match self {
            Qualifier::Created => Some(e.created),
            Qualifier::Sent => e.sent,
            Qualifier::Completed => e.completed,
            Qualifier::Voided => e.voided,
            _ => Some(e.status_changed),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OrderBy {
    LastModified,
    Created,
    Completed,
    Sent,
    StatusChanged,
    Subject,
    Status,
}

const STATUS_NAMES: [&str; 11] = [
    "any",
    "completed",
    "created",
    "declined",
    "deleted",
    "delivered",
    "processing",
    "sent",
    "signed",
    "timedout",
    "voided",
];

const SPECIAL_FOLDERS: [&str; 10] = [
    "awaiting_my_signature",
    "completed",
    "draft",
    "drafts",
    "expiring_soon",
    "inbox",
    "out_for_signature",
    "recyclebin",
    "sentitems",
    "waiting_for_others",
];

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `%` in a custom_field value is a wildcard; comparison ignores case.
fn like(pattern: &str, value: &str) -> bool {
    let p = pattern.to_lowercase();
    let v = value.to_lowercase();
    if !p.contains('%') {
        return p == v;
    }
    let parts: Vec<&str> = p.split('%').collect();
    let mut rest = v.as_str();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

fn text_matches(e: &Envelope, needle: &str) -> bool {
    let hit = |s: &str| s.to_lowercase().contains(needle);
    hit(&e.subject)
        || hit(&e.id)
        || hit(&e.sender.name)
        || hit(&e.sender.email)
        || e.recipients.iter().any(|r| hit(&r.name) || hit(&r.email))
        || e.custom_fields.text.iter().any(|f| hit(&f.value))
        || e.custom_fields.list.iter().any(|f| hit(&f.value))
}

fn in_folder(acc: &AccountData, caller: &Caller, e: &Envelope, folder: &str) -> bool {
    let active = e.status.in_flight();
    match folder {
        "draft" | "drafts" => e.status == EnvStatus::Created,
        "sentitems" => e.status != EnvStatus::Created,
        "completed" => e.status == EnvStatus::Completed,
        "out_for_signature" | "waiting_for_others" => active,
        "awaiting_my_signature" | "inbox" => {
            e.recipients.iter().any(|r| {
                r.email.eq_ignore_ascii_case(&caller.email)
                    && (folder == "inbox"
                        || matches!(r.status, RecStatus::Sent | RecStatus::Delivered))
            }) && (folder == "inbox" || active)
        }
        "expiring_soon" | "recyclebin" => false,
        id => acc.folders.iter().any(|f| {
            f.id.eq_ignore_ascii_case(id)
                && match f.ftype {
                    FolderType::Normal => {
                        f.envelope_ids.iter().any(|x| x.eq_ignore_ascii_case(&e.id))
                    }
                    FolderType::Draft => e.status == EnvStatus::Created,
                    FolderType::SentItems => e.status != EnvStatus::Created,
                    _ => false,
                }
        }),
    }
}

/// `GET /envelopes`.
pub(crate) async fn list_status_changes(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> Response {
    match run(&state, &caller, raw.as_deref()) {
        Ok(v) => ds_json(StatusCode::OK, &v),
        Err(e) => e.into_response(),
    }
}

fn run(state: &AppState, caller: &Caller, raw: Option<&str>) -> Result<Value, ApiError> {
    let q = Query::parse(raw)?;
    let now = time::now(&state.clock);

    let envelope_ids: Option<Vec<String>> = q
        .get("envelope_ids")
        .map(split_list)
        .filter(|l| !l.is_empty());
    let transaction_ids: Option<Vec<String>> = q
        .get("transaction_ids")
        .map(split_list)
        .filter(|l| !l.is_empty());
    let from_date = match q.get("from_date").filter(|v| !v.trim().is_empty()) {
        Some(v) => Some(time::parse(v).ok_or_else(|| {
            ApiError::invalid_parameter(
                "Query parameter 'from_date' must be set to a valid DateTime, or 'envelope_ids' or 'transaction_ids' must be specified.",
            )
        })?),
        None => None,
    };
    if from_date.is_none() && envelope_ids.is_none() && transaction_ids.is_none() {
        return Err(ApiError::invalid_parameter(
            "Query parameter 'from_date' must be set to a valid DateTime, or 'envelope_ids' or 'transaction_ids' must be specified.",
        ));
    }
    let to_date = match q.get("to_date").filter(|v| !v.trim().is_empty()) {
        Some(v) => time::parse(v).ok_or_else(|| {
            ApiError::invalid_parameter(
                "Query parameter 'to_date' must be set to a valid DateTime.",
            )
        })?,
        None => now,
    };
    let qualifier = match q.get("from_to_status").filter(|v| !v.trim().is_empty()) {
        Some(v) => Qualifier::parse(v).ok_or_else(|| {
            ApiError::invalid_parameter(format!("Invalid value '{v}' for from_to_status."))
        })?,
        None => Qualifier::Changed,
    };
    let statuses: Option<Vec<String>> = q.get("status").map(split_list).filter(|l| !l.is_empty());
    if let Some(list) = &statuses {
        if let Some(bad) = list.iter().find(|s| !STATUS_NAMES.contains(&s.as_str())) {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid value '{bad}' for status."
            )));
        }
    }
    let folders: Option<Vec<String>> = q
        .get("folder_ids")
        .map(split_list)
        .filter(|l| !l.is_empty());
    if let Some(list) = &folders {
        for f in list {
            let known = SPECIAL_FOLDERS.contains(&f.as_str())
                || (f.len() == 36 && uuid::Uuid::parse_str(f).is_ok());
            if !known {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid folder id '{f}' in folder_ids."
                )));
            }
        }
    }
    let custom_field = match q.get("custom_field").filter(|v| !v.trim().is_empty()) {
        Some(v) => match v.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Some((name.trim().to_owned(), value.trim().to_owned()))
            }
            _ => {
                return Err(ApiError::invalid_parameter(
                    "Query parameter 'custom_field' must have the form name=value.",
                ))
            }
        },
        None => None,
    };
    let search = q
        .get("search_text")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let count = q
        .number("count")?
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .min(MAX_PAGE_SIZE);
    let start = q.number("start_position")?.unwrap_or(0);
    let descending = match q.get("order").map(|s| s.trim().to_ascii_lowercase()) {
        None => false,
        Some(s) if s.is_empty() || s == "asc" => false,
        Some(s) if s == "desc" => true,
        Some(s) => {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid value '{s}' for order (asc or desc)."
            )))
        }
    };
    let order_by = match q.get("order_by").map(|s| s.trim().to_ascii_lowercase()) {
        None => OrderBy::LastModified,
        Some(s) => match s.as_str() {
            "" | "last_modified" => OrderBy::LastModified,
            "created" => OrderBy::Created,
            "completed" => OrderBy::Completed,
            "sent" => OrderBy::Sent,
            "status_changed" => OrderBy::StatusChanged,
            "subject" | "envelope_name" => OrderBy::Subject,
            "status" => OrderBy::Status,
            // documented values the emulator does not model sort like last_modified
            "action_required" | "expire" | "signer_list" | "user_name" => OrderBy::LastModified,
            other => {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid value '{other}' for order_by."
                )))
            }
        },
    };
    let inc = Include::parse(q.get("include"));
    // F50: `user_filter` narrows to envelopes the caller sent (`sender`), receives
    // (`recipient`), or receives without having sent them (`recipient_only`).
    let user_filter = match q.get("user_filter").map(|s| s.trim().to_ascii_lowercase()) {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) if matches!(s.as_str(), "sender" | "recipient" | "recipient_only") => Some(s),
        Some(s) => {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid value '{s}' for user_filter (sender, recipient or recipient_only)."
            )))
        }
    };

    // F31: without a status, or with "any", drafts are left out (DocuSign's behaviour).
    let explicit_ids = envelope_ids.is_some() || transaction_ids.is_some();
    let status_filter: Option<Vec<String>> = match &statuses {
        None if explicit_ids => None,
        None => Some(vec!["any".to_owned()]),
        Some(l) => Some(l.clone()),
    };
    let empty_by_table = match (&statuses, qualifier.valid_statuses()) {
        (Some(list), Some(valid)) => !list
            .iter()
            .any(|s| s == "any" || valid.contains(&s.as_str())),
        _ => false,
    } || qualifier == Qualifier::TimedOut;
    let filter = Filter {
        envelope_ids,
        transaction_ids,
        from_date,
        to_date,
        qualifier,
        status_filter,
        folders,
        custom_field,
        search,
        user_filter,
        empty_by_table,
    };

    // The listing's identity for its next pages: every parameter but the page's, and the caller.
    let mut cache_key: Vec<(String, String)> =
        q.0.iter()
            .filter(|(k, _)| {
                !k.eq_ignore_ascii_case("start_position") && !k.eq_ignore_ascii_case("count")
            })
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
    cache_key.sort();
    cache_key.push((" caller".to_owned(), caller.user_id.to_ascii_lowercase()));
    let to_date_given = q.get("to_date").is_some_and(|v| !v.trim().is_empty());

    with_account(state, caller, |acc| {
        let kept = acc.listing.iter().position(|c| {
            c.key == cache_key
                && c.generation == acc.generation
                && (to_date_given || (c.to_date <= to_date && to_date < c.next_stamp))
        });
        let listing = match kept {
            Some(i) => acc.listing.remove(i),
            None => {
                let (order, next_stamp) = matches(acc, caller, &filter, order_by, descending);
                acc.listing_scans += 1;
                ListingCache {
                    key: cache_key,
                    generation: acc.generation,
                    to_date,
                    next_stamp,
                    order,
                }
            }
        };
        // the most recent first; a few listings (e.g. two watchers) are kept at once
        acc.listing.insert(0, listing);
        acc.listing.truncate(KEPT_LISTINGS);
        let acc: &AccountData = acc;
        let order = &acc.listing[0].order;
        let total = order.len();
        let page: Vec<Value> = order
            .iter()
            .skip(start)
            .take(count)
            .filter_map(|&i| acc.envelopes.get(i))
            .map(|e| render::envelope(acc, e, inc, &super::documents::doc_size))
            .collect();
        let size = page.len();
        let (end, next_uri, previous_uri) = q.page_links("/envelopes", start, size, count, total);
        Ok(json!({
            "envelopes": page,
            "resultSetSize": size.to_string(),
            "totalSetSize": total.to_string(),
            "startPosition": start.to_string(),
            "endPosition": end.to_string(),
            "nextUri": next_uri,
            "previousUri": previous_uri,
            "lastQueriedDateTime": time::format(now),
        }))
    })
}

/// How many listings an account keeps for their next pages.
const KEPT_LISTINGS: usize = 4;

/// What a listStatusChanges query asks for (parsed and checked).
struct Filter {
    envelope_ids: Option<Vec<String>>,
    transaction_ids: Option<Vec<String>>,
    from_date: Option<i64>,
    to_date: i64,
    qualifier: Qualifier,
    status_filter: Option<Vec<String>>,
    folders: Option<Vec<String>>,
    custom_field: Option<(String, String)>,
    search: Option<String>,
    user_filter: Option<String>,
    empty_by_table: bool,
}

/// Goes through every envelope of the account once: the positions of the matches in listing
/// order, and the earliest qualifying timestamp after `to_date` (`i64::MAX` when none), after
/// which a listing up to "now" would differ.
fn matches(
    acc: &AccountData,
    caller: &Caller,
    f: &Filter,
    order_by: OrderBy,
    descending: bool,
) -> (Vec<usize>, i64) {
    let Filter {
        envelope_ids,
        transaction_ids,
        from_date,
        to_date,
        qualifier,
        status_filter,
        folders,
        custom_field,
        search,
        user_filter,
        empty_by_table,
    } = f;
    let (from_date, to_date, qualifier) = (*from_date, *to_date, *qualifier);
    let mut hits: Vec<usize> = Vec::new();
    let mut next_stamp = i64::MAX;
    // F50: with account-wide envelope access the caller sees every envelope (looked up
    // once, not once per envelope).
    let sees_all = acc
        .user(&caller.user_id)
        .is_some_and(|u| u.account_wide_envelope_access);
    if !empty_by_table {
        for (i, e) in acc.envelopes.iter().enumerate() {
            if let Some(t) = qualifier.stamp(e).filter(|t| *t > to_date) {
                next_stamp = next_stamp.min(t);
            }
            // F50: only what the impersonated user may see through the API.
            if !sees_all && !acc.can_see(&caller.user_id, &caller.email, e) {
                continue;
            }
            let sent_it = || AccountData::is_sender(&caller.user_id, e);
            let gets_it = || AccountData::is_recipient(&caller.email, e);
            let keep = match user_filter.as_deref() {
                Some("sender") => sent_it(),
                Some("recipient") => gets_it(),
                Some("recipient_only") => gets_it() && !sent_it(),
                _ => true,
            };
            if !keep {
                continue;
            }
            if let Some(ids) = &envelope_ids {
                if !ids.iter().any(|id| id.eq_ignore_ascii_case(&e.id)) {
                    continue;
                }
            }
            if let Some(ids) = &transaction_ids {
                match &e.transaction_id {
                    Some(t) if ids.iter().any(|id| id.eq_ignore_ascii_case(t)) => {}
                    _ => continue,
                }
            }
            if let Some(from) = from_date {
                match qualifier.stamp(e) {
                    Some(t) if t >= from && t <= to_date => {}
                    _ => continue,
                }
            }
            if let Some(list) = &status_filter {
                let st = e.status.as_str();
                let ok = list
                    .iter()
                    .any(|s| s == st || (s == "any" && e.status != EnvStatus::Created));
                if !ok {
                    continue;
                }
            }
            if let Some(fs) = &folders {
                if !fs.iter().any(|f| in_folder(acc, caller, e, f)) {
                    continue;
                }
            }
            if let Some((name, value)) = &custom_field {
                match e.custom_field(name) {
                    Some(v) if like(value, v) => {}
                    _ => continue,
                }
            }
            if let Some(needle) = &search {
                if !text_matches(e, needle) {
                    continue;
                }
            }
            hits.push(i);
        }
    }
    let key = |e: &Envelope| -> i64 {
        match order_by {
            OrderBy::LastModified => e.last_modified,
            OrderBy::Created => e.created,
            OrderBy::Completed => e.completed.unwrap_or(i64::MIN),
            OrderBy::Sent => e.sent.unwrap_or(i64::MIN),
            OrderBy::StatusChanged | OrderBy::Subject | OrderBy::Status => e.status_changed,
        }
    };
    // Ascending by the order key, ties broken on the envelope id; `desc` reverses it.
    let order = |a: &Envelope, b: &Envelope| -> Ordering {
        let o = match order_by {
            OrderBy::Subject => a.subject.to_lowercase().cmp(&b.subject.to_lowercase()),
            OrderBy::Status => a.status.as_str().cmp(b.status.as_str()),
            _ => key(a).cmp(&key(b)),
        }
        .then_with(|| a.id.cmp(&b.id));
        if descending {
            o.reverse()
        } else {
            o
        }
    };
    hits.sort_unstable_by(|&a, &b| order(&acc.envelopes[a], &acc.envelopes[b]));
    (hits, next_stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards() {
        assert!(like("abc", "ABC"));
        assert!(like("%DocuSign%", "my docusign app"));
        assert!(like("Doc%", "DocuSign"));
        assert!(like("%Sign", "DocuSign"));
        assert!(!like("%Sign", "DocuSigned"));
        assert!(!like("abc", "abcd"));
    }
}
