//! Template endpoints: list (`envelopeTemplateResults`), get (`envelopeTemplate`), roles
//! (`recipients`).

use axum::extract::{Extension, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::render::{self, TemplateInclude};
use super::{
    ds_json, param, with_account, ApiError, Caller, Params, Query, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
use crate::state::AppState;

fn respond(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /templates`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let q = Query::parse(raw.as_deref())?;
        let count = q
            .number("count")?
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .min(MAX_PAGE_SIZE);
        let start = q.number("start_position")?.unwrap_or(0);
        let search = q
            .get("search_text")
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        let descending = match q.get("order").map(|s| s.trim().to_ascii_lowercase()) {
            None => false,
            Some(s) if s.is_empty() || s == "asc" => false,
            Some(s) if s == "desc" => true,
            Some(s) => {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid value '{s}' for order (asc or desc)."
                )))
            }
        };
        let order_by = q
            .get("order_by")
            .map(|s| s.trim().to_ascii_lowercase())
            .unwrap_or_else(|| "name".to_owned());
        if !matches!(order_by.as_str(), "name" | "modified" | "used" | "") {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid value '{order_by}' for order_by (name, modified or used)."
            )));
        }
        let mut inc = TemplateInclude::default();
        for item in q.get("include").unwrap_or("").split(',') {
            match item.trim().to_ascii_lowercase().as_str() {
                "recipients" => inc.recipients = true,
                "documents" => inc.documents = true,
                "custom_fields" => inc.custom_fields = true,
                "folders" => inc.folders = true,
                _ => {}
            }
        }
        let folder_ids: Option<Vec<String>> = q
            .get("folder_ids")
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|l| !l.is_empty());
        with_account(&state, &caller, |acc| {
            let templates_folder = acc
                .system_folder(super::model::FolderType::Templates)
                .map(|f| f.id.clone())
                .unwrap_or_default();
            let mut hits: Vec<&super::model::Template> = acc
                .templates
                .iter()
                .filter(|t| match &search {
                    Some(s) => {
                        t.name.to_lowercase().contains(s)
                            || t.description.to_lowercase().contains(s)
                            || t.subject.to_lowercase().contains(s)
                    }
                    None => true,
                })
                .filter(|_| match &folder_ids {
                    Some(ids) => ids
                        .iter()
                        .any(|f| f.eq_ignore_ascii_case(&templates_folder)),
                    None => true,
                })
                .collect();
            match order_by.as_str() {
                "modified" => hits.sort_by_key(|t| (t.last_modified, t.id.clone())),
                "used" => hits.sort_by_key(|t| (t.last_used.unwrap_or(i64::MIN), t.id.clone())),
                _ => hits.sort_by_key(|t| (t.name.to_lowercase(), t.id.clone())),
            }
            if descending {
                hits.reverse();
            }
            let total = hits.len();
            let page: Vec<Value> = hits
                .iter()
                .skip(start)
                .take(count)
                .map(|t| render::template(acc, t, inc))
                .collect();
            let size = page.len();
            let (end, next_uri, previous_uri) =
                q.page_links("/templates", start, size, count, total);
            let mut body = json!({
                "envelopeTemplates": page,
                "resultSetSize": size.to_string(),
                "totalSetSize": total.to_string(),
                "startPosition": start.to_string(),
                "endPosition": end.to_string(),
                "nextUri": next_uri,
                "previousUri": previous_uri,
            });
            if inc.folders {
                if let (Some(f), Some(obj)) = (
                    acc.system_folder(super::model::FolderType::Templates),
                    body.as_object_mut(),
                ) {
                    obj.insert("folders".into(), render::folders(&[f]));
                }
            }
            Ok(ds_json(StatusCode::OK, &body))
        })
    })())
}

/// `GET /templates/{templateId}` (recipients and documents always; tabs with `include=tabs`).
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let q = Query::parse(raw.as_deref())?;
        let mut inc = TemplateInclude {
            recipients: true,
            tabs: false,
            documents: true,
            custom_fields: true,
            folders: false,
        };
        for item in q.get("include").unwrap_or("").split(',') {
            match item.trim().to_ascii_lowercase().as_str() {
                "tabs" => inc.tabs = true,
                "folders" => inc.folders = true,
                _ => {}
            }
        }
        let id = param(&params, "templateId");
        with_account(&state, &caller, |acc| {
            let t = acc.template(id).ok_or_else(|| ApiError::no_template(id))?;
            Ok(ds_json(StatusCode::OK, &render::template(acc, t, inc)))
        })
    })())
}

/// `GET /templates/{templateId}/recipients` (`include_tabs=true` adds each role's tabs).
pub(crate) async fn recipients(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Params,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let q = Query::parse(raw.as_deref())?;
        let with_tabs = q.flag("include_tabs")?.unwrap_or(false);
        let id = param(&params, "templateId");
        with_account(&state, &caller, |acc| {
            let t = acc.template(id).ok_or_else(|| ApiError::no_template(id))?;
            Ok(ds_json(
                StatusCode::OK,
                &render::recipients(&t.roles, with_tabs, 1, true),
            ))
        })
    })())
}
