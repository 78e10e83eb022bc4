import type { CorrelationRule } from '../rule.js';
import type { Entry } from './window.js';

/**
 * Correlation types (Sigma correlation spec §types), keyed by the word rules use. Each computes
 * the window's measure; `holds` compares it with the rule's condition. temporal types have no
 * numeric condition: they hold when every (ordered: in order) referenced rule is present.
 */
export interface CorrelationType {
  measure(entries: Entry[], rule: CorrelationRule): number;
  holds(entries: Entry[], rule: CorrelationRule): boolean;
}

const compare = (x: number, ops: [string, number][]) =>
  ops.every(([op, n]) =>
    op === 'gt' ? x > n : op === 'gte' ? x >= n : op === 'lt' ? x < n : op === 'lte' ? x <= n : op === 'eq' ? x === n : x !== n,
  );

const numbers = (es: Entry[]) => es.map((e) => Number(e.value)).filter((n) => !Number.isNaN(n));

const numeric = (measure: (es: Entry[], r: CorrelationRule) => number): CorrelationType => ({
  measure,
  holds: (es, r) => compare(measure(es, r), r.condition?.ops ?? []),
});

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  // nearest-rank method
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1];
}

function orderedPresent(es: Entry[], order: string[]): boolean {
  let k = 0;
  for (const e of es) if (e.rule === order[k] && ++k === order.length) return true;
  return false;
}

export const correlationTypes: Record<string, CorrelationType> = {
  event_count: numeric((es) => es.length),
  value_count: numeric((es) => new Set(es.filter((e) => e.value !== undefined && e.value !== null).map((e) => String(e.value))).size),
  value_sum: numeric((es) => numbers(es).reduce((a, b) => a + b, 0)),
  value_avg: numeric((es) => {
    const ns = numbers(es);
    return ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : NaN;
  }),
  value_percentile: numeric((es, r) => percentile(numbers(es), r.condition?.percentile ?? 50)),
  temporal: {
    measure: (es) => new Set(es.map((e) => e.rule)).size,
    holds: (es, r) => {
      const present = new Set(es.map((e) => e.rule));
      const allThere = r.rules.every((x) => present.has(x));
      return allThere && (r.condition ? compare(present.size, r.condition.ops) : true);
    },
  },
  temporal_ordered: {
    measure: (es) => new Set(es.map((e) => e.rule)).size,
    holds: (es, r) => orderedPresent(es, r.rules),
  },
};
