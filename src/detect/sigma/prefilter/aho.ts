/**
 * Aho–Corasick automaton over UTF-16 code units: finds, in one pass over a value, every needle
 * it contains. Each needle carries the rule indexes it stands for.
 */
export class AhoCorasick {
  private next: Map<number, number>[] = [new Map()];
  private fail: number[] = [0];
  private out: (number[] | undefined)[] = [undefined];
  private outLink: number[] = [0];
  private built = false;
  // After build(): transitions in one open-addressing hash table keyed by (state, char code),
  // typed arrays instead of a Map per state, because this loop runs over every scanned character.
  private hState = new Int32Array(0);
  private hChar = new Uint16Array(0);
  private hNext = new Int32Array(0);
  private hMask = 0;
  private failT = new Int32Array(0);
  private outLinkT = new Int32Array(0);
  private hasOut = new Uint8Array(0);
  /** ASCII transitions from the root, looked up directly (most characters stay at the root) */
  private root = new Int32Array(128);

  add(needle: string, payload: number): void {
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
    const queue: number[] = [];
    for (const t of this.next[0].values()) {
      this.fail[t] = 0;
      queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      for (const [c, t] of this.next[s]) {
        let f = this.fail[s];
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f];
        const ft = this.next[f].get(c);
        this.fail[t] = ft !== undefined && ft !== t ? ft : 0;
        this.outLink[t] = this.out[this.fail[t]] ? this.fail[t] : this.outLink[this.fail[t]];
        queue.push(t);
      }
    }
    this.compileTables();
    this.built = true;
  }

  private compileTables(): void {
    let edges = 0;
    for (const m of this.next) edges += m.size;
    let size = 1;
    while (size < edges * 2 + 2) size <<= 1;
    this.hMask = size - 1;
    this.hState = new Int32Array(size).fill(-1);
    this.hChar = new Uint16Array(size);
    this.hNext = new Int32Array(size);
    this.next.forEach((m, s) => {
      for (const [c, t] of m) {
        let h = (Math.imul(s, 0x9e3779b1) ^ c) & this.hMask;
        while (this.hState[h] !== -1) h = (h + 1) & this.hMask;
        this.hState[h] = s;
        this.hChar[h] = c;
        this.hNext[h] = t;
      }
    });
    this.root.fill(0);
    for (const [c, t] of this.next[0]) if (c < 128) this.root[c] = t;
    this.failT = Int32Array.from(this.fail);
    this.outLinkT = Int32Array.from(this.outLink);
    this.hasOut = Uint8Array.from(this.out, (o) => (o ? 1 : 0));
  }

  private step(s: number, c: number): number {
    if (s === 0 && c < 128) return this.root[c];
    const mask = this.hMask;
    let h = (Math.imul(s, 0x9e3779b1) ^ c) & mask;
    for (;;) {
      const hs = this.hState[h];
      if (hs === -1) return -1;
      if (hs === s && this.hChar[h] === c) return this.hNext[h];
      h = (h + 1) & mask;
    }
  }

  /**
   * Like scan() on the case-folded text, folding ASCII letters on the fly (needles are folded),
   * so no folded copy is allocated. Returns false, having reported nothing useful, when the text
   * holds non-ASCII characters: the caller then scans the properly folded string instead.
   */
  scanAsciiCaseless(text: string, hit: (payload: number) => void): boolean {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
    this.scanCodes(text, true, hit);
    return true;
  }

  /** Calls `hit` with the payload of every needle occurring in `text`. */
  scan(text: string, hit: (payload: number) => void): void {
    this.scanCodes(text, false, hit);
  }

  private scanCodes(text: string, lower: boolean, hit: (payload: number) => void): void {
    if (!this.built) this.build();
    const fail = this.failT;
    const out = this.out;
    const outLink = this.outLinkT;
    const hasOut = this.hasOut;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (lower && c >= 65 && c <= 90) c |= 0x20;
      let t = this.step(s, c);
      while (t <= 0 && s !== 0) {
        s = fail[s];
        t = this.step(s, c);
      }
      s = t < 0 ? 0 : t;
      if (s === 0) continue;
      let o = hasOut[s] ? s : outLink[s];
      while (o !== 0) {
        const ps = out[o]!;
        for (let k = 0; k < ps.length; k++) hit(ps[k]);
        o = outLink[o];
      }
    }
  }
}
