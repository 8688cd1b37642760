//! The sandbox: the embedded DocuSign emulator, so the Studio works offline.

pub use docusign_emulator::{DefaultCredentials, Emulator, EmulatorConfig, EmulatorError};
