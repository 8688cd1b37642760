// The health check view over the FakeBackend: the ordered steps, the verdict, DocuSign's
// words, the fix, the "Details" fold and the one-click fixes.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { demoConnection, expectNoCliFlags, useFake } from '../../test/helpers';
import type { HealthReport } from '../../lib/ipc/types';
import HealthView from './HealthView.svelte';

function renderHealth(name = 'My DocuSign demo') {
  const onedit = vi.fn();
  const ondone = vi.fn();
  const onsandbox = vi.fn();
  const r = render(HealthView, { name, onedit, ondone, onsandbox });
  return { ...r, onedit, ondone, onsandbox, user: userEvent.setup() };
}

const CONSENT_URL = 'http://127.0.0.1:40000/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01&redirect_uri=http%3A%2F%2F127.0.0.1%3A40000%2Fcallback';

/** Makes the fake's health check fail at the token step with `consent_required` (the later
 * steps skipped, `fix` as given) until `given` is set on the answer. */
function consentMissing(fake: ReturnType<typeof useFake>, fix: string): { given: boolean } {
  const consent = { given: false };
  const real = fake.runHealthCheck.bind(fake);
  fake.runHealthCheck = async (name) => {
    const r = await real(name);
    if (consent.given) return r;
    const at = r.steps.findIndex((s) => s.step === 'token');
    r.steps[at] = { step: 'token', ok: false, status: 'failed', code: 'consent_required', detail: 'consent_required', message: 'The user has not granted consent to this integration key.', fix, suggested_value: CONSENT_URL, docusign_error: { status: 400, error: 'consent_required' } };
    for (const s of r.steps.slice(at + 1)) Object.assign(s, { ok: false, status: 'skipped', code: 'skipped', message: 'Not run.', fix: null });
    return { ...r, ok: false, consent_url: CONSENT_URL };
  };
  return consent;
}

const steps = () => within(document.getElementById('health-steps') as HTMLElement).getAllByRole('listitem');

