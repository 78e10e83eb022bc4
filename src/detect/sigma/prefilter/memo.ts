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
  private slotHash: Int32Array;
  private slotAuto: Int32Array;
  private slotOff: Int32Array;
  private slotLen: Int32Array;
  private slotPay: Int32Array;
  private slotNPay: Int32Array;
  private bytes: Uint8Array;
  private bytesUsed = 0;
  private pays: Int32Array;
  private paysUsed = 0;
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
    this.slotHash = new Int32Array(slots);
    this.slotAuto = new Int32Array(slots);
    this.slotOff = new Int32Array(slots);
    this.slotLen = new Int32Array(slots);
    this.slotPay = new Int32Array(slots);
    this.slotNPay = new Int32Array(slots);
    this.bytes = new Uint8Array(arenaBytes);
    this.pays = new Int32Array(arenaBytes >> 4);
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
    let i = start;
    for (;;) {
      const t = this.slotHash[i];
      if (t === 0) break;
      if (t === tag && this.slotAuto[i] === a.id && this.slotLen[i] === len && this.same(this.slotOff[i], bytes, at, len)) {
        this.answered++;
        const o = this.slotPay[i];
        const n = this.slotNPay[i];
        for (let k = 0; k < n; k++) hit(this.pays[o + k]);
        return p + 1;
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
    const mem = this.bytes;
    for (let k = 0; k < len; k++) if (mem[off + k] !== bytes[at + k]) return false;
    return true;
  }

  /**
   * Stores the scan just made in the empty slot i, the end of its probe from `start` (or, when
   * the memo is full, empties it and stores it at `start`).
   */
  private keep(i: number, start: number, tag: number, auto: number, bytes: Uint8Array, at: number, len: number): void {
    if (this.count * 2 > this.mask || this.bytesUsed + len > this.bytes.length || this.paysUsed + this.nFound > this.pays.length) {
      this.slotHash.fill(0);
      this.count = this.bytesUsed = this.paysUsed = 0;
      if (len > this.bytes.length || this.nFound > this.pays.length) return;
      i = start;
    }
    this.slotHash[i] = tag;
    this.slotAuto[i] = auto;
    this.slotOff[i] = this.bytesUsed;
    this.slotLen[i] = len;
    this.bytes.set(bytes.subarray(at, at + len), this.bytesUsed);
    this.bytesUsed += len;
    this.slotPay[i] = this.paysUsed;
    this.slotNPay[i] = this.nFound;
    this.pays.set(this.found.subarray(0, this.nFound), this.paysUsed);
    this.paysUsed += this.nFound;
    this.count++;
  }
}
