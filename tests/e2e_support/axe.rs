//! Accessibility checks in the real window: axe-core (the npm package `axe-core`, installed
//! with the UI's dev dependencies) is injected into the app's webview through WebDriver's
//! execute-script and run on the screen as it is; serious and critical violations are failures.
//!
//! The app's CSP does not apply: the driver runs the script, the page does not load it.

use super::webdriver::Session;
use serde_json::Value;
use std::path::Path;

/// The impacts that fail a test (axe's scale: minor, moderate, serious, critical).
pub const FAILING: &[&str] = &["serious", "critical"];

fn axe_source() -> Result<String, String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&p).map_err(|e| {
        format!(
            "axe-core is not installed ({}: {e}); run `npm --prefix ui ci`",
            p.display()
        )
    })
}

/// Runs axe-core on the current screen. Returns one line per serious or critical violation
/// (rule, impact, what it means, and where), empty when there is none.
pub async fn violations(session: &Session) -> Result<Vec<String>, String> {
    let loaded = session
        .exec("return typeof window.axe === 'object';", vec![])
        .await?;
    if loaded != Value::Bool(true) {
        let src = axe_source()?;
        session
            .exec(&format!("{src}\n;return typeof window.axe;"), vec![])
            .await?;
    }
    let script = r#"
        const done = arguments[arguments.length - 1];
        window.axe.run(document, { resultTypes: ['violations'] })
          .then((r) => done(JSON.stringify(r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 4).map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160), summary: (n.failureSummary || '').slice(0, 300) })),
          })))))
          .catch((e) => done(JSON.stringify({ error: String(e) })));
    "#;
    let v = session.exec_async(script, vec![]).await?;
    let parsed: Value = serde_json::from_str(v.as_str().unwrap_or("[]"))
        .map_err(|e| format!("axe answered something else: {e}: {v}"))?;
    if let Some(e) = parsed.get("error") {
        return Err(format!("axe-core failed: {e}"));
    }
    Ok(parsed
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| FAILING.contains(&v["impact"].as_str().unwrap_or_default()))
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| {
                    format!(
                        "{} {} ({})",
                        n["target"].as_str().unwrap_or_default(),
                        n["html"].as_str().unwrap_or_default(),
                        n["summary"].as_str().unwrap_or_default().replace('\n', " ")
                    )
                })
                .collect();
            format!(
                "{} [{}]: {} at {}",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                nodes.join(" | ")
            )
        })
        .collect())
}
