//! Trigger monitors: the polling rule, start and stop, the event log. Updates come as window
//! events, and each trigger event also as a desktop notification.

use std::sync::Arc;
use tauri::AppHandle;

use studio_core::triggers::TriggerEvent;
use studio_core::workspace::{notification_text, IntervalRule, MonitorSink, MonitorUpdate};
use studio_core::workspace::{MonitorInfo, MonitorSpec};

use super::{blocking, emitter, events, run, Answer, St};

/// The polling rule of a connection's environment, shown before a monitor starts.
#[tauri::command]
pub async fn monitor_rule(ws: St<'_>, name: String) -> Answer<IntervalRule> {
    blocking(&ws, "monitor_rule", move |w| w.monitor_rule(&name)).await
}

/// Starts a trigger monitor; its updates come as `monitor-update` events.
#[tauri::command]
pub async fn start_monitor(app: AppHandle, ws: St<'_>, spec: MonitorSpec) -> Answer<MonitorInfo> {
    let arm = ws.arm_monitor(spec, monitor_sink(app));
    run("start_monitor", arm).await
}

/// Stops a monitor; false when it was not running.
#[tauri::command]
pub fn stop_monitor(ws: St<'_>, id: String) -> bool {
    ws.stop_monitor(&id)
}

/// The running monitors.
#[tauri::command]
pub fn list_monitors(ws: St<'_>) -> Vec<MonitorInfo> {
    ws.monitors()
}

/// The trigger events stored for a connection, oldest first: the event log after a restart.
#[tauri::command]
pub async fn trigger_history(ws: St<'_>, name: String) -> Answer<Vec<TriggerEvent>> {
    blocking(&ws, "trigger_history", move |w| w.trigger_history(&name)).await
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
