// The action tester's forms: the nine actions in plain words, each form's fields checked as
// typed, and the request each form makes. Pure, so it is unit-tested.

import type { ActionRequest, RoleInput, TabInput } from '../../lib/ipc/types';

export type ActionId =
  | 'list_templates'
  | 'get_template_roles'
  | 'send_envelope_from_template'
  | 'list_envelopes'
  | 'get_envelope'
  | 'get_recipient_status'
  | 'get_tab_values'
  | 'download_document'
  | 'void_envelope';

export interface ActionDef {
  id: ActionId;
  title: string;
  /** What it does, for someone who does not know the API. */
  blurb: string;
  /** The DocuSign call(s), for the curious. */
  call: string;
  group: 'Templates' | 'Envelopes';
  /** What the form asks for. */
  needs: ('template' | 'envelope' | 'recipient' | 'document' | 'dates' | 'roles' | 'reason')[];
}

export const ACTIONS: ActionDef[] = [
  { id: 'list_templates', group: 'Templates', title: 'List templates', blurb: 'Every template in this account.', call: 'GET templates', needs: [] },
  { id: 'get_template_roles', group: 'Templates', title: 'Roles and fields of a template', blurb: 'Who signs a template, and the fields (tabs) each person fills in.', call: 'GET templates/{templateId}/recipients', needs: ['template'] },
  { id: 'send_envelope_from_template', group: 'Templates', title: 'Send from a template', blurb: 'Fill in the people and fields, check what will be sent, then send.', call: 'POST envelopes', needs: ['template', 'roles'] },
  { id: 'list_envelopes', group: 'Envelopes', title: 'List envelopes', blurb: 'Envelopes that changed since a date, filtered by status or template.', call: 'GET envelopes', needs: ['dates'] },
  { id: 'get_envelope', group: 'Envelopes', title: 'Look at an envelope', blurb: 'Its status, people and documents.', call: 'GET envelopes/{envelopeId}', needs: ['envelope'] },
  { id: 'get_recipient_status', group: 'Envelopes', title: 'Who has signed?', blurb: 'Each recipient’s status on an envelope.', call: 'GET envelopes/{envelopeId}/recipients', needs: ['envelope'] },
  { id: 'get_tab_values', group: 'Envelopes', title: 'Filled-in field values', blurb: 'What the recipients typed or chose in the fields.', call: 'GET envelopes/{envelopeId}/recipients/…/tabs', needs: ['envelope', 'recipient'] },
  { id: 'download_document', group: 'Envelopes', title: 'Download a document', blurb: 'One document, all of them as one PDF, or the certificate of completion.', call: 'GET envelopes/{envelopeId}/documents/{documentId}', needs: ['envelope', 'document'] },
  { id: 'void_envelope', group: 'Envelopes', title: 'Void an envelope', blurb: 'Cancel an envelope that is still out for signature.', call: 'PUT envelopes/{envelopeId}', needs: ['envelope', 'reason'] },
];

export function actionDef(id: ActionId): ActionDef {
  return ACTIONS.find((a) => a.id === id) ?? ACTIONS[0];
}

/** The documents one can download, besides a document by number. */
export const DOCUMENT_CHOICES: { value: string; label: string; ext: string }[] = [
  { value: 'combined', label: 'All documents as one PDF', ext: 'pdf' },
  { value: 'certificate', label: 'Certificate of completion', ext: 'pdf' },
  { value: 'archive', label: 'All documents as a ZIP file', ext: 'zip' },
];

/** A role of the template being sent, as the form shows it (from get_template_roles). */
export interface RoleField {
  role_name: string;
  recipient_type: string;
  fixed_name: string | null;
  fixed_email: string | null;
  /** How a sender fills it: a name and email; an in-person signer (host + signer's name); or a type this app cannot fill (F48). */
  fill: 'name_email' | 'in_person' | 'unsupported';
  tabs: TabField[];
}

/** A recipient type in plain words. */
export function roleKind(recipientType: string, fill?: string): string {
  if (fill === 'in_person' || recipientType === 'inPersonSigner') return 'signs in person';
  const words: Record<string, string> = { signer: 'signer', carbonCopy: 'gets a copy', certifiedDelivery: 'must confirm receipt', agent: 'agent', editor: 'editor', intermediary: 'intermediary', witness: 'witness', notary: 'notary', seal: 'electronic seal' };
  return words[recipientType] ?? recipientType;
}

