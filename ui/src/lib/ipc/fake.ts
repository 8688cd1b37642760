// An in-memory backend for vitest and for looking at the UI in a plain browser.
// It imitates the shell's answers closely enough to drive every screen; it is not a
// second implementation of studio-core's rules.

import type { Backend, FieldContext, FieldName } from './backend';
import type { IpcError } from './errors';
import type {
  AccountChoice,
  AppInfo,
  Connection,
  ConnectionDraft,
  ConsentAttempt,
  Environment,
  FieldCheck,
  GeneratedKey,
  HealthReport,
  HealthStep,
  KeyAccepted,
  SandboxStarted,
  WhereToFind,
} from './types';
import { toConnection } from './types';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ok(field: string, message: string, normalized: string | null = null): FieldCheck {
  return { field, ok: true, level: 'ok', code: 'ok', detail: null, message, fix: null, normalized, notes: [] };
}
function bad(field: string, code: string, message: string, fix: string, level: 'warning' | 'error' = 'error'): FieldCheck {
  return { field, ok: level !== 'error', level, code, detail: null, message, fix, normalized: null, notes: [] };
}

/** Options that steer the fake. */
export interface FakeOptions {
  /** Attempts answered `consent_required` before consent counts as given. */
  consentAfter?: number;
  accounts?: AccountChoice[];
  connections?: Connection[];
}

export class FakeBackend implements Backend {
  calls: { cmd: string; args: unknown }[] = [];
  connections: Connection[];
  accounts: AccountChoice[];
  consentAfter: number;
  private attempts = 0;
  private keys = new Map<string, string>();
  private n = 0;

  constructor(opts: FakeOptions = {}) {
    this.connections = opts.connections ?? [];
    this.consentAfter = opts.consentAfter ?? 1;
    this.accounts = opts.accounts ?? [
      { account_id: '9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01', account_name: 'Sandbox account', base_uri: 'https://demo.docusign.net', is_default: true },
    ];
  }

  private log(cmd: string, args: unknown = null) {
    this.calls.push({ cmd, args });
  }

