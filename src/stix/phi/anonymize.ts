/**
 * Anonymous sharing: peers receive the intelligence but not who reported it. Every reference to
 * the organisation's identities (created_by_ref, sighting where_sighted_refs, relationship ends …)
 * is replaced by one well-known anonymous identity, and the organisation's identity objects are
 * dropped. One shared anonymous identity (rather than a per-organisation pseudonym) is used on
 * purpose: a stable pseudonym would let peers link reports together and re-identify the source.
 */

/** Fixed id (UUIDv4 chosen once for Ward) so all anonymous reports share one identity. */
export const ANONYMOUS_IDENTITY_ID = 'identity--7c9c1f5e-3f4a-4b8e-9d2a-5a0f6b1c2d3e';

export function anonymousIdentity(): Record<string, unknown> {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: ANONYMOUS_IDENTITY_ID,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: 'Anonymous (shared through Ward)',
    identity_class: 'unknown',
  };
}

function replaceRefs(value: unknown, orgIds: ReadonlySet<string>, key: string | undefined): unknown {
  if (typeof value === 'string') {
    return key && /_refs?$/.test(key) && orgIds.has(value) ? ANONYMOUS_IDENTITY_ID : value;
  }
  if (Array.isArray(value)) {
    const mapped = value.map((v) => replaceRefs(v, orgIds, key));
    // where_sighted_refs etc. must not list the anonymous identity twice.
    return key && key.endsWith('_refs') ? [...new Set(mapped)] : mapped;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      Object.defineProperty(out, k, { value: replaceRefs(v, orgIds, k), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/**
 * Copies of `objects` with the organisation's identities withheld. The anonymous identity object
 * is added once when anything referred to it.
 */
export function anonymize(objects: readonly Record<string, unknown>[], orgIdentities: readonly string[]): Record<string, unknown>[] {
  const ids = new Set(orgIdentities);
  const out: Record<string, unknown>[] = [];
  let used = false;
  for (const obj of objects) {
    if (typeof obj.id === 'string' && ids.has(obj.id)) continue;
    const copy = replaceRefs(obj, ids, undefined) as Record<string, unknown>;
    if (JSON.stringify(copy).includes(ANONYMOUS_IDENTITY_ID)) used = true;
    out.push(copy);
  }
  if (used && !out.some((o) => o.id === ANONYMOUS_IDENTITY_ID)) out.unshift(anonymousIdentity());
  return out;
}
