//! `GET /accounts/{accountId}` (account information; resolves a short account number to its GUID,
//! F40) and `GET /envelopes/{envelopeId}/form_data` (spec `FormData_GetFormData`).

use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::model::*;
use super::{ds_json, param, time, with_account, ApiError, Caller, Params};
use crate::state::AppState;

/// `GET /restapi/v2.1/accounts/{accountId}` → `accountInformation`: `accountIdGuid`,
/// `accountName`, `externalAccountId` (the short account number). The path may name the account
/// by its GUID or its number.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Response {
    let name = state
        .world
        .user(&caller.user_id)
        .and_then(|u| {
            u.accounts
                .iter()
                .find(|a| a.account_id == caller.account_id)
        })
        .map(|a| a.account_name.clone())
        .unwrap_or_default();
    let result = with_account(&state, &caller, |acc| {
        Ok(ds_json(
            StatusCode::OK,
            &json!({
                "accountIdGuid": acc.account_id,
                "accountName": name,
                "externalAccountId": acc.number.clone().unwrap_or_default(),
                "currencyCode": "USD",
                "planName": "DEVELOPER",
                "status21CFRPart11": "not_enabled",
            }),
        ))
    });
    result.unwrap_or_else(IntoResponse::into_response)
}

/// One `formDataItem` for a tab with a value (sign-here and initial-here tabs have none).
fn item(t: &Tab) -> Option<Value> {
    if !t.kind.has_value() {
        return None;
    }
    let mut m = Map::new();
    m.insert("name".into(), Value::String(t.label.clone()));
    let value = match t.kind {
        TabKind::Checkbox => if t.selected { "X" } else { "" }.to_owned(),
        _ => t.value.clone(),
    };
    m.insert("value".into(), Value::String(value));
    m.insert(
        "originalValue".into(),
        Value::String(t.original_value.clone()),
    );
    match t.kind {
        TabKind::List => {
            let selected = t
                .list_items
                .iter()
                .find(|i| i.selected)
                .map(|i| i.value.clone())
                .unwrap_or_default();
            m.insert("listSelectedValue".into(), Value::String(selected));
        }
        TabKind::Number => {
            m.insert("numericalValue".into(), Value::String(t.value.clone()));
        }
        _ => {}
    }
    Some(Value::Object(m))
}

/// `GET /envelopes/{envelopeId}/form_data` → `envelopeFormData`: `envelopeId`, `emailSubject`,
/// `status`, `sentDateTime`, `formData` (every tab with a value, by `tabLabel`) and
/// `recipientFormData` (per recipient: `recipientId`, `name`, `email`, `formData`, `SentTime`,
/// `DeliveredTime`, `SignedTime`, `DeclinedTime`). Values are the tabs' text, verbatim.
pub(crate) async fn form_data(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
) -> Response {
    let id = param(&params, "envelopeId").to_owned();
    let result = with_account(&state, &caller, |acc| {
        let e = acc.envelope(&id).ok_or_else(ApiError::no_envelope)?;
        let all: Vec<Value> = e
            .recipients
            .iter()
            .flat_map(|r| r.tabs.iter().filter_map(item))
            .collect();
        let per_recipient: Vec<Value> = e
            .recipients
            .iter()
            .filter(|r| r.signs())
            .map(|r| {
                let mut m = Map::new();
                m.insert("recipientId".into(), Value::String(r.recipient_id.clone()));
                m.insert("name".into(), Value::String(r.name.clone()));
                m.insert("email".into(), Value::String(r.email.clone()));
                m.insert(
                    "formData".into(),
                    Value::Array(r.tabs.iter().filter_map(item).collect()),
                );
                for (key, at) in [
                    ("SentTime", r.sent),
                    ("DeliveredTime", r.delivered),
                    ("SignedTime", r.signed),
                    ("DeclinedTime", r.declined),
                ] {
                    if let Some(t) = at {
                        m.insert(key.into(), Value::String(time::format(t)));
                    }
                }
                Value::Object(m)
            })
            .collect();
        let mut body = json!({
            "envelopeId": e.id,
            "emailSubject": e.subject,
            "status": e.status.as_str(),
            "formData": all,
            "recipientFormData": per_recipient,
        });
        if let (Some(sent), Some(obj)) = (e.sent, body.as_object_mut()) {
            obj.insert("sentDateTime".into(), Value::String(time::format(sent)));
        }
        Ok(ds_json(StatusCode::OK, &body))
    });
    result.unwrap_or_else(IntoResponse::into_response)
}
