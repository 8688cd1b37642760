//! The desktop app's start-up and the state its commands share, with no UI toolkit in it (the
//! Tauri shell only draws the window and forwards calls): where its files go (`--data-dir`),
//! its log, one app per data folder, its runtime, and the [`Workspace`] every command calls.
//!
//! The command line: `docusign-jwt-studio [--data-dir DIR]`. With `--data-dir`, the config, the
//! sandbox's files and the logs all live under `DIR`; without it, the config folder is the one
//! the `dsjwt` CLI uses and the rest goes to the platform's data folder ([`AppPaths`]).

use std::sync::Arc;

use crate::connections::ConnectionStore;
use crate::instance::{self, Claim, Instance};
use crate::paths::AppPaths;
use crate::triggers::TriggerEvent;
use crate::workspace::{notification_text, MonitorSink, MonitorUpdate, Opener, Problem, Workspace};

/// The window events the desktop app emits (the UI listens to them), each a marker type that
/// ties the event's name to its payload ([`events::Event`]), so the shell cannot send an event
/// with another payload, and the UI's types are generated from [`events::ALL`].
pub mod events {
    use serde::Serialize;

    use crate::consent_landing::RedirectOutcome;
    use crate::downloads::DownloadProgress;
    use crate::workspace::{KeyClipboardEvent, MonitorUpdate, WarmUpEvent};

    /// A window event: its name, and what it carries.
    pub trait Event {
        /// The event's name in the window (what the UI listens to).
        const NAME: &'static str;
        /// What it carries.
        type Payload: Serialize + Clone + Send + 'static;
    }

