// The trigger monitor's pictures: each envelope's timeline (its statuses, and the recipients
// who finished) built from the events, the countdown to the next poll, and what an interval
// costs. Pure, so it is unit-tested.

import type { TriggerEvent } from '../../lib/ipc/types';

/** One status an envelope reached, when. */
export interface StatusPoint {
  status: string;
  at: string | null;
}

/** One recipient who finished, when. */
export interface RecipientPoint {
  recipient_id: string;
  who: string;
  role: string | null;
  at: string | null;
}

/** One envelope's story, as the events told it. */
export interface EnvelopeTimeline {
  envelope_id: string;
  subject: string;
  template_id: string | null;
  /** Oldest first. */
  statuses: StatusPoint[];
  /** Oldest first. */
  recipients: RecipientPoint[];
  /** Bounced recipients (F43, from each event's `BouncedRecipient`): the envelope still says "sent". */
  problems: { recipient_id: string; who: string; reason: string | null; fix: string }[];
  /** The latest status seen. */
  current: string;
  /** The latest time seen (ms), for ordering. */
  latest: number;
}

const ORDER = ['created', 'sent', 'delivered', 'signed', 'completed', 'declined', 'voided'];

function ms(at: string | null): number {
  const t = at ? Date.parse(at) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Builds each envelope's timeline from the events (any order, duplicates allowed). Newest envelope first. */
export function buildTimelines(events: TriggerEvent[]): EnvelopeTimeline[] {
  const by = new Map<string, EnvelopeTimeline>();
  for (const e of events) {
    let t = by.get(e.envelope_id);
    if (!t) {
      t = { envelope_id: e.envelope_id, subject: e.email_subject || `Envelope ${e.envelope_id.slice(0, 8)}`, template_id: e.template_id, statuses: [], recipients: [], problems: [], current: e.status, latest: 0 };
      by.set(e.envelope_id, t);
    }
    if (e.email_subject) t.subject = e.email_subject;
    if (e.template_id) t.template_id = e.template_id;
    const d = e.delivery_problem;
    if (d) {
      const id = d.recipient_id ?? '';
      if (!t.problems.some((x) => x.recipient_id === id)) t.problems.push({ recipient_id: id, who: d.name || d.email || `Recipient ${id}`, reason: d.reason, fix: d.fix ?? '' });
    }
    if (e.trigger === 'on_recipient_completed' && e.recipient) {
      const r = e.recipient;
      if (!t.recipients.some((x) => x.recipient_id === r.recipient_id)) {
        t.recipients.push({ recipient_id: r.recipient_id, who: r.name || r.email || `Recipient ${r.recipient_id}`, role: r.role_name ?? null, at: r.completed_at ?? e.status_changed_at });
      }
    }
    if (e.trigger === 'on_envelope_status_change' || !t.statuses.length) {
      if (!t.statuses.some((s) => s.status === e.status)) t.statuses.push({ status: e.status, at: e.status_changed_at });
    }
    t.latest = Math.max(t.latest, ms(e.status_changed_at), ms(e.recipient?.completed_at ?? null));
  }
  for (const t of by.values()) {
    t.statuses.sort((a, b) => ms(a.at) - ms(b.at) || ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
    t.recipients.sort((a, b) => ms(a.at) - ms(b.at));
    t.current = t.statuses[t.statuses.length - 1]?.status ?? t.current;
  }
  return [...by.values()].sort((a, b) => b.latest - a.latest);
}

/** The tone of a status chip. */
export function statusTone(status: string): 'ok' | 'warn' | 'err' | 'info' {
  if (status === 'completed' || status === 'signed') return 'ok';
  if (status === 'declined' || status === 'voided') return 'err';
  if (status === 'delivered') return 'warn';
  return 'info';
}

/** "in 4 s", "in 14 min 30 s", "now" until the next poll. */
export function countdown(nextPollAtSeconds: number | null, nowMs: number): string {
  if (nextPollAtSeconds === null) return '';
  const left = Math.ceil(nextPollAtSeconds - nowMs / 1000);
  if (left <= 0) return 'now';
  if (left < 60) return `in ${left} s`;
  const m = Math.floor(left / 60);
  const s = left % 60;
  if (m < 60) return s ? `in ${m} min ${s} s` : `in ${m} min`;
  return `in ${Math.floor(m / 60)} h ${m % 60} min`;
}

/** How far through the wait we are (0 → 1), for the little bar. */
export function waitFraction(nextPollAtSeconds: number | null, intervalSeconds: number, nowMs: number): number {
  if (nextPollAtSeconds === null || intervalSeconds <= 0) return 0;
  const left = nextPollAtSeconds - nowMs / 1000;
  return Math.min(1, Math.max(0, 1 - left / intervalSeconds));
}

/** API calls per hour an interval costs (one listStatusChanges page per poll). */
export function callsPerHour(intervalSeconds: number): number {
  return intervalSeconds > 0 ? Math.round((3600 / intervalSeconds) * 10) / 10 : 0;
}

/** Seconds from what the person typed ("15" with unit "min"); null when not a whole number. */
export function intervalSeconds(value: string, unit: 's' | 'min'): number | null {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return null;
  return Number(v) * (unit === 'min' ? 60 : 1);
}

function spell(seconds: number): string {
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** Why an interval cannot be used (saying the allowed range), or null. */
export function intervalProblem(seconds: number | null, minimum: number, reason: string): string | null {
  if (seconds === null) return `Type a whole number of ${minimum >= 60 ? 'minutes' : 'seconds'}: ${spell(minimum)} or more.`;
  if (seconds < minimum) return `${seconds === 0 ? '0 is too short' : `${spell(seconds)} is too short`}: use ${spell(minimum)} or more. ${reason}`;
  return null;
}
