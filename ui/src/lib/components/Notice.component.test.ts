// The shared error display: every problem shows its message, then its fix after "How to fix:".
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Notice from './Notice.svelte';

describe('a notice with a problem', () => {
  it('shows the message, then "How to fix:" and the fix; an error is announced as an alert', () => {
    render(Notice, { tone: 'error', title: 'The check could not run', problem: { message: 'DocuSign did not answer.', fix: 'Check the network, then run it again.' } });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The check could not run');
    expect(alert).toHaveTextContent('DocuSign did not answer. How to fix: Check the network, then run it again.');
  });

  it('without a fix, shows no "How to fix:"', () => {
    render(Notice, { tone: 'warning', title: 'Not checked yet', problem: { message: 'Run the health check first.', fix: null } });
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Run the health check first.');
    expect(status).not.toHaveTextContent('How to fix');
  });
});
