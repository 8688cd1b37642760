// The UI talks to Rust only through this interface. The commands are generated from the
// shell's Rust functions (../bindings/commands.ts, by studio-core's tests/ts_bindings.rs): one
// typed function per command, with the argument and answer types ts-rs generates. `tauriBackend`
// (tauri.ts) is the real one; `FakeBackend` (fake.ts) stands in for vitest and for running the
// UI in a browser.

import type { Commands, Events } from '../bindings/commands';
import type { Field, FieldContext } from '../bindings';
import type { Unlisten } from './types';

export type { Commands, Events, FieldContext };

/** The fields the wizard checks as typed. */
export type FieldName = Field;

/** Listens to one window event. */
type On<K extends keyof Events> = (cb: (payload: Events[K]) => void) => Promise<Unlisten>;

export interface Backend extends Commands {
  /** The streak after each warm-up call (`warm-up-progress`). */
  onWarmUpProgress: On<'warm-up-progress'>;
  /** The browser came back from the consent page (the sandbox, or a loopback redirect URI the
   * app serves): confirm consent now rather than at the next try (`consent-redirect`). */
  onConsentRedirect: On<'consent-redirect'>;
  /** How far a download is (`download-progress`). */
  onDownloadProgress: On<'download-progress'>;
  /** A trigger monitor's update (`monitor-update`). */
  onMonitorUpdate: On<'monitor-update'>;
  /** The key's time on the clipboard is over (`key-clipboard`). */
  onKeyClipboard: On<'key-clipboard'>;
  /** Copies non-secret text to the clipboard (the clipboard plugin). */
  copyText(text: string): Promise<void>;
}
