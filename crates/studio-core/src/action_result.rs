//! What an action answers when it succeeds: [`ActionResult`], one typed value shared by the
//! CLI (`dsjwt action …` prints it as JSON) and the desktop app (it crosses IPC as is).
//!
//! One casing convention: our own fields are snake_case; DocuSign's objects (envelopes,
//! templates, tabs, the envelope definition of a preview) are nested as DocuSign sends them,
//! with DocuSign's camelCase names, under a field of ours (`envelope`, `envelopes`,
//! `templates`, `tabs`, `body`).

use std::path::PathBuf;

use docusign_api::esign::{EnvelopeTemplate, PreparedEnvelope, RecipientTabs, TemplateRoles};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::problem::{Code, Problem};

/// An action's answer: `{"ok": true, "action": "list_envelopes", …}`. The fields after
/// `action` depend on the action ([`ActionAnswer`]); the marks below may come with any.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActionResult {
    /// Always true (a failure is an [`crate::actions::ActionFailure`] with `ok: false`).
    #[cfg_attr(feature = "ts", ts(type = "true"))]
    pub ok: bool,
    /// The action's own fields, with `action` naming it.
    #[serde(flatten)]
    pub answer: ActionAnswer,
    /// When this computer's clock was off and the assertion used DocuSign's time: a sentence
    /// saying so (the first result after the switch only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub clock_notice: Option<String>,
    /// With `clock_notice`: how far this computer's clock is off, in seconds (positive: ahead).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub clock_skew_seconds: Option<i64>,
    /// The kept answer of the last 15 minutes this result came from (no call was made).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reused: Option<Reused>,
    /// The same endpoint was fetched within the last 15 minutes already (a polling violation).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub polling_warning: Option<EarlierFetch>,
    /// Void: the envelope status checked before voiding came from this kept answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub status_checked_from: Option<Reused>,
    /// `false` when a call of this action reached DocuSign but could not be written down in the
    /// Go-Live ledger (the disk is full); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub ledger_recorded: Option<bool>,
    /// Why, and that the streak is unknown until a call is recorded again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub ledger_problem: Option<String>,
}

impl ActionResult {
    /// A result with no marks.
    pub fn new(answer: ActionAnswer) -> Self {
        ActionResult {
            ok: true,
            answer,
            clock_notice: None,
            clock_skew_seconds: None,
            reused: None,
            polling_warning: None,
            status_checked_from: None,
            ledger_recorded: None,
            ledger_problem: None,
        }
    }

    /// Whether a call of this action could not be recorded in the Go-Live ledger
    /// (`"ledger_recorded": false`).
    pub fn ledger_not_recorded(&self) -> bool {
        self.ledger_recorded == Some(false)
    }

    /// The action's name (`list_envelopes`, …).
    pub fn action(&self) -> &'static str {
        match &self.answer {
            ActionAnswer::ListEnvelopes(_) => "list_envelopes",
            ActionAnswer::GetEnvelope { .. } => "get_envelope",
            ActionAnswer::DownloadDocument(_) => "download_document",
            ActionAnswer::SendEnvelopeFromTemplate(_) => "send_envelope_from_template",
            ActionAnswer::PreviewEnvelopeFromTemplate(_) => "preview_envelope_from_template",
            ActionAnswer::VoidEnvelope { .. } => "void_envelope",
            ActionAnswer::GetRecipientStatus(_) => "get_recipient_status",
            ActionAnswer::ListTemplates { .. } => "list_templates",
            ActionAnswer::GetTemplateRoles(_) => "get_template_roles",
            ActionAnswer::GetTabValues { .. } => "get_tab_values",
        }
    }

    /// The result as JSON (what the CLI prints).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The fields of one action's answer, tagged `action`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ActionAnswer {
    /// `list_envelopes`.
    ListEnvelopes(EnvelopeListing),
    /// `get_envelope`: the envelope with recipients, custom fields and documents.
    GetEnvelope {
        /// DocuSign's envelope object.
        #[cfg_attr(feature = "ts", ts(as = "docusign_api::ts::DocuSignObject"))]
        envelope: Value,
    },
    /// `download_document`.
    DownloadDocument(DownloadedFile),
    /// `send_envelope_from_template`.
    SendEnvelopeFromTemplate(SentEnvelope),
    /// `preview_envelope_from_template`: the body that would be sent, the roles it was
    /// checked against, notes.
    PreviewEnvelopeFromTemplate(PreparedEnvelope),
    /// `void_envelope`.
    VoidEnvelope {
        /// The envelope.
        envelope_id: String,
        /// Always `voided`.
        status: String,
        /// The reason given.
        voided_reason: String,
    },
    /// `get_recipient_status`.
    GetRecipientStatus(RecipientStatusList),
    /// `list_templates`.
    ListTemplates {
        /// How many templates.
        count: usize,
        /// DocuSign's template objects, every page.
        #[cfg_attr(feature = "ts", ts(as = "Vec<docusign_api::ts::DocuSignObject>"))]
        templates: Vec<EnvelopeTemplate>,
    },
    /// `get_template_roles`: the template's roles and tabs, as a sender fills them.
    GetTemplateRoles(TemplateRoles),
    /// `get_tab_values`.
    GetTabValues {
        /// The envelope.
        envelope_id: String,
        /// Each recipient's tabs (DocuSign's tab objects, by collection).
        recipients: Vec<RecipientTabs>,
        /// Notes on reading the values (Date Signed is the user's regional text, F44).
        notes: Vec<String>,
    },
}

