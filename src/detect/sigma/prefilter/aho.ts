import { fold } from '../fold.js';
import { DECLINE, INVALID, jsonEscape } from '../../../sources/index.js';
import { nativeScreenAddon, type BuiltAutomaton } from './addon.js';

const foldCache = new Map<number, string>();
/** fold() of one non-ASCII character (fold is per character except for Greek sigma). */
function foldChar(c: number): string {
  let f = foldCache.get(c);
  if (f === undefined) {
    f = fold(String.fromCharCode(c));
    foldCache.set(c, f);
  }
  return f;
}


/** An automaton's DFA rows and reports as typed arrays (see AhoCorasick.tables). */
export interface AutomatonTables {
  delta: Int16Array | Int32Array;
  width: number;
  /** ASCII code → class, A–Z folded */
  cls: Uint8Array;
  hasOut: Uint8Array;
  outLink: Int32Array;
  /** state s reports outData[outStart[s], outStart[s + 1]) */
  outStart: Int32Array;
  outData: Int32Array;
}

/**
 * Automata built so far in this thread and the time that took. They are built on first use (many
 * fields never occur in a given log), so this time falls in the first events of a run, not in
 * rule loading; benchmarks report it beside the load time.
 */
export const automatonBuilds = { count: 0, ms: 0 };

let automata = 0;

/**
 * Aho–Corasick automaton over UTF-16 code units: finds, in one pass over a value, every needle
 * it contains. Each needle carries the rule indexes it stands for.
 *
 * After build() the ASCII part is a complete DFA: one row per state, one column per character
 * class (each ASCII character that occurs in a needle has its own class, every other ASCII
 * character shares class 0), failure links already folded into the rows. A scanned ASCII
 * character thus costs two array reads whatever the state. Non-ASCII characters, rare in logs and
 * needles, walk the classic goto/failure links through a hash table.
 */
export class AhoCorasick {
  /** Distinct per automaton in this thread (a key for caches of scan results, memo.ts). */
  readonly id = ++automata;
  private needles: string[] = [];
  private payloads: number[] = [];
  /** state s reports payloads outData[outStart[s], outStart[s + 1]) */
  private outStart: Int32Array = new Int32Array(2);
  private outData: Int32Array = new Int32Array(1);
  private built = false;

  /** ASCII code → class (0: in no needle) */
  private cls: Uint8Array = new Uint8Array(128);
  /** the same, with A–Z mapped like a–z (needles are folded) */
  private clsFold = new Uint8Array(128);
  private width = 1;
  /**
   * states × width: the next state on each ASCII class,
   * failures resolved; bitwise-negated when that state reports a needle, so the scan loop tests
   * one sign instead of reading a second table.
   */
  private delta: Int16Array | Int32Array = new Int16Array(1);
  /** 1 when reaching the state reports something (its own needles or a suffix's) */
  private reports: Uint8Array = new Uint8Array(1);
  private outLink: Int32Array = new Int32Array(1);
  private hasOut: Uint8Array = new Uint8Array(1);
  private fail: Int32Array = new Int32Array(1);
  // The trie's goto edges, open addressing keyed by (state, char code): used to build, and kept
  // for the rare non-ASCII characters.
  private hState = new Int32Array(0);
  private hChar = new Uint16Array(0);
  private hNext = new Int32Array(0);
  private hMask = 0;
  private states = 1;
  private flat: AutomatonTables | undefined;

  /**
   * @param opts.native false: build in JavaScript even where the native build (native/build.c,
   *   its twin) is available — for the tests that compare the two
   */
  constructor(private readonly opts: { native?: boolean } = {}) {}

  /** The DFA as typed arrays (built first if need be), for the native walk (native.ts). */
  tables(): AutomatonTables {
    if (!this.built) this.build();
    this.flat ??= { delta: this.delta, width: this.width, cls: this.clsFold, hasOut: this.hasOut, outLink: this.outLink, outStart: this.outStart, outData: this.outData };
    return this.flat;
  }

  /** Number of states (for memory accounting and tests). */
  get size(): number {
    if (!this.built) this.build();
    return this.states;
  }

  add(needle: string, payload: number): void {
    if (this.built) throw new Error('AhoCorasick: add() after build()');
    this.needles.push(needle);
    this.payloads.push(payload);
  }

