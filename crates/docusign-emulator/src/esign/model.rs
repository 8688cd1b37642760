//! The eSignature account state: templates, envelopes (recipients, tabs, documents, custom fields),
//! folders, limits and rate counters. Everything lives behind one mutex in the app state.

use std::collections::{HashMap, VecDeque};

use super::time::Nanos;

/// Largest generated document, bytes (1 GiB).
pub(crate) const MAX_DOCUMENT_BYTES: u64 = 1 << 30;

/// Envelope status (spec `envelope.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) enum EnvStatus {
    Created,
    Sent,
    Delivered,
    Signed,
    Completed,
    Declined,
    Voided,
}

impl EnvStatus {
    pub(crate) const ALL: [EnvStatus; 7] = [
        EnvStatus::Created,
        EnvStatus::Sent,
        EnvStatus::Delivered,
        EnvStatus::Signed,
        EnvStatus::Completed,
        EnvStatus::Declined,
        EnvStatus::Voided,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EnvStatus::Created => "created",
            EnvStatus::Sent => "sent",
            EnvStatus::Delivered => "delivered",
            EnvStatus::Signed => "signed",
            EnvStatus::Completed => "completed",
            EnvStatus::Declined => "declined",
            EnvStatus::Voided => "voided",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Still moving (recipients can act).
    pub(crate) fn in_flight(self) -> bool {
        matches!(self, EnvStatus::Sent | EnvStatus::Delivered)
    }
}

/// Recipient types the emulator models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum RecipientType {
    Signer,
    CarbonCopy,
    /// A signer who signs on the host's device (`inPersonSigners`): `name`/`email` are the
    /// host's, [`RecipientExtra::in_person_signer_name`] the signer's (F48).
    InPersonSigner,
}

impl RecipientType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RecipientType::Signer => "signer",
            RecipientType::CarbonCopy => "carboncopy",
            RecipientType::InPersonSigner => "inpersonsigner",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "signer" | "signers" => Some(RecipientType::Signer),
            "carboncopy" | "carboncopies" | "carbon_copy" | "cc" => Some(RecipientType::CarbonCopy),
            "inpersonsigner" | "inpersonsigners" | "in_person_signer" => {
                Some(RecipientType::InPersonSigner)
            }
            _ => None,
        }
    }
}

/// Recipient status (spec `signer.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum RecStatus {
    Created,
    Sent,
    Delivered,
    Signed,
    Completed,
    Declined,
    /// The notification email bounced (F43): the envelope stays `sent`.
    AutoResponded,
}

impl RecStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RecStatus::Created => "created",
            RecStatus::Sent => "sent",
            RecStatus::Delivered => "delivered",
            RecStatus::Signed => "signed",
            RecStatus::Completed => "completed",
            RecStatus::Declined => "declined",
            RecStatus::AutoResponded => "autoresponded",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        [
            RecStatus::Created,
            RecStatus::Sent,
            RecStatus::Delivered,
            RecStatus::Signed,
            RecStatus::Completed,
            RecStatus::Declined,
            RecStatus::AutoResponded,
        ]
        .into_iter()
        .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
    }

    fn done(self) -> bool {
        matches!(self, RecStatus::Completed | RecStatus::Signed)
    }
}

/// Tab types (the `…Tabs` collections of spec `tabs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum TabKind {
    Text,
    Number,
    Checkbox,
    List,
    RadioGroup,
    Date,
    Email,
    Company,
    FullName,
    SignHere,
    InitialHere,
    DateSigned,
}

impl TabKind {
    pub(crate) const ALL: [TabKind; 12] = [
        TabKind::Text,
        TabKind::Number,
        TabKind::Checkbox,
        TabKind::List,
        TabKind::RadioGroup,
        TabKind::Date,
        TabKind::Email,
        TabKind::Company,
        TabKind::FullName,
        TabKind::SignHere,
        TabKind::InitialHere,
        TabKind::DateSigned,
    ];

