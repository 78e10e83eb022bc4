/**
 * Necessary conditions for the literal prefilters. A `Need` is a conjunction of clauses; each
 * clause lists (field, needle) pairs of which at least one must hold — the folded value of the
 * field contains the needle — for the rule to match. `null` (or no clause) means no condition
 * could be derived and the rule is always evaluated. Derivation is conservative: `not`, regexes,
 * numeric and network comparisons give `null`.
 */
export type Clause = { field: string; needle: string }[];
export type Need = Clause[] | null;

/** Clauses kept per rule: enough to combine an EventID test with a value test, cheap to check. */
const MAX_CLAUSES = 3;

const INDEXED = /^(eventid|channel)$/i;

/** Higher is more selective: long needles, few alternatives. */
export function score(c: Clause): number {
  let min = Infinity;
  for (const x of c) min = Math.min(min, x.needle.length);
  return Math.min(min, 12) * 1000 - c.length;
}

/** True for a clause on EventID / Channel only, which the raw prefilter judges per (Channel, EventID). */
export function indexedClause(c: Clause): boolean {
  return c.every((x) => INDEXED.test(x.field));
}

/** A need of one clause (null when it has no alternative). */
export function needOf(c: Clause): Need {
  return c.length ? [c] : null;
}

/**
 * AND: every side's clauses are necessary; the most selective are kept, and an EventID/Channel
 * clause alongside them (it costs nothing to check and often decides the rule).
 */
export function needAnd(ns: Need[]): Need {
  const all: Clause[] = [];
  for (const n of ns) if (n) all.push(...n);
  return all.length === 0 ? null : pick(all);
}

function pick(all: Clause[]): Clause[] {
  if (all.length <= MAX_CLAUSES) return all;
  const sorted = [...all].sort((a, b) => score(b) - score(a));
  const out = sorted.slice(0, MAX_CLAUSES);
  if (!out.some(indexedClause)) {
    const idx = sorted.find(indexedClause);
    if (idx) out[MAX_CLAUSES - 1] = idx;
  }
  return out;
}

/** Beyond this many combinations an OR keeps only each side's best clause. */
const MAX_COMBINATIONS = 64;

/**
 * OR: each side must leave a trace. (A1 ∧ A2) ∨ (B1 ∧ B2) = (A1 ∨ B1) ∧ (A1 ∨ B2) ∧ (A2 ∨ B1) ∧
 * (A2 ∨ B2): while the combinations are few they are all candidates (so EventID 517 ∨ 1102 stays
 * a clause of its own); otherwise the union of each side's best clause.
 */
export function needOr(ns: Need[]): Need {
  if (ns.length === 1) return ns[0];
  let combos = 1;
  for (const n of ns) {
    if (n === null || n.length === 0) return null;
    combos *= n.length;
  }
  if (combos <= MAX_COMBINATIONS) {
    let acc: Clause[] = [[]];
    for (const n of ns as Clause[][]) acc = acc.flatMap((c) => n.map((cl) => [...c, ...cl]));
    return pick(acc);
  }
  const out: Clause = [];
  for (const n of ns as Clause[][]) {
    let best = n[0];
    for (const c of n) if (score(c) > score(best)) best = c;
    out.push(...best);
  }
  return [out];
}
