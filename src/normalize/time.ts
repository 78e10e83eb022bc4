/** Parses the timestamp spellings found in Windows, ECS and syslog JSON into ms since the epoch. */
export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 1e14 ? Math.floor(v / 1000) : v < 1e11 ? v * 1000 : v;
  if (typeof v !== 'string' || v.length < 10) return undefined;
  const fast = isoUtc(v);
  if (fast !== undefined) return fast;
  let s = v;
  // "2020-10-05 20:43:58.350" (Sysmon UtcTime) has no zone: it is UTC by definition.
  if (s.charCodeAt(10) === 32 /* space */) s = s.slice(0, 10) + 'T' + s.slice(11);
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(s)) s += 'Z';
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The common spelling, read without Date.parse (which costs more than the rest of normalizing an
 * event): `YYYY-MM-DD[T ]hh:mm:ss[.fraction](Z | no zone)` in UTC, as evtx_dump writes
 * TimeCreated (`2020-10-05T20:43:58.351744800Z`) and Sysmon UtcTime. Only where Date.parse
 * would say the same: days up to 28, hours up to 23 (anything else, and every other spelling,
 * goes to Date.parse). Fractions of up to nine digits are cut to milliseconds, as Date.parse cuts them.
 */
function isoUtc(s: string): number | undefined {
  const n = s.length;
  if (n < 19) return undefined;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  // (Date.UTC reads years 0–99 as 1900–1999: those go to Date.parse)
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > 28 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  let p = 19;
  let ms = 0;
  if (p < n && s.charCodeAt(p) === 46) {
    p++;
    const start = p;
    while (p < n && s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) {
      if (p - start < 3) ms = ms * 10 + (s.charCodeAt(p) - 48);
      p++;
    }
    // (Date.parse reads longer fractions its own way: those go to it)
    if (p === start || p - start > 9) return undefined;
    for (let k = p - start; k < 3; k++) ms *= 10;
  }
  if (p < n) {
    const z = s.charCodeAt(p);
    if ((z !== 90 && z !== 122) || p + 1 !== n) return undefined;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** The value of `len` decimal digits at s[at], or -1. */
function digits(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