    /// The world-file name: `text`, `radioGroup`, `signHere`, …
    pub(crate) fn name(self) -> &'static str {
        match self {
            TabKind::Text => "text",
            TabKind::Number => "number",
            TabKind::Checkbox => "checkbox",
            TabKind::List => "list",
            TabKind::RadioGroup => "radioGroup",
            TabKind::Date => "date",
            TabKind::Email => "email",
            TabKind::Company => "company",
            TabKind::FullName => "fullName",
            TabKind::SignHere => "signHere",
            TabKind::InitialHere => "initialHere",
            TabKind::DateSigned => "dateSigned",
        }
    }

    /// The JSON collection: `textTabs`, `radioGroupTabs`, …
    pub(crate) fn collection(self) -> &'static str {
        match self {
            TabKind::Text => "textTabs",
            TabKind::Number => "numberTabs",
            TabKind::Checkbox => "checkboxTabs",
            TabKind::List => "listTabs",
            TabKind::RadioGroup => "radioGroupTabs",
            TabKind::Date => "dateTabs",
            TabKind::Email => "emailTabs",
            TabKind::Company => "companyTabs",
            TabKind::FullName => "fullNameTabs",
            TabKind::SignHere => "signHereTabs",
            TabKind::InitialHere => "initialHereTabs",
            TabKind::DateSigned => "dateSignedTabs",
        }
    }

    /// The `tabType` value.
    pub(crate) fn tab_type(self) -> &'static str {
        match self {
            TabKind::Text => "text",
            TabKind::Number => "number",
            TabKind::Checkbox => "checkbox",
            TabKind::List => "list",
            TabKind::RadioGroup => "radiogroup",
            TabKind::Date => "date",
            TabKind::Email => "email",
            TabKind::Company => "company",
            TabKind::FullName => "fullname",
            TabKind::SignHere => "signhere",
            TabKind::InitialHere => "initialhere",
            TabKind::DateSigned => "datesigned",
        }
    }

    /// Accepts the world-file name, the collection name or the `tabType`, any case.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|k| {
            k.name().eq_ignore_ascii_case(s)
                || k.collection().eq_ignore_ascii_case(s)
                || k.tab_type().eq_ignore_ascii_case(s)
        })
    }

    /// Tabs whose value the sender can set (everything but signature-type tabs).
    pub(crate) fn has_value(self) -> bool {
        !matches!(self, TabKind::SignHere | TabKind::InitialHere)
    }
}

/// One list option.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ListItem {
    pub text: String,
    pub value: String,
    pub selected: bool,
}

/// One radio button of a radio group.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Radio {
    pub tab_id: String,
    pub value: String,
    pub selected: bool,
    pub x: u32,
    pub y: u32,
}

/// A tab (form field) of a recipient. For radio groups `label` is the `groupName`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tab {
    pub kind: TabKind,
    pub tab_id: String,
    pub label: String,
    pub value: String,
    pub original_value: String,
    pub required: bool,
    pub locked: bool,
    pub document_id: String,
    pub page_number: u32,
    pub x: u32,
    pub y: u32,
    /// Checkbox state.
    pub selected: bool,
    pub list_items: Vec<ListItem>,
    pub radios: Vec<Radio>,
    /// Sign-here / initial-here tabs: the recipient has signed.
    pub signed: bool,
}

impl Tab {
    /// Sets the tab's value the way a sender (templateRoles) or a signer (admin sign) does.
    pub(crate) fn set_value(&mut self, value: &str) {
        match self.kind {
            TabKind::Checkbox => {
                self.selected = matches!(
                    value.trim().to_ascii_lowercase().as_str(),
                    "true" | "on" | "x" | "yes" | "1" | "checked"
                );
            }
            TabKind::List => {
                for item in &mut self.list_items {
                    item.selected = item.value == value || item.text == value;
                }
                self.value = value.to_owned();
            }
            TabKind::RadioGroup => {
                for r in &mut self.radios {
                    r.selected = r.value == value;
                }
                self.value = value.to_owned();
            }
            TabKind::SignHere | TabKind::InitialHere => {}
            _ => self.value = value.to_owned(),
        }
    }

    /// The value shown in documents and form data.
    pub(crate) fn display_value(&self) -> String {
        match self.kind {
            TabKind::Checkbox => if self.selected { "[x]" } else { "[ ]" }.to_owned(),
            TabKind::SignHere | TabKind::InitialHere => if self.signed {
                "(signed)"
            } else {
                "(not signed)"
            }
            .to_owned(),
            _ => self.value.clone(),
        }
    }
}

/// A recipient of an envelope, or a role of a template (then `status` is `Created` and no
/// timestamps are set; an empty name/email marks a placeholder role).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Recipient {
    pub recipient_id: String,
    pub guid: String,
    pub rtype: RecipientType,
    pub role_name: Option<String>,
    pub name: String,
    pub email: String,
    pub routing_order: u32,
    pub status: RecStatus,
    pub sent: Option<Nanos>,
    pub delivered: Option<Nanos>,
    pub signed: Option<Nanos>,
    pub declined: Option<Nanos>,
    pub declined_reason: Option<String>,
    /// `clientUserId`: set, the recipient is an embedded signer and DocuSign sends them no
    /// email (F42; spec `templateRole.clientUserId`).
    pub client_user_id: Option<String>,
    pub tabs: Vec<Tab>,
    #[serde(default)]
    pub extra: RecipientExtra,
}

