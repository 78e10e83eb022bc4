import type { WardEvent } from '../../../normalize/index.js';
import { AhoCorasick } from './aho.js';
export { automatonBuilds } from './aho.js';
import { fold } from '../fold.js';
import { toStrings } from '../context.js';
import type { Need } from './need.js';

export type { Need } from './need.js';

const MAX_NEEDLE = 16;
export { needAnd, needOr } from './need.js';

/**
 * Literal prefilter: one Aho–Corasick automaton per field holds every rule's necessary needles
 * for that field. Per event, each field that has an automaton is scanned once (its folded value
 * comes from the MatchContext cache, which the rules then reuse); only rules whose needle was
 * seen, plus rules with no derivable condition, are evaluated. Regular expressions and per-rule
 * string scans are thus replaced by one pass over each relevant value.
 */
/**
 * Which automata a set of candidate rules needs scanned (see Prefilter.plan): an event offered
 * to a few rules is scanned only for their fields' needles, and not at all when none of them has
 * a needle. `scan[k]` is 1 for the k-th automaton (numbered as created).
 */
export interface MarkPlan {
  readonly scan: Uint8Array;
  readonly none: boolean;
}

export class Prefilter {
  private automata = new Map<string, AhoCorasick>();
  /** automaton → its number in MarkPlan.scan */
  private number = new Map<AhoCorasick, number>();
  /** per rule, the numbers of the automata its needles are in */
  private ruleAutomata: number[][];
  private always: Uint8Array;
  /** per rule, its clause numbers; a clause is stamped with the epoch when one of its needles is seen */
  private clauses: Int32Array[];
  private stamp: Uint32Array;
  private epoch = 0;
  private byName = new Map<string, AhoCorasick | null>();
  readonly constrained: number;
  private readonly hit = (idx: number): void => {
    this.stamp[idx] = this.epoch;
  };

  constructor(needs: Need[]) {
    this.always = new Uint8Array(needs.length);
    let constrained = 0;
    let next = 0;
    this.ruleAutomata = needs.map(() => []);
    this.clauses = needs.map((n, idx) => {
      if (n === null || n.length === 0) {
        this.always[idx] = 1;
        return new Int32Array(0);
      }
      constrained++;
      return Int32Array.from(n, (clause) => {
        const id = next++;
        for (const { field, needle } of clause) {
          const key = field.toLowerCase();
          let a = this.automata.get(key);
          if (!a) {
            this.automata.set(key, (a = new AhoCorasick()));
            this.number.set(a, this.number.size);
          }
          const no = this.number.get(a)!;
          if (!this.ruleAutomata[idx].includes(no)) this.ruleAutomata[idx].push(no);
          // Any part of a necessary literal is itself necessary; its last 16 characters (paths
          // and names differ most at the end) keep needles selective while keeping the automaton
          // small (hash lists would otherwise dominate it).
          a.add(needle.length > MAX_NEEDLE ? needle.slice(-MAX_NEEDLE) : needle, id);
        }
        return id;
      });
    });
    this.stamp = new Uint32Array(next);
    this.constrained = constrained;
  }

  /**
   * Scans the event's fields; afterwards `passes(idx)` tells whether rule idx may match (every
   * clause seen). Values are read straight from the event, as MatchContext would convert them
   * (see toStrings), without building per-field arrays: this runs for every event.
   */
  mark(ev: WardEvent, plan?: MarkPlan): void {
    if (++this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    if (plan?.none) return;
    const scan = plan?.scan;
    let any = this.automata.get('*');
    if (any && scan && scan[this.number.get(any)!] === 0) any = undefined;
    const f = ev.fields;
    for (const k in f) {
      const v = f[k];
      if (v === undefined || v === null) continue;
      // field name as written → its automaton (or null): one lookup per field, names repeat
      let a = this.byName.get(k);
      if (a === undefined) {
        a = this.automata.get(k.toLowerCase()) ?? null;
        if (this.byName.size < 100_000) this.byName.set(k, a);
      }
      if (a && (scan === undefined || scan[this.number.get(a)!] === 1)) this.scanValue(v, a);
      if (any) this.scanValue(v, any);
    }
  }

  /**
   * The scans `passes(idx)` depends on for these rules only: the automata holding their needles.
   * Marking with a plan leaves other rules' clauses unstamped, so ask `passes` only of these.
   */
  plan(rules: readonly number[]): MarkPlan {
    const scan = new Uint8Array(this.number.size);
    for (const idx of rules) for (const no of this.ruleAutomata[idx]) scan[no] = 1;
    return { scan, none: scan.every((x) => x === 0) };
  }

  /** One field value, converted to text exactly as toStrings() does (arrays flattened). */
  private scanValue(v: unknown, a: AhoCorasick): void {
    if (typeof v === 'string') {
      if (!a.scanAsciiCaseless(v, this.hit)) a.scan(fold(v), this.hit);
    } else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
      a.scan(String(v), this.hit);
    } else if (v !== undefined && v !== null) {
      // lists and objects (rare): through toStrings itself, which flattens without recursion
      const all = toStrings(v) ?? [];
      for (let i = 0; i < all.length; i++) if (!a.scanAsciiCaseless(all[i], this.hit)) a.scan(fold(all[i]), this.hit);
    }
  }

  passes(idx: number): boolean {
    if (this.always[idx] === 1) return true;
    const cs = this.clauses[idx];
    for (let k = 0; k < cs.length; k++) if (this.stamp[cs[k]] !== this.epoch) return false;
    return true;
  }
}
