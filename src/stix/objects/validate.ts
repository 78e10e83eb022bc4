import { appendAll } from '../../util/index.js';
import { validatePattern } from '../pattern/index.js';
import { parseCidr } from '../pattern/ip.js';
import { COMMON_SCO, COMMON_SDO, COMMON_SDO_REQUIRED, TYPES, type Prop, type TypeSpec } from './schema.js';

/** A rule of STIX 2.1 an object breaks: which object (id), where (property path) and why. */
export interface ValidationIssue {
  id?: string;
  type?: string;
  /** Property path inside the object, e.g. `external_references[0].source_name`; '' = the object. */
  path: string;
  code: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: ValidationIssue[];
  /** Not spec violations, but worth telling (unknown types, property names outside §3.1). */
  warnings: ValidationIssue[];
}

export const TIMESTAMP_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const TYPE_RE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PROP_NAME_RE = /^[a-z0-9_]{3,250}$/;
// Predefined extension names of §6 (other keys must be extension-definition ids or x- names).
const PREDEFINED_EXTENSIONS = new Set([
  'archive-ext', 'ntfs-ext', 'pdf-ext', 'raster-image-ext', 'windows-pebinary-ext', 'http-request-ext', 'icmp-ext',
  'socket-ext', 'tcp-ext', 'windows-process-ext', 'windows-service-ext', 'unix-account-ext',
]);
const HASH_HEX_LENGTH: Record<string, number> = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64, 'SHA-512': 128, 'SHA3-256': 64, 'SHA3-512': 128 };

export function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && TIMESTAMP_RE.test(v) && !Number.isNaN(Date.parse(v));
}

