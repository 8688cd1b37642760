//! `dsjwt emulator`: the local DocuSign emulator (the sandbox) until Ctrl-C / SIGTERM.

use crate::{wait_for_stop, Usage};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use studio_core::sandbox::{EmulatorConfig, REMOTE_LISTEN_WARNING};
use studio_core::workspace::Workspace;

#[derive(Args)]
pub(crate) struct EmulatorArgs {
    /// World file (JSON, see docs/emulator.md). Without it: a fresh default world.
    #[arg(long)]
    world: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port). Anything but a loopback address needs --allow-remote.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: std::net::SocketAddr,
    /// Allow a --listen address other machines can reach (e.g. 0.0.0.0). The emulator's admin API has no authentication.
    #[arg(long)]
    allow_remote: bool,
    /// Folder the default world lives in (world.json, ca.pem, private_key.pem): started again on the same folder, the emulator comes back with the same IDs, key, CA, consents, envelopes and port (default: a temporary folder removed on exit).
    #[arg(long, env = "DSJWT_EMULATOR_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Default world only: consent already granted, so `dsjwt check` passes without a browser.
    #[arg(long)]
    grant_consent: bool,
    /// Default world only: start a new world in --data-dir, replacing the one saved there.
    #[arg(long)]
    fresh: bool,
}

pub(crate) async fn run_emulator(a: EmulatorArgs) -> Result<ExitCode, Usage> {
    let remote = Workspace::emulator_listens_remotely(a.listen);
    if remote && !a.allow_remote {
        return Err(Usage(format!(
            "--listen {} is not a loopback address: other machines could reach the emulator, and its admin API has no authentication. Listen on 127.0.0.1 (the default), or add --allow-remote if you mean it",
            a.listen
        )));
    }
    if remote {
        eprintln!(
            "dsjwt: warning: listening on {}, reachable from other machines; {}",
            a.listen, REMOTE_LISTEN_WARNING
        );
    }
    let (data_dir, _temp) = match a.data_dir {
        Some(d) => {
            std::fs::create_dir_all(&d).map_err(|e| {
                Usage(format!(
                    "cannot create the data folder {}: {e}",
                    d.display()
                ))
            })?;
            (d, None)
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("dsjwt-emulator-")
                .tempdir()
                .map_err(|e| Usage(format!("cannot create a temporary folder: {e}")))?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    if a.world.is_some() && a.grant_consent {
        return Err(Usage("--grant-consent applies to the default world only; put consents in the world file instead".into()));
    }
    if a.world.is_some() && a.fresh {
        return Err(Usage(
            "--fresh applies to the default world only; a world file always starts as written"
                .into(),
        ));
    }
    let mut config = EmulatorConfig::new(data_dir);
    config.world = a.world;
    config.listen = a.listen;
    config.grant_consent = a.grant_consent;
    config.fresh = a.fresh;
    config.allow_remote = a.allow_remote;
    let on_ready = |line: &serde_json::Value| {
        outln!("{line}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
    };
    Workspace::serve_emulator(config, on_ready, wait_for_stop())
        .await
        .map_err(|e| Usage(format!("the emulator could not start: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
