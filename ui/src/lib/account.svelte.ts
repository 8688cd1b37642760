// What the selected connection's account holds, fetched once and shared by the screens that
// offer it in dropdowns (actions, sandbox controls, trigger filters): templates, each
// template's roles, envelopes, each envelope's recipients. Each fetch is a real eSignature
// call (it counts toward Go-Live), so nothing is fetched again unless the person asks:
// fetching the same envelope twice within 15 minutes is what DocuSign calls polling.
// The Go-Live streak as the last call left it is kept here too, for the navigation bar.

import { backend } from './ipc';
import { toIpcError, type IpcError } from './ipc/errors';
import type { ActionOutcome, ActionRequest, StreakEffect } from './ipc/types';
import { roleFields, type RoleField } from '../features/actions/actions';

export interface TemplateOption {
  id: string;
  name: string;
  subject: string;
}
export interface EnvelopeOption {
  id: string;
  subject: string;
  status: string;
  changed: string;
}
export interface RecipientOption {
  id: string;
  name: string;
  email: string;
  role: string;
  type: string;
  status: string;
  order: number;
}

type J = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

class AccountData {
  connection = $state('');
  templates: TemplateOption[] | null = $state(null);
  envelopes: EnvelopeOption[] | null = $state(null);
  roles: Record<string, RoleField[]> = $state({});
  recipients: Record<string, RecipientOption[]> = $state({});
  busy: Record<string, boolean> = $state({});
  error: IpcError | null = $state(null);
  /** The streak after the last call the app made (null until known). */
  streak: number | null = $state(null);
  /** The last call's effect, e.g. "+1 (5/20)". */
  lastEffect: StreakEffect | null = $state(null);
  /** Set (to the failure's words) when the last call or health check could not reach the
   * connection's server: the bar then says so instead of showing a streak. */
  unreachable: string | null = $state(null);

  /** Switches to a connection (forgets the other's lists); `force` forgets them even for the
   * same connection (after it was edited, or the sandbox started again). */
  use(connection: string, force = false) {
    if (connection === this.connection && !force) return;
    this.connection = connection;
    this.templates = null;
    this.envelopes = null;
    this.roles = {};
    this.recipients = {};
    this.error = null;
    this.streak = null;
    this.lastEffect = null;
    this.unreachable = null;
    if (connection) void this.refreshStreak();
  }

  /** Reads the streak from the ledger (no API call). Nothing when no connection is shown. */
  async refreshStreak() {
    const name = this.connection;
    if (!name) return;
    try {
      const p = await backend().golivePanel(name);
      if (name === this.connection) this.streak = p.status.streak;
    } catch {
      /* the Go-Live screen says why */
    }
  }

  /** A trigger monitor of this connection called DocuSign: the streak is read again, and the
   * last action's effect no longer describes the last call. */
  async noteMonitorCalls() {
    this.lastEffect = null;
    await this.refreshStreak();
  }

  /** Notes whether the server answered: `network_unreachable` marks it down; any other answer
   * (even a refusal) means it is reachable. */
  noteReach(code: string | null, message: string | null = null) {
    if (code === 'network_unreachable') this.unreachable = message ?? 'The server could not be reached.';
    else this.unreachable = null;
  }

  /** Notes an outcome's streak effect. */
  noteOutcome(o: ActionOutcome) {
    this.noteReach(o.failure?.code ?? null, o.failure?.message ?? null);
    if (o.streak.calls > 0 || o.failure) {
      this.lastEffect = o.streak;
      this.streak = o.streak.after;
    }
  }

  /** Runs an action for a list, noting its streak effect; the result or null (the error is kept). */
  private async fetch(key: string, request: ActionRequest): Promise<J | null> {
    const name = this.connection;
    this.busy = { ...this.busy, [key]: true };
    try {
      const o = await backend().runAction(name, request);
      if (name !== this.connection) return null;
      this.noteOutcome(o);
      if (o.failure) {
        this.error = toIpcError({ code: o.failure.code, message: o.failure.message, fix: o.failure.fix });
        return null;
      }
      this.error = null;
      return o.result as J;
    } catch (e) {
      this.error = toIpcError(e);
      return null;
    } finally {
      this.busy = { ...this.busy, [key]: false };
    }
  }

  async loadTemplates(force = false) {
    if (this.templates && !force) return;
    const r = await this.fetch('templates', { action: 'list_templates' });
    if (r) this.templates = ((r.templates as J[]) ?? []).map((t) => ({ id: str(t.templateId), name: str(t.name) || str(t.templateId), subject: str(t.emailSubject) })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async loadRoles(templateId: string, force = false): Promise<RoleField[] | null> {
    if (!templateId) return null;
    if (this.roles[templateId] && !force) return this.roles[templateId];
    const r = await this.fetch(`roles:${templateId}`, { action: 'get_template_roles', template_id: templateId });
    if (!r) return null;
    const roles = roleFields(r);
    this.roles = { ...this.roles, [templateId]: roles };
    return roles;
  }

  async loadEnvelopes(force = false) {
    if (this.envelopes && !force) return;
    const r = await this.fetch('envelopes', { action: 'list_envelopes', from_date: null, to_date: null, status: null, folder_id: null, template_id: null });
    if (r) {
      this.envelopes = ((r.envelopes as J[]) ?? [])
        .map((e) => ({ id: str(e.envelopeId), subject: str(e.emailSubject) || '(no subject)', status: str(e.status), changed: str(e.statusChangedDateTime || e.sentDateTime || e.createdDateTime) }))
        .sort((a, b) => Date.parse(b.changed || '0') - Date.parse(a.changed || '0'));
    }
  }

  async loadRecipients(envelopeId: string, force = false): Promise<RecipientOption[] | null> {
    if (!envelopeId) return null;
    if (this.recipients[envelopeId] && !force) return this.recipients[envelopeId];
    const r = await this.fetch(`recipients:${envelopeId}`, { action: 'get_recipient_status', envelope_id: envelopeId });
    if (!r) return null;
    const list = ((r.recipients as J[]) ?? []).map((x) => ({ id: str(x.recipient_id), name: str(x.name), email: str(x.email), role: str(x.role_name), type: str(x.recipient_type), status: str(x.status), order: Number(x.routing_order ?? 0) }));
    this.recipients = { ...this.recipients, [envelopeId]: list };
    return list;
  }

  /** An envelope the app just sent (or whose status it just learned): listed first, no call needed. */
  noteEnvelope(id: string, subject: string, status: string) {
    // Not listed yet: the first fetch will have it.
    if (!this.envelopes) return;
    const rest = this.envelopes.filter((e) => e.id !== id);
    this.envelopes = [{ id, subject, status, changed: new Date().toISOString() }, ...rest];
  }

  /** Recipient statuses the sandbox reported after a move (no call needed). */
  noteRecipients(envelopeId: string, status: string, recipients: { recipient_id: string; name: string | null; role_name: string | null; recipient_type: string; status: string; routing_order: number | null }[]) {
    const known = this.recipients[envelopeId] ?? [];
    this.recipients = {
      ...this.recipients,
      [envelopeId]: recipients.map((r) => {
        const k = known.find((x) => x.id === r.recipient_id);
        return { id: r.recipient_id, name: r.name ?? k?.name ?? '', email: k?.email ?? '', role: r.role_name ?? k?.role ?? '', type: r.recipient_type, status: r.status, order: r.routing_order ?? k?.order ?? 0 };
      }),
    };
    const env = this.envelopes?.find((e) => e.id === envelopeId);
    if (env) this.noteEnvelope(envelopeId, env.subject, status);
  }
}

export const account = new AccountData();