/** `type--uuid` with a well-formed RFC 4122 UUID (§2.9). */
export function isIdentifier(v: unknown, types?: readonly string[]): v is string {
  if (typeof v !== 'string') return false;
  const i = v.indexOf('--');
  if (i < 0 || !UUID_RE.test(v.slice(i + 2))) return false;
  return !types || types.length === 0 || types.includes(v.slice(0, i));
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function key(path: string, k: string): string {
  const seg = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `'${k.replace(/'/g, "\\'")}'`;
  return path ? `${path}.${seg}` : seg;
}

class Checker {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  constructor(
    private readonly id: string | undefined,
    private readonly type: string | undefined,
    private readonly prefix: string,
  ) {}
  err(path: string, code: string, message: string): void {
    this.errors.push({ id: this.id, type: this.type, path: this.prefix + path, code, message });
  }
  warn(path: string, code: string, message: string): void {
    this.warnings.push({ id: this.id, type: this.type, path: this.prefix + path, code, message });
  }

  prop(path: string, v: unknown, p: Prop): void {
    switch (p.k) {
      case 'string':
        if (typeof v !== 'string') return this.err(path, 'bad-type', 'must be a string');
        if (p.nonEmpty && v.length === 0) return this.err(path, 'empty', 'must not be empty');
        if (p.enum && !p.enum.includes(v)) this.err(path, 'bad-value', `must be one of ${p.enum.join(', ')}`);
        return;
      case 'timestamp':
        if (!isTimestamp(v)) this.err(path, 'bad-timestamp', 'must be an RFC 3339 UTC timestamp such as 2016-05-12T08:17:27.000Z (§2.14)');
        return;
      case 'boolean':
        if (typeof v !== 'boolean') this.err(path, 'bad-type', 'must be a boolean');
        return;
      case 'integer':
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || (p.k === 'integer' && !Number.isInteger(v))) return this.err(path, 'bad-type', `must be ${p.k === 'integer' ? 'an integer' : 'a number'}`);
        if ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)) this.err(path, 'out-of-range', `must be between ${p.min ?? '-∞'} and ${p.max ?? '∞'}`);
        return;
      case 'ref':
        if (!isIdentifier(v)) return this.err(path, 'bad-ref', 'must be a STIX identifier (type--UUID)');
        if (p.types && p.types.length && !isIdentifier(v, p.types)) this.err(path, 'bad-ref-type', `must refer to ${p.types.join(' or ')}`);
        return;
      case 'refs':
        if (!Array.isArray(v)) return this.err(path, 'bad-type', 'must be a list of identifiers');
        if (p.nonEmpty && v.length === 0) this.err(path, 'empty', 'must not be empty');
        v.forEach((x, i) => this.prop(`${path}[${i}]`, x, { k: 'ref', types: p.types }));
        return;
      case 'strings':
        if (!Array.isArray(v)) return this.err(path, 'bad-type', 'must be a list of strings');
        if (p.nonEmpty && v.length === 0) this.err(path, 'empty', 'must not be empty');
        v.forEach((x, i) => typeof x !== 'string' && this.err(`${path}[${i}]`, 'bad-type', 'must be a string'));
        return;
      case 'hashes':
        if (!isPlain(v)) return this.err(path, 'bad-type', 'must be a dictionary of hashes (§2.7)');
        if (Object.keys(v).length === 0) this.err(path, 'empty', 'must hold at least one hash');
        for (const [alg, h] of Object.entries(v)) {
          const hp = key(path, alg);
          if (typeof h !== 'string' || h.length === 0) {
            this.err(hp, 'bad-type', 'hash value must be a non-empty string');
            continue;
          }
          const len = HASH_HEX_LENGTH[alg];
          if (len !== undefined && (h.length !== len || !/^[0-9a-fA-F]+$/.test(h))) this.err(hp, 'bad-hash', `${alg} must be ${len} hex digits`);
        }
        return;
      case 'dict':
        if (!isPlain(v)) this.err(path, 'bad-type', 'must be a dictionary');
        return;
      case 'list':
        if (!Array.isArray(v)) this.err(path, 'bad-type', 'must be a list');
        return;
      case 'kill-chain-phases':
        if (!Array.isArray(v)) return this.err(path, 'bad-type', 'must be a list of kill-chain phases (§2.8)');
        v.forEach((x, i) => {
          const pp = `${path}[${i}]`;
          if (!isPlain(x)) return this.err(pp, 'bad-type', 'must be an object');
          for (const f of ['kill_chain_name', 'phase_name']) if (typeof x[f] !== 'string' || x[f] === '') this.err(key(pp, f), 'missing', `${f} is required`);
        });
        return;
      case 'external-references':
        if (!Array.isArray(v)) return this.err(path, 'bad-type', 'must be a list of external references (§2.5)');
        v.forEach((x, i) => {
          const pp = `${path}[${i}]`;
          if (!isPlain(x)) return this.err(pp, 'bad-type', 'must be an object');
          if (typeof x.source_name !== 'string' || x.source_name === '') this.err(key(pp, 'source_name'), 'missing', 'source_name is required');
          // §2.5: at least one of description, url or external_id.
          if (x.description === undefined && x.url === undefined && x.external_id === undefined) this.err(pp, 'missing', 'needs description, url or external_id');
          if (x.hashes !== undefined) this.prop(key(pp, 'hashes'), x.hashes, { k: 'hashes' });
        });
        return;
      case 'granular-markings':
        if (!Array.isArray(v)) return this.err(path, 'bad-type', 'must be a list of granular markings (§7.2.3)');
        v.forEach((x, i) => {
          const pp = `${path}[${i}]`;
          if (!isPlain(x)) return this.err(pp, 'bad-type', 'must be an object');
          if (!Array.isArray(x.selectors) || x.selectors.length === 0) this.err(key(pp, 'selectors'), 'missing', 'selectors is required');
          if (x.marking_ref === undefined && x.lang === undefined) this.err(pp, 'missing', 'needs marking_ref or lang');
          if (x.marking_ref !== undefined) this.prop(key(pp, 'marking_ref'), x.marking_ref, { k: 'ref', types: ['marking-definition'] });
        });
        return;
      case 'extensions':
        if (!isPlain(v)) return this.err(path, 'bad-type', 'must be a dictionary of extensions (§7.3)');
        for (const [name, ext] of Object.entries(v)) {
          const ep = key(path, name);
          if (!isPlain(ext)) this.err(ep, 'bad-type', 'extension must be an object');
          if (!PREDEFINED_EXTENSIONS.has(name) && !name.startsWith('x-') && !isIdentifier(name, ['extension-definition'])) {
            this.warn(ep, 'unknown-extension', 'not a predefined extension nor an extension-definition id (kept as is)');
          }
        }
        return;
    }
  }
}

