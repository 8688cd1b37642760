//! The world file's eSignature part (`"esignature": {"<account_id>": {...}}`), its validation
//! into [`Store`], and the default world's templates and envelopes.
//!
//! Field names are snake_case like the rest of the world file; tab types use DocuSign's names
//! (`text`, `number`, `checkbox`, `list`, `radioGroup`, `date`, `email`, `company`, `fullName`,
//! `signHere`, `initialHere`, `dateSigned`). Timestamps are ISO 8601 or relative to start-up
//! (`"-2d"`, `"now-3h"`). The full format is in `docs/emulator.md`.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::model::*;
use super::time::{self, Nanos};

/// The eSignature data of one account in the world file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountEsignSpec {
    /// Rate limits (each field optional; defaults in `docs/emulator.md`).
    #[serde(default)]
    pub limits: LimitsSpec,
    /// Account settings.
    #[serde(default)]
    pub settings: SettingsSpec,
    /// Custom ("normal") folders.
    #[serde(default)]
    pub folders: Vec<FolderSpec>,
    /// Server templates.
    #[serde(default)]
    pub templates: Vec<TemplateSpec>,
    /// Envelopes present at start-up.
    #[serde(default)]
    pub envelopes: Vec<EnvelopeSpec>,
    /// The short account number (digits) shown in DocuSign's web app; REST paths accept it in
    /// place of the GUID and `GET /accounts/{number}` returns the GUID (F40).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    /// Per-user settings in this account (users not listed get the defaults).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<AccountUserSpec>,
}

/// One user's settings in an account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountUserSpec {
    /// A user of the world who is a member of this account.
    pub user_id: String,
    /// DocuSign's permission "Allow view and manage envelope rights through API": every
    /// envelope of the account is visible to this user through the API. Default `false`: only
    /// envelopes the user sent or receives (F50).
    #[serde(default)]
    pub account_wide_envelope_access: bool,
    /// Date Signed format, e.g. `"MM/dd/yyyy | hh:mm tt"` (default) or `"dd/MM/yyyy | HH:mm"` (F44).
    #[serde(default)]
    pub date_format: Option<String>,
    /// Time zone label, e.g. `"PST"` (default), `"UTC"`, `"CET"` (F44).
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Rate limits of an account; omitted fields keep the defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    /// API calls per hour per account (default 3000), reset at the top of each hour.
    #[serde(default)]
    pub hourly: Option<u32>,
    /// API calls per burst window (default 200; 500 when `environment` is `production`).
    #[serde(default)]
    pub burst: Option<u32>,
    /// Length of the burst window in seconds (default 30).
    #[serde(default)]
    pub burst_window_seconds: Option<u32>,
    /// GETs of one envelope (and everything under it) per hour (default 100).
    #[serde(default)]
    pub envelope_get_hourly: Option<u32>,
    /// GETs of one envelope per burst window (default 20).
    #[serde(default)]
    pub envelope_get_burst: Option<u32>,
    /// PUTs of one envelope per hour (default 100).
    #[serde(default)]
    pub envelope_put_hourly: Option<u32>,
    /// PUTs of one envelope per burst window (default 20).
    #[serde(default)]
    pub envelope_put_burst: Option<u32>,
    /// HTTP status of limit errors: 400 (DocuSign's documented answer, default) or 429.
    #[serde(default)]
    pub exceeded_status: Option<u16>,
}

/// Account settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsSpec {
    /// Whether `documents/combined` includes the certificate of completion unless the request
    /// says `certificate=false` (default `true`).
    #[serde(default)]
    pub attach_certificate_to_combined: Option<bool>,
}

/// A custom folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolderSpec {
    /// Folder GUID.
    pub folder_id: String,
    /// Folder name.
    pub name: String,
    /// Envelopes in it (ids of this account's envelopes).
    #[serde(default)]
    pub envelope_ids: Vec<String>,
}

/// A server template.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSpec {
    /// Template GUID.
    pub template_id: String,
    /// Template name.
    pub name: String,
    /// Description (default empty).
    #[serde(default)]
    pub description: Option<String>,
    /// Email subject of envelopes sent from it (default: the name).
    #[serde(default)]
    pub email_subject: Option<String>,
    /// Email message.
    #[serde(default)]
    pub email_blurb: Option<String>,
    /// Creation time (default `-30d`).
    #[serde(default)]
    pub created: Option<String>,
    /// Last modification (default: `created`).
    #[serde(default)]
    pub last_modified: Option<String>,
    /// Shared template (default `false`).
    #[serde(default)]
    pub shared: Option<bool>,
    /// Owner: a user of the world with this account (default: the first such user).
    #[serde(default)]
    pub owner_user_id: Option<String>,
    /// Documents (at least one).
    pub documents: Vec<DocumentSpec>,
    /// Roles: recipients with `role_name`; leave `name`/`email` out for a placeholder role.
    pub roles: Vec<RecipientSpec>,
    /// Envelope custom fields copied onto every envelope sent from it.
    #[serde(default)]
    pub custom_fields: Option<CustomFieldsSpec>,
}

/// A document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSpec {
    /// Document id: a positive integer as a string, e.g. `"1"`.
    pub document_id: String,
    /// File name, e.g. `"NDA.pdf"`.
    pub name: String,
    /// Page count (default 1).
    #[serde(default)]
    pub pages: Option<u32>,
    /// Generate a one-page PDF of exactly this many bytes (streamed; for download tests).
    #[serde(default)]
    pub size_bytes: Option<u64>,
}

/// A recipient of an envelope, or a role of a template.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientSpec {
    /// Recipient id: a positive integer as a string, or a GUID (DocuSign keeps ids as strings;
    /// templates often have GUIDs, F48). Default: position, 1-based.
    #[serde(default)]
    pub recipient_id: Option<String>,
    /// `signer` (default), `carbonCopy` or `inPersonSigner` (F48: `name`/`email` are then the
    /// host's).
    #[serde(default)]
    pub recipient_type: Option<String>,
    /// In-person signers: the signer's name (`signerName`).
    #[serde(default)]
    pub in_person_signer_name: Option<String>,
    /// Template roles: `templateLocked` (default false).
    #[serde(default)]
    pub template_locked: Option<bool>,
    /// Template roles: `templateRequired` (default false).
    #[serde(default)]
    pub template_required: Option<bool>,
    /// Envelopes only: `autoRespondedReason` (with status `autoresponded`, F43).
    #[serde(default)]
    pub auto_responded_reason: Option<String>,
    /// Role name (required on template roles; compared exactly, case and spaces included).
    #[serde(default)]
    pub role_name: Option<String>,
    /// Name; on a template role it makes the role fixed.
    #[serde(default)]
    pub name: Option<String>,
    /// Email; on a template role it makes the role fixed.
    #[serde(default)]
    pub email: Option<String>,
    /// Routing order (default 1).
    #[serde(default)]
    pub routing_order: Option<u32>,
    /// Envelopes only: recipient status (default: derived from the envelope status).
    #[serde(default)]
    pub status: Option<String>,
    /// Envelopes only: `sentDateTime`.
    #[serde(default)]
    pub sent: Option<String>,
    /// Envelopes only: `deliveredDateTime`.
    #[serde(default)]
    pub delivered: Option<String>,
    /// Envelopes only: `signedDateTime`.
    #[serde(default)]
    pub signed: Option<String>,
    /// Envelopes only: `declinedDateTime`.
    #[serde(default)]
    pub declined: Option<String>,
    /// Envelopes only: `declinedReason`.
    #[serde(default)]
    pub declined_reason: Option<String>,
    /// Envelopes only: `clientUserId` (an embedded signer: DocuSign sends them no email, F42).
    #[serde(default)]
    pub client_user_id: Option<String>,
    /// Tabs of this recipient.
    #[serde(default)]
    pub tabs: Vec<TabSpec>,
}