/// Less common recipient fields (F43, F48).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub(crate) struct RecipientExtra {
    /// In-person signers: the signer's name (`signerName`; `inPersonSignerName` in a
    /// templateRole). Empty on a placeholder role.
    pub in_person_signer_name: String,
    /// `autoRespondedReason` of a bounced recipient (F43).
    pub auto_responded_reason: Option<String>,
    /// Template roles: `templateLocked` / `templateRequired`.
    pub template_locked: bool,
    pub template_required: bool,
}

impl Recipient {
    /// A recipient (or template role) nothing has happened to yet: status `Created`, a new
    /// GUID, no name, email, tabs or timestamps. Set the rest with struct update syntax.
    pub(crate) fn created(
        recipient_id: String,
        rtype: RecipientType,
        routing_order: u32,
    ) -> Recipient {
        Recipient {
            recipient_id,
            guid: uuid::Uuid::new_v4().to_string(),
            rtype,
            role_name: None,
            name: String::new(),
            email: String::new(),
            routing_order,
            status: RecStatus::Created,
            sent: None,
            delivered: None,
            signed: None,
            declined: None,
            declined_reason: None,
            client_user_id: None,
            tabs: Vec::new(),
            extra: RecipientExtra::default(),
        }
    }

    /// A signer or an in-person signer (both have tabs and sign).
    pub(crate) fn signs(&self) -> bool {
        matches!(
            self.rtype,
            RecipientType::Signer | RecipientType::InPersonSigner
        )
    }

    /// A template role with neither name nor email: filled in at send time.
    pub(crate) fn is_placeholder(&self) -> bool {
        self.name.trim().is_empty() && self.email.trim().is_empty()
    }
}

/// A document of an envelope or template. `large` = a generated PDF of that many bytes.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Document {
    pub document_id: String,
    pub guid: String,
    pub name: String,
    pub pages: u32,
    pub large: Option<u64>,
}

/// A text custom field.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct TextField {
    pub field_id: String,
    pub name: String,
    pub value: String,
    pub show: bool,
    pub required: bool,
}

/// A list custom field.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ListField {
    pub field_id: String,
    pub name: String,
    pub value: String,
    pub show: bool,
    pub required: bool,
    pub items: Vec<String>,
}

/// Envelope (or template) custom fields.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct CustomFields {
    pub text: Vec<TextField>,
    pub list: Vec<ListField>,
}

/// Who sent an envelope / owns a template.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Person {
    pub user_id: String,
    pub name: String,
    pub email: String,
}

/// An envelope.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Envelope {
    pub id: String,
    pub status: EnvStatus,
    pub subject: String,
    pub blurb: Option<String>,
    pub template_id: Option<String>,
    pub template_name: Option<String>,
    pub created: Nanos,
    pub sent: Option<Nanos>,
    pub initial_sent: Option<Nanos>,
    pub delivered: Option<Nanos>,
    pub completed: Option<Nanos>,
    pub declined: Option<Nanos>,
    pub voided: Option<Nanos>,
    pub voided_reason: Option<String>,
    pub status_changed: Nanos,
    pub last_modified: Nanos,
    pub sender: Person,
    pub transaction_id: Option<String>,
    pub recipients: Vec<Recipient>,
    pub documents: Vec<Document>,
    pub custom_fields: CustomFields,
}

/// Why an admin lifecycle action was refused.
#[derive(Debug)]
pub(crate) struct Refused(pub String);

impl Envelope {
    /// An envelope in `created` status at `now` (nanoseconds): not sent, delivered or finished,
    /// no template, recipients, documents or custom fields. Set the rest with struct update
    /// syntax.
    pub(crate) fn created(id: String, subject: String, sender: Person, now: Nanos) -> Envelope {
        Envelope {
            id,
            status: EnvStatus::Created,
            subject,
            blurb: None,
            template_id: None,
            template_name: None,
            created: now,
            sent: None,
            initial_sent: None,
            delivered: None,
            completed: None,
            declined: None,
            voided: None,
            voided_reason: None,
            status_changed: now,
            last_modified: now,
            sender,
            transaction_id: None,
            recipients: Vec::new(),
            documents: Vec::new(),
            custom_fields: CustomFields::default(),
        }
    }

