// The real backend: the generated commands (../bindings/commands.ts) over Tauri's `invoke`,
// and the shell's window events. Nothing is reshaped here: the UI gets the Rust shapes.
// Every answer is also kept in `window.__studioIpcLog` (in memory only), so the end-to-end
// tests can check that no answer ever carried key material.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { commands, type CommandName, type Events } from '../bindings/commands';
import type { Backend } from './backend';
import { toIpcError } from './errors';
import type { Unlisten } from './types';

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

/** `invoke`, recording the answer; a failure rejects with the shell's `Problem`. */
async function call<T>(cmd: CommandName, args?: Record<string, unknown>): Promise<T> {
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
function on<K extends keyof Events>(event: K) {
  return (cb: (payload: Events[K]) => void): Promise<Unlisten> =>
    listen<Events[K]>(event, (e) => {
      record({ cmd: `event:${event}`, ok: true, answer: e.payload });
      cb(e.payload);
    });
}

/** The backend inside the app. */
export function tauriBackend(): Backend {
  return {
    ...commands(call),
    onWarmUpProgress: on('warm-up-progress'),
    onConsentRedirect: on('consent-redirect'),
    onDownloadProgress: on('download-progress'),
    onMonitorUpdate: on('monitor-update'),
    onKeyClipboard: on('key-clipboard'),
    async copyText(text: string) {
      // The official clipboard plugin (its write-text permission is in the capability).
      await invoke('plugin:clipboard-manager|write_text', { text });
    },
  };
}
