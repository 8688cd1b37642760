//! The built-in sandbox (the embedded emulator) as the workspace runs it: started on demand,
//! resumed at start-up with the identity of an earlier run, reset on request. Each start lets go
//! of the "Sandbox" connection's old client and monitors.

use serde::{Deserialize, Serialize};
use std::future::Future;

use super::{Problem, Workspace};
use crate::connections::Connection;
use crate::sandbox::{listens_remotely, Emulator, EmulatorConfig, EmulatorError};
use crate::sandbox_setup::{self, SandboxInfo, SandboxSession};

/// About the app.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// True while the built-in sandbox runs.
    pub sandbox_running: bool,
}

/// The sandbox as started: where it runs, and its saved connection.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SandboxStarted {
    /// URL, connection name, CA file, consent URL.
    pub info: SandboxInfo,
    /// The saved "Sandbox" connection.
    pub connection: Connection,
}

/// One recipient as the sandbox reports it after a move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SandboxRecipient {
    /// The recipient's ID in the envelope.
    pub recipient_id: String,
    /// The template role, when one.
    pub role_name: Option<String>,
    /// `signer`, `carbon_copy`, ….
    pub recipient_type: String,
    /// The recipient's name, when known.
    pub name: Option<String>,
    /// The routing order, when set.
    pub routing_order: Option<u32>,
    /// `sent`, `delivered`, `completed`, `declined`, ….
    pub status: String,
}

/// An envelope's state after a sandbox move (the emulator's admin answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SandboxEnvelopeState {
    /// The envelope.
    pub envelope_id: String,
    /// The envelope's status now.
    pub status: String,
    /// When the status last changed (ISO 8601), when known.
    pub status_changed: Option<String>,
    /// When it completed (ISO 8601), when it did.
    pub completed: Option<String>,
    /// The routing order now being worked on, when any.
    pub current_routing_order: Option<u32>,
    /// Every recipient with their status.
    pub recipients: Vec<SandboxRecipient>,
}

impl Workspace {
    /// Whether the emulator listening on `listen` could be reached from other machines (any
    /// address but a loopback one): its admin API has no authentication, so that needs
    /// [`EmulatorConfig::allow_remote`], and a warning (see
    /// [`crate::sandbox::REMOTE_LISTEN_WARNING`]).
    pub fn emulator_listens_remotely(listen: std::net::SocketAddr) -> bool {
        listens_remotely(listen)
    }

    /// Runs the emulator alone (`dsjwt emulator`), with no saved connection: starts it as
    /// `config` says, gives `on_ready` its ready line (URL, CA file, the default world's IDs and
    /// key file, as JSON), serves until `until` ends, then shuts it down gracefully.
    ///
    /// # Errors
    /// [`EmulatorError`] when it cannot start (a bad world file, the address in use, a remote
    /// address without `allow_remote`, …); nothing is served then.
    pub async fn serve_emulator(
        config: EmulatorConfig,
        on_ready: impl FnOnce(&serde_json::Value),
        until: impl Future<Output = ()>,
    ) -> Result<(), EmulatorError> {
        let emulator = Emulator::start(config).await?;
        on_ready(&emulator.ready_line());
        until.await;
        emulator.shutdown().await;
        Ok(())
    }

    /// The app's version and whether the sandbox runs.
    pub async fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            sandbox_running: self.sandbox.lock().await.is_some(),
        }
    }

    /// Starts the built-in sandbox (or returns the running one while its connection is still
    /// saved as started) and its "Sandbox" connection. The sandbox of an earlier run comes back
    /// with the same identity, consent and envelopes (`info.resumed`, `info.consent_given`);
    /// otherwise a fresh one starts.
    ///
    /// # Errors
    /// `sandbox_name_taken`, `sandbox_start_failed`, keyring and config errors.
    pub async fn start_sandbox(&self) -> Result<SandboxStarted, Problem> {
        let mut running = self.sandbox.lock().await;
        if let Some(s) = running.as_ref() {
            let (store, name) = (self.store.clone(), s.connection_name().to_string());
            let saved = tokio::task::spawn_blocking(move || store.get(&name)).await;
            if let Ok(Ok(connection)) = saved {
                let same_key = connection
                    .integration_key
                    .eq_ignore_ascii_case(&s.connection().integration_key);
                if connection.auth_server.origin() == s.url() && same_key {
                    let info = s.info();
                    return Ok(SandboxStarted { info, connection });
                }
            }
        }
        if let Some(old) = running.take() {
            old.shutdown().await;
        }
        let session = sandbox_setup::start_sandbox(&self.data_dir, &self.store).await;
        Ok(self.started(&mut running, session?))
    }

    /// "Reset the sandbox": stops it and starts a fresh one (new integration key, user, account
    /// and key pair; no consent; the envelopes sent in it are gone). The "Sandbox" connection is
    /// replaced; the front end then walks the consent step again.
    ///
    /// # Errors
    /// As [`Workspace::start_sandbox`].
    pub async fn reset_sandbox(&self) -> Result<SandboxStarted, Problem> {
        let mut running = self.sandbox.lock().await;
        if let Some(old) = running.take() {
            old.shutdown().await;
        }
        let session = sandbox_setup::reset_sandbox(&self.data_dir, &self.store).await;
        Ok(self.started(&mut running, session?))
    }

    /// Keeps a started sandbox (its connection's old client and monitors are let go).
    fn started(
        &self,
        running: &mut Option<SandboxSession>,
        session: SandboxSession,
    ) -> SandboxStarted {
        self.connection_changed(session.connection_name());
        let started = SandboxStarted {
            info: session.info(),
            connection: session.connection().clone(),
        };
        *running = Some(session);
        started
    }

    /// At start-up: the sandbox of an earlier run starts again with the same identity, so its
    /// saved connection is healthy without any step. Nothing happens when there is none; a
    /// failure is logged and shown when the sandbox is used.
    pub async fn resume_sandbox(&self) {
        let mut running = self.sandbox.lock().await;
        match sandbox_setup::resume_sandbox(&self.data_dir, &self.store).await {
            Ok(Some(session)) => {
                tracing::info!(url = %session.url(), "sandbox resumed at start-up");
                *running = Some(session);
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(
                    code = e.code().as_str(),
                    "the sandbox could not be resumed at start-up"
                );
            }
        }
    }
}
