import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { dataPath } from '../../util/index.js';

/** Canonical EHR access fields (data/mappings/ehr-access.yaml). */
export const EHR_FIELDS = [
  'timestamp', 'user', 'user_name', 'role', 'department', 'patient', 'patient_name', 'action', 'workstation', 'ip',
  'break_glass_reason', 'application', 'outcome', 'session',
] as const;
export type EhrField = (typeof EHR_FIELDS)[number];

export interface EhrMapping {
  columns: Partial<Record<EhrField, string[]>>;
  required: EhrField[];
  timestampFormat?: string;
  timezone?: string;
  /** Where the mapping came from (for messages). */
  source: string;
}

const norm = (s: string): string => s.toLowerCase().replace(/[\s_\-.]/g, '');

let defaults: EhrMapping | undefined;

interface MappingDoc {
  columns?: Record<string, string | string[]>;
  required?: string[];
  timestampFormat?: string;
  timezone?: string;
}

function fromDoc(doc: MappingDoc, source: string): EhrMapping {
  const columns: Partial<Record<EhrField, string[]>> = {};
  for (const [k, v] of Object.entries(doc.columns ?? {})) {
    if (!(EHR_FIELDS as readonly string[]).includes(k)) throw new Error(`${source}: unknown EHR field "${k}" (known: ${EHR_FIELDS.join(', ')})`);
    columns[k as EhrField] = Array.isArray(v) ? v.map(String) : [String(v)];
  }
  return { columns, required: (doc.required ?? []) as EhrField[], timestampFormat: doc.timestampFormat, timezone: doc.timezone, source };
}

export function defaultMapping(): EhrMapping {
  return (defaults ??= fromDoc(yaml.load(readFileSync(dataPath('mappings', 'ehr-access.yaml'), 'utf8')) as MappingDoc, 'data/mappings/ehr-access.yaml'));
}

/** The mapping for a log file: defaults, overridden by a sidecar mapping next to the file. */
export function mappingFor(path: string): EhrMapping {
  const base = defaultMapping();
  for (const side of [`${path}.mapping.yaml`, join(dirname(path), 'ehr-mapping.yaml')]) {
    if (!existsSync(side) || basename(side) === basename(path)) continue;
    const o = fromDoc(yaml.load(readFileSync(side, 'utf8')) as MappingDoc, side);
    return {
      columns: { ...base.columns, ...o.columns },
      required: o.required.length ? o.required : base.required,
      timestampFormat: o.timestampFormat ?? base.timestampFormat,
      timezone: o.timezone ?? base.timezone,
      source: side,
    };
  }
  return base;
}

/** Resolves header names to canonical fields; returns the missing required ones too. */
export function resolveColumns(header: string[], m: EhrMapping): { index: Partial<Record<EhrField, string>>; missing: EhrField[] } {
  const byNorm = new Map(header.map((h) => [norm(h), h]));
  const index: Partial<Record<EhrField, string>> = {};
  for (const field of EHR_FIELDS) {
    for (const cand of m.columns[field] ?? []) {
      const h = byNorm.get(norm(cand));
      if (h !== undefined) {
        index[field] = h;
        break;
      }
    }
  }
  return { index, missing: m.required.filter((r) => index[r] === undefined) };
}

/** Timestamp text → ISO 8601 per the mapping's format and zone; undefined when unparseable. */
export function ehrTime(v: string, m: EhrMapping): string | undefined {
  const s = v.trim();
  if (!s) return undefined;
  const fmt = m.timestampFormat ?? 'iso';
  const zone = m.timezone ?? 'Z';
  let t: number;
  if (fmt === 'epoch-ms') t = Number(s);
  else if (fmt === 'epoch-s') t = Number(s) * 1000;
  else if (fmt === 'iso') {
    let x = s.charAt(10) === ' ' ? `${s.slice(0, 10)}T${s.slice(11)}` : s;
    if (!/[zZ]|[+-]\d\d:?\d\d$/.test(x)) x += zone;
    t = Date.parse(x);
  } else {
    // A pattern of YYYY MM DD HH mm ss tokens, e.g. "MM/DD/YYYY HH:mm:ss".
    const order: string[] = [];
    const re = new RegExp(
      '^' + fmt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/YYYY|MM|DD|HH|mm|ss/g, (tok) => (order.push(tok), tok === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})')) + '$',
    );
    const mm = re.exec(s);
    if (!mm) return undefined;
    const part: Record<string, string> = {};
    order.forEach((tok, i) => (part[tok] = mm[i + 1].padStart(2, '0')));
    t = Date.parse(`${part.YYYY}-${part.MM ?? '01'}-${part.DD ?? '01'}T${part.HH ?? '00'}:${part.mm ?? '00'}:${part.ss ?? '00'}${zone}`);
  }
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}
