//! `dsjwt public-key`: the public key and fingerprint of a private key file.

use crate::{read_file, Usage};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use studio_core::api;

#[derive(Args)]
pub(crate) struct PublicKeyArgs {
    /// RSA private key file.
    #[arg(
        long,
        env = "DSJWT_PRIVATE_KEY_FILE",
        allow_hyphen_values = true,
        hide_env_values = true
    )]
    private_key: PathBuf,
    /// Print JSON ({"public_key_pem","fingerprint","bits","format"}).
    #[arg(long)]
    json: bool,
}

pub(crate) fn run_public_key(a: PublicKeyArgs) -> Result<ExitCode, Usage> {
    let bytes = read_file("private key", &a.private_key)?;
    match api::load_private_key_bytes(&bytes) {
        Ok(loaded) => {
            let pem = loaded.key.public_key_pem();
            if a.json {
                let v = serde_json::json!({
                    "public_key_pem": pem,
                    "fingerprint": loaded.info.fingerprint,
                    "bits": loaded.info.bits,
                    "format": loaded.info.format,
                    "notes": loaded.info.notes,
                });
                outln!("{v}");
            } else {
                out!("{pem}");
                if !pem.ends_with('\n') {
                    outln!();
                }
                outln!("Fingerprint: {}", loaded.info.fingerprint);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if a.json {
                outln!(
                    "{}",
                    serde_json::json!({"ok": false, "code": "key_load_failed", "detail": e.detail(), "message": format!("Failed to load RSA private key: {e}"), "fix": e.fix()})
                );
            } else {
                eprintln!(
                    "dsjwt: Failed to load RSA private key: {e}\n  fix: {}",
                    e.fix()
                );
            }
            Ok(ExitCode::from(1))
        }
    }
}
