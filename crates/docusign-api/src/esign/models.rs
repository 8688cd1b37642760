//! Serde models of the eSignature answers and requests the nine actions use, with DocuSign's
//! camelCase names (OpenAPI `esignature.rest.swagger-v2.1.json`).
//!
//! DocuSign sends most scalars as strings, counts and booleans included (`"totalSetSize": "250"`,
//! `"required": "true"`); every count and boolean here accepts a string or a JSON number/boolean.
//! Fields this crate does not name are kept in each model's `other` map, so nothing DocuSign sent
//! is lost when a model is shown or re-serialised.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Lenient deserialisers: DocuSign's strings-for-everything.
pub(crate) mod de {
    use super::*;

    /// `"12"`, `12`, `""` (→ None) or null.
    pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::Number(n)) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
            Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
            _ => None,
        })
    }

    /// Like [`opt_u64`], narrowed to `u32`.
    pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        Ok(opt_u64(d)?.and_then(|v| u32::try_from(v).ok()))
    }

    /// `"true"`/`"false"` (any case), `true`/`false`, `1`/`0`, or null.
    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::Bool(b)) => Some(b),
            Some(Value::Number(n)) => n.as_i64().map(|v| v != 0),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Some(true),
                "false" | "0" | "no" => Some(false),
                _ => None,
            },
            _ => None,
        })
    }

    /// A string, or a number/boolean turned into its text; null → None.
    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        })
    }

    /// A list, or null → empty.
    pub fn vec_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
    }
}

/// `errorDetails`: DocuSign's error body, `{"errorCode": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    /// The machine code, e.g. `ENVELOPE_DOES_NOT_EXIST`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_code: Option<String>,
    /// DocuSign's words.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
}

/// `textCustomField`: an envelope text custom field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TextCustomField {
    /// The field's name (this crate writes `templateId`).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// The field's value.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    /// Whether the signer sees it (`"true"`/`"false"`).
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub show: Option<bool>,
    /// DocuSign's field ID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub field_id: Option<String>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `customFields`: an envelope's custom fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CustomFields {
    /// Text custom fields.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub text_custom_fields: Vec<TextCustomField>,
    /// List custom fields, as sent.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub list_custom_fields: Vec<Value>,
}

