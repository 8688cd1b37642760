//! The world file as written on disk (JSON), every field with its default; unknown fields are
//! rejected so typos are loud. The full format, with an example, is in `docs/emulator.md`.
//!
//! The OAuth side (integration keys, users with their accounts, consents) is checked by
//! `oauth.rs`, the eSignature side (`esignature`: per account templates, envelopes, folders,
//! limits, settings) by `esign.rs`. Its field names are snake_case like the rest of the world
//! file; tab types use DocuSign's names (`text`, `number`, `checkbox`, `list`, `radioGroup`,
//! `date`, `email`, `company`, `fullName`, `signHere`, `initialHere`, `dateSigned`). Timestamps
//! are ISO 8601 or relative to start-up (`"-2d"`, `"now-3h"`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The world file as written on disk (JSON). Unknown fields are rejected so typos are loud.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldFile {
    /// Environment name, free text (`"demo"`, `"sandbox"`, ...). Consents are recorded per
    /// environment, as DocuSign does. Default `"demo"`.
    #[serde(default = "default_environment")]
    pub environment: String,
    /// `expires_in` of issued access tokens, seconds. Default 3600 (DocuSign's one hour).
    #[serde(default = "default_token_lifetime")]
    pub token_lifetime_seconds: u64,
    /// Registered integration keys (apps).
    #[serde(default)]
    pub integration_keys: Vec<IntegrationKeySpec>,
    /// Users that can be impersonated (`sub`).
    #[serde(default)]
    pub users: Vec<UserSpec>,
    /// Consents present at start-up.
    #[serde(default)]
    pub consents: Vec<ConsentSpec>,
    /// eSignature data (templates, envelopes, folders, limits) per account id. Accounts without
    /// an entry have no templates or envelopes and the default limits.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub esignature: BTreeMap<String, AccountEsignSpec>,
}

/// One integration key in the world file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationKeySpec {
    /// The client ID, a hyphenated GUID.
    pub integration_key: String,
    /// App name shown on the consent page. Default "Untitled app".
    #[serde(default)]
    pub name: Option<String>,
    /// RSA public keys as PEM: SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`).
    #[serde(default)]
    pub public_keys: Vec<String>,
    /// Paths of PEM public key files, relative to the world file's folder.
    #[serde(default)]
    pub public_key_files: Vec<PathBuf>,
    /// Registered redirect URIs (absolute); the consent page accepts only exact matches.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

/// One user in the world file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// The user ID (API username), a hyphenated GUID; the JWT `sub`.
    pub user_id: String,
    /// Full name (userinfo `name`).
    pub name: String,
    /// Email address (userinfo `email`).
    pub email: String,
    /// userinfo `given_name`; default: the first word of `name`.
    #[serde(default)]
    pub given_name: Option<String>,
    /// userinfo `family_name`; default: the rest of `name`.
    #[serde(default)]
    pub family_name: Option<String>,
    /// userinfo `created`; default: the emulator's start time as `YYYY-MM-DDTHH:MM:SS.ff`.
    #[serde(default)]
    pub created: Option<String>,
    /// Account memberships; may be empty (a user with no accounts).
    #[serde(default)]
    pub accounts: Vec<AccountSpec>,
}

/// One account membership of a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// The API account ID, a hyphenated GUID.
    pub account_id: String,
    /// Account name.
    pub account_name: String,
    /// Whether this is the user's default account (at most one per user).
    #[serde(default)]
    pub is_default: bool,
    /// `"self"` / `"{emulator}"` for the emulator's own URL, or an absolute URL such as
    /// `https://demo.docusign.net` (no `/restapi`, as DocuSign returns it).
    pub base_uri: String,
    /// Optional organization GUID; when set, userinfo adds the `organization` block.
    #[serde(default)]
    pub organization_id: Option<String>,
}

/// One consent: `user_id` allowed `integration_key` the `scopes`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentSpec {
    /// A user of this world.
    pub user_id: String,
    /// An integration key of this world.
    pub integration_key: String,
    /// Scope tokens; default `["signature", "impersonation"]`.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
}

fn default_environment() -> String {
    "demo".to_owned()
}

pub(super) fn default_token_lifetime() -> u64 {
    3600
}

// ---------------------------------------------------------------------------------------------
// The eSignature side

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
