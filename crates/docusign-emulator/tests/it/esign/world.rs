//! The world file's `esignature` part: validation errors name the path; the effective world
//! exposes template and envelope ids.
#![allow(clippy::unwrap_used)]

use docusign_emulator::{Emulator, EmulatorConfig, EmulatorError};
use serde_json::{json, Value};

use super::*;

async fn start_err(esign: Value) -> String {
    let mut w = world(true);
    w["esignature"] = esign;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&w).unwrap()).unwrap();
    let mut config = EmulatorConfig::new(dir.path().join("data"));
    config.world = Some(path);
    match Emulator::start(config).await {
        Ok(_) => panic!("the world should be refused"),
        Err(e @ (EmulatorError::WorldInvalid { .. } | EmulatorError::WorldSyntax { .. })) => {
            e.to_string()
        }
        Err(other) => panic!("unexpected error {other}"),
    }
}

#[tokio::test]
async fn bad_esignature_data_is_named() {
    let e = start_err(json!({ACCOUNT: {"templates": [{
        "template_id": TEMPLATE, "name": "T", "documents": [{"document_id": "1", "name": "a.pdf"}],
        "roles": [{"role_name": "R", "tabs": [{"type": "textbox", "tab_label": "x"}]}]
    }]}}))
    .await;
    assert!(
        e.contains(&format!(
            "esignature.{ACCOUNT}.templates[0].roles[0].tabs[0].type"
        )),
        "{e}"
    );
    assert!(e.contains("textbox"), "{e}");

    let e = start_err(json!({ACCOUNT: {"envelopes": [
        {"envelope_id": "4b9d0c6e-0000-4000-8000-0000000000e1", "status": "sent",
         "template_id": "4b9d0c6e-0000-4000-8000-0000000000ff"}
    ]}}))
    .await;
    assert!(e.contains("envelopes[0].template_id"), "{e}");

    let e = start_err(json!({ACCOUNT: {"envelopes": [
        {"envelope_id": "4b9d0c6e-0000-4000-8000-0000000000e1", "status": "sent", "created": "last tuesday"}
    ]}}))
    .await;
    assert!(e.contains("envelopes[0].created"), "{e}");

    let e = start_err(json!({ACCOUNT: {"limits": {"exceeded_status": 500}}})).await;
    assert!(e.contains("limits.exceeded_status"), "{e}");

    let e = start_err(json!({"00000000-0000-4000-8000-000000000000": {}})).await;
    assert!(e.contains("not an account"), "{e}");

    let e = start_err(
        json!({ACCOUNT: {"templates": [{"template_id": TEMPLATE, "name": "T",
        "documents": [], "roles": [], "emial_subject": "x"}]}}),
    )
    .await;
    assert!(e.contains("emial_subject"), "{e}");

    let e = start_err(json!({ACCOUNT: {"templates": [{
        "template_id": TEMPLATE, "name": "T", "documents": [{"document_id": "1", "name": "a.pdf"}],
        "roles": [{"role_name": "R", "name": "Only Name"}]
    }]}}))
    .await;
    assert!(e.contains("roles[0]"), "{e}");
}

#[tokio::test]
async fn world_json_exposes_ids_and_limits_apply() {
    let ds = world_with(json!({
        "limits": {"hourly": 50, "burst": 7},
        "templates": [small_template(TEMPLATE)],
        "envelopes": [{"envelope_id": "4b9d0c6e-0000-4000-8000-0000000000e1", "status": "completed",
                       "template_id": TEMPLATE, "created": "-2d", "completed": "-1d"}]
    }))
    .await;
    let w = ds.t.get_json("/__emulator/world").await;
    let acc = &w["esignature"][ACCOUNT];
    assert_eq!(acc["templates"][0]["template_id"], TEMPLATE);
    assert_eq!(acc["templates"][0]["roles"][0]["fixed"], false);
    assert_eq!(acc["envelope_count"], 1);
    assert_eq!(acc["envelopes"][0]["status"], "completed");
    let r = ds.get("/templates").await;
    assert_eq!(r.header("x-ratelimit-limit"), "50");
    assert_eq!(r.header("x-burstlimit-limit"), "7");
    let s = signers(&ds, "4b9d0c6e-0000-4000-8000-0000000000e1").await;
    assert_eq!(s[0]["status"], "completed");
    assert_eq!(s[0]["name"], "Signer 1 Person");

    // the default world: fixed template ids, nine envelopes
    let d = default_world().await;
    let w = d.t.get_json("/__emulator/world").await;
    let acc = &w["esignature"][d.account.as_str()];
    let names: Vec<&str> = acc["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Mutual NDA", "Offer Letter"]);
    assert_eq!(acc["templates"][0]["template_id"], DEFAULT_NDA_TEMPLATE_ID);
    assert_eq!(acc["envelope_count"], 9);
}