/// `envelope`: one envelope, as `GET …/envelopes/{envelopeId}` and listStatusChanges return it.
/// Date-times are DocuSign's ISO 8601 strings, verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// The envelope GUID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub envelope_id: Option<String>,
    /// `created` (draft), `sent`, `delivered`, `signed`, `completed`, `declined`, `voided`, …
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// The email subject.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_subject: Option<String>,
    /// When it was created.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_date_time: Option<String>,
    /// When it was (last) sent.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sent_date_time: Option<String>,
    /// When it was first sent.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub initial_sent_date_time: Option<String>,
    /// When it was delivered.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub delivered_date_time: Option<String>,
    /// When it was completed.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_date_time: Option<String>,
    /// When it was declined.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub declined_date_time: Option<String>,
    /// When it was voided.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub voided_date_time: Option<String>,
    /// Why it was voided.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub voided_reason: Option<String>,
    /// When its status last changed (the polling cursor's field).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_changed_date_time: Option<String>,
    /// When it was last modified.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_date_time: Option<String>,
    /// Custom fields (with `include=custom_fields` on lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<CustomFields>,
    /// Recipients (with `include=recipients`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<Recipients>,
    /// Everything else DocuSign sent (`sender`, `documentsUri`, `purgeState`, …).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Envelope {
    /// The value of the text custom field `name` (names compared case-insensitively).
    pub fn text_custom_field(&self, name: &str) -> Option<&str> {
        self.custom_fields
            .as_ref()?
            .text_custom_fields
            .iter()
            .find(|f| {
                f.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .and_then(|f| f.value.as_deref())
    }

    /// The template this envelope was sent from, as recorded by
    /// [`EsignClient::send_envelope_from_template`](crate::esign::EsignClient::send_envelope_from_template)
    /// in the `templateId` text custom field. `None` for envelopes sent otherwise, or listed
    /// without `include=custom_fields`.
    pub fn template_id(&self) -> Option<&str> {
        self.text_custom_field(super::TEMPLATE_ID_FIELD)
    }
}

/// `envelopesInformation`: one page of listStatusChanges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopesInformation {
    /// The envelopes on this page.
    #[serde(default, deserialize_with = "de::vec_or_null")]
    pub envelopes: Vec<Envelope>,
    /// How many are on this page.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_set_size: Option<u64>,
    /// How many match in all.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_set_size: Option<u64>,
    /// 0-based index of this page's first item.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_position: Option<u64>,
    /// 0-based index of this page's last item.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_position: Option<u64>,
    /// The next page's URI (relative), empty or absent on the last page.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_uri: Option<String>,
    /// The previous page's URI.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_uri: Option<String>,
    /// The server's time of this query: the next poll's `from_date` cursor.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_queried_date_time: Option<String>,
    /// Continuation token, when DocuSign gives one.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub continuation_token: Option<String>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// One tab (form field) of any type. The type is the collection it came in (`textTabs`, …);
/// radio groups have `groupName` and `radios` instead of `tabLabel`/`value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Tab {
    /// The label senders and the API match on (case-sensitive).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub tab_label: Option<String>,
    /// The value (what the signer typed, or the prefilled value).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    /// The value before the signer changed it.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub original_value: Option<String>,
    /// Checkbox / radio state.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub selected: Option<bool>,
    /// DocuSign's tab GUID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub tab_id: Option<String>,
    /// `text`, `number`, `checkbox`, … (DocuSign's own type word).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub tab_type: Option<String>,
    /// The tab's name.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Which document it is on.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_id: Option<String>,
    /// Which page (1-based).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub page_number: Option<String>,
    /// The recipient it belongs to.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub recipient_id: Option<String>,
    /// Whether the signer must fill it.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub required: Option<bool>,
    /// Whether the signer may not change it.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub locked: Option<bool>,
    /// List tabs: the choices.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub list_items: Vec<ListItem>,
    /// Radio groups: the group's name (their label).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_name: Option<String>,
    /// Radio groups: the buttons.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub radios: Vec<Radio>,
    /// Everything else DocuSign sent (positions, fonts, validation, metadata, …).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Tab {
    /// The label used to address it: `tabLabel`, or `groupName` for a radio group.
    pub fn label(&self) -> Option<&str> {
        self.tab_label.as_deref().or(self.group_name.as_deref())
    }
}

/// `listItem`: one choice of a list (drop-down) tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ListItem {
    /// What the signer sees.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub text: Option<String>,
    /// What is stored.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    /// Whether it is selected.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub selected: Option<bool>,
}

/// `radio`: one button of a radio group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Radio {
    /// The button's value.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    /// Whether it is selected.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub selected: Option<bool>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `tabs` (`EnvelopeRecipientTabs`): every tab collection, keyed by DocuSign's collection name
/// (`textTabs`, `numberTabs`, `checkboxTabs`, `listTabs`, `radioGroupTabs`, `dateTabs`,
/// `emailTabs`, `companyTabs`, `fullNameTabs`, `signHereTabs`, `dateSignedTabs`,
/// `formulaTabs`, …). Collections this crate does not know are kept the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(transparent)]
pub struct Tabs(pub BTreeMap<String, Vec<Tab>>);

impl<'de> Deserialize<'de> for Tabs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Option::<Map<String, Value>>::deserialize(d)?.unwrap_or_default();
        let mut out = BTreeMap::new();
        for (k, v) in raw {
            // Only arrays are tab collections; anything else (null, metadata) is skipped.
            if let Value::Array(items) = v {
                let tabs: Vec<Tab> = items
                    .into_iter()
                    .filter_map(|t| serde_json::from_value(t).ok())
                    .collect();
                out.insert(k, tabs);
            }
        }
        Ok(Tabs(out))
    }
}

