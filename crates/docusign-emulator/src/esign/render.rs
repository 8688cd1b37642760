//! The eSignature JSON shapes, written from the OpenAPI spec's definitions (`envelope`,
//! `recipients`, `signer`, `carbonCopy`, `tabs` and the tab types, `customFields`,
//! `envelopeDocument`, `envelopeTemplate`, …): camelCase names, scalars as strings
//! (`"true"`, `"3"`), timestamps with seven fractional digits.

use serde_json::{json, Map, Value};

use super::model::*;
use super::time::format as ts;

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn put(map: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    map.insert(key.to_owned(), value.into());
}

fn put_ts(map: &mut Map<String, Value>, key: &str, value: Option<i64>) {
    if let Some(t) = value {
        map.insert(key.to_owned(), Value::String(ts(t)));
    }
}

/// One tab in the shape of its type (spec `text`, `checkbox`, `list`, `radioGroup`, …).
pub(crate) fn tab(t: &Tab, recipient: &Recipient) -> Value {
    let mut m = Map::new();
    put(&mut m, "tabType", t.kind.tab_type());
    put(&mut m, "documentId", t.document_id.clone());
    put(&mut m, "recipientId", recipient.recipient_id.clone());
    put(&mut m, "recipientIdGuid", recipient.guid.clone());
    if t.kind == TabKind::RadioGroup {
        put(&mut m, "groupName", t.label.clone());
        put(&mut m, "value", t.value.clone());
        put(&mut m, "originalValue", t.original_value.clone());
        put(&mut m, "requireAll", "false");
        put(&mut m, "shared", "false");
        let radios: Vec<Value> = t
            .radios
            .iter()
            .map(|r| {
                json!({
                    "tabId": r.tab_id,
                    "value": r.value,
                    "selected": bool_str(r.selected),
                    "pageNumber": t.page_number.to_string(),
                    "xPosition": r.x.to_string(),
                    "yPosition": r.y.to_string(),
                    "required": bool_str(t.required),
                    "locked": bool_str(t.locked),
                })
            })
            .collect();
        put(&mut m, "radios", radios);
        return Value::Object(m);
    }
    put(&mut m, "tabId", t.tab_id.clone());
    put(&mut m, "tabLabel", t.label.clone());
    put(&mut m, "pageNumber", t.page_number.to_string());
    put(&mut m, "xPosition", t.x.to_string());
    put(&mut m, "yPosition", t.y.to_string());
    match t.kind {
        TabKind::Text | TabKind::Number | TabKind::Date | TabKind::Email | TabKind::Company => {
            put(&mut m, "name", t.label.clone());
            put(&mut m, "value", t.value.clone());
            put(&mut m, "originalValue", t.original_value.clone());
            put(&mut m, "required", bool_str(t.required));
            put(&mut m, "locked", bool_str(t.locked));
            put(&mut m, "font", "helvetica");
            put(&mut m, "fontSize", "size11");
            put(&mut m, "width", "120");
            put(&mut m, "height", "11");
        }
        TabKind::Checkbox => {
            put(&mut m, "name", t.label.clone());
            put(&mut m, "selected", bool_str(t.selected));
            put(&mut m, "required", bool_str(t.required));
            put(&mut m, "locked", bool_str(t.locked));
        }
        TabKind::List => {
            put(&mut m, "value", t.value.clone());
            put(&mut m, "originalValue", t.original_value.clone());
            put(&mut m, "required", bool_str(t.required));
            put(&mut m, "locked", bool_str(t.locked));
            let items: Vec<Value> = t
                .list_items
                .iter()
                .map(|li| {
                    json!({"text": li.text, "value": li.value, "selected": bool_str(li.selected)})
                })
                .collect();
            put(&mut m, "listItems", items);
        }
        TabKind::FullName | TabKind::DateSigned => {
            put(&mut m, "name", t.label.clone());
            put(&mut m, "value", t.value.clone());
        }
        TabKind::SignHere | TabKind::InitialHere => {
            put(&mut m, "name", t.label.clone());
            put(&mut m, "optional", "false");
            put(&mut m, "status", if t.signed { "signed" } else { "active" });
            put(&mut m, "scaleValue", "1");
        }
        TabKind::RadioGroup => {}
    }
    Value::Object(m)
}

