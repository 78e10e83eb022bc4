/** Query parameters of TAXII 2.1 filtering and pagination → ObjectQuery, with 400s. */
import { toMicros, type ObjectQuery } from '../../store/index.js';
import { badRequest } from './errors.js';

type Filter = 'id' | 'type' | 'version' | 'spec_version';

function values(url: URL, name: string): string[] | undefined {
  const all = url.searchParams.getAll(name);
  if (all.length === 0) return undefined;
  const out = all.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (out.length === 0) throw badRequest(`${name}: empty value`);
  if (out.length > 1000) throw badRequest(`${name}: more than 1000 values`);
  return out;
}

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function parseQuery(url: URL, allowed: readonly Filter[], pageDefault: number, pageMax: number, paging = true): ObjectQuery {
  const q: ObjectQuery = {};
  for (const key of url.searchParams.keys()) {
    const m = /^match\[(.+)\]$/.exec(key);
    if (m && !(allowed as readonly string[]).includes(m[1])) throw badRequest(`${key} is not supported on this endpoint`);
  }
  if (allowed.includes('id')) q.ids = values(url, 'match[id]');
  if (allowed.includes('type')) q.types = values(url, 'match[type]');
  if (allowed.includes('version')) {
    q.versions = values(url, 'match[version]');
    for (const v of q.versions ?? []) {
      if (!['first', 'last', 'all'].includes(v) && !TS.test(v)) throw badRequest(`match[version]: '${v}' is not first, last, all or a timestamp`);
    }
  }
  if (allowed.includes('spec_version')) q.specVersions = values(url, 'match[spec_version]');
  if (!paging) return q;
  const after = url.searchParams.get('added_after');
  if (after !== null) {
    if (toMicros(after) === undefined) throw badRequest(`added_after: '${after.slice(0, 60)}' is not an RFC 3339 timestamp`);
    q.addedAfter = after;
  }
  const limit = url.searchParams.get('limit');
  if (limit !== null) {
    if (!/^\d{1,9}$/.test(limit) || Number(limit) < 1) throw badRequest(`limit: '${limit.slice(0, 20)}' is not a positive integer`);
    q.limit = Math.min(Number(limit), pageMax);
  } else q.limit = pageDefault;
  const next = url.searchParams.get('next');
  if (next !== null) q.next = next;
  return q;
}
