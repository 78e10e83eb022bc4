/**
 * TAXII 2.1 media types and content negotiation (TAXII 2.1 "Content Negotiation").
 * Responses are `application/taxii+json;version=2.1`; object endpoints may also be asked for
 * `application/stix+json;version=2.1`, answered with a STIX bundle (STIX 2.1 §8). A media type
 * without a version means the latest (2.1); any other version is refused with 406 (415 for bodies).
 */
export const TAXII_MEDIA = 'application/taxii+json;version=2.1';
export const STIX_MEDIA = 'application/stix+json;version=2.1';

export type Negotiated = 'taxii' | 'stix';

interface MediaRange {
  type: string;
  version?: string;
  q: number;
}

function parseRange(part: string): MediaRange | undefined {
  const [head, ...params] = part.split(';').map((s) => s.trim());
  if (!head || !/^[\w.+*-]+\/[\w.+*-]+$/.test(head)) return undefined;
  const r: MediaRange = { type: head.toLowerCase(), q: 1 };
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const k = p.slice(0, eq).trim().toLowerCase();
    const v = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
    if (k === 'version') r.version = v;
    else if (k === 'q') r.q = Number(v) || 0;
  }
  return r;
}

/**
 * Which representation the Accept header allows, preferring TAXII; undefined means 406.
 * No Accept header at all is taken as TAXII (lenient toward simple clients like curl).
 */
export function negotiate(accept: string | undefined, allowStix: boolean): Negotiated | undefined {
  if (!accept || !accept.trim()) return 'taxii';
  const ranges = accept.split(',').map(parseRange).filter((r): r is MediaRange => !!r && r.q > 0);
  ranges.sort((a, b) => b.q - a.q);
  for (const r of ranges) {
    const versionOk = r.version === undefined || r.version === '2.1';
    if (r.type === 'application/taxii+json' && versionOk) return 'taxii';
    if (r.type === 'application/stix+json' && versionOk && allowStix) return 'stix';
    if (r.type === '*/*' || r.type === 'application/*') return 'taxii';
  }
  return undefined;
}

/** The body kind a Content-Type announces; undefined means 415. */
export function bodyKind(contentType: string | undefined): Negotiated | undefined {
  if (!contentType) return undefined;
  const r = parseRange(contentType);
  if (!r || (r.version !== undefined && r.version !== '2.1')) return undefined;
  if (r.type === 'application/taxii+json') return 'taxii';
  if (r.type === 'application/stix+json') return 'stix';
  return undefined;
}