impl Tabs {
    /// Every `(collection, tab)` pair, collections in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Tab)> {
        self.0
            .iter()
            .flat_map(|(k, v)| v.iter().map(move |t| (k.as_str(), t)))
    }

    /// True when no collection holds a tab.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }

    /// The tabs of one collection (`"textTabs"`, …); empty when absent.
    pub fn collection(&self, name: &str) -> &[Tab] {
        self.0.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// A recipient of any type (`signer`, `carbonCopy`, …), with the fields the actions read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// The recipient's ID within the envelope (`"1"`, …).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub recipient_id: Option<String>,
    /// The recipient's GUID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub recipient_id_guid: Option<String>,
    /// The template role (`roleName`), matched exactly (case and spaces) by DocuSign.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub role_name: Option<String>,
    /// Name (empty on a template placeholder).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Email (empty on a template placeholder).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub email: Option<String>,
    /// Routing order (1-based).
    #[serde(
        default,
        deserialize_with = "de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub routing_order: Option<u32>,
    /// `created`, `sent`, `delivered`, `signed`, `completed`, `declined`, `autoresponded`, …
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// DocuSign's recipient type word (`signer`, `carboncopy`, …) when sent.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub recipient_type: Option<String>,
    /// When it was sent to this recipient.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sent_date_time: Option<String>,
    /// When the recipient opened it.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub delivered_date_time: Option<String>,
    /// When the recipient signed.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub signed_date_time: Option<String>,
    /// When the recipient declined.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub declined_date_time: Option<String>,
    /// Why the recipient declined.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub declined_reason: Option<String>,
    /// Why delivery auto-responded (bounced).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_responded_reason: Option<String>,
    /// Embedded-signing client user ID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_user_id: Option<String>,
    /// The recipient's user GUID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_id: Option<String>,
    /// The recipient's tabs (with `include_tabs=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tabs: Option<Tabs>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `recipients`: an envelope's or template's recipients, by type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Recipients {
    /// Signers.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub signers: Vec<Recipient>,
    /// Carbon copies (receive a copy, do nothing).
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub carbon_copies: Vec<Recipient>,
    /// Certified deliveries.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub certified_deliveries: Vec<Recipient>,
    /// Agents.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub agents: Vec<Recipient>,
    /// Editors.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub editors: Vec<Recipient>,
    /// Intermediaries.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub intermediaries: Vec<Recipient>,
    /// In-person signers.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub in_person_signers: Vec<Recipient>,
    /// Witnesses.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub witnesses: Vec<Recipient>,
    /// Notaries.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub notaries: Vec<Recipient>,
    /// Electronic seals.
    #[serde(
        default,
        deserialize_with = "de::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub seals: Vec<Recipient>,
    /// How many recipients.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub recipient_count: Option<u64>,
    /// The routing order now being worked on.
    #[serde(
        default,
        deserialize_with = "de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub current_routing_order: Option<u32>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Recipients {
    /// Every recipient with its type (`"signer"`, `"carbonCopy"`, `"certifiedDelivery"`,
    /// `"agent"`, `"editor"`, `"intermediary"`, `"inPersonSigner"`, `"witness"`, `"notary"`,
    /// `"seal"`), in that order.
    pub fn all(&self) -> impl Iterator<Item = (&'static str, &Recipient)> {
        let groups: [(&'static str, &Vec<Recipient>); 10] = [
            ("signer", &self.signers),
            ("carbonCopy", &self.carbon_copies),
            ("certifiedDelivery", &self.certified_deliveries),
            ("agent", &self.agents),
            ("editor", &self.editors),
            ("intermediary", &self.intermediaries),
            ("inPersonSigner", &self.in_person_signers),
            ("witness", &self.witnesses),
            ("notary", &self.notaries),
            ("seal", &self.seals),
        ];
        groups
            .into_iter()
            .flat_map(|(kind, v)| v.iter().map(move |r| (kind, r)))
    }
}

/// `envelopeSummary`: the answer of `POST …/envelopes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeSummary {
    /// The new envelope's GUID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub envelope_id: Option<String>,
    /// `sent` or `created`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// When the status was set.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_date_time: Option<String>,
    /// `/envelopes/{envelopeId}`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub uri: Option<String>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `envelopeUpdateSummary`: the answer of `PUT …/envelopes/{envelopeId}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeUpdateSummary {
    /// The envelope's GUID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub envelope_id: Option<String>,
    /// An error DocuSign reports inside a 200 answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_details: Option<ErrorDetails>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `envelopeTemplate`, as `GET …/templates` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeTemplate {
    /// The template GUID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub template_id: Option<String>,
    /// The template's name.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Its description.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Whether it is shared.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub shared: Option<bool>,
    /// When it was created.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<String>,
    /// When it was last modified.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified: Option<String>,
    /// When it was last used.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_used: Option<String>,
    /// The folder's ID.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub folder_id: Option<String>,
    /// The folder's name.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub folder_name: Option<String>,
    /// Its email subject.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_subject: Option<String>,
    /// Number of pages.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub page_count: Option<u64>,
    /// `/templates/{templateId}`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub uri: Option<String>,
    /// Everything else DocuSign sent (`owner`, …).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `envelopeTemplateResults`: one page of `GET …/templates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeTemplateResults {
    /// The templates on this page.
    #[serde(default, deserialize_with = "de::vec_or_null")]
    pub envelope_templates: Vec<EnvelopeTemplate>,
    /// How many are on this page.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_set_size: Option<u64>,
    /// How many in all.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_set_size: Option<u64>,
    /// 0-based index of the first.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_position: Option<u64>,
    /// 0-based index of the last.
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_position: Option<u64>,
    /// The next page's URI.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_uri: Option<String>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `envelopeDocument`: one document of an envelope as `GET …/envelopes/{envelopeId}/documents`
/// lists it (and `GET …/envelopes/{envelopeId}?include=documents` embeds it as
/// `envelopeDocuments`). The certificate of completion is listed too, with `documentId`
/// `certificate` and `type` `summary`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeDocument {
    /// The document's ID in the envelope (`"1"`, `"2"`, …, or `certificate`).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_id: Option<String>,
    /// Its name, e.g. `NDA.pdf`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// `content` for a document, `summary` for the certificate of completion.
    #[serde(
        default,
        rename = "type",
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_type: Option<String>,
    /// Everything else DocuSign sent (`uri`, `order`, `pages`, …).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `envelopeDocumentsResult`: the answer of `GET …/envelopes/{envelopeId}/documents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeDocuments {
    /// The envelope.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub envelope_id: Option<String>,
    /// Its documents, the certificate of completion included.
    #[serde(default, deserialize_with = "de::vec_or_null")]
    pub envelope_documents: Vec<EnvelopeDocument>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn counts_and_booleans_arrive_as_strings_or_numbers() {
        let page: EnvelopesInformation = serde_json::from_str(
            r#"{"envelopes":[{"envelopeId":"e1","status":"sent","customFields":{"textCustomFields":[{"name":"TemplateId","value":"T1","show":"false"}]}}],
                "resultSetSize":"1","totalSetSize":250,"startPosition":"0","endPosition":"0","nextUri":"","lastQueriedDateTime":"2024-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(page.total_set_size, Some(250));
        assert_eq!(page.result_set_size, Some(1));
        assert_eq!(page.envelopes[0].template_id(), Some("T1"));
        assert_eq!(
            page.envelopes[0]
                .custom_fields
                .as_ref()
                .unwrap()
                .text_custom_fields[0]
                .show,
            Some(false)
        );
        let n: EnvelopesInformation =
            serde_json::from_str(r#"{"envelopes":null,"totalSetSize":"0"}"#).unwrap();
        assert!(n.envelopes.is_empty());
    }

    #[test]
    fn tabs_keep_every_collection() {
        let t: Tabs = serde_json::from_str(
            r#"{"textTabs":[{"tabLabel":"A","value":"x","required":"true"}],"someNewTabs":[{"tabLabel":"N"}],
                "radioGroupTabs":[{"groupName":"G","radios":[{"value":"a","selected":"true"}]}],"tabGroups":null}"#,
        )
        .unwrap();
        assert_eq!(t.collection("textTabs")[0].required, Some(true));
        assert_eq!(t.collection("someNewTabs")[0].label(), Some("N"));
        assert_eq!(t.collection("radioGroupTabs")[0].label(), Some("G"));
        assert_eq!(t.iter().count(), 3);
        let back = serde_json::to_value(&t).unwrap();
        assert!(back.get("someNewTabs").is_some());
    }

    #[test]
    fn unknown_fields_are_kept() {
        let e: Envelope = serde_json::from_str(
            r#"{"envelopeId":"e","purgeState":"unpurged","sender":{"userName":"A"}}"#,
        )
        .unwrap();
        assert_eq!(
            e.other.get("purgeState").and_then(Value::as_str),
            Some("unpurged")
        );
        let r: Recipients = serde_json::from_str(r#"{"signers":[{"recipientId":"1","routingOrder":"2","roleName":"Signer 1"}],"recipientCount":"1"}"#).unwrap();
        assert_eq!(r.signers[0].routing_order, Some(2));
        assert_eq!(r.all().next().map(|(k, _)| k), Some("signer"));
    }
}
