import { describe, expect, it } from 'vitest';
import { outcomeToAttempt } from './tauri';
import { toConnection, toDraft, type Connection, type ConsentOutcome, type HealthStep } from './types';

const token = (over: Partial<HealthStep>): HealthStep => ({ step: 'token', ok: false, status: 'failed', code: 'consent_required', detail: null, message: 'm', fix: 'f', ...over });

describe('IPC shape mapping', () => {
  it('turns a granted consent outcome into a consented attempt with the accounts', () => {
    const accounts = [{ account_id: 'a', account_name: 'A', base_uri: 'https://x', is_default: true }];
    const o: ConsentOutcome = { state: 'granted', attempts_made: 1, step: token({ ok: true, status: 'passed', code: 'ok' }), report: { ok: false, steps: [], accounts } };
    expect(outcomeToAttempt(o)).toMatchObject({ consented: true, code: 'ok', accounts });
  });

  it('keeps DocuSign’s words and the fix when consent is still required or refused', () => {
    const still: ConsentOutcome = { state: 'still_required', attempts_made: 1, step: token({ docusign_error: { status: 400, error: 'consent_required' } }), report: null };
    expect(outcomeToAttempt(still)).toMatchObject({ consented: false, code: 'consent_required', fix: 'f', docusign_error: { error: 'consent_required' }, accounts: null });
    const failed: ConsentOutcome = { state: 'failed', attempts_made: 1, step: token({ code: 'invalid_grant', detail: 'no_valid_keys_or_signatures' }), report: null };
    expect(outcomeToAttempt(failed).code).toBe('invalid_grant');
    expect(outcomeToAttempt({ state: 'cancelled', attempts_made: 0, step: null, report: null }).code).toBe('cancelled');
  });

  it('sends an empty redirect URI as none, and edits none as empty', () => {
    const c: Connection = { name: 'n', environment: 'demo', integration_key: '', user_id: '', account_id: '', base_uri: '', auth_server: 'demo', ca_cert: null, redirect_uri: null, key_fingerprint: null, created_at: '', updated_at: '' };
    expect(toDraft(c).redirect_uri).toBe('');
    expect(toConnection({ ...toDraft(c), redirect_uri: '  ' }).redirect_uri).toBeNull();
    expect(toConnection({ ...toDraft(c), redirect_uri: 'https://x/cb' }).redirect_uri).toBe('https://x/cb');
  });
});
