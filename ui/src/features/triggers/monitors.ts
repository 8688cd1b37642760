// What the UI knows about the running trigger monitors, updated by the shell's
// `monitor-update` events: each monitor's next poll and last check, and the event log.
// A reducer over plain data, so it is unit-tested; monitors.svelte.ts holds it in runes.

import { clock, docusignTime, duration } from '../../lib/format';
import type { MonitorInfo, MonitorSpec, MonitorUpdate, TriggerEvent } from '../../lib/ipc/types';

export interface MonitorState {
  info: MonitorInfo;
  /** Unix seconds of the next poll. */
  next_poll_at: number | null;
  /** Unix ms of the last finished check. */
  last_check: number | null;
  /** The last check's new events: the event lines it added to the log (the one count). */
  last_events: number;
  /** Event lines added since the last finished check. */
  since_check: number;
  /** Polls made, calls made. */
  cycles: number;
  calls: number;
  /** The last error, until a check succeeds. */
  error: string | null;
}

export interface LogEntry {
  /** Increasing, for keyed lists. */
  n: number;
  /** Unix ms when the UI heard it. */
  at: number;
  connection: string;
  monitor_id: string;
  kind: 'event' | 'error' | 'started' | 'stopped';
  text: string;
  event?: TriggerEvent;
  /** Heard before the app last started (stored in the state file). */
  earlier?: boolean;
}

export interface MonitorsData {
  running: Record<string, MonitorState>;
  /** Newest first. */
  log: LogEntry[];
  /** Every trigger event heard, oldest first (for timelines). */
  events: { connection: string; event: TriggerEvent }[];
  /** Updates that came before the start command's answer, by monitor ID (replayed then). */
  pending: Record<string, MonitorUpdate[]>;
  n: number;
}

export const MAX_LOG = 500;

export function emptyMonitors(): MonitorsData {
  return { running: {}, log: [], events: [], pending: {}, n: 0 };
}

export const TRIGGER_TITLES: Record<string, string> = {
  on_envelope_status_change: 'Envelope status changes',
  on_recipient_completed: 'A recipient finished signing',
};

/** Which envelopes a trigger follows, in words: its template's name when known, not its ID. */
export function filterText(spec: Pick<MonitorSpec, 'template_id' | 'template_name'>): string {
  if (!spec.template_id) return 'envelopes from any template';
  const name = spec.template_name?.trim();
  return name ? `envelopes from “${name}”` : `envelopes from template ${spec.template_id}`;
}

/** A trigger's last check (DocuSign's time) as a local time of day. */
export function checkTime(lastChecked: string): string {
  const t = docusignTime(lastChecked);
  return t === null ? lastChecked : clock(t);
}

/** Where a trigger's first check starts, in words. */
export function resumeText(resumedFrom: string | null): string {
  if (!resumedFrom) return 'its first check looks back 24 hours';
  return `going on from its last check (${checkTime(resumedFrom)}), nothing reported again`;
}

/** The log line for a started trigger: what it follows, how often, and where it starts. */
export function startedText(info: MonitorInfo): string {
  const title = TRIGGER_TITLES[info.spec.trigger] ?? info.spec.trigger;
  return `Started “${title}” for ${filterText(info.spec)}, every ${duration(info.spec.interval_seconds)}: ${resumeText(info.resumed_from ?? null)}`;
}

/** The log line for an event. */
export function eventText(e: TriggerEvent): string {
  const subject = e.email_subject || `Envelope ${e.envelope_id.slice(0, 8)}`;
  const d = e.delivery_problem;
  if (d) return `Delivery failure on “${subject}”: ${d.message}${d.fix ? ` ${d.fix}` : ''}`;
  if (e.trigger === 'on_recipient_completed' && e.recipient) {
    const who = e.recipient.name || e.recipient.email || `Recipient ${e.recipient.recipient_id}`;
    return `${who}${e.recipient.role_name ? ` (${e.recipient.role_name})` : ''} finished signing “${subject}”`;
  }
  return `“${subject}” is now ${e.status}`;
}

function push(d: MonitorsData, entry: Omit<LogEntry, 'n'>): void {
  d.n += 1;
  d.log.unshift({ ...entry, n: d.n });
  if (d.log.length > MAX_LOG) d.log.length = MAX_LOG;
}

