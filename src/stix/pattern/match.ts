import type { ObservationExpr, Pattern } from './ast.js';
import { matchingObjects, type PreparedObservation } from './compare.js';

/** An observation handed to the matcher: the SCOs seen together, and when. */
export interface ObservationInput {
  /** SCOs (STIX 2.1: resolved object_refs) or the STIX 2.0 `objects` dictionary. */
  objects: readonly Record<string, unknown>[] | Readonly<Record<string, Record<string, unknown>>>;
  /** A single time (ms, ISO string or Date) … */
  timestamp?: number | string | Date;
  /** … or observed-data's first_observed / last_observed. */
  first_observed?: number | string | Date;
  last_observed?: number | string | Date;
  /** observed-data's number_observed: the observation counts this many times (§9.6 REPEATS). */
  number_observed?: number;
}

export interface MatchResult {
  matched: boolean;
  /** Each binding lists the indexes (into the input) of the observations that satisfy the pattern. */
  bindings: number[][];
}

/**
 * Bindings beyond this many per sub-expression are not enumerated: matching stays bounded on
 * adversarial input (REPEATS over many observations grows combinatorially). Existence of a match
 * is still decided correctly for patterns whose operands each bind one observation.
 */
export const MAX_BINDINGS = 10_000;
/** number_observed is expanded up to this many repetitions. */
const MAX_REPEAT_EXPANSION = 1000;

function toMs(v: number | string | Date | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime();
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

export function prepareObservation(o: ObservationInput): PreparedObservation {
  let objects: Record<string, unknown>[];
  let keys: string[] | undefined;
  if (Array.isArray(o.objects)) objects = o.objects as Record<string, unknown>[];
  else {
    keys = Object.keys(o.objects);
    objects = keys.map((k) => (o.objects as Record<string, Record<string, unknown>>)[k]);
  }
  const first = toMs(o.first_observed) ?? toMs(o.timestamp) ?? 0;
  const last = toMs(o.last_observed) ?? toMs(o.timestamp) ?? first;
  return { objects, first, last, keys };
}

/** Evaluates a pattern over a sequence of observations (STIX 2.1 §9.4–§9.6). */
export function matchPattern(pattern: Pattern, observations: readonly ObservationInput[]): MatchResult {
  const prepared: PreparedObservation[] = [];
  const origin: number[] = [];
  observations.forEach((o, i) => {
    const p = prepareObservation(o);
    const times = Math.min(Math.max(1, Math.floor(o.number_observed ?? 1)), MAX_REPEAT_EXPANSION);
    for (let k = 0; k < times; k++) {
      prepared.push(p);
      origin.push(i);
    }
  });
  const bindings = evaluate(pattern.root, prepared);
  return {
    matched: bindings.length > 0,
    bindings: bindings.map((b) => [...new Set(b.map((i) => origin[i]))].sort((x, y) => x - y)),
  };
}

export function evaluate(e: ObservationExpr, obs: readonly PreparedObservation[]): number[][] {
  switch (e.kind) {
    case 'observation': {
      const out: number[][] = [];
      for (let i = 0; i < obs.length && out.length < MAX_BINDINGS; i++) {
        if (matchingObjects(e.expr, obs[i]).size > 0) out.push([i]);
      }
      return out;
    }
    case 'or': {
      // §9.5: either side may be satisfied; bindings of one side only keep observations free for
      // the rest of the pattern.
      const l = evaluate(e.left, obs);
      const r = evaluate(e.right, obs);
      return l.concat(r).slice(0, MAX_BINDINGS);
    }
    case 'and':
    case 'followedby': {
      const l = evaluate(e.left, obs);
      if (l.length === 0) return l;
      const r = evaluate(e.right, obs);
      const out: number[][] = [];
      for (const a of l) {
        // FOLLOWEDBY (§9.5): the right side is observed at or after the left side. With time
        // intervals, the most favourable choice is the left's first and the right's last time.
        const aFirst = e.kind === 'followedby' ? Math.max(...a.map((i) => obs[i].first)) : 0;
        for (const b of r) {
          if (!disjoint(a, b)) continue;
          if (e.kind === 'followedby' && aFirst > Math.min(...b.map((i) => obs[i].last))) continue;
          out.push(a.concat(b));
          if (out.length >= MAX_BINDINGS) return out;
        }
      }
      return out;
    }
    case 'within': {
      // §9.6 WITHIN: all observations of the binding fall inside a window of the given length.
      const ms = e.seconds * 1000;
      return evaluate(e.expr, obs).filter((b) => {
        let maxFirst = -Infinity;
        let minLast = Infinity;
        for (const i of b) {
          if (obs[i].first > maxFirst) maxFirst = obs[i].first;
          if (obs[i].last < minLast) minLast = obs[i].last;
        }
        return maxFirst - minLast <= ms;
      });
    }
    case 'startstop':
      // §9.6 START/STOP: every observation lies in [start, stop).
      return evaluate(e.expr, obs).filter((b) => b.every((i) => obs[i].first >= e.start && obs[i].last < e.stop));
    case 'repeats':
      return repeats(evaluate(e.expr, obs), e.times);
  }
}

function disjoint(a: number[], b: number[]): boolean {
  for (const x of a) if (b.includes(x)) return false;
  return true;
}

/**
 * §9.6 REPEATS n TIMES: n bindings of the expression over pairwise distinct observations.
 * Enumerated as combinations (not permutations) by depth-first search, bounded by MAX_BINDINGS.
 */
function repeats(base: number[][], n: number): number[][] {
  if (n === 1) return base;
  const out: number[][] = [];
  const chosen: number[][] = [];
  const used = new Set<number>();
  let steps = 0;
  const dfs = (from: number): void => {
    if (out.length >= MAX_BINDINGS || steps++ > MAX_BINDINGS * 100) return;
    if (chosen.length === n) {
      out.push(chosen.flat());
      return;
    }
    for (let k = from; k < base.length && base.length - k >= n - chosen.length; k++) {
      const b = base[k];
      if (b.some((i) => used.has(i))) continue;
      chosen.push(b);
      for (const i of b) used.add(i);
      dfs(k + 1);
      for (const i of b) used.delete(i);
      chosen.pop();
      if (out.length >= MAX_BINDINGS) return;
    }
  };
  dfs(0);
  return out;
}