/// A tab (form field).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TabSpec {
    /// `text`, `number`, `checkbox`, `list`, `radioGroup`, `date`, `email`, `company`,
    /// `fullName`, `signHere`, `initialHere` or `dateSigned` (DocuSign's collection names such as
    /// `textTabs` are accepted too).
    #[serde(rename = "type")]
    pub tab_type: String,
    /// `tabLabel` (for `radioGroup`: the `groupName`).
    pub tab_label: String,
    /// Current value (checkbox: use `selected`; list / radioGroup: the chosen item's value).
    #[serde(default)]
    pub value: Option<String>,
    /// Whether the signer must fill it (default `true` for value tabs, `false` for checkboxes).
    #[serde(default)]
    pub required: Option<bool>,
    /// Whether the signer cannot change it (default `false`).
    #[serde(default)]
    pub locked: Option<bool>,
    /// Document the tab is on (default: the first document).
    #[serde(default)]
    pub document_id: Option<String>,
    /// Page (default 1).
    #[serde(default)]
    pub page_number: Option<u32>,
    /// Position in points (default chosen by the emulator).
    #[serde(default)]
    pub x_position: Option<u32>,
    /// Position in points (default chosen by the emulator).
    #[serde(default)]
    pub y_position: Option<u32>,
    /// Checkbox state (default `false`).
    #[serde(default)]
    pub selected: Option<bool>,
    /// `list` options.
    #[serde(default)]
    pub list_items: Vec<ListItemSpec>,
    /// `radioGroup` buttons.
    #[serde(default)]
    pub radios: Vec<RadioSpec>,
}

/// A list option.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItemSpec {
    /// Shown text.
    pub text: String,
    /// Value (default: the text).
    #[serde(default)]
    pub value: Option<String>,
}

/// A radio button.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RadioSpec {
    /// Value of the button.
    pub value: String,
}

/// Envelope custom fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomFieldsSpec {
    /// Text custom fields.
    #[serde(default)]
    pub text: Vec<TextCustomFieldSpec>,
    /// List custom fields.
    #[serde(default)]
    pub list: Vec<ListCustomFieldSpec>,
}

/// A text custom field.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextCustomFieldSpec {
    /// Field name, e.g. `templateId`.
    pub name: String,
    /// Value.
    #[serde(default)]
    pub value: Option<String>,
    /// Shown to recipients (default `false`).
    #[serde(default)]
    pub show: Option<bool>,
    /// Required (default `false`).
    #[serde(default)]
    pub required: Option<bool>,
}

/// A list custom field.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListCustomFieldSpec {
    /// Field name.
    pub name: String,
    /// Chosen value.
    #[serde(default)]
    pub value: Option<String>,
    /// Allowed values.
    #[serde(default)]
    pub list_items: Vec<String>,
    /// Shown to recipients (default `false`).
    #[serde(default)]
    pub show: Option<bool>,
    /// Required (default `false`).
    #[serde(default)]
    pub required: Option<bool>,
}

/// An envelope.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSpec {
    /// Envelope GUID.
    pub envelope_id: String,
    /// `created` (draft), `sent`, `delivered`, `signed`, `completed`, `declined` or `voided`.
    pub status: String,
    /// Subject (default: the template's, or "Please DocuSign this document").
    #[serde(default)]
    pub email_subject: Option<String>,
    /// Email message.
    #[serde(default)]
    pub email_blurb: Option<String>,
    /// Template it was sent from (a template of this account); it supplies documents, roles and
    /// custom fields that the envelope leaves out.
    #[serde(default)]
    pub template_id: Option<String>,
    /// `createdDateTime` (default `now`).
    #[serde(default)]
    pub created: Option<String>,
    /// `sentDateTime` (default: `created` unless the status is `created`).
    #[serde(default)]
    pub sent: Option<String>,
    /// `deliveredDateTime`.
    #[serde(default)]
    pub delivered: Option<String>,
    /// `completedDateTime`.
    #[serde(default)]
    pub completed: Option<String>,
    /// `declinedDateTime`.
    #[serde(default)]
    pub declined: Option<String>,
    /// `voidedDateTime`.
    #[serde(default)]
    pub voided: Option<String>,
    /// `voidedReason`.
    #[serde(default)]
    pub voided_reason: Option<String>,
    /// `statusChangedDateTime` (default: the latest timestamp above).
    #[serde(default)]
    pub status_changed: Option<String>,
    /// Sender: a user with this account (default: the first such user).
    #[serde(default)]
    pub sender_user_id: Option<String>,
    /// `transactionId`.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// Recipients (default: the template's roles; placeholders get made-up names).
    #[serde(default)]
    pub recipients: Option<Vec<RecipientSpec>>,
    /// Documents (default: the template's, else one "Document.pdf").
    #[serde(default)]
    pub documents: Option<Vec<DocumentSpec>>,
    /// Custom fields (default: the template's).
    #[serde(default)]
    pub custom_fields: Option<CustomFieldsSpec>,
}

/// A user of the world as the eSignature half needs it.
pub(crate) struct Member {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub account_ids: Vec<String>,
}

/// Validation context: errors are `(path, message)`.
struct Ctx<'a> {
    start: Nanos,
    members: &'a [Member],
}

type VResult<T> = Result<T, (String, String)>;

fn err<T>(path: impl Into<String>, message: impl Into<String>) -> VResult<T> {
    Err((path.into(), message.into()))
}

fn guid(path: &str, value: &str) -> VResult<String> {
    let v = value.trim();
    if v.len() == 36 && uuid::Uuid::parse_str(v).is_ok() {
        Ok(v.to_ascii_lowercase())
    } else {
        err(
            path,
            format!("{value:?} is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"),
        )
    }
}

fn positive_id(path: &str, value: &str) -> VResult<String> {
    match value.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n.to_string()),
        _ => err(
            path,
            format!("{value:?} is not a positive integer id such as \"1\""),
        ),
    }
}

impl Ctx<'_> {
    fn ts(&self, path: &str, value: &Option<String>) -> VResult<Option<Nanos>> {
        match value {
            None => Ok(None),
            Some(v) => match time::parse_world(v, self.start) {
                Some(t) => Ok(Some(t)),
                None => err(
                    path,
                    format!(
                        "{v:?} is not a timestamp (ISO 8601 such as 2026-01-31T12:00:00Z, or relative such as -2d, now-3h)"
                    ),
                ),
            },
        }
    }

    fn person(&self, path: &str, account_id: &str, user_id: &Option<String>) -> VResult<Person> {
        let member = match user_id {
            Some(u) => {
                let id = guid(path, u)?;
                match self.members.iter().find(|m| m.user_id == id) {
                    Some(m) if m.account_ids.iter().any(|a| a == account_id) => m,
                    Some(_) => {
                        return err(
                            path,
                            format!("user {id} is not a member of account {account_id}"),
                        )
                    }
                    None => return err(path, format!("{id} is not a user of this world")),
                }
            }
            None => match self
                .members
                .iter()
                .find(|m| m.account_ids.iter().any(|a| a == account_id))
            {
                Some(m) => m,
                None => {
                    return Ok(Person {
                        user_id: String::new(),
                        name: "Unknown Sender".into(),
                        email: "sender@example.com".into(),
                    })
                }
            },
        };
        Ok(Person {
            user_id: member.user_id.clone(),
            name: member.name.clone(),
            email: member.email.clone(),
        })
    }
}

