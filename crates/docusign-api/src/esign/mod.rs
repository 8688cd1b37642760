//! The eSignature REST client: the nine actions of one DocuSign JWT connection.
//!
//! Build an [`EsignClient`] from a [`ClientParts`] (auth server, HTTPS client, key, integration
//! key, user ID, account ID, base URI, call observer). It owns the token (reused until close to
//! expiry; one re-mint and one retry on a 401, F17), reads the rate-limit headers of every
//! answer ([`EsignClient::rate_limit`]), waits instead of failing when a limit is reached
//! within [`RetryPolicy::max_rate_limit_wait`] (F29), retries only what is safe to repeat
//! (see [`retry`]), and reports every HTTP call to the observer as a
//! [`CallRecord`](crate::observe::CallRecord) (kind `Esignature`, path template, path,
//! envelope ID, status, DocuSign `errorCode`, duration).
//!
//! | action | method | endpoint (prefix `{base_uri}/restapi/v2.1/accounts/{accountId}`) |
//! |---|---|---|
//! | list_envelopes / list_status_changes_page | [`EsignClient::list_envelopes`] | `GET /envelopes` |
//! | get_envelope | [`EsignClient::get_envelope`] | `GET /envelopes/{envelopeId}` |
//! | get_recipient_status | [`EsignClient::get_recipient_status`] | `GET /envelopes/{envelopeId}/recipients` |
//! | get_tab_values | [`EsignClient::get_tab_values`] | `GET /envelopes/{envelopeId}/recipients/{recipientId}/tabs` |
//! | download_document | [`EsignClient::download_document`] | `GET /envelopes/{envelopeId}/documents/{documentId}` |
//! | send_envelope_from_template | [`EsignClient::send_envelope_from_template`] | `GET /templates/{templateId}/recipients`, then `POST /envelopes` |
//! | void_envelope | [`EsignClient::void_envelope`] | `GET /envelopes/{envelopeId}`, then `PUT /envelopes/{envelopeId}` |
//! | list_templates | [`EsignClient::list_templates`] | `GET /templates` |
//! | get_template_roles | [`EsignClient::get_template_roles`] | `GET /templates/{templateId}/recipients?include_tabs=true` |

mod account;
mod client;
pub mod clock;
mod download;
mod envelopes;
mod error;
pub mod limits;
pub mod models;
pub mod part_files;
pub mod retry;
mod templates;

pub use account::AccountInformation;
pub use client::{ClientParts, EsignClient, EsignConfig, SeenTemplates, SleepFn, WaitHook};
pub use clock::ClockNotice;
pub use download::{
    disposition_filename, header_text, safe_file_name, DocumentId, DownloadedDocument,
    MAX_FILE_NAME_BYTES,
};
pub use envelopes::{
    iso_utc, DateArg, EnvelopeList, EnvelopePages, ListEnvelopesQuery, RecipientTabs, USER_FILTERS,
};
pub use error::{fix_for, EsignError, ValidationProblem};
pub use models::{
    Envelope, EnvelopeDocument, EnvelopeDocuments, EnvelopeSummary, EnvelopeTemplate,
    EnvelopeUpdateSummary, EnvelopesInformation, Recipient, Recipients, Tab, Tabs,
};
pub use retry::{RateLimit, RetryPolicy, WaitEvent, WaitReason};
pub use templates::{
    build_envelope_definition, suggest, PreparedEnvelope, RoleAssignment, SendStatus, TabValue,
    TemplateEnvelopeRequest, TemplateRole, TemplateRoles, TemplateTab,
};

/// The envelope text custom field in which [`EsignClient::send_envelope_from_template`]
/// records the template ID (facts 4.2), and which `ListEnvelopesQuery::template_id` filters on.
pub const TEMPLATE_ID_FIELD: &str = "templateId";
