// The wizard's reactive store: wraps the pure state machine (wizard.ts) in runes and runs
// the field checks as the user types (debounced; late answers for old values are dropped).

import { backend, type FieldName } from '../../lib/ipc';
import { errorCheck, type AccountChoice, type ConnectionDraft, type Environment, type FieldCheck } from '../../lib/ipc/types';
import { toIpcError, type IpcError } from '../../lib/ipc/errors';
import * as W from './wizard';

const DEBOUNCE_MS = 250;

export class WizardStore {
  data: W.WizardData = $state(W.newWizard());
  step: W.WizardStep = $state('environment');
  pending: Partial<Record<FieldName, boolean>> = $state({});
  error: IpcError | null = $state(null);
  /** Why the consent step stopped checking for consent, when it did. */
  consentStopped: W.ConsentStop | null = $state(null);
  private timers: Partial<Record<FieldName, ReturnType<typeof setTimeout>>> = {};
  /** What the wizard was opened with, to tell whether anything was typed since. */
  private initial = '';
  /** The saved name of the connection the wizard was opened on (edit, sandbox), which its
   * name check lets it keep; null for a new connection. */
  private savedName: string | null = null;
  /** The saved connection's key the wizard was opened with (edit, sandbox), to go back to. */
  private savedKey: { ref: string; fingerprint: string | null } | null = null;

  /** Opens the wizard on a draft, at its first step that does not pass yet (or at `at`);
   * `editing`: on a saved connection, to change it (see `W.WizardData.editing`). */
  open(mode: W.WizardMode, draft?: ConnectionDraft, keyRef: string | null = null, fingerprint: string | null = null, at?: W.WizardStep, editing = mode === 'edit') {
    this.data = W.newWizard(mode, draft, keyRef, fingerprint, editing);
    this.savedName = keyRef?.startsWith('saved:') ? keyRef.slice('saved:'.length) : null;
    this.savedKey = keyRef?.startsWith('saved:') ? { ref: keyRef, fingerprint } : null;
    this.initial = W.typedSnapshot(this.data);
    this.error = null;
    this.consentStopped = null;
    this.pending = {};
    this.step = at ?? 'environment';
    const fields: FieldName[] = ['name', 'integration_key', 'redirect_uri', 'user_id', 'account_id', 'base_uri'];
    const checks = fields.filter((f) => this.data.draft[f as keyof ConnectionDraft] !== '').map((f) => this.runCheck(f));
    void Promise.all(checks).then(() => {
      if (!at) this.step = mode === 'new' ? 'environment' : W.firstOpenStep(this.data);
    });
  }

  /** True when values were typed (or a key given) that are not saved: closing asks first. */
  get dirty(): boolean {
    return this.step !== 'check' && W.typedSnapshot(this.data) !== this.initial;
  }

  /** Throws away what was typed (after the person said so), and a key given in this wizard
   * and not saved: the app stops holding it (`forgetDraftKey`). */
  discard() {
    this.initial = W.typedSnapshot(this.data);
    const key = this.data.keyRef;
    if (key?.startsWith('draft:')) void backend().forgetDraftKey(key).catch(() => {});
  }

  get guard(): W.Guard {
    return W.canLeave(this.step, this.data, this.consentStopped);
  }

  next() {
    const g = this.guard;
    const n = W.nextStep(this.step);
    if (g.ok && n) this.step = n;
  }

  back() {
    const p = W.prevStep(this.step);
    if (p) this.step = p;
  }

  jump(step: W.WizardStep) {
    if (W.canJumpTo(step, this.data)) this.step = step;
  }

  setEnvironment(env: Environment) {
    this.data = W.setEnvironment(this.data, env);
    const fields: FieldName[] = ['name', 'integration_key', 'redirect_uri', 'user_id'];
    fields.filter((f) => this.data.draft[f as keyof ConnectionDraft] !== '').forEach((f) => void this.runCheck(f));
  }