describe('the health check view', () => {
  it('a healthy connection: seven passed steps in order, the verdict announced, Done offered', async () => {
    useFake({ connections: [demoConnection()] });
    const { user, ondone } = renderHealth();
    expect(await screen.findByText('Your JWT connection is healthy')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Health check' })).toBeInTheDocument();
    const rows = steps();
    expect(rows).toHaveLength(7);
    for (const r of rows) expect(within(r).getByRole('img', { name: 'passed' })).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('Settings are complete.');
    expect(rows[3]).toHaveTextContent('DocuSign issued an access token.');
    // Screen readers hear the verdict.
    expect(screen.getByText(/^Your JWT connection is healthy\. DocuSign issued a token/, { selector: '[role="status"]' })).toBeInTheDocument();
    expect(screen.getByText('demo')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(ondone).toHaveBeenCalledOnce();
    expectNoCliFlags();
  });

  it('a clock problem with missing consent behind it: both are shown, and Give consent is offered', async () => {
    const fake = useFake({ connections: [demoConnection()] });
    const real = fake.runHealthCheck.bind(fake);
    fake.runHealthCheck = async (name) => {
      const r = await real(name);
      const at = r.steps.findIndex((s) => s.step === 'token');
      r.steps[at] = {
        step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'clock_skew',
        message: 'DocuSign says the assertion has expired (invalid_grant / expired_grant): this computer’s clock is 67 minutes behind DocuSign’s.',
        fix: 'This computer’s clock is 67 minutes behind DocuSign’s: turn on “Set time automatically” in the system settings, then run the check again.',
        docusign_error: { status: 400, error: 'invalid_grant', error_description: 'expired_grant' },
        with_docusign_time: { step: 'token', ok: false, status: 'failed', code: 'consent_required', detail: 'consent_required', message: 'The user has not granted consent to this integration key.', fix: 'Open the consent page, sign in as the user of this connection and click Allow.', docusign_error: { status: 400, error: 'consent_required' } },
      };
      for (const s of r.steps.slice(at + 1)) Object.assign(s, { ok: false, status: 'skipped', code: 'skipped', message: 'Not run: the access token step failed.', fix: null });
      return { ...r, ok: false, clock_skew_seconds: 4000 };
    };
    const { user, onedit } = renderHealth();
    expect(await screen.findByText(/needs attention/, { selector: 'strong' })).toBeInTheDocument();
    const verdictBox = document.getElementById('health-verdict') as HTMLElement;
    expect(verdictBox).toHaveTextContent('67 minutes behind');
    expect(verdictBox).toHaveTextContent('Set time automatically');
    expect(verdictBox).toHaveTextContent("Checked again with DocuSign's time: The user has not granted consent");
    const token = steps().find((r) => r.dataset.step === 'token') as HTMLElement;
    expect(within(token).getAllByRole('img', { name: 'failed' })).toHaveLength(2);
    expect(token).toHaveTextContent('DocuSign said: consent_required');
    await user.click(screen.getAllByRole('button', { name: 'Give consent' })[0]);
    expect(onedit).toHaveBeenCalledWith('consent');
    expectNoCliFlags();
  });

  it('the clock all that failed: the warning verdict in the warning tone, as the CLI says it, the steps still there', async () => {
    const warning = "This computer's clock is 24 hours behind DocuSign's. The Studio signs its requests with DocuSign's time, so its checks and actions work; other programs that use this key on this computer are refused until the clock is set right.";
    const fake = useFake({ connections: [demoConnection()] });
    const real = fake.runHealthCheck.bind(fake);
    fake.runHealthCheck = async (name) => {
      const r = await real(name);
      const at = r.steps.findIndex((s) => s.step === 'token');
      r.steps[at] = {
        step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'clock_skew',
        message: 'DocuSign says the assertion has expired (invalid_grant / expired_grant): this computer’s clock is 24 hours behind DocuSign’s.',
        fix: 'This computer’s clock is 24 hours behind DocuSign’s: turn on “Set time automatically” in the system settings, then run the check again.',
        docusign_error: { status: 400, error: 'invalid_grant', error_description: 'expired_grant' },
        with_docusign_time: { step: 'token', ok: true, status: 'passed', code: 'ok', detail: null, message: "Signed with DocuSign's time, the assertion is accepted.", fix: null },
      };
      return { ...r, ok: false, clock_skew_seconds: 86400, clock_warning: warning };
    };
    const { user, ondone } = renderHealth();
    const title = await screen.findByText('Works, with a warning', { selector: 'strong' });
    const box = title.closest('#health-verdict') as HTMLElement;
    // The warning tone: neither the error box nor the green healthy one.
    expect(box).toHaveClass('verdict', 'warning');
    expect(box).not.toHaveClass('error');
    expect(box).not.toHaveClass('ok');
    expect(box.dataset.tone).toBe('warning');
    expect(box).toHaveTextContent(`Works, with a warning ${warning}`);
    expect(box).toHaveTextContent('How to fix: This computer’s clock is 24 hours behind DocuSign’s: turn on “Set time automatically” in the system settings, then run the check again.');
    expect(screen.queryByText(/needs attention/)).not.toBeInTheDocument();
    // Screen readers hear the same verdict.
    expect(screen.getByText(`Works, with a warning. ${warning}`, { selector: '[role="status"]' })).toBeInTheDocument();
    // The step details are still there: the token step failed for the clock, passed with DocuSign's time.
    const token = steps().find((r) => r.dataset.step === 'token') as HTMLElement;
    expect(token.dataset.status).toBe('failed');
    expect(token).toHaveTextContent('DocuSign said: invalid_grant: expired_grant');
    expect(within(token).getByRole('img', { name: 'passed' })).toBeInTheDocument();
    expect(token).toHaveTextContent("Checked again with DocuSign's time Signed with DocuSign's time, the assertion is accepted.");
    for (const later of steps().slice(4)) expect(later.dataset.status).toBe('passed');
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(ondone).toHaveBeenCalledOnce();
    expectNoCliFlags();
  });

  it('consent missing: a plain fix with the URL apart, and "Give consent" opens this connection’s consent page (no wizard)', async () => {
    // Found by a fresh user: the URL sat inside the sentence, and the button opened a new sandbox wizard.
    const fake = useFake({ connections: [demoConnection()] });
    const consent = consentMissing(fake, `Open this consent URL, sign in as the user and click Allow: ${CONSENT_URL} Consent is per user and per environment.`);
    const { user, onedit } = renderHealth();
    const verdictBox = await screen.findByText(/needs attention/, { selector: 'strong' });
    const box = verdictBox.closest('#health-verdict') as HTMLElement;
    expect(box).toHaveTextContent('How to fix: Open the consent page (“Give consent” opens it), sign in as the user and click Allow. Consent is per user and per environment.');
    for (const fix of document.querySelectorAll('.fix, .vfix')) expect(fix.textContent).not.toContain('http');
    expect(within(box).getByRole('button', { name: 'Copy the consent URL' })).toBeEnabled();
    await user.click(within(box).getByRole('button', { name: 'Give consent' }));
    await waitFor(() => expect(fake.calls.some((c) => c.cmd === 'open_consent_page')).toBe(true));
    expect(onedit).not.toHaveBeenCalled();
    expect(await screen.findByText(/^Opened the consent page in your browser\./)).toBeInTheDocument();
    // The browser comes back from the consent page: the check runs again by itself.
    consent.given = true;
    fake.emitConsentRedirect({ outcome: 'allowed' });
    expect(await screen.findByText('Your JWT connection is healthy')).toBeInTheDocument();
    expectNoCliFlags();
  });

  it('the consent page opened by hand (the app could not open it): consent is noticed, and the old error goes with the new verdict', async () => {
    // Found by a fresh user: no browser could be started, the URL was opened by hand and Allow
    // clicked; Health did not notice, and after "Run again" the red "did not open" box stayed
    // inside the green verdict.
    const fake = useFake({ connections: [demoConnection()] });
    const consent = consentMissing(fake, 'Open the consent page, sign in as the user and click Allow.');
    fake.openConsentPage = async () => {
      throw { code: 'browser_not_opened', message: 'The consent page could not be opened in a browser.', fix: 'Copy the address and open it in your browser yourself.' };
    };
    const { user } = renderHealth();
    const verdictBox = await screen.findByText(/needs attention/, { selector: 'strong' });
    await user.click(within(verdictBox.closest('#health-verdict') as HTMLElement).getByRole('button', { name: 'Give consent' }));
    expect(await screen.findByText('The consent page did not open')).toBeInTheDocument();
    consent.given = true;
    fake.emitConsentRedirect({ outcome: 'allowed' });
    expect(await screen.findByText('Your JWT connection is healthy')).toBeInTheDocument();
    expect(screen.queryByText('The consent page did not open')).not.toBeInTheDocument();
  });

  it('a wrong base URI: the failed step says why and how to fix, and the one-click fix makes it healthy', async () => {
    const fake = useFake({ connections: [demoConnection({ base_uri: 'https://na3.docusign.net' })] });
    const { user } = renderHealth();
    expect(await screen.findByText(/needs attention/, { selector: 'strong' })).toBeInTheDocument();
    const failed = steps().find((r) => r.dataset.status === 'failed') as HTMLElement;
    expect(within(failed).getByRole('img', { name: 'failed' })).toBeInTheDocument();
    expect(failed).toHaveTextContent("Configured base URI https://na3.docusign.net does not match the account's base URI https://demo.docusign.net.");
    expect(failed).toHaveTextContent('How to fix: Use the account’s base URI.');
    // The same fix is offered at the top, as the main button.
    const fixes = screen.getAllByRole('button', { name: 'Use https://demo.docusign.net' });
    expect(fixes.length).toBeGreaterThanOrEqual(1);
    await user.click(fixes[0]);
    expect(await screen.findByText('Your JWT connection is healthy')).toBeInTheDocument();
    expect(fake.connections[0].base_uri).toBe('https://demo.docusign.net');
  });

  it('an account the user cannot reach: the later step is skipped, and "Choose another account" lists the accounts', async () => {
    const fake = useFake({ connections: [demoConnection({ account_id: '11111111-2222-4333-8444-555555555555' })] });
    const { user } = renderHealth();
    expect(await screen.findByText(/needs attention/, { selector: 'strong' })).toBeInTheDocument();
    const rows = steps();
    expect(rows[5]).toHaveAttribute('data-status', 'failed');
    expect(rows[6]).toHaveAttribute('data-status', 'skipped');
    expect(within(rows[6]).getByRole('img', { name: 'skipped' })).toBeInTheDocument();
    expect(rows[6]).toHaveTextContent('Not run: the account step failed.');
    await user.click(screen.getAllByRole('button', { name: 'Choose another account' })[0]);
    const group = screen.getByRole('group', { name: 'Accounts' });
    await user.click(within(group).getByRole('button', { name: /Sandbox account/ }));
    expect(await screen.findByText('Your JWT connection is healthy')).toBeInTheDocument();
    expect(fake.connections[0].account_id).toBe('9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01');
  });

  it("DocuSign's own words are shown, the raw text only behind a \"Details\" fold, and the fix button opens the right wizard step", async () => {
    const fake = useFake({ connections: [demoConnection()] });
    const report: HealthReport = {
      ok: false,
      environment: 'demo',
      accounts: [],
      steps: [
        { step: 'settings', ok: true, status: 'passed', code: 'ok', detail: null, message: 'Settings are complete.', fix: null },
        { step: 'key', ok: true, status: 'passed', code: 'ok', detail: null, message: 'The private key loads.', fix: null },
        { step: 'assertion', ok: true, status: 'passed', code: 'ok', detail: null, message: 'The JWT assertion is signed.', fix: null },
        {
          step: 'token',
          ok: false,
          status: 'failed',
          code: 'invalid_grant',
          detail: 'no_valid_keys_or_signatures',
          message: 'DocuSign does not recognise the signature: the public key on the app is not the pair of this private key.',
          fix: 'Upload the public key of this key pair to the app in Apps and Keys, or use the private key whose public half is there.',
          docusign_error: { status: 400, error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' },
          details: 'POST https://account-d.docusign.com/oauth/token -> 400 {"error":"invalid_grant"}',
        },
      ],
    };
    fake.runHealthCheck = async () => report;
    const { user, onedit } = renderHealth();
    expect(await screen.findByText(/needs attention/, { selector: 'strong' })).toBeInTheDocument();
    const failed = steps()[3];
    expect(within(failed).getByText('invalid_grant: no_valid_keys_or_signatures')).toBeInTheDocument();
    expect(failed).toHaveTextContent(/How to fix: Upload the public key/);
    const summary = within(failed).getByText('Details');
    const fold = summary.closest('details') as HTMLDetailsElement;
    expect(fold.open).toBe(false);
    expect(within(fold).getByText(/oauth\/token -> 400/)).toBeInTheDocument();
    await user.click(summary);
    expect(fold.open).toBe(true);
    await user.click(screen.getAllByRole('button', { name: 'Replace the key' })[0]);
    expect(onedit).toHaveBeenCalledWith('key');
    expectNoCliFlags();
  });

  it('a check that cannot run shows an alert with the message and its fix; "Run again" retries', async () => {
    const fake = useFake({ connections: [demoConnection()] });
    const real = fake.runHealthCheck.bind(fake);
    let fail = true;
    fake.runHealthCheck = async (name: string) => {
      if (fail) throw { code: 'keyring_unavailable', message: 'The system keyring could not be reached.', fix: 'Unlock the keyring, then run the check again.' };
      return real(name);
    };
    const { user } = renderHealth();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The check could not run');
    expect(alert).toHaveTextContent('The system keyring could not be reached.');
    expect(alert).toHaveTextContent('How to fix: Unlock the keyring, then run the check again.');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Run again' }));
    expect(await screen.findByText('Your JWT connection is healthy')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('"Use this connection in…" is a disclosure button for the hand-off panel', async () => {
    useFake({ connections: [demoConnection()] });
    const { user } = renderHealth();
    await screen.findByText('Your JWT connection is healthy');
    const open = screen.getByRole('button', { name: 'Use this connection in…' });
    expect(open).toHaveAttribute('aria-expanded', 'false');
    expect(open).toHaveAttribute('aria-controls', 'handoff');
    await user.click(open);
    expect(open).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() => expect(document.getElementById('handoff')).not.toBeNull());
  });
});
