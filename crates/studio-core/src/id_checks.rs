//! IDs a typo could make wrong while still well formed (a template ID, a document number, a
//! recipient ID), checked against the account's or the envelope's own list before the call
//! that DocuSign would refuse.
//!
//! DocuSign's Go-Live review looks at the integration key's 20 most recent eSignature calls,
//! and one error among them fails it (facts section 6, "From the Trenches: Go-live
//! failures"). A template ID the account does not have (`TEMPLATE_ID_INVALID`) or a document
//! number the envelope does not have (`DOCUMENT_DOES_NOT_EXIST`) would be such an error. So
//! the ID is looked up first in a list DocuSign answers with 200 whatever it holds (the
//! account's templates, the envelope's documents, the envelope's recipients); an ID that is
//! not there is refused with the list's names, and the failing call is never made. The
//! lookup is one extra successful call, which counts toward the streak like any other.
//!
//! Each list is kept where the rest of a connection's state is, never process-wide: the
//! account's template list by the connection's client for a minute (like its access token,
//! see [`template_in_account`]); the envelope's document list with the envelope's other
//! answers in the state file for 15 minutes, per integration key, environment and account
//! (`crate::envelope_answers`, which the polling rule needs across processes anyway).
//!
//! Envelope IDs are not checked this way: no list DocuSign documents answers 200 for an
//! envelope ID it does not know (listStatusChanges with `envelope_ids=` says nothing about
//! unknown IDs, in the spec or in any report), so the envelope's own call is the check.

use crate::problem::{Code, Problem};
use docusign_api::esign::{
    EnvelopeDocument, EnvelopeTemplate, EsignClient, EsignError, Recipients,
};
use std::time::Duration;

/// How many of the list's entries a refusal names (the rest are counted).
const NAMED: usize = 10;

/// Why an ID was not confirmed.
#[derive(Debug)]
pub enum IdCheckError {
    /// The ID is not in the list: the problem names the field, the value and what exists.
    NotFound(Problem),
    /// The list itself could not be fetched (DocuSign's or the network's failure).
    CheckFailed(EsignError),
}

/// `items` as `a, b, c and 4 more`.
fn named_list(items: Vec<String>) -> String {
    let n = items.len();
    let mut shown: Vec<String> = items.into_iter().take(NAMED).collect();
    if n > NAMED {
        shown.push(format!("and {} more", n - NAMED));
    }
    shown.join(", ")
}

