/**
 * Necessary conditions for the literal prefilter. A `Need` lists (field, needle) pairs such that
 * a rule can only match an event if the folded value of at least one field contains its needle;
 * `null` means no such condition could be derived (the rule is always evaluated). Derivation is
 * conservative: `not`, regexes, numeric and network comparisons give `null`.
 */
export type Need = { field: string; needle: string }[] | null;

/** Higher is more selective: long needles, few alternatives. */
export function score(n: Need): number {
  if (n === null || n.length === 0) return -Infinity;
  let min = Infinity;
  for (const x of n) min = Math.min(min, x.needle.length);
  return Math.min(min, 12) * 1000 - n.length;
}

/** AND: any one side's condition is necessary; keep the most selective. */
export function needAnd(ns: Need[]): Need {
  let best: Need = null;
  for (const n of ns) if (score(n) > score(best)) best = n;
  return best;
}

/** OR: each side must leave a trace, so the union is necessary (if every side has one). */
export function needOr(ns: Need[]): Need {
  const out: { field: string; needle: string }[] = [];
  for (const n of ns) {
    if (n === null || n.length === 0) return null;
    out.push(...n);
  }
  return out;
}
