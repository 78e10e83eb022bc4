import { fold } from '../fold.js';

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
export class AhoCorasick {
  private next: Map<number, number>[] = [new Map()];
  private fail: number[] = [0];
  private out: (number[] | undefined)[] = [undefined];
  private outLink: number[] = [0];
  private built = false;

  /** ASCII code → class (0: in no needle) */
  private cls = new Uint8Array(128);
  /** the same, with A–Z mapped like a–z (needles are folded) */
  private clsFold = new Uint8Array(128);
  private width = 1;
  /**
   * states × width: the row offset (state × width) of the next state on each ASCII class,
   * failures resolved; bitwise-negated when that state reports a needle, so the scan loop tests
   * one sign instead of reading a second table.
   */
  private delta = new Int32Array(1);
  /** 1 when reaching the state reports something (its own needles or a suffix's) */
  private reports = new Uint8Array(1);
  private outLinkT = new Int32Array(1);
  private hasOut = new Uint8Array(1);
  private failT = new Int32Array(1);
  // Non-ASCII goto edges: open addressing keyed by (state, char code).
  private hState = new Int32Array(0);
  private hChar = new Uint16Array(0);
  private hNext = new Int32Array(0);
  private hMask = 0;

  private states = 1;

  /** Number of states (for memory accounting and tests). */
  get size(): number {
    return this.built ? this.states : this.next.length;
  }

  add(needle: string, payload: number): void {
    if (this.built) throw new Error('AhoCorasick: add() after build()');
    let s = 0;
    for (let i = 0; i < needle.length; i++) {
      const c = needle.charCodeAt(i);
      let t = this.next[s].get(c);
      if (t === undefined) {
        t = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.out.push(undefined);
        this.outLink.push(0);
        this.next[s].set(c, t);
      }
      s = t;
    }
    const o = (this.out[s] ??= []);
    if (!o.includes(payload)) o.push(payload);
    this.built = false;
  }

  build(): void {
    // Character classes first: every ASCII character used by a needle.
    this.cls = new Uint8Array(128);
    let width = 1;
    for (const m of this.next) for (const c of m.keys()) if (c < 128 && this.cls[c] === 0) this.cls[c] = width++;
    this.width = width;
    const n = this.next.length;
    const delta = new Int32Array(n * width);
    for (const [c, t] of this.next[0]) if (c < 128) delta[this.cls[c]] = t;
    // Breadth-first: a state's failure (shallower) is complete before the state itself.
    const queue: number[] = [];
    for (const t of this.next[0].values()) {
      this.fail[t] = 0;
      queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      const f = this.fail[s];
      delta.copyWithin(s * width, f * width, f * width + width);
      for (const [c, t] of this.next[s]) {
        if (c < 128) delta[s * width + this.cls[c]] = t;
        let g = f;
        let ft = this.next[g].get(c);
        while (ft === undefined && g !== 0) {
          g = this.fail[g];
          ft = this.next[g].get(c);
        }
        this.fail[t] = ft !== undefined && ft !== t ? ft : 0;
        this.outLink[t] = this.out[this.fail[t]] ? this.fail[t] : this.outLink[this.fail[t]];
        queue.push(t);
      }
    }
    this.reports = Uint8Array.from(this.out, (o, st) => (o || this.outLink[st] !== 0 ? 1 : 0));
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i];
      delta[i] = this.reports[t] === 1 ? ~(t * width) : t * width;
    }
    this.delta = delta;
    for (let c = 0; c < 128; c++) this.clsFold[c] = this.cls[c >= 65 && c <= 90 ? c | 0x20 : c];
    this.failT = Int32Array.from(this.fail);
    this.outLinkT = Int32Array.from(this.outLink);
    this.hasOut = Uint8Array.from(this.out, (o) => (o ? 1 : 0));
    this.compileWide();
    this.states = this.next.length;
    // The trie (a Map per state) is only needed to build; keeping it would leave hundreds of
    // thousands of small objects for every garbage collection to walk.
    this.next = [];
    this.fail = [];
    this.outLink = [];
    this.built = true;
  }

  private compileWide(): void {
    let edges = 0;
    for (const m of this.next) for (const c of m.keys()) if (c >= 128) edges++;
    let size = 1;
    while (size < edges * 2 + 2) size <<= 1;
    this.hMask = size - 1;
    this.hState = new Int32Array(size).fill(-1);
    this.hChar = new Uint16Array(size);
    this.hNext = new Int32Array(size);
    this.next.forEach((m, s) => {
      for (const [c, t] of m) {
        if (c < 128) continue;
        let h = (Math.imul(s, 0x9e3779b1) ^ c) & this.hMask;
        while (this.hState[h] !== -1) h = (h + 1) & this.hMask;
        this.hState[h] = s;
        this.hChar[h] = c;
        this.hNext[h] = t;
      }
    });
  }

  /** Goto on a non-ASCII character, or -1. */
  private wideGoto(s: number, c: number): number {
    const mask = this.hMask;
    let h = (Math.imul(s, 0x9e3779b1) ^ c) & mask;
    for (;;) {
      const hs = this.hState[h];
      if (hs === -1) return -1;
      if (hs === s && this.hChar[h] === c) return this.hNext[h];
      h = (h + 1) & mask;
    }
  }

  private wideStep(s: number, c: number): number {
    for (;;) {
      const t = this.wideGoto(s, c);
      if (t >= 0) return t;
      if (s === 0) return 0;
      s = this.failT[s];
    }
  }

  private report(s: number, hit: (payload: number) => void): void {
    let o = this.hasOut[s] ? s : this.outLinkT[s];
    while (o !== 0) {
      const ps = this.out[o]!;
      for (let k = 0; k < ps.length; k++) hit(ps[k]);
      o = this.outLinkT[o];
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
      s = delta[s + cls[c]];
      if (s < 0) {
        s = ~s;
        this.report(s / w, hit);
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

  /** One character from row offset s (ASCII through the DFA, others by goto/failure); new offset. */
  private feed(s: number, c: number, cls: Uint8Array, hit: (payload: number) => void): number {
    const w = this.width;
    if (c < 128) {
      s = this.delta[s + cls[c]];
      if (s < 0) {
        s = ~s;
        this.report(s / w, hit);
      }
      return s;
    }
    const t = this.wideStep(s / w, c);
    if (this.reports[t] === 1) this.report(t, hit);
    return t * w;
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
        s = delta[s + cls[c]];
        if (s < 0) {
          s = ~s;
          this.report(s / w, hit);
        }
        continue;
      }
      if (c === 0x3a3 || c === 0x3c2 || c === 0x3c3 || (c >= 0xd800 && c <= 0xdfff)) return false;
      const f = foldChar(c);
      for (let k = 0; k < f.length; k++) s = this.feed(s, f.charCodeAt(k), this.cls, hit);
    }
    return true;
  }
}