/// A recipient's tabs (spec `tabs`): only non-empty collections, as DocuSign answers.
pub(crate) fn tabs(r: &Recipient) -> Value {
    let mut m = Map::new();
    for kind in TabKind::ALL {
        let list: Vec<Value> = r
            .tabs
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| tab(t, r))
            .collect();
        if !list.is_empty() {
            put(&mut m, kind.collection(), list);
        }
    }
    Value::Object(m)
}

/// A recipient (spec `signer` / `carbonCopy`). `template` leaves out status and timestamps.
pub(crate) fn recipient(r: &Recipient, with_tabs: bool, template: bool) -> Value {
    let mut m = Map::new();
    put(&mut m, "recipientId", r.recipient_id.clone());
    put(&mut m, "recipientIdGuid", r.guid.clone());
    put(&mut m, "recipientType", r.rtype.as_str());
    if r.rtype == RecipientType::InPersonSigner {
        // spec `inPersonSigner`: the host's name and email, and the signer's name (F48).
        put(&mut m, "hostName", r.name.clone());
        put(&mut m, "hostEmail", r.email.clone());
        put(&mut m, "signerName", r.extra.in_person_signer_name.clone());
        put(&mut m, "inPersonSigningType", "inPersonSigner");
    } else {
        put(&mut m, "name", r.name.clone());
        put(&mut m, "email", r.email.clone());
    }
    put(&mut m, "routingOrder", r.routing_order.to_string());
    if let Some(role) = &r.role_name {
        put(&mut m, "roleName", role.clone());
    }
    put(&mut m, "requireIdLookup", "false");
    put(&mut m, "deliveryMethod", "email");
    if r.signs() {
        put(&mut m, "creationReason", "sender");
    }
    if template {
        put(&mut m, "templateLocked", bool_str(r.extra.template_locked));
        put(
            &mut m,
            "templateRequired",
            bool_str(r.extra.template_required),
        );
    } else {
        put(&mut m, "status", r.status.as_str());
        put(
            &mut m,
            "completedCount",
            if r.status == RecStatus::Completed {
                "1"
            } else {
                "0"
            },
        );
        put_ts(&mut m, "sentDateTime", r.sent);
        put_ts(&mut m, "deliveredDateTime", r.delivered);
        put_ts(&mut m, "signedDateTime", r.signed);
        put_ts(&mut m, "declinedDateTime", r.declined);
        if let Some(reason) = &r.declined_reason {
            put(&mut m, "declinedReason", reason.clone());
        }
        if let Some(c) = &r.client_user_id {
            put(&mut m, "clientUserId", c.clone());
        }
        if let Some(reason) = &r.extra.auto_responded_reason {
            put(&mut m, "autoRespondedReason", reason.clone());
        }
    }
    if r.signs() {
        put(&mut m, "totalTabCount", r.tabs.len().to_string());
    }
    if with_tabs && r.signs() {
        put(&mut m, "tabs", tabs(r));
    }
    Value::Object(m)
}

/// The `recipients` object: signers and carbon copies plus the empty other types.
pub(crate) fn recipients(
    list: &[Recipient],
    with_tabs: bool,
    current: u32,
    template: bool,
) -> Value {
    let signers: Vec<Value> = list
        .iter()
        .filter(|r| r.rtype == RecipientType::Signer)
        .map(|r| recipient(r, with_tabs, template))
        .collect();
    let ccs: Vec<Value> = list
        .iter()
        .filter(|r| r.rtype == RecipientType::CarbonCopy)
        .map(|r| recipient(r, with_tabs, template))
        .collect();
    let in_person: Vec<Value> = list
        .iter()
        .filter(|r| r.rtype == RecipientType::InPersonSigner)
        .map(|r| recipient(r, with_tabs, template))
        .collect();
    json!({
        "signers": signers,
        "agents": [],
        "editors": [],
        "intermediaries": [],
        "carbonCopies": ccs,
        "certifiedDeliveries": [],
        "inPersonSigners": in_person,
        "seals": [],
        "witnesses": [],
        "notaries": [],
        "recipientCount": list.len().to_string(),
        "currentRoutingOrder": current.to_string(),
    })
}

