// An in-memory backend for vitest and for looking at the UI in a plain browser.
// It imitates the shell's answers closely enough to drive every screen; it is not a
// second implementation of studio-core's rules.

import type { Backend, FieldContext, FieldName } from './backend';
import type { IpcError } from './errors';
import type {
  ActionOutcome,
  ActionRequest,
  ActionResult,
  TemplateRoles,
  DownloadAsk,
  DownloadProgress,
  EarlierFetch,
  FetchPolicy,
  GoLivePanel,
  GoLiveStatus,
  IntervalRule,
  LedgerCall,
  MonitorInfo,
  SavedTrigger,
  MonitorSpec,
  MonitorUpdate,
  PromotionGuide,
  PromotionInput,
  SandboxEnvelopeState,
  SandboxMoveAsk,
  Unlisten,
  WarmUpEvent,
  AccountChoice,
  AppInfo,
  Connection,
  ConsentOutcome,
  FieldCheck,
  GeneratedKeyAnswer,
  Handoff,
  HandoffFormat,
  HealthReport,
  HealthStep,
  KeyAccepted,
  KeyClipboardEvent,
  KeyCopied,
  KeyInfo,
  PasteAnswer,
  RedirectOutcome,
  SandboxStarted,
  TriggerEvent,
  WhereToFind,
  BundlePlan,
  BundleSummary,
} from './types';
import { toCode } from '../messages';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ok(field: string, message: string, normalized: string | null = null): FieldCheck {
  return { field, ok: true, level: 'ok', code: 'ok', detail: null, message, fix: null, normalized, notes: [] };
}
/** The public parts of a fake key. */
function keyInfo(fingerprint: string): KeyInfo {
  const pem = ['-----BEGIN PUBLIC KEY-----', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', '-----END PUBLIC KEY-----'].join('\n');
  return { bits: 2048, fingerprint, public_key_pem: pem, format: 'pkcs1', container: 'pem', notes: [] };
}
function bad(field: string, code: string, message: string, fix: string, level: 'warning' | 'error' = 'error'): FieldCheck {
  return { field, ok: level !== 'error', level, code: toCode(code), detail: null, message, fix, normalized: null, notes: [] };
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
    if (!c) throw { code: 'not_found', detail: null, message: `There is no connection named “${name}”.`, fix: null } satisfies IpcError;
    return { ...c };
  }
  async removeConnection(name: string) {
    this.log('remove_connection', { name });
    this.connections = this.connections.filter((c) => c.name !== name);
  }
  async whereToFind(field: string): Promise<WhereToFind> {
    this.log('where_to_find', { field });
    return { field, text: 'Open the admin console and go to Settings > Apps and Keys.' };
  }
  async checkField(field: FieldName, value: string, context: FieldContext): Promise<FieldCheck> {
    this.log('check_field', { field, value, context });
    const v = value.trim();
    if (field === 'name') {
      if (!v) return bad(field, 'empty', 'Give the connection a name.', 'Type a short name, e.g. “My DocuSign (demo)”.');
      // As the real check (studio-core `check_connection_name_among`): a saved connection's name
      // is taken (letter case ignored), except the edited connection's own.
      const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
      const taken = this.connections.find((c) => same(c.name, v));
      if (taken && !(context.editing && same(context.editing, v))) {
        let n = 2;
        while (this.connections.some((c) => same(c.name, `${v} ${n}`))) n++;
        return bad(field, 'duplicate_name', `You already have a connection named "${taken.name}".`, `Give this one another name, e.g. "${v} ${n}".`);
      }
      return ok(field, 'Looks good.');
    }
    if (field === 'redirect_uri' || field === 'base_uri') {
      if (!v) return bad(field, 'empty', 'This is empty.', 'Paste the value from DocuSign.');
      return /^https:\/\//.test(v) ? ok(field, 'Looks good.', v) : bad(field, `${field}_invalid`, 'This is not an https:// address.', 'Copy the whole address, starting with https://.');
    }
    if (!v) return bad(field, 'empty', 'This is empty.', 'Paste the value from DocuSign.');
    // As the real check (docusign-api `check_guid`): braces and quotes around an ID are dropped,
    // the letters keep their case.
    const id = v.replace(/^[{"']+|[}"']+$/g, '');
    if (!GUID.test(id)) return bad(field, `${field}_malformed`, 'This is not a valid ID (36 characters like 1a2b3c4d-1234-5678-9abc-0123456789ab).', 'Copy the whole value again.');
    if (field === 'user_id' && context.account_id && id.toLowerCase() === context.account_id.toLowerCase()) {
      return bad(field, 'user_id_equals_account_id', 'This is the same as the Account ID.', 'Use the API Username from Users and Groups.', 'warning');
    }
    return ok(field, 'Looks good.', id);
  }
  async checkPrivateKey(text: string): Promise<KeyAccepted> {
    this.log('check_private_key', { text: '<redacted>' });
    if (/ENCRYPTED PRIVATE KEY/.test(text)) {
      // As studio-core says it: plain words, and the move only the front end can name as a hint.
      return { check: { ...bad('private_key', 'key_load_failed', 'Failed to load RSA private key: the key is encrypted (ENCRYPTED PRIVATE KEY).', 'DocuSign key pairs are unencrypted PEM: use a copy of the key without its password, or make a new pair.'), detail: 'encrypted', hint: 'remove_key_password' }, info: null, key_ref: null };
    }
    if (/PUBLIC KEY/.test(text)) {
      return { check: bad('private_key', 'key_load_failed', 'This is the public half of a key pair, not the private key.', 'Paste the private key file.'), info: null, key_ref: null };
    }
    if (!/PRIVATE KEY/.test(text)) {
      return { check: bad('private_key', 'key_load_failed', 'This does not look like a private key.', 'Paste the whole private key file, including the BEGIN and END lines.'), info: null, key_ref: null };
    }
    const ref = `draft:${++this.n}`;
    this.keys.set(ref, 'x');
    return { check: ok('private_key', 'The private key loads.'), info: keyInfo('SHA256:fake' + this.n), key_ref: ref };
  }
  async generateKeyPair(): Promise<GeneratedKeyAnswer> {
    this.log('generate_key_pair');
    const ref = `draft:${++this.n}`;
    this.keys.set(ref, 'x');
    return { info: keyInfo('SHA256:gen' + this.n), key_ref: ref };
  }
  async forgetDraftKey(keyRef: string) {
    this.log('forget_draft_key', { keyRef });
    this.keys.delete(keyRef);
  }
  async consentUrl(draft: Connection) {
    this.log('consent_url', { draft });
    const host = draft.environment === 'production' ? 'account.docusign.com' : 'account-d.docusign.com';
    return `https://${host}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=${draft.integration_key}&redirect_uri=${encodeURIComponent(draft.redirect_uri ?? '')}`;
  }
  async openConsentPage(draft: Connection) {
    this.log('open_consent_page', { draft });
    return this.consentUrl(draft);
  }
  async confirmConsent(draft: Connection, keyRef: string): Promise<ConsentOutcome> {
    this.log('confirm_consent', { draft, keyRef });
    this.attempts++;
    if (this.attempts <= this.consentAfter) {
      const step: HealthStep = { step: 'token', ok: false, status: 'failed', code: 'consent_required', detail: null, message: 'Consent has not been given yet.', fix: 'Open the consent page and click Allow.', docusign_error: { status: 400, error: 'consent_required' } };
      return { state: 'still_required', attempts_made: 1, step, report: null };
    }
    const step: HealthStep = { step: 'token', ok: true, status: 'passed', code: 'ok', detail: null, message: 'Consent is given: DocuSign issued a token.', fix: null };
    return { state: 'granted', attempts_made: 1, step, report: { ok: true, steps: [step], accounts: this.accounts } };
  }
  async saveConnection(draft: Connection, keyRef: string | null) {
    this.log('save_connection', { draft, keyRef });
    const c: Connection = { ...draft, key_fingerprint: 'SHA256:fake' };
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
    const existing = this.connections.find((c) => c.name === 'Sandbox');
    this.connections = [...this.connections.filter((c) => c.name !== 'Sandbox'), connection];
    const url = 'https://127.0.0.1:40000';
    const info = { url, connection_name: 'Sandbox', ca_cert: '/tmp/sandbox/ca.pem', consent_url: `${url}/oauth/auth`, resumed: !!existing, consent_given: !!existing && this.sandboxConsent };
    return { info, connection };
  }
  /** Whether the fake sandbox's user has consented (set by tests). */
  sandboxConsent = false;
  async resetSandbox(): Promise<SandboxStarted> {
    this.log('reset_sandbox');
    this.connections = this.connections.filter((c) => c.name !== 'Sandbox');
    this.sandboxConsent = false;
    this.envelopes = [];
    const s = await this.startSandbox();
    return { ...s, info: { ...s.info, resumed: false, consent_given: false } };
  }

  // ---- A small world for actions and Go-Live (two templates, envelopes made by sending) ----
  ledger: LedgerCall[] = [];
  envelopes: { envelopeId: string; status: string; emailSubject: string; statusChangedDateTime: string; recipients: { recipient_id: string; name: string; email: string; role_name: string; status: string; routing_order: number }[] }[] = [];
  monitorList: MonitorInfo[] = [];
  private listeners: { warm: ((e: WarmUpEvent) => void)[]; download: ((e: DownloadProgress) => void)[]; monitor: ((u: MonitorUpdate) => void)[] } = { warm: [], download: [], monitor: [] };
  private streakNow() {
    let n = 0;
    for (const c of this.ledger) {
      if (c.kind !== 'esignature') continue;
      if (c.verdict === 'broke_streak') break;
      n++;
    }
    return n;
  }
  private record(method: string, path: string, status = 200, error_code: string | null = null) {
    const ok = status < 400;
    this.ledger.unshift({ at: new Date().toISOString(), kind: 'esignature', method, path_template: `/restapi/v2.1/accounts/{accountId}/${path}`, path, status, error_code, duration_ms: 12, verdict: ok ? 'counted' : 'broke_streak', reason: ok ? 'successful eSignature call' : `HTTP ${status} reset the streak` });
  }
  private status(): GoLiveStatus {
    const streak = this.streakNow();
    return { integration_key: 'ik', environment: 'account-d.docusign.com', streak, required: 20, ready: streak >= 20, recent: this.ledger.slice(0, 40), violations: [], summary: `${Math.min(streak, 20)}/20` };
  }
  async golivePanel(name: string): Promise<GoLivePanel> {
    this.log('golive_panel', { name });
    const s = this.status();
    return {
      status: s,
      checklist: [
        { id: 'build_in_demo', title: 'Build and test in demo', done: null, detail: 'Practise here.' },
        { id: 'twenty_calls', title: '20 successful eSignature calls in a row', done: s.ready, detail: s.summary },
        { id: 'submit_review', title: 'Submit the Go-Live review', done: null, detail: 'Developer Console > Apps and Keys.' },
        { id: 'promote', title: 'Add the integration key to the production account', done: false, detail: 'After approval.' },
        { id: 'production_consent', title: 'Grant consent again in production', done: null, detail: 'Production consent is separate.' },
      ],
      answers: { authentication: 'OAuth v2 for REST, JWT Bearer Grant (no App Passwords, no SOAP).', endpoints: [...new Set(this.ledger.map((c) => `${c.method} ${c.path_template}`))].sort(), error_handling: 'Errors are shown with DocuSign’s words; 429 waits for the reset.', polling: 'One listStatusChanges call per cycle, at most every 15 minutes.' },
    };
  }
  async warmUp(name: string): Promise<GoLiveStatus> {
    this.log('warm_up', { name });
    while (this.streakNow() < 20) {
      this.record('GET', 'templates');
      for (const l of this.listeners.warm) l({ connection: name, streak: this.streakNow(), required: 20, call: 'GET templates' });
    }
    return this.status();
  }
  private outcome(before: number, result: ActionResult | null, failure: ActionOutcome['failure'] = null): ActionOutcome {
    const after = this.streakNow();
    const calls = this.ledger.length ? 1 : 0;
    return { result, failure, streak: { before, after, calls, summary: failure ? `reset by HTTP 400 (${after}/20)` : `+1 (${Math.min(after, 20)}/20)` } };
  }
  async pollingCheck(name: string, request: ActionRequest): Promise<EarlierFetch | null> {
    this.log('polling_check', { name, request });
    return null;
  }
  async runAction(name: string, request: ActionRequest, policy: FetchPolicy | null = null): Promise<ActionOutcome> {
    this.log('run_action', { name, request, policy });
    const before = this.streakNow();
    const nda = '5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01';
    switch (request.action) {
      case 'list_templates':
        this.record('GET', 'templates');
        return this.outcome(before, { ok: true, action: 'list_templates', count: 1, templates: [{ templateId: nda, name: 'Mutual NDA', description: 'Two-party mutual non-disclosure agreement', emailSubject: 'Please sign the Mutual NDA', lastModified: new Date().toISOString() }] });
      case 'get_template_roles':
        this.record('GET', 'templates/{templateId}/recipients');
        return this.outcome(before, { ok: true, action: 'get_template_roles', ...this.ndaRoles(request.template_id) });
      case 'preview_envelope_from_template':
        this.record('GET', 'templates/{templateId}/recipients');
        return this.outcome(before, { ok: true, action: 'preview_envelope_from_template', body: { templateId: request.template_id, status: request.draft ? 'created' : 'sent', ...(request.subject ? { emailSubject: request.subject } : {}), templateRoles: request.roles.map((r) => ({ roleName: r.role_name, name: r.name, email: r.email, tabs: { textTabs: request.tabs.filter((t) => t.role_name === r.role_name).map((t) => ({ tabLabel: t.tab_label, value: t.value })) } })) }, template: this.ndaRoles(request.template_id), notes: [] });
      case 'send_envelope_from_template': {
        this.record('POST', 'envelopes');
        const id = `e${this.envelopes.length + 1}000000-0000-4000-8000-000000000000`.slice(0, 36);
        this.envelopes.unshift({ envelopeId: id, status: 'sent', emailSubject: request.subject ?? 'Please sign the Mutual NDA', statusChangedDateTime: new Date().toISOString(), recipients: request.roles.map((r, i) => ({ recipient_id: String(i + 1), name: r.name, email: r.email, role_name: r.role_name, status: i === 0 ? 'sent' : 'created', routing_order: i + 1 })) });
        return this.outcome(before, { ok: true, action: 'send_envelope_from_template', template_id: request.template_id, envelope_id: id, status: 'sent', status_date_time: new Date().toISOString(), uri: `/envelopes/${id}` });
      }
      case 'list_envelopes':
        this.record('GET', 'envelopes');
        return this.outcome(before, { ok: true, action: 'list_envelopes', count: this.envelopes.length, total_set_size: this.envelopes.length, pages: 1, from_date: new Date(Date.now() - 30 * 86_400_000).toISOString(), last_queried_date_time: new Date().toISOString(), envelopes: this.envelopes.map(({ recipients: _r, ...e }) => e), visibility: 'This list shows only envelopes the connection’s user may see.', user_filter: null, delivery_problems: [] });
      case 'get_recipient_status': {
        const e = this.envelopes.find((x) => x.envelopeId === request.envelope_id);
        if (!e) {
          this.ledger.unshift({ at: new Date().toISOString(), kind: 'esignature', method: 'GET', path_template: '/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/recipients', path: '', status: 400, error_code: 'ENVELOPE_DOES_NOT_EXIST', duration_ms: 3, verdict: 'broke_streak', reason: 'HTTP 400 ENVELOPE_DOES_NOT_EXIST reset the streak' });
          return this.outcome(before, null, { ok: false, action: request.action, code: 'api', detail: null, errorCode: 'ENVELOPE_DOES_NOT_EXIST', status: 400, message: 'The envelope specified either does not exist or you have no rights to it.', fix: 'Check the envelope ID.', problems: [], reset_at: null });
        }
        this.record('GET', 'envelopes/{envelopeId}/recipients');
        return this.outcome(before, { ok: true, action: 'get_recipient_status', envelope_id: e.envelopeId, current_routing_order: 1, recipients: e.recipients.map((r) => ({ ...r, recipient_type: 'signer', sent_date_time: null, delivered_date_time: null, signed_date_time: null, declined_date_time: null, declined_reason: null, auto_responded_reason: null, client_user_id: null, embedded: false, delivery: 'email' })), notes: [], problems: [] });
      }
      case 'get_envelope': {
        this.record('GET', 'envelopes/{envelopeId}');
        const e = this.envelopes.find((x) => x.envelopeId === request.envelope_id);
        const { recipients: _r, ...envelope } = e ?? { envelopeId: request.envelope_id, status: 'sent', recipients: [] };
        return this.outcome(before, { ok: true, action: 'get_envelope', envelope });
      }
      case 'void_envelope':
        this.record('PUT', 'envelopes/{envelopeId}');
        return this.outcome(before, { ok: true, action: 'void_envelope', envelope_id: request.envelope_id, status: 'voided', voided_reason: request.reason });
      case 'get_tab_values':
        this.record('GET', 'envelopes/{envelopeId}/recipients');
        return this.outcome(before, { ok: true, action: 'get_tab_values', envelope_id: request.envelope_id, recipients: [], notes: [] });
      case 'download_document':
        this.record('GET', 'envelopes/{envelopeId}/documents/{documentId}');
        return this.outcome(before, { ok: true, action: 'download_document', path: String(request.out), bytes: 10000, content_type: 'application/pdf', filename: 'Mutual NDA.pdf', was_base64: false, certificate_included: null, contains: 'the file' });
    }
  }
  async downloadFolder() {
    return '/home/you/Downloads';
  }
  async chooseSaveLocation(fileName: string) {
    return `/home/you/Documents/${fileName}`;
  }
  async downloadDocument(a: DownloadAsk, downloadId: string): Promise<ActionOutcome> {
    this.log('download_document', { ask: a, downloadId });
    const before = this.streakNow();
    for (const b of [0, 5000, 10000]) for (const l of this.listeners.download) l({ download_id: downloadId, bytes: b, total: 10000 });
    this.record('GET', 'envelopes/{envelopeId}/documents/{documentId}');
    return this.outcome(before, { ok: true, action: 'download_document', was_base64: false, path: a.saveTo ?? `/home/you/Downloads/${a.fileName}`, bytes: 10000, content_type: 'application/pdf', filename: 'Mutual NDA.pdf', certificate_included: a.documentId === 'combined' ? (a.certificate ?? true) : null, contains: a.documentId === 'combined' ? `all documents in one PDF, ${(a.certificate ?? true) ? 'followed by' : 'without'} the certificate of completion` : 'document 1 only (no certificate of completion)' });
  }
  /** The fake's one template's roles, as get_template_roles answers. */
  private ndaRoles(templateId: string): TemplateRoles {
    const tab = (label: string, kind: string, choices: string[] = []) => ({ label, collection: `${kind}Tabs`, kind, required: false, settable: true, locked: null, choices, value: null });
    return { template_id: templateId, template_name: 'Mutual NDA', unnamed_recipients: 0, roles: [{ role_name: 'Signer 1', recipient_type: 'signer', recipient_id: '1', routing_order: 1, name: null, email: null, fixed: false, locked: false, required: false, fill: 'name_email', tabs: [tab('Company', 'company'), tab('Plan', 'list', ['basic', 'pro', 'enterprise'])] }] };
  }
  async monitorRule(name: string): Promise<IntervalRule> {
    const c = await this.getConnection(name);
    return c.environment === 'sandbox'
      ? { minimum_interval_seconds: 1, reason: 'The sandbox allows short intervals for trying things out.', suggested_interval_seconds: 5 }
      : { minimum_interval_seconds: 900, reason: 'DocuSign forbids polling more than once every 15 minutes, and refuses Go-Live reviews for it.', suggested_interval_seconds: 900 };
  }
  async startMonitor(spec: MonitorSpec): Promise<MonitorInfo> {
    this.log('start_monitor', { spec });
    // One trigger per kind and connection, kept with its settings and place (as studio-core).
    const key = `${spec.connection}|${spec.trigger}`;
    const resumed_from = this.savedTriggerMap[key]?.last_checked ?? null;
    this.savedTriggerMap[key] = { trigger: spec.trigger, template_id: spec.template_id, template_name: spec.template_id ? (spec.template_name ?? null) : null, interval_seconds: spec.interval_seconds, last_checked: resumed_from };
    const info: MonitorInfo = { id: `monitor-${this.monitorList.length + 1}`, spec, calls_per_hour: 3600 / spec.interval_seconds, minimum_interval_seconds: 1, interval_reason: 'sandbox', resumed_from };
    this.monitorList.push(info);
    return info;
  }
  async stopMonitor(id: string) {
    const had = this.monitorList.some((m) => m.id === id);
    this.monitorList = this.monitorList.filter((m) => m.id !== id);
    for (const l of this.listeners.monitor) l({ kind: 'stopped', monitor_id: id });
    return had;
  }
  async listMonitors() {
    return [...this.monitorList];
  }
  /** The triggers kept per `connection|trigger` (tests may set them). */
  savedTriggerMap: Record<string, SavedTrigger> = {};
  async savedTriggers(name: string): Promise<SavedTrigger[]> {
    return Object.entries(this.savedTriggerMap)
      .filter(([k]) => k.startsWith(`${name}|`))
      .map(([, t]) => ({ ...t }));
  }
  /** Stored trigger events per connection (tests set it). */
  history: Record<string, TriggerEvent[]> = {};
  async triggerHistory(name: string) {
    return [...(this.history[name] ?? [])];
  }
  /** Sends a monitor update to the listeners (tests). */
  emitMonitor(u: MonitorUpdate) {
    for (const l of this.listeners.monitor) l(u);
  }
  async promotionGuide(name: string): Promise<PromotionGuide> {
    const c = await this.getConnection(name);
    return { integration_key: c.integration_key, redirect_uri: c.redirect_uri, public_key_pem: ['-----BEGIN PUBLIC KEY-----', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', '-----END PUBLIC KEY-----'].join('\n'), fingerprint: c.key_fingerprint ?? 'SHA256:fake', production_consent_url: `https://account.docusign.com/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=${c.integration_key}` };
  }
  async openProductionConsent(name: string) {
    this.log('open_production_consent', { name });
    return (await this.promotionGuide(name)).production_consent_url ?? '';
  }
  async promote(input: PromotionInput) {
    this.log('promote', { input });
    const demo = await this.getConnection(input.demo_connection);
    const c: Connection = { ...demo, name: input.name, environment: 'production', user_id: input.user_id, account_id: input.account_id, base_uri: input.base_uri, auth_server: 'production', ca_cert: null };
    this.connections = [...this.connections, c];
    return c;
  }
  async sandboxMove(ask: SandboxMoveAsk): Promise<SandboxEnvelopeState> {
    this.log('sandbox_move', ask);
    const { envelopeId, recipientId, action } = ask;
    const e = this.envelopes.find((x) => x.envelopeId === envelopeId);
    if (!e) throw { code: 'sandbox_refused', detail: null, message: 'unknown envelope', fix: 'Pick another envelope.' } satisfies IpcError;
    const r = e.recipients.find((x) => x.recipient_id === recipientId);
    if (r) r.status = action === 'deliver' ? 'delivered' : action === 'sign' ? 'completed' : 'declined';
    if (action === 'decline') e.status = 'declined';
    else if (e.recipients.every((x) => x.status === 'completed')) e.status = 'completed';
    return { envelope_id: e.envelopeId, status: e.status, status_changed: new Date().toISOString(), completed: null, current_routing_order: 1, recipients: e.recipients.map((x) => ({ recipient_id: x.recipient_id, role_name: x.role_name, recipient_type: 'signer', name: x.name, routing_order: x.routing_order, status: x.status })) };
  }
  async onWarmUpProgress(cb: (e: WarmUpEvent) => void): Promise<Unlisten> {
    this.listeners.warm.push(cb);
    return () => (this.listeners.warm = this.listeners.warm.filter((x) => x !== cb));
  }
  async onDownloadProgress(cb: (e: DownloadProgress) => void): Promise<Unlisten> {
    this.listeners.download.push(cb);
    return () => (this.listeners.download = this.listeners.download.filter((x) => x !== cb));
  }
  async onMonitorUpdate(cb: (u: MonitorUpdate) => void): Promise<Unlisten> {
    this.listeners.monitor.push(cb);
    return () => (this.listeners.monitor = this.listeners.monitor.filter((x) => x !== cb));
  }
  private consentListeners: ((e: RedirectOutcome) => void)[] = [];
  async onConsentRedirect(cb: (e: RedirectOutcome) => void): Promise<Unlisten> {
    this.consentListeners.push(cb);
    return () => (this.consentListeners = this.consentListeners.filter((x) => x !== cb));
  }
  /** The browser came back from the consent page (tests). */
  emitConsentRedirect(e: RedirectOutcome) {
    for (const l of this.consentListeners) l(e);
  }

  async connectionHandoff(name: string): Promise<Handoff> {
    this.log('connection_handoff', { name });
    const c = await this.getConnection(name);
    const fields = [
      ['integration_key', 'Integration Key', c.integration_key],
      ['user_id', 'User ID', c.user_id],
      ['private_key', 'RSA Private Key', ''],
      ['account_id', 'Account ID', c.account_id],
      ['base_uri', 'Base URI', c.base_uri],
      ['environment', 'Environment', c.environment],
    ].map(([field, label, value]) => ({ field, label, value, secret: field === 'private_key', hint: '' }));
    const env = `DOCUSIGN_INTEGRATION_KEY=${c.integration_key}\nDOCUSIGN_USER_ID=${c.user_id}\n`;
    return { connection: c.name, status: 'healthy', checked_at: '2026-01-01T00:00:00Z', code: 'ok', detail: null, message: 'Healthy.', fix: null, key_fingerprint: c.key_fingerprint, fields, stackai: '', env, json: '{}', notes: [] };
  }
  async copyPrivateKey(name: string, format: HandoffFormat): Promise<KeyCopied> {
    this.log('copy_private_key', { name, format });
    return { fingerprint: 'SHA256:fake', clear_after_seconds: 60 };
  }
  async readPasted(text: string): Promise<PasteAnswer> {
    this.log('read_pasted', { text: '<redacted>' });
    const get = (re: RegExp) => text.match(re)?.[1]?.trim() ?? null;
    const values = {
      name: null, environment: null, integration_key: get(/integration.?key\s*[:=]\s*(\S+)/i), user_id: get(/user.?id\s*[:=]\s*(\S+)/i),
      account_id: get(/account.?id\s*[:=]\s*(\S+)/i), base_uri: get(/base.?ur[il]\s*[:=]\s*(\S+)/i), auth_server: null, redirect_uri: null,
      ca_cert: null, private_key_file: null, has_private_key: false, found: [] as string[], ignored: [] as string[], notes: [] as string[],
    };
    values.found = (['integration_key', 'user_id', 'account_id', 'base_uri'] as const).filter((f) => values[f] !== null);
    return { values, key: null };
  }
  async copyText(text: string) {
    this.log('copy_text', { text });
  }
  async onKeyClipboard(_cb: (e: KeyClipboardEvent) => void): Promise<Unlisten> {
    return () => {};
  }
  async supportBundlePlan(name: string | null = null): Promise<BundlePlan> {
    this.log('support_bundle_plan', { name });
    const conn = name ?? (this.connections.length === 1 ? this.connections[0].name : null);
    const entries = [
      { name: 'README.txt', description: 'What this bundle is and what it leaves out.' },
      { name: 'versions.json', description: "The app's name and version, the operating system and its version." },
      ...(conn ? [{ name: 'ledger.json', description: 'The last 200 calls to DocuSign.' }] : []),
      { name: 'app.log', description: "The end of the app's log." },
    ];
    return { connection: conn, entries, never_included: ['the private key', 'access tokens and JWT assertions'], suggested_file_name: 'dsjwt-support-20260101-1200.zip' };
  }
  async saveSupportBundle(name: string | null = null): Promise<BundleSummary | null> {
    this.log('save_support_bundle', { name });
    const plan = await this.supportBundlePlan(name);
    return { path: `/home/you/Downloads/${plan.suggested_file_name}`, bytes: 4096, entries: plan.entries.map((e) => e.name), redactions: 0, notes: [] };
  }
}
