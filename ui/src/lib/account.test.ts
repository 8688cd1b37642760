import { beforeEach, describe, expect, it } from 'vitest';
import { account } from './account.svelte';
import { setBackend } from './ipc';
import { FakeBackend } from './ipc/fake';

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

  it('forgets everything for another connection', async () => {
    await account.loadTemplates();
    account.use('Other');
    expect(account.templates).toBeNull();
  });
});
