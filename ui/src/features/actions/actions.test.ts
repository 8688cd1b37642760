import { describe, expect, it } from 'vitest';
import { buildRequest, downloadName, emptyForm, previewRequest, roleFields, rolesAndTabs, sendKey, tabKey, validate, whyNotVoidable } from './actions';
import { allRecipients, embedded, present, previewAnnouncement, sendPreview, tabValue } from './results';
import { titleFor } from '../../lib/messages';

const NDA = '5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01';
const rolesAnswer = {
  template_id: NDA,
  template_name: 'Mutual NDA',
  roles: [
    { role_name: 'Signer 1', recipient_type: 'signer', routing_order: 1, name: null, email: null, fixed: false, tabs: [
      { label: 'Plan', kind: 'list', required: false, settable: true, locked: null, choices: ['basic', 'pro'], value: null },
      { label: 'Amount', kind: 'number', required: false, settable: true, locked: null, choices: [], value: null },
      { label: 'SignHere1', kind: 'signHere', required: true, settable: false, locked: null, choices: [], value: null },
    ] },
    { role_name: 'Company Signer', recipient_type: 'signer', routing_order: 2, name: 'Casey', email: 'legal@example.com', fixed: true, tabs: [{ label: 'CompanyTitle', kind: 'text', settable: true, locked: true, choices: [], value: 'GC' }] },
  ],
  unnamed_recipients: 0,
};

