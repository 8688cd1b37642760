// The whole app over the FakeBackend: what survives moving between a connection's screens.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { emptyDraft } from './features/wizard/wizard';
import { wizard } from './features/wizard/wizard.svelte';
import { demoConnection, useFake } from './test/helpers';

describe('the app', () => {
  it('keeps what was typed on Actions while another screen of the connection is shown', async () => {
    // Found by a fresh-user run: leaving the Actions tab emptied a half-typed send form.
    useFake({ connections: [demoConnection()] });
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Actions for My DocuSign demo' }));
    const template = await screen.findByLabelText('Template');
    await waitFor(() => expect(within(template).getByRole('option', { name: 'Mutual NDA' })).toBeInTheDocument());
    await user.selectOptions(template, 'Mutual NDA');
    const subject = await screen.findByLabelText(/^Email subject/);
    await user.type(subject, 'Please sign the NDA');
    await user.click(screen.getByRole('tab', { name: /Triggers/ }));
    expect(await screen.findByRole('tab', { name: /Triggers/, selected: true })).toBeInTheDocument();
    // Hidden, not there for assistive technology or the keyboard.
    expect(subject).not.toBeVisible();
    expect(screen.queryByRole('heading', { level: 1, name: 'Send from a template' })).toBeNull();
    await user.click(screen.getByRole('tab', { name: /Go-Live/ }));
    await user.click(screen.getByRole('tab', { name: /Actions/ }));
    expect(await screen.findByLabelText(/^Email subject/)).toHaveValue('Please sign the NDA');
    expect((screen.getByLabelText('Template') as HTMLSelectElement).selectedOptions[0]?.textContent).toBe('Mutual NDA');
    // One Actions screen, not two.
    expect(screen.getAllByRole('heading', { level: 1, name: 'Send from a template' })).toHaveLength(1);
  });

  it('does not keep a screen across leaving the connection: no hidden list is fetched on return', async () => {
    const fake = useFake({ connections: [demoConnection()] });
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Actions for My DocuSign demo' }));
    await screen.findByRole('heading', { level: 1, name: 'Send from a template' });
    await user.click(screen.getByRole('button', { name: /Connections/ }));
    const calls = () => fake.calls.filter((c) => c.cmd === 'run_action').length;
    const before = calls();
    await user.click(await screen.findByRole('button', { name: 'Open My DocuSign demo' }));
    expect(await screen.findByRole('tab', { name: /Health/, selected: true })).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls()).toBe(before);
    expect(document.getElementById('f-subject')).toBeNull();
  });

  it('a fix from the Health view of the saved sandbox connection opens the wizard titled to edit it, not to set the sandbox up', async () => {
    // Found by a fresh-user run: "Edit the User ID" on the sandbox's health check opened a
    // wizard titled "Connect to the built-in sandbox".
    const fake = useFake({ connections: [] });
    await fake.startSandbox();
    fake.sandboxConsent = true;
    const real = fake.runHealthCheck.bind(fake);
    fake.runHealthCheck = async (name) => {
      const r = await real(name);
      const at = r.steps.findIndex((s) => s.step === 'token');
      r.steps[at] = { step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'user_not_found', message: 'DocuSign does not know this user.', fix: 'Check the user ID.' };
      for (const s of r.steps.slice(at + 1)) Object.assign(s, { ok: false, status: 'skipped', code: 'skipped', message: 'Not run.', fix: null });
      return { ...r, ok: false };
    };
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Open Sandbox' }));
    const verdict = await screen.findByText(/needs attention/, { selector: 'strong' });
    await user.click(within(verdict.closest('#health-verdict') as HTMLElement).getByRole('button', { name: 'Edit the User ID' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Edit “Sandbox”' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Connect to the built-in sandbox' })).toBeNull();
    // Still the sandbox's own words in the steps.
    expect(wizard.data.mode).toBe('sandbox');
    expect(await screen.findByRole('heading', { name: 'The user the connection acts as' })).toBeInTheDocument();
  });

  it('"Close without saving?" after generating a key pair says the pair is lost, and its public key on DocuSign is of no use', async () => {
    // Found by a fresh-user run: the prompt spoke only of typed values, while the generated
    // private key (whose public half may already be on the integration key) was thrown away too.
    const fake = useFake({ connections: [demoConnection()] });
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'New connection' }));
    // Straight to the key step, on values already typed (as the wizard tests do).
    wizard.open('new', { ...emptyDraft('demo'), integration_key: '0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01', user_id: '5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01', redirect_uri: 'https://localhost/callback' }, null, null, 'key');
    await user.click(await screen.findByRole('tab', { name: 'Generate a key pair here' }));
    await user.click(screen.getByRole('button', { name: 'Generate a key pair' }));
    expect(await screen.findByRole('heading', { name: 'Now upload the public key to DocuSign' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    const ask = await screen.findByRole('alertdialog', { name: 'Close without saving?' });
    const said = ask.getAttribute('aria-describedby') ? document.getElementById(ask.getAttribute('aria-describedby')!)!.textContent! : '';
    expect(said).toContain('neither is the key pair generated here');
    expect(said).toContain('the private key exists only in this window and cannot be made again');
    expect(said).toContain('If you already added its public key to the integration key in DocuSign, nothing can sign in with that public key any more');
    expect(ask).toHaveAccessibleDescription(said);
    // The question takes the keyboard focus, on the safe answer.
    await waitFor(() => expect(within(ask).getByRole('button', { name: 'Keep editing' })).toHaveFocus());
    // Escape keeps editing, and the focus goes back to Close.
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Close' }));
    const again = await screen.findByRole('alertdialog', { name: 'Close without saving?' });
    // Closing without saving tells the app to drop the draft key it held.
    const held = wizard.data.keyRef;
    expect(held).toMatch(/^draft:/);
    await user.click(within(again).getByRole('button', { name: 'Close without saving' }));
    await waitFor(() => expect(fake.calls.some((c) => c.cmd === 'forget_draft_key' && (c.args as { keyRef?: string }).keyRef === held)).toBe(true));
  });
});
