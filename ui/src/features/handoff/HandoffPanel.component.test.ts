// "Use this connection in…" over the FakeBackend: the proved values with copy buttons, the
// three targets, and the private-key copy that asks first, keeps focus where it belongs,
// and never puts the key on the page.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { demoConnection, expectNoCliFlags, useFake } from '../../test/helpers';
import HandoffPanel from './HandoffPanel.svelte';

const NAME = 'My DocuSign demo';

function setUp() {
  const fake = useFake({ connections: [demoConnection()] });
  const r = render(HandoffPanel, { name: NAME });
  return { ...r, fake, user: userEvent.setup() };
}

describe('the hand-off panel', () => {
  it('lists the proved values for Stack AI in order, each with a named copy button; the key is not shown', async () => {
    const { user, fake } = setUp();
    expect(await screen.findByText(/Healthy\. These are the values the health check proved/)).toBeInTheDocument();
    const stackai = screen.getByRole('radio', { name: 'Stack AI' });
    expect(stackai).toBeChecked();
    expect(stackai).toHaveAccessibleDescription('The DocuSign (JWT) form of Stack AI’s New Connection dialog, field by field.');
    expect(screen.getByRole('radio', { name: 'JSON' })).toHaveAccessibleDescription('One JSON object, for tools that take a configuration file.');
    const fields = document.getElementById('handoff-fields') as HTMLElement;
    expect(within(fields).getAllByRole('term').map((t) => t.textContent)).toEqual(['Integration Key', 'User ID', 'RSA Private Key', 'Account ID', 'Base URI', 'Environment']);
    expect(fields).toHaveTextContent('Not shown.');
    await user.click(screen.getByRole('button', { name: 'Copy Integration Key' }));
    expect(await screen.findByRole('button', { name: 'Integration Key copied' })).toBeInTheDocument();
    expect(fake.calls.find((c) => c.cmd === 'copy_text')?.args).toEqual({ text: '0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01' });
    expectNoCliFlags();
  });

  it('the .env target shows the block without the key and its own copy buttons', async () => {
    const { user } = setUp();
    await user.click(await screen.findByRole('radio', { name: '.env file' }));
    expect(screen.getByText('.env block (without the private key)')).toBeInTheDocument();
    expect(screen.getByLabelText('.env block')).toHaveTextContent('DOCUSIGN_INTEGRATION_KEY=0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01');
    expect(screen.getByRole('button', { name: 'Copy the .env block' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Copy with the private key…' })).toBeEnabled();
  });

  it('copying the key asks first (focus moves to the question), Escape cancels and focus returns to the button', async () => {
    const { user, fake } = setUp();
    const button = await screen.findByRole('button', { name: 'Copy the private key…' });
    await user.click(button);
    const dialog = screen.getByRole('alertdialog', { name: 'Copy the private key to the clipboard?' });
    expect(dialog).toHaveFocus();
    expect(dialog).toHaveAccessibleDescription(/Anyone who gets it can act as this DocuSign user/);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(fake.calls.some((c) => c.cmd === 'copy_private_key')).toBe(false);
  });

  it('confirming copies the key in the backend, says when the clipboard is cleared, and returns focus', async () => {
    const { user, fake } = setUp();
    const button = await screen.findByRole('button', { name: 'Copy the private key…' });
    await user.click(button);
    await user.click(screen.getByRole('button', { name: 'Copy the private key' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(screen.getByRole('status')).toHaveTextContent('Copied to the clipboard (key SHA256:fake). It will be cleared in 60 seconds');
    expect(button).toHaveFocus();
    expect(fake.calls.find((c) => c.cmd === 'copy_private_key')?.args).toEqual({ name: NAME, format: 'stackai' });
  });

  it('a connection that is not healthy offers nothing to copy and says how to fix it', async () => {
    const fake = useFake({ connections: [demoConnection()] });
    const real = fake.connectionHandoff.bind(fake);
    fake.connectionHandoff = async (name) => ({ ...(await real(name)), status: 'not_healthy', code: 'not_healthy', detail: 'consent_required', message: 'The last health check failed at the token step.', fix: 'Run the health check again after fixing it.' });
    render(HandoffPanel, { name: NAME });
    expect(await screen.findByText('Not healthy: nothing to hand over yet')).toBeInTheDocument();
    expect(screen.getByText('Run the health check again after fixing it.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /private key/ })).not.toBeInTheDocument();
  });

  it('when the key cannot be copied, the question says why and how to fix it', async () => {
    const { user, fake } = setUp();
    fake.copyPrivateKey = async () => {
      throw { code: 'key_load_failed', message: 'The private key could not be read from the keyring.', fix: 'Unlock the keyring, then copy again.' };
    };
    await user.click(await screen.findByRole('button', { name: 'Copy the private key…' }));
    await user.click(screen.getByRole('button', { name: 'Copy the private key' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Copy the private key to the clipboard?' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The private key could not be read from the keyring. How to fix: Unlock the keyring, then copy again.');
  });
});
