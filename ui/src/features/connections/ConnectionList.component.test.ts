// The list of saved connections: what each card shows, its buttons, and removal that asks first.
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../lib/ipc/types';
import { demoConnection, expectNoCliFlags } from '../../test/helpers';
import ConnectionList from './ConnectionList.svelte';

function setUp(connections: Connection[], sandboxRunning = false) {
  const props = { connections, sandboxRunning, oncheck: vi.fn(), onopen: vi.fn(), onedit: vi.fn(), onremove: vi.fn(), onnew: vi.fn(), onsandbox: vi.fn() };
  render(ConnectionList, props);
  return { ...props, user: userEvent.setup() };
}

const card = (name: string) => screen.getByRole('heading', { name }).closest('article') as HTMLElement;

describe('the connection list', () => {
  it('each card shows the environment, short IDs and the key fingerprint, with its buttons', async () => {
    const p = setUp([demoConnection(), demoConnection({ name: 'Prod', environment: 'production', key_fingerprint: null, account_id: '' })]);
    expect(screen.getByRole('heading', { level: 1, name: 'Your connections' })).toBeInTheDocument();
    const demo = card('My DocuSign demo');
    expect(demo).toHaveTextContent('demo');
    expect(demo).toHaveTextContent('0f8e3c52…1a01');
    expect(demo).toHaveTextContent('SHA256:fake');
    const prod = card('Prod');
    expect(prod).toHaveTextContent('production');
    expect(within(prod).getByText('none')).toBeInTheDocument();
    expect(within(prod).getByText('—')).toBeInTheDocument();
    await p.user.click(within(prod).getByRole('button', { name: 'Open Prod' }));
    expect(p.oncheck).toHaveBeenCalledWith('Prod');
    await p.user.click(within(demo).getByRole('button', { name: 'Go-Live for My DocuSign demo' }));
    expect(p.onopen).toHaveBeenCalledWith('My DocuSign demo', 'golive');
    await p.user.click(within(demo).getByRole('button', { name: 'Actions for My DocuSign demo' }));
    expect(p.onopen).toHaveBeenCalledWith('My DocuSign demo', 'actions');
    await p.user.click(within(demo).getByRole('button', { name: 'Edit My DocuSign demo' }));
    expect(p.onedit).toHaveBeenCalledWith(expect.objectContaining({ name: 'My DocuSign demo' }));
    await p.user.click(screen.getByRole('button', { name: 'New connection' }));
    expect(p.onnew).toHaveBeenCalledOnce();
    await p.user.click(screen.getByRole('button', { name: 'Try the sandbox' }));
    expect(p.onsandbox).toHaveBeenCalledOnce();
    expectNoCliFlags();
  });

  it('removing asks first; Keep cancels and Remove removes', async () => {
    const p = setUp([demoConnection()]);
    const demo = card('My DocuSign demo');
    await p.user.click(within(demo).getByRole('button', { name: 'Remove My DocuSign demo…' }));
    expect(demo).toHaveTextContent('Remove it and its key?');
    await p.user.click(within(demo).getByRole('button', { name: 'Keep My DocuSign demo' }));
    expect(p.onremove).not.toHaveBeenCalled();
    expect(within(demo).getByRole('button', { name: 'Remove My DocuSign demo…' })).toBeInTheDocument();
    await p.user.click(within(demo).getByRole('button', { name: 'Remove My DocuSign demo…' }));
    await p.user.click(within(demo).getByRole('button', { name: 'Remove My DocuSign demo' }));
    expect(p.onremove).toHaveBeenCalledWith('My DocuSign demo');
  });

  it('every card button says which connection it is for: no two buttons share a name (a screen reader’s list of buttons)', async () => {
    const p = setUp([demoConnection({ name: 'Sandbox', environment: 'sandbox' }), demoConnection(), demoConnection({ name: 'Prod', environment: 'production' })], true);
    for (const n of ['Sandbox', 'My DocuSign demo', 'Prod']) {
      const expected = [`Open ${n}`, `Actions for ${n}`, `Go-Live for ${n}`, `Edit ${n}`, `Remove ${n}…`];
      expect(within(card(n)).getAllByRole('button')).toHaveLength(expected.length);
      for (const name of expected) {
        // One button on the whole screen has this name, in this card.
        const [b, ...others] = screen.getAllByRole('button', { name });
        expect(others).toHaveLength(0);
        expect(card(n)).toContainElement(b);
        // The visible word starts the name (what speech-control users say).
        expect(name.startsWith((b.textContent ?? '').trim().replace(/…$/, ''))).toBe(true);
      }
    }
    expect(screen.getByRole('button', { name: 'Open Sandbox' })).toHaveAttribute('id', 'open-Sandbox');
    await p.user.click(screen.getByRole('button', { name: 'Edit Prod' }));
    expect(p.onedit).toHaveBeenCalledWith(expect.objectContaining({ name: 'Prod' }));
    // Asking before removing moves the keyboard to the safe answer, named for its card.
    await p.user.click(screen.getByRole('button', { name: 'Remove Sandbox…' }));
    expect(screen.getByRole('button', { name: 'Keep Sandbox' })).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Remove Sandbox' })).toBeInTheDocument();
  });

  it('a saved sandbox connection hides "Try the sandbox" and says when the sandbox is not running', () => {
    setUp([demoConnection({ name: 'Sandbox', environment: 'sandbox' })], false);
    expect(screen.queryByRole('button', { name: 'Try the sandbox' })).not.toBeInTheDocument();
    expect(within(card('Sandbox')).getByText('not running')).toBeInTheDocument();
  });
});
