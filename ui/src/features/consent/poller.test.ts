import { describe, expect, it } from 'vitest';
import type { Code, ConsentOutcome, HealthStep } from '../../lib/ipc/types';
import { ConsentPoller, type PollState, type Timers } from './poller';

class ManualTimers implements Timers {
  queue: { fn: () => void; id: number }[] = [];
  private n = 0;
  setTimeout(fn: () => void) {
    const id = ++this.n;
    this.queue.push({ fn, id });
    return id;
  }
  clearTimeout(h: unknown) {
    this.queue = this.queue.filter((t) => t.id !== h);
  }
  /** Runs the pending timers (one second each). */
  async tick(times = 1) {
    for (let i = 0; i < times; i++) {
      const q = this.queue;
      this.queue = [];
      q.forEach((t) => t.fn());
      await flush();
    }
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const token = (code: Code, message: string, fix: string | null): HealthStep => ({ step: 'token', ok: code === 'ok', status: code === 'ok' ? 'passed' : 'failed', code, detail: null, message, fix });
const refused = (code: Code, message: string, fix: string): ConsentOutcome => ({ state: code === 'consent_required' ? 'still_required' : 'failed', attempts_made: 1, step: token(code, message, fix), report: null });
const notYet = refused('consent_required', 'no', 'allow');
const yes: ConsentOutcome = { state: 'granted', attempts_made: 1, step: token('ok', 'yes', null), report: { ok: true, steps: [], accounts: [] } };

function setup(answers: (ConsentOutcome | Error)[], opts: { maxAttempts?: number } = {}) {
  const timers = new ManualTimers();
  const states: PollState[] = [];
  let i = 0;
  const poller = new ConsentPoller({
    attempt: async () => {
      const a = answers[Math.min(i++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a;
    },
    onChange: (s) => states.push(s),
    interval: 3,
    timers,
    ...opts,
  });
  return { poller, timers, states, calls: () => i };
}

describe('consent poller', () => {
  it('a granted outcome confirms with the accounts DocuSign listed', async () => {
    const accounts = [{ account_id: 'a', account_name: 'A', base_uri: 'https://x', is_default: true }];
    const granted: ConsentOutcome = { ...yes, report: { ok: false, steps: [], accounts } };
    const { poller } = setup([granted]);
    poller.start();
    await flush();
    expect(poller.state).toMatchObject({ phase: 'confirmed', error: null });
    expect(poller.state.last?.report?.accounts).toEqual(accounts);
  });

  it('a refusal keeps DocuSign’s words and the fix', async () => {
    const step = { ...token('invalid_grant', 'DocuSign refused the assertion', 'register the public key'), docusign_error: { status: 400, error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' } };
    const { poller } = setup([{ state: 'failed', attempts_made: 1, step, report: null }]);
    poller.start();
    await flush();
    expect(poller.state.phase).toBe('failed');
    expect(poller.state.error).toMatchObject({ code: 'invalid_grant', message: 'DocuSign refused the assertion', fix: 'register the public key' });
    expect(poller.state.last?.step?.docusign_error).toMatchObject({ error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' });
  });

  it('tries now, counts down, tries again, and stops once consent is given', async () => {
    const { poller, timers, calls } = setup([notYet, yes]);
    poller.start();
    await flush();
    expect(poller.state).toMatchObject({ phase: 'waiting', secondsLeft: 3, attempts: 1 });
    await timers.tick();
    expect(poller.state.secondsLeft).toBe(2);
    await timers.tick(2);
    expect(poller.state).toMatchObject({ phase: 'confirmed', attempts: 2 });
    expect(calls()).toBe(2);
    expect(timers.queue).toHaveLength(0);
  });

  it('cancel stops the countdown and no further try happens', async () => {
    const { poller, timers, calls } = setup([notYet]);
    poller.start();
    await flush();
    poller.cancel();
    expect(poller.state.phase).toBe('cancelled');
    await timers.tick(5);
    expect(calls()).toBe(1);
  });

  it('stops with the fix on an error other than consent_required', async () => {
    const { poller } = setup([refused('invalid_grant', 'key not registered', 'upload the public key')]);
    poller.start();
    await flush();
    expect(poller.state).toMatchObject({ phase: 'failed', error: { code: 'invalid_grant', fix: 'upload the public key' } });
  });

  it('stops on a command error', async () => {
    const { poller } = setup([new Error('boom')]);
    poller.start();
    await flush();
    expect(poller.state).toMatchObject({ phase: 'failed', error: { code: 'unknown', message: 'boom' } });
  });

  it('gives up after the last attempt', async () => {
    const { poller, timers } = setup([notYet], { maxAttempts: 2 });
    poller.start();
    await flush();
    await timers.tick(3);
    expect(poller.state).toMatchObject({ phase: 'timed_out', attempts: 2 });
  });

  it('check now skips the rest of the countdown', async () => {
    const { poller, calls } = setup([notYet, yes]);
    poller.start();
    await flush();
    poller.checkNow();
    await flush();
    expect(poller.state.phase).toBe('confirmed');
    expect(calls()).toBe(2);
  });
});
