//! Template actions: list templates, a template's roles and tabs, and sending an envelope from
//! a template after checking every role name and tab label against the template (F34, F35).

use super::client::{EsignClient, Seg};
use super::envelopes::next_start;
use super::error::{EsignError, ValidationProblem};
use super::models::{EnvelopeSummary, EnvelopeTemplate, EnvelopeTemplateResults, Recipients, Tab};
use super::TEMPLATE_ID_FIELD;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Tab collections whose value the signer or DocuSign provides: a sender can't prefill them.
const NOT_SETTABLE: &[&str] = &[
    "signHereTabs",
    "initialHereTabs",
    "dateSignedTabs",
    "signerAttachmentTabs",
    "approveTabs",
    "declineTabs",
    "envelopeIdTabs",
    "formulaTabs",
    "fullNameTabs",
    "firstNameTabs",
    "lastNameTabs",
    "emailAddressTabs",
    "notarizeTabs",
    "notarySealTabs",
    "drawTabs",
    "smartSectionTabs",
    "polyLineOverlayTabs",
    "viewTabs",
    "commentThreadTabs",
    "tabGroups",
    "commissionCountyTabs",
    "commissionExpirationTabs",
    "commissionNumberTabs",
    "commissionStateTabs",
];

/// One tab of a template role.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateTab {
    /// `tabLabel` (or `groupName` for a radio group), exactly as stored.
    pub label: String,
    /// DocuSign's collection: `textTabs`, `numberTabs`, `checkboxTabs`, `listTabs`,
    /// `radioGroupTabs`, `dateTabs`, `emailTabs`, `companyTabs`, `signHereTabs`, …
    pub collection: String,
    /// The type word: the collection without `Tabs` (`text`, `number`, `checkbox`, …).
    pub kind: String,
    /// Whether the signer must fill it.
    pub required: Option<bool>,
    /// Whether it is locked for the signer.
    pub locked: Option<bool>,
    /// The value set in the template, if any.
    pub value: Option<String>,
    /// List tabs: the item values; radio groups: the button values.
    pub choices: Vec<String>,
    /// Whether a sender can give it a value (false for signature, date-signed, formula, …).
    pub settable: bool,
}

/// One role of a template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateRole {
    /// `roleName`, exactly as stored: DocuSign matches it case- and space-sensitively.
    pub role_name: String,
    /// `"signer"`, `"carbonCopy"`, `"certifiedDelivery"`, …
    pub recipient_type: String,
    /// The template's recipient ID.
    pub recipient_id: Option<String>,
    /// Routing order (1-based).
    pub routing_order: Option<u32>,
    /// The fixed name, when the template sets one.
    pub name: Option<String>,
    /// The fixed email, when the template sets one.
    pub email: Option<String>,
    /// True when the template names the person (name and email set): the role is not a
    /// placeholder, and sending someone else for it may add an extra recipient (F34).
    pub fixed: bool,
    /// `templateLocked`: senders may not change this recipient.
    pub locked: bool,
    /// `templateRequired`: senders may not remove this recipient.
    pub required: bool,
    /// What a sender gives for this role (F48): `"name_email"` (a name and an email),
    /// `"in_person"` (the host's name and email plus the in-person signer's name), or
    /// `"unsupported"` (a type this app cannot fill: witnesses, notaries, seals, signing
    /// groups; sending refuses it in plain words).
    pub fill: String,
    /// In-person roles: the signer's name set in the template, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub in_person_signer_name: Option<String>,
    /// The role's tabs.
    pub tabs: Vec<TemplateTab>,
}

/// `fill` of a role: how a sender fills it (see [`TemplateRole::fill`]).
fn fill_for(recipient_type: &str, rec: &super::models::Recipient) -> &'static str {
    let group = rec
        .other
        .get("signingGroupId")
        .and_then(Value::as_str)
        .is_some_and(|g| !g.trim().is_empty());
    match recipient_type {
        _ if group => "unsupported",
        "inPersonSigner" => "in_person",
        "signer" | "carbonCopy" | "certifiedDelivery" | "agent" | "editor" | "intermediary" => {
            "name_email"
        }
        _ => "unsupported",
    }
}

