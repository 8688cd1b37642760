// The running monitors and the event log, held in runes and fed by the shell's
// `monitor-update` events (subscribed once, at start-up, so nothing is missed while another
// screen is shown). The logic is in monitors.ts.

import { account } from '../../lib/account.svelte';
import { backend } from '../../lib/ipc';
import type { MonitorSpec, MonitorUpdate } from '../../lib/ipc/types';
import { apply, emptyMonitors, loadHistory, started } from './monitors';

export const monitors = $state(emptyMonitors());

let listening: Promise<unknown> | null = null;

/** Starts listening (idempotent) and loads the monitors already running. */
export async function listenToMonitors(): Promise<void> {
  if (!listening) {
    listening = backend().onMonitorUpdate(onUpdate);
    await listening;
    for (const info of await backend().listMonitors()) {
      if (!monitors.running[info.id]) started(monitors, info, Date.now());
    }
  }
  await listening;
}

/** One update from the shell; a cycle that called DocuSign for the connection shown moves its
 * Go-Live streak, so the top bar reads it again (a ledger read, no call). */
export function onUpdate(u: MonitorUpdate): void {
  apply(monitors, u, Date.now());
  if (u.kind === 'cycle' && u.calls > 0 && monitors.running[u.monitor_id]?.info.spec.connection === account.connection) {
    void account.noteMonitorCalls();
  }
}

/** Starts a monitor. */
export async function startMonitor(spec: MonitorSpec): Promise<void> {
  await listenToMonitors();
  const info = await backend().startMonitor(spec);
  if (!monitors.running[info.id]) started(monitors, info, Date.now());
}

/** Stops a monitor (its `stopped` update removes it). */
export async function stopMonitor(id: string): Promise<void> {
  const was = await backend().stopMonitor(id);
  if (!was) apply(monitors, { kind: 'stopped', monitor_id: id }, Date.now());
}

/** Connections whose stored events were loaded already (once per app run). */
const historyLoaded = new Set<string>();

/** Shows the events stored for a connection before the app started (once). */
export async function loadStoredEvents(connection: string): Promise<void> {
  if (historyLoaded.has(connection)) return;
  const stored = await backend().triggerHistory(connection);
  historyLoaded.add(connection);
  loadHistory(monitors, connection, stored, Date.now());
}
