// The consent step over the FakeBackend: the exact URL, "Open in browser", the app checking by
// itself (with Cancel), the browser coming back, and a refusal with its fix and "Details".
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { toDraft } from '../../lib/ipc/types';
import { demoConnection, expectNoCliFlags, useFake } from '../../test/helpers';
import type { FakeBackend } from '../../lib/ipc/fake';
import type { ConsentOutcome } from '../../lib/ipc/types';
import ConsentStep from './ConsentStep.svelte';

const draft = toDraft(demoConnection());

function setUp(consentAfter = 1, prepare: (fake: FakeBackend) => void = () => {}) {
  const fake = useFake({ consentAfter });
  prepare(fake);
  const onconsented = vi.fn();
  render(ConsentStep, { draft, keyRef: 'draft:1', consented: false, onconsented });
  return { fake, onconsented, user: userEvent.setup() };
}

describe('the consent step', () => {
  it('shows the demo consent URL, opens it, keeps checking, and confirms when the browser comes back', async () => {
    const { user, fake, onconsented } = setUp(1);
    const url = screen.getByRole('textbox', { name: 'Consent URL' });
    await waitFor(() => expect((url as HTMLInputElement).value).toMatch(/^https:\/\/account-d\.docusign\.com\/oauth\/auth\?/));
    expect(screen.getByRole('button', { name: 'Copy the consent URL' })).toBeEnabled();
    const status = await screen.findByText(/Not yet: DocuSign still says/);
    expect(status).toHaveTextContent('consent_required');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled();
    await user.click(screen.getByRole('button', { name: 'Open in browser' }));
    expect(await screen.findByText('Opened. Switch to your browser.')).toBeInTheDocument();
    screen.getByRole('button', { name: 'Check now' }).focus();
    fake.emitConsentRedirect({ outcome: 'allowed' });
    expect(await screen.findByText('Consent is given')).toBeInTheDocument();
    // The button that had the focus went with the steps: the focus is on the news, not the page.
    await waitFor(() => expect(document.getElementById('consent-confirmed')).toHaveFocus());
    expect(onconsented).toHaveBeenCalledWith(fake.accounts);
    expectNoCliFlags();
  });

  it('Cancel stops checking and "Check again" resumes', async () => {
    const { user } = setUp(5);
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(screen.getByText('Stopped checking.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByText(/Not yet: DocuSign still says/)).toBeInTheDocument();
  });

  it('a refusal other than "no consent yet" stops, with DocuSign’s words, the fix and the raw text under "Details"', async () => {
    const { user } = setUp(0, (fake) => {
      fake.confirmConsent = async () => ({ state: 'failed', attempts_made: 1, report: null, step: { step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'user_not_found', message: 'DocuSign does not know this user in demo.', fix: 'Check the User ID: it is the API Username from Users and Groups.', docusign_error: { status: 400, error: 'invalid_grant', error_description: 'user_not_found' }, details: 'POST https://account-d.docusign.com/oauth/token -> 400' } });
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('DocuSign does not know this user in demo.');
    expect(alert).toHaveTextContent('DocuSign said: invalid_grant: user_not_found');
    expect(alert).toHaveTextContent('How to fix: Check the User ID');
    const fold = screen.getByText('Details').closest('details') as HTMLDetailsElement;
    expect(fold.open).toBe(false);
    await user.click(screen.getByText('Details'));
    expect(fold.open).toBe(true);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
  });

  it('when the URL cannot be made, the error says how to fix it', async () => {
    setUp(5, (fake) => {
      fake.consentUrl = async () => {
        throw { code: 'invalid_draft', message: 'The consent URL cannot be made from these values.', fix: 'Go back and check the integration key.' };
      };
    });
    const said = await screen.findByText('The consent URL cannot be made from these values.');
    expect(said.closest('[role=alert]')).toHaveTextContent('The consent URL cannot be made from these values. How to fix: Go back and check the integration key.');
  });

  it('when the browser does not open, the error says how to fix it', async () => {
    const { user } = setUp(5, (fake) => {
      fake.openConsentPage = async () => {
        throw { code: 'browser_failed', message: 'The browser did not open.', fix: 'Copy the URL and paste it into your browser.' };
      };
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Open in browser' })).toBeEnabled());
    await user.click(screen.getByRole('button', { name: 'Open in browser' }));
    const said = await screen.findByText('The browser did not open.');
    expect(said.closest('[role=alert]')).toHaveTextContent('The browser did not open. How to fix: Copy the URL and paste it into your browser.');
  });

  it('offline (DocuSign cannot be reached): the status panel says what to do, instead of sitting empty', async () => {
    // Found by a fresh-user run: on the demo consent step without a network, an empty lavender
    // panel sat above the error. It is the checking loop's status; now it says the loop stopped and why.
    setUp(0, (fake) => {
      fake.confirmConsent = async () => ({ state: 'failed', attempts_made: 1, report: null, step: { step: 'token', ok: false, status: 'failed', code: 'network_unreachable', detail: 'connect', message: 'Could not reach account-d.docusign.com: no connection, or a firewall blocks it.', fix: 'Check the internet connection, and that a firewall or proxy lets this computer reach account-d.docusign.com over HTTPS (port 443); then try again.', details: 'error sending request' } });
    });
    const status = document.getElementById('consent-status') as HTMLElement;
    expect(status).toHaveAttribute('role', 'status');
    await waitFor(() => expect(status).toHaveAttribute('data-phase', 'failed'));
    expect(status).toHaveTextContent('Stopped checking: this computer cannot reach DocuSign. Consent can only be given and confirmed online. Keep this window open, so nothing you entered is lost; once you are online again, click “Try again” below');
    // The error itself, with its fix and the button the panel names.
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Could not reach account-d.docusign.com');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
    expectNoCliFlags();
  });

  it('the status panel is never shown empty: another failure says the checking stopped, and points below', async () => {
    setUp(0, (fake) => {
      fake.confirmConsent = async () => ({ state: 'failed', attempts_made: 1, report: null, step: { step: 'key', ok: false, status: 'failed', code: 'key_load_failed', detail: null, message: 'The private key cannot be read.', fix: 'Give the key again.' } });
    });
    const status = document.getElementById('consent-status') as HTMLElement;
    await waitFor(() => expect(status).toHaveAttribute('data-phase', 'failed'));
    expect(status).toHaveTextContent('Stopped checking: waiting would not help. What went wrong and how to fix it is below.');
    expect(status).not.toHaveTextContent('cannot reach DocuSign');
  });

  it('while it checks, the keyboard focus stays on its buttons, and only words that matter are read out', async () => {
    // The panel's buttons used to vanish at each try (every 4 s), taking the focus with them,
    // and the whole countdown was read out each second.
    let answer: (o: ConsentOutcome) => void = () => {};
    const notYet: ConsentOutcome = { state: 'still_required', attempts_made: 1, report: null, step: { step: 'token', ok: false, status: 'failed', code: 'consent_required', detail: null, message: 'Consent has not been given yet.', fix: 'Open the consent page and click Allow.', docusign_error: { status: 400, error: 'consent_required' } } };
    const { user } = setUp(0, (fake) => {
      fake.confirmConsent = () => new Promise((r) => (answer = r));
    });
    const status = document.getElementById('consent-status') as HTMLElement;
    await waitFor(() => expect(status).toHaveAttribute('data-phase', 'checking'));
    answer(notYet);
    await waitFor(() => expect(status).toHaveAttribute('data-phase', 'waiting'));
    const checkNow = screen.getByRole('button', { name: 'Check now' });
    checkNow.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(status).toHaveAttribute('data-phase', 'checking'));
    // The same button, still focused, during the check and after it.
    expect(screen.getByRole('button', { name: 'Check now' })).toBe(checkNow);
    expect(checkNow).toHaveFocus();
    answer(notYet);
    await waitFor(() => expect(status).toHaveAttribute('data-phase', 'waiting'));
    expect(checkNow).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled();
    // The countdown and the try number are hidden from screen readers; the rest is read.
    const hidden = [...status.querySelectorAll('[aria-hidden="true"]')].map((e) => e.textContent ?? '').join(' ');
    expect(hidden).toMatch(/Checking again in \d s/);
    expect(hidden).toMatch(/try \d/);
    const read = (status.textContent ?? '').replace(/\s+/g, ' ');
    expect(read).toContain('Not yet: DocuSign still says consent_required.');
  });
});
