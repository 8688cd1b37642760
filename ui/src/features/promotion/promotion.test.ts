import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../../lib/ipc/fake';
import { PromotionChecker, blocker, emptyPromotion, productionName, promotionInput } from './promotion';

describe('production promotion form', () => {
  it('names the production connection after the demo one, and waits for every field', () => {
    const f = emptyPromotion('My app - demo');
    expect(f.values.name).toBe('My app - production');
    expect(productionName('Acme demo')).toBe('Acme - production');
    expect(productionName('Acme')).toBe('Acme - production');
    expect(productionName('Demo')).toBe('Production');
    expect(blocker(f)).toBe('Fill in “Production User ID (API Username)”.');
  });

  it('checks each field as typed, refuses a bad one, and sends the checked (normalised) values', async () => {
    const fake = new FakeBackend();
    const f = emptyPromotion('Demo');
    const checker = new PromotionChecker(() => fake, f);
    f.values.user_id = 'ada@example.com';
    f.values.account_id = '{3B1F3A2B-7C4E-4F6A-9B8C-0D1E2F3A4B01}';
    f.values.base_uri = 'https://na3.docusign.net';
    await Promise.all(['name', 'user_id', 'account_id', 'base_uri'].map((k) => checker.check(k as 'name')));
    expect(blocker(f)).toMatch(/^Fix “Production User ID/);
    f.values.user_id = '2b1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01';
    await checker.check('user_id');
    expect(blocker(f)).toBeNull();
    expect(promotionInput('Demo', f)).toEqual({ demo_connection: 'Demo', name: 'Production', user_id: '2b1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01', account_id: '3B1F3A2B-7C4E-4F6A-9B8C-0D1E2F3A4B01', base_uri: 'https://na3.docusign.net' });
    const checks = fake.calls.filter((c) => c.cmd === 'check_field').map((c) => (c.args as { context: { environment: string } }).context.environment);
    expect(new Set(checks)).toEqual(new Set(['production']));
  });

  it('drops an answer for a value that changed since', async () => {
    const f = emptyPromotion('Demo');
    let release: () => void = () => {};
    const slow = new FakeBackend();
    const real = slow.checkField.bind(slow);
    let first = true;
    slow.checkField = async (...a) => {
      if (first) {
        first = false;
        await new Promise<void>((r) => (release = r));
      }
      return real(...a);
    };
    const checker = new PromotionChecker(() => slow, f);
    f.values.user_id = 'bad';
    const old = checker.check('user_id');
    f.values.user_id = '2b1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01';
    await checker.check('user_id');
    release();
    await old;
    expect(f.checks.user_id?.level).toBe('ok');
    expect(f.pending.user_id).toBe(false);
  });
});
