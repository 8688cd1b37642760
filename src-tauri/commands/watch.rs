//! Trigger monitors: the polling rule, start and stop, the event log. Updates come as window
//! events, and each trigger event also as a desktop notification.

use tauri::AppHandle;

use studio_core::desktop::monitor_sink;
use studio_core::triggers::TriggerEvent;
use studio_core::workspace::{IntervalRule, MonitorInfo, MonitorSpec, SavedTrigger};

use super::{blocking, emitter, events, run, Answer, St};

/// The polling rule of a connection's environment, shown before a monitor starts.
#[tauri::command]
pub async fn monitor_rule(ws: St<'_>, name: String) -> Answer<IntervalRule> {
    blocking(&ws, "monitor_rule", move |w| w.monitor_rule(&name)).await
}

/// Starts a trigger monitor; its updates come as `monitor-update` events.
#[tauri::command]
pub async fn start_monitor(app: AppHandle, ws: St<'_>, spec: MonitorSpec) -> Answer<MonitorInfo> {
    let emit = emitter::<events::Monitor>(&app);
    let sink = monitor_sink(app.package_info().name.clone(), emit);
    run("start_monitor", ws.arm_monitor(spec, sink)).await
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

/// The triggers kept for a connection (settings and last check): shown again after a restart.
#[tauri::command]
pub async fn saved_triggers(ws: St<'_>, name: String) -> Answer<Vec<SavedTrigger>> {
    blocking(&ws, "saved_triggers", move |w| w.saved_triggers(&name)).await
}