    /// The routing order whose recipients are currently active (lowest not yet finished).
    pub(crate) fn current_routing_order(&self) -> u32 {
        self.recipients
            .iter()
            .filter(|r| !r.status.done())
            .map(|r| r.routing_order)
            .min()
            .or_else(|| self.recipients.iter().map(|r| r.routing_order).max())
            .unwrap_or(1)
    }

    fn touch(&mut self, now: Nanos) {
        self.status_changed = now;
        self.last_modified = now;
    }

    /// Sends a draft: the first routing order gets `sent` (carbon copies there complete at once).
    pub(crate) fn send(&mut self, now: Nanos) {
        self.status = EnvStatus::Sent;
        self.sent = Some(now);
        if self.initial_sent.is_none() {
            self.initial_sent = Some(now);
        }
        self.touch(now);
        self.advance_routing(now);
    }

    /// Activates the lowest routing order that still has created recipients, when every
    /// recipient before it has finished; completes the envelope when everyone is done.
    pub(crate) fn advance_routing(&mut self, now: Nanos) {
        loop {
            let pending_active = self.recipients.iter().any(|r| {
                matches!(
                    r.status,
                    RecStatus::Sent | RecStatus::Delivered | RecStatus::AutoResponded
                )
            });
            if pending_active {
                return;
            }
            let next = self
                .recipients
                .iter()
                .filter(|r| r.status == RecStatus::Created)
                .map(|r| r.routing_order)
                .min();
            let Some(order) = next else {
                break;
            };
            for r in self
                .recipients
                .iter_mut()
                .filter(|r| r.status == RecStatus::Created && r.routing_order == order)
            {
                r.sent = Some(now);
                match r.rtype {
                    RecipientType::Signer | RecipientType::InPersonSigner => {
                        r.status = RecStatus::Sent
                    }
                    RecipientType::CarbonCopy => {
                        r.status = RecStatus::Completed;
                    }
                }
            }
        }
        if self.recipients.iter().all(|r| r.status.done()) && self.status.in_flight() {
            self.status = EnvStatus::Completed;
            self.completed = Some(now);
            self.touch(now);
        }
    }

    fn recipient_mut(&mut self, recipient_id: &str) -> Result<&mut Recipient, Refused> {
        let id = recipient_id.trim();
        self.recipients
            .iter_mut()
            .find(|r| r.recipient_id == id || r.guid.eq_ignore_ascii_case(id))
            .ok_or_else(|| Refused(format!("recipient {id} is not on this envelope")))
    }

    fn check_in_flight(&self) -> Result<(), Refused> {
        if self.status.in_flight() {
            Ok(())
        } else {
            Err(Refused(format!(
                "the envelope is {}; recipients can act only on sent or delivered envelopes",
                self.status.as_str()
            )))
        }
    }

    /// The recipient opens the envelope: `sent` → `delivered`; the envelope becomes `delivered`.
    pub(crate) fn deliver(&mut self, recipient_id: &str, now: Nanos) -> Result<(), Refused> {
        self.check_in_flight()?;
        let r = self.recipient_mut(recipient_id)?;
        if r.status != RecStatus::Sent {
            return Err(Refused(format!(
                "recipient {} is {}; only a sent recipient can be delivered",
                r.recipient_id,
                r.status.as_str()
            )));
        }
        r.status = RecStatus::Delivered;
        r.delivered = Some(now);
        if self.status == EnvStatus::Sent {
            self.status = EnvStatus::Delivered;
            self.delivered = Some(now);
        }
        self.touch(now);
        Ok(())
    }

