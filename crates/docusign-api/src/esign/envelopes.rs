//! Envelope actions: list (every page), get, recipients, tab values, void.

use super::client::{EsignClient, Seg};
use super::error::{EsignError, ValidationProblem};
use super::models::{
    Envelope, EnvelopeDocuments, EnvelopeUpdateSummary, EnvelopesInformation, Recipients, Tabs,
};
use super::TEMPLATE_ID_FIELD;
use reqwest::Method;
use serde::Serialize;
use std::time::SystemTime;
use time::OffsetDateTime;

/// A date-time filter: a typed instant (sent as ISO 8601 UTC, `2024-05-01T00:00:00Z`) or text
/// passed through verbatim (e.g. the server's own `lastQueriedDateTime` as a polling cursor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateArg {
    /// An instant; sent in UTC, whole seconds, with `Z`.
    At(OffsetDateTime),
    /// Sent as given. Give an explicit offset, or DocuSign uses the server's time zone.
    Text(String),
}

impl From<OffsetDateTime> for DateArg {
    fn from(t: OffsetDateTime) -> Self {
        DateArg::At(t)
    }
}
impl From<String> for DateArg {
    fn from(s: String) -> Self {
        DateArg::Text(s)
    }
}
impl From<&str> for DateArg {
    fn from(s: &str) -> Self {
        DateArg::Text(s.to_string())
    }
}
impl From<SystemTime> for DateArg {
    fn from(t: SystemTime) -> Self {
        DateArg::At(OffsetDateTime::from(t))
    }
}

/// ISO 8601 UTC, whole seconds: `2024-05-01T00:00:00Z`.
pub fn iso_utc(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

impl DateArg {
    /// The query value.
    pub fn to_query(&self) -> String {
        match self {
            DateArg::At(t) => iso_utc(*t),
            DateArg::Text(s) => s.trim().to_string(),
        }
    }
}

/// Filters of a status listing (`GET …/envelopes`, listStatusChanges). Empty lists and `None`
/// send nothing, except `from_date`, which is always sent (default: 30 days ago; F30).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListEnvelopesQuery {
    /// `from_date`: changes since (default `EsignConfig::default_lookback` ago).
    pub from_date: Option<DateArg>,
    /// `to_date` (DocuSign's default: now).
    pub to_date: Option<DateArg>,
    /// `status`, comma-joined: `created`, `sent`, `delivered`, `signed`, `completed`,
    /// `declined`, `voided`, `any` (which leaves out drafts, F31). Re-checked client-side.
    pub status: Vec<String>,
    /// `folder_ids`, comma-joined (GUIDs or `sentitems`, `draft`, `inbox`, …).
    pub folder_ids: Vec<String>,
    /// Only envelopes sent from this template: sends `custom_field=templateId=<id>` and
    /// `include=custom_fields`, and re-checks the `templateId` text custom field client-side.
    /// Finds only envelopes sent by this app (or others that set the field).
    pub template_id: Option<String>,
    /// `from_to_status`: which transition must fall in the date range (`changed` by default).
    pub from_to_status: Option<String>,
    /// `include`, comma-joined: `custom_fields`, `recipients`, `documents`, `folders`, …
    pub include: Vec<String>,
    /// `custom_field=Name=Value` (DocuSign allows `%` wildcards). With `template_id` set the
    /// server filters on the template and this one is checked client-side (exact values only).
    pub custom_field: Option<String>,
    /// `user_filter`: `sender` (envelopes the impersonated user sent), `recipient` (sent to
    /// them), `recipient_only` (sent to them by others). Without it DocuSign lists what the
    /// user may see: their own envelopes, or the whole account's when their permission
    /// profile allows "view and manage envelope rights through API" (F50).
    pub user_filter: Option<String>,
}

/// The `user_filter` values DocuSign documents for listStatusChanges.
pub const USER_FILTERS: [&str; 3] = ["sender", "recipient", "recipient_only"];

