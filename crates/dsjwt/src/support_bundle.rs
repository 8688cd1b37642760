//! `dsjwt support-bundle`: a zip for support, with no key, token or assertion in it.

use crate::{open_store, Usage};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use studio_core::store::{self, Store};

#[derive(Args)]
pub(crate) struct SupportBundleArgs {
    /// The saved connection it is about (default: the only saved connection).
    #[arg(long, env = "DSJWT_CONNECTION")]
    connection: Option<String>,
    /// The zip to write (replaced if it exists).
    #[arg(long)]
    out: PathBuf,
    /// Folder of the Go-Live ledger and the app's logs (default: the Studio's data folder).
    #[arg(long, env = "DSJWT_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print one JSON object ({"path","bytes","entries","redactions","notes"}).
    #[arg(long)]
    json: bool,
}

pub(crate) async fn run_support_bundle(a: SupportBundleArgs) -> Result<ExitCode, Usage> {
    use studio_core::support::{self, BundleSource};
    let store = open_store()?;
    let data_dir = a.data_dir.clone().unwrap_or_else(store::default_data_dir);
    let state = Store::open(&data_dir)
        .map_err(|e| Usage(format!("{e}. Use --data-dir to choose another folder.")))?;
    if a.out.is_dir() {
        return Err(Usage(format!(
            "--out {} is a folder; give the zip's file name, e.g. {}",
            a.out.display(),
            a.out.join("support.zip").display()
        )));
    }
    let source = BundleSource {
        app_name: "dsjwt".into(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        connection: a.connection.clone(),
        // The desktop app's log, in the same data folder (the CLI logs to stderr only).
        log_dir: Some(data_dir.join("logs")),
    };
    let summary = match support::write_bundle(&store, &state, &source, &a.out).await {
        Ok(s) => s,
        Err(p) if p.code == "bundle_write_failed" => {
            eprintln!("dsjwt: {} {}", p.message, p.fix);
            return Ok(ExitCode::from(1));
        }
        Err(p) => return Err(Usage(format!("{} {}", p.message, p.fix))),
    };
    if a.json {
        outln!(
            "{}",
            serde_json::to_string(&summary).unwrap_or_else(|_| "{}".into())
        );
    } else {
        outln!(
            "Saved the support bundle to {} ({} bytes).",
            summary.path,
            summary.bytes
        );
        outln!("Inside: {}.", summary.entries.join(", "));
        outln!("Never inside: the private key, access tokens, assertions, Authorization values, request or response bodies.");
        for n in &summary.notes {
            outln!("Note: {n}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
