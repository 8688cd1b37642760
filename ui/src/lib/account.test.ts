import { beforeEach, describe, expect, it } from 'vitest';
import { account } from './account.svelte';
import { setBackend } from './ipc';
import { FakeBackend } from './ipc/fake';
import type { MonitorInfo } from './ipc/types';
import { monitors, onUpdate } from '../features/triggers/monitors.svelte';
import { started } from '../features/triggers/monitors';

describe('the account’s lists', () => {
  let fake: FakeBackend;
  beforeEach(() => {
    fake = new FakeBackend({ connections: [] });
    setBackend(fake);
    account.use('', true);
    account.use('Sandbox');
  });

  it('fetches each list once, and again only when asked', async () => {
    await account.loadTemplates();
    await account.loadTemplates();
    expect(fake.calls.filter((c) => c.cmd === 'run_action')).toHaveLength(1);
    expect(account.templates?.[0].name).toBe('Mutual NDA');
    await account.loadTemplates(true);
    expect(fake.calls.filter((c) => c.cmd === 'run_action')).toHaveLength(2);
    expect(account.streak).toBe(2);
    expect(account.lastEffect?.summary).toBe('+1 (2/20)');
  });

  it('an envelope sent before the list was fetched does not stand in for the list', async () => {
    account.noteEnvelope('e1', 'Hello', 'sent');
    expect(account.envelopes).toBeNull();
    await account.loadEnvelopes();
    expect(account.envelopes).toEqual([]);
    account.noteEnvelope('e1', 'Hello', 'sent');
    expect(account.envelopes?.map((e) => e.id)).toEqual(['e1']);
  });

  it('takes recipient statuses from a sandbox move without a call', async () => {
    account.noteRecipients('e1', 'completed', [{ recipient_id: '1', name: 'Ada', role_name: 'Signer 1', recipient_type: 'signer', status: 'completed', routing_order: 1 }]);
    expect(account.recipients.e1[0]).toMatchObject({ id: '1', name: 'Ada', status: 'completed' });
    expect(fake.calls.filter((c) => c.cmd === 'run_action')).toHaveLength(0);
  });

  it('reads no Go-Live panel when no connection is shown', async () => {
    // Found by a fresh-user run: every start logged "There is no connection named \"\"".
    fake.calls.length = 0;
    account.use('', true);
    await Promise.resolve();
    expect(fake.calls.filter((c) => c.cmd === 'golive_panel')).toHaveLength(0);
  });

  it('a trigger cycle that called DocuSign for this connection moves the top bar’s streak', async () => {
    // Found by a fresh-user run: the bar stayed at 5/20 while a trigger made 9 calls.
    await account.loadTemplates();
    expect(account.lastEffect?.summary).toBe('+1 (1/20)');
    const info: MonitorInfo = { id: 'monitor-9', spec: { connection: 'Sandbox', trigger: 'on_envelope_status_change', template_id: null, interval_seconds: 5 }, calls_per_hour: 720, minimum_interval_seconds: 1, interval_reason: '' };
    started(monitors, info, Date.now());
    fake.calls.length = 0;
    onUpdate({ kind: 'cycle', monitor_id: 'monitor-9', calls: 1, events: 0, next_poll_at: 0 });
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.calls.filter((c) => c.cmd === 'golive_panel')).toHaveLength(1);
    expect(account.lastEffect).toBeNull();
    // A cycle of another connection's monitor, or one with no call, reads nothing.
    started(monitors, { ...info, id: 'monitor-10', spec: { ...info.spec, connection: 'Other' } }, Date.now());
    onUpdate({ kind: 'cycle', monitor_id: 'monitor-10', calls: 1, events: 0, next_poll_at: 0 });
    onUpdate({ kind: 'cycle', monitor_id: 'monitor-9', calls: 0, events: 0, next_poll_at: 0 });
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.calls.filter((c) => c.cmd === 'golive_panel')).toHaveLength(1);
  });

  it('forgets everything for another connection', async () => {
    await account.loadTemplates();
    account.use('Other');
    expect(account.templates).toBeNull();
  });
});