impl ListEnvelopesQuery {
    /// Whether an envelope passes the client-side re-checks: current status in `status`
    /// (unless empty or `any`), the `templateId` custom field equal to `template_id`, and an
    /// exact `custom_field` (one without `%`). DocuSign's listing can include extra envelopes.
    pub fn matches(&self, e: &Envelope) -> bool {
        let wanted: Vec<&str> = self
            .status
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if !wanted.is_empty() && !wanted.iter().any(|s| s.eq_ignore_ascii_case("any")) {
            let ok = e
                .status
                .as_deref()
                .is_some_and(|st| wanted.iter().any(|w| w.eq_ignore_ascii_case(st)));
            if !ok {
                return false;
            }
        }
        if let Some(t) = self
            .template_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if !e
                .template_id()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(t))
            {
                return false;
            }
        }
        if self.template_id.is_some() {
            if let Some((name, value)) =
                self.custom_field.as_deref().and_then(|c| c.split_once('='))
            {
                if !value.contains('%') && e.text_custom_field(name.trim()) != Some(value) {
                    return false;
                }
            }
        }
        true
    }

    fn params(&self, from_date: &str) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = vec![("from_date".into(), from_date.to_string())];
        if let Some(t) = &self.to_date {
            q.push(("to_date".into(), t.to_query()));
        }
        let join = |v: &[String]| {
            v.iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(",")
        };
        if !join(&self.status).is_empty() {
            q.push(("status".into(), join(&self.status)));
        }
        if !join(&self.folder_ids).is_empty() {
            q.push(("folder_ids".into(), join(&self.folder_ids)));
        }
        if let Some(f) = self
            .from_to_status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            q.push(("from_to_status".into(), f.to_string()));
        }
        if let Some(f) = self
            .user_filter
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            q.push(("user_filter".into(), f.to_string()));
        }
        let mut include: Vec<String> = self
            .include
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let template = self
            .template_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if template.is_some()
            && !include
                .iter()
                .any(|i| i.eq_ignore_ascii_case("custom_fields"))
        {
            include.push("custom_fields".into());
        }
        if !include.is_empty() {
            q.push(("include".into(), include.join(",")));
        }
        if let Some(t) = template {
            q.push(("custom_field".into(), format!("{TEMPLATE_ID_FIELD}={t}")));
        } else if let Some(c) = self
            .custom_field
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            q.push(("custom_field".into(), c.to_string()));
        }
        q
    }
}

/// Every envelope of a status listing, all pages followed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvelopeList {
    /// The envelopes that passed the client-side re-checks, in DocuSign's order.
    pub envelopes: Vec<Envelope>,
    /// DocuSign's `totalSetSize` of the first page.
    pub total_set_size: Option<u64>,
    /// Pages fetched (= eSignature calls made).
    pub pages: u32,
    /// Envelopes DocuSign returned that the re-checks dropped.
    pub filtered_out: usize,
    /// The `from_date` sent.
    pub from_date: String,
    /// The server's `lastQueriedDateTime` of the last page: the next poll's cursor.
    pub last_queried_date_time: Option<String>,
}

/// A status listing read page by page ([`EsignClient::envelope_pages`]). The counters say
/// what was read so far; after the last page they are those of the whole listing.
#[derive(Debug)]
pub struct EnvelopePages<'a> {
    client: &'a EsignClient,
    query: ListEnvelopesQuery,
    next_start: Option<u64>,
    /// DocuSign's `totalSetSize` of the first page.
    pub total_set_size: Option<u64>,
    /// Pages fetched so far (= eSignature calls made).
    pub pages: u32,
    /// Envelopes DocuSign returned that the re-checks dropped, so far.
    pub filtered_out: usize,
    /// The `from_date` sent (the same on every page).
    pub from_date: String,
    /// The server's `lastQueriedDateTime` of the latest page: the next poll's cursor.
    pub last_queried_date_time: Option<String>,
}

impl EnvelopePages<'_> {
    /// The next page's envelopes that pass the re-checks (possibly none), or `None` after the
    /// last page. One eSignature call per page.
    ///
    /// # Errors
    /// [`EsignError::Paging`] after `EsignConfig::max_pages` pages or when paging does not
    /// advance; otherwise as any call. Nothing more is read after an error.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Envelope>>, EsignError> {
        let Some(start) = self.next_start.take() else {
            return Ok(None);
        };
        let client = self.client;
        if self.pages >= client.config.max_pages {
            return Err(EsignError::Paging {
                path: client.envelopes_path(),
                pages: self.pages,
                reason: format!(
                    "more than {} pages (page cap); narrow the dates or filters",
                    client.config.max_pages
                ),
            });
        }
        let page = client.list_status_changes_page(&self.query, start).await?;
        self.pages += 1;
        if self.pages == 1 {
            self.total_set_size = page.total_set_size;
        }
        if page.last_queried_date_time.is_some() {
            self.last_queried_date_time = page.last_queried_date_time.clone();
        }
        self.next_start = next_start(
            start,
            page.envelopes.len(),
            page.result_set_size,
            page.end_position,
            page.total_set_size,
            page.next_uri.as_deref(),
        )
        .map_err(|reason| EsignError::Paging {
            path: client.envelopes_path(),
            pages: self.pages,
            reason,
        })?;
        let got = page.envelopes.len();
        let kept: Vec<Envelope> = page
            .envelopes
            .into_iter()
            .filter(|e| self.query.matches(e))
            .collect();
        self.filtered_out += got - kept.len();
        Ok(Some(kept))
    }
}