/// DocuSign's `"true"`/`"false"` (or a JSON boolean) in `other[key]`.
fn other_flag(rec: &super::models::Recipient, key: &str) -> bool {
    match rec.other.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A string in `other[key]`, non-blank.
fn other_text(rec: &super::models::Recipient, key: &str) -> Option<String> {
    rec.other
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// A template's roles, as [`EsignClient::get_template_roles`] returns them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateRoles {
    /// The template ID.
    pub template_id: String,
    /// The template's name, when known (for messages).
    pub template_name: Option<String>,
    /// Roles in the order DocuSign listed them (signers first).
    pub roles: Vec<TemplateRole>,
    /// Recipients without a role name (they can't be addressed by `templateRoles`).
    pub unnamed_recipients: usize,
}

impl TemplateRoles {
    /// Builds the roles from a `recipients` answer (with tabs).
    pub fn from_recipients(
        template_id: &str,
        template_name: Option<String>,
        r: &Recipients,
    ) -> Self {
        let mut roles = Vec::new();
        let mut unnamed = 0;
        for (kind, rec) in r.all() {
            let Some(role_name) = rec.role_name.clone().filter(|n| !n.is_empty()) else {
                unnamed += 1;
                continue;
            };
            let fill = fill_for(kind, rec);
            // In-person signers: the person a sender gives is the host (F48).
            let (name, email) = if fill == "in_person" {
                (other_text(rec, "hostName"), other_text(rec, "hostEmail"))
            } else {
                (
                    rec.name.clone().filter(|s| !s.trim().is_empty()),
                    rec.email.clone().filter(|s| !s.trim().is_empty()),
                )
            };
            let mut tabs = Vec::new();
            if let Some(t) = &rec.tabs {
                for (collection, tab) in t.iter() {
                    if let Some(label) = tab.label() {
                        tabs.push(template_tab(collection, label, tab));
                    }
                }
            }
            roles.push(TemplateRole {
                fixed: name.is_some() && email.is_some(),
                role_name,
                recipient_type: kind.to_string(),
                recipient_id: rec.recipient_id.clone(),
                routing_order: rec.routing_order,
                name,
                email,
                locked: other_flag(rec, "templateLocked"),
                required: other_flag(rec, "templateRequired"),
                fill: fill.to_string(),
                in_person_signer_name: other_text(rec, "signerName"),
                tabs,
            });
        }
        TemplateRoles {
            template_id: template_id.to_string(),
            template_name,
            roles,
            unnamed_recipients: unnamed,
        }
    }

    fn display_name(&self) -> String {
        match &self.template_name {
            Some(n) if !n.trim().is_empty() => format!("template '{n}'"),
            _ => format!("template {}", self.template_id),
        }
    }
}

fn template_tab(collection: &str, label: &str, tab: &Tab) -> TemplateTab {
    let choices = if collection == "listTabs" {
        tab.list_items
            .iter()
            .filter_map(|i| i.value.clone().or_else(|| i.text.clone()))
            .collect()
    } else {
        tab.radios.iter().filter_map(|r| r.value.clone()).collect()
    };
    TemplateTab {
        label: label.to_string(),
        collection: collection.to_string(),
        kind: collection
            .strip_suffix("Tabs")
            .unwrap_or(collection)
            .to_string(),
        required: tab.required,
        locked: tab.locked,
        value: tab.value.clone(),
        choices,
        settable: !NOT_SETTABLE.contains(&collection),
    }
}

/// A person for a template role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    /// The role, exactly as in the template (see [`TemplateRole::role_name`]).
    pub role_name: String,
    /// The person's name.
    pub name: String,
    /// The person's email.
    pub email: String,
    /// In-person roles: the name of the person who signs on the host's device
    /// (`inPersonSignerName`, at most 100 characters); `name`/`email` are the host's (F48).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_person_signer_name: Option<String>,
}

/// A value for one tab of a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabValue {
    /// The role the tab belongs to.
    pub role_name: String,
    /// The tab's label (radio groups: the group name), exactly as in the template.
    pub tab_label: String,
    /// The value: text; a number for number tabs; `true`/`false` for checkboxes; one of the
    /// choices for list tabs and radio groups.
    pub value: String,
}

/// `status` of the new envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SendStatus {
    /// `"sent"`: sends it now.
    #[default]
    Sent,
    /// `"created"`: saves a draft.
    Created,
}

impl SendStatus {
    /// `"sent"` or `"created"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SendStatus::Sent => "sent",
            SendStatus::Created => "created",
        }
    }
}

/// What to send from a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TemplateEnvelopeRequest {
    /// The template ID.
    pub template_id: String,
    /// People for the template's roles.
    pub roles: Vec<RoleAssignment>,
    /// Prefilled tab values.
    pub tabs: Vec<TabValue>,
    /// `emailSubject`; the template's own subject when `None`. At most
    /// [`super::limits::EMAIL_SUBJECT_MAX`] characters once merge fields are replaced.
    pub email_subject: Option<String>,
    /// `emailBlurb` (the email message); the template's own when `None`. At most
    /// [`super::limits::EMAIL_BLURB_MAX`] characters.
    #[serde(default)]
    pub email_blurb: Option<String>,
    /// Send now or save a draft.
    pub status: SendStatus,
    /// The template's name, for messages only (from [`EsignClient::list_templates`]); no call
    /// is made to look it up.
    pub template_name: Option<String>,
}

