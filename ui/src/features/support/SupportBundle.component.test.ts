// "Save a support bundle…" over the FakeBackend: what goes in and what never does, before
// anything is saved; then where it went; and a failure with its fix.
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { demoConnection, expectNoCliFlags, useFake } from '../../test/helpers';
import SupportBundle from './SupportBundle.svelte';

describe('the support bundle dialog', () => {
  it('lists what goes in and what never does, saves, says where, and Done closes it', async () => {
    const fake = useFake({ connections: [demoConnection()] });
    const onclose = vi.fn();
    render(SupportBundle, { name: null, onclose });
    const user = userEvent.setup();
    const dialog = screen.getByRole('dialog', { name: 'Save a support bundle' });
    expect(await screen.findByText('ledger.json')).toBeInTheDocument();
    expect(dialog).toHaveTextContent('with “My DocuSign demo”');
    expect(document.getElementById('support-never')).toHaveTextContent('the private key');
    const save = screen.getByRole('button', { name: 'Save…' });
    await waitFor(() => expect(save).toBeEnabled());
    await user.click(save);
    expect(await screen.findByText('Support bundle saved')).toBeInTheDocument();
    expect(document.getElementById('support-saved-path')).toHaveTextContent('/home/you/Downloads/dsjwt-support-20260101-1200.zip');
    expect(fake.calls.find((c) => c.cmd === 'save_support_bundle')?.args).toEqual({ name: 'My DocuSign demo' });
    expectNoCliFlags();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('a save that fails says why and how to fix it, and Save can be pressed again', async () => {
    const fake = useFake();
    fake.saveSupportBundle = async () => {
      throw { code: 'io', message: 'The folder /media/usb is not writable.', fix: 'Choose another folder.' };
    };
    render(SupportBundle, { name: null, onclose: vi.fn() });
    const user = userEvent.setup();
    const save = await screen.findByRole('button', { name: 'Save…' });
    await waitFor(() => expect(save).toBeEnabled());
    await user.click(save);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The support bundle was not saved');
    expect(alert).toHaveTextContent('How to fix: Choose another folder.');
    expect(screen.getByRole('button', { name: 'Save…' })).toBeEnabled();
  });
});
