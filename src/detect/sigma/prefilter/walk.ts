import { DECLINE, INVALID, JsonStringReader, skipJsonString } from '../../../sources/index.js';
import type { AhoCorasick } from './aho.js';
import type { ScanMemo } from './memo.js';
import { NON_ASCII, type NameTable } from './names.js';
import { K_OTHER, K_EVENT, K_SYSTEM, K_EVENTDATA, K_USERDATA, K_CHANNEL, K_EVENTID, K_TEXT, K_ATTRS, structuralId } from './layout.js';

/** What the raw screen's walk of a line concluded. */
export const Walk = {
  /** every value was routed and scanned: the screen may judge the line from its stamps */
  JUDGED: 0,
  /** the line cannot be judged (not the layout, not valid JSON, unusual shape): parse it */
  UNSURE: 1,
  /** something the walk does not handle itself (escaped or non-ASCII names and values): take the general path */
  BAIL: 2,
} as const;
export type Walk = (typeof Walk)[keyof typeof Walk];

/** The raw screen (raw.ts) as the walk sees it. */
export interface WalkHost {
  readonly routes: AhoCorasick[];
  readonly keywords: AhoCorasick;
  readonly names: NameTable;
  readonly memo: ScanMemo;
  readonly hit: (payload: number) => void;
  /** routes the line's candidates need scanned; undefined: all */
  readonly need: Uint8Array | undefined;
  /** the line's Channel (t = 0) or EventID (1): ASCII bytes b[s, e) without escapes; s = e = -1 for a null Channel */
  pairValue(t: number, b: Uint8Array, s: number, e: number): void;
  /** Channel and EventID each seen once, in the layout: the host may narrow `need` */
  known(): void;
  /**
   * The line's EventData members, for vetoes (sigma/veto.ts): [0] how many (-1: too many to
   * record), [1] how many EventData objects, then per member its name's start and length and
   * its value's first byte. native/walk.c fills the same array the same way.
   */
  readonly members: Int32Array;
}

/**
 * Records a member of Event.EventData: name b[ks, ks + kl), value from `at`. Members past the
 * array's room mark the line as not recorded (-1): vetoes then leave it alone.
 */
export function recordMember(m: Int32Array, ks: number, kl: number, at: number): void {
  const n = m[0];
  if (n < 0) return;
  const k = 2 + 3 * n;
  if (k + 3 > m.length) {
    m[0] = -1;
    return;
  }
  m[k] = ks;
  m[k + 1] = kl;
  m[k + 2] = at;
  m[0] = n + 1;
}

const MAX_DEPTH = 64;
const KEY_CAP = 128;
/** a route standing for "cannot name this value's field": the line is unjudgeable */
const EVERYTHING = -2;
/** a value no candidate reads */
const NONE = -1;

const OBJECT = 1;
const ARRAY = 2;

/**
 * The raw screen's tokenizer and router in one loop over a line's bytes. The common evtx_dump
 * line (unescaped member names, a plain ASCII Channel and EventID) is checked as RFC 8259
 * requires, each member name is classified as it is read (no copy, no decoding), and each value
 * goes to its field's automaton (through the memo) or is skipped, by the same rules as raw.ts's
 * general path (JsonLineScanner with RawScreen as its sink), which answers whatever this walk
 * hands back as BAIL. Calling a sink per token with decoded names was most of the screen's cost;
 * this loop takes ~80 % of that time. Both paths must reach the same verdict on every line this
 * walk judges: test/sigma/raw-walk.test.ts compares them.
 */
export class LineWalk {
  private kind = new Uint8Array(MAX_DEPTH + 2);
  private keys = new Uint8Array(MAX_DEPTH + 2);
  private arrays = new Uint8Array(MAX_DEPTH + 2);
  private keyAt = new Int32Array(8);
  private keyLen = new Int32Array(8);
  private num = new Uint16Array(16);
  private strings = new JsonStringReader();
  private events = 0;
  private layout = false;
  private seen0 = 0;
  private seen1 = 0;
  private got0 = 0;
  private got1 = 0;

