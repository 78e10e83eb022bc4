import { fold } from '../fold.js';
import { DECLINE, INVALID, jsonEscape } from '../../../sources/index.js';

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
/**
 * Automata built so far in this thread and the time that took. They are built on first use (many
 * fields never occur in a given log), so this time falls in the first events of a run, not in
 * rule loading; benchmarks report it beside the load time.
 */
export const automatonBuilds = { count: 0, ms: 0 };

let automata = 0;

export class AhoCorasick {
  /** Distinct per automaton in this thread (a key for caches of scan results, memo.ts). */
  readonly id = ++automata;
  private needles: string[] = [];
  private payloads: number[] = [];
  private out: (number[] | undefined)[] = [];
  private built = false;

  /** ASCII code → class (0: in no needle) */
  private cls = new Uint8Array(128);
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
  private reports = new Uint8Array(1);
  private outLink = new Int32Array(1);
  private hasOut = new Uint8Array(1);
  private fail = new Int32Array(1);
  // The trie's goto edges, open addressing keyed by (state, char code): used to build, and kept
  // for the rare non-ASCII characters.
  private hState = new Int32Array(0);
  private hChar = new Uint16Array(0);
  private hNext = new Int32Array(0);
  private hMask = 0;
  private states = 1;

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
    this.construct();
    automatonBuilds.count++;
    automatonBuilds.ms += performance.now() - t0;
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

    // Character classes: every ASCII character used by a needle.
    const cls = new Uint8Array(128);
    let width = 1;
    for (let t = 1; t < n; t++) if (edge[t] < 128 && cls[edge[t]] === 0) cls[edge[t]] = width++;
    const delta = new Int32Array(n * width);
    const fail = new Int32Array(n);
    const outLink = new Int32Array(n);
    const queue = new Int32Array(n);
    let qn = 0;
    for (let t = firstChild[0]; t >= 0; t = nextSib[t]) {
      if (edge[t] < 128) delta[cls[edge[t]]] = t;
      queue[qn++] = t;
    }
    // Breadth-first: a state's failure (shallower) is complete before the state itself.
    for (let qi = 0; qi < qn; qi++) {
      const s = queue[qi];
      const f = fail[s];
      delta.copyWithin(s * width, f * width, f * width + width);
      for (let t = firstChild[s]; t >= 0; t = nextSib[t]) {
        const c = edge[t];
        if (c < 128) {
          delta[s * width + cls[c]] = t;
          // The failure state's row is complete (breadth-first): its move on c is t's failure.
          fail[t] = s === 0 ? 0 : delta[f * width + cls[c]];
        } else {
          let g = f;
          let ft = this.goto(g, c);
          while (ft < 0 && g !== 0) {
            g = fail[g];
            ft = this.goto(g, c);
          }
          fail[t] = ft > 0 ? ft : 0;
        }
        outLink[t] = out[fail[t]] ? fail[t] : outLink[fail[t]];
        queue[qn++] = t;
      }
    }
    // Renumber the states breadth-first. A scan spends nearly all its steps in shallow states,
    // which the trie numbered in needle order, scattered over a table of megabytes (a cache miss
    // per character); in breadth-first order they sit together at the start and stay cached.
    const perm = new Int32Array(n);
    for (let i = 0; i < qn; i++) perm[queue[i]] = i + 1;
    const reports = new Uint8Array(n);
    for (let t = 0; t < n; t++) reports[t] = out[t] || outLink[t] !== 0 ? 1 : 0;
    // Rows hold the next state's index, bitwise-negated when it reports (the scan loop tests a
    // sign instead of reading a second table). 16 bits whenever the states allow it: the scan's
    // working set is these rows, and halving them halves the cache misses of a large automaton.
    const rows = n < 0x8000 ? new Int16Array(n * width) : new Int32Array(n * width);
    const failBfs = new Int32Array(n);
    const outLinkBfs = new Int32Array(n);
    const outBfs: (number[] | undefined)[] = new Array(n);
    const reportsBfs = new Uint8Array(n);
    const hasOut = new Uint8Array(n);
    for (let s = 0; s < n; s++) {
      const ns = perm[s];
      const from = s * width;
      const to = ns * width;
      for (let k = 0; k < width; k++) {
        const t = delta[from + k];
        rows[to + k] = reports[t] === 1 ? ~perm[t] : perm[t];
      }
      failBfs[ns] = perm[fail[s]];
      outLinkBfs[ns] = perm[outLink[s]];
      outBfs[ns] = out[s];
      reportsBfs[ns] = reports[s];
      hasOut[ns] = out[s] ? 1 : 0;
    }
    const [hs, hc, hn] = [this.hState, this.hChar, this.hNext];
    this.hState = new Int32Array(hs.length).fill(-1);
    this.hChar = new Uint16Array(hs.length);
    this.hNext = new Int32Array(hs.length);
    for (let h = 0; h < hs.length; h++) if (hs[h] !== -1) this.put(perm[hs[h]], hc[h], perm[hn[h]]);
    for (let c = 0; c < 128; c++) this.clsFold[c] = cls[c >= 65 && c <= 90 ? c | 0x20 : c];
    this.cls = cls;
    this.width = width;
    this.delta = rows;
    this.fail = failBfs;
    this.outLink = outLinkBfs;
    this.out = outBfs;
    this.hasOut = hasOut;
    this.reports = reportsBfs;
    this.states = n;
    this.built = true;
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

  private report(s: number, hit: (payload: number) => void): void {
    let o = this.hasOut[s] ? s : this.outLink[s];
    while (o !== 0) {
      const ps = this.out[o]!;
      for (let k = 0; k < ps.length; k++) hit(ps[k]);
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

  /** Calls `hit` with the payload of every needle occurring in `text` (as is, no folding). */
  scan(text: string, hit: (payload: number) => void): void {
    if (!this.built) this.build();
    let s = 0;
    for (let i = 0; i < text.length; i++) s = this.feed(s, text.charCodeAt(i), this.cls, hit);
  }

  /** One character from state s (ASCII through the DFA, others by goto/failure); the new state. */
  private feed(s: number, c: number, cls: Uint8Array, hit: (payload: number) => void): number {
    if (c < 128) {
      s = this.delta[s * this.width + cls[c]];
      if (s < 0) {
        s = ~s;
        this.report(s, hit);
      }
      return s;
    }
    const t = this.wideStep(s, c);
    if (this.reports[t] === 1) this.report(t, hit);
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
