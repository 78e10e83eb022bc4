import type { StixObject } from './types.js';

/**
 * Versioning (STIX 2.1 §3.6): versions of an object share its id and differ by `modified`; the
 * latest is the one with the greatest `modified`. Objects without `modified` (SCOs,
 * marking-definitions) have a single version.
 */
export function versionKey(o: StixObject): string {
  return typeof o.modified === 'string' ? o.modified : typeof o.created === 'string' ? o.created : '';
}

function ms(ts: string): number {
  const t = Date.parse(ts);
  return Number.isNaN(t) ? -Infinity : t;
}

/** Fractional-second digits beyond the millisecond, padded so they compare as text. */
function subMs(ts: string): string {
  const m = /\.(\d+)/.exec(ts);
  return (m ? m[1] : '').padEnd(9, '0').slice(3, 9);
}

/** -1/0/1: how version `a` orders against version `b` of the same object. */
export function compareVersions(a: StixObject, b: StixObject): number {
  const ta = ms(versionKey(a));
  const tb = ms(versionKey(b));
  if (ta !== tb) return ta < tb ? -1 : 1;
  // Same millisecond: finer fractional digits decide (timestamps may carry up to nanoseconds).
  const fa = subMs(versionKey(a));
  const fb = subMs(versionKey(b));
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** The latest version of each id, in first-seen order; older versions are returned separately. */
export function latestVersions<T extends StixObject>(objects: Iterable<T>): { latest: T[]; superseded: T[] } {
  const best = new Map<string, T>();
  const superseded: T[] = [];
  for (const o of objects) {
    const have = best.get(o.id);
    if (!have) best.set(o.id, o);
    else if (compareVersions(o, have) > 0) {
      superseded.push(have);
      best.set(o.id, o);
    } else superseded.push(o);
  }
  return { latest: [...best.values()], superseded };
}

/** §3.2 `revoked`: a revoked object must no longer be used (and cannot be un-revoked). */
export function isRevoked(o: StixObject): boolean {
  return o.revoked === true;
}

/**
 * Whether an indicator is valid at `at` (ms): §4.7 valid_from (inclusive) to valid_until
 * (exclusive), and not revoked.
 */
export function isValidAt(o: StixObject, at: number): boolean {
  if (isRevoked(o)) return false;
  if (typeof o.valid_from === 'string' && ms(o.valid_from) > at) return false;
  if (typeof o.valid_until === 'string' && ms(o.valid_until) <= at) return false;
  return true;
}