/** A monitor was started (the command's answer). */
export function started(d: MonitorsData, info: MonitorInfo, now: number): void {
  d.running[info.id] = { info, next_poll_at: null, last_check: null, last_events: 0, since_check: 0, cycles: 0, calls: 0, error: null };
  push(d, { at: now, connection: info.spec.connection, monitor_id: info.id, kind: 'started', text: startedText(info) });
  const early = d.pending[info.id] ?? [];
  delete d.pending[info.id];
  for (const u of early) apply(d, u, now);
}

/** Applies one update from the shell. */
export function apply(d: MonitorsData, u: MonitorUpdate, now: number): void {
  const m = d.running[u.monitor_id];
  if (!m) {
    // The monitor's first poll can report before the start command answers: keep it for then.
    // A new array is assigned (not `(d.pending[id] ??= []).push(u)`): in the app `d` is Svelte
    // state, whose assignment keeps a copy of the array, so a push onto the one just assigned
    // was lost, and with it the first check's events (found by a fresh user).
    if (u.kind === 'stopped') delete d.pending[u.monitor_id];
    else d.pending[u.monitor_id] = [...(d.pending[u.monitor_id] ?? []), u];
    return;
  }
  const connection = m.info.spec.connection;
  switch (u.kind) {
    case 'event': {
      // An event shown from the stored history moments before it was handed out live is the
      // same event: it is shown once, as live (not "before the app restarted").
      const id = u.event.event_id;
      const shown = d.log.findIndex((l) => l.earlier && l.connection === connection && l.event?.event_id === id);
      if (shown >= 0) d.log.splice(shown, 1);
      const kept = d.events.findIndex((e) => e.connection === connection && e.event.event_id === id);
      if (shown >= 0 && kept >= 0) d.events.splice(kept, 1);
      d.events.push({ connection, event: u.event });
      if (d.events.length > MAX_LOG) d.events.splice(0, d.events.length - MAX_LOG);
      push(d, { at: now, connection, monitor_id: u.monitor_id, kind: 'event', text: eventText(u.event), event: u.event });
      m.since_check += 1;
      break;
    }
    case 'cycle':
      m.next_poll_at = u.next_poll_at;
      m.last_check = now;
      // One source of truth: the count is the event lines this check added to the log.
      m.last_events = m.since_check;
      m.since_check = 0;
      m.cycles += 1;
      m.calls += u.calls;
      m.error = null;
      break;
    case 'error':
      m.next_poll_at = u.next_poll_at;
      m.last_check = now;
      m.error = u.message;
      push(d, { at: now, connection, monitor_id: u.monitor_id, kind: 'error', text: u.message });
      break;
    case 'stopped':
      push(d, { at: now, connection, monitor_id: u.monitor_id, kind: 'stopped', text: `Stopped “${TRIGGER_TITLES[m.info.spec.trigger] ?? m.info.spec.trigger}”` });
      delete d.running[u.monitor_id];
      break;
  }
}

/** Adds a connection's stored events (oldest first, from before the app started) to the
 * events and the end of the log, skipping those already there. */
export function loadHistory(d: MonitorsData, connection: string, stored: TriggerEvent[], now: number): void {
  const known = new Set(d.events.filter((e) => e.connection === connection).map((e) => e.event.event_id));
  const fresh = stored.filter((e) => !known.has(e.event_id));
  if (!fresh.length) return;
  d.events.unshift(...fresh.map((event) => ({ connection, event })));
  if (d.events.length > MAX_LOG) d.events.splice(0, d.events.length - MAX_LOG);
  for (const event of [...fresh].reverse()) {
    if (d.log.length >= MAX_LOG) break;
    d.n += 1;
    const at = event.status_changed_at ? Date.parse(event.status_changed_at) : NaN;
    d.log.push({ n: d.n, at: Number.isNaN(at) ? now : at, connection, monitor_id: '', kind: 'event', text: eventText(event), event, earlier: true });
  }
}

/** The running monitor of a connection's trigger, if any. */
export function monitorFor(d: MonitorsData, connection: string, trigger: string): MonitorState | null {
  return Object.values(d.running).find((m) => m.info.spec.connection === connection && m.info.spec.trigger === trigger) ?? null;
}
