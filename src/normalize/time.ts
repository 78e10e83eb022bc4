/** Parses the timestamp spellings found in Windows, ECS and syslog JSON into ms since the epoch. */
export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 1e14 ? Math.floor(v / 1000) : v < 1e11 ? v * 1000 : v;
  if (typeof v !== 'string' || v.length < 10) return undefined;
  let s = v;
  // "2020-10-05 20:43:58.350" (Sysmon UtcTime) has no zone: it is UTC by definition.
  if (s.charCodeAt(10) === 32 /* space */) s = s.slice(0, 10) + 'T' + s.slice(11);
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(s)) s += 'Z';
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
