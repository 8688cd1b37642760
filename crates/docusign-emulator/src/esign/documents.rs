//! Envelope documents: the list (`envelopeDocumentsResult`) and downloads of a document,
//! `combined`, `archive` (ZIP), `certificate` and `portfolio`, as generated PDFs streamed in
//! chunks (base64 when the request says `Content-Transfer-Encoding: base64`).

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::{Extension, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::blob::{self, Blob};
use super::model::*;
use super::pdf::{self, Page};
use super::{ds_json, param, render, time, with_account, ApiError, Caller, Params, Query};
use crate::state::AppState;

fn recipient_label(r: &Recipient) -> String {
    match &r.role_name {
        Some(role) => role.clone(),
        None => r.rtype.as_str().to_owned(),
    }
}

fn opt_ts(t: Option<i64>) -> String {
    t.map(time::format).unwrap_or_else(|| "-".to_owned())
}

/// The text pages of one document: a header on page 1 and the tabs of each page.
fn document_pages(e: &Envelope, d: &Document) -> Vec<Page> {
    let mut pages = Vec::new();
    for p in 1..=d.pages.max(1) {
        let mut lines = Vec::new();
        if p == 1 {
            lines.push(d.name.clone());
            lines.push(format!("Envelope: {}", e.id));
            lines.push(format!("Subject: {}", e.subject));
            lines.push(format!("Status: {}", e.status.as_str()));
            if let Some(t) = &e.template_name {
                lines.push(format!("Template: {t}"));
            }
            lines.push(String::new());
            lines.push("Recipients:".to_owned());
            for r in &e.recipients {
                lines.push(format!(
                    "  {}. {}: {} <{}> - {}",
                    r.routing_order,
                    recipient_label(r),
                    r.name,
                    r.email,
                    r.status.as_str()
                ));
            }
        } else {
            lines.push(format!("{} - page {p} of {}", d.name, d.pages));
        }
        let fields: Vec<String> = e
            .recipients
            .iter()
            .flat_map(|r| {
                r.tabs
                    .iter()
                    .filter(move |t| t.document_id == d.document_id && t.page_number == p)
                    .map(move |t| format!("  {} / {}: {}", r.name, t.label, t.display_value()))
            })
            .collect();
        if !fields.is_empty() {
            lines.push(String::new());
            lines.push("Fields:".to_owned());
            lines.extend(fields);
        }
        let mut chunked = pdf::paginate(lines);
        pages.append(&mut chunked);
    }
    pages
}

/// The lines of the first page of a large (padded) document.
fn large_lines(e: &Envelope, d: &Document, size: u64) -> Vec<String> {
    vec![
        d.name.clone(),
        format!("Envelope: {}", e.id),
        format!("Status: {}", e.status.as_str()),
        format!("Generated document of {size} bytes."),
    ]
}

/// One document as a PDF (and, for a large one, the padding it carries).
pub(crate) fn document_blob(e: &Envelope, d: &Document) -> (Blob, Vec<Page>) {
    match d.large {
        Some(size) => {
            let lines = large_lines(e, d, size);
            let (blob, padding) = pdf::build_sized(&d.name, lines.clone(), size);
            let mut pages = pdf::paginate(lines);
            pages.truncate(1);
            if let Some(first) = pages.first_mut() {
                first.padding = padding;
            }
            (blob, pages)
        }
        None => {
            let pages = document_pages(e, d);
            (pdf::build(&d.name, &pages), pages)
        }
    }
}

/// Download size of a document (for `sizeBytes`).
pub(crate) fn doc_size(e: &Envelope, d: &Document) -> Option<u64> {
    Some(match d.large {
        Some(n) => n,
        None => document_blob(e, d).0.len(),
    })
}

/// The certificate of completion pages.
fn certificate_pages(e: &Envelope, account_id: &str) -> Vec<Page> {
    let mut lines = vec![
        "Certificate Of Completion".to_owned(),
        format!("Envelope Id: {}", e.id),
        format!("Subject: {}", e.subject),
        format!("Status: {}", e.status.as_str()),
        format!("Account: {account_id}"),
        format!(
            "Envelope originator: {} <{}>",
            e.sender.name, e.sender.email
        ),
        format!("Documents: {}", e.documents.len()),
        format!("Created: {}", time::format(e.created)),
        format!("Sent: {}", opt_ts(e.sent)),
        format!("Completed: {}", opt_ts(e.completed)),
    ];
    if let Some(r) = &e.voided_reason {
        lines.push(format!("Voided: {} ({r})", opt_ts(e.voided)));
    }
    lines.push(String::new());
    lines.push("Signer Events / Carbon Copy Events:".to_owned());
    for r in &e.recipients {
        lines.push(format!(
            "  {} <{}> ({}, routing order {}) - {}",
            r.name,
            r.email,
            recipient_label(r),
            r.routing_order,
            r.status.as_str()
        ));
        lines.push(format!(
            "    sent {} / viewed {} / signed {}",
            opt_ts(r.sent),
            opt_ts(r.delivered),
            opt_ts(r.signed)
        ));
        if let Some(reason) = &r.declined_reason {
            lines.push(format!("    declined {}: {reason}", opt_ts(r.declined)));
        }
    }
    pdf::paginate(lines)
}

fn pdf_name(name: &str) -> String {
    if name.to_ascii_lowercase().ends_with(".pdf") {
        name.to_owned()
    } else {
        format!("{name}.pdf")
    }
}

/// A file name safe for `Content-Disposition` and ZIP entries.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// `GET /envelopes/{envelopeId}/documents` → `envelopeDocumentsResult`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
) -> Response {
    let result = with_account(&state, &caller, |acc| {
        let e = acc
            .envelope(param(&params, "envelopeId"))
            .ok_or_else(ApiError::no_envelope)?;
        let mut docs: Vec<Value> = e
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| render::envelope_document(&e.id, d, i + 1, doc_size(e, d)))
            .collect();
        docs.push(render::certificate_document(&e.id, docs.len() + 1));
        Ok(ds_json(
            StatusCode::OK,
            &json!({"envelopeId": e.id, "envelopeDocuments": docs}),
        ))
    });
    result.unwrap_or_else(IntoResponse::into_response)
}

