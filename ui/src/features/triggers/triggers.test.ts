import { describe, expect, it } from 'vitest';
import type { MonitorInfo, TriggerEvent } from '../../lib/ipc/types';
import { apply, emptyMonitors, loadHistory, monitorFor, started, startedText } from './monitors';
import { buildTimelines, callsPerHour, countdown, intervalProblem, intervalSeconds, waitFraction } from './timeline';

const ev = (over: Partial<TriggerEvent>): TriggerEvent => ({ trigger: 'on_envelope_status_change', event_id: 'x', envelope_id: 'env-1', status: 'sent', status_changed_at: '2026-01-01T10:00:00Z', template_id: 't', email_subject: 'Please sign the Mutual NDA', recipient: null, ...over });

describe('timelines from trigger events', () => {
  it('orders each envelope’s statuses and finished recipients, newest envelope first', () => {
    const t = buildTimelines([
      ev({ status: 'completed', status_changed_at: '2026-01-01T10:05:00Z' }),
      ev({ status: 'sent' }),
      ev({ trigger: 'on_recipient_completed', status: 'sent', status_changed_at: '2026-01-01T10:02:00Z', recipient: { recipient_id: '1', name: 'Ada', email: null, role_name: 'Signer 1', recipient_type: 'signer', completed_at: '2026-01-01T10:02:00Z' } }),
      ev({ trigger: 'on_recipient_completed', status: 'completed', status_changed_at: '2026-01-01T10:05:00Z', recipient: { recipient_id: '2', name: null, email: 'legal@example.com', role_name: null, recipient_type: 'signer', completed_at: '2026-01-01T10:05:00Z' } }),
      ev({ status: 'sent' }),
      ev({ envelope_id: 'env-0', status: 'voided', status_changed_at: '2025-12-31T10:00:00Z', email_subject: null }),
    ]);
    expect(t.map((x) => x.envelope_id)).toEqual(['env-1', 'env-0']);
    expect(t[0].statuses.map((s) => s.status)).toEqual(['sent', 'completed']);
    expect(t[0].current).toBe('completed');
    expect(t[0].recipients.map((r) => r.who)).toEqual(['Ada', 'legal@example.com']);
    expect(t[1].subject).toBe('Envelope env-0');
  });

  it('f43: a bounced recipient is shown as a delivery failure on its envelope', () => {
    const t = buildTimelines([ev({ event_id: 'bounce:env-1:1', delivery_problem: { code: 'email_bounced', detail: null, recipient_id: '1', name: 'Bo', email: 'bo@example.com', reason: '550 mailbox unavailable', message: 'Delivery failure: the email to Bo bounced.', fix: 'Correct the email address in DocuSign, then resend.' } })]);
    expect(t[0].problems).toEqual([{ recipient_id: '1', who: 'Bo', reason: '550 mailbox unavailable', fix: 'Correct the email address in DocuSign, then resend.' }]);
    expect(t[0].statuses.map((s) => s.status)).toEqual(['sent']);
  });

  it('a recipient event alone still shows the envelope’s status', () => {
    const t = buildTimelines([ev({ trigger: 'on_recipient_completed', status: 'delivered', recipient: { recipient_id: '1', name: 'Ada', email: null, role_name: null, recipient_type: 'signer', completed_at: null } })]);
    expect(t[0].statuses).toEqual([{ status: 'delivered', at: '2026-01-01T10:00:00Z' }]);
  });
});

