//! Envelope endpoints: create from a template, get, void (update), recipients, tabs, custom
//! fields, templates used.

use axum::body::Bytes;
use axum::extract::{Extension, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::model::*;
use super::render::{self, Include};
use super::{ds_json, param, time, with_account, ApiError, Caller, Params, Query};
use crate::state::AppState;

/// Parses a JSON object body; anything else is `INVALID_REQUEST_BODY`.
pub(crate) fn json_body(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiError::invalid_body()),
    }
}

/// A string field; numbers and booleans are accepted as their text (DocuSign's serializer is
/// lenient the same way). Objects and arrays are a malformed body.
fn str_field(m: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(_) => Err(ApiError::invalid_body()),
    }
}

fn respond(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /envelopes/{envelopeId}` → `envelope`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let q = Query::parse(raw.as_deref())?;
        let inc = Include::parse(q.get("include"));
        let id = param(&params, "envelopeId");
        with_account(&state, &caller, |acc| {
            let e = acc.envelope(id).ok_or_else(ApiError::no_envelope)?;
            let v = render::envelope(acc, e, inc, &super::documents::doc_size);
            Ok(ds_json(StatusCode::OK, &v))
        })
    })())
}

/// `GET /envelopes/{envelopeId}/recipients` → `recipients`.
pub(crate) async fn recipients(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let q = Query::parse(raw.as_deref())?;
        let with_tabs = q.flag("include_tabs")?.unwrap_or(false);
        let id = param(&params, "envelopeId");
        with_account(&state, &caller, |acc| {
            let e = acc.envelope(id).ok_or_else(ApiError::no_envelope)?;
            let v = render::recipients(&e.recipients, with_tabs, e.current_routing_order(), false);
            Ok(ds_json(StatusCode::OK, &v))
        })
    })())
}

/// `GET /envelopes/{envelopeId}/recipients/{recipientId}/tabs` → `tabs`.
pub(crate) async fn recipient_tabs(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
) -> Response {
    let id = param(&params, "envelopeId");
    let rid = param(&params, "recipientId").trim().to_owned();
    respond(with_account(&state, &caller, |acc| {
        let e = acc.envelope(id).ok_or_else(ApiError::no_envelope)?;
        let r = e
            .recipients
            .iter()
            .find(|r| r.recipient_id == rid || r.guid.eq_ignore_ascii_case(&rid))
            .ok_or_else(|| {
                ApiError::bad(
                    "INVALID_RECIPIENT_ID",
                    "A recipient ID that was specified was not found.",
                )
            })?;
        Ok(ds_json(StatusCode::OK, &render::tabs(r)))
    }))
}

/// `GET /envelopes/{envelopeId}/custom_fields` → `customFieldsEnvelope`.
pub(crate) async fn custom_fields(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
) -> Response {
    respond(with_account(&state, &caller, |acc| {
        let e = acc
            .envelope(param(&params, "envelopeId"))
            .ok_or_else(ApiError::no_envelope)?;
        Ok(ds_json(
            StatusCode::OK,
            &render::custom_fields(&e.custom_fields),
        ))
    }))
}

/// `GET /envelopes/{envelopeId}/templates` → `templateInformation`.
pub(crate) async fn templates(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
) -> Response {
    respond(with_account(&state, &caller, |acc| {
        let e = acc
            .envelope(param(&params, "envelopeId"))
            .ok_or_else(ApiError::no_envelope)?;
        let list: Vec<Value> = match &e.template_id {
            Some(tid) => {
                let name = acc
                    .template(tid)
                    .map(|t| t.name.clone())
                    .or_else(|| e.template_name.clone())
                    .unwrap_or_default();
                let doc = e.documents.first();
                vec![json!({
                    "templateId": tid,
                    "name": name,
                    "uri": format!("/envelopes/{}/templates/{tid}", e.id),
                    "applied": "true",
                    "documentId": doc.map(|d| d.document_id.clone()).unwrap_or_default(),
                    "documentName": doc.map(|d| d.name.clone()).unwrap_or_default(),
                })]
            }
            None => Vec::new(),
        };
        Ok(ds_json(StatusCode::OK, &json!({"templates": list})))
    }))
}

/// One entry of `templateRoles`.
struct RoleRequest {
    role_name: Option<String>,
    name: Option<String>,
    email: Option<String>,
    /// In-person roles: the signer's name (`name`/`email` are the host's; F48).
    in_person_signer_name: Option<String>,
    routing_order: Option<u32>,
    /// `clientUserId`, kept on the recipient (an embedded signer, F42).
    client_user_id: Option<String>,
    /// (tab kind, label, value)
    tabs: Vec<(TabKind, String, String)>,
}

fn parse_role(v: &Value) -> Result<RoleRequest, ApiError> {
    let Value::Object(m) = v else {
        return Err(ApiError::invalid_body());
    };
    let routing_order =
        match str_field(m, "routingOrder")? {
            None => None,
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(s.trim().parse::<u32>().map_err(|_| {
                ApiError::invalid_parameter(format!("Invalid routingOrder '{s}'."))
            })?),
        };
    let mut tabs = Vec::new();
    match m.get("tabs") {
        None | Some(Value::Null) => {}
        Some(Value::Object(collections)) => {
            for (collection, items) in collections {
                // Only exact collection names (textTabs, …); anything else DocuSign ignores.
                let Some(kind) = TabKind::ALL
                    .into_iter()
                    .find(|k| k.collection() == collection)
                else {
                    continue;
                };
                let Value::Array(items) = items else {
                    return Err(ApiError::invalid_body());
                };
                for item in items {
                    let Value::Object(t) = item else {
                        return Err(ApiError::invalid_body());
                    };
                    let label_key = if kind == TabKind::RadioGroup {
                        "groupName"
                    } else {
                        "tabLabel"
                    };
                    let Some(label) = str_field(t, label_key)? else {
                        continue;
                    };
                    let value = if kind == TabKind::Checkbox {
                        str_field(t, "selected")?.or(str_field(t, "value")?)
                    } else {
                        str_field(t, "value")?
                    };
                    if let Some(value) = value {
                        tabs.push((kind, label, value));
                    }
                }
            }
        }
        Some(_) => return Err(ApiError::invalid_body()),
    }
    Ok(RoleRequest {
        role_name: str_field(m, "roleName")?,
        name: str_field(m, "name")?,
        email: str_field(m, "email")?,
        in_person_signer_name: str_field(m, "inPersonSignerName")?,
        routing_order,
        client_user_id: str_field(m, "clientUserId")?.filter(|c| !c.trim().is_empty()),
        tabs,
    })
}

fn parse_custom_fields(v: Option<&Value>) -> Result<CustomFields, ApiError> {
    let mut out = CustomFields::default();
    let Some(v) = v else {
        return Ok(out);
    };
    let Value::Object(m) = v else {
        return Err(ApiError::invalid_body());
    };
    let list = |key: &str| -> Result<Vec<Map<String, Value>>, ApiError> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Value::Object(o) => Ok(o.clone()),
                    _ => Err(ApiError::invalid_body()),
                })
                .collect(),
            Some(_) => Err(ApiError::invalid_body()),
        }
    };
    let truthy = |s: Option<String>| s.is_some_and(|s| s.eq_ignore_ascii_case("true"));
    for f in list("textCustomFields")? {
        let Some(name) = str_field(&f, "name")? else {
            return Err(ApiError::invalid_parameter("A custom field needs a name."));
        };
        out.text.push(TextField {
            field_id: String::new(),
            name,
            value: str_field(&f, "value")?.unwrap_or_default(),
            show: truthy(str_field(&f, "show")?),
            required: truthy(str_field(&f, "required")?),
        });
    }
    for f in list("listCustomFields")? {
        let Some(name) = str_field(&f, "name")? else {
            return Err(ApiError::invalid_parameter("A custom field needs a name."));
        };
        let items = match f.get("listItems") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        out.list.push(ListField {
            field_id: String::new(),
            name,
            value: str_field(&f, "value")?.unwrap_or_default(),
            show: truthy(str_field(&f, "show")?),
            required: truthy(str_field(&f, "required")?),
            items,
        });
    }
    Ok(out)
}

/// Merges API custom fields over the template's (same name: the API's value wins), renumbering
/// field ids.
fn merge_custom_fields(template: &CustomFields, api: CustomFields) -> CustomFields {
    let mut out = template.clone();
    for f in api.text {
        match out.text.iter_mut().find(|o| o.name == f.name) {
            Some(o) => *o = f,
            None => out.text.push(f),
        }
    }
    for f in api.list {
        match out.list.iter_mut().find(|o| o.name == f.name) {
            Some(o) => *o = f,
            None => out.list.push(f),
        }
    }
    let mut id = 1;
    for f in &mut out.text {
        f.field_id = id.to_string();
        id += 1;
    }
    for f in &mut out.list {
        f.field_id = id.to_string();
        id += 1;
    }
    out
}

fn incomplete() -> ApiError {
    ApiError::bad(
        "ENVELOPE_IS_INCOMPLETE",
        "The Envelope is not Complete. A Complete Envelope Requires Documents, Recipients, Tabs, and a Subject Line.",
    )
}

fn check_recipients_for_sending(recipients: &[Recipient]) -> Result<(), ApiError> {
    if recipients.is_empty() {
        return Err(incomplete());
    }
    for r in recipients {
        let no_signer_name = r.rtype == RecipientType::InPersonSigner
            && r.extra.in_person_signer_name.trim().is_empty();
        if r.name.trim().is_empty() || no_signer_name {
            return Err(ApiError::bad(
                "INVALID_USERNAME_FOR_RECIPIENT",
                format!(
                    "The user name for the recipient is invalid. The recipient Id follows. {}",
                    r.recipient_id
                ),
            ));
        }
        if !r.email.contains('@') {
            return Err(ApiError::bad(
                "INVALID_EMAIL_ADDRESS_FOR_RECIPIENT",
                format!(
                    "The email address for the recipient is invalid. The recipient Id follows. {}",
                    r.recipient_id
                ),
            ));
        }
    }
    Ok(())
}

/// Builds the recipients of an envelope from a template's roles and the request's templateRoles
/// (DocuSign's matching rules, see `docs/emulator.md`).
fn apply_roles(template: &Template, roles: Vec<RoleRequest>) -> Vec<Recipient> {
    let mut recipients: Vec<Recipient> = template
        .roles
        .iter()
        .map(|r| Recipient {
            guid: uuid::Uuid::new_v4().to_string(),
            tabs: r
                .tabs
                .iter()
                .map(|t| Tab {
                    tab_id: uuid::Uuid::new_v4().to_string(),
                    ..t.clone()
                })
                .collect(),
            ..r.clone()
        })
        .collect();
    let mut matched = vec![false; recipients.len()];
    let mut extras: Vec<Recipient> = Vec::new();
    let mut next_id = recipients
        .iter()
        .filter_map(|r| r.recipient_id.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    for req in roles {
        let idx = recipients.iter().enumerate().position(|(i, r)| {
            !matched[i]
                && r.role_name.is_some()
                && r.role_name == req.role_name
                && req.routing_order.is_none_or(|o| o == r.routing_order)
        });
        let role_fits = idx.is_some_and(|i| {
            let r = &recipients[i];
            r.is_placeholder()
                || (req.name.as_deref().is_none_or(|n| n == r.name)
                    && req
                        .email
                        .as_deref()
                        .is_none_or(|e| e.eq_ignore_ascii_case(&r.email)))
        });
        match idx {
            Some(i) if role_fits => {
                matched[i] = true;
                let r = &mut recipients[i];
                if r.is_placeholder() {
                    r.name = req.name.clone().unwrap_or_default();
                    r.email = req.email.clone().unwrap_or_default();
                }
                if req.client_user_id.is_some() {
                    r.client_user_id = req.client_user_id.clone();
                }
                if r.rtype == RecipientType::InPersonSigner {
                    if let Some(n) = &req.in_person_signer_name {
                        r.extra.in_person_signer_name = n.clone();
                    }
                }
                for (kind, label, value) in &req.tabs {
                    for t in r
                        .tabs
                        .iter_mut()
                        .filter(|t| t.kind == *kind && &t.label == label)
                    {
                        t.set_value(value);
                        t.original_value = t.value.clone();
                    }
                }
            }
            _ => {
                // No role of that exact name (or a fixed role with another person): DocuSign adds
                // the person as an extra signer without the template's tabs.
                extras.push(Recipient {
                    role_name: req.role_name.clone(),
                    name: req.name.clone().unwrap_or_default(),
                    email: req.email.clone().unwrap_or_default(),
                    client_user_id: req.client_user_id.clone(),
                    ..Recipient::created(
                        next_id.to_string(),
                        RecipientType::Signer,
                        req.routing_order.unwrap_or(1),
                    )
                });
                next_id += 1;
            }
        }
    }
    // Placeholder roles nobody filled are removed; fixed roles stay.
    let mut out: Vec<Recipient> = recipients
        .into_iter()
        .zip(matched)
        .filter(|(r, m)| *m || !r.is_placeholder())
        .map(|(r, _)| r)
        .collect();
    out.extend(extras);
    out
}

/// The spec's documented length limits (`envelopeDefinition.emailSubject`: 100 characters
/// "including any merged fields … It is an error if the text is longer"; `emailBlurb`: 10,000;
/// a recipient's `name` and `email`: 100 each). Characters, not bytes. The error code is the
/// emulator's choice (DocuSign documents none): `INVALID_REQUEST_PARAMETER` naming the field.
fn check_lengths(
    subject: Option<&str>,
    blurb: Option<&str>,
    roles: &[RoleRequest],
) -> Result<(), ApiError> {
    let too_long = |what: &str, len: usize, max: usize| {
        ApiError::invalid_parameter(format!(
            "The {what} is {len} characters long; the maximum is {max} characters."
        ))
    };
    if let Some(s) = subject {
        let mut expanded = s.to_string();
        for r in roles {
            if let Some(role) = &r.role_name {
                let name = r.name.as_deref().unwrap_or_default();
                let email = r.email.as_deref().unwrap_or_default();
                expanded = expanded
                    .replace(&format!("[[{role}_UserName]]"), name)
                    .replace(&format!("[[{role}_Email]]"), email);
            }
        }
        let len = expanded.chars().count();
        if len > 100 {
            return Err(too_long("emailSubject (merge fields included)", len, 100));
        }
    }
    if let Some(b) = blurb {
        let len = b.chars().count();
        if len > 10_000 {
            return Err(too_long("emailBlurb", len, 10_000));
        }
    }
    for r in roles {
        for (what, v) in [("recipient name", &r.name), ("recipient email", &r.email)] {
            let len = v.as_deref().map_or(0, |v| v.chars().count());
            if len > 100 {
                return Err(too_long(what, len, 100));
            }
        }
    }
    Ok(())
}

/// `POST /envelopes` (from a server template) → 201 `envelopeSummary`.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    respond((|| {
        let m = json_body(&body)?;
        let status = match str_field(&m, "status")? {
            None => EnvStatus::Created,
            Some(s) => match s.trim().to_ascii_lowercase().as_str() {
                "created" => EnvStatus::Created,
                "sent" => EnvStatus::Sent,
                _ => {
                    return Err(ApiError::invalid_parameter(format!(
                        "Invalid envelope status '{s}': an envelope can be created only with status 'created' or 'sent'."
                    )))
                }
            },
        };
        let Some(template_id) = str_field(&m, "templateId")? else {
            return Err(ApiError::invalid_parameter(
                "The emulator creates envelopes only from a server template: give templateId and templateRoles.",
            ));
        };
        let roles: Vec<RoleRequest> = match m.get("templateRoles") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.iter().map(parse_role).collect::<Result<_, _>>()?,
            Some(_) => return Err(ApiError::invalid_body()),
        };
        let api_fields = parse_custom_fields(m.get("customFields"))?;
        let subject = str_field(&m, "emailSubject")?;
        let blurb = str_field(&m, "emailBlurb")?;
        let transaction_id = str_field(&m, "transactionId")?;
        check_lengths(subject.as_deref(), blurb.as_deref(), &roles)?;
        let now = time::now(&state.clock);
        with_account(&state, &caller, |acc| {
            let t = acc
                .template(&template_id)
                .ok_or_else(|| ApiError::no_template(&template_id))?;
            let recipients = apply_roles(t, roles);
            if status == EnvStatus::Sent {
                check_recipients_for_sending(&recipients)?;
            }
            let mut env = Envelope {
                blurb: blurb.or_else(|| t.blurb.clone()),
                template_id: Some(t.id.clone()),
                template_name: Some(t.name.clone()),
                transaction_id,
                recipients,
                documents: t
                    .documents
                    .iter()
                    .map(|d| Document {
                        guid: uuid::Uuid::new_v4().to_string(),
                        ..d.clone()
                    })
                    .collect(),
                custom_fields: merge_custom_fields(&t.custom_fields, api_fields),
                ..Envelope::created(
                    uuid::Uuid::new_v4().to_string(),
                    subject
                        .filter(|s| !s.trim().is_empty())
                        .unwrap_or_else(|| t.subject.clone()),
                    Person {
                        user_id: caller.user_id.clone(),
                        name: caller.name.clone(),
                        email: caller.email.clone(),
                    },
                    now,
                )
            };
            let tid = t.id.clone();
            if status == EnvStatus::Sent {
                env.send(now);
            }
            if let Some(t) = acc.templates.iter_mut().find(|x| x.id == tid) {
                t.last_used = Some(now);
            }
            let summary = json!({
                "envelopeId": env.id,
                "status": env.status.as_str(),
                "statusDateTime": time::format(env.status_changed),
                "uri": format!("/envelopes/{}", env.id),
            });
            acc.insert_envelope(env);
            Ok(ds_json(StatusCode::CREATED, &summary))
        })
    })())
}

/// `PUT /envelopes/{envelopeId}`: void (`{"status":"voided","voidedReason":…}`) or send a draft
/// (`{"status":"sent"}`) → `envelopeUpdateSummary`.
pub(crate) async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
    body: Bytes,
) -> Response {
    respond((|| {
        let m = json_body(&body)?;
        let status = str_field(&m, "status")?;
        let reason = str_field(&m, "voidedReason")?;
        let id = param(&params, "envelopeId");
        let now = time::now(&state.clock);
        with_account(&state, &caller, |acc| {
            let e = acc.envelope_mut(id).ok_or_else(ApiError::no_envelope)?;
            match status.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
                None => {}
                Some(s) if s == "voided" => {
                    if !e.status.in_flight() {
                        return Err(ApiError::bad(
                            "ENVELOPE_CANNOT_VOID_INVALID_STATE",
                            "Only envelopes in the 'Sent' or 'Delivered' states may be voided.",
                        ));
                    }
                    let Some(reason) = reason.filter(|r| !r.trim().is_empty()) else {
                        return Err(ApiError::invalid_parameter(
                            "A voidedReason is required to void an envelope.",
                        ));
                    };
                    e.void(&reason, now);
                }
                Some(s) if s == "sent" => {
                    if e.status == EnvStatus::Created {
                        check_recipients_for_sending(&e.recipients)?;
                        e.send(now);
                    } else if !e.status.in_flight() {
                        return Err(ApiError::invalid_parameter(format!(
                            "The envelope is {} and cannot be sent.",
                            e.status.as_str()
                        )));
                    }
                }
                Some(s) => {
                    return Err(ApiError::invalid_parameter(format!(
                        "Envelope status '{s}' cannot be set with this call (use 'voided', or 'sent' for a draft)."
                    )))
                }
            }
            Ok(ds_json(StatusCode::OK, &json!({"envelopeId": e.id})))
        })
    })())
}