    /// The signer signs (delivering first if needed), optionally filling tabs by label.
    pub(crate) fn sign(
        &mut self,
        recipient_id: &str,
        values: &[(String, String)],
        now: Nanos,
        regional: &super::regional::Regional,
    ) -> Result<(), Refused> {
        self.check_in_flight()?;
        let date = regional.date_signed(now);
        let r = self.recipient_mut(recipient_id)?;
        if !r.signs() {
            return Err(Refused(format!(
                "recipient {} is a carbon copy and cannot sign",
                r.recipient_id
            )));
        }
        if !matches!(r.status, RecStatus::Sent | RecStatus::Delivered) {
            return Err(Refused(format!(
                "recipient {} is {}; only a sent or delivered signer can sign (routing order {})",
                r.recipient_id,
                r.status.as_str(),
                r.routing_order
            )));
        }
        let unknown: Vec<&str> = values
            .iter()
            .filter(|(label, _)| !r.tabs.iter().any(|t| &t.label == label))
            .map(|(label, _)| label.as_str())
            .collect();
        if !unknown.is_empty() {
            return Err(Refused(format!(
                "recipient {} has no tab labelled {}",
                r.recipient_id,
                unknown.join(", ")
            )));
        }
        for (label, value) in values {
            for t in r.tabs.iter_mut().filter(|t| &t.label == label) {
                t.set_value(value);
            }
        }
        let name = r.name.clone();
        for t in &mut r.tabs {
            match t.kind {
                TabKind::SignHere | TabKind::InitialHere => t.signed = true,
                TabKind::DateSigned => t.value = date.clone(),
                TabKind::FullName => t.value = name.clone(),
                _ => {}
            }
        }
        if r.delivered.is_none() {
            r.delivered = Some(now);
        }
        r.signed = Some(now);
        r.status = RecStatus::Completed;
        if self.status == EnvStatus::Sent {
            self.status = EnvStatus::Delivered;
            self.delivered = Some(now);
        }
        self.touch(now);
        self.advance_routing(now);
        Ok(())
    }

    /// The signer declines: the envelope is `declined`.
    pub(crate) fn decline(
        &mut self,
        recipient_id: &str,
        reason: &str,
        now: Nanos,
    ) -> Result<(), Refused> {
        self.check_in_flight()?;
        let r = self.recipient_mut(recipient_id)?;
        if !r.signs() || !matches!(r.status, RecStatus::Sent | RecStatus::Delivered) {
            return Err(Refused(format!(
                "recipient {} is a {} in status {}; only a sent or delivered signer can decline",
                r.recipient_id,
                r.rtype.as_str(),
                r.status.as_str()
            )));
        }
        r.status = RecStatus::Declined;
        r.declined = Some(now);
        r.declined_reason = Some(reason.to_owned());
        self.status = EnvStatus::Declined;
        self.declined = Some(now);
        self.touch(now);
        Ok(())
    }

    /// The recipient's notification email bounced (F43): the recipient becomes `autoresponded`
    /// with the reason; the envelope's status does not change, but, as for every recipient
    /// status change, its `statusChangedDateTime` and `lastModifiedDateTime` move, so
    /// listStatusChanges (`from_to_status=changed`) from a date before the bounce lists it.
    pub(crate) fn bounce(
        &mut self,
        recipient_id: &str,
        reason: &str,
        now: Nanos,
    ) -> Result<(), Refused> {
        self.check_in_flight()?;
        let r = self.recipient_mut(recipient_id)?;
        if r.status != RecStatus::Sent {
            return Err(Refused(format!(
                "recipient {} is {}; only a sent recipient's email can bounce",
                r.recipient_id,
                r.status.as_str()
            )));
        }
        r.status = RecStatus::AutoResponded;
        r.extra.auto_responded_reason = Some(reason.to_owned());
        self.touch(now);
        Ok(())
    }

    /// Voids a sent or delivered envelope (the caller checks the state).
    pub(crate) fn void(&mut self, reason: &str, now: Nanos) {
        self.status = EnvStatus::Voided;
        self.voided = Some(now);
        self.voided_reason = Some(reason.to_owned());
        self.touch(now);
    }

    /// The value of the text custom field `name` (case-insensitive), if any.
    pub(crate) fn custom_field(&self, name: &str) -> Option<&str> {
        self.custom_fields
            .text
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value.as_str())
            .or_else(|| {
                self.custom_fields
                    .list
                    .iter()
                    .find(|f| f.name.eq_ignore_ascii_case(name))
                    .map(|f| f.value.as_str())
            })
    }
}

/// A template.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Template {
    pub id: String,
    pub name: String,
    pub description: String,
    pub subject: String,
    pub blurb: Option<String>,
    pub created: Nanos,
    pub last_modified: Nanos,
    pub last_used: Option<Nanos>,
    pub shared: bool,
    pub owner: Person,
    pub documents: Vec<Document>,
    pub roles: Vec<Recipient>,
    pub custom_fields: CustomFields,
}

/// Kinds of folders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum FolderType {
    Normal,
    SentItems,
    Draft,
    Inbox,
    RecycleBin,
    Templates,
}

impl FolderType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FolderType::Normal => "normal",
            FolderType::SentItems => "sentitems",
            FolderType::Draft => "draft",
            FolderType::Inbox => "inbox",
            FolderType::RecycleBin => "recyclebin",
            FolderType::Templates => "templates",
        }
    }
}

