//! TypeScript declarations for DocuSign's own JSON (feature `ts`): DocuSign's objects
//! (envelopes, templates, tabs, request bodies) cross to the UI exactly as DocuSign sends
//! them, so their TypeScript type is "a JSON object", never `any`.

use std::collections::HashMap;

/// Any JSON value (TypeScript `JsonValue`). Declaration only: never built.
#[derive(ts_rs::TS)]
#[ts(rename = "JsonValue", untagged)]
pub enum JsonValue {
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// `true` or `false`.
    Boolean(bool),
    /// An array.
    Array(Vec<JsonValue>),
    /// An object.
    Object(HashMap<String, JsonValue>),
    /// `null`.
    Null(()),
}

/// One of DocuSign's JSON objects, with DocuSign's field names (camelCase) and values
/// exactly as DocuSign sent them (TypeScript `DocuSignObject`). Declaration only.
#[derive(ts_rs::TS)]
pub struct DocuSignObject(pub HashMap<String, JsonValue>);
