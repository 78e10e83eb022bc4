/**
 * TAXII 2.1 §3.4 filters → one SQL WHERE clause over stix_objects (alias o).
 * match[version] (§3.4.2): 'last' and 'first' pick the newest/oldest version of each object among
 * those that pass the spec_version filter; a timestamp picks that exact version; 'all' every one.
 * added_after applies to the selected versions' own date_added.
 */
import { WardError } from '../../util/index.js';
import type { SqlValue } from './sql.js';
import { decodeCursor, toMicros, versionKey } from './time.js';
import type { ObjectQuery } from './types.js';

export const MAX_LIMIT = 10_000;

export interface BuiltQuery {
  where: string;
  params: SqlValue[];
}

function inList(column: string, values: readonly string[], params: SqlValue[]): string {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(', ')})`;
}

export function buildWhere(collectionId: string, q: ObjectQuery, withCursor: boolean): BuiltQuery {
  const params: SqlValue[] = [collectionId];
  const where: string[] = ['o.collection_id = ?'];
  if (q.ids?.length) where.push(inList('o.id', q.ids, params));
  if (q.types?.length) where.push(inList('o.type', q.types, params));
  const spec = q.specVersions?.length ? q.specVersions : undefined;
  if (spec) where.push(inList('o.spec_version', spec, params));

  const versions = q.versions?.length ? q.versions : ['last'];
  if (!versions.includes('all')) {
    const alts: string[] = [];
    for (const v of versions) {
      if (v === 'last' && !spec) {
        alts.push('o.is_last = 1');
      } else if (v === 'last' || v === 'first') {
        const agg = v === 'last' ? 'MAX' : 'MIN';
        const sub = [`s.collection_id = o.collection_id`, `s.id = o.id`];
        if (spec) sub.push(inList('s.spec_version', spec, params));
        alts.push(`o.version_key = (SELECT ${agg}(s.version_key) FROM stix_objects s WHERE ${sub.join(' AND ')})`);
      } else {
        const key = versionKey(v);
        if (!key) throw new WardError('store-bad-filter', `match[version]: '${v}' is not last, first, all or a STIX timestamp`);
        params.push(key);
        alts.push('o.version_key = ?');
      }
    }
    where.push(`(${alts.join(' OR ')})`);
  }
  if (q.addedAfter !== undefined) {
    const us = toMicros(q.addedAfter);
    if (us === undefined) throw new WardError('store-bad-filter', `added_after: '${q.addedAfter}' is not an RFC 3339 timestamp`);
    params.push(us);
    where.push('o.date_added > ?');
  }
  if (withCursor && q.next !== undefined) {
    const c = decodeCursor(q.next);
    if (!c) throw new WardError('store-bad-cursor', `next: '${q.next}' is not a cursor this server issued`);
    params.push(c.dateAdded, c.dateAdded, c.seq);
    // Written out rather than as a row value so both engines use the (collection, date_added, seq) index.
    where.push('(o.date_added > ? OR (o.date_added = ? AND o.seq > ?))');
  }
  return { where: where.join(' AND '), params };
}

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return 1000;
  if (!Number.isInteger(limit) || limit < 1) throw new WardError('store-bad-filter', `limit: must be a positive integer`);
  return Math.min(limit, MAX_LIMIT);
}
