// The shapes that cross IPC are all generated from Rust (ui/src/lib/bindings, ts-rs, regenerated
// by studio-core's tests/ts_bindings.rs) and re-exported here. Below them, clearly apart, the
// few view types and helpers of this UI (none of them crosses IPC as such).

import type { Connection, FieldCheck, Step } from '../bindings';
import { toCode } from '../messages';

export type * from '../bindings';

// ---- This UI's own view types and helpers ----

/** One step of the health check. */
export type HealthStep = Step;

/** Green, amber or red (`FieldCheck.level`). */
export type Level = 'ok' | 'warning' | 'error';

/** Stops listening to an event. */
export type Unlisten = () => void;

/** A connection as the wizard edits it: the redirect URI is a plain string (empty = none). */
export type ConnectionDraft = Omit<Connection, 'redirect_uri'> & { redirect_uri: string };

/** The connection to send over IPC for a draft. */
export function toConnection(d: ConnectionDraft): Connection {
  return { ...d, redirect_uri: d.redirect_uri.trim() === '' ? null : d.redirect_uri };
}

/** The draft for a saved connection. */
export function toDraft(c: Connection): ConnectionDraft {
  return { ...c, redirect_uri: c.redirect_uri ?? '' };
}

/** A red field check made from an error (a failed command, a file that is too big). */
export function errorCheck(field: string, e: { code: string; message: string; fix: string | null }): FieldCheck {
  return { field, ok: false, level: 'error', code: toCode(e.code), detail: null, message: e.message, fix: e.fix, normalized: null, notes: [] };
}