fn same_id(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// How long a template list confirms an ID without another call (the desktop's preview and
/// then its send of the same template are one look-up).
const TEMPLATES_FRESH: Duration = Duration::from_secs(60);

/// Checks that `template_id` is one of the account's templates, with one call that succeeds
/// whatever the ID (`GET …/templates`, every page: one call per 100 templates). An ID found in
/// the list this client fetched in the last minute needs no call; an ID not found there is
/// looked up in a fresh list before it is refused.
///
/// The list is kept by the client ([`EsignClient::keep_templates`]), like its access token: so
/// per connection (its base URI, account and user), for as long as the connection's client
/// lives (the desktop keeps one per saved connection; a CLI run has its own). Another
/// connection, of another account or not, never confirms an ID with it.
///
/// # Errors
/// [`IdCheckError::NotFound`] with `template_not_in_account` naming the account's templates;
/// [`IdCheckError::CheckFailed`] when the list could not be fetched.
pub async fn template_in_account(
    client: &EsignClient,
    template_id: &str,
) -> Result<(), IdCheckError> {
    let known = client
        .with_kept_templates(|seen| {
            seen.age() < TEMPLATES_FRESH
                && seen
                    .templates()
                    .iter()
                    .any(|(id, _)| same_id(id, template_id))
        })
        .unwrap_or(false);
    if known {
        return Ok(());
    }
    let templates = client
        .list_templates()
        .await
        .map_err(IdCheckError::CheckFailed)?;
    client.keep_templates(&templates);
    match template_refusal(template_id, &templates) {
        Some(p) => Err(IdCheckError::NotFound(p)),
        None => Ok(()),
    }
}

/// The name of `template_id` from the client's last template list (see
/// [`template_in_account`]), when that list had it and named it: for messages that would
/// otherwise show the bare ID. No call.
pub fn known_template_name(client: &EsignClient, template_id: &str) -> Option<String> {
    client
        .with_kept_templates(|seen| {
            seen.templates()
                .iter()
                .find(|(id, _)| same_id(id, template_id))
                .and_then(|(_, name)| name.clone())
        })
        .flatten()
        .filter(|n| !n.trim().is_empty())
}

/// The refusal of `template_id` when it is not among `templates` (the account's list), or
/// `None` when it is. IDs compare without regard to case.
pub fn template_refusal(template_id: &str, templates: &[EnvelopeTemplate]) -> Option<Problem> {
    if templates.iter().any(|t| {
        t.template_id
            .as_deref()
            .is_some_and(|id| same_id(id, template_id))
    }) {
        return None;
    }
    let existing = if templates.is_empty() {
        "This account has no templates.".to_string()
    } else {
        let names = templates
            .iter()
            .map(|t| {
                format!(
                    "\"{}\" ({})",
                    t.name.as_deref().unwrap_or("(no name)"),
                    t.template_id.as_deref().unwrap_or("no ID")
                )
            })
            .collect();
        format!(
            "This account's template{}: {}.",
            if templates.len() == 1 { "" } else { "s" },
            named_list(names)
        )
    };
    Some(
        Problem::new(
            Code::TemplateNotInAccount,
            format!(
                "The template ID \"{}\" is not one of this account's templates. {existing}",
                template_id.trim()
            ),
            "Use the ID of one of this account's templates (pick it from the template list). Templates are not copied at Go-Live, nor from one account to another: re-create or import the template in this account first.",
        )
        .with_field("template_id"),
    )
}

/// The refusal of document number `number` when it is not among `documents` (the envelope's
/// list, `GET …/envelopes/{envelopeId}/documents`), or `None` when it is.
pub fn document_refusal(
    envelope_id: &str,
    number: u32,
    documents: &[EnvelopeDocument],
) -> Option<Problem> {
    let wanted = number.to_string();
    let numbered: Vec<&EnvelopeDocument> = documents
        .iter()
        .filter(|d| {
            d.document_id.as_deref().is_some_and(|id| {
                !id.trim().is_empty() && id.trim().bytes().all(|b| b.is_ascii_digit())
            })
        })
        .collect();
    if numbered.iter().any(|d| {
        d.document_id
            .as_deref()
            .is_some_and(|id| id.trim().trim_start_matches('0') == wanted)
    }) {
        return None;
    }
    let existing = if numbered.is_empty() {
        "It has no numbered documents.".to_string()
    } else {
        let names = numbered
            .iter()
            .map(|d| {
                let id = d.document_id.as_deref().unwrap_or_default().trim();
                match d.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                    Some(n) => format!("{id} \"{n}\""),
                    None => id.to_string(),
                }
            })
            .collect();
        format!("Its documents: {}.", named_list(names))
    };
    let certificate = documents.iter().any(|d| {
        d.document_id
            .as_deref()
            .is_some_and(|id| id.trim().eq_ignore_ascii_case("certificate"))
    });
    Some(
        Problem::new(
            Code::DocumentNotInEnvelope,
            format!(
                "The document ID \"{number}\" is not a document of envelope {}, so it was not downloaded. {existing}{}",
                envelope_id.trim(),
                if certificate { " The certificate of completion is there too (certificate)." } else { "" }
            ),
            "Use one of the envelope's document numbers, or combined (every document in one PDF), archive (a ZIP), certificate or portfolio.",
        )
        .with_field("document_id"),
    )
}

