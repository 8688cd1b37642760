import { describe, expect, it } from 'vitest';
import type { FieldCheck } from '../../lib/ipc/types';
import {
  applyCheck,
  canJumpTo,
  canLeave,
  chooseAccount,
  firstOpenStep,
  holdsUnsavedGeneratedKey,
  leaveWarning,
  newWizard,
  nextStep,
  prevStep,
  setConsented,
  setEnvironment,
  setField,
  setKey,
  STEPS,
  typedSnapshot,
  wizardTitle,
} from './wizard';

const IK = '0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01';
const UID = '5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01';
const ACC = '9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01';

function check(field: string, level: FieldCheck['level'] = 'ok'): FieldCheck {
  return { field, ok: level !== 'error', level, code: level === 'ok' ? 'ok' : 'empty', detail: null, message: level, fix: null, normalized: null, notes: [] };
}

function typed(field: 'name' | 'integration_key' | 'redirect_uri' | 'user_id' | 'base_uri', value: string, level: FieldCheck['level'] = 'ok') {
  return (d: ReturnType<typeof newWizard>) => applyCheck(setField(d, field, value), field, value, check(field, level));
}

describe('wizard state machine', () => {
  it('is titled for what it does: set a connection up, or edit a saved one (the sandbox too)', () => {
    const sandbox = { ...newWizard('sandbox').draft, name: 'Sandbox', environment: 'sandbox' as const };
    expect(wizardTitle(newWizard())).toBe('Connect your DocuSign account');
    expect(wizardTitle(newWizard('sandbox', sandbox, 'saved:Sandbox', 'fp'))).toBe('Connect to the built-in sandbox');
    expect(wizardTitle(newWizard('sandbox', sandbox, 'saved:Sandbox', 'fp', true))).toBe('Edit “Sandbox”');
    expect(wizardTitle(newWizard('edit', { ...newWizard().draft, name: 'Acme demo' }, 'saved:Acme demo', 'fp'))).toBe('Edit “Acme demo”');
  });

  it('has the steps in order and walks them', () => {
    expect(STEPS.map((s) => s.id)).toEqual(['environment', 'app', 'user', 'key', 'consent', 'account', 'check']);
    expect(nextStep('environment')).toBe('app');
    expect(prevStep('app')).toBe('environment');
    expect(prevStep('environment')).toBeNull();
    expect(nextStep('check')).toBeNull();
  });

  it('does not leave a step whose field is empty, unchecked or red', () => {
    let d = newWizard();
    d = setField(d, 'integration_key', '');
    expect(canLeave('app', d).ok).toBe(false);
    d = setField(d, 'integration_key', IK);
    expect(canLeave('app', d)).toMatchObject({ ok: false, reason: expect.stringContaining('Checking') });
    d = applyCheck(d, 'integration_key', IK, check('integration_key', 'error'));
    expect(canLeave('app', d).reason).toContain('Fix the Integration Key');
    d = applyCheck(d, 'integration_key', IK, check('integration_key'));
    d = typed('redirect_uri', 'https://localhost/callback')(d);
    expect(canLeave('app', d).ok).toBe(true);
  });

  it('lets an amber (warning) field through', () => {
    const d = typed('user_id', UID, 'warning')(newWizard());
    expect(canLeave('user', d).ok).toBe(true);
  });

  it('drops a check that came back for an older value', () => {
    let d = setField(newWizard(), 'user_id', UID);
    d = setField(d, 'user_id', UID + 'x');
    d = applyCheck(d, 'user_id', UID, check('user_id'));
    expect(d.checks.user_id).toBeUndefined();
  });

  it('holds the key step while a replacement key is broken, instead of keeping the old key', () => {
    let d = setKey(newWizard('sandbox'), 'saved:Sandbox', 'SHA256:abc');
    expect(canLeave('key', d).ok).toBe(true);
    d = { ...d, keyCheck: { ...check('private_key', 'error'), code: 'key_load_failed' } };
    const held = canLeave('key', d);
    expect(held.ok).toBe(false);
    expect(held.reason).toBe('The new private key cannot be used: fix it, or empty the field to keep the key accepted before.');
    expect(canJumpTo('consent', d)).toBe(false);
    // Emptying the field clears the check: the accepted key is used again.
    d = { ...d, keyCheck: null };
    expect(canLeave('key', d).ok).toBe(true);
  });

  it('needs a key reference, consent, and an account chosen by the user', () => {
    let d = newWizard();
    expect(canLeave('key', d).ok).toBe(false);
    d = setKey(d, 'draft:1', 'SHA256:abc');
    expect(canLeave('key', d).ok).toBe(true);
    expect(canLeave('consent', d).ok).toBe(false);
    const accounts = [
      { account_id: ACC, account_name: 'A', base_uri: 'https://demo.docusign.net', is_default: true },
      { account_id: UID, account_name: 'B', base_uri: 'https://eu.docusign.net', is_default: false },
    ];
    d = setConsented(d, accounts);
    expect(canLeave('consent', d).ok).toBe(true);
    // Never accounts[0] silently: nothing is chosen until the user picks.
    expect(d.draft.account_id).toBe('');
    expect(canLeave('account', d).reason).toContain('Choose the account');
    d = chooseAccount(d, accounts[1]);
    expect(d.draft).toMatchObject({ account_id: UID, base_uri: 'https://eu.docusign.net' });
    d = applyCheck(d, 'base_uri', 'https://eu.docusign.net', check('base_uri'));
    expect(canLeave('account', d).ok).toBe(true);
  });

  it('forgets consent and accounts when the integration key, user or key changes', () => {
    let d = setConsented(setKey(newWizard(), 'draft:1', 'fp'), []);
    d = setField(d, 'user_id', UID);
    expect(d.consented).toBe(false);
    d = setConsented(d, []);
    d = setField(d, 'redirect_uri', 'https://x');
    expect(d.consented).toBe(true);
    d = setKey(d, 'draft:2', 'fp2');
    expect(d.consented).toBe(false);
  });

  it('switching environment clears consent, account and checks, and renames a default name', () => {
    let d = typed('integration_key', IK)(newWizard());
    d = setConsented(d, []);
    d = setEnvironment(d, 'production');
    expect(d.draft.name).toBe('My DocuSign production');
    expect(d.draft.auth_server).toBe('production');
    expect(d.consented).toBe(false);
    expect(d.checks).toEqual({});
    d = setField(d, 'name', 'Acme');
    d = setEnvironment(d, 'demo');
    expect(d.draft.name).toBe('Acme');
  });

  it('opens on the first step that does not pass, and jumps only over passing steps', () => {
    let d = typed('name', 'Sandbox')(newWizard('sandbox'));
    d = typed('integration_key', IK)(d);
    d = typed('redirect_uri', 'https://localhost/callback')(d);
    d = typed('user_id', UID)(d);
    expect(firstOpenStep(d)).toBe('key');
    d = setKey(d, 'saved:Sandbox', 'fp');
    expect(firstOpenStep(d)).toBe('consent');
    expect(canJumpTo('key', d)).toBe(true);
    expect(canJumpTo('account', d)).toBe(false);
  });
});