  walk(h: WalkHost, b: Uint8Array, start: number, end: number): Walk {
    this.events = this.seen0 = this.seen1 = this.got0 = this.got1 = 0;
    this.layout = false;
    const members = h.members;
    members[0] = members[1] = 0;
    const kind = this.kind;
    const keys = this.keys;
    const arrays = this.arrays;
    let p = skipWs(b, start, end);
    if (b[p] !== 0x7b) return Walk.UNSURE;
    p++;
    let d = 0;
    kind[0] = OBJECT;
    keys[1] = K_OTHER;
    arrays[1] = 0;
    let fresh = true;
    for (;;) {
      p = skipWs(b, p, end);
      if (p >= end) return Walk.UNSURE;
      let c = b[p];
      if (fresh && c === (kind[d] === OBJECT ? 0x7d : 0x5d)) {
        // an empty object or array: the value of its parent
        p++;
        if (d === 0) return Walk.UNSURE;
        d--;
      } else {
        const vd = d + 1;
        if (kind[d] === OBJECT) {
          // RFC 8259 §4: a member name, a colon, a value
          if (c !== 0x22) return Walk.UNSURE;
          const ks = ++p;
          let ascii = true;
          for (;;) {
            if (p >= end) return Walk.UNSURE;
            c = b[p];
            if (c === 0x22) break;
            if (c === 0x5c) return Walk.BAIL;
            if (c < 0x20) return Walk.UNSURE;
            if (c >= 0x80) ascii = false;
            p++;
          }
          const kl = p - ks;
          p = skipWs(b, p + 1, end);
          if (b[p] !== 0x3a || p >= end) return Walk.UNSURE;
          p = skipWs(b, p + 1, end);
          if (p >= end) return Walk.UNSURE;
          const id = ascii ? structuralId(b, ks, kl) : K_OTHER;
          keys[vd] = id;
          arrays[vd] = 0;
          if (vd < 6) {
            this.keyAt[vd] = ks;
            this.keyLen[vd] = kl > KEY_CAP ? -1 : kl;
          }
          if (id === K_EVENT && vd === 1) this.events++;
          else if (id === K_SYSTEM && vd === 2 && keys[1] === K_EVENT) this.layout = true;
          else if (id === K_CHANNEL) this.seen0++;
          else if (id === K_EVENTID) this.seen1++;
          else if (id === K_EVENTDATA && vd === 2 && keys[1] === K_EVENT) members[1]++;
          if (vd === 3 && keys[2] === K_EVENTDATA && keys[1] === K_EVENT) recordMember(members, ks, kl, p);
          c = b[p];
        }
        // a value at depth vd
        if (c === 0x22) {
          const t = this.target(vd);
          const r = this.route(h, b, vd);
          if (r === EVERYTHING) return Walk.UNSURE;
          if (t >= 0) {
            // Channel / EventID: plain ASCII only here
            const s = p + 1;
            let q = s;
            while (q < end && (c = b[q]) !== 0x22 && c !== 0x5c && c >= 0x20 && c < 0x80) q++;
            if (q >= end) return Walk.UNSURE;
            if (c !== 0x22) return c < 0x20 ? Walk.UNSURE : Walk.BAIL;
            if (r !== NONE) h.memo.scan(automaton(h, r), b, s, end, h.hit);
            this.pair(h, t, b, s, q);
            p = q + 1;
          } else if (r === NONE) {
            p = skipJsonString(b, p + 1, end);
            if (p === INVALID) return Walk.UNSURE;
          } else {
            const a = automaton(h, r);
            const q = h.memo.scan(a, b, p + 1, end, h.hit);
            if (q === INVALID) return Walk.UNSURE;
            if (q === DECLINE) {
              // non-ASCII characters or \u escapes: decoded, and scanned case-folded
              const str = this.strings;
              p = str.read(b, p + 1, end);
              if (p < 0 || !a.scanFoldedCodes(str.buf, str.len, h.hit)) return Walk.UNSURE;
            } else p = q;
          }
        } else if (c === 0x7b || c === 0x5b) {
          const array = c === 0x5b;
          if (vd >= MAX_DEPTH) return Walk.UNSURE;
          if (array && this.target(vd) >= 0) return Walk.UNSURE;
          kind[vd] = array ? ARRAY : OBJECT;
          keys[vd + 1] = K_OTHER;
          arrays[vd + 1] = array ? 1 : 0;
          d = vd;
          fresh = true;
          p++;
          continue;
        } else {
          p = this.scalar(h, b, p, end, vd);
          if (p < 0) return Walk.UNSURE;
        }
      }
      // after a value (or an empty container): a comma, or the end of the container(s)
      for (;;) {
        p = skipWs(b, p, end);
        c = p < end ? b[p] : -1;
        if (c === 0x2c) {
          p++;
          fresh = false;
          break;
        }
        if (c !== (kind[d] === OBJECT ? 0x7d : 0x5d)) return Walk.UNSURE;
        p++;
        if (d === 0) {
          if (skipWs(b, p, end) !== end) return Walk.UNSURE;
          return this.layout && this.events === 1 && this.seen0 === 1 && this.seen1 === 1 && this.got0 === 1 && this.got1 === 1
            ? Walk.JUDGED
            : Walk.UNSURE;
        }
        d--;
      }
    }
  }

  /** A Channel / EventID value read. */
  private pair(h: WalkHost, t: number, b: Uint8Array, s: number, e: number): void {
    if (t === 0) this.got0++;
    else this.got1++;
    h.pairValue(t, b, s, e);
    if (this.got0 === 1 && this.got1 === 1 && this.layout && this.seen0 === 1 && this.seen1 === 1) h.known();
  }

