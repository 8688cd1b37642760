// The production connection form of the promotion page: its fields, each checked as typed
// with the wizard's own checks (for the production environment), and when it can be created.
// Pure parts and a small checker that drops late answers, so both are unit-tested.

import type { Backend, FieldName } from '../../lib/ipc/backend';
import type { FieldCheck, PromotionInput } from '../../lib/ipc/types';

export type PromotionField = 'name' | 'user_id' | 'account_id' | 'base_uri';

export const PROMOTION_FIELDS: { field: PromotionField; label: string; hint: string; placeholder: string }[] = [
  { field: 'name', label: 'Name of the production connection', hint: 'The demo connection stays as it is: keep it for testing.', placeholder: 'My DocuSign - production' },
  { field: 'user_id', label: 'Production User ID (API Username)', hint: 'Production Admin › Users › the user › API Username. Not the demo one: the accounts are different, even with the same email.', placeholder: '8-4-4-4-12 letters and digits' },
  { field: 'account_id', label: 'Production API Account ID', hint: 'Production Admin › Apps and Keys › My Account Information › API Account ID.', placeholder: '8-4-4-4-12 letters and digits' },
  { field: 'base_uri', label: 'Production Account Base URI', hint: 'Same page, “Account Base URI”. It depends on the region: na1, na2, na3, na4, eu, au, ca…', placeholder: 'https://na3.docusign.net' },
];

export interface PromotionForm {
  values: Record<PromotionField, string>;
  checks: Partial<Record<PromotionField, FieldCheck>>;
  pending: Partial<Record<PromotionField, boolean>>;
}

/** The production connection's suggested name: "My app - demo" → "My app - production". */
export function productionName(demoName: string): string {
  const base = demoName.replace(/[\s._-]*demo$/i, '').trim();
  return base ? `${base} - production` : 'Production';
}

export function emptyPromotion(demoName: string): PromotionForm {
  return { values: { name: productionName(demoName), user_id: '', account_id: '', base_uri: '' }, checks: {}, pending: {} };
}

/** Why the connection cannot be created yet, or null. */
export function blocker(f: PromotionForm): string | null {
  for (const { field, label } of PROMOTION_FIELDS) {
    if (!f.values[field].trim()) return `Fill in “${label}”.`;
  }
  for (const { field, label } of PROMOTION_FIELDS) {
    if (f.pending[field]) return 'Checking…';
    const c = f.checks[field];
    if (!c) return 'Checking…';
    if (c.level === 'error') return `Fix “${label}”: ${c.message}`;
  }
  return null;
}

/** What `promote` takes (checked values normalised where the check says how). */
export function promotionInput(demo: string, f: PromotionForm): PromotionInput {
  const v = (k: PromotionField) => (f.checks[k]?.normalized ?? f.values[k]).trim();
  return { demo_connection: demo, name: f.values.name.trim(), user_id: v('user_id'), account_id: v('account_id'), base_uri: v('base_uri') };
}

/** Checks one field against the shell, dropping answers for values that changed since. */
export class PromotionChecker {
  private seq: Partial<Record<PromotionField, number>> = {};
  constructor(
    private backend: () => Backend,
    private form: PromotionForm,
  ) {}

  async check(field: PromotionField): Promise<void> {
    const n = (this.seq[field] ?? 0) + 1;
    this.seq[field] = n;
    const value = this.form.values[field];
    this.form.pending[field] = true;
    try {
      const c = await this.backend().checkField(field as FieldName, value, { environment: 'production', account_id: this.form.values.account_id, user_id: this.form.values.user_id });
      if (this.seq[field] === n) this.form.checks[field] = c;
    } finally {
      if (this.seq[field] === n) this.form.pending[field] = false;
    }
  }
}
