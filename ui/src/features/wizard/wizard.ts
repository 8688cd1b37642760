// The connection wizard's state machine, as plain TypeScript (no Svelte) so it is unit-tested
// on its own. `wizard.svelte.ts` wraps it in runes for the components.
//
// Steps, in order: environment → app (integration key + redirect URI) → user → key →
// consent → account (account ID + base URI, picked from userinfo) → check.
// `next()` moves only when the current step's guard passes; the guard says why not.

import type { FieldName } from '../../lib/ipc/backend';
import type { AccountChoice, ConnectionDraft, Environment, FieldCheck } from '../../lib/ipc/types';

export type WizardStep = 'environment' | 'app' | 'user' | 'key' | 'consent' | 'account' | 'check';

/** The steps, in order, with their titles for the stepper. */
export const STEPS: readonly { id: WizardStep; title: string }[] = [
  { id: 'environment', title: 'Environment' },
  { id: 'app', title: 'Integration key' },
  { id: 'user', title: 'User' },
  { id: 'key', title: 'Private key' },
  { id: 'consent', title: 'Consent' },
  { id: 'account', title: 'Account' },
  { id: 'check', title: 'Health check' },
];

/**
 * The desktop's words for a key the app no longer holds (the core's `key_missing` with detail
 * `draft_forgotten`: its fix says what to give, the wizard says where).
 */
export const KEY_STEP_WORDS = 'Go back to the key step to paste it, choose its file, or generate a pair.';

/** `p` with the wizard's {@link KEY_STEP_WORDS} after its fix when it is about a key no longer held. */
export function withKeyStepWords<P extends { detail?: string | null; fix?: string | null }>(p: P): P {
  if (p.detail !== 'draft_forgotten') return p;
  return { ...p, fix: p.fix ? `${p.fix.trimEnd()} ${KEY_STEP_WORDS}` : KEY_STEP_WORDS };
}

/** Why the consent step stopped checking: DocuSign could not be reached (`offline`), an
 * answer that waiting does not change (`failed`: a refused key, a wrong ID), or the person
 * cancelled / the checks ran out (`stopped`). */
export type ConsentStop = 'offline' | 'failed' | 'stopped';

/** What Next's hint says on the consent step while consent is not confirmed; it agrees with
 * the step's status box. */
export const CONSENT_WAITING: Record<ConsentStop | 'waiting', string> = {
  waiting: 'Waiting for consent: open the consent page and click Allow.',
  offline: 'Consent cannot be confirmed while this computer cannot reach DocuSign.',
  failed: 'Consent cannot be confirmed yet: fix what is shown above, then click Try again.',
  stopped: 'Stopped checking for consent: click Check again once you have clicked Allow.',
};

/** How the wizard was opened. */
export type WizardMode = 'new' | 'sandbox' | 'edit';

/** Everything the wizard holds. Never the private key: only a reference and its fingerprint. */
export interface WizardData {
  mode: WizardMode;
  /** Opened on a saved connection to change it (Edit, or a fix from its health check), not to
   * set one up: a sandbox connection keeps the `sandbox` mode (its own words in the steps). */
  editing: boolean;
  draft: ConnectionDraft;
  /** `draft:<id>` for a key held in the app's memory, `saved:<name>` for a saved connection's key. */
  keyRef: string | null;
  keyFingerprint: string | null;
  /** The public half (PEM) when `keyRef` is a pair generated in this wizard, to upload to
   * DocuSign; its private half exists nowhere else until saved. Null for a pasted or chosen key. */
  generatedPublicKey: string | null;
  consented: boolean;
  /** Accounts from userinfo, once a token worked. */
  accounts: AccountChoice[] | null;
  /** The latest check of each field, as typed. */
  checks: Partial<Record<FieldName, FieldCheck>>;
  /** Set by the key step when the key check fails (the key itself is not kept). */
  keyCheck: FieldCheck | null;
}

/** A guard's answer. */
export interface Guard {
  ok: boolean;
  /** Why not, in plain words. */
  reason?: string;
}

const yes: Guard = { ok: true };

/** A blank draft for an environment. */
export function emptyDraft(environment: Environment = 'demo'): ConnectionDraft {
  return {
    name: environment === 'production' ? 'My DocuSign production' : environment === 'sandbox' ? 'Sandbox' : 'My DocuSign demo',
    environment,
    integration_key: '',
    user_id: '',
    account_id: '',
    base_uri: '',
    redirect_uri: '',
    auth_server: environment === 'sandbox' ? '' : environment,
    ca_cert: null,
    key_fingerprint: null,
    created_at: '',
    updated_at: '',
  };
}

