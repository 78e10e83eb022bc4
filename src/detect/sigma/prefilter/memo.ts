import { INVALID, jsonEscape } from '../../../sources/index.js';
import type { AhoCorasick } from './aho.js';

/**
 * Remembers what an automaton found in a JSON string value, keyed by the automaton and the
 * value's raw bytes, so a value met again costs a hash and a comparison instead of a walk through
 * a large automaton. Logs repeat their values: in the attack samples, read once, 85 % of the
 * values the raw screen scans (74 % of their bytes) were already scanned, for the same field, on
 * an earlier line (the same images, parents, users, hashes, service command lines); a hospital's
 * Sysmon logs repeat far more. The answer is exact: the same automaton over the same bytes finds
 * the same needles.
 *
 * Bounded: a fixed table and arenas, emptied at once when full. Values with non-ASCII bytes or
 * \\u escapes (which the automaton declines) and long values are not kept.
 */
export class ScanMemo {
  private readonly mask: number;
  /** per slot: hash tag (0: empty) and the entry's offset in `arena` (in 32-bit words) */
  private slots: Int32Array;
  /**
   * Entries, each in one run so a lookup touches the slot and one place: automaton id, value
   * length, payload count, the payloads, then the value's bytes (through `arenaBytes`), padded
   * to a word.
   */
  private arena: Int32Array;
  private arenaBytes: Uint8Array;
  private used = 0;
  private count = 0;
  /** values looked up (those the memo may hold) and values answered from memory, for reports */
  lookups = 0;
  answered = 0;
  // payloads found by the scan being recorded, and the caller's hit
  private found = new Int32Array(64);
  private nFound = 0;
  private outer: (payload: number) => void = () => {};
  private readonly collect = (payload: number): void => {
    this.outer(payload);
    if (this.nFound === this.found.length) {
      const grown = new Int32Array(this.found.length * 2);
      grown.set(this.found);
      this.found = grown;
    }
    this.found[this.nFound++] = payload;
  };

  constructor(
    slots = 1 << 16,
    arenaBytes = 4 << 20,
    private readonly maxValue = 512,
    /** bits of the hash kept (tests keep few, to make different values collide) */
    private readonly hashMask = -1,
  ) {
    this.mask = slots - 1;
    this.slots = new Int32Array(slots * 2);
    this.arena = new Int32Array(arenaBytes >> 2);
    this.arenaBytes = new Uint8Array(this.arena.buffer);
  }

  /**
   * `a.scanJsonString(bytes, at, end, hit)`, answered from memory when this automaton has met
   * these bytes before: the same return value, the same payloads reported.
   */
  scan(a: AhoCorasick, bytes: Uint8Array, at: number, end: number, hit: (payload: number) => void): number {
    // Find the closing quote, checking §7 and hashing as we go (FNV-1a, seeded by the automaton).
    let h = Math.imul(0x811c9dc5 ^ a.id, 0x01000193);
    let p = at;
    for (;;) {
      if (p >= end) return INVALID;
      const c = bytes[p];
      if (c === 0x22) break;
      if (c === 0x5c) {
        if (p + 1 >= end) return INVALID;
        const e = bytes[p + 1];
        if (e === 0x75) return a.scanJsonString(bytes, at, end, hit);
        if (jsonEscape(e) < 0) return INVALID;
        h = Math.imul(Math.imul(h ^ c, 0x01000193) ^ e, 0x01000193);
        p += 2;
        continue;
      }
      if (c < 0x20) return INVALID;
      if (c >= 0x80) return a.scanJsonString(bytes, at, end, hit);
      h = Math.imul(h ^ c, 0x01000193);
      p++;
    }
    const len = p - at;
    if (len > this.maxValue) return a.scanJsonString(bytes, at, end, hit);
    h &= this.hashMask;
    this.lookups++;
    const tag = h | 1;
    const mask = this.mask;
    const start = (h ^ (h >>> 15)) & mask;
    const slots = this.slots;
    const arena = this.arena;
    let i = start;
    for (;;) {
      const t = slots[2 * i];
      if (t === 0) break;
      if (t === tag) {
        const o = slots[2 * i + 1];
        if (arena[o] === a.id && arena[o + 1] === len) {
          const n = arena[o + 2];
          if (this.same(4 * (o + 3 + n), bytes, at, len)) {
            this.answered++;
            for (let k = 0; k < n; k++) hit(arena[o + 3 + k]);
            return p + 1;
          }
        }
      }
      i = (i + 1) & mask;
    }
    this.outer = hit;
    this.nFound = 0;
    const r = a.scanJsonString(bytes, at, end, this.collect);
    if (r === p + 1) this.keep(i, start, tag, a.id, bytes, at, len);
    return r;
  }

  private same(off: number, bytes: Uint8Array, at: number, len: number): boolean {
    const mem = this.arenaBytes;
    for (let k = 0; k < len; k++) if (mem[off + k] !== bytes[at + k]) return false;
    return true;
  }

  /**
   * Stores the scan just made in the empty slot i, the end of its probe from `start` (or, when
   * the memo is full, empties it and stores it at `start`).
   */
  private keep(i: number, start: number, tag: number, auto: number, bytes: Uint8Array, at: number, len: number): void {
    const n = this.nFound;
    const words = 3 + n + ((len + 3) >> 2);
    if (this.count * 2 > this.mask || this.used + words > this.arena.length) {
      this.slots.fill(0);
      this.count = this.used = 0;
      if (words > this.arena.length) return;
      i = start;
    }
    const o = this.used;
    const arena = this.arena;
    this.slots[2 * i] = tag;
    this.slots[2 * i + 1] = o;
    arena[o] = auto;
    arena[o + 1] = len;
    arena[o + 2] = n;
    for (let k = 0; k < n; k++) arena[o + 3 + k] = this.found[k];
    const mem = this.arenaBytes;
    const b0 = 4 * (o + 3 + n);
    for (let k = 0; k < len; k++) mem[b0 + k] = bytes[at + k];
    this.used += words;
    this.count++;
  }
}
