import type { RuleMeta } from '../types.js';
import { SigmaError } from './errors.js';
import { compileItem, type CompiledItem } from './item.js';
import { compileCondition, conditionNeed, parseCondition } from './condition.js';
import { needAnd, needOr, type Need } from './prefilter/need.js';
import type { TransformContext } from './modifiers.js';
import type { MatchContext } from './context.js';
import type { FilterRule, SigmaRule } from './rule.js';
import { guardFor, type Guard, type Pipeline } from './pipeline.js';

/** A detection rule compiled to closures: built once at load, run per event. */
export interface CompiledRule {
  rule: SigmaRule;
  /** position in its RuleSet (set by RuleSet) */
  idx: number;
  meta: RuleMeta;
  /** logsource conditions from the pipelines; undefined = the rule sees every event. */
  guards: Guard[] | undefined;
  match: (c: MatchContext) => boolean;
  /** every item of the rule, to report which fields matched once the rule has fired. */
  items: CompiledItem[];
  /** necessary literal condition used by the prefilter; null = always evaluate */
  need: Need;
  /** placeholders the rule needs that have no configured values (rule then never matches them). */
  missingPlaceholders: string[];
}

export interface CompileOptions {
  pipelines: Pipeline[];
  placeholders: Record<string, string[]>;
}

type Pred = (c: MatchContext) => boolean;

/** One search identifier (Sigma v2.1 §"Detection"): a map (AND), a list of maps (OR) or keywords. */
function compileSearch(name: string, value: unknown, tctx: TransformContext, items: CompiledItem[], needs: Map<string, Need>): Pred {
  const mapNeeds: Need[] = [];
  const compileMap = (m: Record<string, unknown>): Pred => {
    // A field-less key ('|all') is a keyword search: keywords match anywhere in a value.
    const keyOf = (k: string) => (k.startsWith('|') && !/\|(contains|startswith|endswith|re|cidr)\b/.test(k) ? `|contains${k}` : k);
    const its = Object.entries(m).map(([k, v]) => compileItem(keyOf(k), v, tctx));
    items.push(...its);
    mapNeeds.push(needAnd(its.map((i) => i.need ?? null)));
    if (its.length === 0) return () => true;
    if (its.length === 1) return its[0].test;
    const ts = its.map((i) => i.test);
    if (ts.length === 2) return (c) => ts[0](c) && ts[1](c);
    return (c) => {
      for (let i = 0; i < ts.length; i++) if (!ts[i](c)) return false;
      return true;
    };
  };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const pred = compileMap(value as Record<string, unknown>);
    needs.set(name, mapNeeds[0] ?? null);
    return pred;
  }
  needs.set(name, null);
  if (Array.isArray(value)) {
    const maps = value.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) as Record<string, unknown>[];
    const keywords = value.filter((v) => v === null || typeof v !== 'object');
    const preds: Pred[] = maps.map(compileMap);
    if (keywords.length) {
      const kw = compileItem('|contains', keywords.map(String), tctx);
      items.push(kw);
      preds.push(kw.test);
      mapNeeds.push(kw.need ?? null);
    }
    if (preds.length === 0) throw new SigmaError('detection', `search identifier '${name}' is an empty list`);
    needs.set(name, needOr(mapNeeds));
    return preds.length === 1 ? preds[0] : (c) => preds.some((p) => p(c));
  }
  if (typeof value === 'string' || typeof value === 'number') {
    const kw = compileItem('|contains', [String(value)], tctx);
    items.push(kw);
    needs.set(name, kw.need ?? null);
    return kw.test;
  }
  throw new SigmaError('detection', `search identifier '${name}' has an unsupported value`);
}

export function compileDetection(
  detection: Record<string, unknown>,
  conditions: string[],
  tctx: TransformContext,
  items: CompiledItem[],
): { pred: Pred; need: Need } {
  const searches = new Map<string, Pred>();
  const needs = new Map<string, Need>();
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe' || name === 'rules') continue;
    searches.set(name, compileSearch(name, value, tctx, items, needs));
  }
  const asts = conditions.map(parseCondition);
  const conds = asts.map((a) => compileCondition(a, searches));
  const need = needOr(asts.map((a) => conditionNeed(a, needs)));
  return { pred: conds.length === 1 ? conds[0] : (c) => conds.some((f) => f(c)), need };
}

export function compileRule(rule: SigmaRule, opts: CompileOptions, filters: FilterRule[] = []): CompiledRule {
  const tctx: TransformContext = { placeholders: opts.placeholders, missingPlaceholders: [] };
  const items: CompiledItem[] = [];
  if (rule.detection.timeframe !== undefined)
    throw new SigmaError('detection', `'timeframe' in a detection is Sigma v1 aggregation; use a correlation rule`, { file: rule.file });
  const compiled = compileDetection(rule.detection, rule.conditions, tctx, items);
  let match = compiled.pred;
  // Meta filters (sigma-filters-specification): the rule fires only where every filter's
  // condition also holds. Filter items are not reported as matched fields.
  for (const f of filters) {
    const fm = compileDetection(f.detection, f.conditions, tctx, []).pred;
    const base = match;
    match = (c) => base(c) && fm(c);
  }
  return {
    rule,
    idx: -1,
    meta: metaOf(rule),
    guards: guardFor(rule.logsource, opts.pipelines),
    match,
    items,
    need: compiled.need,
    missingPlaceholders: [...new Set(tctx.missingPlaceholders)],
  };
}

export function metaOf(rule: Omit<SigmaRule, 'kind' | 'logsource' | 'detection' | 'conditions'>): RuleMeta {
  return {
    id: rule.id,
    title: rule.title,
    level: rule.level,
    tags: rule.tags,
    description: rule.description,
    author: rule.author,
    status: rule.status,
    references: rule.references,
    falsepositives: rule.falsepositives,
    source: rule.file,
  };
}