/// `customFields` / `customFieldsEnvelope`.
pub(crate) fn custom_fields(cf: &CustomFields) -> Value {
    let text: Vec<Value> = cf
        .text
        .iter()
        .map(|f| {
            json!({
                "fieldId": f.field_id,
                "name": f.name,
                "show": bool_str(f.show),
                "required": bool_str(f.required),
                "value": f.value,
                "configurationType": "text",
            })
        })
        .collect();
    let list: Vec<Value> = cf
        .list
        .iter()
        .map(|f| {
            json!({
                "fieldId": f.field_id,
                "name": f.name,
                "show": bool_str(f.show),
                "required": bool_str(f.required),
                "value": f.value,
                "listItems": f.items,
                "configurationType": "list",
            })
        })
        .collect();
    json!({"textCustomFields": text, "listCustomFields": list})
}

fn pages(doc_guid: &str, n: u32) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            json!({
                "pageId": derived_guid(doc_guid, &format!("page{i}")),
                "sequence": i.to_string(),
                "height": "792",
                "width": "612",
                "dpi": "72",
            })
        })
        .collect()
}

/// One `envelopeDocument`. `size` is the download size in bytes when known.
pub(crate) fn envelope_document(
    envelope_id: &str,
    d: &Document,
    order: usize,
    size: Option<u64>,
) -> Value {
    let mut m = Map::new();
    put(&mut m, "documentId", d.document_id.clone());
    put(&mut m, "documentIdGuid", d.guid.clone());
    put(&mut m, "name", d.name.clone());
    put(&mut m, "type", "content");
    put(
        &mut m,
        "uri",
        format!("/envelopes/{envelope_id}/documents/{}", d.document_id),
    );
    put(&mut m, "order", order.to_string());
    put(&mut m, "pages", pages(&d.guid, d.pages));
    put(&mut m, "display", "inline");
    put(&mut m, "includeInDownload", "true");
    put(&mut m, "signerMustAcknowledge", "no_interaction");
    put(&mut m, "templateLocked", "false");
    put(&mut m, "templateRequired", "false");
    put(&mut m, "authoritativeCopy", "false");
    put(&mut m, "containsPdfFormFields", "false");
    if let Some(n) = size {
        put(&mut m, "sizeBytes", n.to_string());
    }
    Value::Object(m)
}

