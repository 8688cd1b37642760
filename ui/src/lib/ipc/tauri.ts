// The real backend: `invoke` into the Rust shell (src-tauri/commands.rs), with the few
// shape adaptations the UI wants (a consent outcome as one "attempt", a key answer with its
// fingerprint on top).
// Every answer is also kept in `window.__studioIpcLog` (in memory only), so the end-to-end
// tests can check that no answer ever carried key material.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Backend, FieldContext, FieldName } from './backend';
import { toIpcError } from './errors';
import {
  toConnection,
  type ActionOutcome,
  type ActionRequest,
  type DownloadArgs,
  type DownloadProgress,
  type GoLivePanel,
  type GoLiveStatus,
  type IntervalRule,
  type MonitorInfo,
  type MonitorSpec,
  type MonitorUpdate,
  type PromotionGuide,
  type PromotionInput,
  type RecipientMove,
  type SandboxEnvelopeState,
  type Unlisten,
  type WarmUpEvent,
  type AppInfo,
  type Connection,
  type ConnectionDraft,
  type ConsentAttempt,
  type ConsentOutcome,
  type Environment,
  type FieldCheck,
  type GeneratedKey,
  type Handoff,
  type HandoffFormat,
  type HealthReport,
  type KeyAccepted,
  type KeyClipboardEvent,
  type KeyCopied,
  type PasteAnswer,
  type KeyInfo,
  type SandboxStarted,
  type ConsentRedirect,
  type TriggerEvent,
  type WhereToFind,
  type EarlierFetch,
  type FetchPolicy,
  type BundlePlan,
  type BundleSummary,
} from './types';

/** `start_sandbox` / `reset_sandbox` as the shell answers. */
interface RawStarted {
  info: { url: string; resumed: boolean; consent_given: boolean };
  connection: Connection;
}

function toStarted(r: RawStarted): SandboxStarted {
  return { connection: r.connection, url: r.info.url, resumed: r.info.resumed, consent_given: r.info.consent_given };
}

/** One recorded IPC answer. */
export interface IpcRecord {
  cmd: string;
  ok: boolean;
  answer: unknown;
}

declare global {
  interface Window {
    __studioIpcLog?: IpcRecord[];
  }
}

const MAX_RECORDS = 2000;

function record(entry: IpcRecord) {
  const log = (window.__studioIpcLog ??= []);
  log.push(entry);
  if (log.length > MAX_RECORDS) log.splice(0, log.length - MAX_RECORDS);
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    const answer = await invoke<T>(cmd, args);
    record({ cmd, ok: true, answer });
    return answer;
  } catch (e) {
    record({ cmd, ok: false, answer: e });
    throw toIpcError(e);
  }
}

/** Listens to a window event the shell emits; every payload is recorded like an answer. */
async function on<T>(event: string, cb: (payload: T) => void): Promise<Unlisten> {
  return listen<T>(event, (e) => {
    record({ cmd: `event:${event}`, ok: true, answer: e.payload });
    cb(e.payload);
  });
}

/** A consent outcome as one attempt of the UI's poller. */
export function outcomeToAttempt(o: ConsentOutcome): ConsentAttempt {
  const consented = o.state === 'granted';
  const step = o.step;
  return {
    consented,
    code: consented ? 'ok' : step?.code ?? o.state,
    message: step?.message ?? '',
    fix: step?.fix ?? null,
    docusign_error: step?.docusign_error ?? null,
    details: step?.details ?? null,
    accounts: o.report?.accounts ?? null,
  };
}

/** The shell's key answer (`commands::KeyAccepted`). */
interface RawKeyAccepted {
  check: FieldCheck;
  info: KeyInfo | null;
  key_ref: string | null;
}

function toKeyAccepted(r: RawKeyAccepted): KeyAccepted {
  return {
    check: r.check,
    fingerprint: r.info?.fingerprint ?? null,
    summary: r.info ? `RSA ${r.info.bits}-bit, ${r.info.format === 'pkcs8' ? 'PKCS#8' : 'PKCS#1'}` : null,
    key_ref: r.key_ref,
  };
}