  /** A number, true, false or null at p; the position after it, or -1 when the line is not judged. */
  private scalar(h: WalkHost, b: Uint8Array, p: number, end: number, vd: number): number {
    const c = b[p];
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const w = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      if (p + w.length > end) return -1;
      for (let i = 0; i < w.length; i++) if (b[p + i] !== w.charCodeAt(i)) return -1;
      if (c !== 0x6e) {
        const r = this.route(h, b, vd);
        if (r === EVERYTHING) return -1;
        if (r !== NONE && !this.scanCodes(h, r, w)) return -1;
      }
      const t = this.target(vd);
      if (t < 0) return p + w.length;
      // "Channel": null indexes like no channel at all (RuleSet.candidatesFor); anything else is unusual
      if (t === 0 && c === 0x6e) {
        this.pair(h, 0, b, -1, -1);
        return p + w.length;
      }
      return -1;
    }
    // §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? — only a plain integer is
    // written as JavaScript writes it, so anything else leaves the line unjudged.
    const s = p;
    if (b[p] === 0x2d) p++;
    const d0 = p < end ? b[p] : -1;
    if (d0 === 0x30) p++;
    else if (d0 >= 0x31 && d0 <= 0x39) while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
    else return -1;
    const n = p < end ? b[p] : -1;
    if (n === 0x2e || n === 0x65 || n === 0x45) return -1;
    const len = p - s;
    if (len > 15 || (len === 2 && b[s] === 0x2d && b[s + 1] === 0x30)) return -1;
    const r = this.route(h, b, vd);
    if (r === EVERYTHING) return -1;
    if (r !== NONE) {
      const codes = this.num;
      for (let i = 0; i < len; i++) codes[i] = b[s + i];
      if (!automaton(h, r).scanFoldedCodes(codes, len, h.hit)) return -1;
    }
    const t = this.target(vd);
    if (t >= 0) this.pair(h, t, b, s, p);
    return p;
  }

  private scanCodes(h: WalkHost, r: number, w: string): boolean {
    const codes = this.num;
    for (let i = 0; i < w.length; i++) codes[i] = w.charCodeAt(i);
    return automaton(h, r).scanFoldedCodes(codes, w.length, h.hit);
  }

  /** Which of Channel (0) / EventID (1) a scalar at `depth` is the value of, or -1. */
  private target(depth: number): number {
    let k = this.keys[depth];
    if (k === K_TEXT && depth > 1) k = this.keys[depth - 1];
    return k === K_CHANNEL ? 0 : k === K_EVENTID ? 1 : -1;
  }

  /**
   * The route of a value at `depth` as raw.ts's route() finds it (following normalizeEvtxJson):
   * an index into h.routes (h.routes.length for the keyword automaton), NONE when the value becomes
   * no field or no candidate reads it, EVERYTHING when its field cannot be named.
   */
  private route(h: WalkHost, b: Uint8Array, depth: number): number {
    const k = this.keys;
    if (depth < 3 || k[1] !== K_EVENT) return NONE;
    const sect = k[2];
    if (sect === K_SYSTEM || sect === K_EVENTDATA) {
      if (depth === 3) return this.byName(h, b, 3, -1);
      if (depth === 4 && (k[4] === K_TEXT || this.arrays[4] === 1)) return this.byName(h, b, 3, -1);
      if (depth === 5 && sect === K_SYSTEM && k[4] === K_ATTRS) return this.byName(h, b, 3, 5);
      return EVERYTHING;
    }
    if (sect === K_USERDATA) {
      if (depth === 3) return NONE;
      if (depth === 4) return this.byName(h, b, 4, -1);
      if (depth === 5 && k[5] === K_TEXT) return this.byName(h, b, 4, -1);
      return EVERYTHING;
    }
    return NONE;
  }

  /** The route of the field named by the key at depth `a` (or, with `c`, `<key a>_<key c>`). */
  private byName(h: WalkHost, b: Uint8Array, a: number, c: number): number {
    const la = this.keyLen[a];
    const lc = c < 0 ? -1 : this.keyLen[c];
    if (la < 0 || (c >= 0 && lc < 0)) return EVERYTHING;
    // an item of a list has no name of its own (the last name read at that depth is another's)
    if (this.arrays[a] === 1 || (c >= 0 && this.arrays[c] === 1)) return EVERYTHING;
    const id = h.names.findBytes(b, this.keyAt[a], la, c < 0 ? 0 : this.keyAt[c], lc);
    const need = h.need;
    // Once Channel and EventID are known, fields no candidate rule reads are not scanned.
    if (id >= 0) return need !== undefined && need[id] === 0 ? NONE : id;
    if (id === NON_ASCII) return EVERYTHING;
    // "Threat Name" is also read as ThreatName (normalize/windows.ts).
    if (hasSpace(b, this.keyAt[a], la) || (c >= 0 && hasSpace(b, this.keyAt[c], lc))) return EVERYTHING;
    return need !== undefined ? NONE : h.routes.length;
  }
}

/** Route r's automaton: h.routes[r], or the keyword automaton for r = h.routes.length. */
const automaton = (h: WalkHost, r: number): AhoCorasick => (r === h.routes.length ? h.keywords : h.routes[r]);

function hasSpace(b: Uint8Array, s: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[s + i] === 0x20) return true;
  return false;
}

function skipWs(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = b[p];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    p++;
  }
  return p;
}
