//! DocuSign JWT Studio's use cases, with no UI: the health check, consent,
//! and the sandbox (the embedded DocuSign emulator). The desktop app and the
//! `dsjwt` CLI both call into this crate and print the same words.

pub mod action_result;
pub mod actions;
pub mod connections;
pub mod consent_landing;
pub mod downloads;
pub mod drafts;
pub mod envelope_answers;
pub mod golive;
pub mod handoff;
pub mod health;
pub mod ledger;
pub mod listing;
pub mod messages;
pub mod paths;
pub mod runtime;
pub mod sandbox;
pub mod sandbox_setup;
pub mod session;
pub mod store;
pub mod support;
pub mod token_store;
pub mod trigger_store;
pub mod triggers;
pub mod wizard;
pub mod workspace;

pub use docusign_api as api;
