// Picks the backend: the Tauri one inside the app, the fake one elsewhere (a plain browser,
// `vite dev`), so the UI can be looked at without the shell.

import type { Backend } from './backend';
import { FakeBackend } from './fake';
import { tauriBackend } from './tauri';

export type { Backend, Commands, Events, FieldContext, FieldName } from './backend';
export * from './types';
export * from './errors';

let current: Backend | null = null;

/** The backend in use. */
export function backend(): Backend {
  if (!current) {
    const inTauri = typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
    current = inTauri ? tauriBackend() : new FakeBackend();
  }
  return current;
}

/** Replaces the backend (tests). */
export function setBackend(b: Backend) {
  current = b;
}
