import { describe, expect, it } from 'vitest';
import { toIpcError } from './errors';

describe('toIpcError', () => {
  it('keeps the problem: code, detail, message, fix and field', () => {
    expect(toIpcError({ code: 'not_found', detail: null, message: 'm', fix: 'f' })).toEqual({ code: 'not_found', detail: null, message: 'm', fix: 'f' });
    expect(toIpcError({ code: 'invalid_name', detail: 'slash', message: 'm', fix: null, field: 'name' })).toEqual({ code: 'invalid_name', detail: 'slash', message: 'm', fix: null, field: 'name' });
    expect(toIpcError({ code: 'internal', message: 'm' })).toEqual({ code: 'internal', detail: null, message: 'm', fix: null });
  });
  it('buckets anything else as unknown, with a message', () => {
    expect(toIpcError('boom')).toEqual({ code: 'unknown', detail: null, message: 'boom', fix: null });
    expect(toIpcError(new Error('bad'))).toMatchObject({ code: 'unknown', message: 'bad' });
    expect(toIpcError(undefined).message).toMatch(/went wrong/);
  });
});