/** A fresh wizard (`editing`: opened on a saved connection to change it). */
export function newWizard(mode: WizardMode = 'new', draft?: ConnectionDraft, keyRef: string | null = null, keyFingerprint: string | null = null, editing = mode === 'edit'): WizardData {
  return { mode, editing, draft: draft ?? emptyDraft(), keyRef, keyFingerprint, generatedPublicKey: null, consented: false, accounts: null, checks: {}, keyCheck: null };
}

/** The wizard's title: the connection named when it changes a saved one (a sandbox connection
 * too: "Connect to the built-in sandbox" is for setting the sandbox up). */
export function wizardTitle(data: WizardData): string {
  if (data.editing || data.mode === 'edit') return `Edit “${data.draft.name}”`;
  return data.mode === 'sandbox' ? 'Connect to the built-in sandbox' : 'Connect your DocuSign account';
}

/** Index of a step. */
export function stepIndex(step: WizardStep): number {
  return STEPS.findIndex((s) => s.id === step);
}

/** The step after `step`, or null at the end. */
export function nextStep(step: WizardStep): WizardStep | null {
  return STEPS[stepIndex(step) + 1]?.id ?? null;
}

/** The step before `step`, or null at the start. */
export function prevStep(step: WizardStep): WizardStep | null {
  const i = stepIndex(step);
  return i > 0 ? STEPS[i - 1].id : null;
}

function fieldGuard(data: WizardData, field: FieldName, label: string): Guard {
  const value = data.draft[field as keyof ConnectionDraft];
  if (typeof value === 'string' && value.trim() === '') return { ok: false, reason: `Fill in the ${label}.` };
  const check = data.checks[field];
  if (!check) return { ok: false, reason: `Checking the ${label}…` };
  if (check.level === 'error') return { ok: false, reason: `Fix the ${label} first: ${check.message}` };
  return yes;
}

function all(...guards: Guard[]): Guard {
  return guards.find((g) => !g.ok) ?? yes;
}

/** May the wizard leave `step` forwards? `consentStopped`: why the consent step stopped
 * checking, when it did (its hint then agrees with the step's status box). */
export function canLeave(step: WizardStep, data: WizardData, consentStopped: ConsentStop | null = null): Guard {
  switch (step) {
    case 'environment':
      return fieldGuard(data, 'name', 'connection name');
    case 'app':
      return all(fieldGuard(data, 'integration_key', 'Integration Key'), fieldGuard(data, 'redirect_uri', 'Redirect URI'));
    case 'user':
      return fieldGuard(data, 'user_id', 'User ID');
    case 'key':
      // A key that was pasted or chosen to replace the accepted one, and cannot be used, holds the
      // step: going on would quietly keep the old key.
      if (data.keyRef && data.keyCheck && !data.keyCheck.ok) {
        return { ok: false, reason: 'The new private key cannot be used: fix it, or empty the field to keep the key accepted before.' };
      }
      // The built-in sandbox knows only the pair it made: one made here would be refused.
      if (data.mode === 'sandbox' && data.generatedPublicKey) return { ok: false, reason: 'The sandbox cannot use a key pair made here: keep the sandbox’s key.' };
      return data.keyRef ? yes : { ok: false, reason: 'Paste, choose or generate the RSA private key.' };
    case 'consent':
      return data.consented ? yes : { ok: false, reason: CONSENT_WAITING[consentStopped ?? 'waiting'] };
    case 'account':
      if (!data.draft.account_id) return { ok: false, reason: 'Choose the account to use.' };
      return fieldGuard(data, 'base_uri', 'Base URI');
    case 'check':
      return { ok: false, reason: 'This is the last step.' };
  }
}

/** May the user jump straight to `target` (stepper clicks)? Only to steps whose predecessors all pass. */
export function canJumpTo(target: WizardStep, data: WizardData): boolean {
  for (const s of STEPS) {
    if (s.id === target) return true;
    if (!canLeave(s.id, data).ok) return false;
  }
  return false;
}

/** The first step a wizard opened on `data` should show: the first one that does not pass yet. */
export function firstOpenStep(data: WizardData): WizardStep {
  for (const s of STEPS) {
    if (!canLeave(s.id, data).ok) return s.id;
  }
  return 'check';
}

/** Records a field check; a check for a value that has since changed is dropped. */
export function applyCheck(data: WizardData, field: FieldName, valueChecked: string, check: FieldCheck): WizardData {
  const current = data.draft[field as keyof ConnectionDraft];
  if (current !== valueChecked) return data;
  return { ...data, checks: { ...data.checks, [field]: check } };
}

