/**
 * The check every posted object passes before it is stored. This is a minimal structural check
 * (STIX 2.1 §2.9 identifiers, §3.1 common properties) standing in until src/stix exports the full
 * `validateObject`; swap the body of `checkObject` then, nothing else changes.
 */

const TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** STIX 2.1 §6: cyber-observable types, for which created/modified are not required. */
const SCO = new Set([
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr',
  'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account',
  'windows-registry-key', 'x509-certificate',
]);

/** Problems with one object (empty when it may be stored). */
export function checkObject(obj: unknown): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return ['not a JSON object'];
  const o = obj as Record<string, unknown>;
  const errs: string[] = [];
  if (typeof o.type !== 'string' || !TYPE.test(o.type)) errs.push('type: missing or not a STIX type name (§2.10)');
  if (typeof o.id !== 'string') errs.push('id: missing');
  else {
    const sep = o.id.indexOf('--');
    if (sep < 0 || o.id.slice(0, sep) !== o.type || !UUID.test(o.id.slice(sep + 2))) {
      errs.push(`id: '${o.id.slice(0, 100)}' is not ${String(o.type)}--<UUID> (§2.9)`);
    }
  }
  const sco = typeof o.type === 'string' && SCO.has(o.type);
  if (o.spec_version !== undefined && o.spec_version !== '2.1') errs.push(`spec_version: '${String(o.spec_version)}' is not 2.1`);
  if (o.spec_version === undefined && !sco) errs.push('spec_version: required for SDOs, SROs and marking definitions (§3.1)');
  if (o.type === 'bundle') errs.push('a bundle is not stored as an object; post its objects');
  for (const k of ['created', 'modified']) {
    const v = o[k];
    if (v === undefined) {
      if (!sco && !(k === 'modified' && o.type === 'marking-definition')) errs.push(`${k}: required (§3.1)`);
    } else if (typeof v !== 'string' || !TS.test(v)) errs.push(`${k}: not a STIX timestamp (§3.2)`);
  }
  if (typeof o.created === 'string' && typeof o.modified === 'string' && o.modified < o.created && TS.test(o.modified)) {
    // Same-precision comparisons are exact; mixed precision is rare enough to accept.
    if (o.modified.length === o.created.length) errs.push('modified: earlier than created (§3.2)');
  }
  return errs;
}