  /**
   * Builds the trie, failure links and DFA rows. Typed arrays throughout (a child list per state
   * as first-child / next-sibling links) rather than an object per state: with tens of thousands
   * of needles the automaton has ~10^5 states, built at rule load and then never touched by GC.
   */
  build(): void {
    const t0 = performance.now();
    const addon = this.opts.native === false ? null : nativeScreenAddon();
    let built = false;
    if (addon) {
      try {
        this.adopt(addon.build(...this.packed()));
        built = true;
      } catch {
        // a runtime that refuses external buffers, or memory short: the JavaScript build
      }
    }
    if (!built) this.construct();
    automatonBuilds.count++;
    automatonBuilds.ms += performance.now() - t0;
  }

  /** The needles as one array of code units, where each starts, and their payloads. */
  private packed(): [Uint16Array, Int32Array, Int32Array] {
    const offsets = new Int32Array(this.needles.length + 1);
    for (let k = 0; k < this.needles.length; k++) offsets[k + 1] = offsets[k] + this.needles[k].length;
    const codes = new Uint16Array(offsets[this.needles.length]);
    this.needles.forEach((needle, k) => {
      for (let i = 0; i < needle.length; i++) codes[offsets[k] + i] = needle.charCodeAt(i);
    });
    return [codes, offsets, Int32Array.from(this.payloads)];
  }

  /** Takes the tables the native build made (the same construct() makes). */
  private adopt(t: BuiltAutomaton): void {
    this.needles = [];
    this.payloads = [];
    this.keepWide(t.wide);
    this.finish(t.cls, t.width, t.delta, t.fail, t.outLink, t.outStart, t.outData, t.hasOut, t.reports, t.states);
  }

  /** After the build only non-ASCII characters need the edge table: just those edges (state, char, next). */
  private keepWide(wide: ArrayLike<number>): void {
    let size = 4;
    while (size < wide.length) size <<= 1;
    this.hMask = size - 1;
    this.hState = new Int32Array(size).fill(-1);
    this.hChar = new Uint16Array(size);
    this.hNext = new Int32Array(size);
    for (let i = 0; i < wide.length; i += 3) this.put(wide[i], wide[i + 1], wide[i + 2]);
  }

  private finish(
    cls: Uint8Array, width: number, delta: Int16Array | Int32Array, fail: Int32Array, outLink: Int32Array,
    outStart: Int32Array, outData: Int32Array, hasOut: Uint8Array, reports: Uint8Array, states: number,
  ): void {
    for (let c = 0; c < 128; c++) this.clsFold[c] = cls[c >= 65 && c <= 90 ? c | 0x20 : c];
    this.cls = cls;
    this.width = width;
    this.delta = delta;
    this.fail = fail;
    this.outLink = outLink;
    this.outStart = outStart;
    this.outData = outData;
    this.hasOut = hasOut;
    this.reports = reports;
    this.states = states;
    this.built = true;
  }

