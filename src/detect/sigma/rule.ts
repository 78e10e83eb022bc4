import type { Level } from '../types.js';
import { LEVELS } from '../types.js';
import { SigmaError } from './errors.js';

/**
 * The three kinds of Sigma documents (Sigma v2.1): detection rules, correlation rules
 * (sigma-correlation-rules-specification) and meta filters (sigma-filters-specification).
 * Parsing checks shape only; compile.ts turns them into matchers.
 */
export interface Logsource {
  product?: string;
  category?: string;
  service?: string;
  [k: string]: unknown;
}

interface Common {
  file: string;
  /** 0-based index of the YAML document in its file. */
  doc: number;
  id: string;
  name?: string;
  title: string;
  level: Level;
  tags: string[];
  status?: string;
  description?: string;
  author?: string;
  references?: string[];
  falsepositives?: string[];
}

export interface SigmaRule extends Common {
  kind: 'rule';
  logsource: Logsource;
  detection: Record<string, unknown>;
  conditions: string[];
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile';

export interface CorrelationRule extends Common {
  kind: 'correlation';
  type: CorrelationType;
  rules: string[];
  groupBy: string[];
  /** window length in ms */
  timespan: number;
  condition: { field?: string; percentile?: number; ops: [string, number][] } | undefined;
  /** alias → (rule name/id → field) */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
}

export interface FilterRule extends Common {
  kind: 'filter';
  logsource: Logsource;
  rules: string[];
  detection: Record<string, unknown>;
  conditions: string[];
}

export type SigmaDocument = SigmaRule | CorrelationRule | FilterRule;

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v));
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

/** Sigma timespans (Sigma correlation spec §timespan): number + s, m, h, d (also w, M, y). */
export function parseTimespan(v: unknown): number {
  const m = /^(\d+)\s*([smhdwMy])$/.exec(String(v ?? '').trim());
  if (!m) throw new SigmaError('correlation', `invalid timespan '${String(v)}' (expected e.g. 30s, 5m, 1h, 2d)`);
  const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, M: 30 * 86400e3, y: 365 * 86400e3 }[m[2]]!;
  return Number(m[1]) * unit;
}

function common(o: Record<string, unknown>, file: string, doc: number): Common {
  const title = str(o.title);
  if (!title) throw new SigmaError('rule', `rule has no title`, { file });
  const levelText = str(o.level)?.toLowerCase() ?? 'medium';
  const level = (LEVELS as readonly string[]).includes(levelText) ? (levelText as Level) : 'medium';
  const id = str(o.id) ?? str(o.name) ?? `${file}#${doc}`;
  return {
    file,
    doc,
    id,
    name: str(o.name),
    title,
    level,
    tags: strList(o.tags),
    status: str(o.status),
    description: str(o.description),
    author: str(o.author),
    references: strList(o.references),
    falsepositives: strList(o.falsepositives),
  };
}

function conditionsOf(det: Record<string, unknown>, file: string): string[] {
  const c = det.condition;
  if (c === undefined) throw new SigmaError('detection', `detection has no condition`, { file });
  const list = Array.isArray(c) ? c : [c];
  if (list.length === 0 || list.some((x) => typeof x !== 'string'))
    throw new SigmaError('detection', `condition must be a string or a list of strings`, { file });
  return list as string[];
}

export function parseDocument(o: unknown, file: string, doc: number): SigmaDocument {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new SigmaError('rule', `document is not a YAML map`, { file });
  const r = o as Record<string, unknown>;
  if (r.action !== undefined) throw new SigmaError('rule', `'action: ${String(r.action)}' collections are not part of Sigma v2`, { file });
  if (r.correlation !== undefined) return parseCorrelation(r, file, doc);
  if (r.filter !== undefined) {
    const f = r.filter as Record<string, unknown>;
    if (typeof f !== 'object' || f === null) throw new SigmaError('filter', `'filter' must be a map`, { file });
    return {
      kind: 'filter',
      ...common(r, file, doc),
      logsource: (r.logsource ?? {}) as Logsource,
      rules: strList(f.rules),
      detection: f,
      conditions: conditionsOf(f, file),
    };
  }
  const det = r.detection;
  if (det === null || typeof det !== 'object' || Array.isArray(det)) throw new SigmaError('rule', `rule has no detection map`, { file });
  const ls = r.logsource;
  if (ls === null || typeof ls !== 'object') throw new SigmaError('rule', `rule has no logsource map`, { file });
  return {
    kind: 'rule',
    ...common(r, file, doc),
    logsource: ls as Logsource,
    detection: det as Record<string, unknown>,
    conditions: conditionsOf(det as Record<string, unknown>, file),
  };
}

const TYPES: CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile'];

function parseCorrelation(r: Record<string, unknown>, file: string, doc: number): CorrelationRule {
  const c = r.correlation as Record<string, unknown>;
  if (c === null || typeof c !== 'object') throw new SigmaError('correlation', `'correlation' must be a map`, { file });
  const type = str(c.type) as CorrelationType;
  if (!TYPES.includes(type)) throw new SigmaError('correlation', `unknown correlation type '${String(c.type)}'`, { file });
  const rules = strList(c.rules);
  if (rules.length === 0) throw new SigmaError('correlation', `correlation names no rules`, { file });
  let condition: CorrelationRule['condition'];
  if (c.condition !== undefined) {
    if (typeof c.condition !== 'object' || c.condition === null) throw new SigmaError('correlation', `condition must be a map like {gte: 10}`, { file });
    const ops: [string, number][] = [];
    let field: string | undefined;
    let percentile: number | undefined;
    for (const [k, v] of Object.entries(c.condition as Record<string, unknown>)) {
      if (k === 'field') field = String(v);
      else if (k === 'percentile') percentile = Number(v);
      else if (['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].includes(k)) ops.push([k, Number(v)]);
      else throw new SigmaError('correlation', `unknown condition operator '${k}'`, { file });
    }
    condition = { field, percentile, ops };
  } else if (type !== 'temporal' && type !== 'temporal_ordered') {
    throw new SigmaError('correlation', `${type} needs a condition`, { file });
  }
  if (type !== 'event_count' && type !== 'temporal' && type !== 'temporal_ordered' && !condition?.field)
    throw new SigmaError('correlation', `${type} needs condition.field`, { file });
  const aliases: CorrelationRule['aliases'] = {};
  if (c.aliases && typeof c.aliases === 'object') {
    for (const [a, m] of Object.entries(c.aliases as Record<string, unknown>)) aliases[a] = Object.fromEntries(Object.entries(m as object).map(([k, v]) => [k, String(v)]));
  }
  return {
    kind: 'correlation',
    ...common(r, file, doc),
    type,
    rules,
    groupBy: strList(c['group-by']),
    timespan: parseTimespan(c.timespan),
    condition,
    aliases,
    generate: c.generate === true,
  };
}