describe('paste everything', () => {
  it('fills the fields it holds, environment first, never for the sandbox', async () => {
    const { newWizard, pastedFields, unlabelled } = await import('./wizard');
    const d = newWizard();
    const r = pastedFields(d, { environment: 'production', integration_key: 'ik', user_id: 'u', account_id: null, base_uri: '' });
    expect(r.environment).toBe('production');
    expect(r.fields).toEqual([['integration_key', 'ik'], ['user_id', 'u']]);
    expect(pastedFields(newWizard('sandbox'), { environment: 'demo' }).environment).toBeNull();
    expect(pastedFields(d, { environment: 'demo' }).environment).toBeNull();
    const check: FieldCheck = { field: 'integration_key', ok: true, level: 'ok', code: 'ok', detail: null, message: '', fix: null, normalized: 'abc', notes: ['removed the label “Integration Key:” pasted along with the value'] };
    expect(unlabelled(check)).toBe('abc');
    expect(unlabelled({ ...check, notes: [] })).toBeNull();
    expect(unlabelled({ ...check, level: 'error', normalized: null })).toBeNull();
  });
});

describe('closing the wizard', () => {
  it('knows when something was typed or a key given since it opened', () => {
    const d = newWizard('new');
    const opened = typedSnapshot(d);
    expect(typedSnapshot(applyCheck(d, 'name', d.draft.name, check('name')))).toBe(opened);
    expect(typedSnapshot(setField(d, 'integration_key', IK))).not.toBe(opened);
    expect(typedSnapshot(setKey(d, 'draft:1', 'SHA256:x'))).not.toBe(opened);
  });

  it('closing warns that a key pair generated here and not saved is lost; a pasted or saved key is not named', () => {
    const typedOnly = 'What you typed in this connection is not saved yet. Closing now throws it away.';
    expect(leaveWarning(newWizard())).toBe(typedOnly);
    // Pasted (or chosen from a file): the person still has the file.
    expect(leaveWarning(setKey(newWizard(), 'draft:1', 'SHA256:x'))).toBe(typedOnly);
    const generated = setKey(newWizard(), 'draft:2', 'SHA256:y', 'PUBLIC KEY PEM');
    expect(holdsUnsavedGeneratedKey(generated)).toBe(true);
    expect(leaveWarning(generated)).toMatch(/^What you typed in this connection is not saved yet, and neither is the key pair generated here\. Closing now throws both away: the private key exists only in this window and cannot be made again\. If you already added its public key to the integration key in DocuSign/);
    // Replaced by a pasted key: the generated one is no longer what would be lost.
    expect(holdsUnsavedGeneratedKey(setKey(generated, 'draft:3', 'SHA256:z'))).toBe(false);
    // The sandbox's pair is saved already.
    expect(holdsUnsavedGeneratedKey(setKey(newWizard('sandbox'), 'saved:Sandbox', 'SHA256:s', 'PUBLIC KEY PEM'))).toBe(false);
  });
});
