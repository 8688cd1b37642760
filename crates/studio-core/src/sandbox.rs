//! The sandbox: the embedded DocuSign emulator, so the Studio works offline.

pub use docusign_emulator::{
    listens_remotely, DefaultCredentials, Emulator, EmulatorConfig, EmulatorError,
    REMOTE_LISTEN_WARNING,
};