/// A folder: system folders hold envelopes by status, normal ones by list.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Folder {
    pub id: String,
    pub name: String,
    pub ftype: FolderType,
    pub envelope_ids: Vec<String>,
}

/// Rate limits of an account. DocuSign publishes the hourly and burst numbers; the per-envelope
/// ones are the emulator's defaults (DocuSign does not publish them).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Limits {
    pub hourly: u32,
    pub burst: u32,
    pub burst_window_seconds: u32,
    pub envelope_get_hourly: u32,
    pub envelope_get_burst: u32,
    pub envelope_put_hourly: u32,
    pub envelope_put_burst: u32,
    /// 400 (documented) or 429.
    pub exceeded_status: u16,
}

impl Limits {
    /// DocuSign's defaults: 3000/hour, burst 200 per 30 s in demo (500 in production).
    pub(crate) fn defaults(production: bool) -> Self {
        Limits {
            hourly: 3000,
            burst: if production { 500 } else { 200 },
            burst_window_seconds: 30,
            envelope_get_hourly: 100,
            envelope_get_burst: 20,
            envelope_put_hourly: 100,
            envelope_put_burst: 20,
            exceeded_status: 400,
        }
    }
}

/// Account settings that change answers.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Settings {
    /// `combined` includes the certificate unless `certificate=false` (DocuSign's account option
    /// "Attach certificate of completion to envelope").
    pub attach_certificate_to_combined: bool,
}

/// An hourly counter plus a sliding burst window.
#[derive(Clone, Debug, Default)]
pub(crate) struct Window {
    hour: i64,
    hour_count: u32,
    burst: VecDeque<i64>,
}

/// Which limit a request ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exceeded {
    Hourly,
    Burst,
}

/// Counter state after a request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Usage {
    pub hourly_remaining: u32,
    pub burst_remaining: u32,
    /// Unix seconds of the next top of the hour.
    pub reset: i64,
}

/// Unix seconds of the next top of the hour after `now`.
fn next_hour(now: i64) -> i64 {
    now.div_euclid(3600).saturating_add(1).saturating_mul(3600)
}

impl Window {
    fn roll(&mut self, now: i64, window: u32) {
        let hour = now.div_euclid(3600);
        if hour != self.hour {
            self.hour = hour;
            self.hour_count = 0;
        }
        let floor = now.saturating_sub(i64::from(window));
        while self.burst.front().is_some_and(|&t| t <= floor || t > now) {
            self.burst.pop_front();
        }
        // a clock moved backwards leaves later stamps at the back
        while self.burst.back().is_some_and(|&t| t > now) {
            self.burst.pop_back();
        }
    }

    /// Counts a request when both limits allow it.
    pub(crate) fn hit(
        &mut self,
        now: i64,
        hourly: u32,
        burst: u32,
        window: u32,
    ) -> Result<Usage, (Exceeded, Usage)> {
        self.roll(now, window);
        let usage = |w: &Window| Usage {
            hourly_remaining: hourly.saturating_sub(w.hour_count),
            burst_remaining: burst.saturating_sub(u32::try_from(w.burst.len()).unwrap_or(u32::MAX)),
            reset: next_hour(now),
        };
        if self.hour_count >= hourly {
            return Err((Exceeded::Hourly, usage(self)));
        }
        if self.burst.len() >= burst as usize {
            return Err((Exceeded::Burst, usage(self)));
        }
        self.hour_count += 1;
        self.burst.push_back(now);
        Ok(usage(self))
    }

    /// The counters without counting anything.
    pub(crate) fn peek(&mut self, now: i64, hourly: u32, burst: u32, window: u32) -> Usage {
        self.roll(now, window);
        Usage {
            hourly_remaining: hourly.saturating_sub(self.hour_count),
            burst_remaining: burst
                .saturating_sub(u32::try_from(self.burst.len()).unwrap_or(u32::MAX)),
            reset: next_hour(now),
        }
    }

    pub(crate) fn used_this_hour(&self) -> u32 {
        self.hour_count
    }
}