    /// One event as the UI's generated types describe it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct EventInfo {
        /// The event's name.
        pub name: &'static str,
        /// The payload type's name (a type with TypeScript bindings).
        pub payload: &'static str,
        /// The event's doc lines.
        pub doc: &'static [&'static str],
    }

    macro_rules! events {
        ($($(#[doc = $doc:literal])* $marker:ident = $name:literal => $payload:ident;)*) => {
            $(
                $(#[doc = $doc])*
                #[derive(Debug, Clone, Copy)]
                pub struct $marker;
                impl Event for $marker {
                    const NAME: &'static str = $name;
                    type Payload = $payload;
                }
            )*
            /// Every event, in the order declared here.
            pub const ALL: &[EventInfo] = &[$(EventInfo {
                name: $name,
                payload: stringify!($payload),
                doc: &[$($doc),*],
            }),*];
        };
    }

    events! {
        /// The Go-Live streak after each warm-up call.
        WarmUp = "warm-up-progress" => WarmUpEvent;
        /// How far a document download is.
        Download = "download-progress" => DownloadProgress;
        /// A trigger monitor's update (an event, a poll, a stop).
        Monitor = "monitor-update" => MonitorUpdate;
        /// The key's time on the clipboard is over.
        KeyClipboard = "key-clipboard" => KeyClipboardEvent;
        /// The browser came back from the consent page.
        ConsentRedirect = "consent-redirect" => RedirectOutcome;
    }
}

/// What a second launch on the same data folder says on stderr before it quits (status 0).
pub const ALREADY_OPEN: &str =
    "DocuSign JWT Studio is already open for this data folder: look for its window.";

/// Why the window cannot open when the toolkit finds no display to draw on (GTK's `init`
/// failed: no X server at `DISPLAY`, no Wayland compositor at `WAYLAND_DISPLAY`), for
/// [`fail`]: the display variables as this process sees them, what to do, and GTK's own
/// words (`detail`) at the end.
pub fn no_display(detail: &dyn std::fmt::Display) -> String {
    let var = |name: &str| match std::env::var(name) {
        Ok(v) if !v.is_empty() => format!("{name} is \"{v}\""),
        _ => format!("{name} is not set"),
    };
    format!(
        "cannot open its window: there is no display to draw on ({}, {}). Start it from your \
         desktop session, or set DISPLAY to a running X server (or WAYLAND_DISPLAY to a running \
         Wayland compositor). Details: {detail}",
        var("DISPLAY"),
        var("WAYLAND_DISPLAY")
    )
}

/// Everything the desktop app's commands share; derefs to the [`Workspace`].
pub struct Desktop {
    /// Where the files are.
    pub paths: AppPaths,
    /// Opens the system browser (`xdg-open` on Linux).
    pub opener: Opener,
    /// Every use case: connections, keys held before saving, health checks, actions, the
    /// Go-Live ledger, trigger monitors, downloads, the sandbox.
    pub workspace: Arc<Workspace>,
    /// What a later launch on the same data folder asks of this one ([`Desktop::on_second_launch`]).
    second_launch: SecondLaunch,
    /// This app's hold on its data folder, for as long as it runs.
    _instance: Instance,
}

/// What to do when a later launch asks this app to come to the front; set once the window exists.
type SecondLaunch = Arc<std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>>;

/// The outcome of [`launch`].
pub enum Launch {
    /// This process is the profile's app: run the window over `app`, on `runtime` (the app's
    /// one async runtime, [`crate::runtime::app_runtime`]; keep it for as long as the app runs).
    Run {
        /// The commands' shared state.
        app: Box<Desktop>,
        /// The runtime every async part of the app runs on.
        runtime: tokio::runtime::Runtime,
    },
    /// Another app already runs on this data folder and was asked to come to the front: say
    /// [`ALREADY_OPEN`] and quit.
    AlreadyOpen,
}

/// Why the app cannot start, in plain words (`cannot start: …` and what to do).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot start: {0}")]
pub struct StartError(pub String);

/// Starts the desktop app from its command line (`[--data-dir DIR]`, without the program
/// name): logging into the log folder, then one app per data folder (a later launch asks this
/// one to come to the front: [`Desktop::on_second_launch`]), the runtime, and the workspace
/// over the config folder and the state file.
///
/// # Errors
/// The data folder cannot be claimed, the runtime cannot be made, or the config folder or the
/// state file cannot be used (the message says what to do).
pub fn launch(args: impl IntoIterator<Item = String>) -> Result<Launch, StartError> {
    let paths = AppPaths::from_args(args);
    crate::logging::init(&paths.log_dir);
    let second_launch = SecondLaunch::default();
    let asked = Arc::clone(&second_launch);
    let instance = match instance::claim(&paths.data_dir, move || asked.get().map_or((), |f| f())) {
        Ok(Claim::First(held)) => held,
        Ok(Claim::Running { .. }) => {
            tracing::info!("already open on this data folder; asked it to come to the front");
            return Ok(Launch::AlreadyOpen);
        }
        Err(e) => return Err(StartError(e.to_string())),
    };
    // One runtime, sized for this app, instead of Tauri's per-CPU one.
    let runtime = crate::runtime::app_runtime().map_err(|e| StartError(e.to_string()))?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "starting");
    // The browser does not inherit what the app set for its own web view (webview_env).
    let opener: Opener = Arc::new(|url: &str| crate::webview_env::open_in_browser(url));
    let workspace = ConnectionStore::open(&paths.config_dir)
        .map_err(Problem::from)
        .and_then(|store| Workspace::open(store, &paths.data_dir))
        .map_err(|e| {
            tracing::error!(code = %e.code, message = %e.message, "cannot start");
            StartError(format!("{}\n{}", e.message, e.fix))
        })?;
    let app = Desktop {
        paths,
        opener,
        workspace: Arc::new(workspace),
        second_launch,
        _instance: instance,
    };
    Ok(Launch::Run {
        app: Box::new(app),
        runtime,
    })
}

/// [`launch`], with its outcome as the process's: a second launch says [`ALREADY_OPEN`] and
/// exits with status 0; a failure says why ([`fail`]).
pub fn start(args: impl IntoIterator<Item = String>) -> (Desktop, tokio::runtime::Runtime) {
    match launch(args) {
        Ok(Launch::Run { app, runtime }) => (*app, runtime),
        Ok(Launch::AlreadyOpen) => {
            eprintln!("{ALREADY_OPEN}");
            std::process::exit(0)
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// Logs `why`, says it on stderr after the app's name and exits with status 1.
pub fn fail(why: &str) -> ! {
    tracing::error!("{why}");
    eprintln!("DocuSign JWT Studio {why}");
    std::process::exit(1)
}

impl Desktop {
    /// Runs `f` over the workspace on the blocking pool (keyring D-Bus calls, RSA work); a
    /// task that panicked is an `internal` problem.
    ///
    /// # Errors
    /// `f`'s, or `internal`.
    pub async fn blocking<T, E>(
        &self,
        f: impl FnOnce(&Workspace) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<Problem> + Send + 'static,
    {
        let ws = Arc::clone(&self.workspace);
        crate::workspace::blocking(move || f(&ws)).await
    }

    /// Runs `front` (on a background thread) each time a later launch on the same data folder
    /// asks this app to come to the front; before it is set, such a request is ignored. Set once.
    pub fn on_second_launch(&self, front: impl Fn() + Send + Sync + 'static) {
        let _ = self.second_launch.set(Box::new(front));
    }

    /// The app is quitting: stops the trigger monitors.
    pub fn quit(&self) {
        self.workspace.stop_all_monitors();
        tracing::info!("stopped the trigger monitors; quitting");
    }
}

/// A trigger monitor's sink in the desktop app: every update goes to `emit` (the window), and
/// each trigger event is also shown as a desktop notification from `app_name` (the product
/// name of tauri.conf.json).
pub fn monitor_sink(
    app_name: String,
    emit: impl Fn(MonitorUpdate) + Send + Sync + 'static,
) -> MonitorSink {
    Arc::new(move |update: MonitorUpdate| {
        if let MonitorUpdate::Event { event, .. } = &update {
            notify(&app_name, event);
        }
        emit(update);
    })
}

/// Shows a desktop notification on the blocking pool, through notify-rust (on Linux the
/// freedesktop notification service over D-Bus, the same libdbus the keyring uses). Without a
/// notification service (a bare X server, a locked-down session) it logs and carries on.
fn notify(app_name: &str, event: &TriggerEvent) {
    let ((title, body), app_name) = (notification_text(event), app_name.to_owned());
    let show = move || {
        let shown = notify_rust::Notification::new()
            .appname(&app_name)
            .summary(&title)
            .body(&body)
            .show();
        if let Err(e) = shown {
            tracing::warn!(error = %e, "desktop notification not shown");
        }
    };
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn_blocking(show)),
        Err(_) => show(),
    }
}

impl std::ops::Deref for Desktop {
    type Target = Arc<Workspace>;

    fn deref(&self) -> &Arc<Workspace> {
        &self.workspace
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Start-up over `--data-dir DIR`: the first launch runs with every file under `DIR` (the
    /// day's log among them); a second launch on the same folder is told the app is open, and
    /// the first is asked to come to the front.
    #[test]
    fn a_second_launch_on_one_data_folder_finds_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let args = || ["--data-dir".to_string(), dir.path().display().to_string()];
        let Ok(Launch::Run { app, runtime }) = launch(args()) else {
            panic!("the first launch runs");
        };
        assert_eq!(app.paths, AppPaths::under(dir.path()));
        assert_eq!(crate::logging::log_files(&app.paths.log_dir).len(), 1);
        let (tx, rx) = std::sync::mpsc::channel();
        app.on_second_launch(move || {
            let _ = tx.send(());
        });

        assert!(matches!(launch(args()), Ok(Launch::AlreadyOpen)));
        #[cfg(unix)]
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the first app was asked to come to the front");
        app.quit();
        drop((app, runtime));
    }
}