/** A field (tab) the sender may fill in. */
export interface TabField {
  label: string;
  kind: string;
  required: boolean;
  choices: string[];
  template_value: string | null;
}

/** What a form holds. */
export interface FormValues {
  template_id: string;
  /** List envelopes' optional template filter (its own: the send form's template is not a filter). */
  filter_template_id: string;
  envelope_id: string;
  recipient_id: string;
  document_id: string;
  from_date: string;
  to_date: string;
  status: string;
  /** DocuSign's `user_filter` for listings: '' (what the user may see), `sender`, `recipient`, `recipient_only` (F50). */
  user_filter: string;
  reason: string;
  subject: string;
  /** The email message (DocuSign's emailBlurb). */
  message: string;
  draft: boolean;
  /** By role name (in-person roles: the host, plus `signer`, who signs on the host's device). */
  people: Record<string, { name: string; email: string; signer?: string }>;
  /** By `role \u0000 label`. */
  tabs: Record<string, string>;
}

export function emptyForm(): FormValues {
  return { template_id: '', filter_template_id: '', envelope_id: '', recipient_id: '', document_id: 'combined', from_date: '', to_date: '', status: '', user_filter: '', reason: '', subject: '', message: '', draft: false, people: {}, tabs: {} };
}

export function tabKey(role: string, label: string): string {
  return `${role}\u0000${label}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const STATUSES = ['created', 'sent', 'delivered', 'signed', 'completed', 'declined', 'voided', 'any', 'changed'];

/** The roles of a template answer (get_template_roles' result), for the send form. */
export function roleFields(result: unknown): RoleField[] {
  const roles = (result as { roles?: unknown[] } | null)?.roles ?? [];
  return roles.map((r) => {
    const o = r as { role_name: string; recipient_type: string; name?: string | null; email?: string | null; fixed?: boolean; fill?: string; tabs?: { label: string; kind: string; required?: boolean | null; settable?: boolean; choices?: string[]; value?: string | null; locked?: boolean | null }[] };
    return {
      role_name: o.role_name,
      recipient_type: o.recipient_type,
      fixed_name: o.fixed ? (o.name ?? null) : null,
      fixed_email: o.fixed ? (o.email ?? null) : null,
      fill: o.fill === 'in_person' || o.fill === 'unsupported' ? o.fill : 'name_email',
      tabs: (o.tabs ?? []).filter((t) => t.settable && !t.locked).map((t) => ({ label: t.label, kind: t.kind, required: !!t.required, choices: t.choices ?? [], template_value: t.value ?? null })),
    };
  });
}

/** DocuSign's documented length limits of the send form (the same numbers as
 * docusign-api's `esign::limits`): characters, the subject counted with its merge fields
 * replaced by what they become. */
export const LIMITS = { subject: 100, message: 10_000, name: 100, email: 100 } as const;

/** Characters as DocuSign counts them (code points, not UTF-16 units). */
export function chars(s: string): number {
  return [...s].length;
}

/** The subject as recipients get it: `[[Role_UserName]]` / `[[Role_Email]]` replaced. */
export function expandSubject(subject: string, people: Record<string, { name: string; email: string }>): string {
  let out = subject;
  for (const [role, p] of Object.entries(people)) {
    out = out.split(`[[${role}_UserName]]`).join(p.name.trim()).split(`[[${role}_Email]]`).join(p.email.trim());
  }
  return out;
}

function tooLong(what: string, n: number, max: number, extra = ''): string {
  return `${what} is ${n} characters long; DocuSign accepts at most ${max}${extra}. Shorten it by ${n - max}.`;
}

/** Each field's problem, checked as typed (empty when the form can run). */
export function validate(id: ActionId, v: FormValues, roles: RoleField[] = []): Record<string, string> {
  const e: Record<string, string> = {};
  const def = actionDef(id);
  const guid = (field: 'template_id' | 'envelope_id', what: string) => {
    const val = v[field].trim();
    if (!val) e[field] = `Choose ${what}.`;
    else if (!GUID.test(val)) e[field] = `This is not ${what} ID: they look like 8-4-4-4-12 letters and digits.`;
  };
  if (def.needs.includes('template')) guid('template_id', 'a template');
  if (def.needs.includes('envelope')) guid('envelope_id', 'an envelope');
  if (def.needs.includes('document') && !v.document_id.trim()) e.document_id = 'Choose a document.';
  if (def.needs.includes('document') && v.document_id.trim() && !/^(\d+|combined|archive|certificate|portfolio)$/i.test(v.document_id.trim())) e.document_id = 'A document number, or one of the choices.';
  if (def.needs.includes('reason')) {
    if (!v.reason.trim()) e.reason = 'Say why: DocuSign shows the reason to the recipients.';
    else if (v.reason.length > 200) e.reason = `At most 200 characters (${v.reason.length} now).`;
  }
  if (def.needs.includes('dates')) {
    for (const f of ['from_date', 'to_date'] as const) {
      if (v[f].trim() && !DATE.test(v[f].trim())) e[f] = 'A date like 2026-03-31 (or 2026-03-31T14:00:00Z).';
    }
    if (!e.from_date && !e.to_date && v.from_date.trim() && v.to_date.trim() && Date.parse(v.to_date) < Date.parse(v.from_date)) e.to_date = 'The end is before the start.';
    const bad = v.status.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && !STATUSES.includes(s));
    if (bad.length) e.status = `Unknown status ${bad.map((b) => `“${b}”`).join(', ')}.`;
  }
  if (def.needs.includes('roles')) {
    let anyone = false;
    for (const r of roles) {
      const p = v.people[r.role_name] ?? { name: '', email: '' };
      const name = p.name.trim();
      const email = p.email.trim();
      const signer = (p.signer ?? '').trim();
      if (r.fill === 'unsupported') continue;
      if (name || email) anyone = true;
      if (r.fill === 'in_person' && (name || email) && !signer) e[`signer:${r.role_name}`] = 'Add the name of the person who signs on the host’s device.';
      if (r.fill === 'in_person' && signer.length > 100) e[`signer:${r.role_name}`] = `At most 100 characters (${signer.length} now).`;
      if (name && !email) e[`email:${r.role_name}`] = 'Add their email.';
      if (email && !name) e[`name:${r.role_name}`] = 'Add their name.';
      if (email && !EMAIL.test(email)) e[`email:${r.role_name}`] = 'This is not an email address.';
      if (chars(name) > LIMITS.name) e[`name:${r.role_name}`] = tooLong('The name', chars(name), LIMITS.name);
      if (chars(email) > LIMITS.email) e[`email:${r.role_name}`] = tooLong('The email', chars(email), LIMITS.email);
      for (const t of r.tabs) {
        const val = (v.tabs[tabKey(r.role_name, t.label)] ?? '').trim();
        if (val && t.kind === 'number' && Number.isNaN(Number(val))) e[`tab:${tabKey(r.role_name, t.label)}`] = 'A number.';
        if (val && t.kind === 'email' && !EMAIL.test(val)) e[`tab:${tabKey(r.role_name, t.label)}`] = 'An email address.';
        if (val && t.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(val)) e[`tab:${tabKey(r.role_name, t.label)}`] = 'A date like 2026-03-31.';
      }
    }
    // Sending (not a draft): every role the template does not fix needs a person, marked
    // beside its fields before any call is made.
    if (!v.draft) {
      for (const r of roles) {
        if (r.fixed_email) continue;
        const p = v.people[r.role_name] ?? { name: '', email: '' };
        if (!p.name.trim() && !p.email.trim()) {
          e[`name:${r.role_name}`] = `Add the name of the person who is “${r.role_name}”.`;
          e[`email:${r.role_name}`] = 'Add their email.';
        }
      }
    }
    if (roles.length && !anyone && !roles.some((r) => r.fixed_email)) e.roles = 'Fill in at least one person.';
    const subject = v.subject.trim();
    if (subject) {
      const expanded = expandSubject(subject, v.people);
      if (chars(expanded) > LIMITS.subject) e.subject = tooLong('The subject', chars(expanded), LIMITS.subject, expanded !== subject ? ' (merge fields count as the names and emails they become)' : '');
    }
    if (chars(v.message) > LIMITS.message) e.message = tooLong('The message', chars(v.message), LIMITS.message);
    if (!roles.length && !e.template_id) e.roles = 'Choose a template to see who signs it.';
  }
  return e;
}

function opt(s: string): string | null {
  return s.trim() ? s.trim() : null;
}

/** The people and fields of the send form, as the action takes them. */
export function rolesAndTabs(v: FormValues, roles: RoleField[]): { roles: RoleInput[]; tabs: TabInput[] } {
  const out: RoleInput[] = [];
  for (const r of roles) {
    const p = v.people[r.role_name];
    if (r.fill === 'unsupported') continue;
    if (p && p.name.trim() && p.email.trim()) {
      const role: RoleInput = { role_name: r.role_name, name: p.name.trim(), email: p.email.trim() };
      if (r.fill === 'in_person' && (p.signer ?? '').trim()) role.in_person_signer_name = (p.signer ?? '').trim();
      out.push(role);
    }
  }
  const tabs: TabInput[] = [];
  for (const r of roles) {
    for (const t of r.tabs) {
      const val = v.tabs[tabKey(r.role_name, t.label)];
      if (val !== undefined && val.trim() !== '') tabs.push({ role_name: r.role_name, tab_label: t.label, value: val.trim() });
    }
  }
  return { roles: out, tabs };
}

/** The request a form makes (downloads go through their own command). */
export function buildRequest(id: ActionId, v: FormValues, roles: RoleField[] = []): ActionRequest {
  switch (id) {
    case 'list_templates':
      return { action: 'list_templates' };
    case 'get_template_roles':
      return { action: 'get_template_roles', template_id: v.template_id.trim() };
    case 'send_envelope_from_template':
      return { action: 'send_envelope_from_template', template_id: v.template_id.trim(), ...rolesAndTabs(v, roles), subject: opt(v.subject), message: opt(v.message), draft: v.draft };
    case 'list_envelopes':
      return { action: 'list_envelopes', from_date: opt(v.from_date), to_date: opt(v.to_date), status: opt(v.status), folder_id: null, template_id: opt(v.filter_template_id), ...(v.user_filter ? { user_filter: v.user_filter } : {}) };
    case 'get_envelope':
      return { action: 'get_envelope', envelope_id: v.envelope_id.trim() };
    case 'get_recipient_status':
      return { action: 'get_recipient_status', envelope_id: v.envelope_id.trim() };
    case 'get_tab_values':
      return { action: 'get_tab_values', envelope_id: v.envelope_id.trim(), recipient_id: opt(v.recipient_id) };
    case 'void_envelope':
      return { action: 'void_envelope', envelope_id: v.envelope_id.trim(), reason: v.reason.trim() };
    case 'download_document':
      return { action: 'download_document', envelope_id: v.envelope_id.trim(), document_id: v.document_id.trim(), out: '' };
  }
}

/** The preview request for the send form (same checks, nothing sent). */
export function previewRequest(v: FormValues, roles: RoleField[]): ActionRequest {
  const r = buildRequest('send_envelope_from_template', v, roles);
  return r.action === 'send_envelope_from_template' ? { ...r, action: 'preview_envelope_from_template' } : r;
}

/** A fingerprint of what will be sent: a preview is valid only while the form still matches it. */
export function sendKey(v: FormValues, roles: RoleField[]): string {
  return JSON.stringify(buildRequest('send_envelope_from_template', v, roles));
}

/** Envelope statuses that can be voided (DocuSign: only 'sent' or 'delivered'). */
export const VOIDABLE = ['sent', 'delivered'];

/** Why an envelope in this status cannot be voided (null when it can). */
export function whyNotVoidable(status: string): string | null {
  switch (status.toLowerCase()) {
    case 'sent':
    case 'delivered':
      return null;
    case 'created':
      return 'drafts are deleted, not voided';
    case 'completed':
      return 'everyone signed: a completed envelope stays as it is';
    case 'declined':
      return 'a recipient declined it: it is already closed';
    case 'voided':
      return 'already voided';
    case 'signed':
      return 'it is completing';
    default:
      return `it is ${status}`;
  }
}

/** The downloaded file's name: the envelope's subject and the document. */
export function downloadName(subject: string | null | undefined, envelopeId: string, documentId: string): string {
  const choice = DOCUMENT_CHOICES.find((c) => c.value === documentId.trim().toLowerCase());
  const ext = choice?.ext ?? 'pdf';
  const what = choice ? (choice.value === 'combined' ? 'documents' : choice.value) : `document ${documentId.trim()}`;
  const base = (subject && subject.trim()) || `Envelope ${envelopeId.slice(0, 8)}`;
  return `${base} - ${what}.${ext}`;
}