/// The refusal of `recipient_id` when it is none of the envelope's recipients (`recipients`,
/// the envelope's list; compared with each `recipientId` and `recipientIdGuid`), or `None`
/// when it is one.
pub fn recipient_refusal(
    envelope_id: &str,
    recipient_id: &str,
    recipients: &Recipients,
) -> Option<Problem> {
    if recipients.all().any(|(_, r)| {
        r.recipient_id
            .as_deref()
            .is_some_and(|id| same_id(id, recipient_id))
            || r.recipient_id_guid
                .as_deref()
                .is_some_and(|id| same_id(id, recipient_id))
    }) {
        return None;
    }
    let names: Vec<String> = recipients
        .all()
        .map(|(_, r)| {
            let id = r.recipient_id.as_deref().unwrap_or("?").trim().to_string();
            let who = r
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .or(r.email.as_deref())
                .unwrap_or("(no name)");
            match r
                .role_name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                Some(role) => format!("{id} {who} ({role})"),
                None => format!("{id} {who}"),
            }
        })
        .collect();
    let existing = if names.is_empty() {
        "It has no recipients.".to_string()
    } else {
        format!("Its recipients: {}.", named_list(names))
    };
    Some(
        Problem::new(
            Code::RecipientNotInEnvelope,
            format!(
                "The recipient ID \"{}\" is not a recipient of envelope {}. {existing}",
                recipient_id.trim(),
                envelope_id.trim()
            ),
            "Use one of the envelope's recipient IDs, or leave the recipient out to get every recipient's values.",
        )
        .with_field("recipient_id"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(id: &str, name: &str) -> EnvelopeTemplate {
        EnvelopeTemplate {
            template_id: Some(id.into()),
            name: Some(name.into()),
            ..Default::default()
        }
    }

    fn document(id: &str, name: &str) -> EnvelopeDocument {
        EnvelopeDocument {
            document_id: Some(id.into()),
            name: Some(name.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_template_of_the_account_passes_whatever_the_case() {
        let list = [template("AAAAAAAA-1111-2222-3333-444444444444", "NDA")];
        assert!(template_refusal("aaaaaaaa-1111-2222-3333-444444444444", &list).is_none());
    }

    #[test]
    fn an_unknown_template_names_the_field_the_value_and_the_templates() {
        let list = [
            template("aaaaaaaa-1111-2222-3333-444444444444", "NDA"),
            template("bbbbbbbb-1111-2222-3333-444444444444", "Offer letter"),
        ];
        let p = template_refusal("cccccccc-1111-2222-3333-444444444444", &list);
        let p = p.unwrap_or_else(|| Problem::new(Code::Ok, "", ""));
        assert_eq!(p.code, Code::TemplateNotInAccount);
        assert_eq!(p.field.as_deref(), Some("template_id"));
        assert_eq!(
            p.message,
            "The template ID \"cccccccc-1111-2222-3333-444444444444\" is not one of this account's templates. This account's templates: \"NDA\" (aaaaaaaa-1111-2222-3333-444444444444), \"Offer letter\" (bbbbbbbb-1111-2222-3333-444444444444)."
        );
        let none = template_refusal("cccccccc-1111-2222-3333-444444444444", &[]);
        assert!(none.is_some_and(|p| p.message.ends_with("This account has no templates.")));
    }

    #[test]
    fn a_long_list_is_cut_after_ten_names() {
        let list: Vec<EnvelopeTemplate> = (0..13)
            .map(|i| {
                template(
                    &format!("{i:08}-1111-2222-3333-444444444444"),
                    &format!("T{i}"),
                )
            })
            .collect();
        let p = template_refusal("cccccccc-1111-2222-3333-444444444444", &list);
        assert!(p.is_some_and(|p| p.message.contains("\"T9\"")
            && !p.message.contains("\"T10\"")
            && p.message.ends_with(", and 3 more.")));
    }

    #[test]
    fn a_document_number_is_checked_against_the_numbered_documents() {
        let docs = [
            document("1", "NDA.pdf"),
            document("2", "Terms.pdf"),
            document("certificate", "Summary"),
        ];
        assert!(document_refusal("E", 2, &docs).is_none());
        let p = document_refusal("E", 7, &docs);
        let p = p.unwrap_or_else(|| Problem::new(Code::Ok, "", ""));
        assert_eq!(p.code, Code::DocumentNotInEnvelope);
        assert_eq!(p.field.as_deref(), Some("document_id"));
        assert_eq!(
            p.message,
            "The document ID \"7\" is not a document of envelope E, so it was not downloaded. Its documents: 1 \"NDA.pdf\", 2 \"Terms.pdf\". The certificate of completion is there too (certificate)."
        );
    }

    #[test]
    fn a_recipient_id_matches_its_number_or_its_guid() {
        let r: Recipients = serde_json::from_value(serde_json::json!({
            "signers": [{"recipientId": "1", "recipientIdGuid": "AAAAAAAA-1111-2222-3333-444444444444", "name": "Ada", "roleName": "Signer 1"}],
            "carbonCopies": [{"recipientId": "2", "email": "cc@example.com"}]
        }))
        .unwrap_or_default();
        assert!(recipient_refusal("E", "1", &r).is_none());
        assert!(recipient_refusal("E", "aaaaaaaa-1111-2222-3333-444444444444", &r).is_none());
        let p = recipient_refusal("E", "9", &r);
        let p = p.unwrap_or_else(|| Problem::new(Code::Ok, "", ""));
        assert_eq!(p.code, Code::RecipientNotInEnvelope);
        assert_eq!(
            p.message,
            "The recipient ID \"9\" is not a recipient of envelope E. Its recipients: 1 Ada (Signer 1), 2 cc@example.com."
        );
    }
}