/// A stable GUID derived from an id and a purpose (SHA-256, formatted as a v4 UUID).
pub(crate) fn derived_guid(id: &str, purpose: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(format!("{id}/{purpose}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// The certificate entry DocuSign lists after the documents.
pub(crate) fn certificate_document(envelope_id: &str, order: usize) -> Value {
    json!({
        "documentId": "certificate",
        "documentIdGuid": derived_guid(envelope_id, "certificate"),
        "name": "Summary",
        "type": "summary",
        "uri": format!("/envelopes/{envelope_id}/documents/certificate"),
        "order": order.to_string(),
        "pages": pages(envelope_id, 1),
        "display": "inline",
        "includeInDownload": "true",
        "signerMustAcknowledge": "no_interaction",
        "templateLocked": "false",
        "templateRequired": "false",
        "authoritativeCopy": "false",
        "containsPdfFormFields": "false",
    })
}

/// A template document (spec `document`: `pages` is a count string here).
pub(crate) fn template_document(template_id: &str, d: &Document, order: usize) -> Value {
    json!({
        "documentId": d.document_id,
        "name": d.name,
        "uri": format!("/templates/{template_id}/documents/{}", d.document_id),
        "order": order.to_string(),
        "pages": d.pages.to_string(),
        "display": "inline",
        "includeInDownload": "true",
        "signerMustAcknowledge": "no_interaction",
        "templateLocked": "false",
        "templateRequired": "false",
    })
}

/// `userInfo` of a sender / owner.
pub(crate) fn user_info(p: &Person, account_id: &str) -> Value {
    json!({
        "userName": p.name,
        "userId": p.user_id,
        "accountId": account_id,
        "email": p.email,
    })
}

/// `folder` entries of an envelope (`include=folders`).
pub(crate) fn folders(list: &[&Folder]) -> Value {
    Value::Array(
        list.iter()
            .map(|f| {
                json!({
                    "folderId": f.id,
                    "name": f.name,
                    "type": f.ftype.as_str(),
                    "uri": format!("/folders/{}", f.id),
                })
            })
            .collect(),
    )
}

/// What to embed in an envelope.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Include {
    pub recipients: bool,
    pub tabs: bool,
    pub custom_fields: bool,
    pub documents: bool,
    pub folders: bool,
}

impl Include {
    /// Parses `include=recipients,custom_fields,...` (unknown values are ignored, as DocuSign
    /// accepts values the emulator does not model such as `powerform`).
    pub(crate) fn parse(value: Option<&str>) -> Include {
        let mut inc = Include::default();
        for item in value.unwrap_or("").split(',') {
            match item.trim().to_ascii_lowercase().as_str() {
                "recipients" => inc.recipients = true,
                "tabs" => {
                    inc.recipients = true;
                    inc.tabs = true;
                }
                "custom_fields" => inc.custom_fields = true,
                "documents" => inc.documents = true,
                "folders" => inc.folders = true,
                _ => {}
            }
        }
        inc
    }
}

/// An `envelope`.
pub(crate) fn envelope(
    acc: &AccountData,
    e: &Envelope,
    inc: Include,
    doc_sizes: &dyn Fn(&Envelope, &Document) -> Option<u64>,
) -> Value {
    let id = &e.id;
    let mut m = Map::new();
    put(&mut m, "envelopeId", id.clone());
    put(&mut m, "status", e.status.as_str());
    put(&mut m, "emailSubject", e.subject.clone());
    if let Some(b) = &e.blurb {
        put(&mut m, "emailBlurb", b.clone());
    }
    put_ts(&mut m, "createdDateTime", Some(e.created));
    put_ts(&mut m, "sentDateTime", e.sent);
    put_ts(&mut m, "initialSentDateTime", e.initial_sent);
    put_ts(&mut m, "deliveredDateTime", e.delivered);
    put_ts(&mut m, "completedDateTime", e.completed);
    put_ts(&mut m, "declinedDateTime", e.declined);
    put_ts(&mut m, "voidedDateTime", e.voided);
    if let Some(r) = &e.voided_reason {
        put(&mut m, "voidedReason", r.clone());
    }
    put_ts(&mut m, "statusChangedDateTime", Some(e.status_changed));
    put_ts(&mut m, "lastModifiedDateTime", Some(e.last_modified));
    put_ts(&mut m, "statusDateTime", Some(e.status_changed));
    put(&mut m, "envelopeUri", format!("/envelopes/{id}"));
    put(
        &mut m,
        "recipientsUri",
        format!("/envelopes/{id}/recipients"),
    );
    put(&mut m, "documentsUri", format!("/envelopes/{id}/documents"));
    put(
        &mut m,
        "documentsCombinedUri",
        format!("/envelopes/{id}/documents/combined"),
    );
    put(
        &mut m,
        "certificateUri",
        format!("/envelopes/{id}/documents/certificate"),
    );
    put(&mut m, "templatesUri", format!("/envelopes/{id}/templates"));
    put(
        &mut m,
        "customFieldsUri",
        format!("/envelopes/{id}/custom_fields"),
    );
    put(
        &mut m,
        "notificationUri",
        format!("/envelopes/{id}/notification"),
    );
    put(
        &mut m,
        "attachmentsUri",
        format!("/envelopes/{id}/attachments"),
    );
    put(&mut m, "purgeState", "unpurged");
    put(&mut m, "envelopeIdStamping", "true");
    put(&mut m, "is21CFRPart11", "false");
    put(&mut m, "signerCanSignOnMobile", "true");
    put(&mut m, "autoNavigation", "true");
    put(&mut m, "isSignatureProviderEnvelope", "false");
    put(&mut m, "hasFormDataChanged", "false");
    put(&mut m, "allowComments", "true");
    put(&mut m, "hasComments", "false");
    put(&mut m, "allowMarkup", "false");
    put(&mut m, "allowViewHistory", "true");
    put(&mut m, "envelopeLocation", "current_site");
    if let Some(t) = &e.transaction_id {
        put(&mut m, "transactionId", t.clone());
    }
    put(&mut m, "sender", user_info(&e.sender, &acc.account_id));
    if inc.recipients {
        put(
            &mut m,
            "recipients",
            recipients(&e.recipients, inc.tabs, e.current_routing_order(), false),
        );
    }
    if inc.custom_fields {
        put(&mut m, "customFields", custom_fields(&e.custom_fields));
    }
    if inc.documents {
        let mut docs: Vec<Value> = e
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| envelope_document(id, d, i + 1, doc_sizes(e, d)))
            .collect();
        docs.push(certificate_document(id, docs.len() + 1));
        put(&mut m, "envelopeDocuments", docs);
    }
    if inc.folders {
        put(&mut m, "folders", folders(&acc.folders_of(e)));
    }
    Value::Object(m)
}

/// What to embed in a template.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TemplateInclude {
    pub recipients: bool,
    pub tabs: bool,
    pub documents: bool,
    pub custom_fields: bool,
    pub folders: bool,
}

