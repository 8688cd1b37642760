// Headlines and fixes by error code, from the core's catalogue (codes.gen.ts is generated from
// studio_core::messages::CATALOG), so a notice's title always fits its failure.

import { CODES } from './codes.gen';

/** A headline for a failure with this code ("Could not reach the server"). */
export function titleFor(code: string | null | undefined, fallback = 'It did not work'): string {
  return (code && CODES[code]?.title) || fallback;
}

/** The catalogue's fix for this code, when the failure brought none. */
export function fixFor(code: string | null | undefined): string | null {
  return (code && CODES[code]?.fix) || null;
}