fn documents(path: &str, specs: &[DocumentSpec]) -> VResult<Vec<Document>> {
    let mut out: Vec<Document> = Vec::new();
    for (i, d) in specs.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let id = positive_id(&format!("{at}.document_id"), &d.document_id)?;
        if out.iter().any(|o| o.document_id == id) {
            return err(
                format!("{at}.document_id"),
                format!("document {id} is listed twice"),
            );
        }
        if d.name.trim().is_empty() {
            return err(format!("{at}.name"), "must not be empty");
        }
        let pages = d.pages.unwrap_or(1);
        if pages == 0 || pages > 500 {
            return err(format!("{at}.pages"), "must be between 1 and 500");
        }
        if let Some(n) = d.size_bytes {
            if n > super::MAX_DOCUMENT_BYTES {
                return err(
                    format!("{at}.size_bytes"),
                    format!("at most {} bytes", super::MAX_DOCUMENT_BYTES),
                );
            }
        }
        out.push(Document {
            document_id: id,
            guid: uuid::Uuid::new_v4().to_string(),
            name: d.name.clone(),
            pages: if d.size_bytes.is_some() { 1 } else { pages },
            large: d.size_bytes,
        });
    }
    Ok(out)
}

fn custom_fields(path: &str, spec: &CustomFieldsSpec) -> VResult<CustomFields> {
    let mut out = CustomFields::default();
    let mut next_id = 1u32;
    for (i, f) in spec.text.iter().enumerate() {
        if f.name.trim().is_empty() {
            return err(format!("{path}.text[{i}].name"), "must not be empty");
        }
        out.text.push(TextField {
            field_id: next_id.to_string(),
            name: f.name.clone(),
            value: f.value.clone().unwrap_or_default(),
            show: f.show.unwrap_or(false),
            required: f.required.unwrap_or(false),
        });
        next_id += 1;
    }
    for (i, f) in spec.list.iter().enumerate() {
        if f.name.trim().is_empty() {
            return err(format!("{path}.list[{i}].name"), "must not be empty");
        }
        let value = f.value.clone().unwrap_or_default();
        if !value.is_empty() && !f.list_items.contains(&value) {
            return err(
                format!("{path}.list[{i}].value"),
                format!("{value:?} is not one of list_items"),
            );
        }
        out.list.push(ListField {
            field_id: next_id.to_string(),
            name: f.name.clone(),
            value,
            show: f.show.unwrap_or(false),
            required: f.required.unwrap_or(false),
            items: f.list_items.clone(),
        });
        next_id += 1;
    }
    Ok(out)
}

fn tabs(path: &str, specs: &[TabSpec], docs: &[Document]) -> VResult<Vec<Tab>> {
    let mut out = Vec::new();
    for (i, t) in specs.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let Some(kind) = TabKind::parse(&t.tab_type) else {
            let names: Vec<&str> = TabKind::ALL.iter().map(|k| k.name()).collect();
            return err(
                format!("{at}.type"),
                format!(
                    "{:?} is not a tab type (one of {})",
                    t.tab_type,
                    names.join(", ")
                ),
            );
        };
        if t.tab_label.trim().is_empty() {
            return err(format!("{at}.tab_label"), "must not be empty");
        }
        let document_id = match &t.document_id {
            Some(d) => {
                let id = positive_id(&format!("{at}.document_id"), d)?;
                if !docs.iter().any(|doc| doc.document_id == id) {
                    return err(format!("{at}.document_id"), format!("no document {id}"));
                }
                id
            }
            None => docs
                .first()
                .map(|d| d.document_id.clone())
                .unwrap_or_else(|| "1".into()),
        };
        let page_number = t.page_number.unwrap_or(1);
        if let Some(doc) = docs.iter().find(|d| d.document_id == document_id) {
            if page_number == 0 || page_number > doc.pages {
                return err(
                    format!("{at}.page_number"),
                    format!("document {document_id} has {} page(s)", doc.pages),
                );
            }
        }
        if kind == TabKind::List && t.list_items.is_empty() {
            return err(format!("{at}.list_items"), "a list tab needs list_items");
        }
        if kind == TabKind::RadioGroup && t.radios.is_empty() {
            return err(format!("{at}.radios"), "a radioGroup tab needs radios");
        }
        if kind != TabKind::List && !t.list_items.is_empty() {
            return err(format!("{at}.list_items"), "only list tabs have list_items");
        }
        if kind != TabKind::RadioGroup && !t.radios.is_empty() {
            return err(format!("{at}.radios"), "only radioGroup tabs have radios");
        }
        if !kind.has_value() && t.value.is_some() {
            return err(
                format!("{at}.value"),
                format!("{} tabs have no value", kind.name()),
            );
        }
        if kind != TabKind::Checkbox && t.selected.is_some() {
            return err(format!("{at}.selected"), "only checkbox tabs have selected");
        }
        let y = t
            .y_position
            .unwrap_or(120 + 40 * u32::try_from(i % 15).unwrap_or(0));
        let mut tab = Tab {
            kind,
            tab_id: uuid::Uuid::new_v4().to_string(),
            label: t.tab_label.clone(),
            value: String::new(),
            original_value: String::new(),
            required: t.required.unwrap_or(kind != TabKind::Checkbox),
            locked: t.locked.unwrap_or(false),
            document_id,
            page_number,
            x: t.x_position.unwrap_or(72),
            y,
            selected: t.selected.unwrap_or(false),
            list_items: t
                .list_items
                .iter()
                .map(|li| ListItem {
                    text: li.text.clone(),
                    value: li.value.clone().unwrap_or_else(|| li.text.clone()),
                    selected: false,
                })
                .collect(),
            radios: t
                .radios
                .iter()
                .enumerate()
                .map(|(k, r)| Radio {
                    tab_id: uuid::Uuid::new_v4().to_string(),
                    value: r.value.clone(),
                    selected: false,
                    x: t.x_position.unwrap_or(72) + 60 * u32::try_from(k).unwrap_or(0),
                    y,
                })
                .collect(),
            signed: false,
        };
        if let Some(v) = &t.value {
            if kind == TabKind::List
                && !tab
                    .list_items
                    .iter()
                    .any(|li| &li.value == v || &li.text == v)
                && !v.is_empty()
            {
                return err(
                    format!("{at}.value"),
                    format!("{v:?} is not one of list_items"),
                );
            }
            if kind == TabKind::RadioGroup
                && !tab.radios.iter().any(|r| &r.value == v)
                && !v.is_empty()
            {
                return err(format!("{at}.value"), format!("{v:?} is not one of radios"));
            }
            tab.set_value(v);
        }
        tab.original_value = tab.value.clone();
        out.push(tab);
    }
    Ok(out)
}