describe('action forms', () => {
  it('checks IDs, dates, reasons and people as typed', () => {
    const v = emptyForm();
    expect(validate('get_envelope', v).envelope_id).toMatch(/Choose an envelope/);
    expect(validate('get_envelope', { ...v, envelope_id: 'abc' }).envelope_id).toMatch(/8-4-4-4-12/);
    expect(validate('get_envelope', { ...v, envelope_id: NDA })).toEqual({});
    expect(validate('list_envelopes', { ...v, from_date: '31/03/2026' }).from_date).toMatch(/2026-03-31/);
    expect(validate('list_envelopes', { ...v, from_date: '2026-03-31', to_date: '2026-03-01' }).to_date).toMatch(/before/);
    expect(validate('list_envelopes', { ...v, status: 'sent, finished' }).status).toMatch(/finished/);
    expect(validate('void_envelope', { ...v, envelope_id: NDA }).reason).toMatch(/Say why/);
    expect(validate('void_envelope', { ...v, envelope_id: NDA, reason: 'x'.repeat(201) }).reason).toMatch(/200/);
    expect(validate('download_document', { ...v, envelope_id: NDA, document_id: 'all' }).document_id).toBeTruthy();
  });

  it('subject_over_100: refuses over-long subject, message, name and email beside the field', () => {
    const roles = roleFields(rolesAnswer);
    const v = { ...emptyForm(), template_id: NDA, people: { 'Signer 1': { name: 'Ada Lovelace', email: 'ada@example.com' } } };
    expect(validate('send_envelope_from_template', { ...v, subject: 'S'.repeat(100) }, roles).subject).toBeUndefined();
    expect(validate('send_envelope_from_template', { ...v, subject: 'S'.repeat(101) }, roles).subject).toMatch(/101 characters long; DocuSign accepts at most 100/);
    // Characters, not UTF-16 units or bytes.
    expect(validate('send_envelope_from_template', { ...v, subject: '😀'.repeat(100) }, roles).subject).toBeUndefined();
    // Merge fields count as what they become (90 + 12 = 102).
    expect(validate('send_envelope_from_template', { ...v, subject: `${'m'.repeat(90)}[[Signer 1_UserName]]` }, roles).subject).toMatch(/102 characters.*merge fields/);
    expect(validate('send_envelope_from_template', { ...v, message: 'b'.repeat(10_001) }, roles).message).toMatch(/at most 10000/);
    const long = { ...v, people: { 'Signer 1': { name: 'n'.repeat(101), email: `${'e'.repeat(95)}@x.com` } } };
    const e = validate('send_envelope_from_template', long, roles);
    expect(e['name:Signer 1']).toMatch(/101 characters/);
    expect(e['email:Signer 1']).toMatch(/101 characters/);
    const req = buildRequest('send_envelope_from_template', { ...v, subject: 'Hi', message: 'Please sign' }, roles);
    expect(req).toMatchObject({ subject: 'Hi', message: 'Please sign' });
  });

  it('f42: shows recipients with a clientUserId as embedded signers who get no email', () => {
    expect(embedded({ clientUserId: '1001' })).toBe(true);
    expect(embedded({ clientUserId: '' })).toBe(false);
    const p = present('get_recipient_status', { recipients: [{ routing_order: '1', name: 'Ada', recipient_type: 'signer', status: 'sent', embedded: true }], notes: ['Ada is an embedded signer (the envelope sets a clientUserId): DocuSign sends them no email.'] });
    expect(p.tables[0].rows[0][3].text).toMatch(/embedded, gets no email/);
    expect(p.notes[0]).toMatch(/no email/);
    const e = present('get_envelope', { envelope: { status: 'sent', recipients: { signers: [{ name: 'Ada', clientUserId: '1001', status: 'sent' }] } } });
    expect(e.tables[0].rows[0][3].text).toMatch(/embedded/);
  });

  it('f45 and clock skew: says what a combined file holds, and the clock notice once', () => {
    const p = present('download_document', { path: '/tmp/a.pdf', bytes: 10, contains: 'all documents in one PDF, without the certificate of completion', clock_notice: 'This computer’s clock is 10 minutes ahead of DocuSign’s.' });
    expect(p.facts.find((f) => f.label === 'What it holds')?.value).toMatch(/without the certificate/);
    expect(p.notes[0]).toMatch(/10 minutes ahead/);
  });

  it('builds the send form from the template’s roles: only settable, unlocked fields', () => {
    const roles = roleFields(rolesAnswer);
    expect(roles.map((r) => r.role_name)).toEqual(['Signer 1', 'Company Signer']);
    expect(roles[0].tabs.map((t) => t.label)).toEqual(['Plan', 'Amount']);
    expect(roles[1].fixed_email).toBe('legal@example.com');
    expect(roles[1].tabs).toEqual([]);
  });

  it('asks for both name and email, and checks field kinds', () => {
    const roles = roleFields(rolesAnswer);
    const v = { ...emptyForm(), template_id: NDA, people: { 'Signer 1': { name: 'Ada', email: '' } }, tabs: { [tabKey('Signer 1', 'Amount')]: 'lots' } };
    const e = validate('send_envelope_from_template', v, roles);
    expect(e['email:Signer 1']).toBe('Add their email.');
    expect(e[`tab:${tabKey('Signer 1', 'Amount')}`]).toBe('A number.');
    const good = { ...v, people: { 'Signer 1': { name: 'Ada', email: 'ada@example.com' } }, tabs: { [tabKey('Signer 1', 'Plan')]: 'pro' } };
    expect(validate('send_envelope_from_template', good, roles)).toEqual({});
    const req = buildRequest('send_envelope_from_template', good, roles);
    expect(req).toEqual({ action: 'send_envelope_from_template', template_id: NDA, roles: [{ role_name: 'Signer 1', name: 'Ada', email: 'ada@example.com' }], tabs: [{ role_name: 'Signer 1', tab_label: 'Plan', value: 'pro' }], subject: null, message: null, draft: false });
    expect(previewRequest(good, roles).action).toBe('preview_envelope_from_template');
  });

  it('marks a role with nobody in it beside its fields before any call (not "did you mean" the same name)', () => {
    const roles = roleFields(rolesAnswer);
    const v = { ...emptyForm(), template_id: NDA, people: { 'Signer 1': { name: '', email: '' } } };
    const e = validate('send_envelope_from_template', v, roles);
    expect(e['name:Signer 1']).toBe('Add the name of the person who is “Signer 1”.');
    expect(e['email:Signer 1']).toBe('Add their email.');
    // The fixed role needs nobody; a draft may leave roles empty.
    expect(e['name:Company Signer']).toBeUndefined();
    expect(validate('send_envelope_from_template', { ...v, draft: true }, roles)['name:Signer 1']).toBeUndefined();
  });

  it('lists envelopes with their own template filter, empty at first (not the send form’s template)', () => {
    const v = { ...emptyForm(), template_id: NDA };
    const r = buildRequest('list_envelopes', v);
    expect(r).toMatchObject({ action: 'list_envelopes', template_id: null });
    expect(buildRequest('list_envelopes', { ...v, filter_template_id: NDA })).toMatchObject({ template_id: NDA });
  });

  it('offers only sent or delivered envelopes for voiding, and says why the others cannot be', () => {
    expect(whyNotVoidable('sent')).toBeNull();
    expect(whyNotVoidable('Delivered')).toBeNull();
    expect(whyNotVoidable('completed')).toBe('everyone signed: a completed envelope stays as it is');
    expect(whyNotVoidable('voided')).toBe('already voided');
    expect(whyNotVoidable('declined')).toMatch(/declined/);
    expect(whyNotVoidable('created')).toMatch(/drafts are deleted/);
  });

  it('titles a failure after its code', () => {
    expect(titleFor('network_unreachable')).toBe('Could not reach the server');
    expect(titleFor('void_invalid_state')).toBe('This envelope cannot be voided');
    expect(titleFor('something_new')).toBe('It did not work');
  });

  it('a preview stops matching as soon as the form changes', () => {
    const roles = roleFields(rolesAnswer);
    const v = { ...emptyForm(), template_id: NDA, people: { 'Signer 1': { name: 'Ada', email: 'ada@example.com' } } };
    const k = sendKey(v, roles);
    expect(sendKey({ ...v }, roles)).toBe(k);
    expect(sendKey({ ...v, subject: 'Hi' }, roles)).not.toBe(k);
    expect(sendKey({ ...v, people: { 'Signer 1': { name: 'Ada L', email: 'ada@example.com' } } }, roles)).not.toBe(k);
  });

  it('names downloads after the envelope', () => {
    expect(downloadName('Please sign the Mutual NDA', NDA, 'combined')).toBe('Please sign the Mutual NDA - documents.pdf');
    expect(downloadName(null, NDA, 'archive')).toBe('Envelope 5d1f3a2b - archive.zip');
    expect(downloadName('S', NDA, '1')).toBe('S - document 1.pdf');
  });
});

