import type { Location } from '../../../util/index.js';
import type { Detection } from '../../types.js';
import type { CorrelationRule } from '../rule.js';
import { metaOf } from '../compile.js';
import { SlidingWindow } from './window.js';
import { correlationTypes } from './aggregate.js';

/** What a base rule (or a chained correlation) hands to the correlations that reference it. */
export interface CorrelationInput {
  /** id and name of the rule that matched */
  refs: string[];
  t: number | undefined;
  loc: Location;
  host: string | undefined;
  /** reads a field of the matched event (or of the firing correlation's group) */
  get(field: string): unknown;
}

interface Subscription {
  corr: CorrelationRule;
  ref: string;
}

/**
 * Runs correlation rules over base-rule matches: per correlation, per group-by key, a sliding
 * window; when the condition holds the correlation fires once and its window restarts.
 * A firing correlation is itself an input for correlations that name it (chaining).
 */
export class CorrelationEngine {
  private subs = new Map<string, Subscription[]>();
  private windows = new Map<CorrelationRule, Map<string, SlidingWindow>>();
  /** rule ids/names whose own matches are not reported (referenced without `generate: true`) */
  readonly suppressed = new Set<string>();

  constructor(readonly correlations: CorrelationRule[]) {
    for (const c of correlations) {
      this.windows.set(c, new Map());
      for (const ref of c.rules) {
        const list = this.subs.get(ref) ?? [];
        list.push({ corr: c, ref });
        this.subs.set(ref, list);
        if (!c.generate) this.suppressed.add(ref);
      }
    }
  }

  get active(): boolean {
    return this.correlations.length > 0;
  }

  isReferenced(refs: string[]): boolean {
    return refs.some((r) => this.subs.has(r));
  }

  feed(input: CorrelationInput, depth = 0): Detection[] {
    const out: Detection[] = [];
    for (const ref of input.refs) {
      for (const { corr, ref: used } of this.subs.get(ref) ?? []) {
        const d = this.step(corr, used, input);
        if (!d) continue;
        out.push(d);
        if (depth < 8) {
          const group = d.correlation!.group;
          out.push(
            ...this.feed(
              { refs: [corr.id, ...(corr.name ? [corr.name] : [])], t: d.timestamp, loc: d.loc ?? {}, host: d.host, get: (f) => group[f] },
              depth + 1,
            ),
          );
        }
      }
    }
    return out;
  }

  private fieldFor(corr: CorrelationRule, name: string, ref: string): string {
    return corr.aliases[name]?.[ref] ?? name;
  }

  private step(corr: CorrelationRule, ref: string, input: CorrelationInput): Detection | undefined {
    const group: Record<string, unknown> = {};
    for (const g of corr.groupBy) group[g] = input.get(this.fieldFor(corr, g, ref)) ?? null;
    const key = JSON.stringify(corr.groupBy.map((g) => group[g]));
    const wins = this.windows.get(corr)!;
    let w = wins.get(key);
    if (!w) wins.set(key, (w = new SlidingWindow()));
    const valueField = corr.condition?.field;
    w.add(
      { t: input.t ?? 0, rule: ref, value: valueField ? input.get(this.fieldFor(corr, valueField, ref)) : undefined, loc: input.loc, timestamp: input.t },
      corr.timespan,
    );
    const type = correlationTypes[corr.type];
    if (!type.holds(w.entries, corr)) return undefined;
    const entries = w.entries;
    w.clear();
    if (wins.size > 100_000) this.evictIdle(wins, input.t ?? 0, corr.timespan);
    const last = entries[entries.length - 1];
    return {
      kind: 'correlation',
      rule: metaOf(corr),
      timestamp: last.timestamp,
      host: typeof group.Computer === 'string' ? group.Computer : input.host,
      loc: last.loc,
      fields: group,
      correlation: {
        type: corr.type,
        group,
        count: type.measure(entries, corr),
        events: entries.map((e) => ({ loc: e.loc, timestamp: e.timestamp, rule: e.rule })),
      },
    };
  }

  /** Bounded memory: drops groups whose newest entry is older than the window. */
  private evictIdle(wins: Map<string, SlidingWindow>, now: number, span: number): void {
    for (const [k, w] of wins) {
      const newest = w.entries[w.entries.length - 1];
      if (!newest || newest.t < now - span) wins.delete(k);
    }
  }
}