/**
 * Validates one STIX 2.1 object. Unknown properties and custom extensions are accepted and left
 * in place: validation never changes or drops data.
 */
export function validateObject(obj: unknown, pathPrefix = ''): ValidationResult {
  if (!isPlain(obj)) {
    const c = new Checker(undefined, undefined, pathPrefix);
    c.err('', 'not-object', 'a STIX object must be a JSON object');
    return { ok: false, errors: c.errors, warnings: [] };
  }
  const type = typeof obj.type === 'string' ? obj.type : undefined;
  const id = typeof obj.id === 'string' ? obj.id : undefined;
  const c = new Checker(id, type, pathPrefix ? pathPrefix + '.' : '');
  if (type === undefined) c.err('type', 'missing', 'type is required');
  else if (!TYPE_RE.test(type)) c.err('type', 'bad-type-name', 'type must be 3–250 characters of a-z, 0-9 and hyphen (§3.1)');
  if (id === undefined) c.err('id', 'missing', 'id is required');
  else if (!isIdentifier(id)) c.err('id', 'bad-id', 'id must be type--UUID (§2.9)');
  else if (type && !id.startsWith(type + '--')) c.err('id', 'id-type-mismatch', `id must start with "${type}--"`);
  if (type === 'bundle') {
    c.err('type', 'nested-bundle', 'a bundle is not a STIX object; validate it with validateBundle');
    return { ok: false, errors: c.errors, warnings: c.warnings };
  }

  const spec: TypeSpec | undefined = type ? TYPES[type] : undefined;
  // Custom objects (§11.1) are SDO-like when they carry `created`, SCO-like otherwise.
  const category = spec?.category ?? (obj.created !== undefined ? 'sdo' : 'sco');
  if (type && !spec) c.warn('type', type.startsWith('x-') ? 'custom-type' : 'unknown-type', `type ${type} is not a STIX 2.1 type Ward knows; only common properties are checked`);

  const common = category === 'sco' ? COMMON_SCO : category === 'meta' ? {} : COMMON_SDO;
  const required = [...(category === 'sdo' || category === 'sro' ? COMMON_SDO_REQUIRED : []), ...(spec?.required ?? [])];
  for (const r of required) if (obj[r] === undefined) c.err(r, 'missing', `${r} is required for ${type}`);
  if (spec?.oneOf && !spec.oneOf.some((p) => obj[p] !== undefined)) c.err('', 'missing', `${type} needs at least one of ${spec.oneOf.join(', ')}`);
  if (spec?.needsAnyProperty) {
    const own = Object.keys(obj).filter((k) => !['type', 'id', 'spec_version', 'object_marking_refs', 'granular_markings', 'defanged'].includes(k));
    if (own.length === 0) c.err('', 'missing', `${type} must carry at least one property besides type and id`);
  }

  for (const [k, v] of Object.entries(obj)) {
    // An own property holding undefined is what JSON serialization omits: treat it as absent.
    if (k === 'type' || k === 'id' || v === undefined) continue;
    const p = spec?.props?.[k] ?? common[k];
    if (v === null) {
      // §3.1: properties with no value are omitted; JSON null is not allowed.
      c.err(k, 'null', 'null is not allowed; omit the property instead');
      continue;
    }
    if (p) c.prop(k, v, p);
    else if (!PROP_NAME_RE.test(k)) c.warn(k, 'bad-property-name', 'custom property names should be 3–250 characters of a-z, 0-9 and _ (§3.1); kept as is');
  }

  if ((category === 'sdo' || category === 'sro') && isTimestamp(obj.created) && isTimestamp(obj.modified) && Date.parse(obj.modified) < Date.parse(obj.created)) {
    c.err('modified', 'modified-before-created', 'modified must not be earlier than created (§3.2)');
  }
  for (const [a, b, strict] of spec?.order ?? []) {
    if (isTimestamp(obj[a]) && isTimestamp(obj[b])) {
      const ta = Date.parse(obj[a] as string);
      const tb = Date.parse(obj[b] as string);
      if (strict ? tb <= ta : tb < ta) c.err(b, 'bad-order', `${b} must be ${strict ? 'later than' : 'no earlier than'} ${a}`);
    }
  }
  typeSpecific(obj, type, c);
  return { ok: c.errors.length === 0, errors: c.errors, warnings: c.warnings };
}

