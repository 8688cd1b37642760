// The whole app over the FakeBackend: what survives moving between a connection's screens.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
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
});
