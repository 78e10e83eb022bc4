import { fold } from '../fold.js';

/** Rules that may apply to an event of this Channel and EventID (index + product), by rule index. */
export type CandidateLookup = (channel: string, eventId: string) => readonly number[];

/** One clause of a rule's need (need.ts): any of its needles must occur. */
export interface Clause {
  id: number;
  /** needles on Channel (slot 0) or EventID (1): judged once per pair */
  exact: { slot: number; needle: string }[];
  /** how many needles are on other fields (0: the clause is decided by the pair alone) */
  values: number;
  /** the fields (lower case) its needles are on; '*' for keywords */
  fields: string[];
}

/** Per (Channel, EventID): the candidate program, and which field routes it needs scanned. */
export interface Entry {
  /** per candidate with clauses left: rule index, clause count, the clause ids */
  prog: Int32Array;
  /** rules that run whatever the line holds (nothing left to check once the pair is known) */
  always: Int32Array;
  /** rule index → offset in prog of the clauses it has left to check; -1: not a candidate, or in `always` */
  ruleAt: Int32Array;
  /** 1 per route some remaining clause reads; undefined when keyword clauses make every value count */
  need: Uint8Array | undefined;
}

/**
 * The raw screen's candidates per (Channel, EventID) pair, and its verdict from the clauses a
 * line stamped: a rule may match when every clause it has left was stamped.
 */
export class PairPrograms {
  private cache = new Map<string, Entry>();
  private last: Entry | undefined;
  private lastChannel = '';
  private lastEventId = '';
  /** per rule: the call of verdict() that last examined it */
  private ruleStamp: Uint32Array;
  private calls = 0;

  constructor(
    /** per rule: its clauses, each with the EventID/Channel part (judged per pair) split off */
    private readonly ruleClauses: Clause[][],
    /** clause id → the rule it belongs to */
    private readonly clauseRule: Int32Array,
    /** field (lower case) → the routes whose automaton holds its needles */
    private readonly fieldRoutes: Map<string, number[]>,
    private readonly routes: number,
    private readonly lookup: CandidateLookup,
  ) {
    this.ruleStamp = new Uint32Array(ruleClauses.length);
  }

  /**
   * The candidates for a (Channel, EventID) pair with the clauses the pair leaves to check: the
   * EventID/Channel parts are judged here once; a rule whose EventID/Channel-only clause fails is
   * dropped, one with nothing left to check runs unconditionally.
   */
  entry(channel: string, eventId: string): Entry {
    // Logs come in runs of one event type: the previous pair answers most lines without a lookup.
    if (this.last && channel === this.lastChannel && eventId === this.lastEventId) return this.last;
    const key = `${channel}\u0000${eventId}`;
    let e = this.cache.get(key);
    if (!e) {
      e = this.build(channel, eventId);
      // an entry holds an index over every rule (12 KB for SigmaHQ's 3,000): a few thousand at most
      if (this.cache.size >= 2_048) this.cache.clear();
      this.cache.set(key, e);
    }
    this.last = e;
    this.lastChannel = channel;
    this.lastEventId = eventId;
    return e;
  }

  /**
   * The rules (ascending indexes) of entry `e` whose every remaining clause is stamped, given the
   * clauses a line stamped (`hits[0, nHits)`, and `stamp[clause] === epoch` for each); false for none.
   * Only rules with a stamped clause are looked at (few), not the pair's every candidate (a
   * thousand for Sysmon EID 1).
   */
  verdict(e: Entry, hits: Int32Array, nHits: number, stamp: Uint32Array, epoch: number): false | Int32Array {
    if (++this.calls === 0xffffffff) {
      this.ruleStamp.fill(0);
      this.calls = 1;
    }
    const call = this.calls;
    const p = e.prog;
    let out: number[] | undefined = e.always.length ? Array.from(e.always) : undefined;
    for (let h = 0; h < nHits; h++) {
      const rule = this.clauseRule[hits[h]];
      if (this.ruleStamp[rule] === call) continue;
      this.ruleStamp[rule] = call;
      const k = e.ruleAt[rule];
      if (k < 0) continue;
      const n = p[k + 1];
      let all = true;
      for (let j = 0; j < n; j++) if (stamp[p[k + 2 + j]] !== epoch) all = false;
      if (all) (out ??= []).push(rule);
    }
    if (out !== undefined && out.length > 1) out.sort((a, b) => a - b);
    return out === undefined ? false : Int32Array.from(out);
  }

  private build(channel: string, eventId: string): Entry {
    const vals = [fold(channel), fold(eventId)];
    const prog: number[] = [];
    const always: number[] = [];
    const ruleAt = new Int32Array(this.ruleClauses.length).fill(-1);
    let need: Uint8Array | undefined = new Uint8Array(this.routes + 1);
    for (const i of this.lookup(channel, eventId)) {
      const left: number[] = [];
      let out = false;
      for (const cl of this.ruleClauses[i]) {
        if (cl.exact.some((x) => vals[x.slot].includes(x.needle))) continue;
        if (cl.values === 0) out = true;
        else left.push(cl.id);
      }
      if (out) continue;
      if (left.length === 0) always.push(i);
      else ruleAt[i] = prog.length;
      prog.push(i, left.length, ...left);
      for (const cl of this.ruleClauses[i]) {
        if (!left.includes(cl.id) || !need) continue;
        for (const f of cl.fields) {
          if (f === '*') need = undefined;
          else for (const r of this.fieldRoutes.get(f) ?? []) need![r] = 1;
          if (!need) break;
        }
      }
    }
    return { prog: Int32Array.from(prog), always: Int32Array.from(always), ruleAt, need };
  }
}
