// The production promotion over the FakeBackend: the values to copy, production consent, and
// the production connection's fields, each checked as typed and tied to its input.
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { demoConnection, expectNoCliFlags, useFake } from '../../test/helpers';
import PromotionView from './PromotionView.svelte';

const NAME = 'My DocuSign demo';
const PROD_USER = '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e01';
const PROD_ACCOUNT = '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c01';

function setUp() {
  const demo = demoConnection();
  const fake = useFake({ connections: [demo] });
  const oncreated = vi.fn();
  const r = render(PromotionView, { name: NAME, connections: [demo], oncreated });
  return { ...r, fake, oncreated, user: userEvent.setup() };
}

describe('the production promotion', () => {
  it('shows the integration key, redirect URI and public key to copy, and opens production consent', async () => {
    const { user, fake } = setUp();
    expect(await screen.findByRole('heading', { name: 'Add the integration key to the production account' })).toBeInTheDocument();
    expect(document.getElementById('promo-ik')).toHaveTextContent('0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01');
    expect(document.getElementById('promo-redirect')).toHaveTextContent('https://localhost/callback');
    expect(document.getElementById('promo-public-key')).toHaveTextContent('BEGIN PUBLIC KEY');
    await user.click(screen.getByRole('button', { name: 'Open the production consent page' }));
    expect(await screen.findByText('Opened in your browser.')).toBeInTheDocument();
    expect(fake.calls.some((c) => c.cmd === 'open_production_consent')).toBe(true);
    expectNoCliFlags();
  });

  it('each field is labelled, its check is tied to it, and Create stays disabled with the reason until all pass', async () => {
    const { user, fake, oncreated } = setUp();
    await screen.findByRole('heading', { name: 'Create the production connection' });
    const create = screen.getByRole('button', { name: 'Create it and run the health check' });
    expect(create).toBeDisabled();
    expect(screen.getByText('Fill in “Production User ID (API Username)”.')).toBeInTheDocument();
    const user_id = screen.getByLabelText('Production User ID (API Username)');
    const account_id = screen.getByLabelText('Production API Account ID');
    const base = screen.getByLabelText('Production Account Base URI');
    // Where to find the value is the field's description, before its check.
    expect(account_id).toHaveAccessibleDescription('Production Admin › Apps and Keys › My Account Information › API Account ID.');
    await user.type(user_id, 'not-an-id');
    await waitFor(() => expect(user_id).toHaveAccessibleDescription(/This is not a valid ID/));
    expect(user_id).toHaveAttribute('aria-invalid', 'true');
    expect(user_id).toHaveAccessibleDescription(/How to fix: ?Copy the whole value again\./);
    await user.clear(user_id);
    await user.type(user_id, PROD_USER);
    await user.type(account_id, PROD_ACCOUNT);
    await user.type(base, 'https://na3.docusign.net');
    await waitFor(() => expect(create).toBeEnabled());
    expect(user_id).toHaveAttribute('aria-invalid', 'false');
    expect(base).toHaveAccessibleDescription(/Looks good\./);
    await user.click(create);
    await waitFor(() => expect(oncreated).toHaveBeenCalled());
    const made = fake.connections.find((c) => c.environment === 'production');
    expect(made).toMatchObject({ user_id: PROD_USER, account_id: PROD_ACCOUNT, base_uri: 'https://na3.docusign.net' });
    expect(oncreated).toHaveBeenCalledWith(made?.name);
  });

  it('a refused creation shows why and how to fix it', async () => {
    const { user, fake } = setUp();
    fake.promote = async () => {
      throw { code: 'name_taken', message: 'There is already a connection with that name.', fix: 'Choose another name.' };
    };
    await screen.findByRole('heading', { name: 'Create the production connection' });
    await user.type(screen.getByLabelText('Production User ID (API Username)'), PROD_USER);
    await user.type(screen.getByLabelText('Production API Account ID'), PROD_ACCOUNT);
    await user.type(screen.getByLabelText('Production Account Base URI'), 'https://na3.docusign.net');
    const create = screen.getByRole('button', { name: 'Create it and run the health check' });
    await waitFor(() => expect(create).toBeEnabled());
    await user.click(create);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not created');
    expect(alert).toHaveTextContent('How to fix: Choose another name.');
  });

  it('when the browser does not open, the error says how to fix it', async () => {
    const { user, fake } = setUp();
    fake.openProductionConsent = async () => {
      throw { code: 'browser_failed', message: 'The browser did not open.', fix: 'Copy the URL and paste it into your browser.' };
    };
    await user.click(await screen.findByRole('button', { name: 'Open the production consent page' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The browser did not open');
    expect(alert).toHaveTextContent('The browser did not open. How to fix: Copy the URL and paste it into your browser.');
  });
});
