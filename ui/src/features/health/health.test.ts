import { describe, expect, it } from 'vitest';
import type { HealthReport, HealthStep } from '../../lib/ipc/types';
import { actionsFor, healthRows, plainConsentFix, verdict } from './health';

const pass = (step: HealthStep['step']): HealthStep => ({ step, ok: true, status: 'passed', code: 'ok', detail: null, message: `${step} ok`, fix: null });
const accounts = [
  { account_id: 'a', account_name: 'A', base_uri: 'https://na3.docusign.net', is_default: true },
  { account_id: 'b', account_name: 'B', base_uri: 'https://eu.docusign.net', is_default: false },
];

function report(last: HealthStep[]): HealthReport {
  const steps = [pass('settings'), pass('key'), pass('assertion'), pass('token'), pass('userinfo'), ...last];
  return { ok: steps.every((s) => s.ok), steps, accounts };
}

describe('health view', () => {
  it('offers the suggested base URI as a one-click fix', () => {
    const failed: HealthStep = { step: 'base_uri', ok: false, status: 'failed', code: 'base_uri_mismatch', detail: null, message: 'differs', fix: 'use it', suggested_value: 'https://na3.docusign.net' };
    const r = report([pass('account'), failed]);
    const rows = healthRows(r);
    expect(rows.map((x) => x.icon)).toEqual(['✓', '✓', '✓', '✓', '✓', '✓', '✕']);
    expect(rows[6].actions).toEqual([{ kind: 'use_base_uri', value: 'https://na3.docusign.net', label: 'Use https://na3.docusign.net' }]);
    expect(verdict(r)).toMatchObject({ tone: 'error', title: 'Base URI: needs attention' });
  });

  it('offers the accounts when the account is not accessible', () => {
    const failed: HealthStep = { step: 'account', ok: false, status: 'failed', code: 'account_not_accessible', detail: null, message: 'no', fix: 'choose' };
    const skipped: HealthStep = { step: 'base_uri', ok: false, status: 'skipped', code: 'skipped', detail: 'account_failed', message: 'not run', fix: null };
    const rows = healthRows(report([failed, skipped]));
    expect(rows[5].actions[0]).toMatchObject({ kind: 'choose_account', accounts });
    expect(rows[6]).toMatchObject({ icon: '–', actions: [] });
  });

  it("shows DocuSign's own words and offers to replace an unregistered key", () => {
    const token: HealthStep = {
      step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'no_valid_keys_or_signatures', message: 'refused', fix: 'upload',
      docusign_error: { status: 400, error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' },
    };
    const rows = healthRows({ ok: false, steps: [pass('settings'), pass('key'), pass('assertion'), token] });
    expect(rows[3].docusignWords).toBe('invalid_grant: no_valid_keys_or_signatures');
    expect(rows[3].actions.map((a) => a.kind)).toEqual(['replace_key']);
  });

  it("adds the desktop's own words for the fix's hint, never the CLI's", () => {
    const token: HealthStep = { step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'no_valid_keys_or_signatures', message: 'refused', fix: 'Add the public key of this private key.', hint: 'show_public_key' };
    const rows = healthRows({ ok: false, steps: [pass('settings'), pass('key'), pass('assertion'), token] });
    expect(rows[3].fix).toBe("Add the public key of this private key. The connection's key step shows the public key, with a copy button.");
    expect(rows[3].fix).not.toMatch(/dsjwt|--[a-z]/);
    const sandbox: HealthStep = { ...token, code: 'network_unreachable', detail: 'connect', fix: 'Start the sandbox again.', hint: 'start_sandbox' };
    expect(healthRows({ ok: false, steps: [sandbox] })[0].fix).toBe('Start the sandbox again.');
  });

  it('a consent fix is a plain sentence: the URL is kept apart (copy, Details), not inside it', () => {
    // Found by a fresh user: the raw consent URL sat in the middle of the sentence.
    const url = 'http://127.0.0.1:40000/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01&redirect_uri=http%3A%2F%2F127.0.0.1%3A40000%2Fcallback';
    // The core's words (studio_core::health), which the CLI prints as they are.
    const fix = `Open this consent URL, sign in as the user 5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01 and click Allow: ${url} Consent is per user and per environment: sign in with the same account membership as this user; production needs its own consent after Go-Live.`;
    const s: HealthStep = { step: 'token', ok: false, status: 'failed', code: 'consent_required', detail: 'consent_required', message: 'm', fix, suggested_value: url };
    const [row] = healthRows({ ok: false, steps: [s] });
    expect(row.fix).toBe('Open the consent page (“Give consent” opens it), sign in as the user 5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01 and click Allow. Consent is per user and per environment: sign in with the same account membership as this user; production needs its own consent after Go-Live.');
    expect(row.fix).not.toContain('http');
    expect(row.consentUrl).toBe(url);
    // Without the URL in it, a fix stays as it is.
    expect(plainConsentFix('Open the consent page and click Allow.', url)).toBe('Open the consent page and click Allow.');
    expect(plainConsentFix(`Click Allow: ${url}`, url)).toBe('Click Allow.');
    expect(healthRows({ ok: false, steps: [{ ...s, suggested_value: undefined }] })[0].consentUrl).toBeNull();
  });

  it('maps consent_required to giving consent, and a passed step to no action', () => {
    const s: HealthStep = { step: 'token', ok: false, status: 'failed', code: 'consent_required', detail: null, message: 'm', fix: 'f' };
    expect(actionsFor(s, { ok: false, steps: [s] })).toEqual([{ kind: 'give_consent', label: 'Give consent' }]);
    expect(actionsFor(pass('token'), { ok: true, steps: [] })).toEqual([]);
  });

  it('shows what is behind a clock problem, with its one-click fix on the token row', () => {
    const consent: HealthStep = { step: 'token', ok: false, status: 'failed', code: 'consent_required', detail: 'consent_required', message: 'The user has not granted consent.', fix: 'Open the consent page and click Allow.' };
    const clock: HealthStep = { step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'clock_skew', message: 'DocuSign says the assertion has expired: this computer’s clock is 67 minutes behind DocuSign’s.', fix: 'Turn on “Set time automatically”.', with_docusign_time: consent };
    const [row] = healthRows({ ok: false, steps: [clock], clock_skew_seconds: 4000 });
    expect(row.message).toMatch(/67 minutes behind/);
    expect(row.behind?.status).toBe('failed');
    expect(row.behind?.message).toBe('The user has not granted consent.');
    expect(row.actions).toEqual([{ kind: 'give_consent', label: 'Give consent' }]);
    expect(verdict({ ok: false, steps: [clock] }).text).toMatch(/67 minutes behind/);
    expect(healthRows({ ok: false, steps: [pass('token')] })[0].behind).toBeNull();
  });

  it("a clock that is all that failed is a warning verdict, in the report's own words", () => {
    const clock: HealthStep = { step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'clock_skew', message: 'expired', fix: 'Set the time.', with_docusign_time: pass('token') };
    const w = "This computer's clock is 24 hours behind DocuSign's. The Studio signs its requests with DocuSign's time, so its checks and actions work; other programs that use this key on this computer are refused until the clock is set right.";
    expect(verdict({ ok: false, steps: [clock], clock_skew_seconds: 86400, clock_warning: w })).toEqual({ tone: 'warning', title: 'Works, with a warning', text: w });
    // Without the field (consent missing behind the clock, say), the failure stays the verdict.
    expect(verdict({ ok: false, steps: [clock], clock_skew_seconds: 86400 })).toMatchObject({ tone: 'error', title: 'Access token: needs attention' });
  });

  it('offers to restart a sandbox that is not running', () => {
    const s: HealthStep = { step: 'token', ok: false, status: 'failed', code: 'network_unreachable', detail: 'connect', message: 'm', fix: 'f' };
    expect(actionsFor(s, { ok: false, steps: [s], environment: 'custom' })).toEqual([{ kind: 'restart_sandbox', label: 'Start the sandbox again' }]);
    expect(actionsFor(s, { ok: false, steps: [s], environment: 'demo' })).toEqual([]);
  });

  it('says healthy when every step passed', () => {
    const r = report([pass('account'), pass('base_uri')]);
    expect(verdict(r)).toMatchObject({ tone: 'ok', title: 'Your JWT connection is healthy' });
  });
});
