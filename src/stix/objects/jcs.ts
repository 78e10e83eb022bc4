/**
 * JSON Canonicalization Scheme (RFC 8785), used for deterministic SCO ids (STIX 2.1 §2.9).
 * ECMAScript's JSON.stringify already serializes numbers (RFC 8785 §3.2.2.3) and escapes strings
 * (§3.2.2.2) the canonical way; what remains is sorting object members by their UTF-16 code units
 * (§3.2.3) and refusing values JSON cannot represent.
 */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('JCS: NaN and Infinity are not JSON');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalize(v === undefined ? null : v)).join(',') + ']';
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalize(obj[k])).join(',') + '}';
  }
  throw new TypeError(`JCS: cannot serialize a ${typeof value}`);
}
