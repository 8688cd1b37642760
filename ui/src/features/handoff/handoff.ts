// "Use this connection in…": pure helpers (no Svelte), unit-tested on their own.

import type { HandoffFormat } from '../../lib/ipc/types';

/** The places a connection can be handed to, in the order offered. */
export const TARGETS: readonly { id: HandoffFormat; title: string; text: string }[] = [
  { id: 'stackai', title: 'Stack AI', text: 'The DocuSign (JWT) form of Stack AI’s New Connection dialog, field by field.' },
  { id: 'env', title: '.env file', text: 'DOCUSIGN_* lines for a script or a server; the key on one line with \\n escapes.' },
  { id: 'json', title: 'JSON', text: 'One JSON object, for tools that take a configuration file.' },
];

/** "at 14:03:05 (3 minutes ago)" for an RFC 3339 time; the raw text when it does not parse. */
export function whenChecked(iso: string | null, now: Date = new Date()): string {
  if (!iso) return 'never';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const secs = Math.max(0, Math.round((now.getTime() - t.getTime()) / 1000));
  const ago = secs < 45 ? 'just now' : secs < 3600 ? `${Math.round(secs / 60)} minute${Math.round(secs / 60) === 1 ? '' : 's'} ago` : `${Math.round(secs / 3600)} hour${Math.round(secs / 3600) === 1 ? '' : 's'} ago`;
  return `${t.toLocaleString()} (${ago})`;
}

/** What the key-copy button will do, said before it happens. */
export function keyCopyWarning(format: HandoffFormat, connection: string, fingerprint: string | null, seconds = 60): string {
  const what = format === 'stackai' ? 'the private key' : format === 'env' ? 'the .env block with the private key' : 'the JSON with the private key';
  const where = format === 'stackai' ? 'Paste it only into Stack AI’s “RSA Private Key” field.' : 'Paste it only where the platform keeps its secrets.';
  return `This copies ${what} of “${connection}”${fingerprint ? ` (${fingerprint})` : ''} from this computer’s keyring to the clipboard. It is not shown on screen. Anyone who gets it can act as this DocuSign user. ${where} The clipboard is cleared after ${seconds} seconds if it still holds the key.`;
}