/// The exact request body that would be sent, after validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreparedEnvelope {
    /// The `envelopeDefinition` JSON body of `POST …/envelopes`.
    #[cfg_attr(feature = "ts", ts(as = "crate::ts::DocuSignObject"))]
    pub body: Value,
    /// The template's roles it was checked against.
    pub template: TemplateRoles,
    /// Things worth saying that are not errors (fixed roles, roles left for a draft).
    pub notes: Vec<String>,
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1)
                .min(cur[j] + 1)
                .min(prev[j] + usize::from(ca != *cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate that `given` was probably meant to be: equal ignoring case, spaces, `_` and
/// `-`; or else the single candidate within two edits of it (after that normalisation).
pub fn suggest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let g = normalise(given);
    let cands: Vec<&str> = candidates.into_iter().collect();
    if let Some(c) = cands.iter().find(|c| normalise(c) == g) {
        return Some(c.to_string());
    }
    let near: Vec<&&str> = cands
        .iter()
        .filter(|c| edit_distance(&normalise(c), &g) <= 2)
        .collect();
    match near.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

fn quoted_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.into_iter().map(|s| format!("'{s}'")).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn email_ok(e: &str) -> bool {
    let e = e.trim();
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(char::is_whitespace)
}

fn parse_checkbox(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "x" | "checked" | "on" => Some(true),
        "false" | "no" | "n" | "0" | "unchecked" | "off" | "" => Some(false),
        _ => None,
    }
}

/// A recipient type in plain words.
fn type_words(recipient_type: &str) -> &str {
    match recipient_type {
        "witness" => "witness",
        "notary" => "notary",
        "seal" => "electronic seal",
        "inPersonSigner" => "in-person signer",
        "signer" => "signing group",
        other => other,
    }
}

fn role_problem(code: &'static str, given: &str, t: &TemplateRoles) -> ValidationProblem {
    let names = t.roles.iter().map(|r| r.role_name.as_str());
    let suggestion = suggest(given, names.clone());
    let message = match &suggestion {
        Some(s) => format!(
            "role '{given}' is not in {}; did you mean '{s}'?",
            t.display_name()
        ),
        None => format!(
            "role '{given}' is not in {}; its roles are {}",
            t.display_name(),
            quoted_list(names)
        ),
    };
    ValidationProblem::with_suggestion(code, message, suggestion)
}

/// Checks `req` against the template's roles and builds the exact `envelopeDefinition`
/// (pure; [`EsignClient::prepare_envelope_from_template`] fetches the roles first).
///
/// # Errors
/// Every problem found, as [`ValidationProblem`]s.
pub fn build_envelope_definition(
    template: &TemplateRoles,
    req: &TemplateEnvelopeRequest,
) -> Result<PreparedEnvelope, Vec<ValidationProblem>> {
    let people: Vec<super::limits::Person<'_>> = req
        .roles
        .iter()
        .map(|r| super::limits::Person {
            role_name: &r.role_name,
            name: &r.name,
            email: &r.email,
        })
        .collect();
    let mut problems = super::limits::check_lengths(
        req.email_subject.as_deref(),
        req.email_blurb.as_deref(),
        &people,
    );
    let mut notes = Vec::new();
    let tname = template.display_name();
    if template.roles.is_empty() {
        problems.push(ValidationProblem::new(
            "template_has_no_roles",
            format!(
                "{tname} has no roles: add a role (placeholder recipient) to it in DocuSign first"
            ),
        ));
        return Err(problems);
    }
    // role index → (name, email, tabs by collection)
    struct Out {
        name: String,
        email: String,
        in_person_signer_name: Option<String>,
        tabs: Map<String, Value>,
        given: bool,
    }
    let mut out: Vec<Option<Out>> = template.roles.iter().map(|_| None).collect();

    for ra in &req.roles {
        let Some(idx) = template
            .roles
            .iter()
            .position(|r| r.role_name == ra.role_name)
        else {
            problems.push(role_problem(
                "role_not_in_template",
                &ra.role_name,
                template,
            ));
            continue;
        };
        let role = &template.roles[idx];
        if out[idx].is_some() {
            problems.push(ValidationProblem::new(
                "duplicate_role",
                format!(
                    "role '{}' is given twice: one person per role",
                    ra.role_name
                ),
            ));
            continue;
        }
        if role.fill == "unsupported" {
            problems.push(ValidationProblem::new(
                "role_type_unsupported",
                format!(
                    "role '{}' in {tname} is a {} role: this app can fill only signers, carbon copies and other email recipients, and in-person signers; fill this one in DocuSign's web app",
                    ra.role_name,
                    type_words(&role.recipient_type)
                ),
            ));
            continue;
        }
        let (name, email) = (ra.name.trim(), ra.email.trim());
        let signer_name = ra
            .in_person_signer_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if role.fill == "in_person" {
            match signer_name {
                None if role.in_person_signer_name.is_none() => {
                    problems.push(ValidationProblem::new(
                        "in_person_signer_name_missing",
                        format!(
                            "role '{}' is an in-person signer: give the signer's name (who signs on the host's device) as well as the host's name and email",
                            ra.role_name
                        ),
                    ));
                    continue;
                }
                Some(n) if n.chars().count() > 100 => {
                    problems.push(ValidationProblem::new(
                        "in_person_signer_name_too_long",
                        format!(
                            "the in-person signer's name for role '{}' has {} characters; DocuSign allows at most 100",
                            ra.role_name,
                            n.chars().count()
                        ),
                    ));
                    continue;
                }
                _ => {}
            }
        } else if signer_name.is_some() {
            problems.push(ValidationProblem::new(
                "not_in_person",
                format!(
                    "role '{}' is not an in-person signer: give only a name and an email for it",
                    ra.role_name
                ),
            ));
            continue;
        }
        if name.is_empty() || email.is_empty() {
            problems.push(ValidationProblem::new(
                "empty_role_person",
                format!("role '{}' needs both a name and an email", ra.role_name),
            ));
            continue;
        }
        if !email_ok(email) {
            problems.push(ValidationProblem::new(
                "email_malformed",
                format!(
                    "the email '{email}' for role '{}' is not an email address",
                    ra.role_name
                ),
            ));
            continue;
        }
        if role.fixed {
            let same = role
                .email
                .as_deref()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case(email))
                && role.name.as_deref().is_some_and(|n| n.trim() == name);
            if !same {
                problems.push(ValidationProblem::new(
                    "role_is_fixed",
                    format!(
                        "role '{}' in {tname} is fixed to {} <{}>: leave it out to keep that recipient (DocuSign would add {name} as an extra recipient instead); to change it, edit the template",
                        role.role_name,
                        role.name.as_deref().unwrap_or_default(),
                        role.email.as_deref().unwrap_or_default()
                    ),
                ));
                continue;
            }
        }
        out[idx] = Some(Out {
            name: name.to_string(),
            email: email.to_string(),
            in_person_signer_name: signer_name.map(String::from),
            tabs: Map::new(),
            given: true,
        });
    }

    let mut seen_tabs: Vec<(String, String)> = Vec::new();
    for tv in &req.tabs {
        let Some(idx) = template
            .roles
            .iter()
            .position(|r| r.role_name == tv.role_name)
        else {
            let mut p = role_problem("role_not_in_template", &tv.role_name, template);
            p.message = format!("tab '{}': {}", tv.tab_label, p.message);
            problems.push(p);
            continue;
        };
        let role = &template.roles[idx];
        if seen_tabs
            .iter()
            .any(|(r, l)| *r == tv.role_name && *l == tv.tab_label)
        {
            problems.push(ValidationProblem::new(
                "duplicate_tab",
                format!(
                    "tab '{}' of role '{}' is given twice",
                    tv.tab_label, tv.role_name
                ),
            ));
            continue;
        }
        seen_tabs.push((tv.role_name.clone(), tv.tab_label.clone()));
        let matches: Vec<&TemplateTab> = role
            .tabs
            .iter()
            .filter(|t| t.label == tv.tab_label)
            .collect();
        if matches.is_empty() {
            let labels: Vec<&str> = {
                let mut l: Vec<&str> = role
                    .tabs
                    .iter()
                    .filter(|t| t.settable)
                    .map(|t| t.label.as_str())
                    .collect();
                l.dedup();
                l
            };
            let suggestion = suggest(&tv.tab_label, role.tabs.iter().map(|t| t.label.as_str()));
            let elsewhere = template.roles.iter().find(|r| {
                r.role_name != role.role_name && r.tabs.iter().any(|t| t.label == tv.tab_label)
            });
            let message = match (&suggestion, elsewhere) {
                (Some(s), _) => format!(
                    "tab '{}' is not on role '{}' in {tname}; did you mean '{s}'?",
                    tv.tab_label, role.role_name
                ),
                (None, Some(other)) => format!(
                    "tab '{}' is on role '{}', not on role '{}', in {tname}",
                    tv.tab_label, other.role_name, role.role_name
                ),
                (None, None) => format!(
                    "tab '{}' is not on role '{}' in {tname}; its tabs are {}",
                    tv.tab_label,
                    role.role_name,
                    quoted_list(labels)
                ),
            };
            let suggestion = suggestion.or_else(|| elsewhere.map(|r| r.role_name.clone()));
            problems.push(ValidationProblem::with_suggestion(
                "tab_not_on_role",
                message,
                suggestion,
            ));
            continue;
        }
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut seen_collections: Vec<&str> = Vec::new();
        for t in matches {
            if seen_collections.contains(&t.collection.as_str()) {
                continue; // one entry per collection fills every tab with that label
            }
            seen_collections.push(&t.collection);
            match tab_entry(t, &tv.value) {
                Ok(v) => entries.push((t.collection.clone(), v)),
                Err(msg) => problems.push(ValidationProblem::with_suggestion(
                    msg.0,
                    format!(
                        "tab '{}' of role '{}': {}",
                        tv.tab_label, role.role_name, msg.1
                    ),
                    msg.2,
                )),
            }
        }
        if entries.is_empty() {
            continue;
        }
        let slot = out[idx].get_or_insert_with(|| Out {
            // A fixed role that only gets tab values: address it with the template's person.
            name: role.name.clone().unwrap_or_default(),
            email: role.email.clone().unwrap_or_default(),
            in_person_signer_name: None,
            tabs: Map::new(),
            given: false,
        });
        for (collection, v) in entries {
            if let Value::Array(a) = slot
                .tabs
                .entry(collection)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                a.push(v);
            }
        }
    }

    // Placeholder roles nobody was given. A role given a person that was refused above (a bad
    // email, a missing name, …) already has its one problem: "no person yet" would repeat it.
    for (i, role) in template.roles.iter().enumerate() {
        let refused = out[i].as_ref().is_none_or(|o| !o.given)
            && req.roles.iter().any(|ra| ra.role_name == role.role_name);
        if refused {
            continue;
        }
        match &out[i] {
            Some(o) if !o.given && !role.fixed => {
                problems.push(ValidationProblem::new("placeholder_role_missing", format!("role '{}' gets tab values but no person: give a name and email for it", role.role_name)));
            }
            Some(_) => {}
            None if role.fill == "unsupported" => notes.push(format!(
                "role '{}' is a {} role: this app leaves it out; fill it in DocuSign's web app if the envelope needs it",
                role.role_name,
                type_words(&role.recipient_type)
            )),
            None if role.fixed => notes.push(format!(
                "role '{}' is fixed in {tname}: it goes to {} <{}>",
                role.role_name,
                role.name.as_deref().unwrap_or_default(),
                role.email.as_deref().unwrap_or_default()
            )),
            None => match req.status {
                // No suggestion: the role's name is right, it only lacks a person ("did you
                // mean" is for a different name).
                SendStatus::Sent => problems.push(ValidationProblem::new(
                    "placeholder_role_missing",
                    format!("role '{}' in {tname} has no person yet: give a name and email for it (or save a draft)", role.role_name),
                )),
                SendStatus::Created => notes.push(format!("role '{}' has no person yet: add one before sending the draft", role.role_name)),
            },
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let template_roles: Vec<Value> = template
        .roles
        .iter()
        .zip(out)
        .filter_map(|(role, o)| {
            let o = o?;
            let mut m = Map::new();
            m.insert("roleName".into(), Value::String(role.role_name.clone()));
            m.insert("name".into(), Value::String(o.name));
            m.insert("email".into(), Value::String(o.email));
            if let Some(n) = o.in_person_signer_name {
                m.insert("inPersonSignerName".into(), Value::String(n));
            }
            if !o.tabs.is_empty() {
                m.insert("tabs".into(), Value::Object(o.tabs));
            }
            Some(Value::Object(m))
        })
        .collect();
    let mut body = json!({
        "templateId": req.template_id.trim(),
        "templateRoles": template_roles,
        "status": req.status.as_str(),
        "customFields": { "textCustomFields": [ { "name": TEMPLATE_ID_FIELD, "value": req.template_id.trim(), "show": "false" } ] },
    });
    if let Some(s) = req
        .email_subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        body["emailSubject"] = Value::String(s.to_string());
    }
    if let Some(b) = req.email_blurb.as_deref().filter(|b| !b.trim().is_empty()) {
        body["emailBlurb"] = Value::String(b.to_string());
    }
    Ok(PreparedEnvelope {
        body,
        template: template.clone(),
        notes,
    })
}

