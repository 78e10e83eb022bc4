import type { WardEvent } from '../../normalize/index.js';
import type { CompiledRule } from './compile.js';
import type { CorrelationRule } from './rule.js';
import type { RuleProblem } from './errors.js';
import { fold } from './fold.js';
import { layoutExcludes } from './pipeline.js';
import { Prefilter } from './prefilter/index.js';

/**
 * The compiled rules, indexed by the Channel and EventID their logsource implies, so an event
 * is tested only against rules that can apply to it. Rules whose logsource adds other
 * conditions (or none) sit in `general` and test their guard per event.
 */
export class RuleSet {
  readonly rules: CompiledRule[];
  readonly correlations: CorrelationRule[];
  private byChannel = new Map<string, Map<string, number[]>>();
  private general: number[] = [];
  private indexed: boolean[] = [];
  private cache = new Map<string, CompiledRule[]>();
  readonly prefilter: Prefilter;

  constructor(rules: CompiledRule[], correlations: CorrelationRule[], problems: RuleProblem[]) {
    this.rules = rules;
    this.correlations = linkCorrelations(correlations, rules, problems);
    rules.forEach((r, i) => {
      r.idx = i;
      this.index(r, i);
    });
    this.prefilter = new Prefilter(rules.map((r) => r.need));
  }

  private index(r: CompiledRule, i: number): void {
    const g = r.guards;
    // Only a single pipeline entry made of Channel (+ EventID) alternatives can be indexed exactly.
    const indexable =
      g !== undefined && g.length === 1 && g[0].every((alt) => alt.has('Channel') && [...alt.keys()].every((k) => k === 'Channel' || k === 'EventID'));
    this.indexed[i] = indexable;
    if (!indexable) {
      this.general.push(i);
      return;
    }
    for (const alt of g![0]) {
      const eids = alt.get('EventID') ?? new Set(['*']);
      for (const ch of alt.get('Channel')!) {
        let m = this.byChannel.get(ch);
        if (!m) this.byChannel.set(ch, (m = new Map()));
        for (const e of eids) {
          const list = m.get(e) ?? [];
          if (!list.includes(i)) list.push(i);
          m.set(e, list);
        }
      }
    }
  }

  /** True when the index alone guarantees the rule's logsource holds for events it is offered. */
  isIndexed(rule: CompiledRule): boolean {
    return this.indexed[rule.idx];
  }

  /** Rules that may match `ev`, in load order. Cached per (Channel, EventID, layout). */
  candidates(ev: WardEvent): CompiledRule[] {
    return this.candidatesFor(ev.fields.Channel ?? ev.get('Channel'), ev.fields.EventID ?? ev.get('EventID'), ev.layout);
  }

  /**
   * Rules that may match an event with this Channel and EventID (as the event holds them) and,
   * when given, this layout: a rule whose logsource guard requires other layouts (a FHIR or EHR
   * rule, for a Windows event) is left out here, before any per-event work is spent on it.
   */
  candidatesFor(chRaw: unknown, eidRaw: unknown, layout?: string): CompiledRule[] {
    // Events come in runs of one type: the previous answer usually holds.
    if (this.last !== undefined && chRaw === this.lastCh && eidRaw === this.lastEid && layout === this.lastLayout) return this.last;
    const c = this.lookup(chRaw, eidRaw, layout);
    this.last = c;
    this.lastCh = chRaw;
    this.lastEid = eidRaw;
    this.lastLayout = layout;
    return c;
  }

  private last: CompiledRule[] | undefined;
  private lastCh: unknown;
  private lastEid: unknown;
  private lastLayout: string | undefined;

  private lookup(chRaw: unknown, eidRaw: unknown, layout: string | undefined): CompiledRule[] {
    const key = `${chRaw ?? ''}\u0000${eidRaw ?? ''}\u0000${layout ?? ''}`;
    let c = this.cache.get(key);
    if (c) return c;
    const m = chRaw === undefined || chRaw === null ? undefined : this.byChannel.get(fold(String(chRaw)));
    const ids = new Set<number>(layout === undefined ? this.general : this.general.filter((i) => !layoutExcludes(this.rules[i].guards, layout)));
    if (m) {
      for (const i of m.get(String(eidRaw)) ?? []) ids.add(i);
      for (const i of m.get('*') ?? []) ids.add(i);
    }
    c = [...ids].sort((a, b) => a - b).map((i) => this.rules[i]);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, c);
    return c;
  }
}

/** Resolves each correlation's `rules` (ids or names); drops and reports dangling ones. */
function linkCorrelations(corrs: CorrelationRule[], rules: CompiledRule[], problems: RuleProblem[]): CorrelationRule[] {
  const known = new Set<string>();
  for (const r of rules) {
    known.add(r.rule.id);
    if (r.rule.name) known.add(r.rule.name);
  }
  for (const c of corrs) {
    known.add(c.id);
    if (c.name) known.add(c.name);
  }
  return corrs.filter((c) => {
    const missing = c.rules.filter((r) => !known.has(r));
    if (missing.length) {
      problems.push({ file: c.file, rule: c.id, title: c.title, code: 'sigma.correlation', severity: 'error', message: `correlation refers to unknown rule(s): ${missing.join(', ')}` });
      return false;
    }
    return true;
  });
}
