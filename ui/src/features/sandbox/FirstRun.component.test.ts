// The first screen: the sandbox as the default (focused) choice, the real account beside it,
// and a sandbox that did not start with its fix.
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { expectNoCliFlags } from '../../test/helpers';
import FirstRun from './FirstRun.svelte';

describe('the first screen', () => {
  it('focuses "Start the sandbox" and offers the real account beside it', async () => {
    const onsandbox = vi.fn();
    const onconnect = vi.fn();
    render(FirstRun, { starting: false, error: null, onsandbox, onconnect });
    const user = userEvent.setup();
    expect(screen.getByRole('heading', { level: 1, name: 'Welcome to DocuSign JWT Studio' })).toBeInTheDocument();
    const start = screen.getByRole('button', { name: 'Start the sandbox' });
    expect(start).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onsandbox).toHaveBeenCalledOnce();
    await user.click(screen.getByRole('button', { name: 'Connect my account' }));
    expect(onconnect).toHaveBeenCalledOnce();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expectNoCliFlags();
  });

  it('while starting the button is busy and disabled; a failure shows the message and its fix', () => {
    render(FirstRun, { starting: true, error: { code: 'sandbox_start_failed', detail: null, message: 'The sandbox could not start: port 40000 is in use.', fix: 'Close the other program, then try again.' }, onsandbox: vi.fn(), onconnect: vi.fn() });
    const start = screen.getByRole('button', { name: 'Start the sandbox' });
    expect(start).toBeDisabled();
    expect(start).toHaveAttribute('aria-busy', 'true');
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The sandbox did not start');
    expect(alert).toHaveTextContent('How to fix: Close the other program, then try again.');
  });
});
