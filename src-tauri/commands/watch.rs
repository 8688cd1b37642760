//! Trigger monitors: the polling rule, start and stop, the event log; updates come as window
//! events, and each trigger event also as a desktop notification.

use std::sync::Arc;
use tauri::{AppHandle, State};

use studio_core::triggers::TriggerEvent;
use studio_core::workspace::{
    notification_text, IntervalRule, MonitorInfo, MonitorSink, MonitorSpec, MonitorUpdate,
};

use super::{emitter, events, run};
use crate::{AppState, IpcError};

/// The polling rule of a connection's environment, shown before a monitor starts.
#[tauri::command]
pub async fn monitor_rule(
    state: State<'_, AppState>,
    name: String,
) -> Result<IntervalRule, IpcError> {
    state
        .blocking("monitor_rule", move |w| w.monitor_rule(&name))
        .await
}

/// Starts a trigger monitor; its updates come as `monitor-update` events, and each trigger
/// event also as a desktop notification.
#[tauri::command]
pub async fn start_monitor(
    app: AppHandle,
    state: State<'_, AppState>,
    spec: MonitorSpec,
) -> Result<MonitorInfo, IpcError> {
    run(
        "start_monitor",
        state.workspace.arm_monitor(spec, monitor_sink(app)),
    )
    .await
}

/// Stops a monitor; false when it was not running.
#[tauri::command]
pub fn stop_monitor(state: State<'_, AppState>, id: String) -> bool {
    state.workspace.stop_monitor(&id)
}

/// The running monitors.
#[tauri::command]
pub fn list_monitors(state: State<'_, AppState>) -> Vec<MonitorInfo> {
    state.workspace.monitors()
}

/// The trigger events stored for a connection, oldest first: the event log after a restart.
#[tauri::command]
pub async fn trigger_history(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<TriggerEvent>, IpcError> {
    state
        .blocking("trigger_history", move |w| w.trigger_history(&name))
        .await
}

/// Forwards a monitor's updates to the window, with a notification per trigger event.
fn monitor_sink(app: AppHandle) -> MonitorSink {
    let emit = emitter(&app, events::MONITOR_UPDATE);
    let app_name = app.package_info().name.clone();
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
/// `app_name` is the product name of tauri.conf.json.
fn notify(app_name: &str, event: &TriggerEvent) {
    let ((title, body), app_name) = (notification_text(event), app_name.to_owned());
    drop(tauri::async_runtime::spawn_blocking(move || {
        let shown = notify_rust::Notification::new()
            .appname(&app_name)
            .summary(&title)
            .body(&body)
            .show();
        if let Err(e) = shown {
            tracing::warn!(error = %e, "desktop notification not shown");
        }
    }));
}
