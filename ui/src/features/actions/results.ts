// An action's JSON answer as people read it: a headline, a few facts, and tables. The raw
// JSON stays one click away in the view. Pure, so it is unit-tested.

import type { PreparedEnvelope } from '../../lib/ipc/types';
import { bytes, when } from '../../lib/format';
import { roleKind } from './actions';

export interface Cell {
  text: string;
  /** Shown as a status chip. */
  chip?: boolean;
  /** Shown in monospace (IDs). */
  mono?: boolean;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
  empty: string;
}

export interface Presentation {
  headline: string;
  facts: { label: string; value: string; mono?: boolean }[];
  tables: Table[];
  notes: string[];
}

type J = Record<string, unknown>;

function s(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
function arr(v: unknown): J[] {
  return Array.isArray(v) ? (v as J[]) : [];
}
const t = (text: unknown): Cell => ({ text: s(text) });
const chip = (text: unknown): Cell => ({ text: s(text), chip: true });
const mono = (text: unknown): Cell => ({ text: s(text), mono: true });
const date = (v: unknown): Cell => ({ text: when(s(v) || null) });

/** Every recipient of a DocuSign `recipients` object, with its type. */
export function allRecipients(recipients: unknown): (J & { _type: string })[] {
  const r = (recipients ?? {}) as J;
  const out: (J & { _type: string })[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (Array.isArray(v)) for (const x of v as J[]) out.push({ ...x, _type: k.replace(/s$/, '').replace(/ie$/, 'y') });
  }
  return out.sort((a, b) => Number(a.routingOrder ?? 0) - Number(b.routingOrder ?? 0));
}

/** A tab's value, whatever its kind. */
export function tabValue(tab: J): string {
  if (Array.isArray(tab.radios)) {
    const sel = (tab.radios as J[]).find((r) => r.selected === true || r.selected === 'true');
    return sel ? s(sel.value) : '';
  }
  if (tab.selected !== undefined && tab.value === undefined) return tab.selected === true || tab.selected === 'true' ? 'checked' : 'not checked';
  return s(tab.value);
}

function envelopeRows(envs: J[]): Cell[][] {
  return envs.map((e) => [t(e.emailSubject || '(no subject)'), chip(e.status), date(e.statusChangedDateTime || e.sentDateTime || e.createdDateTime), mono(e.envelopeId)]);
}

export function present(action: string, r: J): Presentation {
  const p: Presentation = { headline: '', facts: [], tables: [], notes: [] };
  switch (action) {
    case 'list_templates': {
      const ts = arr(r.templates);
      p.headline = `${ts.length} template${ts.length === 1 ? '' : 's'}`;
      p.tables.push({ title: 'Templates', columns: ['Name', 'Description', 'Last changed', 'Template ID'], rows: ts.map((x) => [t(x.name), t(x.description), date(x.lastModified), mono(x.templateId)]), empty: 'This account has no template.' });
      break;
    }
    case 'get_template_roles': {
      const roles = arr(r.roles);
      p.headline = `“${s(r.template_name) || 'Template'}”: ${roles.length} role${roles.length === 1 ? '' : 's'}`;
      p.tables.push({
        title: 'Who signs or receives it',
        columns: ['Role', 'Kind', 'Order', 'Person set in the template', 'Template rules', 'Fields'],
        rows: roles.map((x) => [t(x.role_name), t(roleKind(s(x.recipient_type), s(x.fill))), t(x.routing_order), t(x.fixed ? `${s(x.name)} <${s(x.email)}>` : x.fill === 'unsupported' ? '— not from this app' : '— you choose'), t([x.required ? 'required' : '', x.locked ? 'locked' : ''].filter(Boolean).join(', ')), t(arr(x.tabs).length)]),
        empty: 'This template has no named role.',
      });
      for (const x of roles) {
        const tabs = arr(x.tabs);
        if (!tabs.length) continue;
        p.tables.push({
          title: `Fields of “${s(x.role_name)}”`,
          columns: ['Field', 'Kind', 'Required', 'You can prefill it', 'Choices or value'],
          rows: tabs.map((tab) => [t(tab.label), t(tab.kind), t(tab.required ? 'yes' : ''), t(tab.settable && !tab.locked ? 'yes' : 'no'), t(arr(tab.choices).length ? arr(tab.choices).join(', ') : s(tab.value))]),
          empty: '',
        });
      }
      for (const x of roles.filter((x) => x.fill === 'in_person')) p.notes.push(`“${s(x.role_name)}” signs in person: when sending, give the host (who brings the device) and the name of the person who signs.`);
      for (const x of roles.filter((x) => x.fill === 'unsupported')) p.notes.push(`“${s(x.role_name)}” is a ${roleKind(s(x.recipient_type))} role: this app cannot fill it; fill it in DocuSign’s web app.`);
      if (Number(r.unnamed_recipients ?? 0) > 0) p.notes.push(Number(r.unnamed_recipients) === 1 ? '1 recipient without a role name cannot be filled from here.' : `${s(r.unnamed_recipients)} recipients without a role name cannot be filled from here.`);
      break;
    }
    case 'list_envelopes': {
      const es = arr(r.envelopes);
      p.headline = `${es.length} envelope${es.length === 1 ? '' : 's'}${r.from_date ? ` changed since ${when(s(r.from_date))}` : ''}`;
      p.tables.push({ title: 'Envelopes', columns: ['Subject', 'Status', 'Last change', 'Envelope ID'], rows: envelopeRows(es), empty: 'No envelope visible to this user changed in that time.' });
      for (const d of arr(r.delivery_problems)) p.notes.push(`${s(d.message)} Envelope “${s(d.email_subject) || s(d.envelope_id)}”. ${s(d.fix)}`);
      if (r.visibility) p.notes.push(s(r.visibility));
      break;
    }
    case 'get_envelope': {
      const e = (r.envelope ?? {}) as J;
      p.headline = `“${s(e.emailSubject) || 'Envelope'}” is ${s(e.status)}`;
      p.facts.push({ label: 'Envelope ID', value: s(e.envelopeId), mono: true });
      for (const [label, key] of [['Created', 'createdDateTime'], ['Sent', 'sentDateTime'], ['Delivered', 'deliveredDateTime'], ['Completed', 'completedDateTime'], ['Declined', 'declinedDateTime'], ['Voided', 'voidedDateTime']] as const) {
        if (e[key]) p.facts.push({ label, value: when(s(e[key])) });
      }
      if (e.voidedReason) p.facts.push({ label: 'Why voided', value: s(e.voidedReason) });
      const people = allRecipients(e.recipients);
      p.tables.push({ title: 'People', columns: ['Name', 'Email', 'Role', 'Kind', 'Status'], rows: people.map((x) => [t(x.name), t(x.email), t(x.roleName), t(embedded(x) ? `${x._type} · embedded, gets no email` : x._type), chip(x.status)]), empty: 'No recipient.' });
      for (const x of people.filter(embedded)) p.notes.push(`${s(x.name) || s(x.email)} is an embedded signer (the envelope sets a clientUserId): DocuSign sends them no email; only the sender’s own app can open their signing session.`);
      const docs = arr(e.envelopeDocuments);
      if (docs.length) p.tables.push({ title: 'Documents', columns: ['Document', 'Number', 'Pages'], rows: docs.map((d) => [t(d.name), mono(d.documentId), t(arr(d.pages).length || s(d.pages))]), empty: '' });
      const fields = arr((e.customFields as J | undefined)?.textCustomFields);
      if (fields.length) p.tables.push({ title: 'Envelope custom fields', columns: ['Name', 'Value'], rows: fields.map((f) => [t(f.name), t(f.value)]), empty: '' });
      break;
    }
    case 'get_recipient_status': {
      const rs = arr(r.recipients);
      const done = rs.filter((x) => x.status === 'completed' || x.status === 'signed').length;
      p.headline = `${done} of ${rs.length} recipient${rs.length === 1 ? '' : 's'} finished`;
      p.tables.push({
        title: 'Recipients',
        columns: ['Order', 'Name', 'Role', 'Kind', 'Status', 'When'],
        rows: rs.map((x) => [t(x.routing_order), t(x.name || x.email), t(x.role_name), t(x.embedded ? `${s(x.recipient_type)} · embedded, gets no email` : x.recipient_type), chip(x.status), date(x.signed_date_time || x.declined_date_time || x.delivered_date_time || x.sent_date_time)]),
        empty: 'No recipient.',
      });
      for (const n of arr(r.notes)) p.notes.push(s(n));
      const declined = rs.find((x) => x.declined_reason);
      if (declined) p.notes.push(`${s(declined.name)} declined: “${s(declined.declined_reason)}”`);
      for (const x of arr(r.problems)) p.notes.push(`${s(x.message)} ${s(x.fix)}`);
      break;
    }
    case 'get_tab_values': {
      const rs = arr(r.recipients);
      p.headline = `Field values of ${rs.length} recipient${rs.length === 1 ? '' : 's'}`;
      for (const x of rs) {
        const rows: Cell[][] = [];
        for (const [collection, tabs] of Object.entries((x.tabs ?? {}) as Record<string, J[]>)) {
          for (const tab of Array.isArray(tabs) ? tabs : []) rows.push([t(tab.tabLabel || tab.groupName || tab.name), t(collection.replace(/Tabs$/, '')), t(tabValue(tab))]);
        }
        const who = s(x.name) || s(x.email) || `Recipient ${s(x.recipient_id)}`;
        p.tables.push({ title: `${who}${x.role_name ? ` (${s(x.role_name)})` : ''}`, columns: ['Field', 'Kind', 'Value'], rows, empty: 'No field.' });
      }
      for (const n of Array.isArray(r.notes) ? r.notes : []) p.notes.push(s(n));
      break;
    }
    case 'download_document':
      p.headline = `Saved ${bytes(Number(r.bytes))}`;
      p.facts.push({ label: 'File', value: s(r.path), mono: true }, { label: 'Size', value: bytes(Number(r.bytes)) }, { label: 'Type', value: s(r.content_type) });
      if (r.contains) p.facts.push({ label: 'What it holds', value: s(r.contains) });
      if (r.filename) p.facts.push({ label: 'DocuSign’s name for it', value: s(r.filename) });
      break;
    case 'send_envelope_from_template':
      p.headline = r.status === 'created' ? 'Saved as a draft' : 'Sent';
      p.facts.push({ label: 'Envelope ID', value: s(r.envelope_id), mono: true }, { label: 'Status', value: s(r.status) }, { label: 'When', value: when(s(r.status_date_time)) });
      break;
    case 'void_envelope':
      p.headline = 'Voided';
      p.facts.push({ label: 'Envelope ID', value: s(r.envelope_id), mono: true }, { label: 'Reason', value: s(r.voided_reason) });
      break;
    default:
      p.headline = 'Done';
  }
  // Said once: the computer's clock is off, so requests are signed with DocuSign's time.
  if (r.clock_notice) p.notes.unshift(s(r.clock_notice));
  return p;
}

/** A recipient with a `clientUserId` is embedded: DocuSign sends them no email (F42). */
export function embedded(x: J): boolean {
  return typeof x.clientUserId === 'string' && x.clientUserId.trim() !== '';
}

/** What a send will do, from the preview's answer (the exact body it would send). */
export interface SendPreview {
  subject: string;
  status: string;
  people: { role: string; name: string; email: string }[];
  fields: { role: string; field: string; value: string }[];
  notes: string[];
}

export function sendPreview(r: PreparedEnvelope): SendPreview {
  const body: J = r.body;
  const people: SendPreview['people'] = [];
  const fields: SendPreview['fields'] = [];
  for (const role of arr(body.templateRoles)) {
    people.push({ role: s(role.roleName), name: s(role.name), email: s(role.email) });
    for (const [collection, tabs] of Object.entries((role.tabs ?? {}) as Record<string, J[]>)) {
      for (const tab of Array.isArray(tabs) ? tabs : []) fields.push({ role: s(role.roleName), field: s(tab.tabLabel || tab.groupName || collection), value: tabValue(tab) });
    }
  }
  // No emailSubject in the body: DocuSign uses the template's own email subject, which is not
  // its name (found by a fresh user: the preview said "Mutual NDA", the email "Please sign the
  // Mutual NDA"). The caller fills it from the account's template list.
  return { subject: s(body.emailSubject), status: s(body.status) || 'sent', people, fields, notes: r.notes };
}

/** What screen readers hear when the preview shows (once, when it is made: not as the form is
 * typed): what it is about, how many people, and where the button is. */
export function previewAnnouncement(p: SendPreview, draft: boolean): string {
  const people = p.people.length === 1 ? '1 person' : `${p.people.length} people`;
  const fields = p.fields.length ? `, ${p.fields.length === 1 ? '1 prefilled field' : `${p.fields.length} prefilled fields`}` : '';
  return `What will be sent is shown below: “${p.subject}” to ${people}${fields}. ${draft ? 'Save the draft' : 'Send it'} is at its end.`;
}