fn recipient_base(
    at: &str,
    index: usize,
    r: &RecipientSpec,
    docs: &[Document],
) -> VResult<Recipient> {
    let recipient_id = match &r.recipient_id {
        Some(id) if uuid::Uuid::parse_str(id.trim()).is_ok() && id.trim().len() == 36 => {
            id.trim().to_ascii_lowercase()
        }
        Some(id) => positive_id(&format!("{at}.recipient_id"), id)?,
        None => (index + 1).to_string(),
    };
    let rtype = match &r.recipient_type {
        Some(t) => match RecipientType::parse(t) {
            Some(t) => t,
            None => {
                return err(
                    format!("{at}.recipient_type"),
                    format!("{t:?} is not signer, carbonCopy or inPersonSigner"),
                )
            }
        },
        None => RecipientType::Signer,
    };
    let routing_order = r.routing_order.unwrap_or(1);
    if routing_order == 0 {
        return err(format!("{at}.routing_order"), "must be at least 1");
    }
    if let Some(email) = &r.email {
        if !email.contains('@') {
            return err(
                format!("{at}.email"),
                format!("{email:?} is not an email address"),
            );
        }
    }
    let tabs = tabs(&format!("{at}.tabs"), &r.tabs, docs)?;
    if rtype == RecipientType::CarbonCopy && !tabs.is_empty() {
        return err(format!("{at}.tabs"), "carbon copies have no tabs");
    }
    Ok(Recipient {
        recipient_id,
        guid: uuid::Uuid::new_v4().to_string(),
        rtype,
        role_name: r.role_name.clone(),
        name: r.name.clone().unwrap_or_default(),
        email: r.email.clone().unwrap_or_default(),
        routing_order,
        status: RecStatus::Created,
        sent: None,
        delivered: None,
        signed: None,
        declined: None,
        declined_reason: None,
        client_user_id: r.client_user_id.clone().filter(|c| !c.trim().is_empty()),
        tabs,
        extra: RecipientExtra {
            in_person_signer_name: r.in_person_signer_name.clone().unwrap_or_default(),
            auto_responded_reason: None,
            template_locked: r.template_locked.unwrap_or(false),
            template_required: r.template_required.unwrap_or(false),
        },
    })
}

fn check_unique_recipients(path: &str, list: &[Recipient]) -> VResult<()> {
    let mut seen = HashSet::new();
    for (i, r) in list.iter().enumerate() {
        if !seen.insert(r.recipient_id.clone()) {
            return err(
                format!("{path}[{i}].recipient_id"),
                format!("recipient id {} is used twice", r.recipient_id),
            );
        }
    }
    Ok(())
}

fn template(ctx: &Ctx<'_>, account_id: &str, at: &str, t: &TemplateSpec) -> VResult<Template> {
    let id = guid(&format!("{at}.template_id"), &t.template_id)?;
    if t.name.trim().is_empty() {
        return err(format!("{at}.name"), "must not be empty");
    }
    if t.documents.is_empty() {
        return err(
            format!("{at}.documents"),
            "a template needs at least one document",
        );
    }
    let docs = documents(&format!("{at}.documents"), &t.documents)?;
    let mut roles = Vec::new();
    for (i, r) in t.roles.iter().enumerate() {
        let rat = format!("{at}.roles[{i}]");
        for (field, value) in [
            ("status", &r.status),
            ("sent", &r.sent),
            ("delivered", &r.delivered),
            ("signed", &r.signed),
            ("declined", &r.declined),
            ("declined_reason", &r.declined_reason),
            ("client_user_id", &r.client_user_id),
        ] {
            if value.is_some() {
                return err(
                    format!("{rat}.{field}"),
                    "template roles have no status or timestamps",
                );
            }
        }
        match &r.role_name {
            Some(n) if !n.trim().is_empty() => {}
            _ => {
                return err(
                    format!("{rat}.role_name"),
                    "a template role needs a role_name",
                )
            }
        }
        let role = recipient_base(&rat, i, r, &docs)?;
        if role.name.trim().is_empty() != role.email.trim().is_empty() {
            return err(
                rat,
                "give both name and email (a fixed role) or neither (a placeholder role)",
            );
        }
        if roles
            .iter()
            .any(|o: &Recipient| o.role_name == role.role_name)
        {
            return err(
                format!("{rat}.role_name"),
                "role names must be unique in a template",
            );
        }
        roles.push(role);
    }
    check_unique_recipients(&format!("{at}.roles"), &roles)?;
    let created = ctx
        .ts(&format!("{at}.created"), &t.created)?
        .unwrap_or(ctx.start - 30 * 86_400 * 1_000_000_000);
    let last_modified = ctx
        .ts(&format!("{at}.last_modified"), &t.last_modified)?
        .unwrap_or(created);
    Ok(Template {
        id,
        name: t.name.clone(),
        description: t.description.clone().unwrap_or_default(),
        subject: t.email_subject.clone().unwrap_or_else(|| t.name.clone()),
        blurb: t.email_blurb.clone(),
        created,
        last_modified,
        last_used: None,
        shared: t.shared.unwrap_or(false),
        owner: ctx.person(&format!("{at}.owner_user_id"), account_id, &t.owner_user_id)?,
        documents: docs,
        roles,
        custom_fields: match &t.custom_fields {
            Some(cf) => custom_fields(&format!("{at}.custom_fields"), cf)?,
            None => CustomFields::default(),
        },
    })
}

/// The default recipient status for an envelope status and the recipient's position.
fn derived_status(env: EnvStatus, r: &Recipient, first_order: u32) -> RecStatus {
    let active = r.routing_order == first_order;
    match env {
        EnvStatus::Created => RecStatus::Created,
        EnvStatus::Completed | EnvStatus::Signed => RecStatus::Completed,
        EnvStatus::Sent | EnvStatus::Voided => {
            if !active {
                RecStatus::Created
            } else if r.rtype == RecipientType::CarbonCopy {
                RecStatus::Completed
            } else {
                RecStatus::Sent
            }
        }
        EnvStatus::Delivered => {
            if !active {
                RecStatus::Created
            } else if r.rtype == RecipientType::CarbonCopy {
                RecStatus::Completed
            } else {
                RecStatus::Delivered
            }
        }
        EnvStatus::Declined => {
            if !active {
                RecStatus::Created
            } else if r.rtype == RecipientType::CarbonCopy {
                RecStatus::Completed
            } else {
                RecStatus::Declined
            }
        }
    }
}