/// The eSignature data of one account.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct AccountData {
    pub account_id: String,
    /// The short account number (`externalAccountId`), an alias REST paths accept (F40).
    #[serde(default)]
    pub number: Option<String>,
    /// The account's users, with their envelope visibility and regional settings (F44, F50).
    #[serde(default)]
    pub users: Vec<AccountUser>,
    pub limits: Limits,
    pub settings: Settings,
    pub templates: Vec<Template>,
    pub envelopes: Vec<Envelope>,
    /// Lower-case envelope id → position in `envelopes`; rebuilt after loading
    /// ([`AccountData::reindex`]).
    #[serde(skip)]
    pub index: HashMap<String, usize>,
    pub folders: Vec<Folder>,
    /// Rate counters are not saved: a restarted emulator starts a new hour.
    #[serde(skip)]
    pub rate: Window,
    #[serde(skip)]
    pub envelope_get_rate: HashMap<String, Window>,
    #[serde(skip)]
    pub envelope_put_rate: HashMap<String, Window>,
    /// Bumped by every change to `envelopes` ([`AccountData::envelope_mut`],
    /// [`AccountData::insert_envelope`], [`AccountData::reindex`]): a listing computed at an
    /// older generation is stale.
    #[serde(skip)]
    pub generation: u64,
    /// The last few listStatusChanges listings (every match, in order; the most recent
    /// first), reused by their next pages while nothing changed (see `list.rs`).
    #[serde(skip)]
    pub listing: Vec<ListingCache>,
    /// How many times listStatusChanges went through all of the account's envelopes (for the
    /// admin world view and the tests: one per listing, not one per page).
    #[serde(skip)]
    pub listing_scans: u64,
}

/// One listStatusChanges result kept for its next pages: the same query (without
/// `start_position` and `count`) by the same user at the same generation gets the same
/// matches in the same order, so a page is a slice of it instead of a scan and sort of every
/// envelope (issue 14: 1,000 pages over 100,000 envelopes).
#[derive(Clone, Debug, Default)]
pub(crate) struct ListingCache {
    /// The query's parameters but `start_position` and `count`, sorted, and the caller. A
    /// `to_date` given in the query is part of it (then the clock does not matter).
    pub key: Vec<(String, String)>,
    /// [`AccountData::generation`] when computed.
    pub generation: u64,
    /// The `to_date` used (nanoseconds; the emulator's now when the query has none).
    pub to_date: Nanos,
    /// The earliest qualifying timestamp after `to_date` among the envelopes: a defaulted
    /// `to_date` (now) stays equivalent while the clock is in `[to_date, next_stamp)`.
    pub next_stamp: Nanos,
    /// Positions in `envelopes` of the matches, in listing order.
    pub order: Vec<usize>,
}

impl AccountData {
    pub(crate) fn new(account_id: String, limits: Limits, settings: Settings) -> Self {
        let system = [
            ("Sent Items", FolderType::SentItems),
            ("Draft", FolderType::Draft),
            ("Inbox", FolderType::Inbox),
            ("Deleted Items", FolderType::RecycleBin),
            ("My Templates", FolderType::Templates),
        ];
        AccountData {
            account_id,
            number: None,
            users: Vec::new(),
            limits,
            settings,
            templates: Vec::new(),
            envelopes: Vec::new(),
            index: HashMap::new(),
            folders: system
                .into_iter()
                .map(|(name, ftype)| Folder {
                    id: uuid::Uuid::new_v4().to_string(),
                    name: name.to_owned(),
                    ftype,
                    envelope_ids: Vec::new(),
                })
                .collect(),
            rate: Window::default(),
            envelope_get_rate: HashMap::new(),
            envelope_put_rate: HashMap::new(),
            generation: 0,
            listing: Vec::new(),
            listing_scans: 0,
        }
    }

    /// Rebuilds the envelope index (after loading a saved store).
    pub(crate) fn reindex(&mut self) {
        self.generation += 1;
        self.index = self
            .envelopes
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.to_ascii_lowercase(), i))
            .collect();
    }

    pub(crate) fn envelope(&self, id: &str) -> Option<&Envelope> {
        self.index
            .get(&id.trim().to_ascii_lowercase())
            .and_then(|&i| self.envelopes.get(i))
    }

    /// The envelope, to change it (a listing kept for its next pages is stale from now on).
    pub(crate) fn envelope_mut(&mut self, id: &str) -> Option<&mut Envelope> {
        let i = *self.index.get(&id.trim().to_ascii_lowercase())?;
        self.generation += 1;
        self.envelopes.get_mut(i)
    }

    pub(crate) fn template(&self, id: &str) -> Option<&Template> {
        let id = id.trim();
        self.templates
            .iter()
            .find(|t| t.id.eq_ignore_ascii_case(id))
    }

    pub(crate) fn insert_envelope(&mut self, envelope: Envelope) {
        self.generation += 1;
        self.index
            .insert(envelope.id.to_ascii_lowercase(), self.envelopes.len());
        self.envelopes.push(envelope);
    }

    /// The system folder of a type.
    pub(crate) fn system_folder(&self, ftype: FolderType) -> Option<&Folder> {
        self.folders.iter().find(|f| f.ftype == ftype)
    }

    /// The folders an envelope is in: Draft or Sent Items, plus normal folders listing it.
    pub(crate) fn folders_of(&self, envelope: &Envelope) -> Vec<&Folder> {
        let system = if envelope.status == EnvStatus::Created {
            FolderType::Draft
        } else {
            FolderType::SentItems
        };
        self.folders
            .iter()
            .filter(|f| {
                f.ftype == system
                    || (f.ftype == FolderType::Normal
                        && f.envelope_ids
                            .iter()
                            .any(|e| e.eq_ignore_ascii_case(&envelope.id)))
            })
            .collect()
    }
}

