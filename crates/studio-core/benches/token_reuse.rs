//! Token reuse, in process (bench/run.sh runs it; see docs/benchmarks.md).
//!
//! One `EsignClient` makes N eSignature actions (default 1,000: `list_templates` and
//! `get_envelope` in turn) against the embedded emulator, which advances its clock 2.9 s after
//! each action, so 1,000 actions span 48 min 20 s of emulator time: less than the 50 minutes a
//! token is used (it is re-minted 10 minutes before its hour ends, judged by DocuSign's clock,
//! i.e. the emulator's, which the client reads from every answer's `Date` header). The `/oauth/token` requests are counted in the emulator's request log; the goal is 1.
//! The emulator's limits (3,000 calls per hour, 100 GETs of one envelope per hour, 20 per burst
//! window) are raised first with `POST /__emulator/limits`, so no limit is hit.
//!
//! Then criterion times one `list_templates` call with the token reused (one client) against
//! one with a token minted first (a new client per call: JWT signed, `/oauth/token`, the call).
//!
//! - `cargo bench -p studio-core --bench token_reuse`: counts (JSON to `$BENCH_TOKEN_REUSE_OUT`
//!   when set), then the criterion timings. `BENCH_SHORT=1`: few samples.
//! - Run by `cargo test --all-targets` (no `--bench` argument): 20 actions, no timings.
//!
//! Exits non-zero when the token count is not 1 or an action fails.

use criterion::Criterion;
use docusign_api::environment::{AuthServer, BaseUri};
use docusign_api::esign::{ClientParts, EsignClient};
use docusign_api::{key, oauth, observe::NoObserver};
use std::sync::Arc;
use std::time::{Duration, Instant};
use studio_core::sandbox::{Emulator, EmulatorConfig};

/// Emulator milliseconds between two actions: 1,000 actions × 2.9 s = 48 min 20 s.
const STEP_MILLIS: i64 = 2900;

struct Setup {
    emu: Emulator,
    conn: ClientParts,
    envelope_ids: Vec<String>,
    _dir: tempfile::TempDir,
}

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("token_reuse: FAILED: {msg}");
    std::process::exit(1);
}

