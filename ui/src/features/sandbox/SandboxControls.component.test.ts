// The sandbox's envelope controls over the FakeBackend: each recipient's buttons say whose they
// are (a screen reader lists them all), and the panels they open say they are open.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { account } from '../../lib/account.svelte';
import { demoConnection, useFake } from '../../test/helpers';
import SandboxControls from './SandboxControls.svelte';

const ENVELOPE = 'e1000000-0000-4000-8000-000000000000';

function setUp() {
  const fake = useFake({ connections: [demoConnection({ name: 'Sandbox', environment: 'sandbox' })] });
  fake.envelopes.unshift({
    envelopeId: ENVELOPE,
    status: 'sent',
    emailSubject: 'Please sign the Mutual NDA',
    statusChangedDateTime: new Date().toISOString(),
    recipients: [
      { recipient_id: '1', name: 'Ada Lovelace', email: 'ada@example.com', role_name: 'Signer 1', status: 'sent', routing_order: 1 },
      { recipient_id: '2', name: 'Charles Babbage', email: 'charles@example.com', role_name: 'Signer 2', status: 'sent', routing_order: 1 },
    ],
  });
  account.use('Sandbox', true);
  render(SandboxControls, { name: 'Sandbox', onopen: vi.fn(), onreset: vi.fn(async () => {}) });
  return { fake, user: userEvent.setup() };
}

describe('the sandbox controls', () => {
  it('each recipient’s buttons say whose they are; no two buttons share a name', async () => {
    const { user, fake } = setUp();
    const envelope = screen.getByRole('combobox', { name: 'Envelope' });
    await waitFor(() => expect(within(envelope).getByRole('option', { name: /Please sign the Mutual NDA/ })).toBeInTheDocument());
    await user.selectOptions(envelope, ENVELOPE);
    await screen.findByText('Charles Babbage');
    // The routing order is said as such (an aria-label on a plain span is not read).
    expect(screen.getByText('Charles Babbage').closest('li')).toHaveTextContent(/^Routing order 1/);
    for (const who of ['Ada Lovelace', 'Charles Babbage']) {
      for (const name of [`Opens it (${who})`, `Signs (${who})`, `Fill fields (${who})…`, `Declines (${who})…`]) {
        expect(screen.getAllByRole('button', { name })).toHaveLength(1);
      }
    }
    expect(screen.queryByRole('button', { name: 'Signs' })).not.toBeInTheDocument();
    // The ids the desktop tests use stay.
    expect(screen.getByRole('button', { name: 'Signs (Charles Babbage)' })).toHaveAttribute('id', 'move-sign-2');
    // "Declines…" opens its panel and says so.
    const declines = screen.getByRole('button', { name: 'Declines (Ada Lovelace)…' });
    expect(declines).toHaveAttribute('aria-expanded', 'false');
    await user.click(declines);
    expect(declines).toHaveAttribute('aria-expanded', 'true');
    expect(document.getElementById(declines.getAttribute('aria-controls') ?? '')).toContainElement(screen.getByRole('textbox', { name: 'Why does Ada Lovelace decline?' }));
    await user.click(screen.getByRole('button', { name: 'Signs (Charles Babbage)' }));
    expect(await screen.findByText('Charles Babbage signed. The envelope is now sent.')).toBeInTheDocument();
    expect(fake.calls.find((c) => c.cmd === 'sandbox_move')?.args).toMatchObject({ recipientId: '2', action: 'sign' });
  });
});