  async appInfo(): Promise<AppInfo> {
    this.log('app_info');
    return { version: '0.1.0-fake', sandbox_running: false };
  }
  async listConnections() {
    this.log('list_connections');
    return [...this.connections];
  }
  async getConnection(name: string) {
    this.log('get_connection', { name });
    const c = this.connections.find((c) => c.name === name);
    if (!c) throw { code: 'not_found', message: `There is no connection named “${name}”.`, fix: null } satisfies IpcError;
    return { ...c };
  }
  async removeConnection(name: string) {
    this.log('remove_connection', { name });
    this.connections = this.connections.filter((c) => c.name !== name);
  }
  async whereToFind(field: FieldName | 'private_key', environment: Environment): Promise<WhereToFind> {
    this.log('where_to_find', { field, environment });
    return { field, text: `Open the admin console and go to Settings > Apps and Keys (${environment}).` };
  }
  async checkField(field: FieldName, value: string, context: FieldContext): Promise<FieldCheck> {
    this.log('check_field', { field, value, context });
    const v = value.trim();
    if (field === 'name') return v ? ok(field, 'Looks good.') : bad(field, 'empty', 'Give the connection a name.', 'Type a short name, e.g. “My DocuSign (demo)”.');
    if (field === 'redirect_uri' || field === 'base_uri') {
      if (!v) return bad(field, 'empty', 'This is empty.', 'Paste the value from DocuSign.');
      return /^https:\/\//.test(v) ? ok(field, 'Looks good.', v) : bad(field, `${field}_invalid`, 'This is not an https:// address.', 'Copy the whole address, starting with https://.');
    }
    if (!v) return bad(field, 'empty', 'This is empty.', 'Paste the value from DocuSign.');
    if (!GUID.test(v)) return bad(field, `${field}_malformed`, 'This is not a GUID (8-4-4-4-12 hexadecimal characters).', 'Copy the whole value again.');
    if (field === 'user_id' && context.account_id && v.toLowerCase() === context.account_id.toLowerCase()) {
      return bad(field, 'user_id_equals_account_id', 'This is the same as the Account ID.', 'Use the API Username from Users and Groups.', 'warning');
    }
    return ok(field, 'Looks good.', v.toLowerCase());
  }
  async checkPrivateKey(text: string): Promise<KeyAccepted> {
    this.log('check_private_key', { text: '<redacted>' });
    if (/PUBLIC KEY/.test(text)) {
      return { check: bad('private_key', 'key_load_failed', 'This is the public half of a key pair, not the private key.', 'Paste the private key file.'), fingerprint: null, summary: null, key_ref: null };
    }
    if (!/PRIVATE KEY/.test(text)) {
      return { check: bad('private_key', 'key_load_failed', 'This does not look like a private key.', 'Paste the whole private key file, including the BEGIN and END lines.'), fingerprint: null, summary: null, key_ref: null };
    }
    const ref = `draft:${++this.n}`;
    this.keys.set(ref, 'x');
    return { check: ok('private_key', 'The private key loads.'), fingerprint: 'SHA256:fake' + this.n, summary: 'RSA 2048-bit', key_ref: ref };
  }
  async generateKeyPair(): Promise<GeneratedKey> {
    this.log('generate_key_pair');
    const ref = `draft:${++this.n}`;
    this.keys.set(ref, 'x');
    return { public_key_pem: ['-----BEGIN PUBLIC KEY-----', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', '-----END PUBLIC KEY-----'].join('\n'), fingerprint: 'SHA256:gen' + this.n, key_ref: ref };
  }
  async forgetDraftKey(keyRef: string) {
    this.log('forget_draft_key', { keyRef });
    this.keys.delete(keyRef);
  }
  async consentUrl(draft: ConnectionDraft) {
    this.log('consent_url', { draft });
    const host = draft.environment === 'production' ? 'account.docusign.com' : 'account-d.docusign.com';
    return `https://${host}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=${draft.integration_key}&redirect_uri=${encodeURIComponent(draft.redirect_uri)}`;
  }
  async openConsentPage(draft: ConnectionDraft) {
    this.log('open_consent_page', { draft });
    return this.consentUrl(draft);
  }
  async confirmConsent(draft: ConnectionDraft, keyRef: string): Promise<ConsentAttempt> {
    this.log('confirm_consent', { draft, keyRef });
    this.attempts++;
    if (this.attempts <= this.consentAfter) {
      return { consented: false, code: 'consent_required', message: 'Consent has not been given yet.', fix: 'Open the consent page and click Allow.', docusign_error: { status: 400, error: 'consent_required' }, accounts: null };
    }
    return { consented: true, code: 'ok', message: 'Consent is given: DocuSign issued a token.', fix: null, accounts: this.accounts };
  }
  async saveConnection(draft: ConnectionDraft, keyRef: string | null) {
    this.log('save_connection', { draft, keyRef });
    const c: Connection = { ...toConnection(draft), key_fingerprint: 'SHA256:fake' };
    this.connections = [...this.connections.filter((x) => x.name !== draft.name), c];
    return c;
  }
  async runHealthCheck(name: string): Promise<HealthReport> {
    this.log('run_health_check', { name });
    const c = await this.getConnection(name);
    const account = this.accounts.find((a) => a.account_id === c.account_id);
    const pass = (step: HealthStep['step'], message: string): HealthStep => ({ step, ok: true, status: 'passed', code: 'ok', detail: null, message, fix: null });
    const steps: HealthStep[] = [
      pass('settings', 'Settings are complete.'),
      pass('key', 'The private key loads.'),
      pass('assertion', 'The JWT assertion is signed.'),
      pass('token', 'DocuSign issued an access token.'),
      pass('userinfo', 'DocuSign said who the user is.'),
    ];
    if (!account) {
      steps.push({ step: 'account', ok: false, status: 'failed', code: 'account_not_accessible', detail: null, message: `Account ${c.account_id} is not accessible from this token.`, fix: 'Choose one of the accounts this user can act on.' });
      steps.push({ step: 'base_uri', ok: false, status: 'skipped', code: 'skipped', detail: 'account_failed', message: 'Not run: the account step failed.', fix: null });
    } else {
      steps.push(pass('account', `Account ${account.account_name} is accessible.`));
      if (account.base_uri !== c.base_uri) {
        steps.push({ step: 'base_uri', ok: false, status: 'failed', code: 'base_uri_mismatch', detail: null, message: `Configured base URI ${c.base_uri} does not match the account's base URI ${account.base_uri}.`, fix: 'Use the account’s base URI.', suggested_value: account.base_uri });
      } else {
        steps.push(pass('base_uri', 'The base URI matches the account’s.'));
      }
    }
    return { ok: steps.every((s) => s.ok), steps, environment: c.environment === 'sandbox' ? 'custom' : c.environment, key_fingerprint: c.key_fingerprint ?? undefined, accounts: this.accounts };
  }
  async startSandbox(): Promise<SandboxStarted> {
    this.log('start_sandbox');
    const connection: Connection = {
      name: 'Sandbox',
      environment: 'sandbox',
      integration_key: '0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01',
      user_id: '5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01',
      account_id: '9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01',
      base_uri: 'https://127.0.0.1:40000',
      auth_server: 'https://127.0.0.1:40000',
      ca_cert: '/tmp/sandbox/ca.pem',
      redirect_uri: 'https://localhost/callback',
      key_fingerprint: 'SHA256:sandbox',
      created_at: '',
      updated_at: '',
    };
    this.connections = [...this.connections.filter((c) => c.name !== 'Sandbox'), connection];
    return { connection, url: 'https://127.0.0.1:40000' };
  }
}