type TabErr = (&'static str, String, Option<String>);

/// The JSON entry for one tab of `t`'s collection carrying `value`, type-checked.
fn tab_entry(t: &TemplateTab, value: &str) -> Result<Value, TabErr> {
    if !t.settable {
        return Err((
            "tab_not_settable",
            format!(
                "it is a {} tab: the signer or DocuSign fills it in; it can't be given a value",
                t.kind
            ),
            None,
        ));
    }
    let label = t.label.clone();
    match t.collection.as_str() {
        "numberTabs" | "numericalTabs" => {
            let v = value.trim();
            match v.parse::<f64>() {
                Ok(n) if n.is_finite() => Ok(json!({ "tabLabel": label, "value": v })),
                _ => Err((
                    "value_not_a_number",
                    format!("'{value}' is not a number (it is a number tab)"),
                    None,
                )),
            }
        }
        "checkboxTabs" => match parse_checkbox(value) {
            Some(b) => {
                Ok(json!({ "tabLabel": label, "selected": if b { "true" } else { "false" } }))
            }
            None => Err((
                "value_not_a_boolean",
                format!("'{value}' is not true or false (it is a checkbox)"),
                None,
            )),
        },
        "listTabs" => {
            if let Some(c) = t.choices.iter().find(|c| c.as_str() == value) {
                Ok(json!({ "tabLabel": label, "value": c }))
            } else {
                let s = suggest(value, t.choices.iter().map(String::as_str));
                let msg = match &s {
                    Some(s) => format!("'{value}' is not one of its choices; did you mean '{s}'?"),
                    None => format!(
                        "'{value}' is not one of its choices: {}",
                        quoted_list(t.choices.iter().map(String::as_str))
                    ),
                };
                Err(("value_not_in_list", msg, s))
            }
        }
        "radioGroupTabs" => {
            if let Some(c) = t.choices.iter().find(|c| c.as_str() == value) {
                Ok(json!({ "groupName": label, "radios": [ { "value": c, "selected": "true" } ] }))
            } else {
                let s = suggest(value, t.choices.iter().map(String::as_str));
                let msg = match &s {
                    Some(s) => format!("'{value}' is not one of its buttons; did you mean '{s}'?"),
                    None => format!(
                        "'{value}' is not one of its buttons: {}",
                        quoted_list(t.choices.iter().map(String::as_str))
                    ),
                };
                Err(("value_not_in_list", msg, s))
            }
        }
        "emailTabs" => {
            if email_ok(value) {
                Ok(json!({ "tabLabel": label, "value": value.trim() }))
            } else {
                Err((
                    "email_malformed",
                    format!("'{value}' is not an email address (it is an email tab)"),
                    None,
                ))
            }
        }
        "dateTabs" => {
            if value.trim().is_empty() {
                Err(("value_empty", "a date tab needs a date".into(), None))
            } else {
                Ok(json!({ "tabLabel": label, "value": value.trim() }))
            }
        }
        // textTabs, companyTabs, titleTabs, noteTabs, ssnTabs, zipTabs, phoneNumberTabs, …
        _ => Ok(json!({ "tabLabel": label, "value": value })),
    }
}

impl EsignClient {
    /// Every template in the account, all pages followed.
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}/templates` (`Templates_GetTemplates`,
    /// SDK `listTemplates`), `start_position` / `count` paging.
    ///
    /// # Errors
    /// As any call; `USER_LACKS_PERMISSIONS` (plan or permission profile, F28) comes with
    /// its fix; [`EsignError::Paging`] past the page cap.
    pub async fn list_templates(&self) -> Result<Vec<EnvelopeTemplate>, EsignError> {
        let mut all = Vec::new();
        let mut start = 0u64;
        let mut pages = 0u32;
        loop {
            let path = format!("/restapi/v2.1/accounts/{}/templates", self.account_id);
            if pages >= self.config.max_pages {
                return Err(EsignError::Paging {
                    path,
                    pages,
                    reason: format!("more than {} pages (page cap)", self.config.max_pages),
                });
            }
            let call = self
                .call(Method::GET, &[Seg::Lit("templates")])?
                .query("start_position", start.to_string())
                .query("count", self.config.page_size.to_string());
            let page: EnvelopeTemplateResults = self.json(call).await?;
            pages += 1;
            let next = next_start(
                start,
                page.envelope_templates.len(),
                page.result_set_size,
                page.end_position,
                page.total_set_size,
                page.next_uri.as_deref(),
            )
            .map_err(|reason| EsignError::Paging {
                path,
                pages,
                reason,
            })?;
            all.extend(page.envelope_templates);
            match next {
                Some(n) => start = n,
                None => return Ok(all),
            }
        }
    }

    /// A template's roles: role name exactly as stored, recipient type, routing order, fixed
    /// (name and email set) vs placeholder, and their tabs by label and type. One call.
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}/templates/{templateId}/recipients?include_tabs=true`
    /// (`Recipients_GetTemplateRecipients`, SDK `TemplatesApi.listRecipients`).
    /// `template_name` is `None` (this endpoint does not return it).
    ///
    /// # Errors
    /// As any call (`TEMPLATE_ID_INVALID` with its fix).
    pub async fn get_template_roles(&self, template_id: &str) -> Result<TemplateRoles, EsignError> {
        let call = self
            .call(
                Method::GET,
                &[
                    Seg::Lit("templates"),
                    Seg::Id("templateId", template_id),
                    Seg::Lit("recipients"),
                ],
            )?
            .query("include_tabs", "true");
        let r: Recipients = self.json(call).await?;
        Ok(TemplateRoles::from_recipients(template_id.trim(), None, &r))
    }

    /// Fetches the template's roles and tabs (one GET, as
    /// [`get_template_roles`](Self::get_template_roles)) and validates `req` against them,
    /// returning the exact body [`send_envelope_from_template`](Self::send_envelope_from_template)
    /// would POST: for the UI's "what will be sent" preview. Sends nothing.
    ///
    /// Checks: every role exists with the exact name (case- and space-sensitive; a near miss
    /// gets "did you mean"), no role twice, no other person on a fixed role, every placeholder
    /// role filled when sending (not for drafts); every tab label exists on that role, and the
    /// value goes into the tab's own collection with its type checked (number, checkbox
    /// `selected`, list/radio choice, email shape; signature-like tabs refused).
    ///
    /// # Errors
    /// [`EsignError::Validation`] with every problem; the GET's errors.
    pub async fn prepare_envelope_from_template(
        &self,
        req: &TemplateEnvelopeRequest,
    ) -> Result<PreparedEnvelope, EsignError> {
        let mut roles = self.get_template_roles(&req.template_id).await?;
        roles.template_name = req.template_name.clone();
        build_envelope_definition(&roles, req)
            .map_err(|problems| EsignError::Validation { problems })
    }

    /// Sends (or saves as a draft) an envelope from a template: first
    /// [`prepare_envelope_from_template`](Self::prepare_envelope_from_template) (one GET and
    /// all checks), then ONE `POST` with `templateId`, `templateRoles`, `status`,
    /// `emailSubject` and the text custom field `templateId` (so listings can filter by
    /// template). The POST is never retried on 429/5xx/timeouts (it could create a second
    /// envelope); only a 401 is retried once with a new token.
    ///
    /// Endpoint: `POST /restapi/v2.1/accounts/{accountId}/envelopes` (`Envelopes_PostEnvelopes`,
    /// SDK `createEnvelope`); 201 `envelopeSummary`.
    ///
    /// # Errors
    /// [`EsignError::Validation`] before anything is sent; [`EsignError::RateLimited`] for a
    /// 429/limit answer (not retried); otherwise as any call.
    pub async fn send_envelope_from_template(
        &self,
        req: &TemplateEnvelopeRequest,
    ) -> Result<EnvelopeSummary, EsignError> {
        let prepared = self.prepare_envelope_from_template(req).await?;
        self.send_prepared(&prepared).await
    }

    /// POSTs a body made by [`prepare_envelope_from_template`](Self::prepare_envelope_from_template)
    /// (after the user saw the preview). Same endpoint and retry rules as
    /// [`send_envelope_from_template`](Self::send_envelope_from_template).
    ///
    /// # Errors
    /// As [`send_envelope_from_template`](Self::send_envelope_from_template), without the validation.
    pub async fn send_prepared(
        &self,
        prepared: &PreparedEnvelope,
    ) -> Result<EnvelopeSummary, EsignError> {
        let mut call = self
            .call(Method::POST, &[Seg::Lit("envelopes")])?
            .body(prepared.body.clone());
        call.repeatable = false;
        self.json(call).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn nda() -> TemplateRoles {
        let r: Recipients = serde_json::from_value(json!({
            "signers": [
                {"recipientId":"1","roleName":"Signer 1","routingOrder":"1","name":"","email":"",
                 "tabs":{"textTabs":[{"tabLabel":"CustomerAddress"}],"numberTabs":[{"tabLabel":"Amount"}],
                         "checkboxTabs":[{"tabLabel":"Agree"}],"listTabs":[{"tabLabel":"Color","listItems":[{"text":"Red","value":"red"},{"text":"Green","value":"green"}]}],
                         "companyTabs":[{"tabLabel":"Company"}],"signHereTabs":[{"tabLabel":"Sign"}],"emailTabs":[{"tabLabel":"Contact"}],
                         "radioGroupTabs":[{"groupName":"Size","radios":[{"value":"S"},{"value":"L"}]}]}},
                {"recipientId":"2","roleName":"Manager","routingOrder":"2","name":"Jane Doe","email":"jane@example.com",
                 "tabs":{"textTabs":[{"tabLabel":"Note"}]}}
            ],
            "carbonCopies": [{"recipientId":"3","roleName":"Legal","routingOrder":"3"}]
        }))
        .expect("json");
        TemplateRoles::from_recipients("T-1", Some("Mutual NDA".into()), &r)
    }

    fn req(
        roles: Vec<(&str, &str, &str)>,
        tabs: Vec<(&str, &str, &str)>,
    ) -> TemplateEnvelopeRequest {
        TemplateEnvelopeRequest {
            template_id: "T-1".into(),
            roles: roles
                .into_iter()
                .map(|(r, n, e)| RoleAssignment {
                    role_name: r.into(),
                    name: n.into(),
                    email: e.into(),
                    in_person_signer_name: None,
                })
                .collect(),
            tabs: tabs
                .into_iter()
                .map(|(r, l, v)| TabValue {
                    role_name: r.into(),
                    tab_label: l.into(),
                    value: v.into(),
                })
                .collect(),
            email_subject: Some("Please sign".into()),
            email_blurb: None,
            status: SendStatus::Sent,
            template_name: None,
        }
    }

    /// F48: roles from every recipient collection, GUID ids kept as strings, locked/required,
    /// in-person roles filled with host + signer name, unsupported types refused.
    #[test]
    fn f48_roles_from_every_collection_and_in_person_fields() {
        let r: Recipients = serde_json::from_value(json!({
            "signers": [{"roleName":"Signer 1","recipientId":"5741ec70-1c2d-4e5f-8a9b-0c1d2e3f4a01",
                         "routingOrder":"1","name":"","email":"","templateRequired":"true"}],
            "carbonCopies": [{"roleName":"Legal Team","recipientId":"7","name":"Legal","email":"legal@example.com",
                              "templateLocked":"true"}],
            "inPersonSigners": [{"roleName":"Customer","recipientId":"9","routingOrder":"3",
                                 "hostName":"","hostEmail":"","signerName":""}],
            "witnesses": [{"roleName":"Witness","recipientId":"10"}],
            "agents": [], "editors": []
        }))
        .expect("json");
        let t = TemplateRoles::from_recipients("T-2", Some("Counter".into()), &r);
        let kinds: Vec<(&str, &str, &str)> = t
            .roles
            .iter()
            .map(|r| {
                (
                    r.role_name.as_str(),
                    r.recipient_type.as_str(),
                    r.fill.as_str(),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("Signer 1", "signer", "name_email"),
                ("Legal Team", "carbonCopy", "name_email"),
                ("Customer", "inPersonSigner", "in_person"),
                ("Witness", "witness", "unsupported"),
            ]
        );
        assert_eq!(
            t.roles[0].recipient_id.as_deref(),
            Some("5741ec70-1c2d-4e5f-8a9b-0c1d2e3f4a01")
        );
        assert!(t.roles[0].required && !t.roles[0].locked);
        assert!(t.roles[1].fixed && t.roles[1].locked);
        assert!(!t.roles[2].fixed);

        let mut req = req(
            vec![
                ("Signer 1", "Ann", "ann@example.com"),
                ("Customer", "Hal Host", "hal@example.com"),
            ],
            vec![],
        );
        // in-person without the signer's name: refused in plain words
        let err = build_envelope_definition(&t, &req).unwrap_err();
        assert_eq!(err[0].code, "in_person_signer_name_missing");
        req.roles[1].in_person_signer_name = Some("Walk-in Customer".into());
        let p = build_envelope_definition(&t, &req).unwrap();
        let roles = p.body["templateRoles"].as_array().unwrap();
        assert_eq!(roles[1]["name"], "Hal Host");
        assert_eq!(roles[1]["inPersonSignerName"], "Walk-in Customer");
        assert!(roles[0].get("inPersonSignerName").is_none());
        // a witness role cannot be filled from here
        req.roles.push(RoleAssignment {
            role_name: "Witness".into(),
            name: "W".into(),
            email: "w@example.com".into(),
            in_person_signer_name: None,
        });
        let err = build_envelope_definition(&t, &req).unwrap_err();
        assert_eq!(err[0].code, "role_type_unsupported");
        assert!(err[0].message.contains("witness"), "{}", err[0].message);
    }

    #[test]
    fn roles_are_read_with_fixed_and_placeholder() {
        let t = nda();
        assert_eq!(t.roles.len(), 3);
        assert!(!t.roles[0].fixed && t.roles[1].fixed);
        assert_eq!(t.roles[2].recipient_type, "carbonCopy");
        assert!(t.roles[0]
            .tabs
            .iter()
            .any(|x| x.label == "Sign" && !x.settable));
    }

    #[test]
    fn role_mismatch_suggests_exact_name() {
        let t = nda();
        let e = build_envelope_definition(
            &t,
            &req(
                vec![
                    ("signer1", "Ann", "ann@example.com"),
                    ("Legal", "L", "l@example.com"),
                ],
                vec![],
            ),
        )
        .unwrap_err();
        assert_eq!(e[0].code, "role_not_in_template");
        assert_eq!(
            e[0].message,
            "role 'signer1' is not in template 'Mutual NDA'; did you mean 'Signer 1'?"
        );
        assert_eq!(e[0].suggestion.as_deref(), Some("Signer 1"));
        // And the unfilled placeholder is reported too.
        assert!(e.iter().any(|p| p.code == "placeholder_role_missing"));
        // "Did you mean" only for a different name: a role with nobody in it has no suggestion.
        assert!(e
            .iter()
            .filter(|p| p.code == "placeholder_role_missing")
            .all(|p| p.suggestion.is_none()));
    }

    #[test]
    fn a_refused_person_is_one_problem_not_also_no_person_yet() {
        // Found by a fresh user: a bad email also said the role had no person yet.
        let t = nda();
        let e = build_envelope_definition(
            &t,
            &req(
                vec![
                    ("Signer 1", "Ann", "ann@example"),
                    ("Legal", "L", "l@example.com"),
                ],
                vec![],
            ),
        )
        .unwrap_err();
        let codes: Vec<&str> = e.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["email_malformed"], "{e:?}");
    }

    #[test]
    fn tab_checks_by_type() {
        let t = nda();
        let r = req(
            vec![
                ("Signer 1", "Ann", "ann@example.com"),
                ("Legal", "L", "l@example.com"),
            ],
            vec![
                ("Signer 1", "customeraddress", "1 Main St"),
                ("Signer 1", "Amount", "abc"),
                ("Signer 1", "Color", "Blue"),
                ("Signer 1", "Sign", "x"),
                ("Signer 1", "Contact", "not-an-email"),
                ("Signer 1", "Note", "hi"),
            ],
        );
        let e = build_envelope_definition(&t, &r).unwrap_err();
        let codes: Vec<&str> = e.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            vec![
                "tab_not_on_role",
                "value_not_a_number",
                "value_not_in_list",
                "tab_not_settable",
                "email_malformed",
                "tab_not_on_role"
            ]
        );
        assert_eq!(e[0].suggestion.as_deref(), Some("CustomerAddress"));
        assert!(e[5].message.contains("is on role 'Manager'"));
    }

    #[test]
    fn good_request_builds_exact_body() {
        let t = nda();
        let r = req(
            vec![
                ("Signer 1", "Ann", "ann@example.com"),
                ("Legal", "Lee", "lee@example.com"),
            ],
            vec![
                ("Signer 1", "CustomerAddress", "1 Main St"),
                ("Signer 1", "Amount", "12.50"),
                ("Signer 1", "Agree", "yes"),
                ("Signer 1", "Color", "green"),
                ("Signer 1", "Company", "Acme"),
                ("Signer 1", "Size", "L"),
                ("Manager", "Note", "ok"),
            ],
        );
        let p = build_envelope_definition(&t, &r).expect("valid");
        let b = &p.body;
        assert_eq!(b["templateId"], "T-1");
        assert_eq!(b["status"], "sent");
        assert_eq!(b["emailSubject"], "Please sign");
        // F42: never an embedded signer (no clientUserId anywhere in the body).
        assert!(!b.to_string().contains("clientUserId"), "{b}");
        assert_eq!(
            b["customFields"]["textCustomFields"][0],
            json!({"name":"templateId","value":"T-1","show":"false"})
        );
        let roles = b["templateRoles"].as_array().expect("array");
        assert_eq!(roles.len(), 3);
        let s1 = &roles[0];
        assert_eq!(s1["roleName"], "Signer 1");
        assert_eq!(
            s1["tabs"]["textTabs"][0],
            json!({"tabLabel":"CustomerAddress","value":"1 Main St"})
        );
        assert_eq!(s1["tabs"]["numberTabs"][0]["value"], "12.50");
        assert_eq!(
            s1["tabs"]["checkboxTabs"][0],
            json!({"tabLabel":"Agree","selected":"true"})
        );
        assert_eq!(s1["tabs"]["listTabs"][0]["value"], "green");
        assert_eq!(s1["tabs"]["companyTabs"][0]["value"], "Acme");
        assert_eq!(
            s1["tabs"]["radioGroupTabs"][0],
            json!({"groupName":"Size","radios":[{"value":"L","selected":"true"}]})
        );
        // The fixed role gets its tab with the template's own person.
        assert_eq!(roles[1]["roleName"], "Manager");
        assert_eq!(roles[1]["email"], "jane@example.com");
        assert_eq!(roles[2]["roleName"], "Legal");
    }

    #[test]
    fn fixed_role_with_other_person_is_refused_and_draft_allows_missing() {
        let t = nda();
        let e = build_envelope_definition(
            &t,
            &req(
                vec![
                    ("Signer 1", "Ann", "ann@example.com"),
                    ("Legal", "L", "l@example.com"),
                    ("Manager", "Bob", "bob@example.com"),
                ],
                vec![],
            ),
        )
        .unwrap_err();
        assert_eq!(e[0].code, "role_is_fixed");
        let mut r = req(vec![("Signer 1", "Ann", "ann@example.com")], vec![]);
        r.status = SendStatus::Created;
        let p = build_envelope_definition(&t, &r).expect("draft is fine");
        assert!(p
            .notes
            .iter()
            .any(|n| n.contains("'Legal' has no person yet")));
        assert!(p.notes.iter().any(|n| n.contains("'Manager' is fixed")));
        assert_eq!(p.body["status"], "created");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("signer1", ["Signer 1", "Manager"]),
            Some("Signer 1".into())
        );
        assert_eq!(
            suggest("Mangaer", ["Signer 1", "Manager"]),
            Some("Manager".into())
        );
        assert_eq!(suggest("Zzz", ["Signer 1", "Manager"]), None);
        assert!(email_ok("a@b.co") && !email_ok("a@b") && !email_ok("a b@c.d"));
    }
}
