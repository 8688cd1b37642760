// The trigger monitor over the FakeBackend: the interval rule and its check as typed, start
// and stop, the live event log and the envelope timelines, and errors with their fix.
// The monitor store subscribes to the backend once per test file (as the app does once per
// run), so this file shares one FakeBackend and gives each test its own connection.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../../lib/ipc';
import { FakeBackend } from '../../lib/ipc/fake';
import { account } from '../../lib/account.svelte';
import { demoConnection, expectNoCliFlags } from '../../test/helpers';
import TriggersView from './TriggersView.svelte';

const fake = new FakeBackend({
  connections: ['Rule', 'Start', 'Fail', 'History', 'Clock', 'Kept', 'Count', 'Early'].map((name) => demoConnection({ name })).concat(demoConnection({ name: 'Sandbox', environment: 'sandbox' })),
});

beforeEach(() => setBackend(fake));
afterEach(() => {
  vi.useRealTimers();
});

function setUp(name: string) {
  account.use(name, true);
  const onopen = vi.fn();
  const r = render(TriggersView, { name, onopen });
  return { ...r, onopen, user: userEvent.setup() };
}

const card = (title: string) => screen.getByRole('article', { name: title });

describe('the trigger monitor', () => {
  it('demo: 15 minutes by default with its cost; a shorter interval is refused beside the field and Start is disabled', async () => {
    const { user } = setUp('Rule');
    await screen.findByRole('heading', { name: 'Envelope status changes' });
    const c = card('Envelope status changes');
    const every = within(c).getByRole('textbox', { name: 'Check every (a number)' });
    expect(every).toHaveValue('15');
    expect(within(c).getByRole('combobox', { name: 'Unit of the interval' })).toHaveValue('min');
    expect(within(c).getByRole('group', { name: 'Check every' })).toBeInTheDocument();
    expect(every).toHaveAccessibleDescription('Costs 4 calls an hour.');
    expect(c).toHaveTextContent('Shortest allowed here: 15 min. DocuSign forbids polling more than once every 15 minutes');
    await user.clear(every);
    await user.type(every, '5');
    expect(every).toHaveAttribute('aria-invalid', 'true');
    expect(every).toHaveAccessibleDescription(/too short: use .* or more\. DocuSign forbids polling/);
    expect(within(c).getByRole('button', { name: 'Start “Envelope status changes”' })).toBeDisabled();
    await user.clear(every);
    await user.type(every, '30');
    expect(every).toHaveAttribute('aria-invalid', 'false');
    expect(within(c).getByRole('button', { name: 'Start “Envelope status changes”' })).toBeEnabled();
    expect(screen.getByText('Nothing yet. Start a trigger above.')).toBeInTheDocument();
    expectNoCliFlags();
  });

  it('start, an event arrives in the log and the timeline, then stop', async () => {
    const { user } = setUp('Start');
    await screen.findByRole('heading', { name: 'Envelope status changes' });
    await user.click(screen.getByRole('button', { name: 'Start “Envelope status changes”' }));
    const c = card('Envelope status changes');
    expect(await within(c).findByText('Watching')).toBeInTheDocument();
    expect(c).toHaveTextContent('any template · every 15 min');
    const log = screen.getByRole('log', { name: 'Event log' });
    expect(log).toHaveTextContent('Started “Envelope status changes” for envelopes from any template, every 15 min: its first check looks back 24 hours');
    const id = fake.monitorList.find((m) => m.spec.connection === 'Start')?.id ?? '';
    fake.emitMonitor({ kind: 'event', monitor_id: id, event: { trigger: 'on_envelope_status_change', event_id: 'ev1', envelope_id: 'e1000000-0000-4000-8000-000000000000', status: 'completed', status_changed_at: new Date().toISOString(), template_id: null, email_subject: 'Please sign the Mutual NDA' } });
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(2));
    const timeline = document.getElementById('timelines') as HTMLElement;
    expect(timeline).toHaveTextContent('Please sign the Mutual NDA');
    await user.click(within(c).getByRole('button', { name: 'Stop “Envelope status changes”' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Start “Envelope status changes”' })).toBeEnabled());
    expect(log).toHaveTextContent('Stopped “Envelope status changes”');
  });

  it('a monitor that cannot start says why and how to fix it', async () => {
    const real = fake.startMonitor.bind(fake);
    fake.startMonitor = async () => {
      throw { code: 'not_found', message: 'There is no connection named “Fail”.', fix: 'Choose a saved connection.' };
    };
    try {
      const { user } = setUp('Fail');
      await screen.findByRole('heading', { name: 'A recipient finished signing' });
      await user.click(screen.getByRole('button', { name: 'Start “A recipient finished signing”' }));
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('Not started');
      expect(alert).toHaveTextContent('There is no connection named “Fail”.');
      expect(alert).toHaveTextContent('How to fix: Choose a saved connection.');
    } finally {
      fake.startMonitor = real;
    }
  });

  it('events stored before the app restarted show in the log, marked as such', async () => {
    fake.history.History = [{ trigger: 'on_envelope_status_change', event_id: 'old1', envelope_id: 'e2000000-0000-4000-8000-000000000000', status: 'sent', status_changed_at: '2026-01-01T10:00:00Z', template_id: null, email_subject: 'Earlier envelope' }];
    setUp('History');
    const log = await screen.findByRole('log', { name: 'Event log' });
    await waitFor(() => expect(log).toHaveTextContent('before the app restarted'));
    expect(document.getElementById('timelines')).toHaveTextContent('Earlier envelope');
  });

  it('a trigger kept from an earlier run comes back with its filter, interval and place, and its Started line names the template', async () => {
    const NDA = '5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01';
    fake.savedTriggerMap['Kept|on_envelope_status_change'] = { trigger: 'on_envelope_status_change', template_id: NDA, template_name: 'Mutual NDA', interval_seconds: 1800, last_checked: '2026-01-01T10:00:00.0000000Z' };
    const { user } = setUp('Kept');
    await screen.findByRole('heading', { name: 'Envelope status changes' });
    const c = card('Envelope status changes');
    const filter = within(c).getByRole('combobox', { name: 'Only envelopes from' });
    await waitFor(() => expect(filter).toHaveValue(NDA));
    expect(within(c).getByRole('textbox', { name: 'Check every (a number)' })).toHaveValue('30');
    expect(within(c).getByRole('combobox', { name: 'Unit of the interval' })).toHaveValue('min');
    expect(c.querySelector('[data-kept]')).toHaveTextContent(/^Kept from last time: envelopes from “Mutual NDA”, every 30 min\. Start goes on from its last check \(.+\): nothing already reported comes again\.$/);
    expect(filter).toHaveAccessibleDescription('Changing the template keeps this trigger’s place: the new filter applies to changes after its last check. Earlier changes are not looked at again, for any template.');
    // The other trigger was never started: nothing kept, the defaults.
    const other = card('A recipient finished signing');
    expect(other.querySelector('[data-kept]')).toBeNull();
    expect(within(other).getByRole('combobox', { name: 'Only envelopes from' })).toHaveValue('');
    await user.click(within(c).getByRole('button', { name: 'Start “Envelope status changes”' }));
    expect(await within(c).findByText('Watching')).toBeInTheDocument();
    expect(c.querySelector('[data-watching]')).toHaveTextContent('envelopes from “Mutual NDA” · every 30 min');
    expect(fake.monitorList.find((m) => m.spec.connection === 'Kept')?.spec).toEqual({ connection: 'Kept', trigger: 'on_envelope_status_change', template_id: NDA, template_name: 'Mutual NDA', interval_seconds: 1800 });
    const log = screen.getByRole('log', { name: 'Event log' });
    expect(log).toHaveTextContent(/Started “Envelope status changes” for envelopes from “Mutual NDA”, every 30 min: going on from its last check \(.+\), nothing reported again/);
    expect(log).not.toHaveTextContent(NDA);
    // Stopped after a check: the card shows the trigger's new place.
    fake.savedTriggerMap['Kept|on_envelope_status_change'].last_checked = '2026-01-01T11:30:00Z';
    await user.click(within(c).getByRole('button', { name: 'Stop “Envelope status changes”' }));
    await waitFor(() => expect(c.querySelector('[data-kept]')).toHaveTextContent(`its last check (${new Date(Date.parse('2026-01-01T11:30:00Z')).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })})`));
  });

  it('a check\'s count is the event lines it added to the log (finding 2: "1 new event" with no line)', async () => {
    const { user } = setUp('Count');
    await screen.findByRole('heading', { name: 'Envelope status changes' });
    await user.click(screen.getByRole('button', { name: 'Start “Envelope status changes”' }));
    const c = card('Envelope status changes');
    expect(await within(c).findByText('Watching')).toBeInTheDocument();
    const id = fake.monitorList.find((m) => m.spec.connection === 'Count')?.id ?? '';
    const log = screen.getByRole('log', { name: 'Event log' });
    // A count that does not match the events sent is not shown: the lines are counted.
    fake.emitMonitor({ kind: 'cycle', monitor_id: id, calls: 1, events: 1, next_poll_at: Math.floor(Date.now() / 1000) + 900 });
    await waitFor(() => expect(c).toHaveTextContent(': 0 new events.'));
    expect(within(log).getAllByRole('listitem')).toHaveLength(1);
    fake.emitMonitor({ kind: 'event', monitor_id: id, event: { trigger: 'on_envelope_status_change', event_id: 'c1', envelope_id: 'e3000000-0000-4000-8000-000000000000', status: 'sent', status_changed_at: new Date().toISOString(), template_id: null, email_subject: 'Counted' } });
    fake.emitMonitor({ kind: 'cycle', monitor_id: id, calls: 1, events: 1, next_poll_at: Math.floor(Date.now() / 1000) + 900 });
    await waitFor(() => expect(c).toHaveTextContent(': 1 new event.'));
    expect(within(log).getAllByRole('listitem')).toHaveLength(2);
    expect(log).toHaveTextContent('“Counted” is now sent');
  });

  it('the sandbox allows seconds and links to signing an envelope there', async () => {
    const { user, onopen } = setUp('Sandbox');
    await screen.findByRole('heading', { name: 'Envelope status changes' });
    const c = card('Envelope status changes');
    expect(within(c).getByRole('textbox', { name: 'Check every (a number)' })).toHaveValue('5');
    expect(within(c).getByRole('combobox', { name: 'Unit of the interval' })).toHaveValue('s');
    await user.click(screen.getByRole('button', { name: 'Sign an envelope in the sandbox →' }));
    expect(onopen).toHaveBeenCalledWith('sandbox');
  });

  it('each card is named by its trigger, and its Start button says which trigger (no two share a name)', async () => {
    setUp('Rule');
    await screen.findByRole('heading', { name: 'Envelope status changes' });
    for (const title of ['Envelope status changes', 'A recipient finished signing']) {
      const c = card(title);
      expect(within(c).getByRole('heading', { level: 2 })).toHaveTextContent(title);
      const start = within(c).getByRole('button', { name: `Start “${title}”` });
      expect(start).toHaveTextContent(/^Start$/);
      expect(screen.getAllByRole('button', { name: `Start “${title}”` })).toEqual([start]);
    }
    expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
  });

  it('"last check" and the countdown move with the clock, and no timer is left once the screen is gone', async () => {
    // The clock's interval and Date are faked (the time stands still unless moved); the rest runs.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { user, unmount } = setUp('Clock');
    await screen.findByRole('heading', { name: 'Envelope status changes' });
    await user.click(screen.getByRole('button', { name: 'Start “Envelope status changes”' }));
    const c = card('Envelope status changes');
    expect(await within(c).findByText('Watching')).toBeInTheDocument();
    const id = fake.monitorList.find((m) => m.spec.connection === 'Clock')?.id ?? '';
    fake.emitMonitor({ kind: 'cycle', monitor_id: id, calls: 1, events: 0, next_poll_at: Math.floor(Date.now() / 1000) + 900 });
    await waitFor(() => expect(c).toHaveTextContent('Last check just now: 0 new events.'));
    expect(c).toHaveTextContent('Next check in 15 min');
    await vi.advanceTimersByTimeAsync(42_000);
    await waitFor(() => expect(c).toHaveTextContent('Next check in 14 min 18 s'));
    await waitFor(() => expect(c).toHaveTextContent('Last check 42 s ago: 0 new events.'));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await waitFor(() => expect(c).toHaveTextContent('Last check 5 min ago: 0 new events.'));
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
  it('the first check’s event, reported before Start answers, shows in the log and the count', async () => {
    // The real app's first check starts at once and can report before the start command's
    // answer reaches the window (seen by a fresh user: the event was handed out, the log empty).
    const real = fake.startMonitor.bind(fake);
    fake.startMonitor = async (spec) => {
      const id = `monitor-${fake.monitorList.length + 1}`;
      fake.emitMonitor({ kind: 'event', monitor_id: id, event: { trigger: 'on_envelope_status_change', event_id: 'early1', envelope_id: 'e4000000-0000-4000-8000-000000000000', status: 'sent', status_changed_at: new Date().toISOString(), template_id: null, email_subject: 'Sent just before' } });
      fake.emitMonitor({ kind: 'cycle', monitor_id: id, calls: 1, events: 1, next_poll_at: Math.floor(Date.now() / 1000) + 5 } as never);
      return real(spec);
    };
    try {
      const { user } = setUp('Early');
      await screen.findByRole('heading', { name: 'Envelope status changes' });
      await user.click(screen.getByRole('button', { name: 'Start “Envelope status changes”' }));
      const c = card('Envelope status changes');
      expect(await within(c).findByText('Watching')).toBeInTheDocument();
      const log = screen.getByRole('log', { name: 'Event log' });
      await waitFor(() => expect(log).toHaveTextContent('“Sent just before” is now sent'));
      expect(c).toHaveTextContent('1 new event');
    } finally {
      fake.startMonitor = real;
    }
  });
});
