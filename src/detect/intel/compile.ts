import {
  leafObservations, parseCidr, parsePattern, PatternError, type ComparisonExpr, type Indicator, type Pattern,
} from '../../stix/index.js';
import type { Level, RuleMeta } from '../types.js';
import { pathKey, type PathMapping } from './mapping.js';

/** One comparison an indexed set can answer: path = value (or ISSUBSET block for IPs). */
export interface SimpleTerm {
  key: string;
  value: string;
  /** the comparison as written, for explanations. */
  text: string;
}

/**
 * An indicator ready for matching. It keeps what a detection needs (RuleMeta, built once) and,
 * only for patterns the matcher evaluates, the pattern tree; simple indicators keep neither the
 * tree nor the STIX object, so that the caller's copy of a large feed can be freed after loading.
 */
export class CompiledIndicator {
  readonly rule: RuleMeta;
  constructor(
    readonly slot: number,
    indicator: Indicator,
    /** valid_until in ms, when set (§4.7). */
    readonly validUntil: number | undefined,
    /** Pattern tree, for indicators the STIX matcher evaluates; undefined for simple ones. */
    readonly pattern: Pattern | undefined,
    /** Patterns over several observations (AND/OR/FOLLOWEDBY between observations, qualifiers). */
    readonly multi: boolean,
  ) {
    this.id = indicator.id;
    this.modified = String(indicator.modified ?? '');
    this.rule = ruleMeta(indicator);
  }
  readonly id: string;
  /** `modified` of the version loaded (§3.6), to tell newer versions from older ones. */
  readonly modified: string;
  get simple(): boolean {
    return this.pattern === undefined;
  }
  /** The version as an object compareVersions() accepts. */
  get version(): { type: string; id: string; modified: string } {
    return { type: 'indicator', id: this.id, modified: this.modified };
  }
}

const NO_STRINGS: string[] = [];

function ruleMeta(ind: Indicator): RuleMeta {
  const tags = tagsOf(ind);
  const refs = (ind.external_references ?? []).map((r) => r.url).filter((u): u is string => typeof u === 'string');
  const meta: RuleMeta = { id: ind.id, title: ind.name ?? `Indicator ${ind.id}`, level: levelOf(ind), tags: tags.length ? tags : NO_STRINGS, source: ind.id };
  if (ind.description !== undefined) meta.description = ind.description;
  if (refs.length) meta.references = refs;
  return meta;
}

export interface IntelProblem {
  id?: string;
  code: string;
  message: string;
}

/**
 * The level of a detection from the indicator (issue 3): an explicit `x_ward_level` wins; a benign
 * indicator is informational; otherwise STIX `confidence` (§3.2, 0–100) maps to a level through
 * the None/Low/Med/High scale of STIX 2.1 Appendix A, and unknown confidence gives medium.
 */
export function levelOf(ind: Indicator): Level {
  const explicit = ind.x_ward_level;
  if (typeof explicit === 'string' && ['informational', 'low', 'medium', 'high', 'critical'].includes(explicit)) return explicit as Level;
  const types = [...(ind.indicator_types ?? []), ...(ind.labels ?? [])].map((t) => String(t).toLowerCase());
  if (types.includes('benign')) return 'informational';
  const c = ind.confidence;
  let level: Level = 'medium';
  if (typeof c === 'number') level = c >= 85 ? 'high' : c >= 50 ? 'medium' : c >= 15 ? 'low' : 'informational';
  if (types.includes('critical') || types.includes('attribution')) level = level === 'high' ? 'critical' : 'high';
  if (types.includes('anomalous-activity') && level !== 'informational') level = 'low';
  return level;
}

/** ATT&CK tags in Sigma form (`attack.execution`, `attack.t1059.001`) from kill chains and references. */
export function tagsOf(ind: Indicator): string[] {
  const tags = new Set<string>();
  for (const k of ind.kill_chain_phases ?? []) {
    if (/^mitre-(pre-)?attack$|^mitre-(mobile|ics)-attack$/.test(k.kill_chain_name)) tags.add(`attack.${k.phase_name.toLowerCase().replace(/\s+/g, '-')}`);
  }
  for (const r of ind.external_references ?? []) {
    if (/mitre/i.test(r.source_name) && typeof r.external_id === 'string' && /^T\d{4}(\.\d{3})?$/i.test(r.external_id)) tags.add(`attack.${r.external_id.toLowerCase()}`);
  }
  return [...tags];
}

