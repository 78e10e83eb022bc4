/**
 * Timestamps as the store compares them. STIX 2.1 §3.2 timestamps are RFC 3339 in UTC with any
 * number of fraction digits, so '…:00.1Z' and '…:00.100Z' are the same instant and text order is
 * not time order. Versions are therefore compared through a fixed-width key (nanoseconds, 9
 * digits), and date_added is kept as integer microseconds.
 */

const TS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Fixed-width sortable key for a STIX timestamp, or undefined when it is not one. */
export function versionKey(ts: string): string | undefined {
  const m = TS.exec(ts);
  if (!m) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '').padEnd(9, '0')}Z`;
}

/** Microseconds since the epoch for an RFC 3339 timestamp (any fraction precision, any offset). */
export function toMicros(ts: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(ts.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return ms * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

export function fromMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // …:SS.mmmZ
  return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

let last = 0;
/** A date_added strictly after every one this process handed out before. */
export function nextDateAdded(): number {
  const now = Date.now() * 1000;
  last = now > last ? now : last + 1;
  return last;
}

/** Paging cursor: the (date_added, seq) position of the last item returned. */
export function encodeCursor(dateAdded: number, seq: number): string {
  return Buffer.from(`${dateAdded}.${seq}`).toString('base64url');
}

export function decodeCursor(next: string): { dateAdded: number; seq: number } | undefined {
  const m = /^(\d{1,17})\.(\d{1,17})$/.exec(Buffer.from(next, 'base64url').toString('latin1'));
  if (!m) return undefined;
  return { dateAdded: Number(m[1]), seq: Number(m[2]) };
}

/** Makes later date_added values exceed one already stored (e.g. after a restart with a clock step back). */
export function observeDateAdded(us: number): void {
  if (us > last) last = us;
}
