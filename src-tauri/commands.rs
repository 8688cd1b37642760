//! What the UI can call, split by feature. Each command parses its arguments, calls one
//! [`Workspace`] method and hands the answer back; errors cross as `{code, message, fix}`
//! ([`IpcError`]). Long-running work reports as window events ([`events`]).

use std::future::Future;
use std::path::PathBuf;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

pub use studio_core::desktop::events;
use studio_core::desktop::Desktop;
use studio_core::workspace::Workspace;

use crate::error::IpcError;

pub mod actions;
pub mod connections;
pub mod golive;
pub mod handoff;
pub mod health;
pub mod sandbox;
pub mod support;
pub mod watch;

/// The shared state, as a command receives it.
pub type St<'a> = State<'a, Desktop>;
/// A command's answer: the value, or the error the UI shows.
pub type Answer<T> = Result<T, IpcError>;

/// Runs a command's work and logs its outcome: the command's name, and the error's code and
/// message on failure; never arguments (a pasted key is one) or answers.
async fn run<T, E: Into<IpcError>>(
    command: &str,
    work: impl Future<Output = Result<T, E>>,
) -> Answer<T> {
    let result = work.await.map_err(Into::into);
    match &result {
        Ok(_) => tracing::info!(command, "ok"),
        Err(e) => {
            tracing::warn!(command, code = %e.problem.code, message = %e.problem.message, "failed")
        }
    }
    result
}

/// Runs `f` over the workspace on the blocking pool (keyring D-Bus calls, RSA work) and logs
/// its outcome.
async fn blocking<T, E>(
    ws: &Desktop,
    command: &str,
    f: impl FnOnce(&Workspace) -> Result<T, E> + Send + 'static,
) -> Answer<T>
where
    T: Send + 'static,
    E: Into<IpcError> + Send + 'static,
{
    let work = ws.blocking(move |w| f(w).map_err(Into::<IpcError>::into));
    run(command, work).await
}

/// Sends each payload it is given to the window as the event `E`.
fn emitter<E: events::Event>(app: &AppHandle) -> impl Fn(E::Payload) + Send + Sync + 'static {
    let app = app.clone();
    move |payload| {
        if let Err(e) = app.emit(E::NAME, payload) {
            tracing::warn!(event = E::NAME, error = %e, "event not delivered to the window");
        }
    }
}

/// The system's save dialog, opened from here (the web view has no dialog permission), for a
/// file `name` in `dir`; `zip` for a support bundle. `None` when the person cancelled.
async fn save_dialog(app: AppHandle, zip: bool, name: String, dir: PathBuf) -> Option<PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let dialog = app.dialog().file().set_file_name(name).set_directory(dir);
    let dialog = match zip {
        true => dialog
            .set_title("Save a support bundle")
            .add_filter("Zip archive", &["zip"]),
        false => dialog,
    };
    dialog.save_file(move |p| drop(tx.send(p.and_then(|p| p.into_path().ok()))));
    rx.await.ok().flatten()
}