/// An `envelopeTemplate`.
pub(crate) fn template(acc: &AccountData, t: &Template, inc: TemplateInclude) -> Value {
    let folder = acc.system_folder(FolderType::Templates);
    let mut m = Map::new();
    put(&mut m, "templateId", t.id.clone());
    put(&mut m, "uri", format!("/templates/{}", t.id));
    put(&mut m, "name", t.name.clone());
    put(&mut m, "description", t.description.clone());
    put(&mut m, "shared", bool_str(t.shared));
    put(&mut m, "passwordProtected", "false");
    put_ts(&mut m, "created", Some(t.created));
    put_ts(&mut m, "lastModified", Some(t.last_modified));
    put_ts(&mut m, "lastUsed", t.last_used);
    put(&mut m, "owner", user_info(&t.owner, &acc.account_id));
    put(
        &mut m,
        "lastModifiedBy",
        user_info(&t.owner, &acc.account_id),
    );
    put(
        &mut m,
        "pageCount",
        t.documents.iter().map(|d| d.pages).sum::<u32>().to_string(),
    );
    if let Some(f) = folder {
        put(&mut m, "folderId", f.id.clone());
        put(&mut m, "folderName", f.name.clone());
        put(&mut m, "folderIds", vec![f.id.clone()]);
        if inc.folders {
            put(&mut m, "folders", folders(&[f]));
        }
    }
    put(&mut m, "emailSubject", t.subject.clone());
    if let Some(b) = &t.blurb {
        put(&mut m, "emailBlurb", b.clone());
    }
    put(&mut m, "autoMatch", "true");
    put(&mut m, "autoMatchSpecifiedByUser", "false");
    put(&mut m, "isDynamicEnvelope", "false");
    put(&mut m, "status", "created");
    put(&mut m, "purgeState", "unpurged");
    if inc.documents {
        let docs: Vec<Value> = t
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| template_document(&t.id, d, i + 1))
            .collect();
        put(&mut m, "documents", docs);
    }
    if inc.recipients {
        put(
            &mut m,
            "recipients",
            recipients(&t.roles, inc.tabs, 1, true),
        );
    }
    if inc.custom_fields {
        put(&mut m, "customFields", custom_fields(&t.custom_fields));
    }
    Value::Object(m)
}