  /** The user typed in a field: record it and check it shortly. */
  type(field: FieldName, value: string) {
    this.data = W.setField(this.data, field, value);
    this.pending = { ...this.pending, [field]: true };
    clearTimeout(this.timers[field]);
    this.timers[field] = setTimeout(() => void this.runCheck(field), DEBOUNCE_MS);
    if (field === 'account_id') this.recheckLater('user_id');
  }

  private recheckLater(field: FieldName) {
    if (this.data.draft[field as keyof ConnectionDraft] === '') return;
    clearTimeout(this.timers[field]);
    this.timers[field] = setTimeout(() => void this.runCheck(field), DEBOUNCE_MS);
  }

  async runCheck(field: FieldName): Promise<void> {
    const value = this.data.draft[field as keyof ConnectionDraft] as string;
    this.pending = { ...this.pending, [field]: true };
    let check: FieldCheck;
    try {
      check = await backend().checkField(field, value, {
        environment: this.data.draft.environment,
        account_id: this.data.draft.account_id || undefined,
        user_id: this.data.draft.user_id || undefined,
        // A saved connection may keep its own name (after a save, the name it was saved under).
        editing: (this.data.keyRef?.startsWith('saved:') ? this.data.keyRef.slice('saved:'.length) : null) ?? this.savedName,
      });
    } catch (e) {
      const err = toIpcError(e);
      check = errorCheck(field, err);
    }
    if (this.data.draft[field as keyof ConnectionDraft] !== value) return;
    // `Integration Key: 1a2b…` pasted into the field: keep only the value.
    const clean = W.unlabelled(check);
    if (clean !== null && clean !== value) {
      this.data = W.applyCheck(W.setField(this.data, field, clean), field, clean, check);
    } else {
      this.data = W.applyCheck(this.data, field, value, check);
    }
    this.pending = { ...this.pending, [field]: false };
  }

  /** Fills what a "Paste everything" text held; each field is then checked as if typed. */
  fillFromPaste(values: Partial<Record<FieldName | 'environment', string | null>>): FieldName[] {
    const { environment, fields } = W.pastedFields(this.data, values);
    if (environment) this.setEnvironment(environment);
    for (const [f, v] of fields) this.type(f, v);
    return fields.map(([f]) => f);
  }

  /** A key was accepted; for a pair made here, with its public half (see `W.setKey`). */
  setKey(keyRef: string, fingerprint: string, generatedPublicKey: string | null = null) {
    const old = this.data.keyRef;
    this.data = W.setKey(this.data, keyRef, fingerprint, generatedPublicKey);
    if (old && old !== keyRef && old.startsWith('draft:')) void backend().forgetDraftKey(old).catch(() => {});
  }

  /** True when the wizard was opened on a saved connection's key (the sandbox's own pair). */
  get hasSavedKey(): boolean {
    return this.savedKey !== null;
  }

  /** Goes back to the saved connection's key the wizard was opened with (the built-in
   * sandbox knows only the pair it made); a key given here since is forgotten. */
  keepSavedKey() {
    if (this.savedKey) this.setKey(this.savedKey.ref, this.savedKey.fingerprint ?? '');
  }

  setKeyCheck(check: FieldCheck | null) {
    this.data = { ...this.data, keyCheck: check };
  }

  /** The consent step stopped checking (or checks again: null); Next's hint then agrees. Kept
   * apart from `data`, which the consent step reads: a change here does not restart it. */
  setConsentStopped(why: W.ConsentStop | null) {
    this.consentStopped = why;
  }

  setConsented(accounts: AccountChoice[] | null) {
    this.data = W.setConsented(this.data, accounts);
  }

  chooseAccount(account: AccountChoice) {
    this.data = W.chooseAccount(this.data, account);
    void this.runCheck('account_id');
    void this.runCheck('base_uri');
    this.recheckLater('user_id');
  }
}

/** The one wizard of the app. */
export const wizard = new WizardStore();
