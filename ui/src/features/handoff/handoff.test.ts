import { describe, expect, it } from 'vitest';
import { keyCopyWarning, TARGETS, whenChecked } from './handoff';

describe('handoff', () => {
  it('offers Stack AI first', () => {
    expect(TARGETS.map((t) => t.id)).toEqual(['stackai', 'env', 'json']);
  });
  it('says when the check ran', () => {
    const now = new Date('2026-11-30T10:10:00Z');
    expect(whenChecked('2026-11-30T10:09:50Z', now)).toContain('just now');
    expect(whenChecked('2026-11-30T10:07:00Z', now)).toContain('3 minutes ago');
    expect(whenChecked(null, now)).toBe('never');
    expect(whenChecked('garbage', now)).toBe('garbage');
  });
  it('says what the key copy will do', () => {
    const w = keyCopyWarning('stackai', 'Demo', 'SHA256:abc');
    expect(w).toContain('clipboard');
    expect(w).toContain('60 seconds');
    expect(w).toContain('SHA256:abc');
    expect(w).toContain('RSA Private Key');
    expect(keyCopyWarning('env', 'Demo', null, 5)).toContain('.env block');
  });
});