/// One recipient's tab values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecipientTabs {
    /// The recipient's ID in the envelope.
    pub recipient_id: String,
    /// The role, when known (not for a single-recipient fetch).
    pub role_name: Option<String>,
    /// The name, when known.
    pub name: Option<String>,
    /// The email, when known.
    pub email: Option<String>,
    /// `"signer"`, `"carbonCopy"`, …, when known.
    pub recipient_type: Option<String>,
    /// Every tab collection.
    #[cfg_attr(
        feature = "ts",
        ts(as = "std::collections::BTreeMap<String, Vec<crate::ts::DocuSignObject>>")
    )]
    pub tabs: Tabs,
}

/// Where paging goes next: `Ok(None)` when done, `Err` when the answer would loop.
/// `start` is this page's `start_position`, `got` its number of items.
pub(crate) fn next_start(
    start: u64,
    got: usize,
    result_set_size: Option<u64>,
    end_position: Option<u64>,
    total: Option<u64>,
    next_uri: Option<&str>,
) -> Result<Option<u64>, String> {
    if got == 0 {
        return Ok(None);
    }
    let next = match end_position {
        Some(e) => e.saturating_add(1),
        None => start + result_set_size.filter(|n| *n > 0).unwrap_or(got as u64),
    };
    let more = match total {
        Some(t) => next < t,
        None => next_uri.is_some_and(|u| !u.trim().is_empty()),
    };
    if !more {
        return Ok(None);
    }
    if next <= start {
        return Err(format!(
            "the next page would start at {next}, not after {start} (endPosition did not advance)"
        ));
    }
    Ok(Some(next))
}

/// Voidable states (DocuSign: "Only envelopes in the 'Sent' or 'Delivered' states may be voided").
fn void_refusal(status: &str) -> Option<String> {
    match status.to_ascii_lowercase().as_str() {
        "sent" | "delivered" => None,
        "created" => Some("it is a draft ('created'): drafts are deleted, not voided".into()),
        "completed" => Some("it is 'completed': a completed envelope can't be voided".into()),
        "voided" => Some("it is already 'voided'".into()),
        "declined" => Some("it is 'declined': a declined envelope is already closed".into()),
        "signed" => Some(
            "it is 'signed' (completing): only 'sent' or 'delivered' envelopes can be voided"
                .into(),
        ),
        other => Some(format!(
            "it is '{other}': only 'sent' or 'delivered' envelopes can be voided"
        )),
    }
}

