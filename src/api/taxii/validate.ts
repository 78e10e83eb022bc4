/**
 * The check every posted object passes before it is stored: the STIX 2.1 validator of src/stix
 * (`validateObject`: every object type, common properties, patterns), plus what this server
 * adds: only STIX 2.1 is stored (TAXII 2.1 "latest spec version" is then every stored version).
 */
import { validateObject, type ValidationIssue } from '../../stix/index.js';

function describe(i: ValidationIssue): string {
  return `${i.path ? `${i.path}: ` : ''}${i.message} [${i.code}]`;
}

/** Problems with one object (empty when it may be stored). */
export function checkObject(obj: unknown): string[] {
  const r = validateObject(obj);
  const errs = r.errors.map(describe);
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    const sv = (obj as Record<string, unknown>).spec_version;
    if (sv !== undefined && sv !== '2.1') errs.push(`spec_version: '${String(sv).slice(0, 20)}' is not 2.1; this server stores STIX 2.1 only`);
  }
  return errs;
}