fn envelope(
    ctx: &Ctx<'_>,
    account_id: &str,
    templates: &[Template],
    users: &[AccountUser],
    at: &str,
    e: &EnvelopeSpec,
) -> VResult<Envelope> {
    let sender = ctx.person(
        &format!("{at}.sender_user_id"),
        account_id,
        &e.sender_user_id,
    )?;
    let id = guid(&format!("{at}.envelope_id"), &e.envelope_id)?;
    let Some(status) = EnvStatus::parse(&e.status) else {
        return err(
            format!("{at}.status"),
            format!(
                "{:?} is not an envelope status (created, sent, delivered, signed, completed, declined, voided)",
                e.status
            ),
        );
    };
    let tmpl = match &e.template_id {
        Some(t) => {
            let tid = guid(&format!("{at}.template_id"), t)?;
            match templates.iter().find(|x| x.id == tid) {
                Some(x) => Some(x),
                None => {
                    return err(
                        format!("{at}.template_id"),
                        format!("{tid} is not a template of account {account_id}"),
                    )
                }
            }
        }
        None => None,
    };
    let docs = match (&e.documents, tmpl) {
        (Some(d), _) => documents(&format!("{at}.documents"), d)?,
        (None, Some(t)) => t
            .documents
            .iter()
            .map(|d| Document {
                guid: uuid::Uuid::new_v4().to_string(),
                ..d.clone()
            })
            .collect(),
        (None, None) => vec![Document {
            document_id: "1".into(),
            guid: uuid::Uuid::new_v4().to_string(),
            name: "Document.pdf".into(),
            pages: 1,
            large: None,
        }],
    };

    let created = ctx
        .ts(&format!("{at}.created"), &e.created)?
        .unwrap_or(ctx.start);
    let after_send = status != EnvStatus::Created;
    let sent =
        ctx.ts(&format!("{at}.sent"), &e.sent)?
            .or(if after_send { Some(created) } else { None });
    let delivered = ctx.ts(&format!("{at}.delivered"), &e.delivered)?.or(
        if matches!(
            status,
            EnvStatus::Delivered | EnvStatus::Signed | EnvStatus::Completed
        ) {
            sent
        } else {
            None
        },
    );
    let completed =
        ctx.ts(&format!("{at}.completed"), &e.completed)?
            .or(if status == EnvStatus::Completed {
                delivered
            } else {
                None
            });
    let declined =
        ctx.ts(&format!("{at}.declined"), &e.declined)?
            .or(if status == EnvStatus::Declined {
                sent
            } else {
                None
            });
    let voided = ctx
        .ts(&format!("{at}.voided"), &e.voided)?
        .or(if status == EnvStatus::Voided {
            sent
        } else {
            None
        });
    let latest = [Some(created), sent, delivered, completed, declined, voided]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(created);
    let status_changed = ctx
        .ts(&format!("{at}.status_changed"), &e.status_changed)?
        .unwrap_or(latest);

    let mut recipients = match (&e.recipients, tmpl) {
        (Some(list), _) => {
            let mut out = Vec::new();
            for (i, r) in list.iter().enumerate() {
                out.push(recipient_base(
                    &format!("{at}.recipients[{i}]"),
                    i,
                    r,
                    &docs,
                )?);
            }
            out
        }
        (None, Some(t)) => t
            .roles
            .iter()
            .map(|role| {
                let mut r = role.clone();
                r.guid = uuid::Uuid::new_v4().to_string();
                if r.is_placeholder() {
                    let role_name = r.role_name.clone().unwrap_or_default();
                    r.name = format!("{role_name} Person");
                    r.email = format!(
                        "{}@example.com",
                        role_name
                            .to_ascii_lowercase()
                            .chars()
                            .filter(char::is_ascii_alphanumeric)
                            .collect::<String>()
                    );
                }
                r
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    check_unique_recipients(&format!("{at}.recipients"), &recipients)?;
    let first_order = recipients
        .iter()
        .map(|r| r.routing_order)
        .min()
        .unwrap_or(1);
    for (i, r) in recipients.iter_mut().enumerate() {
        let rat = format!("{at}.recipients[{i}]");
        if r.name.trim().is_empty() || !r.email.contains('@') {
            return err(rat, "an envelope recipient needs a name and an email");
        }
        let spec = e.recipients.as_ref().and_then(|l| l.get(i));
        r.status = match spec.and_then(|s| s.status.as_ref()) {
            Some(s) => match RecStatus::parse(s) {
                Some(st) => st,
                None => {
                    return err(
                        format!("{rat}.status"),
                        format!("{s:?} is not a recipient status (created, sent, delivered, signed, completed, declined, autoresponded)"),
                    )
                }
            },
            None => derived_status(status, r, first_order),
        };
        let given = |field: &str, v: Option<&Option<String>>| -> VResult<Option<Nanos>> {
            match v {
                Some(v) => ctx.ts(&format!("{rat}.{field}"), v),
                None => Ok(None),
            }
        };
        let st = r.status;
        let is_signer = r.signs();
        r.extra.auto_responded_reason = spec.and_then(|s| s.auto_responded_reason.clone()).or(
            if st == RecStatus::AutoResponded {
                Some("The email to this recipient could not be delivered.".into())
            } else {
                None
            },
        );
        r.sent = given("sent", spec.map(|s| &s.sent))?.or(if st != RecStatus::Created {
            sent
        } else {
            None
        });
        r.delivered = given("delivered", spec.map(|s| &s.delivered))?.or(
            if is_signer
                && matches!(
                    st,
                    RecStatus::Delivered | RecStatus::Signed | RecStatus::Completed
                )
            {
                delivered.or(r.sent)
            } else {
                None
            },
        );
        r.signed = given("signed", spec.map(|s| &s.signed))?.or(
            if is_signer && matches!(st, RecStatus::Signed | RecStatus::Completed) {
                completed.or(r.delivered)
            } else {
                None
            },
        );
        r.declined =
            given("declined", spec.map(|s| &s.declined))?.or(if st == RecStatus::Declined {
                declined.or(r.sent)
            } else {
                None
            });
        r.declined_reason =
            spec.and_then(|s| s.declined_reason.clone())
                .or(if st == RecStatus::Declined {
                    Some("Declined in the world file.".into())
                } else {
                    None
                });
        if matches!(st, RecStatus::Completed | RecStatus::Signed) && is_signer {
            let name = r.name.clone();
            // F44: Date Signed is text in the signer's (else the sender's) regional format.
            let regional = users
                .iter()
                .find(|u| u.email.eq_ignore_ascii_case(&r.email))
                .or_else(|| users.iter().find(|u| u.user_id == sender.user_id))
                .map(|u| u.regional.clone())
                .unwrap_or_default();
            let date = regional.date_signed(r.signed.unwrap_or(status_changed));
            for t in &mut r.tabs {
                match t.kind {
                    TabKind::SignHere | TabKind::InitialHere => t.signed = true,
                    TabKind::DateSigned if t.value.is_empty() => t.value = date.clone(),
                    TabKind::FullName if t.value.is_empty() => t.value = name.clone(),
                    _ => {}
                }
            }
        }
    }

    let cf = match (&e.custom_fields, tmpl) {
        (Some(cf), _) => custom_fields(&format!("{at}.custom_fields"), cf)?,
        (None, Some(t)) => t.custom_fields.clone(),
        (None, None) => CustomFields::default(),
    };
    let subject = e
        .email_subject
        .clone()
        .or_else(|| tmpl.map(|t| t.subject.clone()))
        .unwrap_or_else(|| "Please DocuSign this document".into());
    Ok(Envelope {
        id,
        status,
        subject,
        blurb: e
            .email_blurb
            .clone()
            .or_else(|| tmpl.and_then(|t| t.blurb.clone())),
        template_id: tmpl.map(|t| t.id.clone()),
        template_name: tmpl.map(|t| t.name.clone()),
        created,
        sent,
        initial_sent: sent,
        delivered,
        completed,
        declined,
        voided,
        voided_reason: e.voided_reason.clone().or(if status == EnvStatus::Voided {
            Some("Voided in the world file.".into())
        } else {
            None
        }),
        status_changed,
        last_modified: status_changed,
        sender,
        transaction_id: e.transaction_id.clone(),
        recipients,
        documents: docs,
        custom_fields: cf,
    })
}

fn limits(path: &str, spec: &LimitsSpec, production: bool) -> VResult<Limits> {
    let mut l = Limits::defaults(production);
    apply_limits(&mut l, spec).map_err(|(f, m)| (format!("{path}.{f}"), m))?;
    Ok(l)
}

/// Applies the given fields of `spec` to `limits`; errors name the field.
pub(crate) fn apply_limits(limits: &mut Limits, spec: &LimitsSpec) -> VResult<()> {
    let mut next = limits.clone();
    for (name, value, slot) in [
        ("hourly", spec.hourly, &mut next.hourly),
        ("burst", spec.burst, &mut next.burst),
        (
            "burst_window_seconds",
            spec.burst_window_seconds,
            &mut next.burst_window_seconds,
        ),
        (
            "envelope_get_hourly",
            spec.envelope_get_hourly,
            &mut next.envelope_get_hourly,
        ),
        (
            "envelope_get_burst",
            spec.envelope_get_burst,
            &mut next.envelope_get_burst,
        ),
        (
            "envelope_put_hourly",
            spec.envelope_put_hourly,
            &mut next.envelope_put_hourly,
        ),
        (
            "envelope_put_burst",
            spec.envelope_put_burst,
            &mut next.envelope_put_burst,
        ),
    ] {
        if let Some(v) = value {
            if v == 0 {
                return err(name, "must be at least 1");
            }
            *slot = v;
        }
    }
    if next.burst_window_seconds > 3600 {
        return err("burst_window_seconds", "at most 3600");
    }
    if let Some(s) = spec.exceeded_status {
        if s != 400 && s != 429 {
            return err("exceeded_status", format!("{s} is neither 400 nor 429"));
        }
        next.exceeded_status = s;
    }
    *limits = next;
    Ok(())
}

/// Validates the `esignature` map into a [`Store`] holding every account of the world (accounts
/// without an entry get empty data and default limits). Errors are `(path, message)`.
pub(crate) fn build_store(
    spec: &BTreeMap<String, AccountEsignSpec>,
    members: &[Member],
    environment: &str,
    start: Nanos,
) -> Result<Store, (String, String)> {
    let ctx = Ctx { start, members };
    let production = matches!(
        environment.to_ascii_lowercase().as_str(),
        "production" | "prod" | "www"
    );
    let mut store = Store::default();
    for m in members {
        for a in &m.account_ids {
            let data = store.accounts.entry(a.clone()).or_insert_with(|| {
                AccountData::new(
                    a.clone(),
                    Limits::defaults(production),
                    Settings {
                        attach_certificate_to_combined: true,
                    },
                )
            });
            data.users.push(AccountUser {
                user_id: m.user_id.clone(),
                email: m.email.clone(),
                account_wide_envelope_access: false,
                regional: super::regional::Regional::default(),
            });
        }
    }
    for (key, acc) in spec {
        let base = format!("esignature.{key}");
        let account_id = guid(&base, key)?;
        let Some(data) = store.accounts.get_mut(&account_id) else {
            return err(
                base,
                format!("{account_id} is not an account of any user in this world"),
            );
        };
        data.limits = limits(&format!("{base}.limits"), &acc.limits, production)?;
        if let Some(n) = &acc.account_number {
            let n = n.trim();
            if n.is_empty() || n.len() > 18 || !n.bytes().all(|b| b.is_ascii_digit()) {
                return err(
                    format!("{base}.account_number"),
                    format!("{n:?} is not an account number (digits only, e.g. \"18347261\")"),
                );
            }
            data.number = Some(n.to_owned());
        }
        for (i, u) in acc.users.iter().enumerate() {
            let at = format!("{base}.users[{i}]");
            let id = guid(&format!("{at}.user_id"), &u.user_id)?;
            let Some(user) = data.users.iter_mut().find(|x| x.user_id == id) else {
                return err(
                    format!("{at}.user_id"),
                    format!("{id} is not a member of account {account_id}"),
                );
            };
            user.account_wide_envelope_access = u.account_wide_envelope_access;
            user.regional =
                super::regional::Regional::new(u.date_format.as_deref(), u.time_zone.as_deref())
                    .map_err(|m| (at.clone(), m))?;
        }
        data.settings.attach_certificate_to_combined =
            acc.settings.attach_certificate_to_combined.unwrap_or(true);
        let mut templates: Vec<Template> = Vec::new();
        for (i, t) in acc.templates.iter().enumerate() {
            let at = format!("{base}.templates[{i}]");
            let tmpl = template(&ctx, &account_id, &at, t)?;
            if templates.iter().any(|o| o.id == tmpl.id) {
                return err(
                    format!("{at}.template_id"),
                    format!("{} is listed twice", tmpl.id),
                );
            }
            templates.push(tmpl);
        }
        let mut envelopes: Vec<Envelope> = Vec::new();
        let mut seen = HashSet::new();
        for (i, e) in acc.envelopes.iter().enumerate() {
            let at = format!("{base}.envelopes[{i}]");
            let env = envelope(&ctx, &account_id, &templates, &data.users, &at, e)?;
            if !seen.insert(env.id.clone()) {
                return err(
                    format!("{at}.envelope_id"),
                    format!("{} is listed twice", env.id),
                );
            }
            envelopes.push(env);
        }
        for t in &mut templates {
            t.last_used = envelopes
                .iter()
                .filter(|e| e.template_id.as_deref() == Some(t.id.as_str()))
                .map(|e| e.created)
                .max();
        }
        let mut folder_ids = HashSet::new();
        for (i, f) in acc.folders.iter().enumerate() {
            let at = format!("{base}.folders[{i}]");
            let id = guid(&format!("{at}.folder_id"), &f.folder_id)?;
            if !folder_ids.insert(id.clone()) {
                return err(format!("{at}.folder_id"), format!("{id} is listed twice"));
            }
            if f.name.trim().is_empty() {
                return err(format!("{at}.name"), "must not be empty");
            }
            let mut ids = Vec::new();
            for (j, e) in f.envelope_ids.iter().enumerate() {
                let eid = guid(&format!("{at}.envelope_ids[{j}]"), e)?;
                if !seen.contains(&eid) {
                    return err(
                        format!("{at}.envelope_ids[{j}]"),
                        format!("{eid} is not an envelope of this account"),
                    );
                }
                ids.push(eid);
            }
            data.folders.push(Folder {
                id,
                name: f.name.clone(),
                ftype: FolderType::Normal,
                envelope_ids: ids,
            });
        }
        data.templates = templates;
        for env in envelopes {
            data.insert_envelope(env);
        }
    }
    Ok(store)
}

// ---------------------------------------------------------------------------------------------
// The default world

/// Template id of the default world's "Mutual NDA".
pub const DEFAULT_NDA_TEMPLATE_ID: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01";
/// Template id of the default world's "Offer Letter".
pub const DEFAULT_OFFER_TEMPLATE_ID: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b02";

/// The default world's short account number (an alias of its account GUID in REST paths, F40).
pub const DEFAULT_ACCOUNT_NUMBER: &str = "18347261";

/// Envelope ids of the default world, with their status.
pub const DEFAULT_ENVELOPES: [(&str, &str); 9] = [
    ("e1a0c001-0000-4000-8000-000000000001", "created"),
    ("e1a0c001-0000-4000-8000-000000000002", "sent"),
    ("e1a0c001-0000-4000-8000-000000000003", "delivered"),
    ("e1a0c001-0000-4000-8000-000000000004", "completed"),
    ("e1a0c001-0000-4000-8000-000000000005", "voided"),
    ("e1a0c001-0000-4000-8000-000000000006", "sent"),
    ("e1a0c001-0000-4000-8000-000000000007", "completed"),
    ("e1a0c001-0000-4000-8000-000000000008", "declined"),
    ("e1a0c001-0000-4000-8000-000000000009", "sent"),
];

fn tab(kind: &str, label: &str) -> TabSpec {
    TabSpec {
        tab_type: kind.into(),
        tab_label: label.into(),
        ..TabSpec::default()
    }
}

fn template_id_field(id: &str) -> CustomFieldsSpec {
    CustomFieldsSpec {
        text: vec![TextCustomFieldSpec {
            name: "templateId".into(),
            value: Some(id.into()),
            show: Some(false),
            required: Some(false),
        }],
        list: Vec::new(),
    }
}

fn value(mut t: TabSpec, v: &str) -> TabSpec {
    t.value = Some(v.into());
    t
}

fn nda_roles(
    signer: Option<(&str, &str)>,
    values: &[(&str, &str)],
    checked: bool,
) -> Vec<RecipientSpec> {
    let tabs = nda_signer_tabs()
        .into_iter()
        .map(|t| match values.iter().find(|(l, _)| *l == t.tab_label) {
            Some((_, v)) => value(t, v),
            None => t,
        })
        .map(|mut t| {
            if t.tab_type == "checkbox" && checked {
                t.selected = Some(true);
            }
            t
        })
        .collect();
    vec![
        RecipientSpec {
            role_name: Some("Signer 1".into()),
            name: signer.map(|s| s.0.to_owned()),
            email: signer.map(|s| s.1.to_owned()),
            routing_order: Some(1),
            tabs,
            ..RecipientSpec::default()
        },
        company_signer(),
    ]
}

fn nda_signer_tabs() -> Vec<TabSpec> {
    let mut checkbox = tab("checkbox", "AgreeTerms");
    checkbox.required = Some(true);
    let mut plan = tab("list", "Plan");
    plan.list_items = ["Basic", "Pro", "Enterprise"]
        .iter()
        .map(|s| ListItemSpec {
            text: (*s).into(),
            value: Some(s.to_ascii_lowercase()),
        })
        .collect();
    let mut sign = tab("signHere", "SignHere1");
    sign.page_number = Some(2);
    let mut signed = tab("dateSigned", "DateSigned1");
    signed.page_number = Some(2);
    let mut full = tab("fullName", "FullName1");
    full.page_number = Some(2);
    vec![
        tab("text", "CustomerAddress"),
        tab("number", "Amount"),
        checkbox,
        plan,
        tab("date", "StartDate"),
        tab("company", "Company"),
        sign,
        signed,
        full,
    ]
}

fn company_signer() -> RecipientSpec {
    let mut sign = tab("signHere", "CompanySignHere");
    sign.page_number = Some(2);
    let mut date = tab("dateSigned", "CompanyDateSigned");
    date.page_number = Some(2);
    let mut title = tab("text", "CompanyTitle");
    title.page_number = Some(2);
    title.value = Some("General Counsel".into());
    title.locked = Some(true);
    RecipientSpec {
        role_name: Some("Company Signer".into()),
        name: Some("Casey Counsel".into()),
        email: Some("legal@example.com".into()),
        routing_order: Some(2),
        tabs: vec![sign, date, title],
        ..RecipientSpec::default()
    }
}

fn offer_roles(candidate: Option<(&str, &str)>, values: &[(&str, &str)]) -> Vec<RecipientSpec> {
    let mut relocation = tab("radioGroup", "Relocation");
    relocation.radios = vec![
        RadioSpec {
            value: "yes".into(),
        },
        RadioSpec { value: "no".into() },
    ];
    relocation.required = Some(false);
    let mut position = tab("text", "Position");
    position.locked = Some(true);
    let tabs = vec![
        position,
        tab("number", "Salary"),
        tab("date", "StartDate"),
        tab("email", "PersonalEmail"),
        relocation,
        tab("signHere", "CandidateSignature"),
        tab("dateSigned", "CandidateDateSigned"),
    ]
    .into_iter()
    .map(|t| match values.iter().find(|(l, _)| *l == t.tab_label) {
        Some((_, v)) => value(t, v),
        None => t,
    })
    .collect();
    vec![
        RecipientSpec {
            role_name: Some("Candidate".into()),
            name: candidate.map(|c| c.0.to_owned()),
            email: candidate.map(|c| c.1.to_owned()),
            routing_order: Some(1),
            tabs,
            ..RecipientSpec::default()
        },
        RecipientSpec {
            role_name: Some("HR".into()),
            recipient_type: Some("carbonCopy".into()),
            name: Some("HR Team".into()),
            email: Some("hr@example.com".into()),
            routing_order: Some(2),
            ..RecipientSpec::default()
        },
    ]
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// The default account's templates and envelopes (relative timestamps, fixed ids).
pub(crate) fn default_account_spec() -> AccountEsignSpec {
    let nda = TemplateSpec {
        template_id: DEFAULT_NDA_TEMPLATE_ID.into(),
        name: "Mutual NDA".into(),
        description: s("Two-party mutual non-disclosure agreement"),
        email_subject: s("Please sign the Mutual NDA"),
        email_blurb: None,
        created: s("-60d"),
        last_modified: s("-10d"),
        shared: Some(true),
        owner_user_id: None,
        documents: vec![DocumentSpec {
            document_id: "1".into(),
            name: "Mutual NDA.pdf".into(),
            pages: Some(2),
            size_bytes: None,
        }],
        roles: nda_roles(None, &[], false),
        custom_fields: Some(template_id_field(DEFAULT_NDA_TEMPLATE_ID)),
    };
    let offer = TemplateSpec {
        template_id: DEFAULT_OFFER_TEMPLATE_ID.into(),
        name: "Offer Letter".into(),
        description: s("Employment offer letter"),
        email_subject: s("Your offer letter"),
        email_blurb: s("Please review and sign your offer."),
        created: s("-45d"),
        last_modified: s("-45d"),
        shared: Some(false),
        owner_user_id: None,
        documents: vec![DocumentSpec {
            document_id: "1".into(),
            name: "Offer Letter.pdf".into(),
            pages: Some(1),
            size_bytes: None,
        }],
        roles: offer_roles(None, &[("Position", "Software Engineer")]),
        custom_fields: Some(template_id_field(DEFAULT_OFFER_TEMPLATE_ID)),
    };
    let env = |i: usize,
               status: &str,
               template: Option<&str>,
               subject: &str,
               recipients: Vec<RecipientSpec>,
               times: [Option<&str>; 5]| {
        let [created, sent, delivered, done, changed] = times;
        EnvelopeSpec {
            envelope_id: DEFAULT_ENVELOPES[i].0.into(),
            status: status.into(),
            email_subject: s(subject),
            email_blurb: None,
            template_id: template.map(str::to_owned),
            created: created.map(str::to_owned),
            sent: sent.map(str::to_owned),
            delivered: delivered.map(str::to_owned),
            completed: if status == "completed" {
                done.map(str::to_owned)
            } else {
                None
            },
            declined: if status == "declined" {
                done.map(str::to_owned)
            } else {
                None
            },
            voided: if status == "voided" {
                done.map(str::to_owned)
            } else {
                None
            },
            voided_reason: if status == "voided" {
                s("Sent to the wrong customer")
            } else {
                None
            },
            status_changed: changed.map(str::to_owned),
            sender_user_id: None,
            transaction_id: None,
            recipients: Some(recipients),
            documents: None,
            custom_fields: None,
        }
    };
    let alice = Some(("Alice Example", "alice@example.com"));
    let bob = Some(("Bob Buyer", "bob@example.com"));
    let carol = Some(("Carol Client", "carol@example.com"));
    let dan = Some(("Dan Dealer", "dan@example.com"));
    let erin = Some(("Erin Engineer", "erin@example.com"));
    let frank = Some(("Frank Finance", "frank@example.com"));
    let grace = Some(("Grace Designer", "grace@example.com"));
    let filled = [
        ("CustomerAddress", "1 Main Street, Springfield"),
        ("Amount", "25000"),
        ("Plan", "pro"),
        ("StartDate", "2026-01-01"),
        ("Company", "Example Corp"),
    ];
    let fill_roles = |mut roles: Vec<RecipientSpec>, statuses: [&str; 2]| {
        for (r, st) in roles.iter_mut().zip(statuses) {
            if !st.is_empty() {
                r.status = s(st);
            }
        }
        roles
    };
    let adhoc = EnvelopeSpec {
        envelope_id: DEFAULT_ENVELOPES[8].0.into(),
        status: "sent".into(),
        email_subject: s("Ad-hoc contract (no template)"),
        email_blurb: None,
        template_id: None,
        created: s("-5h"),
        sent: s("-5h"),
        delivered: None,
        completed: None,
        declined: None,
        voided: None,
        voided_reason: None,
        status_changed: None,
        sender_user_id: None,
        transaction_id: None,
        recipients: Some(vec![RecipientSpec {
            name: s("Harry Handshake"),
            email: s("harry@example.com"),
            tabs: vec![tab("signHere", "Sign")],
            ..RecipientSpec::default()
        }]),
        documents: Some(vec![DocumentSpec {
            document_id: "1".into(),
            name: "Contract.pdf".into(),
            pages: Some(1),
            size_bytes: None,
        }]),
        custom_fields: Some(CustomFieldsSpec::default()),
    };
    AccountEsignSpec {
        limits: LimitsSpec::default(),
        settings: SettingsSpec::default(),
        folders: Vec::new(),
        account_number: Some(DEFAULT_ACCOUNT_NUMBER.to_owned()),
        users: Vec::new(),
        templates: vec![nda, offer],
        envelopes: vec![
            env(
                0,
                "created",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Mutual NDA (draft)",
                nda_roles(alice, &[("Amount", "1000")], false),
                [Some("-3d"), None, None, None, None],
            ),
            env(
                1,
                "sent",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Please sign the Mutual NDA",
                nda_roles(bob, &filled[..2], false),
                [Some("-2d4h"), Some("-2d4h"), None, None, None],
            ),
            env(
                2,
                "delivered",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Please sign the Mutual NDA",
                nda_roles(carol, &filled, false),
                [Some("-1d6h"), Some("-1d6h"), Some("-1d2h"), None, None],
            ),
            env(
                3,
                "completed",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Please sign the Mutual NDA",
                fill_roles(nda_roles(dan, &filled, true), ["completed", "completed"]),
                [
                    Some("-3d2h"),
                    Some("-3d2h"),
                    Some("-3d"),
                    Some("-2d20h"),
                    None,
                ],
            ),
            env(
                4,
                "voided",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Please sign the Mutual NDA",
                nda_roles(alice, &[], false),
                [Some("-1d20h"), Some("-1d20h"), None, Some("-1d8h"), None],
            ),
            env(
                5,
                "sent",
                Some(DEFAULT_OFFER_TEMPLATE_ID),
                "Your offer letter",
                offer_roles(
                    erin,
                    &[
                        ("Position", "Software Engineer"),
                        ("Salary", "120000"),
                        ("StartDate", "2026-02-01"),
                    ],
                ),
                [Some("-20h"), Some("-20h"), None, None, None],
            ),
            env(
                6,
                "completed",
                Some(DEFAULT_OFFER_TEMPLATE_ID),
                "Your offer letter",
                fill_roles(
                    offer_roles(
                        frank,
                        &[
                            ("Position", "Analyst"),
                            ("Salary", "90000"),
                            ("StartDate", "2025-12-01"),
                            ("PersonalEmail", "frank.home@example.com"),
                            ("Relocation", "no"),
                        ],
                    ),
                    ["completed", "completed"],
                ),
                [
                    Some("-4d"),
                    Some("-4d"),
                    Some("-3d20h"),
                    Some("-3d18h"),
                    None,
                ],
            ),
            env(
                7,
                "declined",
                Some(DEFAULT_OFFER_TEMPLATE_ID),
                "Your offer letter",
                fill_roles(
                    offer_roles(grace, &[("Position", "Designer"), ("Salary", "85000")]),
                    ["declined", "created"],
                ),
                [
                    Some("-2d"),
                    Some("-2d"),
                    Some("-1d23h"),
                    Some("-1d22h"),
                    None,
                ],
            ),
            adhoc,
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members() -> Vec<Member> {
        vec![Member {
            user_id: "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01".into(),
            name: "Ada".into(),
            email: "ada@example.com".into(),
            account_ids: vec!["9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01".into()],
        }]
    }

    #[test]
    fn default_account_validates() {
        let mut map = BTreeMap::new();
        map.insert(
            "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01".to_owned(),
            default_account_spec(),
        );
        let store = build_store(&map, &members(), "sandbox", 1_800_000_000_000_000_000);
        let store = match store {
            Ok(s) => s,
            Err(e) => panic!("{e:?}"),
        };
        let acc = store
            .account("9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01")
            .map(|a| (a.templates.len(), a.envelopes.len()));
        assert_eq!(acc, Some((2, 9)));
    }

    #[test]
    fn errors_name_the_path() {
        let mut spec = default_account_spec();
        spec.envelopes[2].status = "finished".into();
        let mut map = BTreeMap::new();
        map.insert("9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01".to_owned(), spec);
        let e = build_store(&map, &members(), "demo", 0)
            .err()
            .unwrap_or_default();
        assert_eq!(
            e.0,
            "esignature.9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01.envelopes[2].status"
        );

        let mut spec = default_account_spec();
        spec.templates[0].roles[0].tabs[0].tab_type = "textbox".into();
        let mut map = BTreeMap::new();
        map.insert("9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01".to_owned(), spec);
        let e = build_store(&map, &members(), "demo", 0)
            .err()
            .unwrap_or_default();
        assert!(e.0.ends_with("templates[0].roles[0].tabs[0].type"), "{e:?}");

        let mut map = BTreeMap::new();
        map.insert(
            "00000000-0000-4000-8000-000000000000".to_owned(),
            AccountEsignSpec::default(),
        );
        let e = build_store(&map, &members(), "demo", 0)
            .err()
            .unwrap_or_default();
        assert!(e.1.contains("not an account"), "{e:?}");
    }
}
