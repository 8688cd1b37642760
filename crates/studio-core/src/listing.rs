//! `list_envelopes` written out as it is read: each page of the status listing is written and
//! dropped before the next is fetched, so memory stays that of one page whatever the number of
//! envelopes (10,000 or 100,000). The CLI's `dsjwt action list-envelopes` uses it; the result
//! is the same JSON document as [`crate::actions::run`] gives (same field names), or one
//! envelope per line.

// `ActionFailure` is the one error value of a user's action (see actions.rs).
#![allow(clippy::result_large_err)]

use crate::action_result::EnvelopeBounce;
use crate::actions::{self, ActionFailure, ActionRequest};
use docusign_api::esign::{EsignClient, EsignError};
use serde_json::{json, Map, Value};
use std::io::Write;

/// How the listing is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingFormat {
    /// One JSON document, the fields of [`crate::actions::run`]'s `list_envelopes` result
    /// (`ok`, `action`, `count`, `total_set_size`, `pages`, `from_date`,
    /// `last_queried_date_time`, `envelopes`, `visibility`, `user_filter`,
    /// `delivery_problems`), on one line; `envelopes` is written page by page.
    Document,
    /// JSON Lines: one envelope (DocuSign's envelope object) per line, nothing else. The
    /// summary comes back as [`ListingSummary`] for the caller to show elsewhere.
    Lines,
}

/// What a listing read, once it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingSummary {
    /// Envelopes written.
    pub count: u64,
    /// Pages fetched (= eSignature calls made).
    pub pages: u32,
    /// DocuSign's `totalSetSize` of the first page.
    pub total_set_size: Option<u64>,
    /// The `from_date` sent.
    pub from_date: String,
    /// The next poll's cursor (`lastQueriedDateTime` of the last page).
    pub last_queried_date_time: Option<String>,
    /// Whose envelopes the listing shows (see `actions::visibility_note`).
    pub visibility: String,
    /// Recipients whose email bounced, one object each (see `actions::delivery_problems`).
    pub delivery_problems: Vec<EnvelopeBounce>,
    /// Set when the assertion had to use DocuSign's clock: a sentence for the user.
    pub clock_notice: Option<String>,
}

/// Why a streamed listing stopped.
#[derive(Debug)]
pub enum ListingError {
    /// Refused before anything was written (a bad argument, the first page refused): show
    /// the failure as for any action.
    Refused(ActionFailure),
    /// A later page failed after some envelopes were written. The output was completed
    /// already: the document ends with `"ok": false` and the failure's fields (`code`,
    /// `errorCode`, `message`, `fix`, …) after the envelopes read so far; in
    /// [`ListingFormat::Lines`] the last line is the failure object (`"ok": false`).
    Stopped(ActionFailure),
    /// Writing failed (the reader went away: `BrokenPipe`).
    Write(std::io::Error),
}

impl From<std::io::Error> for ListingError {
    fn from(e: std::io::Error) -> Self {
        ListingError::Write(e)
    }
}

/// Runs a `list_envelopes` request and writes its envelopes to `out` page by page (flushed
/// after each page). Any other request is refused as a usage problem.
///
/// # Errors
/// [`ListingError`]: refused before writing, stopped after writing began, or `out` failed.
pub async fn write_envelopes<W: Write>(
    client: &EsignClient,
    req: &ActionRequest,
    format: ListingFormat,
    out: &mut W,
) -> Result<ListingSummary, ListingError> {
    let req = req.checked().map_err(ListingError::Refused)?;
    let ActionRequest::ListEnvelopes {
        from_date,
        to_date,
        status,
        folder_id,
        template_id,
        user_filter,
    } = &req
    else {
        return Err(ListingError::Refused(ActionFailure::usage(
            req.name(),
            "only list_envelopes is written page by page",
        )));
    };
    let name = req.name();
    let host = client
        .base_uri()
        .as_str()
        .trim_start_matches("https://")
        .to_string();
    let fail = |e: EsignError| ActionFailure::from_error_at(name, &e, Some(&host));
    let query = actions::envelopes_query(
        from_date,
        to_date,
        status,
        folder_id,
        template_id,
        user_filter,
    );
    let mut pager = client.envelope_pages(&query);
    // The first page before writing anything: a refusal (token, permission, bad date) is
    // then printed as any action's failure.
    let mut page = pager
        .next_page()
        .await
        .map_err(|e| ListingError::Refused(fail(e)))?;
    if format == ListingFormat::Document {
        write!(
            out,
            "{{\"action\":{},\"from_date\":{},\"user_filter\":{},\"envelopes\":[",
            json!(name),
            json!(pager.from_date),
            json!(user_filter)
        )?;
    }
    let mut count = 0u64;
    let mut problems = Vec::new();
    let mut stopped = None;
    while let Some(envelopes) = page {
        for e in &envelopes {
            if format == ListingFormat::Document && count > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, e).map_err(std::io::Error::from)?;
            if format == ListingFormat::Lines {
                out.write_all(b"\n")?;
            }
            problems.extend(actions::delivery_problems(e));
            count += 1;
        }
        drop(envelopes);
        out.flush()?;
        page = match pager.next_page().await {
            Ok(p) => p,
            Err(e) => {
                stopped = Some(fail(e));
                None
            }
        };
    }
    let summary = ListingSummary {
        count,
        pages: pager.pages,
        total_set_size: pager.total_set_size,
        from_date: pager.from_date.clone(),
        last_queried_date_time: pager.last_queried_date_time.clone(),
        visibility: actions::visibility_note(client.user_id(), user_filter.as_deref(), count == 0),
        delivery_problems: problems,
        clock_notice: client.take_clock_notice().map(|n| n.message),
    };
    match format {
        ListingFormat::Document => {
            let mut tail = Map::new();
            tail.insert("count".into(), json!(summary.count));
            tail.insert("total_set_size".into(), json!(summary.total_set_size));
            tail.insert("pages".into(), json!(summary.pages));
            tail.insert(
                "last_queried_date_time".into(),
                json!(summary.last_queried_date_time),
            );
            tail.insert("visibility".into(), json!(summary.visibility));
            tail.insert("delivery_problems".into(), json!(summary.delivery_problems));
            if let Some(n) = &summary.clock_notice {
                tail.insert("clock_notice".into(), json!(n));
            }
            match &stopped {
                None => {
                    tail.insert("ok".into(), json!(true));
                }
                Some(f) => {
                    if let Value::Object(m) = serde_json::to_value(f).unwrap_or(Value::Null) {
                        for (k, v) in m {
                            if k != "action" {
                                tail.insert(k, v);
                            }
                        }
                    }
                }
            }
            out.write_all(b"]")?;
            for (k, v) in tail {
                write!(out, ",{}:{}", json!(k), v)?;
            }
            out.write_all(b"}\n")?;
        }
        ListingFormat::Lines => {
            if let Some(f) = &stopped {
                serde_json::to_writer(&mut *out, f).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    match stopped {
        Some(f) => Err(ListingError::Stopped(f)),
        None => Ok(summary),
    }
}
