//! The eSignature side of the world, checked and built: each account's `esignature` entry
//! (templates, envelopes with their recipients, tabs and documents, folders, custom fields,
//! limits, settings) validated into the accounts' [`Store`], every error naming the field's path
//! (`esignature.<account_id>.envelopes[2].status`).

use std::collections::{BTreeMap, HashSet};

use super::format::*;
use crate::esign::model::*;
use crate::esign::regional::Regional;
use crate::esign::time::{self, Nanos};

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
            if n > MAX_DOCUMENT_BYTES {
                return err(
                    format!("{at}.size_bytes"),
                    format!("at most {} bytes", MAX_DOCUMENT_BYTES),
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
                    format!(
                        "document {document_id} has {} page{}",
                        doc.pages,
                        if doc.pages == 1 { "" } else { "s" }
                    ),
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
        role_name: r.role_name.clone(),
        name: r.name.clone().unwrap_or_default(),
        email: r.email.clone().unwrap_or_default(),
        client_user_id: r.client_user_id.clone().filter(|c| !c.trim().is_empty()),
        tabs,
        extra: RecipientExtra {
            in_person_signer_name: r.in_person_signer_name.clone().unwrap_or_default(),
            auto_responded_reason: None,
            template_locked: r.template_locked.unwrap_or(false),
            template_required: r.template_required.unwrap_or(false),
        },
        ..Recipient::created(recipient_id, rtype, routing_order)
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
    // What an active signer has reached; recipients later in the routing order have not been
    // reached yet, and an active carbon copy is done as soon as it is sent.
    let reached = match env {
        EnvStatus::Created => return RecStatus::Created,
        EnvStatus::Completed | EnvStatus::Signed => return RecStatus::Completed,
        EnvStatus::Sent | EnvStatus::Voided => RecStatus::Sent,
        EnvStatus::Delivered => RecStatus::Delivered,
        EnvStatus::Declined => RecStatus::Declined,
    };
    if r.routing_order != first_order {
        RecStatus::Created
    } else if r.rtype == RecipientType::CarbonCopy {
        RecStatus::Completed
    } else {
        reached
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
                regional: Regional::default(),
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
            user.regional = Regional::new(u.date_format.as_deref(), u.time_zone.as_deref())
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

#[cfg(test)]
mod tests {
    use super::super::default::default_account_spec;
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
