//! docs/emulator.md stays honest: its example world file loads.
#![allow(clippy::unwrap_used)]

use docusign_emulator::{Emulator, EmulatorConfig};

use crate::common::*;

#[tokio::test]
async fn example_world_in_docs_loads() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/emulator.md"
    ))
    .unwrap();
    let after = doc
        .split("<!-- world-example")
        .nth(1)
        .expect("marker in docs/emulator.md");
    let start = after.find("```json\n").unwrap() + "```json\n".len();
    let json = &after[start..start + after[start..].find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("world.json"), json).unwrap();
    std::fs::write(
        dir.path().join("my-app.pub.pem"),
        spki_pem(&keys().registered),
    )
    .unwrap();
    let mut config = EmulatorConfig::new(dir.path().join("data"));
    config.world = Some(dir.path().join("world.json"));
    let emu = Emulator::start(config).await.unwrap();
    let world = emu.world_json();
    assert_eq!(world["users"][1]["accounts"], serde_json::json!([]));
    assert_eq!(
        world["users"][0]["accounts"][0]["base_uri"],
        serde_json::json!(emu.url())
    );
    let esign = &world["esignature"]["9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01"];
    assert_eq!(esign["templates"][0]["name"], "Mutual NDA");
    assert_eq!(esign["templates"][0]["roles"][1]["fixed"], true);
    assert_eq!(esign["envelope_count"], 2);
    assert_eq!(esign["envelopes"][1]["status"], "completed");
    emu.shutdown().await;
}
