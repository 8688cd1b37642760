import { describe, expect, it } from 'vitest';
import type { GoLiveStatus, LedgerCall } from '../../lib/ipc/types';
import { answerBlocks, callRows, checklistRows, friendlyCall, headline, ring, verdictCounts } from './golive';

const call = (over: Partial<LedgerCall>): LedgerCall => ({ at: '2026-01-01T00:00:00Z', kind: 'esignature', method: 'GET', path_template: '/restapi/v2.1/accounts/{accountId}/templates', path: '', status: 200, error_code: null, duration_ms: 5, verdict: 'counted', reason: 'ok', ...over });
const status = (over: Partial<GoLiveStatus>): GoLiveStatus => ({ integration_key: 'ik', environment: 'account-d.docusign.com', streak: 0, required: 20, ready: false, recent: [], violations: [], summary: '0/20', ...over });

describe('Go-Live panel', () => {
  it('draws the streak as a ring that fills up and stops at 20', () => {
    const r = 40;
    const c = 2 * Math.PI * r;
    expect(ring(0, 20, r, false)).toMatchObject({ fraction: 0, tone: 'empty', label: '0 of 20' });
    const half = ring(10, 20, r, false);
    expect(half.fraction).toBe(0.5);
    expect(Number(half.dash.split(' ')[0])).toBeCloseTo(c / 2, 1);
    expect(ring(35, 20, r, true)).toMatchObject({ fraction: 1, tone: 'ok', label: '20 of 20' });
  });

  it('colours the ring from the verdict, not from the fill', () => {
    // Issue 9: the ring was green while the verdict was "not ready".
    expect(ring(20, 20, 40, false).tone).toBe('progress');
    expect(ring(20, 20, 40, true).tone).toBe('ok');
  });

  it('marks each call counted, not counted or broke the streak, with its result', () => {
    const rows = callRows([
      call({}),
      call({ kind: 'token', method: 'POST', path_template: '/oauth/token', verdict: 'not_counted', reason: 'Token calls do not count' }),
      call({ status: 400, error_code: 'ENVELOPE_DOES_NOT_EXIST', verdict: 'broke_streak', path_template: '/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}' }),
      call({ status: null, verdict: 'weird' }),
    ]);
    expect(rows.map((r) => r.verdict)).toEqual(['counted', 'not_counted', 'broke_streak', 'not_counted']);
    expect(rows[0].what).toBe('GET templates');
    expect(rows[0].title).toBe('List templates');
    expect(rows[1].title).toBe('Access token');
    expect(friendlyCall('get', '/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/documents/{documentId}')).toBe('Download a document');
    expect(friendlyCall('DELETE', '/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}')).toBe('DELETE envelopes/{envelopeId}');
    expect(rows[2].result).toBe('HTTP 400 ENVELOPE_DOES_NOT_EXIST');
    expect(rows[2].label).toBe('Broke the streak');
    expect(rows[3].result).toBe('no answer');
    expect(verdictCounts(rows)).toEqual({ counted: 1, not_counted: 2, broke_streak: 1 });
  });

  it('says what is left, or that the review can start', () => {
    expect(headline(status({ streak: 19 })).title).toBe('Not ready: 1 more successful call in a row needed');
    expect(headline(status({ streak: 5 })).title).toBe('Not ready: 15 more successful calls in a row needed');
    expect(headline(status({ streak: 20, ready: true })).tone).toBe('ok');
    const v = headline(status({ streak: 12, ready: false, summary: '12/20: a polling-rule violation …', violations: [{ envelope_id: 'e', path: 'p', first_at: '', again_at: '', gap_seconds: 3 }] }));
    expect(v.tone).toBe('warning');
    expect(v.title).toBe('Not ready: a polling-rule violation is among the last 20 calls');
    expect(v.text).toBe('12/20: a polling-rule violation …');
  });

  it('ticks the checklist from what the app knows', () => {
    const rows = checklistRows([
      { id: 'a', title: 'A', done: true, detail: '' },
      { id: 'b', title: 'B', done: false, detail: '' },
      { id: 'c', title: 'C', done: null, detail: '' },
    ]);
    expect(rows.map((r) => r.state)).toEqual(['done', 'todo', 'unknown']);
  });

  it('lists the endpoints without the account prefix, or says none were used yet', () => {
    const a = { authentication: 'OAuth v2 for REST, JWT Bearer Grant', endpoints: ['GET /restapi/v2.1/accounts/{accountId}/templates', 'POST /restapi/v2.1/accounts/{accountId}/envelopes'], error_handling: 'e', polling: 'p' };
    const blocks = answerBlocks(a);
    expect(blocks.find((b) => b.id === 'endpoints')?.answer).toBe('GET templates\nPOST envelopes');
    expect(answerBlocks({ ...a, endpoints: [] }).find((b) => b.id === 'endpoints')?.answer).toMatch(/No eSignature call/);
  });
});
