// Turns a health report into rows for the health view, with the one-click fixes each
// failure offers. Pure, so it is unit-tested.

import type { AccountChoice, HealthReport, HealthStep, StepName } from '../../lib/ipc/types';
import { fixWithHint } from '../../lib/messages';
// The steps' titles and help come from Rust (studio_core::health::StepName), as the CLI's do.
import { STEP_HELP, STEP_TITLES } from '../../lib/steps.gen';

/** A fix the health view can apply with one click. */
export type FixAction =
  | { kind: 'use_base_uri'; value: string; label: string }
  | { kind: 'choose_account'; accounts: AccountChoice[]; label: string }
  | { kind: 'give_consent'; label: string }
  | { kind: 'replace_key'; label: string }
  | { kind: 'edit'; step: 'app' | 'user' | 'account' | 'environment'; label: string }
  | { kind: 'restart_sandbox'; label: string };

export interface HealthRow {
  step: StepName;
  title: string;
  help: string;
  status: HealthStep['status'];
  icon: string;
  message: string;
  /** DocuSign's own words, e.g. `invalid_grant: no_valid_keys_or_signatures`. */
  docusignWords: string | null;
  fix: string | null;
  /** The technical words behind a failure (shown folded, under "Details"). */
  details: string | null;
  notes: string[];
  /** The consent URL, when consent is what is missing: shown apart from the fix (copy it, or
   * "Give consent" opens it), never inside the sentence. */
  consentUrl: string | null;
  actions: FixAction[];
  /** A token step failed for this computer's clock: the same step checked again with
   * DocuSign's time, i.e. what is behind the clock problem (its actions are in `actions` too). */
  behind: HealthRow | null;
}

function docusignWords(s: HealthStep): string | null {
  const e = s.docusign_error;
  if (!e) return null;
  return e.error_description ? `${e.error}: ${e.error_description}` : e.error;
}

/** The one-click fixes for a failed step. */
export function actionsFor(step: HealthStep, report: HealthReport): FixAction[] {
  if (step.status !== 'failed') return [];
  const accounts = report.accounts ?? [];
  switch (step.code) {
    case 'base_uri_mismatch':
      return step.suggested_value ? [{ kind: 'use_base_uri', value: step.suggested_value, label: `Use ${step.suggested_value}` }] : [];
    case 'account_not_accessible':
    case 'no_accounts':
      return accounts.length ? [{ kind: 'choose_account', accounts, label: 'Choose another account' }] : [];
    case 'consent_required':
      return [{ kind: 'give_consent', label: 'Give consent' }];
    case 'network_unreachable':
      return report.environment === 'custom' ? [{ kind: 'restart_sandbox', label: 'Start the sandbox again' }] : [];
    case 'key_load_failed':
      return [{ kind: 'replace_key', label: 'Replace the key' }];
    case 'invalid_grant':
      if (step.detail === 'no_valid_keys_or_signatures') return [{ kind: 'replace_key', label: 'Replace the key' }];
      if (step.detail === 'user_not_found') return [{ kind: 'edit', step: 'user', label: 'Edit the User ID' }];
      if (step.detail === 'issuer_not_found') return [{ kind: 'edit', step: 'app', label: 'Edit the Integration Key' }];
      return [];
    default:
      if (step.step === 'settings') return [{ kind: 'edit', step: 'app', label: 'Edit the settings' }];
      return [];
  }
}

const ICONS: Record<HealthStep['status'], string> = { passed: '✓', failed: '✕', skipped: '–' };

/**
 * A consent fix as a plain sentence: the core's fix names the consent URL inside it (the CLI
 * prints it so); the desktop shows the URL apart (a copy button) and opens it from "Give
 * consent", so the sentence speaks of the consent page instead.
 */
export function plainConsentFix(fix: string, url: string | null | undefined): string {
  if (!url) return fix;
  const at = fix.indexOf(url);
  if (at < 0) return fix;
  const before = fix
    .slice(0, at)
    .replace(/[\s:]+$/, '')
    .replace(/^Open this consent URL\b/, 'Open the consent page (“Give consent” opens it)');
  const after = fix.slice(at + url.length).trim();
  return after ? `${before}. ${after}` : `${before}.`;
}

function row(s: HealthStep, report: HealthReport): HealthRow {
  const behind = s.with_docusign_time ? row(s.with_docusign_time, report) : null;
  const consentUrl = s.status === 'failed' && s.code === 'consent_required' ? (s.suggested_value ?? report.consent_url ?? null) : null;
  const fix = fixWithHint(s.fix, s.hint);
  return {
    step: s.step,
    title: STEP_TITLES[s.step] ?? s.step,
    help: STEP_HELP[s.step] ?? '',
    status: s.status,
    icon: ICONS[s.status],
    message: s.message,
    docusignWords: docusignWords(s),
    fix: fix && consentUrl ? plainConsentFix(fix, consentUrl) : fix,
    details: s.details ?? null,
    notes: (s.notes ?? []).filter((n) => n.trim() !== ''),
    consentUrl,
    actions: [...actionsFor(s, report), ...(behind?.actions ?? [])],
    behind,
  };
}

/** The rows of the health view, in the report's order. */
export function healthRows(report: HealthReport): HealthRow[] {
  return report.steps.map((s) => row(s, report));
}

/** A one-line verdict for the top of the view: healthy, a warning (this computer's clock is all
 * that failed: the Studio's own calls work, as the CLI's "Works, with a warning" says, from the
 * report's `clock_warning`), or the first failed step. */
export function verdict(report: HealthReport): { tone: 'ok' | 'warning' | 'error'; title: string; text: string } {
  if (report.ok) return { tone: 'ok', title: 'Your JWT connection is healthy', text: 'DocuSign issued a token, and the account and base URI are right.' };
  if (report.clock_warning) return { tone: 'warning', title: 'Works, with a warning', text: report.clock_warning };
  const first = report.steps.find((s) => s.status === 'failed');
  return {
    tone: 'error',
    title: first ? `${STEP_TITLES[first.step] ?? first.step}: needs attention` : 'The check did not pass',
    text: first?.message ?? 'One of the steps failed.',
  };
}
