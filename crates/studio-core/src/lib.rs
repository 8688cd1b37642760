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

/// The few parts of the DocuSign client the front ends name themselves (key text, environments,
/// the consent URL, the eSignature client); everything else is reached through the use cases.
pub mod api {
    pub use docusign_api::consent::consent_url;
    pub use docusign_api::environment::{
        check_guid, check_redirect_uri, AuthServer, AuthServerKind,
    };
    pub use docusign_api::esign::EsignClient;
    /// Reading key and CA files: regular files only, within a size cap.
    pub use docusign_api::files;
    pub use docusign_api::key::{load_private_key_bytes, PrivateKey, PrivateKeyBytes, Zeroizing};
}
