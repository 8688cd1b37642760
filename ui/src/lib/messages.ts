// Headlines and fixes by error code, from the core's catalogue (codes.gen.ts is generated from
// studio_core::messages::CATALOG), so a notice's title always fits its failure.

import type { Code } from './bindings/Code';
import type { Hint } from './bindings/Hint';
import { CODES } from './codes.gen';

/** `code` as a {@link Code} when the core has it, else `unknown`. */
export function toCode(code: string): Code {
  return code in CODES || code === 'ok' || code === 'skipped' ? (code as Code) : 'unknown';
}

/**
 * The desktop's own words for a move the core's fix names only by its hint (the CLI has its
 * own, naming its commands and flags): added after the fix.
 */
export const HINT_WORDS: Record<Hint, string> = {
  show_public_key: "The connection's key step shows the public key, with a copy button.",
  give_sandbox_certificate: 'Start the sandbox again from the app: it gives the check the certificate by itself.',
  // The health view offers a "Start the sandbox again" button beside the fix.
  start_sandbox: '',
  make_consent_url: 'Add that redirect URI to this connection: the health check then gives the consent page.',
  give_private_key: "Paste the key, or choose its file, in the connection's key step.",
  // An encrypted, EC, OpenSSH or PKCS#12 key: the app makes a usable pair itself (no command
  // to type; the CLI names its openssl / ssh-keygen command).
  remove_key_password: 'Or let this app make a new pair: “Generate a key pair here” on the key step, then upload its public key to DocuSign.',
  make_rsa_key_pair: 'This app can make one: “Generate a key pair here” on the key step, then upload its public key to DocuSign.',
  convert_ssh_key: 'Or let this app make a new pair: “Generate a key pair here” on the key step, then upload its public key to DocuSign.',
  extract_pkcs12_key: 'Or let this app make a new pair: “Generate a key pair here” on the key step, then upload its public key to DocuSign.',
};

/** A fix followed by the desktop's words for its hint. */
export function fixWithHint(fix: string | null, hint: Hint | null | undefined): string | null {
  const words = hint ? HINT_WORDS[hint] ?? '' : '';
  if (!words) return fix;
  return fix ? `${fix.trimEnd()} ${words}` : words;
}

/** A headline for a failure with this code ("Could not reach the server"). */
export function titleFor(code: string | null | undefined, fallback = 'It did not work'): string {
  return (code && CODES[code]?.title) || fallback;
}

/** The catalogue's fix for this code, when the failure brought none. */
export function fixFor(code: string | null | undefined): string | null {
  return (code && CODES[code]?.fix) || null;
}
