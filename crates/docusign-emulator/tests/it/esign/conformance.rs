//! OpenAPI conformance: real emulator responses checked against the response schema of their
//! operation in DocuSign's eSignature spec (Swagger 2.0). The validator fails on any property the
//! schema does not declare (a misspelt field name) and on type mismatches.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use super::*;

/// The part of DocuSign's spec the Studio uses, kept in the repository (see `openapi/ORIGIN.md`).
const SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/openapi/esignature.rest.swagger-v2.1.subset.json"
);

/// Properties newer than the 2022 spec copy, present in SDK 6.1.0's models (facts section 4).
const NEWER_THAN_SPEC: [(&str, &str); 2] = [
    ("envelopesInformation", "nextUri"),
    ("envelopesInformation", "previousUri"),
];

struct Validator<'a> {
    spec: &'a Value,
    errors: Vec<String>,
    checked: usize,
}

impl Validator<'_> {
    fn check(&mut self, schema: &Value, value: &Value, path: &str, def: Option<&str>) {
        self.checked += 1;
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/definitions/");
            let target = &self.spec["definitions"][name];
            if target.is_null() {
                self.errors.push(format!("{path}: unresolved $ref {r}"));
                return;
            }
            self.check(target, value, path, Some(name));
            return;
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let has_props = schema.get("properties").is_some();
        match ty {
            Some("object") | None if has_props || ty == Some("object") => {
                let Some(obj) = value.as_object() else {
                    self.errors
                        .push(format!("{path}: expected an object, got {}", kind(value)));
                    return;
                };
                for (k, v) in obj {
                    let at = format!("{path}.{k}");
                    if let Some(p) = schema.get("properties").and_then(|p| p.get(k)) {
                        self.check(p, v, &at, None);
                    } else if let Some(add) =
                        schema.get("additionalProperties").filter(|a| a.is_object())
                    {
                        self.check(add, v, &at, None);
                    } else if def.is_some_and(|d| NEWER_THAN_SPEC.contains(&(d, k.as_str()))) {
                        if !v.is_string() {
                            self.errors.push(format!("{at}: expected a string"));
                        }
                    } else {
                        self.errors.push(format!(
                            "{at}: property not declared by {}",
                            def.unwrap_or("the schema")
                        ));
                    }
                }
            }
            Some("array") => {
                let Some(items) = value.as_array() else {
                    self.errors
                        .push(format!("{path}: expected an array, got {}", kind(value)));
                    return;
                };
                for (i, item) in items.iter().enumerate() {
                    self.check(&schema["items"], item, &format!("{path}[{i}]"), None);
                }
            }
            Some("string") if !value.is_string() => {
                self.errors
                    .push(format!("{path}: expected a string, got {}", kind(value)));
            }
            Some("boolean") if !value.is_boolean() => {
                self.errors
                    .push(format!("{path}: expected a boolean, got {}", kind(value)));
            }
            Some("integer") | Some("number") if !value.is_number() => {
                self.errors
                    .push(format!("{path}: expected a number, got {}", kind(value)));
            }
            _ => {}
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The spec; a missing or unreadable file fails the test (never a silent skip).
fn load_spec() -> Value {
    let bytes = std::fs::read(SPEC)
        .unwrap_or_else(|e| panic!("the OpenAPI spec subset is missing at {SPEC}: {e}"));
    serde_json::from_slice(&bytes).expect("the OpenAPI spec subset is not JSON")
}

/// The response schema of `method path` for `status` (falls back to the 2xx one).
fn response_schema<'a>(spec: &'a Value, path: &str, method: &str, status: u16) -> &'a Value {
    let op = &spec["paths"][path][method];
    assert!(op.is_object(), "no operation {method} {path} in the spec");
    let responses = &op["responses"];
    let schema = &responses[status.to_string()]["schema"];
    assert!(schema.is_object(), "no {status} schema for {method} {path}");
    schema
}

