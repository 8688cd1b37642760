import { describe, expect, it } from 'vitest';
import { toIpcError } from './errors';

describe('toIpcError', () => {
  it('keeps {code, message, fix}', () => {
    expect(toIpcError({ code: 'not_found', message: 'm', fix: 'f' })).toEqual({ code: 'not_found', message: 'm', fix: 'f' });
    expect(toIpcError({ code: 'x', message: 'm' })).toEqual({ code: 'x', message: 'm', fix: null });
  });
  it('buckets anything else as unknown, with a message', () => {
    expect(toIpcError('boom')).toEqual({ code: 'unknown', message: 'boom', fix: null });
    expect(toIpcError(new Error('bad'))).toMatchObject({ code: 'unknown', message: 'bad' });
    expect(toIpcError(undefined).message).toMatch(/went wrong/);
  });
});