describe('countdown and cost', () => {
  const now = 1_000_000_000;
  it('counts down to the next poll', () => {
    expect(countdown(null, now * 1000)).toBe('');
    expect(countdown(now + 4, now * 1000)).toBe('in 4 s');
    expect(countdown(now + 870, now * 1000)).toBe('in 14 min 30 s');
    expect(countdown(now + 900, now * 1000)).toBe('in 15 min');
    expect(countdown(now - 1, now * 1000)).toBe('now');
    expect(waitFraction(now + 5, 10, now * 1000)).toBe(0.5);
  });
  it('checks the interval against the minimum, with the reason', () => {
    expect(intervalSeconds('15', 'min')).toBe(900);
    expect(intervalSeconds('2', 's')).toBe(2);
    expect(intervalSeconds('1.5', 's')).toBeNull();
    expect(intervalSeconds('0', 's')).toBe(0);
    expect(intervalProblem(600, 900, 'DocuSign forbids it.')).toBe('10 minutes is too short: use 15 minutes or more. DocuSign forbids it.');
    expect(intervalProblem(900, 900, 'x')).toBeNull();
    expect(intervalProblem(null, 1, 'x')).toBe('Type a whole number of seconds: 1 second or more.');
  });
  it('says the allowed range for an interval of 0, not "Type a whole number"', () => {
    expect(intervalProblem(intervalSeconds('0', 'min'), 900, 'DocuSign refuses reviews for more.')).toBe('0 is too short: use 15 minutes or more. DocuSign refuses reviews for more.');
    expect(intervalProblem(intervalSeconds('0', 's'), 1, 'sandbox')).toBe('0 is too short: use 1 second or more. sandbox');
    expect(callsPerHour(900)).toBe(4);
    expect(callsPerHour(2)).toBe(1800);
  });
});

describe('monitor updates', () => {
  const info: MonitorInfo = { id: 'monitor-1', spec: { connection: 'Sandbox', trigger: 'on_recipient_completed', template_id: null, interval_seconds: 2 }, calls_per_hour: 1800, minimum_interval_seconds: 1, interval_reason: 'sandbox' };
  it('tracks the next poll, logs events newest first, and forgets a stopped monitor', () => {
    const d = emptyMonitors();
    started(d, info, 1);
    apply(d, { kind: 'cycle', monitor_id: 'monitor-1', calls: 1, events: 0, next_poll_at: 100 }, 2);
    expect(monitorFor(d, 'Sandbox', 'on_recipient_completed')?.next_poll_at).toBe(100);
    apply(d, { kind: 'event', monitor_id: 'monitor-1', event: ev({ trigger: 'on_recipient_completed', recipient: { recipient_id: '1', name: 'Ada', email: null, role_name: 'Signer 1', recipient_type: 'signer', completed_at: null } }) }, 3);
    expect(d.log[0].text).toBe('Ada (Signer 1) finished signing “Please sign the Mutual NDA”');
    expect(d.events).toHaveLength(1);
    apply(d, { kind: 'error', monitor_id: 'monitor-1', message: 'HTTP 429', next_poll_at: 200 }, 4);
    expect(d.running['monitor-1'].error).toBe('HTTP 429');
    apply(d, { kind: 'cycle', monitor_id: 'monitor-1', calls: 1, events: 0, next_poll_at: 300 }, 5);
    expect(d.running['monitor-1'].error).toBeNull();
    expect(d.running['monitor-1'].calls).toBe(2);
    apply(d, { kind: 'stopped', monitor_id: 'monitor-1' }, 6);
    expect(monitorFor(d, 'Sandbox', 'on_recipient_completed')).toBeNull();
    expect(d.log.map((l) => l.kind)).toEqual(['stopped', 'error', 'event', 'started']);
  });

  it('keeps what a monitor said before its start answer came, and replays it then', () => {
    const d = emptyMonitors();
    apply(d, { kind: 'event', monitor_id: 'monitor-1', event: ev({}) }, 1);
    apply(d, { kind: 'cycle', monitor_id: 'monitor-1', calls: 1, events: 1, next_poll_at: 50 }, 1);
    expect(d.log).toHaveLength(0);
    started(d, info, 2);
    expect(d.events[0].connection).toBe('Sandbox');
    expect(d.running['monitor-1'].next_poll_at).toBe(50);
  });
});

