import { createHash, randomUUID } from 'node:crypto';
import { canonicalize } from './jcs.js';

/** STIX 2.1 §2.9: the UUIDv5 namespace for SCO identifiers. */
export const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** RFC 4122 §4.3 name-based UUID, version 5 (SHA-1). */
export function uuidv5(name: string, namespace = SCO_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * ID Contributing Properties of each SCO type (STIX 2.1 §6, "ID Contributing Properties" of each
 * object). Types absent here (process, and custom SCOs without a declaration) get UUIDv4 ids.
 */
export const ID_CONTRIBUTING_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

/**
 * §2.9: of a `hashes` dictionary only one hash contributes, the first present of MD5, SHA-1,
 * SHA-256, SHA-512 (else the first key), so that adding a stronger hash later keeps the id.
 */
function chooseOneHash(hashes: Record<string, unknown>): Record<string, unknown> {
  for (const k of ['MD5', 'SHA-1', 'SHA-256', 'SHA-512']) if (hashes[k] !== undefined) return { [k]: hashes[k] };
  const first = Object.keys(hashes)[0];
  return first === undefined ? {} : { [first]: hashes[first] };
}

/**
 * The deterministic id of an SCO (§2.9): UUIDv5 in the SCO namespace over the JCS (RFC 8785)
 * serialization of an object holding the type's ID contributing properties that are present.
 * When none is present, or the type has none, the id is a random UUIDv4 as §2.9 prescribes.
 */
export function scoId(type: string, props: Record<string, unknown>, contributing = ID_CONTRIBUTING_PROPERTIES[type]): string {
  const name: Record<string, unknown> = {};
  if (contributing) {
    for (const p of contributing) {
      let v = props[p];
      if (v === undefined || v === null) continue;
      if (p === 'hashes' && typeof v === 'object' && !Array.isArray(v)) v = chooseOneHash(v as Record<string, unknown>);
      if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
      name[p] = v;
    }
  }
  if (Object.keys(name).length === 0) return `${type}--${randomUUID()}`;
  return `${type}--${uuidv5(canonicalize(name))}`;
}
