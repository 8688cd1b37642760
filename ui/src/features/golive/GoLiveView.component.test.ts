// The Go-Live panel over the FakeBackend: the ring and headline, the warm-up with its
// progress, each call's verdict, the checklist, the review answers, and errors with their fix.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { account } from '../../lib/account.svelte';
import type { Environment } from '../../lib/ipc/types';
import { demoConnection, expectNoCliFlags, useFake } from '../../test/helpers';
import type { FakeBackend } from '../../lib/ipc/fake';
import GoLiveView from './GoLiveView.svelte';

const NAME = 'My DocuSign demo';

function setUp(environment: Environment = 'demo', prepare: (fake: FakeBackend) => void = () => {}) {
  const fake = useFake({ connections: [demoConnection()] });
  prepare(fake);
  account.use(NAME, true);
  const onopen = vi.fn();
  const r = render(GoLiveView, { name: NAME, environment, onopen });
  return { ...r, fake, onopen, user: userEvent.setup() };
}

describe('the Go-Live panel', () => {
  it('with no call yet: not ready, the ring says 0 of 20, the five steps, and links to the actions and the production guide', async () => {
    const { user, onopen } = setUp();
    expect(await screen.findByRole('heading', { name: 'Not ready: 20 more successful calls in a row needed' })).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: /^Go-Live: .* in a row, not ready$/ })).toBeInTheDocument();
    const checklist = within(document.getElementById('golive-checklist') as HTMLElement).getAllByRole('listitem');
    expect(checklist).toHaveLength(5);
    expect(checklist[1]).toHaveTextContent('20 successful eSignature calls in a row');
    expect(screen.getByText(/No call recorded yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'actions' }));
    expect(onopen).toHaveBeenLastCalledWith('actions');
    await user.click(screen.getByRole('button', { name: 'Open the production guide →' }));
    expect(onopen).toHaveBeenLastCalledWith('production');
    expect(screen.getByRole('button', { name: 'Warm up: make the calls for me' })).toBeEnabled();
    expectNoCliFlags();
  });

  it('the warm-up makes the calls, then the panel says ready, lists them as counted, and offers no second warm-up', async () => {
    const { user, fake } = setUp();
    await user.click(await screen.findByRole('button', { name: 'Warm up: make the calls for me' }));
    expect(await screen.findByRole('heading', { name: 'Ready for the Go-Live review' })).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: /ready$/ })).not.toHaveAccessibleName(/not ready/);
    expect(screen.queryByRole('button', { name: 'Warm up: make the calls for me' })).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Ready for the Go-Live review.');
    expect(fake.calls.filter((c) => c.cmd === 'warm_up')).toHaveLength(1);
    const calls = within(document.getElementById('golive-calls') as HTMLElement).getAllByRole('listitem');
    expect(calls).toHaveLength(12);
    for (const c of calls) expect(c).toHaveAttribute('data-verdict', 'counted');
    expect(document.getElementById('golive-legend')).toHaveTextContent('counted 20');
    await user.click(screen.getByRole('button', { name: 'Show all 20' }));
    expect(within(document.getElementById('golive-calls') as HTMLElement).getAllByRole('listitem')).toHaveLength(20);
    expect(screen.getByRole('button', { name: 'Show fewer' })).toBeInTheDocument();
    // The answers name the endpoints the calls used, each with its own copy button.
    const answers = document.getElementById('review-answers') as HTMLElement;
    expect(within(answers).getByText('GET templates')).toBeInTheDocument();
    // Each Copy button says what it copies (found by a fresh user: four buttons named "Copy").
    expect(within(answers).getAllByRole('button', { name: /^Copy the answer to “.+”$/ }).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Copy the answer to “Authentication method”',
      'Copy the answer to “DocuSign API endpoints used”',
      'Copy the answer to “Error and rate-limit handling”',
      'Copy the answer to “Polling (status changes)”',
    ]);
    expect(within(answers).getByRole('button', { name: 'Copy all the answers' })).toBeEnabled();
  });

  it('a call that broke the streak is shown with its reason', async () => {
    setUp('demo', (fake) => {
      fake.ledger.unshift({ at: new Date().toISOString(), kind: 'esignature', method: 'GET', path_template: '/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}', path: '', status: 404, error_code: 'ENVELOPE_DOES_NOT_EXIST', duration_ms: 3, verdict: 'broke_streak', reason: 'HTTP 404 ENVELOPE_DOES_NOT_EXIST reset the streak' });
    });
    await screen.findByRole('heading', { name: /^Not ready/ });
    const call = within(document.getElementById('golive-calls') as HTMLElement).getByRole('listitem');
    expect(call).toHaveAttribute('data-verdict', 'broke_streak');
    expect(call).toHaveTextContent('HTTP 404 ENVELOPE_DOES_NOT_EXIST reset the streak');
    expect(document.getElementById('golive-legend')).toHaveTextContent('broke the streak 1');
  });

  it('polling-rule violations are listed with the gap and what clears them', async () => {
    setUp('demo', (fake) => {
      const panel = fake.golivePanel.bind(fake);
      fake.golivePanel = async (name) => {
        const p = await panel(name);
        p.status.violations = [{ envelope_id: 'e1', path: '/restapi/v2.1/accounts/a/envelopes/e1', first_at: '2026-01-01T10:00:00Z', again_at: '2026-01-01T10:05:00Z', gap_seconds: 300 }];
        return p;
      };
    });
    expect(await screen.findByRole('heading', { name: 'Not ready: a polling-rule violation is among the last 20 calls' })).toBeInTheDocument();
    const notice = screen.getByText('Polling-rule violations').closest('[role="status"]') as HTMLElement;
    expect(notice).toHaveTextContent('again after 300 s');
    expect(notice).toHaveTextContent('the warm-up makes them');
  });

  it('the sandbox says its streak is practice; the production guide link is only offered in demo', async () => {
    setUp('sandbox');
    expect(await screen.findByText(/This is the sandbox: the streak here is practice/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Open the production guide →' })).not.toBeInTheDocument();
  });

  it('a warm-up that stops shows why and how to fix it, and the panel stays usable', async () => {
    const { user } = setUp('demo', (fake) => {
      fake.warmUp = async () => {
        throw { code: 'rate_limited', message: 'DocuSign’s hourly limit for this account is reached.', fix: 'Wait until the limit resets, then warm up again.' };
      };
    });
    await user.click(await screen.findByRole('button', { name: 'Warm up: make the calls for me' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The warm-up stopped');
    expect(alert).toHaveTextContent('DocuSign’s hourly limit for this account is reached.');
    expect(alert).toHaveTextContent('How to fix: Wait until the limit resets, then warm up again.');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Warm up: make the calls for me' })).toBeEnabled());
  });

  it('a panel that cannot load says so, with the fix', async () => {
    setUp('demo', (fake) => {
      fake.golivePanel = async () => {
        throw { code: 'not_found', message: 'There is no connection named “My DocuSign demo”.', fix: 'Choose a saved connection.' };
      };
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The Go-Live panel could not load');
    expect(alert).toHaveTextContent('How to fix: Choose a saved connection.');
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
  });
});
