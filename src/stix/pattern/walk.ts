import type { ComparisonExpr, ObservationExpr, Pattern } from './ast.js';

/** The bracketed observation expressions of a pattern, left to right. */
export function leafObservations(p: Pattern | ObservationExpr): Extract<ObservationExpr, { kind: 'observation' }>[] {
  const out: Extract<ObservationExpr, { kind: 'observation' }>[] = [];
  const walk = (e: ObservationExpr): void => {
    switch (e.kind) {
      case 'observation':
        out.push(e);
        return;
      case 'and':
      case 'or':
      case 'followedby':
        walk(e.left);
        walk(e.right);
        return;
      default:
        walk(e.expr);
    }
  };
  walk('root' in p ? p.root : p);
  return out;
}

/** The comparisons (and EXISTS tests) of a comparison expression, left to right. */
export function leafComparisons(e: ComparisonExpr): Extract<ComparisonExpr, { kind: 'cmp' | 'exists' }>[] {
  if (e.kind === 'cmp' || e.kind === 'exists') return [e];
  return [...leafComparisons(e.left), ...leafComparisons(e.right)];
}

/** SCO types a pattern refers to. */
export function patternTypes(p: Pattern): Set<string> {
  const out = new Set<string>();
  for (const o of leafObservations(p)) for (const c of leafComparisons(o.expr)) out.add(c.path.type);
  return out;
}
