import type { WardEvent } from '../../../normalize/index.js';
import type { MatchContext } from '../context.js';
import { AhoCorasick } from './aho.js';
import { fold } from '../fold.js';
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
export class Prefilter {
  private automata = new Map<string, AhoCorasick>();
  private always: Uint8Array;
  private stamp: Uint32Array;
  private epoch = 0;
  private lowerKey = new Map<string, string>();
  readonly constrained: number;
  private readonly hit = (idx: number): void => {
    this.stamp[idx] = this.epoch;
  };

  constructor(needs: Need[]) {
    this.always = new Uint8Array(needs.length);
    this.stamp = new Uint32Array(needs.length);
    let constrained = 0;
    needs.forEach((n, idx) => {
      if (n === null || n.length === 0) {
        this.always[idx] = 1;
        return;
      }
      constrained++;
      for (const { field, needle } of n) {
        const key = field.toLowerCase();
        let a = this.automata.get(key);
        if (!a) this.automata.set(key, (a = new AhoCorasick()));
        // Any part of a necessary literal is itself necessary; its last 16 characters (paths and
        // names differ most at the end) keep needles
        // selective while keeping the automaton small (hash lists would otherwise dominate it).
        a.add(needle.length > MAX_NEEDLE ? needle.slice(-MAX_NEEDLE) : needle, idx);
      }
    });
    for (const a of this.automata.values()) a.build();
    this.constrained = constrained;
  }

  /** Scans the event's fields; afterwards `passes(idx)` tells whether rule idx may match. */
  mark(ev: WardEvent, ctx: MatchContext): void {
    if (++this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    const hit = this.hit;
    const any = this.automata.get('*');
    if (any) {
      const all = ctx.all(true);
      for (let i = 0; i < all.length; i++) if (!any.scanAsciiCaseless(all[i], hit)) any.scan(fold(all[i]), hit);
    }
    for (const k in ev.fields) {
      let lk = this.lowerKey.get(k);
      if (lk === undefined) {
        lk = k.toLowerCase();
        if (this.lowerKey.size < 100_000) this.lowerKey.set(k, lk);
      }
      const a = this.automata.get(lk);
      if (!a) continue;
      const vals = ctx.cased(k);
      if (vals === null) continue;
      for (let i = 0; i < vals.length; i++) if (!a.scanAsciiCaseless(vals[i], hit)) a.scan(fold(vals[i]), hit);
    }
  }

  passes(idx: number): boolean {
    return this.always[idx] === 1 || this.stamp[idx] === this.epoch;
  }
}