describe('one source of truth for a check\'s count, and the Started line', () => {
  const info: MonitorInfo = { id: 'monitor-1', spec: { connection: 'Sandbox', trigger: 'on_envelope_status_change', template_id: 'tpl-1', template_name: 'Mutual NDA', interval_seconds: 5 }, calls_per_hour: 720, minimum_interval_seconds: 1, interval_reason: '', resumed_from: null };
  it('counts the event lines a check added, whatever count the shell sent', () => {
    const d = emptyMonitors();
    started(d, info, 1);
    apply(d, { kind: 'event', monitor_id: 'monitor-1', event: ev({ event_id: 'a' }) }, 2);
    apply(d, { kind: 'event', monitor_id: 'monitor-1', event: ev({ event_id: 'b', status: 'completed' }) }, 2);
    apply(d, { kind: 'cycle', monitor_id: 'monitor-1', calls: 1, events: 7, next_poll_at: 10 }, 3);
    expect(d.running['monitor-1'].last_events).toBe(2);
    apply(d, { kind: 'cycle', monitor_id: 'monitor-1', calls: 1, events: 1, next_poll_at: 20 }, 4);
    expect(d.running['monitor-1'].last_events).toBe(0);
  });
  it('an event shown from the history just before it was handed out live is one line, live (not "before the app restarted")', () => {
    const d = emptyMonitors();
    started(d, info, 1);
    loadHistory(d, 'Sandbox', [ev({ event_id: 'x1' })], 2);
    expect(d.log.filter((l) => l.earlier)).toHaveLength(1);
    apply(d, { kind: 'event', monitor_id: 'monitor-1', event: ev({ event_id: 'x1' }) }, 3);
    const lines = d.log.filter((l) => l.event?.event_id === 'x1');
    expect(lines.map((l) => !!l.earlier)).toEqual([false]);
    expect(d.events.filter((e) => e.event.event_id === 'x1')).toHaveLength(1);
  });
  it('the Started line names the filter by its template name, and where the trigger starts', () => {
    expect(startedText(info)).toBe('Started “Envelope status changes” for envelopes from “Mutual NDA”, every 5 s: its first check looks back 24 hours');
    expect(startedText({ ...info, spec: { ...info.spec, template_name: null } })).toBe('Started “Envelope status changes” for envelopes from template tpl-1, every 5 s: its first check looks back 24 hours');
    expect(startedText({ ...info, spec: { ...info.spec, template_id: null, interval_seconds: 900 }, resumed_from: 'not a time' })).toBe('Started “Envelope status changes” for envelopes from any template, every 15 min: going on from its last check (not a time), nothing reported again');
  });
});

describe('stored events after a restart', () => {
  it('come back in the log (marked as earlier) and the timelines, once, after the live ones', () => {
    const d = emptyMonitors();
    const info: MonitorInfo = { id: 'monitor-1', spec: { connection: 'Sandbox', trigger: 'on_envelope_status_change', template_id: null, interval_seconds: 5 }, calls_per_hour: 720, minimum_interval_seconds: 1, interval_reason: '' };
    started(d, info, 1);
    apply(d, { kind: 'event', monitor_id: 'monitor-1', event: ev({ event_id: 'live', status: 'completed', status_changed_at: '2026-01-01T11:00:00Z' }) }, 3);
    const stored = [ev({ event_id: 'a', status: 'sent' }), ev({ event_id: 'b', status: 'delivered', status_changed_at: '2026-01-01T10:01:00Z' }), ev({ event_id: 'live', status: 'completed' })];
    loadHistory(d, 'Sandbox', stored, 9);
    loadHistory(d, 'Sandbox', stored, 9);
    const events = d.log.filter((l) => l.kind === 'event');
    expect(events.map((l) => l.event?.event_id)).toEqual(['live', 'b', 'a']);
    expect(events.map((l) => !!l.earlier)).toEqual([false, true, true]);
    expect(events[2].at).toBe(Date.parse('2026-01-01T10:00:00Z'));
    expect(d.events.map((e) => e.event.event_id)).toEqual(['a', 'b', 'live']);
    expect(buildTimelines(d.events.map((e) => e.event))[0].statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'completed']);
  });
});
