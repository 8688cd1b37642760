//! DocuSign JWT Studio's use cases, with no UI: the health check, consent,
//! and the sandbox (the embedded DocuSign emulator). The desktop app and the
//! `dsjwt` CLI both call into this crate and print the same words.

pub mod health;
pub mod sandbox;

pub use docusign_api as api;