/// What the download route serves.
struct Download {
    blob: Blob,
    content_type: &'static str,
    file_name: String,
    document_id: String,
}

fn build_download(
    acc: &AccountData,
    e: &Envelope,
    document_id: &str,
    certificate: Option<bool>,
) -> Result<Download, ApiError> {
    let account_id = &acc.account_id;
    let key = document_id.trim().to_ascii_lowercase();
    let all_pages = || -> Vec<Page> {
        e.documents
            .iter()
            .flat_map(|d| document_blob(e, d).1)
            .collect()
    };
    match key.as_str() {
        "combined" => {
            let mut pages = all_pages();
            if certificate.unwrap_or(acc.settings.attach_certificate_to_combined) {
                pages.extend(certificate_pages(e, account_id));
            }
            Ok(Download {
                blob: pdf::build(&e.subject, &pages),
                content_type: "application/pdf",
                file_name: "Combined.pdf".to_owned(),
                document_id: "combined".to_owned(),
            })
        }
        "portfolio" => Ok(Download {
            blob: pdf::build(&e.subject, &all_pages()),
            content_type: "application/pdf",
            file_name: "Portfolio.pdf".to_owned(),
            document_id: "portfolio".to_owned(),
        }),
        "certificate" => Ok(Download {
            blob: pdf::build(
                "Certificate Of Completion",
                &certificate_pages(e, account_id),
            ),
            content_type: "application/pdf",
            file_name: "Summary.pdf".to_owned(),
            document_id: "certificate".to_owned(),
        }),
        "archive" => {
            let mut entries: Vec<(String, Blob)> = Vec::new();
            let mut used = std::collections::HashSet::new();
            for d in &e.documents {
                let mut name = safe_name(&pdf_name(&d.name));
                if !used.insert(name.clone()) {
                    name = format!("{}_{name}", d.document_id);
                    used.insert(name.clone());
                }
                entries.push((name, document_blob(e, d).0));
            }
            entries.push((
                "Summary.pdf".to_owned(),
                pdf::build(
                    "Certificate Of Completion",
                    &certificate_pages(e, account_id),
                ),
            ));
            let dos = time::dos_date_time(e.completed.unwrap_or(e.last_modified));
            let blob = super::zip::build(entries, dos).map_err(|_| {
                ApiError::bad(
                    "UNSPECIFIED_ERROR",
                    "The archive would be larger than 4 GiB, which the emulator's ZIP writer does not support.",
                )
            })?;
            Ok(Download {
                blob,
                content_type: "application/zip",
                file_name: "Archive.zip".to_owned(),
                document_id: "archive".to_owned(),
            })
        }
        _ => {
            let d = e
                .documents
                .iter()
                .find(|d| d.document_id == key.trim_start_matches('0') || d.guid.eq_ignore_ascii_case(&key))
                .ok_or_else(|| {
                    ApiError::bad(
                        "DOCUMENT_DOES_NOT_EXIST",
                        format!("The document specified was not found. Document {document_id} is not in envelope {}.", e.id),
                    )
                })?;
            Ok(Download {
                blob: document_blob(e, d).0,
                content_type: "application/pdf",
                file_name: safe_name(&pdf_name(&d.name)),
                document_id: d.document_id.clone(),
            })
        }
    }
}

/// `GET /envelopes/{envelopeId}/documents/{documentId}`: the file, streamed.
pub(crate) async fn download(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        let q = Query::parse(raw.as_deref())?;
        let certificate = q.flag("certificate")?;
        with_account(&state, &caller, |acc| {
            let e = acc
                .envelope(param(&params, "envelopeId"))
                .ok_or_else(ApiError::no_envelope)?;
            build_download(acc, e, param(&params, "documentId"), certificate)
        })
    })();
    let d = match result {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let base64 = headers
        .get("content-transfer-encoding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("base64"));
    let len = d.blob.len();
    let disposition = format!(
        "file; filename=\"{}\"; documentid=\"{}\"",
        d.file_name, d.document_id
    );
    let chunks = d.blob.into_chunks();
    let (body, length) = if base64 {
        (
            Body::from_stream(futures_util::stream::iter(
                blob::base64_chunks(chunks).map(Ok::<Bytes, Infallible>),
            )),
            blob::base64_len(len),
        )
    } else {
        (
            Body::from_stream(futures_util::stream::iter(
                chunks.map(Ok::<Bytes, Infallible>),
            )),
            len,
        )
    };
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(d.content_type),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&length.to_string()) {
        h.insert(header::CONTENT_LENGTH, v);
    }
    if let Ok(v) = HeaderValue::from_bytes(disposition.as_bytes()) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if base64 {
        h.insert(
            "content-transfer-encoding",
            HeaderValue::from_static("base64"),
        );
    }
    resp
}