export class TauriBackend implements Backend {
  appInfo() {
    return call<AppInfo>('app_info');
  }
  listConnections() {
    return call<Connection[]>('list_connections');
  }
  getConnection(name: string) {
    return call<Connection>('get_connection', { name });
  }
  removeConnection(name: string) {
    return call<void>('remove_connection', { name });
  }
  whereToFind(field: FieldName | 'private_key', _environment: Environment) {
    return call<WhereToFind>('where_to_find', { field });
  }
  checkField(field: FieldName, value: string, context: FieldContext) {
    return call<FieldCheck>('check_field', { field, value, context });
  }
  async checkPrivateKey(text: string): Promise<KeyAccepted> {
    return toKeyAccepted(await call<RawKeyAccepted>('check_private_key', { text }));
  }
  async generateKeyPair(): Promise<GeneratedKey> {
    const r = await call<{ info: KeyInfo; key_ref: string }>('generate_key_pair');
    return { public_key_pem: r.info.public_key_pem, fingerprint: r.info.fingerprint, key_ref: r.key_ref };
  }
  forgetDraftKey(keyRef: string) {
    return call<void>('forget_draft_key', { keyRef });
  }
  consentUrl(draft: ConnectionDraft) {
    return call<string>('consent_url', { draft: toConnection(draft) });
  }
  openConsentPage(draft: ConnectionDraft) {
    return call<string>('open_consent_page', { draft: toConnection(draft) });
  }
  async confirmConsent(draft: ConnectionDraft, keyRef: string): Promise<ConsentAttempt> {
    return outcomeToAttempt(await call<ConsentOutcome>('confirm_consent', { draft: toConnection(draft), keyRef }));
  }
  saveConnection(draft: ConnectionDraft, keyRef: string | null) {
    return call<Connection>('save_connection', { draft: toConnection(draft), keyRef });
  }
  runHealthCheck(name: string) {
    return call<HealthReport>('run_health_check', { name });
  }
  async startSandbox(): Promise<SandboxStarted> {
    return toStarted(await call<RawStarted>('start_sandbox'));
  }
  async resetSandbox(): Promise<SandboxStarted> {
    return toStarted(await call<RawStarted>('reset_sandbox'));
  }

  golivePanel(name: string) {
    return call<GoLivePanel>('golive_panel', { name });
  }
  warmUp(name: string) {
    return call<GoLiveStatus>('warm_up', { name });
  }
  runAction(name: string, request: ActionRequest, policy: FetchPolicy = 'reuse') {
    return call<ActionOutcome>('run_action', { name, request, policy });
  }
  pollingCheck(name: string, request: ActionRequest) {
    return call<EarlierFetch | null>('polling_check', { name, request });
  }
  downloadFolder() {
    return call<string>('download_folder');
  }
  chooseSaveLocation(fileName: string) {
    return call<string | null>('choose_save_location', { fileName });
  }
  downloadDocument(a: DownloadArgs) {
    return call<ActionOutcome>('download_document', { ask: a, downloadId: a.downloadId });
  }
  monitorRule(name: string) {
    return call<IntervalRule>('monitor_rule', { name });
  }
  startMonitor(spec: MonitorSpec) {
    return call<MonitorInfo>('start_monitor', { spec });
  }
  stopMonitor(id: string) {
    return call<boolean>('stop_monitor', { id });
  }
  listMonitors() {
    return call<MonitorInfo[]>('list_monitors');
  }
  triggerHistory(name: string) {
    return call<TriggerEvent[]>('trigger_history', { name });
  }
  promotionGuide(name: string) {
    return call<PromotionGuide>('promotion_guide', { name });
  }
  openProductionConsent(name: string) {
    return call<string>('open_production_consent', { name });
  }
  promote(input: PromotionInput) {
    return call<Connection>('promote', { input });
  }
  sandboxMove(name: string, envelopeId: string, recipientId: string, action: RecipientMove, tabs: Record<string, string> | null, reason: string | null) {
    return call<SandboxEnvelopeState>('sandbox_move', { ask: { name, envelopeId, recipientId, action, tabs, reason } });
  }
  onWarmUpProgress(cb: (e: WarmUpEvent) => void) {
    return on<WarmUpEvent>('warm-up-progress', cb);
  }
  onDownloadProgress(cb: (e: DownloadProgress) => void) {
    return on<DownloadProgress>('download-progress', cb);
  }
  onMonitorUpdate(cb: (u: MonitorUpdate) => void) {
    return on<MonitorUpdate>('monitor-update', cb);
  }
  onConsentRedirect(cb: (e: ConsentRedirect) => void) {
    return on<ConsentRedirect>('consent-redirect', cb);
  }

  connectionHandoff(name: string) {
    return call<Handoff>('connection_handoff', { name });
  }
  copyPrivateKey(name: string, format: HandoffFormat) {
    return call<KeyCopied>('copy_private_key', { name, format });
  }
  async readPasted(text: string): Promise<PasteAnswer> {
    const r = await call<{ values: PasteAnswer['values']; key: RawKeyAccepted | null }>('read_pasted', { text });
    return { values: r.values, key: r.key ? toKeyAccepted(r.key) : null };
  }
  async copyText(text: string) {
    // The official clipboard plugin (its write-text permission is in the capability).
    await invoke('plugin:clipboard-manager|write_text', { text });
  }
  onKeyClipboard(cb: (e: KeyClipboardEvent) => void) {
    return on<KeyClipboardEvent>('key-clipboard', cb);
  }
  supportBundlePlan(name: string | null) {
    return call<BundlePlan>('support_bundle_plan', { name });
  }
  saveSupportBundle(name: string | null) {
    return call<BundleSummary | null>('save_support_bundle', { name });
  }
}
