/** Helpers shared by the health layouts (FHIR AuditEvent, ATNA, HL7 ADT, EHR access logs). */

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Codes of a Coding, a CodeableConcept, or a list of either. */
export function codes(v: unknown): string[] {
  const out: string[] = [];
  for (const x of arr(v)) {
    const o = obj(x);
    if (!o) continue;
    if (typeof o.code === 'string') out.push(o.code);
    for (const c of arr(o.coding)) {
      const co = obj(c);
      if (co && typeof co.code === 'string') out.push(co.code);
    }
  }
  return out;
}

/** Display texts of a Coding / CodeableConcept (list). */
export function displays(v: unknown): string[] {
  const out: string[] = [];
  for (const x of arr(v)) {
    const o = obj(x);
    if (!o) continue;
    if (typeof o.display === 'string') out.push(o.display);
    if (typeof o.text === 'string') out.push(o.text);
    for (const c of arr(o.coding)) {
      const co = obj(c);
      if (co && typeof co.display === 'string') out.push(co.display);
    }
  }
  return out;
}

/**
 * Classifies an address so rules can say "from outside the hospital" without a CIDR list:
 * RFC 1918 / RFC 4193 private, loopback, link-local, or public. Host names are 'hostname'.
 */
export function networkScope(addr: string | undefined): string | undefined {
  if (!addr) return undefined;
  const a = addr.trim().replace(/^\[|\]$/g, '');
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (m) {
    const [o1, o2] = [Number(m[1]), Number(m[2])];
    if (o1 === 10 || (o1 === 172 && o2 >= 16 && o2 <= 31) || (o1 === 192 && o2 === 168)) return 'private';
    if (o1 === 127) return 'loopback';
    if (o1 === 169 && o2 === 254) return 'link-local';
    if (o1 === 100 && o2 >= 64 && o2 <= 127) return 'private'; // RFC 6598 carrier-grade NAT
    return 'public';
  }
  if (a.includes(':')) {
    const l = a.toLowerCase();
    if (l === '::1') return 'loopback';
    if (l.startsWith('fe80:')) return 'link-local';
    if (/^f[cd][0-9a-f]{2}:/.test(l)) return 'private';
    return 'public';
  }
  return 'hostname';
}

/** Decodes base64 (FHIR base64Binary, DICOM ParticipantObjectQuery); undefined when not base64. */
export function decodeBase64(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const s = v.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) return v; // already plain text (seen in the wild)
  return Buffer.from(s, 'base64').toString('utf8');
}

/** First FHIR operation name (`$export`, `$everything` …) in any of the strings. */
export function operationIn(...texts: (string | undefined)[]): string | undefined {
  for (const t of texts) {
    if (!t) continue;
    const m = /\$([A-Za-z][\w-]*)/.exec(t);
    if (m) return `$${m[1]}`;
  }
  return undefined;
}

/** `Patient/123` or `https://x/fhir/Patient/123/_history/2` → `123`. */
export function idFromRef(ref: string | undefined, type = 'Patient'): string | undefined {
  if (!ref) return undefined;
  const m = new RegExp(`(?:^|/)${type}/([^/?#]+)`).exec(ref);
  return m ? m[1] : undefined;
}

export function resourceTypeOf(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/[^/]+(?:\/_history\/[^/]+)?$/.exec(ref.split(/[?#]/)[0]);
  return m ? m[1] : undefined;
}

/** Drops undefined values so `get()` falls through to the raw record only for absent fields. */
export function compact(f: Obj): Obj {
  // A new object rather than `delete`; without a prototype, like every layout's fields, so a rule
  // reading a field named `constructor` or `toString` finds nothing inherited.
  const out: Obj = Object.create(null);
  for (const k in f) if (f[k] !== undefined) out[k] = f[k];
  return out;
}