/// `list_envelopes`: every page of listStatusChanges.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EnvelopeListing {
    /// How many envelopes.
    pub count: usize,
    /// DocuSign's `totalSetSize`, when it sent one.
    pub total_set_size: Option<u64>,
    /// Pages fetched.
    pub pages: u32,
    /// The `from_date` sent.
    pub from_date: String,
    /// DocuSign's `lastQueriedDateTime` of the last page (the next poll's cursor).
    pub last_queried_date_time: Option<String>,
    /// DocuSign's envelope objects (with recipients and custom fields).
    #[cfg_attr(feature = "ts", ts(as = "Vec<docusign_api::ts::DocuSignObject>"))]
    pub envelopes: Vec<docusign_api::esign::Envelope>,
    /// Whose envelopes the list shows, in plain words (F50).
    pub visibility: String,
    /// The `user_filter` sent, if any.
    pub user_filter: Option<String>,
    /// Bounced recipients of the listed envelopes (F43).
    pub delivery_problems: Vec<EnvelopeBounce>,
}

/// `download_document`: the file written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DownloadedFile {
    /// Where it was written.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub path: PathBuf,
    /// Its size, in bytes.
    pub bytes: u64,
    /// DocuSign's `Content-Type`.
    pub content_type: Option<String>,
    /// The file name DocuSign gave (`Content-Disposition`).
    pub filename: Option<String>,
    /// True when DocuSign sent the file base64-encoded (decoded before writing).
    pub was_base64: bool,
    /// Whether the certificate of completion is in the file, when known.
    pub certificate_included: Option<bool>,
    /// What the file holds, in words (F45).
    pub contains: String,
}

/// `send_envelope_from_template`: DocuSign's answer to `POST …/envelopes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SentEnvelope {
    /// The template it was sent from.
    pub template_id: String,
    /// The new envelope's ID.
    pub envelope_id: Option<String>,
    /// `sent`, or `created` for a draft.
    pub status: Option<String>,
    /// When (DocuSign's time).
    pub status_date_time: Option<String>,
    /// DocuSign's relative URI of the envelope.
    pub uri: Option<String>,
}

/// `get_recipient_status`: each recipient's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecipientStatusList {
    /// The envelope.
    pub envelope_id: String,
    /// DocuSign's `currentRoutingOrder`.
    pub current_routing_order: Option<u32>,
    /// Every recipient, signers first.
    pub recipients: Vec<RecipientStatus>,
    /// Sentences worth saying (embedded signers get no email, F42).
    pub notes: Vec<String>,
    /// Bounced recipients (F43), the same as each recipient's `problem`.
    pub problems: Vec<BouncedRecipient>,
}

/// One recipient's status.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecipientStatus {
    /// `signer`, `carbonCopy`, … (DocuSign's collection, singular).
    pub recipient_type: String,
    /// The recipient's ID in the envelope.
    pub recipient_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// The template role, when sent from a template.
    pub role_name: Option<String>,
    /// Routing order (1-based).
    pub routing_order: Option<u32>,
    /// DocuSign's status (`sent`, `delivered`, `completed`, `autoresponded`, …).
    pub status: Option<String>,
    /// When it was sent (DocuSign's time).
    pub sent_date_time: Option<String>,
    /// When it was opened.
    pub delivered_date_time: Option<String>,
    /// When it was signed.
    pub signed_date_time: Option<String>,
    /// When it was declined.
    pub declined_date_time: Option<String>,
    /// Why it was declined.
    pub declined_reason: Option<String>,
    /// Why the email bounced.
    pub auto_responded_reason: Option<String>,
    /// DocuSign's `clientUserId` (set: an embedded signer, F42).
    pub client_user_id: Option<String>,
    /// True for an embedded signer (no email from DocuSign).
    pub embedded: bool,
    /// How the recipient is reached, in words.
    pub delivery: String,
    /// A bounced email (F43).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub problem: Option<BouncedRecipient>,
}