async fn start() -> Setup {
    let dir = tempfile::Builder::new()
        .prefix("dsjwt-bench-")
        .tempdir()
        .unwrap_or_else(|e| fail(e));
    let mut config = EmulatorConfig::new(dir.path());
    config.grant_consent = true;
    let emu = Emulator::start(config).await.unwrap_or_else(|e| fail(e));
    let creds = emu
        .default_credentials()
        .unwrap_or_else(|| fail("no default credentials"))
        .clone();
    let ca = std::fs::read(emu.ca_cert_path()).unwrap_or_else(|e| fail(e));
    let http = oauth::http_client(Some(&ca), Duration::from_secs(30)).unwrap_or_else(|e| fail(e));
    let pem = std::fs::read(&creds.private_key).unwrap_or_else(|e| fail(e));
    let loaded = key::load_private_key_bytes(&pem).unwrap_or_else(|e| fail(e));
    let auth = AuthServer::parse(&emu.url()).unwrap_or_else(|e| fail(e));
    let base_uri = BaseUri::parse(&creds.base_uri).unwrap_or_else(|e| fail(e));
    // Raise every limit for the bench (documented in docs/benchmarks.md).
    let limits = serde_json::json!({"hourly": 1_000_000, "burst": 1_000_000, "envelope_get_hourly": 1_000_000,
        "envelope_get_burst": 1_000_000, "reset_counters": true});
    let resp = http
        .post(format!("{}/__emulator/limits", emu.url()))
        .json(&limits)
        .send()
        .await
        .unwrap_or_else(|e| fail(e));
    if !resp.status().is_success() {
        fail(format!("POST /__emulator/limits: HTTP {}", resp.status()));
    }
    let world = emu.world_json();
    let envelope_ids: Vec<String> = world["esignature"][&creds.account_id]["envelopes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["envelope_id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if envelope_ids.is_empty() {
        fail("the default world has no envelopes");
    }
    let conn = ClientParts {
        auth,
        http,
        key: Arc::new(loaded.key),
        integration_key: creds.integration_key.clone(),
        user_id: creds.user_id.clone(),
        account_id: creds.account_id.clone(),
        base_uri,
        observer: Arc::new(NoObserver),
    };
    Setup {
        emu,
        conn,
        envelope_ids,
        _dir: dir,
    }
}

fn count(emu: &Emulator, path: &str) -> usize {
    emu.requests().iter().filter(|r| r.path == path).count()
}

/// N actions with one client, the emulator clock moving 2.9 s after each. Returns the JSON report.
async fn token_reuse(s: &Setup, actions: usize) -> serde_json::Value {
    let client = EsignClient::new(s.conn.clone());
    let tokens_before = count(&s.emu, "/oauth/token");
    let rest_before = s
        .emu
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/restapi/"))
        .count();
    let offset0 = s.emu.clock_offset_seconds();
    let started = Instant::now();
    for i in 0..actions {
        let r = if i % 2 == 0 {
            client.list_templates().await.map(|_| ())
        } else {
            client
                .get_envelope(&s.envelope_ids[(i / 2) % s.envelope_ids.len()])
                .await
                .map(|_| ())
        };
        if let Err(e) = r {
            fail(format!("action {i}: {e}"));
        }
        // 2.9 s per action on the emulator clock (offset in whole seconds).
        let total_ms = (i as i64 + 1) * STEP_MILLIS;
        s.emu.set_clock_offset_seconds(offset0 + total_ms / 1000);
    }
    let elapsed = started.elapsed();
    let emulator_span = s.emu.clock_offset_seconds() - offset0;
    s.emu.set_clock_offset_seconds(offset0);
    let token_requests = count(&s.emu, "/oauth/token") - tokens_before;
    // The log keeps the last 10,000 requests; fewer than that here.
    let rest_calls = s
        .emu
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/restapi/"))
        .count()
        - rest_before;
    serde_json::json!({
        "actions": actions,
        "rest_calls": rest_calls,
        "token_requests": token_requests,
        "client_token_mints": client.token_mints(),
        "emulator_seconds_spanned": emulator_span,
        "step_seconds": STEP_MILLIS as f64 / 1000.0,
        "wall_seconds": elapsed.as_secs_f64(),
        "mean_ms_per_action": elapsed.as_secs_f64() * 1000.0 / actions.max(1) as f64,
    })
}

fn main() {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let short = std::env::var("BENCH_SHORT").is_ok_and(|v| v == "1");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(e));
    let setup = rt.block_on(start());

    let actions: usize = std::env::var("BENCH_ACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if bench_mode { 1000 } else { 20 });
    let report = rt.block_on(token_reuse(&setup, actions));
    eprintln!("token_reuse: {report}");
    if let Ok(path) = std::env::var("BENCH_TOKEN_REUSE_OUT") {
        if let Err(e) = std::fs::write(&path, report.to_string()) {
            fail(format!("cannot write {path}: {e}"));
        }
    }
    if report["token_requests"] != 1 || report["rest_calls"] != actions {
        fail(format!(
            "expected 1 token request and {actions} REST calls, got {report}"
        ));
    }
    if !bench_mode {
        return;
    }

    let mut c = Criterion::default().configure_from_args();
    c = if short {
        c.sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
    } else {
        c.sample_size(30)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(8))
    };
    let warm = EsignClient::new(setup.conn.clone());
    let mut group = c.benchmark_group("list_templates");
    group.bench_function("token_reused", |b| {
        b.to_async(&rt).iter(|| async {
            warm.list_templates().await.unwrap_or_else(|e| fail(e));
        })
    });
    group.bench_function("token_minted_per_call", |b| {
        b.to_async(&rt).iter(|| async {
            let fresh = EsignClient::new(setup.conn.clone());
            fresh.list_templates().await.unwrap_or_else(|e| fail(e));
        })
    });
    group.finish();
    c.final_summary();
    rt.block_on(setup.emu.shutdown());
}