function simpleTerms(p: Pattern, mapping: Map<string, PathMapping>): SimpleTerm[] | undefined {
  if (p.root.kind !== 'observation') return undefined;
  const out: SimpleTerm[] = [];
  const walk = (e: ComparisonExpr): boolean => {
    if (e.kind === 'or') return walk(e.left) && walk(e.right);
    if (e.kind !== 'cmp' || e.negated) return false;
    const key = pathKey(e.path);
    const m = mapping.get(key);
    if (!m) return false;
    const lits = e.op === 'IN' ? (e.value as { kind: string; value: unknown }[]) : [e.value as { kind: string; value: unknown }];
    if (e.op !== '=' && e.op !== 'IN' && !(e.op === 'ISSUBSET' && m.normalize === 'ip')) return false;
    for (const l of lits) {
      if (l.kind !== 'string' && l.kind !== 'int') return false;
      const value = String(l.value);
      if (m.normalize === 'ip') {
        const c = parseCidr(value);
        if (!c || c.version !== (m.path.type === 'ipv6-addr' ? 6 : 4)) return false;
      }
      out.push({ key, value, text: `${e.path.text} ${e.op === 'IN' ? '=' : e.op} '${value}'` });
    }
    return true;
  };
  return walk(p.root.expr) ? out : undefined;
}

/**
 * The overwhelmingly common IOC shape, `[type:path = 'value']`, recognised without the full
 * parser so that loading a million indicators stays fast. The expression only accepts text the
 * grammar accepts (identifiers, quoted keys without escapes, a string with only \' and \\
 * escapes); anything else goes through parsePattern.
 */
const ONE_EQUALITY = /^\[\s*([A-Za-z_][A-Za-z0-9_-]*):((?:[A-Za-z_][A-Za-z0-9_]*|'[^'\\]*')(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|'[^'\\]*'))*)\s*(?:=|==)\s*'((?:[^'\\]|\\['\\])*)'\s*\]$/;

function quickTerm(pattern: string, mapping: Map<string, PathMapping>): SimpleTerm[] | undefined {
  const m = ONE_EQUALITY.exec(pattern);
  if (!m) return undefined;
  const key = `${m[1]}:${m[2].replace(/'/g, '')}`;
  // A quoted key holding a dot would be ambiguous once unquoted: leave it to the parser.
  if (m[2].includes("'") && /'[^']*\.[^']*'/.test(m[2])) return undefined;
  const pm = mapping.get(key);
  if (!pm) return undefined;
  const value = m[3].replace(/\\(['\\])/g, '$1');
  if (pm.normalize === 'ip') {
    const c = parseCidr(value);
    if (!c || c.version !== (pm.path.type === 'ipv6-addr' ? 6 : 4)) return undefined;
  }
  return [{ key, value, text: `${pm.path.text} = '${value}'` }];
}

export function compileIndicator(ind: Indicator, slot: number, mapping: Map<string, PathMapping>): { compiled: CompiledIndicator; terms?: SimpleTerm[] } | IntelProblem {
  if (ind.pattern_type !== 'stix') return { id: ind.id, code: 'unsupported-pattern-type', message: `pattern_type ${String(ind.pattern_type)} is not matched by the intel detector (only stix)` };
  if (typeof ind.pattern !== 'string') return { id: ind.id, code: 'pattern-missing', message: 'indicator without a pattern' };
  const quick = quickTerm(ind.pattern, mapping);
  if (quick) return { compiled: new CompiledIndicator(slot, ind, validUntilOf(ind), undefined, false), terms: quick };
  let pattern: Pattern;
  try {
    pattern = parsePattern(ind.pattern);
  } catch (e) {
    if (e instanceof PatternError) return { id: ind.id, code: `pattern-${e.code}`, message: e.message.split('\n')[0] };
    throw e;
  }
  const simple = simpleTerms(pattern, mapping);
  if (!simple) {
    // A pattern none of whose paths any event field maps to can never match: say so once.
    const keys = leafObservations(pattern).flatMap((o) => collectKeys(o.expr));
    if (!keys.some((k) => mapping.has(k))) return { id: ind.id, code: 'unmapped-path', message: `no event field maps to ${[...new Set(keys)].join(', ')} (data/mappings/stix.yaml)` };
  }
  return { compiled: new CompiledIndicator(slot, ind, validUntilOf(ind), simple ? undefined : pattern, pattern.root.kind !== 'observation'), terms: simple };
}

function validUntilOf(ind: Indicator): number | undefined {
  const until = typeof ind.valid_until === 'string' ? Date.parse(ind.valid_until) : undefined;
  return until === undefined || Number.isNaN(until) ? undefined : until;
}

function collectKeys(e: ComparisonExpr): string[] {
  if (e.kind === 'cmp' || e.kind === 'exists') return [pathKey(e.path)];
  return [...collectKeys(e.left), ...collectKeys(e.right)];
}
