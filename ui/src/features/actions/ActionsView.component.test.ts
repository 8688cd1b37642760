// The action tester over the FakeBackend: the menu, the forms with their checks, "check what
// will be sent" before Send, void's confirmation, and DocuSign's refusals with their fix.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { account } from '../../lib/account.svelte';
import type { ActionOutcome, EarlierFetch } from '../../lib/ipc/types';
import { demoConnection, expectNoCliFlags, useFake } from '../../test/helpers';
import ActionsView from './ActionsView.svelte';

const NAME = 'My DocuSign demo';
const NDA = '5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01';

const streak = () => document.getElementById('streak-effect');

function setUp(prepare: (fake: ReturnType<typeof useFake>) => void = () => {}) {
  const fake = useFake({ connections: [demoConnection()] });
  prepare(fake);
  account.use(NAME, true);
  const r = render(ActionsView, { name: NAME });
  return { ...r, fake, user: userEvent.setup() };
}

/** Chooses the Mutual NDA template on the send form once the templates are listed: its first
 * signer's group and their Name and Email fields. */
async function chooseNdaSigner(user: ReturnType<typeof userEvent.setup>) {
  const template = screen.getByRole('combobox', { name: 'Template' });
  await waitFor(() => expect(within(template).getByRole('option', { name: 'Mutual NDA' })).toBeInTheDocument());
  await user.selectOptions(template, NDA);
  const person = await screen.findByRole('group', { name: 'Signer 1 · signer' });
  const name = within(person).getByRole('textbox', { name: 'Name' });
  const email = within(person).getByRole('textbox', { name: 'Email' });
  return { person, name, email };
}

/** What studio-core answers for an envelope fetched `age` seconds ago, as its words go: null
 * once 15 minutes have passed. */
