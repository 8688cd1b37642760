//! Runs the emulator until Ctrl-C, for manual poking (the real CLI is `dsjwt emulator`).
//!
//! `cargo run -p docusign-emulator --example serve -- <data_dir> [world.json] [--grant-consent]`

use docusign_emulator::{Emulator, EmulatorConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let data_dir = args.next().unwrap_or_else(|| "emulator-data".to_owned());
    let mut config = EmulatorConfig::new(data_dir);
    for arg in args {
        if arg == "--grant-consent" {
            config.grant_consent = true;
        } else {
            config.world = Some(arg.into());
        }
    }
    let emulator = Emulator::start(config).await?;
    println!("{}", emulator.ready_line());
    tokio::signal::ctrl_c().await?;
    emulator.shutdown().await;
    Ok(())
}
