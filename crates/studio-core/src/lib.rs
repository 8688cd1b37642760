//! DocuSign JWT Studio's use cases, with no UI: the health check, consent,
//! and the sandbox (the embedded DocuSign emulator). The desktop app and the
//! `dsjwt` CLI both call into this crate and print the same words.

pub mod action_result;
pub mod actions;
pub mod connections;
pub mod consent_landing;
pub mod desktop;
pub mod downloads;
pub mod drafts;
pub mod envelope_answers;
pub mod golive;
pub mod handoff;
pub mod health;
pub mod id_checks;
pub mod instance;
pub mod keyring_names;
pub mod ledger;
pub mod listing;
pub mod logging;
pub mod messages;
pub mod paths;
pub mod problem;
pub mod runtime;
pub mod sandbox;
pub mod sandbox_setup;
pub mod session;
pub mod store;
pub mod support;
pub mod token_store;
pub mod trigger_store;
pub mod triggers;
pub mod webview_env;
pub mod wizard;
pub mod workspace;

/// The few DocuSign client types the front ends name themselves: a private key's bytes (read by
/// [`workspace::Workspace::read_private_key_file`], kept secret on their way to the keyring) and
/// the auth server a connection uses. Everything else is reached through
/// [`workspace::Workspace`].
pub mod api {
    pub use docusign_api::environment::{AuthServer, AuthServerKind};
    pub use docusign_api::key::PrivateKeyBytes;
}