  private construct(): void {
    let cap = 1;
    for (const n of this.needles) cap += n.length;
    let size = 1;
    while (size < cap * 2) size <<= 1;
    this.hMask = size - 1;
    this.hState = new Int32Array(size).fill(-1);
    this.hChar = new Uint16Array(size);
    this.hNext = new Int32Array(size);
    const firstChild = new Int32Array(cap).fill(-1);
    const nextSib = new Int32Array(cap).fill(-1);
    const edge = new Uint16Array(cap);
    const out: (number[] | undefined)[] = [];
    let n = 1;
    this.needles.forEach((needle, k) => {
      let s = 0;
      for (let i = 0; i < needle.length; i++) {
        const c = needle.charCodeAt(i);
        let t = this.goto(s, c);
        if (t < 0) {
          t = n++;
          this.put(s, c, t);
          edge[t] = c;
          nextSib[t] = firstChild[s];
          firstChild[s] = t;
        }
        s = t;
      }
      const o = (out[s] ??= []);
      if (!o.includes(this.payloads[k])) o.push(this.payloads[k]);
    });
    this.needles = [];
    this.payloads = [];

    // States are numbered breadth-first. A scan spends nearly all its steps in shallow states,
    // which the trie numbered in needle order, scattered over a table of megabytes (a cache miss
    // per character); breadth-first they sit together at the start and stay cached. The rows are
    // built in that order directly, in 16 bits whenever the states allow it.
    const order = new Int32Array(n);
    const perm = new Int32Array(n);
    let qn = 1;
    for (let qi = 0; qi < qn; qi++) {
      for (let t = firstChild[order[qi]]; t >= 0; t = nextSib[t]) {
        perm[t] = qn;
        order[qn++] = t;
      }
    }
    // Character classes: every ASCII character used by a needle.
    const cls = new Uint8Array(128);
    let width = 1;
    for (let t = 1; t < n; t++) if (edge[t] < 128 && cls[edge[t]] === 0) cls[edge[t]] = width++;
    const rows = n < 0x8000 ? new Int16Array(n * width) : new Int32Array(n * width);
    const fail = new Int32Array(n);
    const outLink = new Int32Array(n);
    const outs: (number[] | undefined)[] = new Array(n);
    const wide: number[] = []; // non-ASCII edges: state, char, next (breadth-first numbers)
    // A state's failure is shallower, so complete before the state itself: its row is copied,
    // then the state's own edges written over it.
    for (let s = 0; s < n; s++) {
      const ts = order[s];
      const f = fail[s];
      outs[s] = out[ts];
      if (s > 0) rows.copyWithin(s * width, f * width, f * width + width);
      for (let t = firstChild[ts]; t >= 0; t = nextSib[t]) {
        const c = edge[t];
        const u = perm[t];
        if (c < 128) {
          // the failure state's row is complete: its move on c is u's failure
          fail[u] = s === 0 ? 0 : rows[f * width + cls[c]];
          rows[s * width + cls[c]] = u;
        } else {
          let g = f;
          let ft = this.goto(order[g], c);
          while (ft < 0 && g !== 0) {
            g = fail[g];
            ft = this.goto(order[g], c);
          }
          fail[u] = ft > 0 && s !== 0 ? perm[ft] : 0;
          wide.push(s, c, u);
        }
        outLink[u] = out[order[fail[u]]] ? fail[u] : outLink[fail[u]];
      }
    }
    const reports = new Uint8Array(n);
    const hasOut = new Uint8Array(n);
    const outStart = new Int32Array(n + 1);
    for (let s = 0; s < n; s++) {
      hasOut[s] = outs[s] ? 1 : 0;
      reports[s] = outs[s] || outLink[s] !== 0 ? 1 : 0;
      outStart[s + 1] = outStart[s] + (outs[s]?.length ?? 0);
    }
    const outData = new Int32Array(Math.max(1, outStart[n]));
    for (let s = 0; s < n; s++) if (outs[s]) outData.set(outs[s]!, outStart[s]);
    // Rows hold the next state, bitwise-negated when it reports: the scan loop tests a sign
    // instead of reading a second table.
    for (let i = 0; i < rows.length; i++) if (reports[rows[i]] === 1) rows[i] = ~rows[i];
    this.keepWide(wide);
    this.finish(cls, width, rows, fail, outLink, outStart, outData, hasOut, reports, n);
  }

  private put(s: number, c: number, t: number): void {
    let h = (Math.imul(s, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b)) & this.hMask;
    while (this.hState[h] !== -1) h = (h + 1) & this.hMask;
    this.hState[h] = s;
    this.hChar[h] = c;
    this.hNext[h] = t;
  }

  /** The trie edge from s on c, or -1. */
  private goto(s: number, c: number): number {
    const mask = this.hMask;
    let h = (Math.imul(s, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b)) & mask;
    for (;;) {
      const hs = this.hState[h];
      if (hs === -1) return -1;
      if (hs === s && this.hChar[h] === c) return this.hNext[h];
      h = (h + 1) & mask;
    }
  }

  /** Goto with failure links, for non-ASCII characters (the DFA rows cover ASCII only). */
  private wideStep(s: number, c: number): number {
    for (;;) {
      const t = this.goto(s, c);
      if (t >= 0) return t;
      if (s === 0) return 0;
      s = this.fail[s];
    }
  }

  private report(s: number, hit: (payload: number, end: number) => void, end = 0): void {
    let o = this.hasOut[s] ? s : this.outLink[s];
    while (o !== 0) {
      for (let k = this.outStart[o]; k < this.outStart[o + 1]; k++) hit(this.outData[k], end);
      o = this.outLink[o];
    }
  }

