// The Go-Live panel's pictures and rows: the streak ring, each recent call with its verdict,
// the checklist ticks, and the review answers as text to copy. Pure, so it is unit-tested.

import type { ChecklistItem, GoLiveStatus, LedgerCall, ReviewAnswers } from '../../lib/ipc/types';
import { shortPath } from '../../lib/format';

/** The streak as a ring: the fraction filled and the SVG dash values for a circle of radius `r`. */
export interface Ring {
  fraction: number;
  dash: string;
  tone: 'ok' | 'progress' | 'empty';
  label: string;
}

/** The ring's colour follows the verdict: green only when `ready`, whatever the fill. */
export function ring(streak: number, required: number, r: number, ready: boolean): Ring {
  const fraction = required > 0 ? Math.min(1, Math.max(0, streak / required)) : 0;
  const circumference = 2 * Math.PI * r;
  const filled = circumference * fraction;
  return {
    fraction,
    dash: `${filled.toFixed(2)} ${(circumference - filled).toFixed(2)}`,
    tone: ready ? 'ok' : fraction > 0 ? 'progress' : 'empty',
    label: `${Math.min(streak, required)} of ${required}`,
  };
}

export type Verdict = 'counted' | 'not_counted' | 'broke_streak';

/** A call in words: "GET templates/{templateId}/recipients" → "Roles of a template". */
export function friendlyCall(method: string, pathTemplate: string): string {
  const p = shortPath(pathTemplate);
  const m = method.toUpperCase();
  const table: [string, string, string][] = [
    ['POST', 'oauth/token', 'Access token'],
    ['GET', 'oauth/userinfo', 'Who the user is'],
    ['GET', 'templates', 'List templates'],
    ['GET', 'templates/{templateId}', 'Look at a template'],
    ['GET', 'templates/{templateId}/recipients', 'Roles of a template'],
    ['GET', 'envelopes', 'List envelopes'],
    ['POST', 'envelopes', 'Send an envelope'],
    ['GET', 'envelopes/{envelopeId}', 'Look at an envelope'],
    ['PUT', 'envelopes/{envelopeId}', 'Change an envelope (void)'],
    ['GET', 'envelopes/{envelopeId}/recipients', 'Who has signed'],
    ['GET', 'envelopes/{envelopeId}/recipients/{recipientId}/tabs', 'Field values of a recipient'],
    ['GET', 'envelopes/{envelopeId}/documents', 'List documents'],
    ['GET', 'envelopes/{envelopeId}/documents/{documentId}', 'Download a document'],
  ];
  return table.find(([tm, tp]) => tm === m && tp === p)?.[2] ?? `${m} ${p}`;
}

/** One recent call as the panel lists it. */
export interface CallRow {
  verdict: Verdict;
  icon: string;
  label: string;
  /** "Roles of a template". */
  title: string;
  /** "GET templates/{templateId}/recipients". */
  what: string;
  /** "HTTP 200" or "HTTP 400 ENVELOPE_DOES_NOT_EXIST" or "no answer". */
  result: string;
  at: string;
  reason: string;
}

const VERDICTS: Record<Verdict, { icon: string; label: string }> = {
  counted: { icon: '✓', label: 'Counted' },
  not_counted: { icon: '–', label: 'Not counted' },
  broke_streak: { icon: '✕', label: 'Broke the streak' },
};

function verdictOf(v: string): Verdict {
  return v === 'counted' || v === 'broke_streak' ? v : 'not_counted';
}

export function callRows(recent: LedgerCall[]): CallRow[] {
  return recent.map((c) => {
    const verdict = verdictOf(c.verdict);
    const result = c.status === null ? 'no answer' : `HTTP ${c.status}${c.error_code ? ` ${c.error_code}` : ''}`;
    return { verdict, ...VERDICTS[verdict], title: friendlyCall(c.method, c.path_template), what: `${c.method} ${shortPath(c.path_template)}`, result, at: c.at, reason: c.reason };
  });
}

/** Counts of the verdicts, for the little legend. */
export function verdictCounts(rows: CallRow[]): Record<Verdict, number> {
  const n: Record<Verdict, number> = { counted: 0, not_counted: 0, broke_streak: 0 };
  for (const r of rows) n[r.verdict]++;
  return n;
}

/** The headline under the ring. */
export function headline(s: GoLiveStatus): { tone: 'ok' | 'warning' | 'info'; title: string; text: string } {
  if (s.ready) return { tone: 'ok', title: 'Ready for the Go-Live review', text: `The ${s.required} most recent eSignature calls all succeeded, and none broke the polling rule.` };
  const left = Math.max(1, s.required - s.streak);
  const calls = `${left} more successful call${left === 1 ? '' : 's'}`;
  if (s.violations.length) return { tone: 'warning', title: `Not ready: a polling-rule violation is among the last ${s.required} calls`, text: s.summary };
  return { tone: 'info', title: `Not ready: ${calls} in a row needed`, text: s.summary };
}

export interface ChecklistRow extends ChecklistItem {
  state: 'done' | 'todo' | 'unknown';
  icon: string;
}

export function checklistRows(items: ChecklistItem[]): ChecklistRow[] {
  return items.map((i) => ({ ...i, state: i.done === true ? 'done' : i.done === false ? 'todo' : 'unknown', icon: i.done === true ? '✓' : i.done === false ? '' : '?' }));
}

/** The questionnaire answers, each with its question, ready to copy. */
export function answerBlocks(a: ReviewAnswers): { id: string; question: string; answer: string }[] {
  return [
    { id: 'auth', question: 'Authentication method', answer: a.authentication },
    { id: 'endpoints', question: 'DocuSign API endpoints used', answer: a.endpoints.length ? a.endpoints.map((e) => `${e.split(' ')[0]} ${shortPath(e.split(' ').slice(1).join(' '))}`).join('\n') : 'No eSignature call recorded yet: run a few actions or the warm-up first.' },
    { id: 'errors', question: 'Error and rate-limit handling', answer: a.error_handling },
    { id: 'polling', question: 'Polling (status changes)', answer: a.polling },
  ];
}

/** All the answers as one text. */
export function answersText(a: ReviewAnswers): string {
  return answerBlocks(a)
    .map((b) => `${b.question}:\n${b.answer}`)
    .join('\n\n');
}
