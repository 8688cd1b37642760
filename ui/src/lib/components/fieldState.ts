// Maps a field's check to what the UI shows beside it: a tone (colour), an icon, a short
// label, the reason and the fix. Pure, so it is unit-tested.

import type { FieldCheck } from '../ipc/types';
import { fixWithHint } from '../messages';

export type Tone = 'neutral' | 'pending' | 'ok' | 'warning' | 'error';

export interface FieldState {
  tone: Tone;
  icon: string;
  /** Short label for screen readers and the badge. */
  label: string;
  message: string | null;
  fix: string | null;
  notes: string[];
}

/**
 * What to show for a field.
 * @param value the text in the field now
 * @param check the latest check, or null when none has come back
 * @param pending true while a check of the current value is running
 */
export function fieldState(value: string, check: FieldCheck | null | undefined, pending: boolean): FieldState {
  if (value.trim() === '' && (!check || check.code === 'empty')) {
    return { tone: 'neutral', icon: '', label: 'Not filled in yet', message: null, fix: null, notes: [] };
  }
  if (pending || !check) {
    return { tone: 'pending', icon: '…', label: 'Checking', message: null, fix: null, notes: [] };
  }
  const notes = check.notes ?? [];
  switch (check.level) {
    case 'ok':
      return { tone: 'ok', icon: '✓', label: 'Looks good', message: check.message, fix: null, notes };
    case 'warning':
      return { tone: 'warning', icon: '!', label: 'Check this', message: check.message, fix: fixWithHint(check.fix, check.hint), notes };
    default:
      // The desktop's own words for the move the fix asks for (a private key's check).
      return { tone: 'error', icon: '✕', label: 'Needs fixing', message: check.message, fix: fixWithHint(check.fix, check.hint), notes };
  }
}

/** A GUID shown short, e.g. `0f8e3c52…1a01`, for summaries. */
export function shortId(id: string): string {
  const t = id.trim();
  return t.length > 16 ? `${t.slice(0, 8)}…${t.slice(-4)}` : t;
}