  /**
   * Like scan() on the case-folded text, folding ASCII letters on the fly (needles are folded),
   * so no folded copy is allocated. Returns false when the text holds non-ASCII characters (having
   * reported only genuine hits in the ASCII prefix): the caller then scans the folded string.
   */
  scanAsciiCaseless(text: string, hit: (payload: number) => void): boolean {
    if (!this.built) this.build();
    const delta = this.delta;
    const cls = this.clsFold;
    const w = this.width;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // Hits reported so far stand: folding the whole text leaves its ASCII prefix as lowercase.
      if (c > 127) return false;
      s = delta[s * w + cls[c]];
      if (s < 0) {
        s = ~s;
        this.report(s, hit);
      }
    }
    return true;
  }

  /**
   * Calls `hit` with the payload of every needle occurring in `text` (as is, no folding) and
   * where that occurrence ends (the index after its last code unit).
   */
  scan(text: string, hit: (payload: number, end: number) => void): void {
    if (!this.built) this.build();
    let s = 0;
    for (let i = 0; i < text.length; i++) s = this.feed(s, text.charCodeAt(i), this.cls, hit, i + 1);
  }

  /** One character from state s (ASCII through the DFA, others by goto/failure); the new state. */
  private feed(s: number, c: number, cls: Uint8Array, hit: (payload: number, end: number) => void, end = 0): number {
    if (c < 128) {
      s = this.delta[s * this.width + cls[c]];
      if (s < 0) {
        s = ~s;
        this.report(s, hit, end);
      }
      return s;
    }
    const t = this.wideStep(s, c);
    if (this.reports[t] === 1) this.report(t, hit, end);
    return t;
  }

  /**
   * Like scan() over `codes[0, len)` case-folded as fold() folds a whole string: ASCII letters
   * inline, other characters through a cache of their single-character folding. Returns false
   * (the result may then miss needles) for characters whose folding depends on their neighbours:
   * Greek sigma (final form) and surrogate halves.
   */
  scanFoldedCodes(codes: Uint16Array, len: number, hit: (payload: number) => void): boolean {
    if (!this.built) this.build();
    const delta = this.delta;
    const cls = this.clsFold;
    const w = this.width;
    let s = 0;
    for (let i = 0; i < len; i++) {
      const c = codes[i];
      if (c < 128) {
        s = delta[s * w + cls[c]];
        if (s < 0) {
          s = ~s;
          this.report(s, hit);
        }
        continue;
      }
      if (c === 0x3a3 || c === 0x3c2 || c === 0x3c3 || (c >= 0xd800 && c <= 0xdfff)) return false;
      const f = foldChar(c);
      for (let k = 0; k < f.length; k++) s = this.feed(s, f.charCodeAt(k), this.cls, hit);
    }
    return true;
  }

  /**
   * scanFoldedCodes() straight from a JSON string's UTF-8 bytes, its opening quote just before
   * `at`: ASCII characters and two-character escapes (RFC 8259 §7) go through the DFA as they
   * are read, so the common value is neither decoded nor copied. Returns the position past the
   * closing quote; INVALID where §7 forbids what it meets (a raw control character, a bad
   * escape, no closing quote); DECLINE at the first non-ASCII byte or `\u` escape — the caller
   * then decodes the value and scans it whole (hits already reported stand: they lie in the
   * value's ASCII prefix, which folding leaves as it is).
   */
  scanJsonString(bytes: Uint8Array, at: number, end: number, hit: (payload: number) => void): number {
    if (!this.built) this.build();
    const delta = this.delta;
    const cls = this.clsFold;
    const w = this.width;
    let s = 0;
    let p = at;
    while (p < end) {
      let c = bytes[p++];
      if (c === 0x22) return p;
      if (c === 0x5c) {
        if (p >= end) return INVALID;
        const e = bytes[p++];
        if (e === 0x75) return DECLINE;
        c = jsonEscape(e);
        if (c < 0) return INVALID;
      } else if (c < 0x20) return INVALID;
      else if (c >= 0x80) return DECLINE;
      s = delta[s * w + cls[c]];
      if (s < 0) {
        s = ~s;
        this.report(s, hit);
      }
    }
    return INVALID;
  }
}
