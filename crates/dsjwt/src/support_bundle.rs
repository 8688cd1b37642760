//! `dsjwt support-bundle`: a zip for support, with no key, token or assertion in it.

use crate::Usage;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use studio_core::workspace::{OpenError, Workspace};

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
    let data_dir = a
        .data_dir
        .clone()
        .unwrap_or_else(Workspace::default_data_dir);
    let workspace = match Workspace::open_for_cli(&data_dir) {
        Ok(ws) => ws,
        Err(OpenError::StateFile(e)) => {
            // The saved connections' error, when there is one too, is the one said.
            crate::open_saved()?;
            return Err(Usage(format!(
                "{e}. Use --data-dir to choose another folder."
            )));
        }
        Err(e) => return Err(crate::args::open_failed(e)),
    };
    if a.out.is_dir() {
        return Err(Usage(format!(
            "--out {} is a folder; give the zip's file name, e.g. {}",
            a.out.display(),
            a.out.join("support.zip").display()
        )));
    }
    // The desktop app's log, in the same data folder (the CLI logs to stderr only).
    let log_dir = Some(data_dir.join("logs"));
    let out = a.out.clone();
    let saved = workspace
        .save_support_bundle(a.connection.clone(), log_dir, |_, _| async { Some(out) })
        .await;
    let summary = match saved {
        Ok(Some(s)) => s,
        // Never: the file is named on the command line, not asked for.
        Ok(None) => return Ok(ExitCode::from(1)),
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
