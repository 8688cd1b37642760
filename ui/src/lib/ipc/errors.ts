// Every command error crosses IPC as { code, message, fix } (src-tauri/error.rs).
// Anything else (a bare string, an exception from the webview) is bucketed as "unknown"
// so the UI can always show a message and, where there is one, a fix.

/** An error from a command, in plain words. */
export interface IpcError {
  /** Stable machine code, e.g. `consent_required`, `key_load_failed`, `not_found`. */
  code: string;
  /** What happened, in plain words. */
  message: string;
  /** What to do about it, when known. */
  fix: string | null;
}

/** Turns whatever a failed `invoke` threw into an {@link IpcError}. */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (typeof o.code === 'string' && typeof o.message === 'string') {
      return { code: o.code, message: o.message, fix: typeof o.fix === 'string' ? o.fix : null };
    }
    if (e instanceof Error) {
      return { code: 'unknown', message: e.message, fix: null };
    }
  }
  if (typeof e === 'string' && e.trim() !== '') {
    return { code: 'unknown', message: e, fix: null };
  }
  return { code: 'unknown', message: 'Something went wrong, and the app did not say what.', fix: null };
}

/** True when the value looks like an {@link IpcError}. */
export function isIpcError(e: unknown): e is IpcError {
  return !!e && typeof e === 'object' && typeof (e as IpcError).code === 'string' && typeof (e as IpcError).message === 'string';
}