/// A user of an account as the eSignature half sees them.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct AccountUser {
    pub user_id: String,
    pub email: String,
    /// DocuSign's permission-profile option "Allow view and manage envelope rights through
    /// API": the user sees every envelope of the account, not only those sent by or to them
    /// (F50).
    pub account_wide_envelope_access: bool,
    /// Date Signed format and time zone (F44).
    pub regional: super::regional::Regional,
}

impl AccountData {
    /// The account user with this id.
    pub(crate) fn user(&self, user_id: &str) -> Option<&AccountUser> {
        self.users
            .iter()
            .find(|u| u.user_id.eq_ignore_ascii_case(user_id))
    }

    /// Whether the user sent the envelope.
    pub(crate) fn is_sender(user_id: &str, e: &Envelope) -> bool {
        e.sender.user_id.eq_ignore_ascii_case(user_id)
    }

    /// Whether the user (by email) is a recipient of the envelope.
    pub(crate) fn is_recipient(email: &str, e: &Envelope) -> bool {
        e.recipients
            .iter()
            .any(|r| r.email.eq_ignore_ascii_case(email))
    }

    /// Whether the API lets this user see the envelope (F50): with account-wide envelope
    /// access every envelope; otherwise only those the user sent or receives.
    pub(crate) fn can_see(&self, user_id: &str, email: &str, e: &Envelope) -> bool {
        self.user(user_id)
            .is_some_and(|u| u.account_wide_envelope_access)
            || Self::is_sender(user_id, e)
            || Self::is_recipient(email, e)
    }

    /// The regional settings that format a recipient's Date Signed: the recipient's own when
    /// they are a user of the account, else the sender's, else the default (F44).
    pub(crate) fn regional_for(
        &self,
        e: &Envelope,
        recipient_email: &str,
    ) -> super::regional::Regional {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(recipient_email))
            .or_else(|| self.user(&e.sender.user_id))
            .map(|u| u.regional.clone())
            .unwrap_or_default()
    }
}

/// All accounts' eSignature data, keyed by lower-case account id.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Store {
    pub accounts: HashMap<String, AccountData>,
}

impl Store {
    #[cfg(test)]
    pub(crate) fn account(&self, id: &str) -> Option<&AccountData> {
        self.accounts.get(&id.trim().to_ascii_lowercase())
    }

    pub(crate) fn account_mut(&mut self, id: &str) -> Option<&mut AccountData> {
        self.accounts.get_mut(&id.trim().to_ascii_lowercase())
    }

    /// The account GUID for a path value: a GUID as given, or the GUID of the account whose
    /// short number it is (DocuSign: `accountId` is "the external account number (int) or
    /// account ID GUID"; F40). Unknown numbers come back unchanged.
    pub(crate) fn resolve(&self, id: &str) -> String {
        let id = id.trim();
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(acc) = self
                .accounts
                .values()
                .find(|a| a.number.as_deref() == Some(id))
            {
                return acc.account_id.clone();
            }
        }
        id.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_and_hour_windows() {
        let mut w = Window::default();
        let t0 = 7200;
        assert!(w.hit(t0, 3, 2, 30).is_ok());
        assert!(w.hit(t0 + 1, 3, 2, 30).is_ok());
        assert_eq!(
            w.hit(t0 + 2, 3, 2, 30).err().map(|e| e.0),
            Some(Exceeded::Burst)
        );
        assert!(w.hit(t0 + 31, 3, 2, 30).is_ok());
        assert_eq!(
            w.hit(t0 + 70, 3, 2, 30).err().map(|e| e.0),
            Some(Exceeded::Hourly)
        );
        let ok = w.hit(t0 + 3600, 3, 2, 30);
        assert_eq!(
            ok.map(|u| (u.hourly_remaining, u.reset)).ok(),
            Some((2, t0 + 7200))
        );
    }
}