function earlierFetch(age: number): EarlierFetch | null {
  if (age >= 900) return null;
  const ago = age < 60 ? `${age} seconds ago` : age < 120 ? '1 minute ago' : `${Math.floor(age / 60)} minutes ago`;
  const wait = 900 - age;
  const inWords = wait < 60 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`;
  return { endpoint: 'GET envelopes/{envelopeId}', fetched_at: new Date(Date.now() - age * 1000).toISOString(), age_seconds: age, ago, wait_seconds: wait, answer_kept: true, message: `This envelope was fetched ${ago}. Fetching again within 15 minutes counts as polling in DocuSign's Go-Live review and resets the Go-Live streak (in ${inWords} it no longer does).` };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the action tester', () => {
  it('opens on "Send from a template" with the account’s templates and a menu of the nine actions', async () => {
    setUp();
    expect(screen.getByRole('heading', { level: 1, name: 'Send from a template' })).toBeInTheDocument();
    const menu = screen.getByRole('complementary', { name: 'Actions' });
    expect(within(menu).getAllByRole('button')).toHaveLength(9);
    const template = screen.getByLabelText('Template');
    await waitFor(() => expect(within(template).getByRole('option', { name: 'Mutual NDA' })).toBeInTheDocument());
    expect(template).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Check what will be sent' })).toBeEnabled();
    expectNoCliFlags();
  });

  it('"Check what will be sent" with nothing chosen says what to fix beside the field, and calls nothing', async () => {
    const { user, fake } = setUp();
    await waitFor(() => expect(within(screen.getByLabelText('Template')).getByRole('option', { name: 'Mutual NDA' })).toBeInTheDocument());
    const before = fake.calls.filter((c) => c.cmd === 'run_action').length;
    await user.click(screen.getByRole('button', { name: 'Check what will be sent' }));
    expect(screen.getByText('Fix the fields above first.')).toBeInTheDocument();
    const template = screen.getByLabelText('Template');
    expect(template).toHaveAttribute('aria-invalid', 'true');
    expect(template).toHaveAccessibleDescription('Choose a template.');
    expect(fake.calls.filter((c) => c.cmd === 'run_action').length).toBe(before);
  });

  it('send: choose the template, fill the person, check, read the preview, send; the Go-Live effect shows', async () => {
    const { user, fake } = setUp();
    const template = screen.getByLabelText('Template');
    await waitFor(() => expect(within(template).getByRole('option', { name: 'Mutual NDA' })).toBeInTheDocument());
    await user.selectOptions(template, NDA);
    const person = await screen.findByRole('group', { name: /Signer 1/ });
    const email = within(person).getByLabelText(/^Email/);
    await user.type(email, 'ada@example');
    // A half-typed email is flagged once the field is left, with the name still missing.
    expect(within(person).queryByText('This is not an email address.')).not.toBeInTheDocument();
    await user.tab();
    expect(within(person).getByText('This is not an email address.')).toBeInTheDocument();
    await user.type(within(person).getByLabelText(/^Name/), 'Ada Lovelace');
    await user.type(email, '.com');
    expect(within(person).queryByText('This is not an email address.')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Check what will be sent' }));
    expect(await screen.findByRole('heading', { name: 'This is what will be sent' })).toBeInTheDocument();
    expect(screen.getByText('sent for signature now')).toBeInTheDocument();
    // No subject typed: the template's email subject, not its name (found by a fresh user).
    expect(screen.getByText('Subject').nextElementSibling).toHaveTextContent(/^Please sign the Mutual NDA$/);
    expect(screen.getByRole('cell', { name: 'ada@example.com' })).toBeInTheDocument();
    // Screen readers hear that the preview is there (once, from the check; not as typed).
    expect(screen.getByRole('status')).toHaveTextContent(/^What will be sent is shown below: “.+” to 1 person\. Send it is at its end\.$/);
    // Changing the form after the check asks for a new check before sending.
    await user.type(within(person).getByLabelText(/^Name/), ' Byron');
    expect(await screen.findByRole('heading', { name: 'The form changed: check again before sending' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send it' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    await user.click(await screen.findByRole('button', { name: 'Send it' }));
    await waitFor(() => expect(streak()).toBeInTheDocument());
    expect(streak()).toHaveTextContent('+1');
    expect(fake.envelopes).toHaveLength(1);
    expect(fake.envelopes[0].recipients[0]).toMatchObject({ name: 'Ada Lovelace Byron', email: 'ada@example.com' });
    expect(screen.getByRole('status')).toHaveTextContent(/^Done\. Go-Live streak:/);
    expect(screen.getByRole('button', { name: 'Send another' })).toBeInTheDocument();
    // Send folded away with the form: the focus is on the result's headline, not the page.
    await waitFor(() => expect(document.getElementById('result-headline')).toHaveFocus());
    // "Who has signed?" opens on the envelope just sent.
    await user.click(document.getElementById('who-has-signed') as HTMLElement);
    expect(screen.getByRole('heading', { level: 1, name: 'Who has signed?' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Envelope')).toHaveValue(fake.envelopes[0].envelopeId));
  });

  it('a role fixed in the template is shown read-only (not typed into), and needs nobody', async () => {
    // Found by a fresh user: the fixed role's fields could be typed into.
    const { user } = setUp((f) => {
      const fake = f as unknown as { ndaRoles: (id: string) => { roles: Record<string, unknown>[] } };
      const real = fake.ndaRoles.bind(f);
      fake.ndaRoles = (id: string) => {
        const t = real(id);
        t.roles.push({ ...t.roles[0], role_name: 'Company Signer', recipient_id: '2', routing_order: 2, name: 'Casey Legal', email: 'legal@example.com', fixed: true, tabs: [] });
        return t;
      };
    });
    const { name, email } = await chooseNdaSigner(user);
    const fixed = await screen.findByRole('group', { name: /^Company Signer/ });
    const fixedName = within(fixed).getByRole('textbox', { name: 'Name' });
    expect(fixedName).toHaveValue('Casey Legal');
    expect(fixedName).toHaveAttribute('readonly');
    expect(fixedName).toHaveAccessibleDescription(/^Set in the template/);
    expect(within(fixed).getByRole('textbox', { name: 'Email' })).toHaveAttribute('readonly');
    await user.type(fixedName, 'x');
    expect(fixedName).toHaveValue('Casey Legal');
    await user.type(name, 'Ada Lovelace');
    await user.type(email, 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Check what will be sent' }));
    expect(await screen.findByRole('heading', { name: 'This is what will be sent' })).toBeInTheDocument();
  });

  it('choosing an action from the menu moves the keyboard focus to its heading', async () => {
    const { user } = setUp();
    await user.click(screen.getByRole('button', { name: 'List envelopes' }));
    const heading = screen.getByRole('heading', { level: 1, name: 'List envelopes' });
    await waitFor(() => expect(heading).toHaveFocus());
    // The menu says which action is shown (not only by its colour).
    const menu = screen.getByRole('complementary', { name: 'Actions' });
    expect(within(menu).getByRole('button', { current: true })).toHaveAccessibleName('List envelopes');
    expect(within(menu).getByRole('button', { name: 'Send from a template' })).not.toHaveAttribute('aria-current');
    expect(screen.getByLabelText(/^Whose envelopes/)).toHaveAccessibleDescription(/Allow view and manage envelope rights through API/);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(streak()).toBeInTheDocument());
  });

  it('void: a reason is required, then a confirmation says what cannot be undone; "Keep it" calls nothing', async () => {
    const { user, fake } = setUp();
    fake.envelopes.unshift({ envelopeId: 'e1000000-0000-4000-8000-000000000000', status: 'sent', emailSubject: 'Please sign the Mutual NDA', statusChangedDateTime: new Date().toISOString(), recipients: [] });
    fake.envelopes.unshift({ envelopeId: 'e2000000-0000-4000-8000-000000000000', status: 'completed', emailSubject: 'Signed already', statusChangedDateTime: new Date().toISOString(), recipients: [] });
    await user.click(screen.getByRole('button', { name: 'Void an envelope' }));
    const envelope = screen.getByLabelText('Envelope out for signature');
    await waitFor(() => expect(within(envelope).getByRole('option', { name: /Please sign the Mutual NDA — sent/ })).toBeInTheDocument());
    // The completed one is not offered, and the field says why.
    expect(within(envelope).queryByRole('option', { name: /Signed already/ })).not.toBeInTheDocument();
    expect(envelope).toHaveAccessibleDescription(/Not offered: 1 completed \(everyone signed/);
    await user.selectOptions(envelope, 'e1000000-0000-4000-8000-000000000000');
    await user.click(screen.getByRole('button', { name: 'Void this envelope…' }));
    expect(screen.getByText('Say why: DocuSign shows the reason to the recipients.')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Why are you voiding it\? \(the recipients see this\)/), 'Wrong version');
    await user.click(screen.getByRole('button', { name: 'Void this envelope…' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Void “Please sign the Mutual NDA”?' });
    expect(confirm).toHaveAccessibleDescription(/this cannot be undone/);
    expect(confirm).toHaveTextContent('“Wrong version”');
    // A dialog for the keyboard: the focus moves in, Escape cancels, the focus goes back.
    expect(confirm).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Void this envelope…' })).toHaveFocus());
    await user.keyboard('{Enter}');
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Void this envelope…' })).toHaveFocus());
    expect(fake.calls.some((c) => c.cmd === 'run_action' && JSON.stringify(c.args).includes('void_envelope'))).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Void this envelope…' }));
    await user.click(screen.getByRole('button', { name: 'Yes, void it' }));
    await waitFor(() => expect(streak()).toBeInTheDocument());
    // The answer takes the focus the confirmation had (not the page).
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: /Voided/ })).toHaveFocus());
    expect(fake.calls.some((c) => c.cmd === 'run_action' && JSON.stringify(c.args).includes('"reason":"Wrong version"'))).toBe(true);
  });

  it('a refusal shows DocuSign’s status and code, the message, the fix, the raw words under "Details", and the streak reset', async () => {
    const { user, fake } = setUp();
    fake.envelopes.unshift({ envelopeId: 'e1000000-0000-4000-8000-000000000000', status: 'sent', emailSubject: 'Please sign the Mutual NDA', statusChangedDateTime: new Date().toISOString(), recipients: [] });
    const refusal: ActionOutcome = {
      result: null,
      failure: { ok: false, action: 'get_recipient_status', code: 'api', detail: null, errorCode: 'ENVELOPE_DOES_NOT_EXIST', status: 400, message: 'The envelope specified either does not exist or you have no rights to it.', fix: 'Check the envelope ID.', problems: [], reset_at: null, details: 'GET /restapi/v2.1/accounts/…/envelopes/e1/recipients -> 400' },
      streak: { before: 3, after: 0, calls: 1, summary: 'reset by HTTP 400 (0/20)' },
    };
    const real = fake.runAction.bind(fake);
    fake.runAction = async (name, request, policy) => (request.action === 'get_recipient_status' ? refusal : real(name, request, policy));
    await user.click(screen.getByRole('button', { name: 'Who has signed?' }));
    const envelope = screen.getByLabelText('Envelope');
    await waitFor(() => expect(within(envelope).getByRole('option', { name: /Please sign the Mutual NDA/ })).toBeInTheDocument());
    await user.selectOptions(envelope, 'e1000000-0000-4000-8000-000000000000');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('DocuSign refused (HTTP 400 ENVELOPE_DOES_NOT_EXIST)');
    expect(alert).toHaveTextContent('The envelope specified either does not exist or you have no rights to it.');
    expect(alert).toHaveTextContent('How to fix: Check the envelope ID.');
    const fold = within(alert).getByText('Details').closest('details') as HTMLDetailsElement;
    expect(fold.open).toBe(false);
    await user.click(within(alert).getByText('Details'));
    expect(fold.open).toBe(true);
    expect(streak()).toHaveTextContent('reset by HTTP 400 (0/20)');
    expectNoCliFlags();
  });

  // Screen readers read a field's label as its name and its help and error as its
  // description: a label that wraps the error or help would make them part of the name.
  it('each send field is named by its label alone; its error is its description, and it is marked invalid', async () => {
    const { user } = setUp();
    const { person, name, email } = await chooseNdaSigner(user);
    expect(name).toHaveAttribute('aria-invalid', 'false');
    expect(name).not.toHaveAccessibleDescription();
    await user.type(email, 'ada@example');
    // Left, with the name left empty: the errors show beside the fields, and the names stay the same.
    await user.tab();
    await user.click(name);
    await user.tab();
    expect(within(person).getByRole('textbox', { name: 'Name' })).toBe(name);
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('Add their name.');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('This is not an email address.');
    await user.type(email, '.com');
    expect(email).toHaveAttribute('aria-invalid', 'false');
    expect(email).not.toHaveAccessibleDescription();
    // A prefill field: its label is its name; its kind is said after it.
    await user.click(within(person).getByText('Prefill fields (2, optional)'));
    expect(within(person).getByRole('textbox', { name: 'Company' })).toHaveAccessibleDescription('company');
    expect(within(person).getByRole('combobox', { name: 'Plan' })).toHaveAccessibleDescription('list');
    // The subject's character count is its description, not part of its name.
    const subject = screen.getByRole('textbox', { name: 'Email subject (optional, at most 100 characters)' });
    expect(subject).toHaveAccessibleDescription('0 / 100');
    await user.type(subject, 'x'.repeat(101));
    expect(subject).toHaveAttribute('aria-invalid', 'true');
    expect(subject).toHaveAccessibleDescription('101 / 100 The subject is 101 characters long; DocuSign accepts at most 100. Shorten it by 1.');
    expect(screen.getByRole('textbox', { name: 'Email message (optional, at most 10,000 characters)' })).not.toHaveAccessibleDescription();
  });

  it('list envelopes, download and void: labels name the fields, help and errors describe them', async () => {
    const { user, fake } = setUp();
    await user.click(screen.getByRole('button', { name: 'List envelopes' }));
    expect(screen.getByLabelText('Changed since (default: 30 days ago)')).toHaveAttribute('id', 'f-from');
    expect(screen.getByLabelText('Until (optional)')).toHaveAttribute('id', 'f-to');
    expect(screen.getByRole('combobox', { name: 'Status (optional)' })).toBeInTheDocument();
    // A half-typed date (the field's value is then "") is flagged, and Run does not quietly
    // use the 30-day default (found by a fresh user). jsdom has no partial dates: the field's
    // validity is set as WebKit sets it.
    const since = screen.getByLabelText('Changed since (default: 30 days ago)');
    Object.defineProperty(since, 'validity', { configurable: true, value: { badInput: true } });
    await fireEvent.input(since);
    expect(since).toHaveAttribute('aria-invalid', 'true');
    expect(since).toHaveAccessibleDescription('This date is not complete: finish it (month, day and year) or clear it.');
    const calls = fake.calls.length;
    await user.click(document.getElementById('action-run') as HTMLElement);
    expect(fake.calls.length).toBe(calls);
    Object.defineProperty(since, 'validity', { configurable: true, value: { badInput: false } });
    await fireEvent.input(since);
    expect(since).toHaveAttribute('aria-invalid', 'false');
    // A date left half-typed in the list does not hold another action's Run.
    Object.defineProperty(since, 'validity', { configurable: true, value: { badInput: true } });
    await fireEvent.input(since);
    await user.click(screen.getByRole('button', { name: 'List templates' }));
    await user.click(document.getElementById('action-run') as HTMLElement);
    await waitFor(() => expect(fake.calls.filter((c) => c.cmd === 'run_action').length).toBeGreaterThan(0));
    await user.click(screen.getByRole('button', { name: 'List envelopes' }));
    expect(screen.getByRole('combobox', { name: 'Whose envelopes' })).toHaveAccessibleDescription(/^DocuSign lists only envelopes the connection’s user sent or receives, unless an admin gives that user “Allow view and manage envelope rights through API”/);

    await user.click(screen.getByRole('button', { name: 'Download a document' }));
    const doc = screen.getByRole('combobox', { name: 'Document' });
    expect(doc).toHaveAccessibleDescription('The file will hold all documents in one PDF, followed by the certificate of completion.');
    expect(screen.getByRole('checkbox', { name: 'Add the certificate of completion at the end (on by default)' })).toBeChecked();
    await user.selectOptions(doc, 'number');
    const number = screen.getByRole('textbox', { name: 'Document number' });
    await user.clear(number);
    await user.type(number, 'two');
    expect(number).toHaveAttribute('aria-invalid', 'true');
    expect(number).toHaveAccessibleDescription('A document number, or one of the choices.');

    fake.envelopes.unshift({ envelopeId: 'e1000000-0000-4000-8000-000000000000', status: 'sent', emailSubject: 'Please sign the Mutual NDA', statusChangedDateTime: new Date().toISOString(), recipients: [] });
    await user.click(screen.getByRole('button', { name: 'Void an envelope' }));
    const reason = screen.getByRole('textbox', { name: 'Why are you voiding it? (the recipients see this)' });
    expect(reason).toHaveAttribute('aria-invalid', 'false');
    await user.click(screen.getByRole('button', { name: 'Void this envelope…' }));
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(reason).toHaveAccessibleDescription('Say why: DocuSign shows the reason to the recipients.');
    expect(screen.getByRole('combobox', { name: 'Envelope out for signature' })).toHaveAccessibleDescription('Choose an envelope.');
  });

  it('send: no warning while the name is typed; "Add their email" once the email is left empty or on a try; its line is kept free', async () => {
    // Found by a fresh-user run: "Add their email" showed at the first letter of the name,
    // and the fields jumped down when it did.
    const { user } = setUp();
    const { person, name, email } = await chooseNdaSigner(user);
    // The warning's line is there, empty, before any warning: showing one adds no element.
    const slot = document.getElementById('err-person-email-0') as HTMLElement;
    expect(slot).toBeInTheDocument();
    expect(slot).toHaveTextContent(/^$/);
    expect(slot).toHaveAttribute('aria-live', 'polite');
    await user.type(name, 'A');
    expect(within(person).queryByText('Add their email.')).not.toBeInTheDocument();
    await user.type(name, 'da Lovelace');
    expect(email).toHaveAttribute('aria-invalid', 'false');
    // Into the email and out again, empty: now it helps.
    await user.tab();
    expect(email).toHaveFocus();
    expect(within(person).queryByText('Add their email.')).not.toBeInTheDocument();
    await user.tab();
    expect(document.getElementById('err-person-email-0')).toBe(slot);
    expect(slot).toHaveTextContent('Add their email.');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Add their email.');
    // Typing a good address clears it at once.
    await user.type(email, 'ada@example.com');
    expect(slot).toHaveTextContent(/^$/);
    expect(email).not.toHaveAccessibleDescription();
    // Emptied again: the warning, once shown, follows what is typed.
    await user.clear(email);
    expect(slot).toHaveTextContent('Add their email.');
  });

  it('the polling question is a dialog for the keyboard: the focus moves in, Escape cancels and gives it back to Run', async () => {
    const { user, fake } = setUp((f) => {
      f.envelopes.unshift({ envelopeId: 'e1000000-0000-4000-8000-000000000000', status: 'sent', emailSubject: 'Please sign the Mutual NDA', statusChangedDateTime: new Date().toISOString(), recipients: [] });
      f.pollingCheck = async () => earlierFetch(10);
    });
    await user.click(screen.getByRole('button', { name: 'Look at an envelope' }));
    const envelope = screen.getByLabelText('Envelope');
    await waitFor(() => expect(within(envelope).getByRole('option', { name: /Please sign the Mutual NDA/ })).toBeInTheDocument());
    await user.selectOptions(envelope, 'e1000000-0000-4000-8000-000000000000');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const question = await screen.findByRole('alertdialog', { name: 'This counts as polling in DocuSign’s Go-Live review' });
    await waitFor(() => expect(question).toHaveFocus());
    await user.tab();
    expect(within(question).getByRole('button', { name: 'Use the answer from 10 seconds ago' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Run' })).toHaveFocus());
    expect(fake.calls.filter((c) => c.cmd === 'run_action' && (c.args as { request?: { action?: string } } | undefined)?.request?.action === 'get_envelope')).toHaveLength(0);
  });

  it('the polling question ages with the clock, steps aside once the 15 minutes are over, and leaves no timer behind', async () => {
    // Found by a fresh-user run: "fetched 10 seconds ago" stayed 10 seconds ago.
    // The clock's interval and Date are faked (the time stands still unless moved); the rest runs.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    // The age studio-core reports moves only when the test moves the clock (no timed assertion).
    let age = 10;
    const { user, fake, unmount } = setUp((f) => {
      f.envelopes.unshift({ envelopeId: 'e1000000-0000-4000-8000-000000000000', status: 'sent', emailSubject: 'Please sign the Mutual NDA', statusChangedDateTime: new Date().toISOString(), recipients: [] });
      const logged = f.pollingCheck.bind(f);
      f.pollingCheck = async (n, r) => (await logged(n, r), earlierFetch(age));
    });
    const later = async (seconds: number) => {
      age += seconds;
      await vi.advanceTimersByTimeAsync(seconds * 1000);
    };
    await user.click(screen.getByRole('button', { name: 'Look at an envelope' }));
    const envelope = screen.getByLabelText('Envelope');
    await waitFor(() => expect(within(envelope).getByRole('option', { name: /Please sign the Mutual NDA/ })).toBeInTheDocument());
    await user.selectOptions(envelope, 'e1000000-0000-4000-8000-000000000000');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const question = await screen.findByRole('alertdialog', { name: 'This counts as polling in DocuSign’s Go-Live review' });
    expect(question).toHaveAccessibleDescription(/^This envelope was fetched 10 seconds ago\./);
    expect(within(question).getByRole('button', { name: 'Use the answer from 10 seconds ago' })).toBeInTheDocument();
    // Time passes with the question open: its words follow.
    await later(20);
    await waitFor(() => expect(question).toHaveAccessibleDescription(/^This envelope was fetched 30 seconds ago\./));
    expect(within(question).getByRole('button', { name: 'Use the answer from 30 seconds ago' })).toBeInTheDocument();
    await later(5 * 60 - 30);
    await waitFor(() => expect(question).toHaveAccessibleDescription(/^This envelope was fetched 5 minutes ago\..*\(in 10 minutes it no longer does\)\.$/));
    const asked = fake.calls.filter((c) => c.cmd === 'polling_check').length;
    // Once the 15 minutes are over, it is no longer polling: the question steps aside and says so,
    // and the keyboard focus that was on it goes to Run.
    within(question).getByRole('button', { name: 'Use the answer from 5 minutes ago' }).focus();
    await later(10 * 60);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole('button', { name: 'Run' })).toHaveFocus());
    expect(screen.getByText('The 15 minutes since the last fetch have passed: fetching it now no longer counts as polling.')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('The 15 minutes have passed: fetching it now no longer counts as polling.');
    // No DocuSign call was made meanwhile, and nothing is asked once the question is gone.
    expect(fake.calls.filter((c) => c.cmd === 'run_action' && (c.args as { request?: { action?: string } } | undefined)?.request?.action === 'get_envelope')).toHaveLength(0);
    const after = fake.calls.filter((c) => c.cmd === 'polling_check').length;
    expect(after).toBeGreaterThan(asked);
    await later(60);
    expect(fake.calls.filter((c) => c.cmd === 'polling_check').length).toBe(after);
    // The clock stops with the screen: no interval outlives it.
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
