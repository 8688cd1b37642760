// Every command error crosses IPC as the core's `Problem` ({code, detail, message, fix, field?};
// generated in ../bindings from studio-core, src-tauri/error.rs sends it). Anything else (a bare
// string, an exception from the webview) becomes an `unknown` problem, so the UI can always
// show a message and, where there is one, a fix.

import type { Code, Problem } from '../bindings';

/** An error from a command: the core's {@link Problem}, as the shell sent it. */
export type IpcError = Problem;

/** A problem made in the UI (not from the shell), with no detail. */
export function problem(code: Code, message: string, fix: string | null = null): IpcError {
  return { code, detail: null, message, fix };
}

/** Turns whatever a failed `invoke` threw into an {@link IpcError}. */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) {
    const o: IpcError = { code: e.code, detail: typeof e.detail === 'string' ? e.detail : null, message: e.message, fix: typeof e.fix === 'string' ? e.fix : null };
    if (typeof e.field === 'string') o.field = e.field;
    return o;
  }
  if (e instanceof Error) return problem('unknown', e.message);
  if (typeof e === 'string' && e.trim() !== '') return problem('unknown', e);
  return problem('unknown', 'Something went wrong, and the app did not say what.');
}

/** True when the value looks like an {@link IpcError} (a code and a message). */
export function isIpcError(e: unknown): e is IpcError {
  return !!e && typeof e === 'object' && typeof (e as IpcError).code === 'string' && typeof (e as IpcError).message === 'string';
}
