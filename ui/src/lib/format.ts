// Small formatting helpers shared by the part-2 screens: times, sizes, DocuSign paths.
// Pure, so they are unit-tested.

/** "just now", "42 s ago", "5 min ago", "3 h ago", or the date. */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

/**
 * A DocuSign REST timestamp (`…DateTime` fields: ISO 8601 with 0–7 fraction digits and `Z` or an
 * offset) as Unix milliseconds; `null` for anything else, e.g. a Date Signed tab's text such as
 * `11/22/2022 | 10:02 AM PST`, which follows a user's regional settings and is shown verbatim (F44).
 */
export function docusignTime(text: string | null | undefined): number | null {
  if (!text) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) return null;
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? null : t;
}

/** A date and time in the person's locale, short; text that is not a timestamp is kept verbatim. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = docusignTime(iso) ?? (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? Date.parse(iso) : null);
  if (t === null || Number.isNaN(t)) return iso;
  return new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The time of day, e.g. 14:03:12. */
export function clock(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  return new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** 1 234 567 bytes → "1.2 MB". */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A DocuSign REST path without the `/restapi/v2.1/accounts/{accountId}/` prefix. */
export function shortPath(path: string): string {
  return path.replace(/^\/?restapi\/v2(\.1)?\/accounts\/[^/]+\/?/, '').replace(/^\//, '') || path;
}

/** "3 600 calls an hour" style number: at most one decimal. */
export function perHour(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A duration in seconds in words: "15 min", "1 h 30 min", "45 s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}
