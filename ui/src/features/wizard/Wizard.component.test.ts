// The wizard rendered over the FakeBackend: what a person sees and does on each step.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { demoConnection, expectNoCliFlags, useFake } from '../../test/helpers';
import Wizard from './Wizard.svelte';
import { emptyDraft, type WizardStep } from './wizard';
import { wizard } from './wizard.svelte';
import type { AccountChoice, ConnectionDraft } from '../../lib/ipc/types';

const IK = '0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01';
const USER = '5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01';
const ACCOUNT = '9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01';
// Built from parts: no source file holds a literal private-key header.
const KEY_TEXT = ['-----BEGIN', ' PRIVATE KEY-----\nMIIEvQ\n-----END', ' PRIVATE KEY-----'].join('');

function renderWizard() {
  const onsandbox = vi.fn();
  const onclose = vi.fn();
  const r = render(Wizard, { onsandbox, onclose });
  return { ...r, onsandbox, onclose, user: userEvent.setup() };
}

/** Opens the wizard straight at `step` on a demo draft with these values (as "edit" does). */
function openAt(step: WizardStep, draft: Partial<ConnectionDraft>, key = false, accounts: AccountChoice[] | null = null) {
  wizard.open('new', { ...emptyDraft('demo'), ...draft }, key ? 'draft:1' : null, key ? 'SHA256:fake1' : null, step);
  if (accounts) wizard.setConsented(accounts);
}

/** Opens the wizard at the account step of a consented demo draft, chooses the sandbox
 * account and presses Save: the alert that a failed save shows. */
async function saveFromTheAccountStep(accounts: AccountChoice[]) {
  openAt('account', { integration_key: IK, redirect_uri: 'https://localhost/callback', user_id: USER }, true, accounts);
  const { user } = renderWizard();
  await user.click(await screen.findByRole('radio', { name: /Sandbox account/ }));
  const save = screen.getByRole('button', { name: 'Save and run the health check' });
  await waitFor(() => expect(save).toBeEnabled());
  await user.click(save);
  return screen.findByRole('alert');
}

const next = () => screen.getByRole('button', { name: 'Next' });