#[test]
fn validator_catches_mistakes() {
    let spec = load_spec();
    let schema = json!({"$ref": "#/definitions/envelopeSummary"});
    let mut v = Validator {
        spec: &spec,
        errors: Vec::new(),
        checked: 0,
    };
    v.check(
        &schema,
        &json!({"envelopeID": "x", "status": "sent"}),
        "$",
        None,
    );
    assert_eq!(v.errors.len(), 1, "{:?}", v.errors);
    v.errors.clear();
    v.check(&schema, &json!({"envelopeId": 5}), "$", None);
    assert_eq!(v.errors.len(), 1, "{:?}", v.errors);
    v.errors.clear();
    let tabs = json!({"$ref": "#/definitions/tabs"});
    v.check(&tabs, &json!({"textTabs": {"tabLabel": "x"}}), "$", None);
    assert_eq!(v.errors.len(), 1, "{:?}", v.errors);
    v.errors.clear();
    v.check(
        &tabs,
        &json!({"signHereTabs": [{"tabLabel": "x", "value": "v"}]}),
        "$",
        None,
    );
    assert_eq!(v.errors.len(), 1, "signHere has no value: {:?}", v.errors);
}

#[tokio::test]
async fn responses_match_the_openapi_spec() {
    let spec = load_spec();
    let ds = default_world().await;
    ds.relax_limits().await;
    // a sent envelope with every tab filled and a large document, one completed, one voided
    let created = ds
        .post(
            "/envelopes",
            nda_body(
                "Signer 1",
                "sent",
                json!({"textTabs": [{"tabLabel": "CustomerAddress", "value": "x"}]}),
            ),
        )
        .await;
    let new_id = created.json["envelopeId"].as_str().unwrap().to_owned();
    let voided = ds
        .put(
            &format!("/envelopes/{}", env_id(2)),
            json!({"status": "voided", "voidedReason": "conformance"}),
        )
        .await;
    ds.admin_ok(
        &format!("/accounts/{}/envelopes/{}/documents", ds.account, env_id(6)),
        json!({"size_bytes": 200000}),
    )
    .await;

    // F43: a bounced recipient (autoRespondedReason) in the recipient listings
    let (status, v) = ds
        .recipient_action(env_id(5), "1", "bounce", json!({"reason": "bounced"}))
        .await;
    assert_eq!(status, 200, "{v}");

    const E: &str = "/v2.1/accounts/{accountId}/envelopes";
    const EID: &str = "/v2.1/accounts/{accountId}/envelopes/{envelopeId}";
    const T: &str = "/v2.1/accounts/{accountId}/templates";
    const TID: &str = "/v2.1/accounts/{accountId}/templates/{templateId}";
    let mut cases: Vec<(String, &str, &str, Resp)> = Vec::new();
    cases.push(("create".into(), E, "post", created));
    cases.push(("void".into(), EID, "put", voided));
    let all = "include=recipients,custom_fields,documents,folders";
    for (name, path, spec_path) in [
        (
            "list",
            format!("/envelopes?from_date=2000-01-01&status=any,created&{all}&count=4"),
            E,
        ),
        (
            "list by ids",
            format!("/envelopes?envelope_ids={}", env_id(0)),
            E,
        ),
        (
            "list empty",
            "/envelopes?from_date=2999-01-01".to_owned(),
            E,
        ),
        (
            "templates list",
            "/templates?include=recipients,documents,custom_fields,folders&count=1".to_owned(),
            T,
        ),
        (
            "template",
            format!("/templates/{DEFAULT_NDA_TEMPLATE_ID}?include=tabs,folders"),
            TID,
        ),
        (
            "template 2",
            format!("/templates/{DEFAULT_OFFER_TEMPLATE_ID}?include=tabs"),
            TID,
        ),
        (
            "template roles",
            format!("/templates/{DEFAULT_OFFER_TEMPLATE_ID}/recipients?include_tabs=true"),
            "/v2.1/accounts/{accountId}/templates/{templateId}/recipients",
        ),
    ] {
        cases.push((name.to_owned(), spec_path, "get", ds.get(&path).await));
    }
    for i in 0..9 {
        let id = env_id(i);
        cases.push((
            format!("envelope {i}"),
            EID,
            "get",
            ds.get(&format!(
                "/envelopes/{id}?include=recipients,tabs,custom_fields,documents,folders"
            ))
            .await,
        ));
        cases.push((
            format!("recipients {i}"),
            "/v2.1/accounts/{accountId}/envelopes/{envelopeId}/recipients",
            "get",
            ds.get(&format!("/envelopes/{id}/recipients?include_tabs=true"))
                .await,
        ));
        cases.push((
            format!("tabs {i}"),
            "/v2.1/accounts/{accountId}/envelopes/{envelopeId}/recipients/{recipientId}/tabs",
            "get",
            ds.get(&format!("/envelopes/{id}/recipients/1/tabs")).await,
        ));
        cases.push((
            format!("custom fields {i}"),
            "/v2.1/accounts/{accountId}/envelopes/{envelopeId}/custom_fields",
            "get",
            ds.get(&format!("/envelopes/{id}/custom_fields")).await,
        ));
        cases.push((
            format!("envelope templates {i}"),
            "/v2.1/accounts/{accountId}/envelopes/{envelopeId}/templates",
            "get",
            ds.get(&format!("/envelopes/{id}/templates")).await,
        ));
        cases.push((
            format!("form data {i}"),
            "/v2.1/accounts/{accountId}/envelopes/{envelopeId}/form_data",
            "get",
            ds.get(&format!("/envelopes/{id}/form_data")).await,
        ));
        cases.push((
            format!("documents {i}"),
            "/v2.1/accounts/{accountId}/envelopes/{envelopeId}/documents",
            "get",
            ds.get(&format!("/envelopes/{id}/documents")).await,
        ));
    }
    cases.push((
        "new envelope".into(),
        EID,
        "get",
        ds.get(&format!("/envelopes/{new_id}?include=recipients,tabs"))
            .await,
    ));
    // errors, against errorDetails
    cases.push(("F30".into(), E, "get", ds.get("/envelopes").await));
    cases.push((
        "no envelope".into(),
        EID,
        "get",
        ds.get("/envelopes/7f1a1c8e-0000-4000-8000-000000000000")
            .await,
    ));
    cases.push((
        "bad template".into(),
        E,
        "post",
        ds.post("/envelopes", json!({"templateId": "x", "status": "sent"}))
            .await,
    ));
    cases.push((
        "void draft".into(),
        EID,
        "put",
        ds.put(
            &format!("/envelopes/{}", env_id(0)),
            json!({"status": "voided", "voidedReason": "x"}),
        )
        .await,
    ));
    cases.push((
        "no document".into(),
        "/v2.1/accounts/{accountId}/envelopes/{envelopeId}/documents/{documentId}",
        "get",
        ds.get(&format!("/envelopes/{}/documents/9", env_id(3)))
            .await,
    ));
    cases.push((
        "no template".into(),
        TID,
        "get",
        ds.get("/templates/nope").await,
    ));
    cases.push((
        "account".into(),
        "/v2.1/accounts/{accountId}",
        "get",
        ds.get("").await,
    ));
    let unauth = ds.send(ds.t.client.get(ds.rest("/templates"))).await;
    cases.push(("401".into(), T, "get", unauth));

    let mut v = Validator {
        spec: &spec,
        errors: Vec::new(),
        checked: 0,
    };
    let mut successes = 0;
    for (name, path, method, resp) in &cases {
        let status = if resp.status == 401 { 400 } else { resp.status };
        assert!(
            resp.json.is_object(),
            "{name}: not JSON ({}): {}",
            resp.status,
            resp.text
        );
        if (200..300).contains(&resp.status) {
            successes += 1;
        }
        let schema = response_schema(&spec, path, method, status);
        v.check(schema, &resp.json, name, None);
    }
    assert!(successes >= 60, "{successes} successful responses checked");
    assert!(v.checked > 5000, "only {} nodes checked", v.checked);
    assert!(
        v.errors.is_empty(),
        "{} problems:\n{}",
        v.errors.len(),
        v.errors.join("\n")
    );
}