/// F43: a recipient whose notification email bounced (DocuSign's recipient status
/// `autoresponded`): the envelope stays `sent`, so nothing else tells the sender. The one value
/// for it everywhere: an action's result (`get_recipient_status`, `list_envelopes`) and a
/// trigger notice ([`crate::triggers::TriggerEvent::delivery_problem`], kept in the trigger
/// store).
///
/// JSON: the problem's `code` (`email_bounced`), `detail` (`null`), `message` and `fix`, then
/// `recipient_id`, `name`, `email` and `reason`. A notice stored before the problem was
/// typed (no `code`, no `detail`) reads back as `email_bounced` with no detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BouncedRecipient {
    /// `email_bounced`, what happened (naming the recipient, the address and DocuSign's
    /// reason) and what to do.
    #[serde(flatten)]
    pub problem: Problem,
    /// The recipient's ID in the envelope.
    pub recipient_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// DocuSign's `autoRespondedReason`, when it gave one.
    pub reason: Option<String>,
}

impl std::ops::Deref for BouncedRecipient {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.problem
    }
}

impl<'de> Deserialize<'de> for BouncedRecipient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// As written now, or before the problem was typed (no `code`, no `detail`).
        #[derive(Deserialize)]
        struct Stored {
            #[serde(default)]
            code: Option<String>,
            #[serde(default)]
            detail: Option<String>,
            message: String,
            #[serde(default)]
            fix: Option<String>,
            #[serde(default)]
            field: Option<String>,
            #[serde(default)]
            recipient_id: Option<String>,
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            email: Option<String>,
            #[serde(default)]
            reason: Option<String>,
        }
        let s = Stored::deserialize(d)?;
        Ok(BouncedRecipient {
            problem: Problem {
                code: s
                    .code
                    .as_deref()
                    .map_or(Code::EmailBounced, Code::from_wire_or_unknown),
                detail: s.detail,
                message: s.message,
                fix: s.fix.unwrap_or_default(),
                field: s.field,
            },
            recipient_id: s.recipient_id,
            name: s.name,
            email: s.email,
            reason: s.reason,
        })
    }
}

/// A bounced recipient of a listed envelope.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EnvelopeBounce {
    /// The recipient and what to do.
    #[serde(flatten)]
    pub problem: BouncedRecipient,
    /// The envelope.
    pub envelope_id: Option<String>,
    /// Its email subject.
    pub email_subject: Option<String>,
}

/// An earlier fetch of the endpoint a request would fetch, within the last 15
/// minutes: fetching it again now is a polling violation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EarlierFetch {
    /// The endpoint, e.g. `GET envelopes/{envelopeId}/recipients`.
    pub endpoint: String,
    /// When it was fetched (RFC 3339, UTC).
    pub fetched_at: String,
    /// How long ago, in seconds.
    pub age_seconds: u64,
    /// How long ago, in words: "2 minutes ago".
    pub ago: String,
    /// Seconds until a fetch no longer counts as polling.
    pub wait_seconds: u64,
    /// True when the answer of that fetch is kept, so it can be used instead.
    pub answer_kept: bool,
    /// The warning, in plain words (no button or command in it).
    pub message: String,
}

/// The stored answer a result came from (no call was made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reused {
    /// When it was fetched (RFC 3339, UTC).
    pub fetched_at: String,
    /// How long ago, in seconds.
    pub age_seconds: u64,
    /// How long ago, in words.
    pub ago: String,
    /// A sentence saying so.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_result_is_flat_json_with_ok_and_action_first() {
        let mut r = ActionResult::new(ActionAnswer::VoidEnvelope {
            envelope_id: "e1".into(),
            status: "voided".into(),
            voided_reason: "typo".into(),
        });
        assert_eq!(
            r.to_json(),
            json!({"ok": true, "action": "void_envelope", "envelope_id": "e1", "status": "voided", "voided_reason": "typo"})
        );
        r.clock_notice = Some("clock".into());
        r.clock_skew_seconds = Some(-120);
        let v = r.to_json();
        assert_eq!(v["clock_notice"], "clock");
        assert_eq!(v["clock_skew_seconds"], -120);
        assert_eq!(r.action(), "void_envelope");
    }

    #[test]
    fn template_roles_stay_flat_beside_ok_and_action() {
        let r = ActionResult::new(ActionAnswer::GetTemplateRoles(TemplateRoles {
            template_id: "t1".into(),
            template_name: Some("NDA".into()),
            roles: vec![],
            unnamed_recipients: 0,
        }));
        assert_eq!(
            r.to_json(),
            json!({"ok": true, "action": "get_template_roles", "template_id": "t1", "template_name": "NDA", "roles": [], "unnamed_recipients": 0})
        );
    }
}