describe('the wizard', () => {

  it('starts on the environment step with Demo chosen, the name checked, and Next enabled once it passes', async () => {
    useFake();
    wizard.open('new');
    renderWizard();
    expect(screen.getByRole('heading', { level: 1, name: 'Connect your DocuSign account' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Where is your DocuSign account?' })).toBeInTheDocument();
    const group = screen.getByRole('radiogroup', { name: 'Environment' });
    // Each choice is named by its title; what it means is its description.
    const demo = within(group).getByRole('radio', { name: 'Demo (developer account)' });
    expect(demo).toHaveAttribute('aria-checked', 'true');
    expect(demo).toHaveAccessibleDescription('Your free DocuSign developer account at admindemo.docusign.com. Start here.');
    expect(within(group).getByRole('radio', { name: 'Production' })).toHaveAttribute('aria-checked', 'false');
    expect(within(group).getByRole('radio', { name: 'Built-in sandbox' })).toHaveAccessibleDescription(/^A local DocuSign that runs inside this app/);
    // The stepper marks where the person is.
    expect(screen.getByRole('button', { name: /Environment/, current: 'step' })).toBeDisabled();
    // The name field is labelled and its check is tied to it.
    const name = screen.getByLabelText('Name of this connection');
    expect(name).toHaveValue('My DocuSign demo');
    expect(name).toHaveAccessibleDescription(/./);
    expect(screen.queryByRole('button', { name: 'Back' })).not.toBeInTheDocument();
    expectNoCliFlags();
  });

  it('blocks Next with a reason while the name is empty, then shows the check beside the field once typed', async () => {
    useFake();
    wizard.open('new');
    const { user } = renderWizard();
    const name = screen.getByLabelText('Name of this connection');
    await user.clear(name);
    expect(next()).toBeDisabled();
    expect(screen.getByText('Fill in the connection name.')).toBeInTheDocument();
    // An empty field is not marked as wrong while the person has not typed: the reason sits beside Next.
    // Its description is then only its hint (no check result).
    await waitFor(() => expect(name).toHaveAccessibleDescription('Only for you, to tell your connections apart.'));
    expect(name).toHaveAttribute('aria-invalid', 'false');
    expect(next()).toBeDisabled();
    await user.type(name, 'Acme');
    await waitFor(() => expect(name).toHaveAccessibleDescription(/^Only for you, to tell your connections apart\. .*Looks good\./));
    expect(name).toHaveAttribute('aria-invalid', 'false');
    expect(next()).toBeEnabled();
  });

  it('says as it is typed that a saved connection already has the name, naming a free one; edit keeps its own name', async () => {
    // Field case F12 (tester8): '"Sandbox" can be used as a name' for a saved connection's name.
    useFake({ connections: [demoConnection({ name: 'Sandbox' }), demoConnection({ name: 'Sandbox 2' })] });
    wizard.open('new');
    const { user, unmount } = renderWizard();
    const name = screen.getByLabelText('Name of this connection');
    await user.clear(name);
    await user.type(name, 'Sandbox');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(/You already have a connection named "Sandbox"\. .*Give this one another name, e\.g\. "Sandbox 3"\./);
    expect(next()).toBeDisabled();
    expect(screen.queryByText(/can be used as a name|Looks good/)).not.toBeInTheDocument();
    await user.type(name, ' 3');
    await waitFor(() => expect(name).toHaveAccessibleDescription(/Looks good\./));
    expect(name).toHaveAttribute('aria-invalid', 'false');
    expect(next()).toBeEnabled();
    unmount();
    // Editing "Sandbox": its own name passes.
    wizard.open('edit', { ...emptyDraft('demo'), name: 'Sandbox' }, 'saved:Sandbox', 'SHA256:fake', 'environment');
    renderWizard();
    const own = screen.getByLabelText('Name of this connection');
    await waitFor(() => expect(own).toHaveAccessibleDescription(/Looks good\./));
    expect(own).toHaveAttribute('aria-invalid', 'false');
  });

  it('on the consent step, the hint beside Next agrees with the status box once checking stopped', async () => {
    // Field case F13 (tester8): "Stopped checking…" in the box, "Waiting for consent: open the
    // consent page and click Allow." beside Next.
    const fake = useFake({ consentAfter: 5 });
    openAt('consent', { integration_key: IK, redirect_uri: 'https://localhost/callback', user_id: USER }, true);
    const { user } = renderWizard();
    const why = () => document.getElementById('wizard-why');
    await waitFor(() => expect(document.getElementById('consent-status')).toHaveAttribute('data-phase', 'waiting'));
    expect(why()).toHaveTextContent('Waiting for consent: open the consent page and click Allow.');
    await user.click(document.getElementById('cancel-consent') as HTMLElement);
    await waitFor(() => expect(document.getElementById('consent-status')).toHaveTextContent('Stopped checking.'));
    await waitFor(() => expect(why()).toHaveTextContent('Stopped checking for consent: click Check again once you have clicked Allow.'));
    // A refused key: the box points below; so does the hint.
    fake.confirmConsent = async () => ({ state: 'failed', attempts_made: 1, report: null, step: { step: 'token', ok: false, status: 'failed', code: 'invalid_grant', detail: 'no_valid_keys_or_signatures', message: 'DocuSign could not verify the assertion.', fix: 'Add the public key.', docusign_error: { status: 400, error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' } } });
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(document.getElementById('consent-status')).toHaveAttribute('data-phase', 'failed'));
    expect(why()).toHaveTextContent('Consent cannot be confirmed yet: fix what is shown above, then click Try again.');
    expect(why()).not.toHaveTextContent('Waiting for consent');
    // Its headline is plain words (it read "DocuSign refused: docusign refused the jwt", F4).
    expect(screen.getByRole('alert')).toHaveTextContent(/^✕ DocuSign did not accept the app's sign-in DocuSign could not verify/);
    // Offline: the hint says so too.
    fake.confirmConsent = async () => ({ state: 'failed', attempts_made: 1, report: null, step: { step: 'token', ok: false, status: 'failed', code: 'network_unreachable', detail: 'connect', message: 'Could not reach account-d.docusign.com.', fix: 'Check the internet connection.' } });
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(document.getElementById('consent-offline')).toBeInTheDocument());
    expect(why()).toHaveTextContent('Consent cannot be confirmed while this computer cannot reach DocuSign.');
  });

  it('picking Production switches the environment and the default name; the sandbox choice calls back', async () => {
    useFake();
    wizard.open('new');
    const { user, onsandbox } = renderWizard();
    await user.click(screen.getByRole('radio', { name: /Production/ }));
    expect(screen.getByRole('radio', { name: /Production/ })).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByLabelText('Name of this connection')).toHaveValue('My DocuSign production');
    await user.click(screen.getByRole('radio', { name: /Built-in sandbox/ }));
    expect(onsandbox).toHaveBeenCalledOnce();
  });

  it('the integration key step: labelled fields, focus on the first, an error with its fix, Next only when both pass', async () => {
    const fake = useFake();
    wizard.open('new');
    const { user } = renderWizard();
    await waitFor(() => expect(next()).toBeEnabled());
    await user.click(next());
    expect(screen.getByRole('heading', { name: 'Your app’s Integration Key' })).toBeInTheDocument();
    const ik = screen.getByLabelText('Integration Key');
    const redirect = screen.getByLabelText('Redirect URI');
    expect(ik).toHaveFocus();
    expect(next()).toBeDisabled();
    expect(screen.getByText('Fill in the Integration Key.')).toBeInTheDocument();

    await user.type(ik, 'not-a-guid');
    await waitFor(() => expect(ik).toHaveAttribute('aria-invalid', 'true'));
    expect(ik).toHaveAccessibleDescription(/This is not a valid ID.*How to fix: ?Copy the whole value again\./);
    await user.clear(ik);
    await user.type(ik, IK);
    await user.type(redirect, 'http://localhost/callback');
    await waitFor(() => expect(redirect).toHaveAttribute('aria-invalid', 'true'));
    expect(redirect).toHaveAccessibleDescription(/^One of the Redirect URIs listed on the app\. .*not an https:\/\/ address.*How to fix: ?Copy the whole address, starting with https:\/\/\./);
    expect(next()).toBeDisabled();
    await user.clear(redirect);
    await user.type(redirect, 'https://localhost/callback');
    await waitFor(() => expect(next()).toBeEnabled());
    expect(ik).toHaveAccessibleDescription(/Looks good\./);
    // The field check went to the backend with the environment as context.
    expect(fake.calls.some((c) => c.cmd === 'check_field' && JSON.stringify(c.args).includes('"environment":"demo"'))).toBe(true);
    // Back returns to the environment step, keeping what was typed.
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await user.click(next());
    expect(screen.getByLabelText('Integration Key')).toHaveValue(IK);
  });

  it('"Where do I find this?" is a disclosure button that shows the help for the field', async () => {
    useFake();
    wizard.open('new');
    const { user } = renderWizard();
    await waitFor(() => expect(next()).toBeEnabled());
    await user.click(next());
    const where = screen.getAllByRole('button', { name: /Where do I find this\?/ })[0];
    expect(where).toHaveAttribute('aria-expanded', 'false');
    await user.click(where);
    expect(where).toHaveAttribute('aria-expanded', 'true');
    expect(await screen.findByText(/Settings > Apps and Keys\./)).toBeInTheDocument();
  });

  it('the user step warns (without blocking) when the User ID is the Account ID', async () => {
    useFake();
    openAt('user', { integration_key: IK, redirect_uri: 'https://localhost/callback', account_id: USER });
    const { user } = renderWizard();
    const field = await screen.findByLabelText('User ID (API Username)');
    await waitFor(() => expect(field).toHaveFocus());
    await user.type(field, USER);
    await waitFor(() => expect(field).toHaveAccessibleDescription(/same as the Account ID.*How to fix: ?Use the API Username from Users and Groups\./));
    expect(field).toHaveAttribute('aria-invalid', 'false');
    expect(next()).toBeEnabled();
  });

  it('the key step refuses a public key with a fix, accepts a private key and shows only its fingerprint', async () => {
    useFake();
    openAt('key', { integration_key: IK, redirect_uri: 'https://localhost/callback', user_id: USER });
    const { user } = renderWizard();
    await screen.findByRole('heading', { name: 'The RSA private key' });
    expect(next()).toBeDisabled();
    expect(screen.getByText('Paste, choose or generate the RSA private key.')).toBeInTheDocument();
    const box = screen.getByRole('textbox', { name: 'Private key' });
    expect(box).toHaveAccessibleDescription(/^Paste the whole file, including the lines/);
    await user.click(box);
    await user.paste(['-----BEGIN', ' PUBLIC KEY-----\nMIIB\n-----END', ' PUBLIC KEY-----'].join(''));
    await waitFor(() => expect(screen.getByText('This is the public half of a key pair, not the private key.')).toBeInTheDocument());
    expect(screen.getByText('Paste the private key file.')).toBeInTheDocument();
    // The check is tied to the box, as on every other field.
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).toHaveAccessibleDescription(/This is the public half of a key pair, not the private key\..*How to fix: ?Paste the private key file\./);
    await user.clear(box);
    await user.paste(KEY_TEXT);
    expect(await screen.findByText('Private key accepted')).toBeInTheDocument();
    expect(screen.getByText('SHA256:fake1')).toBeInTheDocument();
    // The key text is not kept on screen.
    expect(document.body.textContent).not.toContain('MIIEvQ');
    expect(next()).toBeEnabled();
    // The box that had the focus is gone: Next has it, and screen readers hear the news once.
    await waitFor(() => expect(next()).toHaveFocus());
    expect(document.getElementById('key-announce')).toHaveTextContent('Private key accepted. Fingerprint SHA256:fake1.');
    expect(document.getElementById('key-announce')).toHaveAttribute('aria-live', 'polite');
  });

  it('an encrypted key: the fix points to generating a pair here, with no command to type', async () => {
    // Found by a fresh user: the desktop showed an openssl command with Markdown backticks.
    useFake();
    openAt('key', { integration_key: IK, redirect_uri: 'https://localhost/callback', user_id: USER });
    const { user } = renderWizard();
    const box = screen.getByRole('textbox', { name: 'Private key' });
    await user.click(box);
    await user.paste(['-----BEGIN', ' ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END', ' ENCRYPTED PRIVATE KEY-----'].join(''));
    await waitFor(() => expect(box).toHaveAttribute('aria-invalid', 'true'));
    expect(box).toHaveAccessibleDescription(/How to fix: ?DocuSign key pairs are unencrypted PEM: use a copy of the key without its password, or make a new pair\. Or let this app make a new pair: “Generate a key pair here” on the key step/);
    expect(document.getElementById('s-private_key')?.textContent).not.toMatch(/openssl|`/);
    expectNoCliFlags();
    // The paste's error belongs to the paste tab: the "Generate" tab, which has no field to
    // fix, does not show it (found by a fresh user); back on the paste tab it is there again.
    await user.click(screen.getByRole('tab', { name: 'Generate a key pair here' }));
    expect(document.getElementById('s-private_key')?.textContent ?? '').not.toMatch(/unencrypted PEM/);
    await user.click(screen.getByRole('tab', { name: 'Paste the key' }));
    expect(screen.getByRole('textbox', { name: 'Private key' })).toHaveAttribute('aria-invalid', 'true');
  });

  it('a broken replacement key holds Next instead of quietly keeping the accepted key; Back abandons it', async () => {
    useFake();
    openAt('key', { integration_key: IK, redirect_uri: 'https://localhost/callback', user_id: USER }, true);
    const { user } = renderWizard();
    expect(await screen.findByText('Private key accepted')).toBeInTheDocument();
    expect(next()).toBeEnabled();
    await user.click(screen.getByRole('button', { name: 'Use a different key' }));
    const box = screen.getByRole('textbox', { name: 'Private key' });
    await user.click(box);
    await user.paste(['-----BEGIN', ' PUBLIC KEY-----\nMIIB\n-----END', ' PUBLIC KEY-----'].join(''));
    await waitFor(() => expect(screen.getByText('This is the public half of a key pair, not the private key.')).toBeInTheDocument());
    expect(next()).toBeDisabled();
    expect(screen.getByText('The new private key cannot be used: fix it, or empty the field to keep the key accepted before.')).toBeInTheDocument();
    // Back abandons the attempt: the accepted key is shown again on return, and Next is open.
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await screen.findByRole('heading', { name: 'The user the connection acts as' });
    await user.click(next());
    expect(await screen.findByText('Private key accepted')).toBeInTheDocument();
    expect(screen.getByText('SHA256:fake1')).toBeInTheDocument();
    expect(next()).toBeEnabled();
  });

  it('consent, then the account step: nothing is picked for the person; picking fills the base URI and Save runs the health check', async () => {
    const fake = useFake({ consentAfter: 0 });
    openAt('consent', { integration_key: IK, redirect_uri: 'https://localhost/callback', user_id: USER }, true);
    const { user } = renderWizard();
    expect(await screen.findByText('Consent is given')).toBeInTheDocument();
    await waitFor(() => expect(next()).toBeEnabled());
    await user.click(next());
    expect(screen.getByRole('heading', { name: 'Which account should the connection use?' })).toBeInTheDocument();
    const account = screen.getByRole('radio', { name: /Sandbox account/ });
    expect(account).toHaveAttribute('aria-checked', 'false');
    const save = screen.getByRole('button', { name: 'Save and run the health check' });
    expect(save).toBeDisabled();
    expect(screen.getByText('Choose the account to use.')).toBeInTheDocument();
    await user.click(account);
    expect(account).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByLabelText('Base URI')).toHaveValue('https://demo.docusign.net');
    await waitFor(() => expect(save).toBeEnabled());
    await user.click(save);
    expect(await screen.findByRole('heading', { name: 'Health check' })).toBeInTheDocument();
    expect(fake.calls.find((c) => c.cmd === 'save_connection')).toBeDefined();
    expect(fake.connections.map((c) => c.account_id)).toEqual([ACCOUNT]);
    // The step buttons are gone on the last step.
    expect(screen.queryByRole('button', { name: 'Next' })).not.toBeInTheDocument();
    expectNoCliFlags();
  });

  it('a save that fails shows the message and its fix in an alert, and nothing moves on', async () => {
    const fake = useFake();
    fake.saveConnection = async () => {
      throw { code: 'name_taken', message: 'There is already a connection named “My DocuSign demo”.', fix: 'Choose another name.' };
    };
    const alert = await saveFromTheAccountStep(fake.accounts);
    expect(alert).toHaveTextContent('The connection could not be saved');
    expect(alert).toHaveTextContent('There is already a connection named “My DocuSign demo”.');
    expect(alert).toHaveTextContent('How to fix: Choose another name.');
    expect(screen.getByRole('heading', { name: 'Which account should the connection use?' })).toBeInTheDocument();
  });

  it('a key the app no longer holds: the core says what to give, the wizard adds where (its key step)', async () => {
    const fake = useFake();
    fake.saveConnection = async () => {
      throw { code: 'key_missing', detail: 'draft_forgotten', field: 'private_key', message: 'The app no longer holds the private key given for this connection.', fix: 'Give the private key again, or generate a new key pair.' };
    };
    const alert = await saveFromTheAccountStep(fake.accounts);
    expect(alert).toHaveTextContent('How to fix: Give the private key again, or generate a new key pair. Go back to the key step to paste it, choose its file, or generate a pair.');
    expectNoCliFlags();
  });

  it('Close calls back', async () => {
    useFake();
    wizard.open('new');
    const { user, onclose } = renderWizard();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('when pasted text cannot be read, the error says how to fix it', async () => {
    const fake = useFake();
    fake.readPasted = async () => {
      throw { code: 'unknown', message: 'The text could not be read.', fix: 'Paste it again, or type the values step by step.' };
    };
    wizard.open('new');
    const { user } = renderWizard();
    await user.click(screen.getByRole('button', { name: 'Paste everything…' }));
    await user.type(screen.getByRole('textbox', { name: 'Your notes, .env file or JSON' }), 'Integration Key: x');
    await user.click(screen.getByRole('button', { name: 'Fill in the fields' }));
    await waitFor(() => expect(document.getElementById('paste-summary')).toHaveTextContent('The text could not be read. How to fix: Paste it again, or type the values step by step.'));
  });

  it('the built-in sandbox: a pair generated here is not sent to an Apps and Keys page it does not have; the sandbox’s key is kept again', async () => {
    // Field case F4 (tester8): "Open your app in Settings → Apps and Keys in DocuSign’s admin
    // console… Add RSA Keypair", then a refused key, for the built-in sandbox.
    const fake = useFake();
    wizard.open('sandbox', { ...emptyDraft('sandbox'), integration_key: IK, redirect_uri: 'https://localhost/callback', user_id: USER }, 'saved:Sandbox', 'SHA256:sandbox', 'key');
    const { user } = renderWizard();
    expect(screen.getByText('The sandbox made a key pair for you')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Use a different key' }));
    await user.click(screen.getByRole('tab', { name: 'Generate a key pair here' }));
    await user.click(screen.getByRole('button', { name: 'Generate a key pair' }));
    const notice = await screen.findByText('The built-in sandbox cannot use this key pair');
    expect(notice.closest('#sandbox-generated-key')).toHaveTextContent('The sandbox knows only the key pair it made for this connection, and it has no Apps and Keys page to add another public key to. Keep the sandbox’s key to go on.');
    expect(screen.queryByText(/Add RSA Keypair|admin console/)).not.toBeInTheDocument();
    const keep = screen.getByRole('button', { name: 'Keep the sandbox’s key' });
    await waitFor(() => expect(keep).toHaveFocus());
    expect(next()).toBeDisabled();
    expect(document.getElementById('wizard-why')).toHaveTextContent('The sandbox cannot use a key pair made here: keep the sandbox’s key.');
    await user.click(keep);
    expect(await screen.findByText('The sandbox made a key pair for you')).toBeInTheDocument();
    expect(document.getElementById('key-fingerprint')).toHaveTextContent('SHA256:sandbox');
    expect(wizard.data.keyRef).toBe('saved:Sandbox');
    expect(fake.calls.some((c) => c.cmd === 'forget_draft_key')).toBe(true);
    expect(next()).toBeEnabled();
  });

  it('a pair generated here keeps its public key on the key step after going on and coming back', async () => {
    // Noticed with the fresh-user items: coming back from consent, the public key to upload was gone.
    useFake();
    openAt('key', { integration_key: IK, redirect_uri: 'https://localhost/callback', user_id: USER });
    const { user } = renderWizard();
    await user.click(screen.getByRole('tab', { name: 'Generate a key pair here' }));
    await user.click(screen.getByRole('button', { name: 'Generate a key pair' }));
    const shown = ((await screen.findByRole('textbox', { name: 'Public key' })) as HTMLTextAreaElement).value;
    expect(shown).toContain('BEGIN PUBLIC KEY');
    // The focus goes to what to do next (not the page), and screen readers hear what happened.
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Now upload the public key to DocuSign' })).toHaveFocus());
    expect(document.getElementById('key-announce')).toHaveTextContent(/^Key pair generated: the app keeps the private half\./);
    await user.click(next());
    expect(await screen.findByRole('heading', { name: 'Give consent, once' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(await screen.findByText('Key pair generated: the app keeps the private half')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Now upload the public key to DocuSign' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Public key' })).toHaveValue(shown);
    expect(screen.getByRole('button', { name: 'Copy public key' })).toBeEnabled();
  });
});
