import type { WardEvent } from '../../normalize/index.js';
import type { Detection, Detector } from '../types.js';
import type { CompiledRule } from './compile.js';
import { MatchContext } from './context.js';
import { guardHolds } from './pipeline.js';
import type { RuleSet } from './ruleset.js';
import { CorrelationEngine } from './correlation/engine.js';

/**
 * Runs a RuleSet over events: candidate rules from the index, logsource guard where the index
 * is not exact, the compiled condition, then correlations. The same detector serves `ward hunt`
 * and `ward serve`.
 */
export class SigmaDetector implements Detector {
  readonly name = 'sigma';
  private ctx = new MatchContext();
  private corr: CorrelationEngine;
  private exact: boolean[];
  private refs: string[][];
  private suppressed: boolean[];
  private disabled = new Set<string>();

  constructor(readonly ruleset: RuleSet) {
    this.corr = new CorrelationEngine(ruleset.correlations);
    this.exact = ruleset.rules.map((r) => ruleset.isIndexed(r));
    this.refs = ruleset.rules.map((r) => [r.rule.id, ...(r.rule.name ? [r.rule.name] : [])]);
    this.suppressed = this.refs.map((rs) => rs.some((x) => this.corr.suppressed.has(x)));
  }

  /** Turns a rule off (or on) without reloading, e.g. from the web console. */
  setEnabled(ruleId: string, enabled: boolean): void {
    if (enabled) this.disabled.delete(ruleId);
    else this.disabled.add(ruleId);
  }

  process(ev: WardEvent): Detection[] {
    const cands = this.ruleset.candidates(ev);
    if (cands.length === 0) return [];
    const ctx = this.ctx.reset(ev);
    let out: Detection[] | undefined;
    for (let k = 0; k < cands.length; k++) {
      const r = cands[k];
      const i = r.idx;
      if (!this.exact[i] && r.guards && !guardHolds(r.guards, ev)) continue;
      if (!r.match(ctx)) continue;
      if (this.disabled.size && this.disabled.has(r.rule.id)) continue;
      out ??= [];
      if (!this.suppressed[i]) out.push(this.detection(r, ev));
      if (this.corr.active && this.corr.isReferenced(this.refs[i])) {
        out.push(...this.corr.feed({ refs: this.refs[i], t: ev.timestamp, loc: ev.loc, host: ev.host, get: (f) => ev.get(f) }));
      }
    }
    return out ?? [];
  }

  flush(): Detection[] {
    return [];
  }

  private detection(r: CompiledRule, ev: WardEvent): Detection {
    const fields: Record<string, unknown> = {};
    for (const it of r.items) {
      if (it.field !== undefined && fields[it.field] === undefined && it.test(this.ctx)) fields[it.field] = ev.get(it.field);
    }
    return { kind: 'sigma', rule: r.meta, timestamp: ev.timestamp, host: ev.host, loc: ev.loc, fields, event: ev };
  }
}