function typeSpecific(obj: Record<string, unknown>, type: string | undefined, c: Checker): void {
  switch (type) {
    case 'indicator':
      if (obj.pattern_type === 'stix' && typeof obj.pattern === 'string') {
        const r = validatePattern(obj.pattern);
        if (!r.ok) c.err('pattern', `pattern-${r.error.code}`, r.error.message.split('\n')[0]);
      }
      return;
    case 'malware':
      // §4.11: name is required when is_family is true.
      if (obj.is_family === true && obj.name === undefined) c.err('name', 'missing', 'name is required when is_family is true');
      return;
    case 'ipv4-addr':
    case 'ipv6-addr': {
      const cidr = typeof obj.value === 'string' ? parseCidr(obj.value) : undefined;
      if (typeof obj.value === 'string' && (!cidr || cidr.version !== (type === 'ipv4-addr' ? 4 : 6))) c.err('value', 'bad-value', `not an ${type === 'ipv4-addr' ? 'IPv4' : 'IPv6'} address or CIDR block`);
      return;
    }
    case 'mac-addr':
      if (typeof obj.value === 'string' && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(obj.value)) c.err('value', 'bad-value', 'must be a colon-separated lower-case MAC address (§6.10)');
      return;
    case 'artifact':
      // §6.1: payload_bin and url are mutually exclusive; url requires hashes.
      if (obj.payload_bin !== undefined && obj.url !== undefined) c.err('url', 'exclusive', 'payload_bin and url must not both be present');
      if (obj.url !== undefined && obj.hashes === undefined) c.err('hashes', 'missing', 'hashes is required when url is present');
      return;
    case 'marking-definition': {
      const hasDef = obj.definition !== undefined || obj.definition_type !== undefined;
      if ((obj.definition === undefined) !== (obj.definition_type === undefined)) c.err(obj.definition === undefined ? 'definition' : 'definition_type', 'missing', 'definition and definition_type go together (§7.2.1)');
      if (!hasDef && obj.extensions === undefined) c.err('', 'missing', 'a marking-definition needs definition_type/definition or an extension (§7.2.1)');
      if (obj.definition_type === 'tlp' && isPlain(obj.definition) && !['white', 'green', 'amber', 'red'].includes(String(obj.definition.tlp))) c.err('definition.tlp', 'bad-value', 'TLP 1.0 level must be white, green, amber or red');
      if (obj.definition_type === 'statement' && isPlain(obj.definition) && typeof obj.definition.statement !== 'string') c.err('definition.statement', 'missing', 'statement is required');
      return;
    }
  }
}

/** Validates a bundle (§8) and every object in it; paths are `objects[i].…`. */
export function validateBundle(bundle: unknown): ValidationResult {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  if (!isPlain(bundle)) return { ok: false, errors: [{ path: '', code: 'not-object', message: 'a bundle must be a JSON object' }], warnings };
  const id = typeof bundle.id === 'string' ? bundle.id : undefined;
  if (bundle.type !== 'bundle') errors.push({ id, path: 'type', code: 'bad-value', message: 'type must be "bundle"' });
  if (!isIdentifier(bundle.id, ['bundle'])) errors.push({ id, path: 'id', code: 'bad-id', message: 'id must be bundle--UUID' });
  if (bundle.objects !== undefined && !Array.isArray(bundle.objects)) errors.push({ id, path: 'objects', code: 'bad-type', message: 'objects must be a list' });
  if (Array.isArray(bundle.objects)) {
    bundle.objects.forEach((o, i) => {
      const r = validateObject(o, `objects[${i}]`);
      appendAll(errors, r.errors);
      appendAll(warnings, r.warnings);
    });
  }
  return { ok: errors.length === 0, errors, warnings };
}

export function formatIssue(i: ValidationIssue): string {
  return `${i.id ?? i.type ?? '(object)'}${i.path ? ` ${i.path}` : ''}: [${i.code}] ${i.message}`;
}