impl EsignClient {
    /// All envelopes matching `query`, following EVERY page (`start_position` / `count`,
    /// `totalSetSize`, `endPosition`, `nextUri`; F32), always with a `from_date` (F30).
    /// One eSignature call per page; the same `from_date` is used for all pages.
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}/envelopes` (operationId
    /// `Envelopes_GetEnvelopes`, SDK `listStatusChanges`).
    ///
    /// # Errors
    /// [`EsignError::Paging`] after `EsignConfig::max_pages` pages or when paging does not
    /// advance; otherwise as any call ([`EsignError::Api`], `RateLimited`, `Transport`, …).
    pub async fn list_envelopes(
        &self,
        query: &ListEnvelopesQuery,
    ) -> Result<EnvelopeList, EsignError> {
        let mut pager = self.envelope_pages(query);
        let mut envelopes = Vec::new();
        while let Some(page) = pager.next_page().await? {
            envelopes.extend(page);
        }
        Ok(EnvelopeList {
            envelopes,
            total_set_size: pager.total_set_size,
            pages: pager.pages,
            filtered_out: pager.filtered_out,
            from_date: pager.from_date,
            last_queried_date_time: pager.last_queried_date_time,
        })
    }

    /// The listing of [`EsignClient::list_envelopes`] one page at a time, so a caller can write
    /// each page out and drop it: memory stays that of one page (`EsignConfig::page_size`
    /// envelopes) whatever the size of the listing. Same calls, same `from_date` on every page,
    /// same re-checks and paging guards.
    pub fn envelope_pages(&self, query: &ListEnvelopesQuery) -> EnvelopePages<'_> {
        let from_date = self.resolve_from_date(query);
        let mut q = query.clone();
        q.from_date = Some(DateArg::Text(from_date.clone()));
        EnvelopePages {
            client: self,
            query: q,
            next_start: Some(0),
            total_set_size: None,
            pages: 0,
            filtered_out: 0,
            from_date,
            last_queried_date_time: None,
        }
    }

    fn envelopes_path(&self) -> String {
        format!("/restapi/v2.1/accounts/{}/envelopes", self.account_id)
    }

    fn resolve_from_date(&self, query: &ListEnvelopesQuery) -> String {
        match &query.from_date {
            Some(d) if !d.to_query().is_empty() => d.to_query(),
            _ => iso_utc(OffsetDateTime::now_utc() - self.config.default_lookback),
        }
    }

    /// One page of a status listing, as DocuSign sent it (no client-side filtering: apply
    /// [`ListEnvelopesQuery::matches`] yourself). `from_date` is always sent (default 30 days
    /// ago); `count` is `EsignConfig::page_size`. The answer's `lastQueriedDateTime` is the
    /// server's time, the cursor for the next poll.
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}/envelopes` (`Envelopes_GetEnvelopes`).
    ///
    /// # Errors
    /// As any call.
    pub async fn list_status_changes_page(
        &self,
        query: &ListEnvelopesQuery,
        start_position: u64,
    ) -> Result<EnvelopesInformation, EsignError> {
        let from_date = self.resolve_from_date(query);
        let mut call = self.call(Method::GET, &[Seg::Lit("envelopes")])?;
        call.query = query.params(&from_date);
        let call = call
            .query("start_position", start_position.to_string())
            .query("count", self.config.page_size.to_string());
        self.json(call).await
    }

    /// One envelope.
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}`
    /// (`Envelopes_GetEnvelope`, SDK `getEnvelope`). Mind the polling rule: one GET per
    /// envelope per 15 minutes.
    ///
    /// # Errors
    /// [`EsignError::Validation`] for an empty ID; [`EsignError::Api`] with
    /// `ENVELOPE_DOES_NOT_EXIST`, …
    pub async fn get_envelope(&self, envelope_id: &str) -> Result<Envelope, EsignError> {
        self.get_envelope_with(envelope_id, &[]).await
    }

    /// [`get_envelope`](Self::get_envelope) with `include` (`custom_fields`, `recipients`,
    /// `documents`, `tabs`, …) so one call brings what would otherwise take several.
    ///
    /// # Errors
    /// As [`get_envelope`](Self::get_envelope).
    pub async fn get_envelope_with(
        &self,
        envelope_id: &str,
        include: &[&str],
    ) -> Result<Envelope, EsignError> {
        let mut call = self.call(
            Method::GET,
            &[Seg::Lit("envelopes"), Seg::Id("envelopeId", envelope_id)],
        )?;
        if !include.is_empty() {
            call = call.query("include", include.join(","));
        }
        self.json(call).await
    }

    /// The envelope's recipients and their signing status.
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/recipients`
    /// (`Recipients_GetRecipients`, SDK `listRecipients`).
    ///
    /// # Errors
    /// As any call.
    pub async fn get_recipient_status(&self, envelope_id: &str) -> Result<Recipients, EsignError> {
        let call = self.call(
            Method::GET,
            &[
                Seg::Lit("envelopes"),
                Seg::Id("envelopeId", envelope_id),
                Seg::Lit("recipients"),
            ],
        )?;
        self.json(call).await
    }

    /// The envelope's documents (numbers and names, the certificate of completion included):
    /// what a document number is checked against before a download, so a number the envelope
    /// does not have is refused without the download call DocuSign would refuse.
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/documents`
    /// (`Documents_GetDocuments`, SDK `listDocuments`): 200 `envelopeDocumentsResult`.
    ///
    /// # Errors
    /// As any call (`ENVELOPE_DOES_NOT_EXIST` for an envelope this account does not have).
    pub async fn list_documents(&self, envelope_id: &str) -> Result<EnvelopeDocuments, EsignError> {
        let call = self.call(
            Method::GET,
            &[
                Seg::Lit("envelopes"),
                Seg::Id("envelopeId", envelope_id),
                Seg::Lit("documents"),
            ],
        )?;
        self.json(call).await
    }

    /// The envelope's recipients with their signing status and every tab's value, in one call:
    /// `GET …/envelopes/{envelopeId}/recipients?include_tabs=true` (`Recipients_GetRecipients`).
    /// One answer serves both "who has signed" and "what they filled in", so the same envelope
    /// endpoint need not be fetched twice within 15 minutes.
    ///
    /// # Errors
    /// As any call.
    pub async fn get_recipients_with_tabs(
        &self,
        envelope_id: &str,
    ) -> Result<Recipients, EsignError> {
        let call = self
            .call(
                Method::GET,
                &[
                    Seg::Lit("envelopes"),
                    Seg::Id("envelopeId", envelope_id),
                    Seg::Lit("recipients"),
                ],
            )?
            .query("include_tabs", "true");
        self.json(call).await
    }

    /// The values of every tab (form field) of one recipient, or of all recipients when
    /// `recipient_id` is `None`. Every tab collection is returned, unknown ones included.
    ///
    /// Endpoints: one recipient: `GET …/envelopes/{envelopeId}/recipients/{recipientId}/tabs`
    /// (`Recipients_GetRecipientTabs`, SDK `listTabs`; role/name/email are then `None`); all:
    /// `GET …/envelopes/{envelopeId}/recipients?include_tabs=true` (`Recipients_GetRecipients`).
    /// One call either way.
    ///
    /// # Errors
    /// As any call.
    pub async fn get_tab_values(
        &self,
        envelope_id: &str,
        recipient_id: Option<&str>,
    ) -> Result<Vec<RecipientTabs>, EsignError> {
        match recipient_id {
            Some(rid) => {
                let call = self.call(
                    Method::GET,
                    &[
                        Seg::Lit("envelopes"),
                        Seg::Id("envelopeId", envelope_id),
                        Seg::Lit("recipients"),
                        Seg::Id("recipientId", rid),
                        Seg::Lit("tabs"),
                    ],
                )?;
                let tabs: Tabs = self.json(call).await?;
                Ok(vec![RecipientTabs {
                    recipient_id: rid.trim().to_string(),
                    role_name: None,
                    name: None,
                    email: None,
                    recipient_type: None,
                    tabs,
                }])
            }
            None => {
                let call = self
                    .call(
                        Method::GET,
                        &[
                            Seg::Lit("envelopes"),
                            Seg::Id("envelopeId", envelope_id),
                            Seg::Lit("recipients"),
                        ],
                    )?
                    .query("include_tabs", "true");
                let recipients: Recipients = self.json(call).await?;
                Ok(recipients
                    .all()
                    .map(|(kind, r)| RecipientTabs {
                        recipient_id: r.recipient_id.clone().unwrap_or_default(),
                        role_name: r.role_name.clone(),
                        name: r.name.clone(),
                        email: r.email.clone(),
                        recipient_type: Some(kind.to_string()),
                        tabs: r.tabs.clone().unwrap_or_default(),
                    })
                    .collect())
            }
        }
    }

    /// Voids an envelope that is `sent` or `delivered`, with `reason` shown to the recipients.
    ///
    /// Costs one GET first (`get_envelope`, to check the state), then
    /// `PUT /restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}` with
    /// `{"status":"voided","voidedReason":…}` (`Envelopes_PutEnvelope`, SDK `update`). The PUT
    /// is idempotent, so it may be retried on 5xx/timeouts.
    ///
    /// # Errors
    /// [`EsignError::Validation`] (`empty_void_reason`, or `void_invalid_state` saying the state
    /// and why: drafts are deleted, not voided; completed envelopes can't be voided) with no
    /// PUT sent; otherwise as any call (`ENVELOPE_CANNOT_VOID_INVALID_STATE` if the state
    /// changed in between).
    pub async fn void_envelope(
        &self,
        envelope_id: &str,
        reason: &str,
    ) -> Result<EnvelopeUpdateSummary, EsignError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(EsignError::validation(
                "empty_void_reason",
                "give a reason for voiding: DocuSign shows it to the recipients and requires it",
            ));
        }
        if envelope_id.trim().is_empty() {
            return Err(EsignError::validation(
                "empty_id",
                "the envelope ID is empty",
            ));
        }
        let env = self.get_envelope(envelope_id).await?;
        let status = env.status.clone().unwrap_or_default();
        self.void_envelope_in_status(envelope_id, reason, &status)
            .await
    }

    /// [`void_envelope`](Self::void_envelope) without its GET: `status` is the envelope's
    /// status as the caller already knows it (e.g. from a `get_envelope` answer of the last
    /// 15 minutes, which must not be fetched again under the polling rule). Only the `PUT` is
    /// sent, and only when `status` is `sent` or `delivered`.
    ///
    /// # Errors
    /// As [`void_envelope`](Self::void_envelope).
    pub async fn void_envelope_in_status(
        &self,
        envelope_id: &str,
        reason: &str,
        status: &str,
    ) -> Result<EnvelopeUpdateSummary, EsignError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(EsignError::validation(
                "empty_void_reason",
                "give a reason for voiding: DocuSign shows it to the recipients and requires it",
            ));
        }
        if let Some(why) = void_refusal(status) {
            return Err(EsignError::Validation {
                problems: vec![ValidationProblem::new(
                    "void_invalid_state",
                    format!("envelope {} can't be voided: {why}", envelope_id.trim()),
                )],
            });
        }
        let call = self
            .call(
                Method::PUT,
                &[Seg::Lit("envelopes"), Seg::Id("envelopeId", envelope_id)],
            )?
            .body(serde_json::json!({ "status": "voided", "voidedReason": reason }));
        self.json(call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_follows_total_end_position_and_next_uri() {
        // 250 items, pages of 100.
        assert_eq!(
            next_start(0, 100, Some(100), Some(99), Some(250), Some("/x")),
            Ok(Some(100))
        );
        assert_eq!(
            next_start(100, 100, Some(100), Some(199), Some(250), Some("/x")),
            Ok(Some(200))
        );
        assert_eq!(
            next_start(200, 50, Some(50), Some(249), Some(250), Some("")),
            Ok(None)
        );
        // No totals: nextUri decides.
        assert_eq!(
            next_start(0, 10, None, None, None, Some("/next")),
            Ok(Some(10))
        );
        assert_eq!(next_start(0, 10, None, None, None, None), Ok(None));
        // Empty page ends.
        assert_eq!(
            next_start(0, 0, Some(0), None, Some(250), Some("/x")),
            Ok(None)
        );
        // endPosition that does not advance is an error, not a loop.
        assert!(next_start(100, 10, Some(10), Some(5), Some(250), None).is_err());
    }

    #[test]
    fn query_always_has_from_date_and_template_filter() {
        let q = ListEnvelopesQuery {
            template_id: Some("T-1".into()),
            status: vec!["completed".into(), "sent".into()],
            ..Default::default()
        };
        let p = q.params("2024-01-01T00:00:00Z");
        let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("from_date"), Some("2024-01-01T00:00:00Z"));
        assert_eq!(get("custom_field"), Some("templateId=T-1"));
        assert_eq!(get("include"), Some("custom_fields"));
        assert_eq!(get("status"), Some("completed,sent"));
        let mut e: Envelope = serde_json::from_str(r#"{"status":"completed","customFields":{"textCustomFields":[{"name":"templateId","value":"t-1"}]}}"#).expect("json");
        assert!(q.matches(&e));
        e.status = Some("voided".into());
        assert!(!q.matches(&e));
        let e2: Envelope = serde_json::from_str(r#"{"status":"sent"}"#).expect("json");
        assert!(!q.matches(&e2));
    }

    #[test]
    fn iso_dates_are_utc_whole_seconds() {
        let t = time::macros::datetime!(2024-05-01 02:03:04.5 +02:00);
        assert_eq!(iso_utc(t), "2024-05-01T00:03:04Z");
    }

    #[test]
    fn void_states() {
        assert!(void_refusal("sent").is_none());
        assert!(void_refusal("Delivered").is_none());
        assert!(void_refusal("created").is_some_and(|m| m.contains("deleted")));
        assert!(void_refusal("completed").is_some_and(|m| m.contains("can't be voided")));
    }
}