describe('results as tables', () => {
  it('lists envelopes with their status as chips', () => {
    const p = present('list_envelopes', { count: 1, envelopes: [{ envelopeId: 'e1', status: 'sent', emailSubject: 'Hello' }] });
    expect(p.headline).toBe('1 envelope');
    expect(p.tables[0].rows[0][1]).toEqual({ text: 'sent', chip: true });
  });

  it('shows a template’s roles and each role’s fields', () => {
    const p = present('get_template_roles', rolesAnswer);
    expect(p.headline).toBe('“Mutual NDA”: 2 roles');
    expect(p.tables.map((t) => t.title)).toEqual(['Who signs or receives it', 'Fields of “Signer 1”', 'Fields of “Company Signer”']);
    expect(p.tables[0].rows[1][3].text).toBe('Casey <legal@example.com>');
  });

  it('counts who finished, and shows a decline reason', () => {
    const p = present('get_recipient_status', { recipients: [{ name: 'Ada', status: 'completed' }, { name: 'Bo', status: 'declined', declined_reason: 'Wrong address' }] });
    expect(p.headline).toBe('1 of 2 recipients finished');
    expect(p.notes[0]).toContain('Wrong address');
  });

  it('reads tab values of every kind', () => {
    expect(tabValue({ tabLabel: 'A', value: 'x' })).toBe('x');
    expect(tabValue({ tabLabel: 'C', selected: 'true' })).toBe('checked');
    expect(tabValue({ groupName: 'R', radios: [{ value: 'no' }, { value: 'yes', selected: 'true' }] })).toBe('yes');
    const p = present('get_tab_values', { recipients: [{ recipient_id: '1', name: 'Ada', role_name: 'Signer 1', tabs: { textTabs: [{ tabLabel: 'Company', value: 'ACME' }] } }] });
    expect(p.tables[0].title).toBe('Ada (Signer 1)');
    expect(p.tables[0].rows[0].map((c) => c.text)).toEqual(['Company', 'text', 'ACME']);
  });

  it('orders an envelope’s recipients by routing order', () => {
    expect(allRecipients({ signers: [{ name: 'B', routingOrder: '2' }, { name: 'A', routingOrder: '1' }], carbonCopies: [{ name: 'C', routingOrder: '3' }] }).map((r) => [r.name, r._type])).toEqual([['A', 'signer'], ['B', 'signer'], ['C', 'carbonCopy']]);
  });

  it('shows what a send will do', () => {
    const pv = sendPreview({ body: { templateId: 't', emailSubject: 'Please sign', status: 'sent', templateRoles: [{ roleName: 'Signer 1', name: 'Ada', email: 'ada@example.com', tabs: { listTabs: [{ tabLabel: 'Plan', value: 'pro' }] } }] }, template: { template_id: 't', template_name: 'Mutual NDA', roles: [], unnamed_recipients: 0 }, notes: ['n'] });
    expect(pv.people).toEqual([{ role: 'Signer 1', name: 'Ada', email: 'ada@example.com' }]);
    expect(pv.fields).toEqual([{ role: 'Signer 1', field: 'Plan', value: 'pro' }]);
    expect(pv.notes).toEqual(['n']);
    expect(previewAnnouncement(pv, false)).toBe('What will be sent is shown below: “Please sign” to 1 person, 1 prefilled field. Send it is at its end.');
    expect(previewAnnouncement({ ...pv, people: [...pv.people, pv.people[0]], fields: [] }, true)).toBe('What will be sent is shown below: “Please sign” to 2 people. Save the draft is at its end.');
  });
});

