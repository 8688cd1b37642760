// The UI talks to Rust only through this interface. `TauriBackend` (tauri.ts) is the real
// one; `FakeBackend` (fake.ts) stands in for vitest and for running the UI in a browser.

import type {
  ActionOutcome,
  ActionRequest,
  DownloadArgs,
  DownloadProgress,
  EarlierFetch,
  FetchPolicy,
  GoLivePanel,
  GoLiveStatus,
  IntervalRule,
  MonitorInfo,
  MonitorSpec,
  MonitorUpdate,
  PromotionGuide,
  PromotionInput,
  RecipientMove,
  SandboxEnvelopeState,
  Unlisten,
  WarmUpEvent,
  AppInfo,
  ConnectionDraft,
  Connection,
  ConsentAttempt,
  Environment,
  FieldCheck,
  GeneratedKey,
  Handoff,
  HandoffFormat,
  HealthReport,
  KeyAccepted,
  KeyClipboardEvent,
  KeyCopied,
  PasteAnswer,
  SandboxStarted,
  TriggerEvent,
  WhereToFind,
  ConsentRedirect,
  BundlePlan,
  BundleSummary,
} from './types';

/** The fields the wizard checks as typed. */
export type FieldName = 'name' | 'integration_key' | 'redirect_uri' | 'user_id' | 'account_id' | 'base_uri';

/** Context for a field check: the other values that change the verdict. */
export interface FieldContext {
  environment: Environment;
  /** For `user_id`: the account ID, to warn when the two are the same. */
  account_id?: string;
  /** For `account_id`: the user ID, likewise. */
  user_id?: string;
}

export interface Backend {
  appInfo(): Promise<AppInfo>;
  listConnections(): Promise<Connection[]>;
  getConnection(name: string): Promise<Connection>;
  removeConnection(name: string): Promise<void>;
  whereToFind(field: FieldName | 'private_key', environment: Environment): Promise<WhereToFind>;
  checkField(field: FieldName, value: string, context: FieldContext): Promise<FieldCheck>;
  /** Sends the key text to Rust once; only a check and a fingerprint come back. */
  checkPrivateKey(text: string): Promise<KeyAccepted>;
  generateKeyPair(): Promise<GeneratedKey>;
  forgetDraftKey(keyRef: string): Promise<void>;
  consentUrl(draft: ConnectionDraft): Promise<string>;
  openConsentPage(draft: ConnectionDraft): Promise<string>;
  /** One try at a token: consented or not, and the accounts when it worked. */
  confirmConsent(draft: ConnectionDraft, keyRef: string): Promise<ConsentAttempt>;
  saveConnection(draft: ConnectionDraft, keyRef: string | null): Promise<Connection>;
  runHealthCheck(name: string): Promise<HealthReport>;
  /** Starts the sandbox: the one of an earlier run (same identity) when there is one. */
  startSandbox(): Promise<SandboxStarted>;
  /** Replaces the sandbox with a fresh one (new identity, no consent, no envelopes sent). */
  resetSandbox(): Promise<SandboxStarted>;

  // ---- Part 2: once a connection works ----
  golivePanel(name: string): Promise<GoLivePanel>;
  /** Read-only calls until the streak reaches 20; progress comes through `onWarmUpProgress`. */
  warmUp(name: string): Promise<GoLiveStatus>;
  /** Any action but a download; a failed action comes back as an outcome with `failure`.
   * Envelope answers of the last 15 minutes are reused unless `policy` is `fetch_anyway`. */
  runAction(name: string, request: ActionRequest, policy?: FetchPolicy): Promise<ActionOutcome>;
  /** Whether the request would fetch an envelope endpoint fetched within 15 minutes (polling). No call. */
  pollingCheck(name: string, request: ActionRequest): Promise<EarlierFetch | null>;
  downloadFolder(): Promise<string>;
  /** The system's save dialog; null when cancelled. */
  chooseSaveLocation(fileName: string): Promise<string | null>;
  downloadDocument(args: DownloadArgs): Promise<ActionOutcome>;
  monitorRule(name: string): Promise<IntervalRule>;
  startMonitor(spec: MonitorSpec): Promise<MonitorInfo>;
  stopMonitor(id: string): Promise<boolean>;
  listMonitors(): Promise<MonitorInfo[]>;
  /** The trigger events stored for a connection, oldest first (the log after a restart). */
  triggerHistory(name: string): Promise<TriggerEvent[]>;
  promotionGuide(name: string): Promise<PromotionGuide>;
  openProductionConsent(name: string): Promise<string>;
  promote(input: PromotionInput): Promise<Connection>;
  sandboxMove(name: string, envelopeId: string, recipientId: string, action: RecipientMove, tabs: Record<string, string> | null, reason: string | null): Promise<SandboxEnvelopeState>;
  onWarmUpProgress(cb: (e: WarmUpEvent) => void): Promise<Unlisten>;
  /** The browser came back from the consent page (the sandbox, or a loopback redirect URI the
   * app serves): confirm consent now rather than at the next try. */
  onConsentRedirect(cb: (e: ConsentRedirect) => void): Promise<Unlisten>;
  onDownloadProgress(cb: (e: DownloadProgress) => void): Promise<Unlisten>;
  onMonitorUpdate(cb: (u: MonitorUpdate) => void): Promise<Unlisten>;

  // ---- Hand-off and "Paste everything" ----
  /** The values the connection's last health check proved (never the key), or why not. */
  connectionHandoff(name: string): Promise<Handoff>;
  /** Copies the private key (Stack AI) or the block with the key (env, JSON) to the clipboard, in Rust; cleared later. */
  copyPrivateKey(name: string, format: HandoffFormat): Promise<KeyCopied>;
  /** Reads a pasted block; a key in it stays in Rust (only its check comes back). */
  readPasted(text: string): Promise<PasteAnswer>;
  /** Copies non-secret text to the clipboard. */
  copyText(text: string): Promise<void>;
  onKeyClipboard(cb: (e: KeyClipboardEvent) => void): Promise<Unlisten>;
  // ---- Help ----
  /** What a support bundle about `name` (null: the only saved connection, or none) holds. */
  supportBundlePlan(name: string | null): Promise<BundlePlan>;
  /** The system's save dialog, then the bundle; null when the dialog was cancelled. */
  saveSupportBundle(name: string | null): Promise<BundleSummary | null>;
}
