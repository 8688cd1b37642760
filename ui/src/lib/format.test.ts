import { describe, expect, it } from 'vitest';
import { ago, bytes, docusignTime, duration, perHour, shortPath, when } from './format';

describe('format', () => {
  it('says how long ago', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(ago('2026-01-01T11:59:58Z', now)).toBe('just now');
    expect(ago('2026-01-01T11:59:00Z', now)).toBe('1 min ago');
    expect(ago('2026-01-01T11:00:00Z', now)).toBe('1 h ago');
    expect(ago(null, now)).toBe('');
  });
  it('sizes, paths, durations', () => {
    expect(bytes(512)).toBe('512 bytes');
    expect(bytes(2048)).toBe('2.0 KB');
    expect(bytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(shortPath('/restapi/v2.1/accounts/{accountId}/templates/{templateId}/recipients')).toBe('templates/{templateId}/recipients');
    expect(shortPath('/oauth/token')).toBe('oauth/token');
    expect(duration(900)).toBe('15 min');
    expect(duration(5)).toBe('5 s');
    expect(duration(5400)).toBe('1 h 30 min');
    expect(perHour(3600)).toBe('3600');
    expect(perHour(4.5)).toBe('4.5');
  });
  it('f44: only REST *DateTime values are timestamps; tab text stays verbatim', () => {
    expect(docusignTime('2022-11-22T18:02:07.3270000Z')).toBe(Date.parse('2022-11-22T18:02:07.327Z'));
    expect(docusignTime('2022-11-22T18:02:07Z')).toBe(Date.parse('2022-11-22T18:02:07Z'));
    expect(docusignTime('2022-11-22T19:02:07.1+01:00')).toBe(Date.parse('2022-11-22T18:02:07.1Z'));
    expect(docusignTime('2022-11-22T18:02:07')).toBeNull();
    expect(docusignTime('11/22/2022 | 10:02 AM PST')).toBeNull();
    expect(when('11/22/2022 | 10:02 AM PST')).toBe('11/22/2022 | 10:02 AM PST');
    expect(when('22/11/2022 | 19:02 CET')).toBe('22/11/2022 | 19:02 CET');
  });
});