describe('field cases F43, F48, F50', () => {
  it('f43: a bounced recipient is shown as a problem with its fix', () => {
    const problem = { code: 'email_bounced', message: 'Delivery failure: the email to Bo <bo@example.com> bounced ("550 mailbox unavailable").', fix: 'Correct the email address in DocuSign, then resend.' };
    const p = present('get_recipient_status', { recipients: [{ name: 'Bo', status: 'autoresponded', auto_responded_reason: '550 mailbox unavailable', problem }], problems: [problem] });
    expect(p.notes.join(' ')).toContain('550 mailbox unavailable');
    expect(p.notes.join(' ')).toContain('Correct the email address');
    const l = present('list_envelopes', { envelopes: [{ envelopeId: 'e1', status: 'sent', emailSubject: 'Hello' }], delivery_problems: [{ ...problem, envelope_id: 'e1', email_subject: 'Hello' }] });
    expect(l.notes[0]).toContain('Delivery failure');
    expect(l.notes[0]).toContain('Hello');
  });

  it('f48: in-person roles ask for the signer, unsupported roles are refused in plain words', () => {
    const answer = { template_name: 'Counter', roles: [
      { role_name: 'Customer', recipient_type: 'inPersonSigner', fill: 'in_person', fixed: false, required: true, locked: false, tabs: [] },
      { role_name: 'Witness', recipient_type: 'witness', fill: 'unsupported', fixed: false, tabs: [] },
      { role_name: 'Legal', recipient_type: 'carbonCopy', fill: 'name_email', fixed: true, name: 'L', email: 'l@example.com', locked: true, tabs: [] },
    ] };
    const roles = roleFields(answer);
    expect(roles.map((r) => r.fill)).toEqual(['in_person', 'unsupported', 'name_email']);
    const v = { ...emptyForm(), template_id: NDA };
    v.people = { Customer: { name: 'Hal Host', email: 'hal@example.com' }, Witness: { name: 'W', email: 'w@example.com' } };
    expect(validate('send_envelope_from_template', v, roles)['signer:Customer']).toMatch(/signs on the host/);
    v.people.Customer.signer = 'Walk-in Customer';
    expect(validate('send_envelope_from_template', v, roles)['signer:Customer']).toBeUndefined();
    const out = rolesAndTabs(v, roles).roles;
    expect(out).toEqual([{ role_name: 'Customer', name: 'Hal Host', email: 'hal@example.com', in_person_signer_name: 'Walk-in Customer' }]);
    const p = present('get_template_roles', answer);
    expect(p.tables[0].rows[0][1].text).toBe('signs in person');
    expect(p.tables[0].rows[0][4].text).toBe('required');
    expect(p.tables[0].rows[2][4].text).toBe('locked');
    expect(p.notes.join(' ')).toMatch(/“Witness” is a witness role: this app cannot fill it/);
  });

  it('f50: a listing says whose envelopes it shows and offers user_filter', () => {
    const p = present('list_envelopes', { envelopes: [], visibility: 'This list shows only envelopes the connection’s user may see. An empty list may be this visibility limit.' });
    expect(p.tables[0].empty).toMatch(/visible to this user/);
    expect(p.notes.join(' ')).toMatch(/visibility limit/);
    const req = buildRequest('list_envelopes', { ...emptyForm(), user_filter: 'sender' });
    expect(req).toMatchObject({ action: 'list_envelopes', user_filter: 'sender' });
    expect(buildRequest('list_envelopes', emptyForm())).not.toHaveProperty('user_filter');
  });
});
