// "Reset the sandbox": a confirmation that says what is lost (and takes the focus), then the
// reset, or the error with its fix.
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ResetSandbox from './ResetSandbox.svelte';

describe('resetting the sandbox', () => {
  it('asks first, with what is lost, and the question takes the focus; Keep cancels and gives the focus back', async () => {
    const onreset = vi.fn(async () => {});
    render(ResetSandbox, { onreset });
    const user = userEvent.setup();
    // Nothing takes the focus when the card first shows.
    expect(document.body).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Reset the sandbox…' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Start a fresh sandbox?' });
    await waitFor(() => expect(confirm).toHaveFocus());
    expect(confirm).toHaveAccessibleDescription(/every envelope sent, signed, declined or voided/);
    await user.click(screen.getByRole('button', { name: 'Keep my sandbox' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(onreset).not.toHaveBeenCalled();
    // The focus goes back to the button that asked, not to the top of the page.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Reset the sandbox…' })).toHaveFocus());
    // Escape cancels too, as in every confirmation of the app.
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('alertdialog', { name: 'Start a fresh sandbox?' })).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Reset the sandbox…' })).toHaveFocus());
    expect(onreset).not.toHaveBeenCalled();
  });

  it('confirming resets; a failure shows why and how to fix it', async () => {
    const onreset = vi.fn(async () => {
      throw { code: 'sandbox_failed', message: 'The sandbox could not start: port 40000 is in use.', fix: 'Close the other program, then try again.' };
    });
    render(ResetSandbox, { onreset });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Reset the sandbox…' }));
    await user.click(screen.getByRole('button', { name: 'Reset the sandbox' }));
    expect(onreset).toHaveBeenCalledOnce();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The sandbox could not be reset');
    expect(alert).toHaveTextContent('How to fix: Close the other program, then try again.');
  });
});
