import { evtxFieldCopies, type WardEvent } from '../../normalize/index.js';
import type { Detection, Detector } from '../types.js';
import type { CompiledRule } from './compile.js';
import { MatchContext } from './context.js';
import { guardHolds, layoutExcludes } from './pipeline.js';
import type { RuleSet } from './ruleset.js';
import { CorrelationEngine } from './correlation/engine.js';
import { RawScreen, type ScreenStats } from './prefilter/raw.js';
import { VetoStage } from './veto.js';
import type { MarkPlan } from './prefilter/index.js';
import type { Location } from '../../util/index.js';

/** A correlation input with the needed field values copied out, so it can cross a thread. */
export interface PortableCorrelationInput {
  refs: string[];
  t: number | undefined;
  loc: Location;
  host: string | undefined;
  values: Record<string, unknown>;
}

export interface SigmaDetectorOptions {
  /**
   * Hand correlation inputs to this sink instead of correlating here (worker threads send them
   * to one engine in the main thread, so windows span files read by different workers).
   */
  correlationSink?: (input: PortableCorrelationInput) => void;
  /**
   * false: the raw screen judges every line by its general path (JsonLineScanner), not by its
   * one-loop walk; both must agree, and tests compare them.
   */
  rawScreenWalk?: boolean;
  /** false: the walk in JavaScript even where the native addon is built (tests compare them) */
  rawScreenNative?: boolean;
  /** false: the raw screen judges by needles only, without the rules' vetoes (veto.ts; tests compare them) */
  rawScreenVeto?: boolean;
}

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

  private corrFields: string[];
  /** folded logsource product of rules no pipeline covers (else undefined) */
  private products: (string | undefined)[];

  constructor(
    readonly ruleset: RuleSet,
    private readonly opts: SigmaDetectorOptions = {},
  ) {
    this.corr = new CorrelationEngine(ruleset.correlations);
    this.corrFields = correlationFields(ruleset);
    this.products = ruleset.rules.map((r) => productOf(r));
    this.exact = ruleset.rules.map((r) => ruleset.isIndexed(r));
    this.refs = ruleset.rules.map((r) => [r.rule.id, ...(r.rule.name ? [r.rule.name] : [])]);
    this.suppressed = this.refs.map((rs) => rs.some((x) => this.corr.suppressed.has(x)));
  }

  private rawScreen: RawScreen | undefined;
  /** the raw screen's vetoes (veto.ts); undefined until the first line, or when turned off */
  vetoStage: VetoStage | undefined;
  private plans = new WeakMap<CompiledRule[], MarkPlan>();

  /**
   * Raw-text prescreen of one JSON line, bytes[start, end) in UTF-8 (see prefilter/raw.ts): false
   * when no rule can match the event it holds, so the caller may skip parsing it; otherwise the
   * rules that may match, which process() then takes as its hint instead of prefiltering again.
   */
  screen(bytes: Uint8Array, start: number, end: number): boolean | Int32Array {
    if (!this.rawScreen && this.opts.rawScreenVeto !== false) this.vetoStage = new VetoStage(this.ruleset.rules.map((r) => r.vetoes));
    const vetoes = this.vetoStage;
    this.rawScreen ??= new RawScreen(
      this.ruleset.rules.map((r) => r.need),
      (ch, eid) => {
        const out: number[] = [];
        for (const r of this.ruleset.candidatesFor(ch, eid)) {
          const p = this.products[r.idx];
          // the screen only judges evtx_dump lines: Windows events of the evtx-json layout
          if ((p === undefined || p === 'windows') && !layoutExcludes(r.guards, 'evtx-json')) out.push(r.idx);
        }
        return out;
      },
      {
        copies: evtxFieldCopies(),
        walk: this.opts.rawScreenWalk,
        native: this.opts.rawScreenNative,
        veto: vetoes && ((cands, b, members) => vetoes.rulesOut(cands, b, members)),
      },
    );
    try {
      return this.rawScreen.judge(bytes, start, end);
    } catch {
      // A screen that cannot judge a line says so: the line is parsed and matched as usual, so a
      // fault here (a hostile line meeting a bug) costs speed, never an event or the rest of the file.
      this.screenFaults++;
      return true;
    }
  }

  /** Lines whose screening threw (each then parsed as usual); 0 unless the screen has a bug. */
  screenFaults = 0;
  /** Rule evaluations that threw (each counted as no match, the other rules still run). */
  ruleFaults = 0;

  /** Detector.screenIsCheap: the raw screen runs as native code (prefilter/native.ts). */
  screenIsCheap(): boolean {
    return this.rawScreen?.isNative === true;
  }

  /** The raw screen's counts (prefilter/raw.ts screenStats), for benchmarks and tests. */
  screenStats(): ScreenStats | undefined {
    return this.rawScreen?.screenStats();
  }

  /** Turns a rule off (or on) without reloading, e.g. from the web console. */
  setEnabled(ruleId: string, enabled: boolean): void {
    if (enabled) this.disabled.delete(ruleId);
    else this.disabled.add(ruleId);
  }

  process(ev: WardEvent, hint?: unknown): Detection[] {
    if (hint === false) return [];
    if (hint instanceof Int32Array) return this.run(ev, hint);
    const cands = this.ruleset.candidates(ev);
    if (cands.length === 0) return [];
    this.ctx.reset(ev);
    const pre = this.ruleset.prefilter;
    // The candidate lists are cached per event type: so is what to scan for them.
    let plan = this.plans.get(cands);
    if (!plan) this.plans.set(cands, (plan = pre.plan(cands.map((r) => r.idx))));
    pre.mark(ev, plan);
    const product = eventProduct(ev);
    let out: Detection[] | undefined;
    // A rule that throws on a hostile event counts as no match and the loop goes on with the
    // next: one rule must not take the other rules' matches on the event down with it (a field
    // nested past what the stack holds once blinded every rule). The try is entered once per
    // event, not once per rule, to keep the loop as the optimizer likes it.
    for (let k = 0; k < cands.length; ) {
      try {
        for (; k < cands.length; k++) {
          const r = cands[k];
          if (!pre.passes(r.idx)) continue;
          // A rule for another product (zeek, linux, cisco …) whose logsource no pipeline maps
          // must not run on Windows events just because nothing restricted it.
          const p = this.products[r.idx];
          if (p !== undefined && product !== undefined && p !== product) continue;
          out = this.evaluate(r, ev, out);
        }
      } catch {
        this.ruleFaults++;
        k++;
      }
    }
    return out ?? [];
  }

  /** The rules the raw screen left (already past the index, product and prefilter). */
  private run(ev: WardEvent, rules: Int32Array): Detection[] {
    this.ctx.reset(ev);
    let out: Detection[] | undefined;
    // as in process(): a rule that throws is skipped, the others still run
    for (let k = 0; k < rules.length; ) {
      try {
        for (; k < rules.length; k++) out = this.evaluate(this.ruleset.rules[rules[k]], ev, out);
      } catch {
        this.ruleFaults++;
        k++;
      }
    }
    return out ?? [];
  }

  /** Logsource guard (where the index is not exact), condition, then detection and correlation. */
  private evaluate(r: CompiledRule, ev: WardEvent, out: Detection[] | undefined): Detection[] | undefined {
    const i = r.idx;
    const ctx = this.ctx;
    if (!this.exact[i] && r.guards && !guardHolds(r.guards, ev)) return out;
    if (!r.match(ctx)) return out;
    if (this.disabled.size && this.disabled.has(r.rule.id)) return out;
    out ??= [];
    if (!this.suppressed[i]) out.push(this.detection(r, ev));
    if (this.corr.active && this.corr.isReferenced(this.refs[i])) {
      if (this.opts.correlationSink) {
        const values: Record<string, unknown> = {};
        for (const f of this.corrFields) values[f] = ev.get(f);
        this.opts.correlationSink({ refs: this.refs[i], t: ev.timestamp, loc: ev.loc, host: ev.host, values });
        return out;
      }
      out.push(...this.corr.feed({ refs: this.refs[i], t: ev.timestamp, loc: ev.loc, host: ev.host, get: (f) => ev.get(f) }));
    }
    return out;
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

/** Every field a correlation reads (group-by, aliases, condition field). */
function correlationFields(rs: RuleSet): string[] {
  const out = new Set<string>(['Computer']);
  for (const c of rs.correlations) {
    for (const g of c.groupBy) out.add(g);
    if (c.condition?.field) out.add(c.condition.field);
    for (const m of Object.values(c.aliases)) for (const f of Object.values(m)) out.add(f);
  }
  return [...out];
}

/**
 * The product a rule that no pipeline maps is for: its `product`, or, for a category-only rule
 * (`category: proxy`, `webserver`, `firewall` …), a marker that matches no Windows event — such
 * a logsource describes network or web logs, which a Windows event never is.
 */
function productOf(r: CompiledRule): string | undefined {
  if (r.guards !== undefined) return undefined;
  const ls = r.rule.logsource;
  if (typeof ls.product === 'string') return ls.product.toLowerCase();
  if (typeof ls.category === 'string') return `category:${ls.category.toLowerCase()}`;
  return undefined;
}

/** The product an event comes from, when its layout makes that certain (Windows event logs). */
function eventProduct(ev: WardEvent): string | undefined {
  if (ev.layout === 'evtx-json') return 'windows';
  const f = ev.fields;
  if (f.Channel !== undefined && f.EventID !== undefined && (f.Provider_Name !== undefined || f.Computer !== undefined)) return 'windows';
  return undefined;
}
