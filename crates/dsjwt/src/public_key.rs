//! `dsjwt public-key`: the public key and fingerprint of a private key file.

use crate::Usage;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use studio_core::workspace::Workspace;

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
    let key = Workspace::read_private_key_file(&a.private_key).map_err(|e| Usage::of(&e))?;
    match Workspace::key_info_or_hint(&key) {
        Ok(info) => {
            let pem = &info.public_key_pem;
            if a.json {
                let v = serde_json::json!({
                    "public_key_pem": pem,
                    "fingerprint": info.fingerprint,
                    "bits": info.bits,
                    "format": info.format,
                    "notes": info.notes,
                });
                outln!("{v}");
            } else {
                out!("{pem}");
                if !pem.ends_with('\n') {
                    outln!();
                }
                outln!("Fingerprint: {}", info.fingerprint);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err((e, hint)) => {
            // The key's fix says what to give; the CLI says how: its flag or command.
            let fix = crate::check::fix_with_cli_words(&e.fix, hint);
            if a.json {
                outln!(
                    "{}",
                    serde_json::json!({"ok": false, "code": e.code, "detail": e.detail, "message": e.message, "fix": fix})
                );
            } else {
                eprintln!("dsjwt: {}\n  fix: {fix}", e.message);
            }
            // Input refused before any call: bad usage (2), as every command.
            Ok(ExitCode::from(2))
        }
    }
}
