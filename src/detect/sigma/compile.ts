import type { RuleMeta } from '../types.js';
import { SigmaError } from './errors.js';
import { compileItem, type CompiledItem } from './item.js';
import { compileCondition, conditionNeed, parseCondition, selectIdentifiers, type CondNode } from './condition.js';
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
  /**
   * The rule's vetoes (veto.ts): the X of each top-level `… and not X`, over named fields only.
   * When one holds the rule cannot match. Undefined when it has none.
   */
  vetoes: Pred[] | undefined;
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
): { pred: Pred; need: Need; vetoes: Pred[] | undefined } {
  const searches = new Map<string, Pred>();
  const needs = new Map<string, Need>();
  /** searches with a keyword (field-less) item: they read every value, so no veto uses them */
  const keywords = new Set<string>();
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe' || name === 'rules') continue;
    const from = items.length;
    searches.set(name, compileSearch(name, value, tctx, items, needs));
    for (let i = from; i < items.length; i++) if (items[i].field === undefined) keywords.add(name);
  }
  const asts = conditions.map(parseCondition);
  const conds = asts.map((a) => compileCondition(a, searches));
  const need = needOr(asts.map((a) => conditionNeed(a, needs)));
  const vetoes = asts.length === 1 ? vetoesOf(asts[0], searches, keywords) : undefined;
  return { pred: conds.length === 1 ? conds[0] : (c) => conds.some((f) => f(c)), need, vetoes };
}

/**
 * `a and not X and …` (or `not X`): X holding rules the condition out. Sigma's filters
 * (`selection and not 1 of filter_*`) are mostly literal tests of one or two fields, which the
 * raw screen can settle from a line's bytes without parsing it (veto.ts).
 */
function vetoesOf(ast: CondNode, searches: Map<string, Pred>, keywords: Set<string>): Pred[] | undefined {
  const names = [...searches.keys()];
  const used = (n: CondNode): string[] =>
    n.t === 'id' ? [n.name] : n.t === 'not' ? used(n.e) : n.t === 'of' ? selectIdentifiers(n.target, names) : n.es.flatMap(used);
  const out: Pred[] = [];
  for (const e of ast.t === 'and' ? ast.es : [ast]) {
    if (e.t !== 'not' || used(e.e).some((n) => keywords.has(n))) continue;
    out.push(compileCondition(e.e, searches));
  }
  return out.length ? out : undefined;
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
    vetoes: compiled.vetoes,
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