/** Sets a field's value; its old check no longer applies. Changing who or what invalidates consent. */
export function setField(data: WizardData, field: FieldName, value: string): WizardData {
  const checks = { ...data.checks };
  delete checks[field];
  const draft = { ...data.draft, [field]: value };
  const identity = field === 'integration_key' || field === 'user_id';
  return { ...data, draft, checks, consented: identity ? false : data.consented, accounts: identity ? null : data.accounts };
}

/** Switches the environment (demo/production); consent and accounts are per environment. */
export function setEnvironment(data: WizardData, environment: Environment): WizardData {
  const renamed = data.draft.name === emptyDraft(data.draft.environment).name ? emptyDraft(environment).name : data.draft.name;
  return {
    ...data,
    draft: { ...data.draft, environment, name: renamed, account_id: '', base_uri: '', auth_server: environment === 'sandbox' ? data.draft.auth_server : environment },
    checks: {},
    consented: false,
    accounts: null,
  };
}

/** The key step accepted a key (only its reference and fingerprint are kept); for a pair made
 * here, also its public half (`generatedPublicKey`, PEM), shown again whenever the step is. */
export function setKey(data: WizardData, keyRef: string, fingerprint: string, generatedPublicKey: string | null = null): WizardData {
  return { ...data, keyRef, keyFingerprint: fingerprint, generatedPublicKey, keyCheck: null, consented: false, accounts: null };
}

/** Consent was confirmed; the token's accounts are offered on the account step. */
export function setConsented(data: WizardData, accounts: AccountChoice[] | null): WizardData {
  return { ...data, consented: true, accounts };
}

/** The user picked an account: its ID and base URI fill the draft. Nothing is picked by default. */
export function chooseAccount(data: WizardData, account: AccountChoice): WizardData {
  const checks = { ...data.checks };
  delete checks.account_id;
  delete checks.base_uri;
  return { ...data, draft: { ...data.draft, account_id: account.account_id, base_uri: account.base_uri }, checks };
}

/** The wizard fields a "Paste everything" text can fill, in the order they are filled. */
export const PASTE_FIELDS: readonly FieldName[] = ['name', 'integration_key', 'redirect_uri', 'user_id', 'account_id', 'base_uri'];

/** What a pasted text fills in: the environment (not for the sandbox wizard) and each field it holds. */
export function pastedFields(
  data: WizardData,
  values: Partial<Record<FieldName | 'environment', string | null>>,
): { environment: Environment | null; fields: [FieldName, string][] } {
  const env = values.environment as Environment | null | undefined;
  const environment = env && env !== 'sandbox' && data.mode !== 'sandbox' && env !== data.draft.environment ? env : null;
  const fields = PASTE_FIELDS.filter((f) => typeof values[f] === 'string' && values[f] !== '').map((f): [FieldName, string] => [f, values[f] as string]);
  return { environment, fields };
}

/** Prefix of studio-core's note for a label pasted along with a value (`wizard::LABEL_REMOVED_NOTE`). */
export const LABEL_REMOVED_NOTE = 'removed the label';

/** The value to show once a check says a label was pasted along: the value alone; otherwise null. */
export function unlabelled(check: FieldCheck): string | null {
  if (check.level === 'error' || !check.normalized) return null;
  return check.notes.some((n) => n.startsWith(LABEL_REMOVED_NOTE)) ? check.normalized : null;
}

/** What the person typed or gave (fields and key), to compare with what the wizard opened with. */
export function typedSnapshot(d: WizardData): string {
  return JSON.stringify({ draft: d.draft, keyRef: d.keyRef });
}

/** True when the wizard holds a key pair generated in it and not saved yet: closing loses it for good. */
export function holdsUnsavedGeneratedKey(d: WizardData): boolean {
  return !!d.generatedPublicKey && !!d.keyRef?.startsWith('draft:');
}

/** What "Close without saving?" says closing throws away, in plain words. A key pair generated
 * here and not saved is named: its private half exists only in this window, and its public half
 * may already be on the integration key in DocuSign. */
export function leaveWarning(d: WizardData): string {
  if (holdsUnsavedGeneratedKey(d)) {
    return 'What you typed in this connection is not saved yet, and neither is the key pair generated here. Closing now throws both away: the private key exists only in this window and cannot be made again. If you already added its public key to the integration key in DocuSign, nothing can sign in with that public key any more: remove it there, and add the public key of the pair you use instead.';
  }
  return 'What you typed in this connection is not saved yet. Closing now throws it away.';
}
