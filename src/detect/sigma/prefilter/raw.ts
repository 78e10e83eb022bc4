import { unitsToString } from '../../../util/index.js';
import { JsonLineScanner, type JsonScanSink, DECLINE, skipJsonString } from '../../../sources/index.js';
import { AhoCorasick } from './aho.js';
import type { Need } from './need.js';
import { NameTable, NON_ASCII } from './names.js';
import { PairPrograms, type CandidateLookup, type Clause, type Entry } from './program.js';
import { opensWithEvent, PairPeek } from './peek.js';
import { ScanMemo } from './memo.js';
import { NeedleWindows } from './window.js';
import { LineWalk, Walk, type WalkHost } from './walk.js';
import { NativeScreen, type NativeHost } from './native.js';
import { nativeScreenAddon } from './addon.js';
import { K_OTHER, K_EVENT, K_SYSTEM, K_EVENTDATA, K_USERDATA, K_CHANNEL, K_EVENTID, K_TEXT, K_ATTRS, structuralId } from './layout.js';

// Shorter than the per-field prefilter's 16: the screen scans every value of every line, and smaller
// automata stay in cache (8 characters halve the states for a ~2 % loss in lines screened out).
const MAX_NEEDLE = 8;
const MAX_DEPTH = 66;
const KEY_CAP = 128;
/** EventData members recorded per line (a Security logon has ~21); a line with more is never vetoed */
const MEMBERS = 96;

const TRUE = Uint16Array.from('true', (c) => c.charCodeAt(0));
const FALSE = Uint16Array.from('false', (c) => c.charCodeAt(0));

export interface RawScreenOptions {
  /** (field, source): the layout gives `field` a copy of `source`'s value (aliases) */
  copies: [string, string][];
  /** false: every line by the general path (tests compare it with the walk) */
  walk?: boolean;
  /** false: the walk in JavaScript even where the native addon is built (tests compare them) */
  native?: boolean;
  /**
   * The last step for a line the needles kept (sigma/veto.ts): true when none of the candidate
   * rules can match, judged from the line's EventData members (WalkHost.members).
   */
  veto?: (cands: Int32Array, bytes: Uint8Array, members: Int32Array) => boolean;
}

export interface ScreenStats {
  /** values looked up in the memo of scans, and how many it answered */
  lookups: number;
  answered: number;
  /** lines the one-loop walk (walk.ts) went through, and lines that then took the general path */
  walked: number;
  general: number;
  /** whether lines are screened in native code (native.ts) */
  native: boolean;
}

/**
 * The literal prefilter applied to the raw text of an evtx_dump-style JSON line, before anything is
 * parsed (the same necessary needles as prefilter/index.ts, judged from bytes). Each value is
 * scanned, unescaped and case-folded, by the automaton of the field it will become — routed by
 * its member name the way normalize/windows.ts flattens (EventData/UserData children, System
 * children and their `#attributes` as Name_Attr, `#text`, aliases and copies inverted); needles
 * on EventID and Channel are judged once per (Channel, EventID) pair. When no rule that could
 * apply to the event has a needle in it (and none is evaluated unconditionally), no rule can
 * match, so the line need not be parsed, normalized or evaluated.
 *
 * The screen is a superset test, never a verdict: it answers "may match" whenever it cannot be
 * certain — the line is not the nested Windows layout, is not valid JSON (JSON.parse then reports
 * the error), repeats Channel/EventID, nests values where the layout does not put fields (those
 * are scanned for every needle), holds a number whose text differs from its JavaScript string
 * form, or a character whose folding depends on its neighbours.
 */
export class RawScreen implements JsonScanSink, WalkHost, NativeHost {
  readonly routes: AhoCorasick[] = [];
  readonly names = new NameTable();
  /** keyword needles: any field value */
  readonly keywords = new AhoCorasick();
  /**
   * Stands for "the field of this value cannot be named": never scanned; routing a value here
   * makes the line unjudgeable (an automaton of every needle would cost more to build than the
   * few such lines cost to parse).
   */
  private readonly everything = new AhoCorasick();
  private programs: PairPrograms;
  /** routes the current line's (Channel, EventID) candidates need scanned; undefined: all */
  need: Uint8Array | undefined;
  private stamp: Uint32Array;
  private epoch = 0;
  private scanner = new JsonLineScanner();
  private peek = new PairPeek();
  /** whether the byte search found this line's Channel and EventID */
  private peeked = false;
  readonly memo = new ScanMemo();
  private walker: LineWalk | undefined;
  private native: NativeScreen | undefined;
  private walked = 0;
  private general = 0;
  private readonly veto: RawScreenOptions['veto'];
  readonly members = new Int32Array(2 + 3 * MEMBERS);
  /** the clauses stamped on this line, in the order first seen */
  private hits = new Int32Array(64);
  private nHits = 0;
  readonly hit = (idx: number): void => {
    if (this.stamp[idx] === this.epoch) return;
    this.stamp[idx] = this.epoch;
    if (this.nHits === this.hits.length) {
      const grown = new Int32Array(this.hits.length * 2);
      grown.set(this.hits);
      this.hits = grown;
    }
    this.hits[this.nHits++] = idx;
  };

  // per-line state
  private keys = new Uint8Array(MAX_DEPTH);
  private arrays = new Uint8Array(MAX_DEPTH);
  private keyCodes: Uint16Array[] = Array.from({ length: 6 }, () => new Uint16Array(KEY_CAP));
  private keyLens = new Int32Array(6);
  private composite = new Uint16Array(KEY_CAP * 2 + 1);
  private num = new Uint16Array(16);
  private unsure = false;
  private layout = false;
  private events = 0;
  private seen = [0, 0];
  private got = [0, 0];
  private channel = '';
  private eventId = '';

  constructor(
    needs: Need[],
    lookup: CandidateLookup,
    opts: RawScreenOptions,
  ) {
    const byField = new Map<string, [string, number][]>();
    const keyword: [string, number][] = [];
    let next = 0;
    const clauseRule: number[] = [];
    const windows = new NeedleWindows(needs, MAX_NEEDLE);
    const ruleClauses: Clause[][] = needs.map((n, rule) => {
      if (n === null || n.length === 0) return [];
      return n.map((clause) => {
        const id = next++;
        clauseRule.push(rule);
        const exact: { slot: number; needle: string }[] = [];
        let values = 0;
        for (const { field, needle } of clause) {
          const cut = windows.pick(needle);
          const f = field.toLowerCase();
          if (f === 'eventid' || f === 'channel') {
            exact.push({ slot: f === 'channel' ? 0 : 1, needle });
            continue;
          }
          values++;
          if (f === '*') keyword.push([cut, id]);
          else {
            const l = byField.get(f) ?? [];
            l.push([cut, id]);
            byField.set(f, l);
          }
        }
        return { id, exact, values, fields: [...new Set(clause.map((x) => x.field.toLowerCase()))] };
      });
    });
    if (opts.walk !== false) this.walker = new LineWalk();
    this.veto = opts.veto;
    this.stamp = new Uint32Array(next);
    for (const [n, i] of keyword) this.keywords.add(n, i);
    const fieldRoutes = new Map<string, number[]>();
    // Invert the copies: a value found under `source` is also read as each field copied from it.
    const feeds = new Map<string, Set<string>>();
    const feed = (source: string, field: string): void => {
      const s = source.toLowerCase();
      let set = feeds.get(s);
      if (!set) feeds.set(s, (set = new Set()));
      set.add(field.toLowerCase());
    };
    for (const f of byField.keys()) feed(f, f);
    for (const [field, source] of opts.copies) if (byField.has(field.toLowerCase())) feed(source, field);
    for (const [source, fields] of feeds) {
      const a = new AhoCorasick();
      for (const f of fields) for (const [n, i] of byField.get(f) ?? []) a.add(n, i);
      for (const [n, i] of keyword) a.add(n, i);
      for (const f of fields) {
        const l = fieldRoutes.get(f) ?? [];
        l.push(this.routes.length);
        fieldRoutes.set(f, l);
      }
      // built on first use (AhoCorasick builds lazily): many fields never occur in a given log
      this.names.add(source, this.routes.length);
      this.routes.push(a);
    }
    const clauses = Int32Array.from(clauseRule);
    this.programs = new PairPrograms(ruleClauses, clauses, fieldRoutes, this.routes.length, lookup);
    const addon = opts.walk !== false && opts.native !== false ? nativeScreenAddon() : null;
    if (addon) this.native = new NativeScreen(addon, this, this.names, this.stamp, clauses, needs.length, this.members);
  }

  /** NativeHost: the candidates of a (Channel, EventID) pair. */
  entry(channel: string, eventId: string): Entry {
    return this.programs.entry(channel, eventId);
  }

  /** Whether lines are judged by the native screen (native.ts). */
  get isNative(): boolean {
    return this.native !== undefined;
  }

  /** How many scanned values the memo answered (memo.ts), and how many lines took the general path. */
  screenStats(): ScreenStats {
    const [lookups, answered] = this.native ? this.native.stats() : [0, 0];
    return { lookups: this.memo.lookups + lookups, answered: this.memo.answered + answered, walked: this.walked, general: this.general, native: this.isNative };
  }

  /**
   * Judges the event on line bytes[start, end) (UTF-8 JSON): false when no rule can match it; else
   * the indexes (ascending) of the rules that may match it — candidates whose every clause was seen
   * — or true when the screen cannot judge the line (the caller then prefilters as usual).
   */
  judge(bytes: Uint8Array, start: number, end: number): boolean | Int32Array {
    const r = this.judgeNeedles(bytes, start, end);
    return r instanceof Int32Array && this.veto && this.veto(r, bytes, this.members) ? false : r;
  }

  /** judge() before vetoes: the needles' verdict, the line's EventData members recorded. */
  private judgeNeedles(bytes: Uint8Array, start: number, end: number): boolean | Int32Array {
    this.restart();
    if (this.native) {
      // the whole screen in one native call for most lines (native.ts); the rest judged here
      const r = this.native.judge(bytes, start, end, this.epoch);
      if (r !== undefined) {
        this.walked++;
        return r;
      }
      this.restart();
    }
    // Not the evtx_dump layout: nothing to judge, skip the scan.
    if (!opensWithEvent(bytes, start, end)) return true;
    // Channel and EventID come late in System: found by a byte search first, the values before
    // them need not go through automata of fields no candidate reads. Checked after the scan.
    const peeked = (this.peeked = this.peek.peek(bytes, start, end));
    const e0 = peeked ? this.programs.entry(this.peek.channel, this.peek.eventId) : undefined;
    const need = e0?.need;
    this.need = need;
    // The common line in one loop (walk.ts); what it does not handle, by the general scanner.
    const w = this.walker ? this.walker.walk(this, bytes, start, end) : Walk.BAIL;
    if (this.walker) this.walked++;
    if (w === Walk.UNSURE) return true;
    if (w === Walk.BAIL) {
      // the general path records no members: no veto for this line
      this.members[0] = -1;
      this.general++;
      this.restart();
      this.need = need;
      if (!this.scanner.scan(bytes, start, end, this)) return true;
      if (this.unsure || !this.layout || this.events !== 1) return true;
      if (this.seen[0] !== 1 || this.seen[1] !== 1 || this.got[0] !== 1 || this.got[1] !== 1) return true;
    }
    if (peeked && (this.channel !== this.peek.channel || this.eventId !== this.peek.eventId)) return true;
    // peeked: the scan read the pair the byte search found, whose entry is already at hand
    return this.programs.verdict(e0 ?? this.programs.entry(this.channel, this.eventId), this.hits, this.nHits, this.stamp, this.epoch);
  }

  /** A new line (or the same line again, on the general path): nothing stamped, nothing seen. */
  private restart(): void {
    if (++this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    this.nHits = 0;
    this.unsure = false;
    this.layout = false;
    this.need = undefined;
    this.events = 0;
    this.seen[0] = this.seen[1] = this.got[0] = this.got[1] = 0;
  }

  /**
   * The line's Channel (t = 0) or EventID (1), as code units b[s, e) (bytes from the walk, decoded
   * text from the general path; s < 0: a null Channel). On most lines it is the string the byte
   * search already read: compared, not built again.
   */
  pairValue(t: number, b: Uint8Array | Uint16Array, s: number, e: number): void {
    let v = '';
    if (s >= 0) {
      const seen = t === 0 ? this.peek.channel : this.peek.eventId;
      let same = this.peeked && seen.length === e - s;
      for (let i = 0; same && i < seen.length; i++) same = seen.charCodeAt(i) === b[s + i];
      v = same ? seen : unitsToString(b, s, e);
      // normalize/ turns an all-digit EventID string into a number (so "04688" is 4688)
      if (t === 1 && v !== this.peek.eventId && /^\d+$/.test(v)) v = String(Number(v));
    }
    if (t === 0) this.channel = v;
    else this.eventId = v;
  }

  /** WalkHost: Channel and EventID known: scan only what their candidates read. */
  known(): void {
    this.need = this.programs.entry(this.channel, this.eventId).need;
  }

  key(depth: number, codes: Uint16Array, len: number): void {
    if (depth >= MAX_DEPTH) {
      this.unsure = true;
      return;
    }
    const id = structuralId(codes, 0, len);
    this.keys[depth] = id;
    this.arrays[depth] = 0;
    if (depth < 6) {
      if (len > KEY_CAP) this.keyLens[depth] = -1;
      else {
        const dst = this.keyCodes[depth];
        for (let i = 0; i < len; i++) dst[i] = codes[i];
        this.keyLens[depth] = len;
      }
    }
    if (id === K_EVENT && depth === 1) this.events++;
    else if (id === K_SYSTEM && depth === 2 && this.keys[1] === K_EVENT) this.layout = true;
    else if (id === K_CHANNEL) this.seen[0]++;
    else if (id === K_EVENTID) this.seen[1]++;
  }

  /**
   * The automaton for a value at `depth`, following normalizeEvtxJson: null when the value becomes
   * no field (outside Event's System / EventData / UserData).
   */
  private route(depth: number): AhoCorasick | null {
    if (depth < 3 || this.keys[1] !== K_EVENT) return null;
    const sect = this.keys[2];
    const k = this.keys;
    if (sect === K_SYSTEM || sect === K_EVENTDATA) {
      if (depth === 3) return this.byName(3);
      if (depth === 4 && (k[4] === K_TEXT || this.arrays[4] === 1)) return this.byName(3);
      if (depth === 5 && sect === K_SYSTEM && k[4] === K_ATTRS) return this.byComposite(3, 5);
      return this.everything;
    }
    if (sect === K_USERDATA) {
      if (depth === 3) return null;
      if (depth === 4) return this.byName(4);
      if (depth === 5 && k[5] === K_TEXT) return this.byName(4);
      return this.everything;
    }
    return null;
  }

  private byName(d: number): AhoCorasick | null {
    const len = this.keyLens[d];
    // an item of a list has no name of its own (the last name read at that depth is another's)
    if (len < 0 || this.arrays[d] === 1) return this.everything;
    return this.found(this.names.find(this.keyCodes[d], len), this.keyCodes[d], len);
  }

  /** System attributes become `<element>_<attribute>` (Provider_Name, TimeCreated_SystemTime …). */
  private byComposite(a: number, b: number): AhoCorasick | null {
    const la = this.keyLens[a];
    const lb = this.keyLens[b];
    if (la < 0 || lb < 0 || this.arrays[a] === 1 || this.arrays[b] === 1) return this.everything;
    const c = this.composite;
    const ka = this.keyCodes[a];
    const kb = this.keyCodes[b];
    for (let i = 0; i < la; i++) c[i] = ka[i];
    c[la] = 0x5f;
    for (let i = 0; i < lb; i++) c[la + 1 + i] = kb[i];
    return this.found(this.names.find(c, la + 1 + lb), c, la + 1 + lb);
  }

  private found(id: number, codes: Uint16Array, len: number): AhoCorasick | null {
    // Once Channel and EventID are known, fields no candidate rule reads are not scanned.
    if (id >= 0) return this.need && this.need[id] === 0 ? null : this.routes[id];
    if (id === NON_ASCII) return this.everything;
    // "Threat Name" is also read as ThreatName (normalize/windows.ts).
    for (let i = 0; i < len; i++) if (codes[i] === 0x20) return this.everything;
    return this.need ? null : this.keywords;
  }

  /** Which of Channel (0) / EventID (1) a scalar at `depth` is the value of, or -1. */
  private target(depth: number): number {
    let k = this.keys[depth];
    if (k === K_TEXT && depth > 1) k = this.keys[depth - 1];
    return k === K_CHANNEL ? 0 : k === K_EVENTID ? 1 : -1;
  }

  /** Scans a value with its field's automaton; false when the line cannot be judged. */
  private scanValue(depth: number, codes: Uint16Array, len: number): boolean {
    const a = this.route(depth);
    if (a === null) return true;
    if (a === this.everything || !a.scanFoldedCodes(codes, len, this.hit)) {
      this.unsure = true;
      return false;
    }
    return true;
  }

  /**
   * Most values are scanned from their bytes without being decoded: those no candidate reads are
   * only checked and skipped, the others run through their field's automaton as they are read.
   * Channel and EventID, values the screen cannot route, and values with non-ASCII characters
   * or \u escapes are declined, decoded by the scanner and handed to string().
   */
  rawString(depth: number, bytes: Uint8Array, at: number, end: number): number {
    if (this.target(depth) >= 0) return DECLINE;
    const a = this.route(depth);
    if (a === null) return skipJsonString(bytes, at, end);
    if (a === this.everything) return DECLINE;
    return this.memo.scan(a, bytes, at, end, this.hit);
  }

  string(depth: number, codes: Uint16Array, len: number): boolean {
    if (!this.scanValue(depth, codes, len)) return true;
    const t = this.target(depth);
    if (t < 0) return false;
    this.got[t]++;
    this.pairValue(t, codes, 0, len);
    this.pairKnown();
    return false;
  }

  /** Channel and EventID both seen once, in the Windows layout: narrow scanning to what their candidates read. */
  private pairKnown(): void {
    if (this.got[0] === 1 && this.got[1] === 1 && this.layout && this.seen[0] === 1 && this.seen[1] === 1) this.known();
  }

  number(depth: number, bytes: Uint8Array, start: number, end: number): boolean {
    // Values are matched as String(value): only a plain integer is written the same way.
    const len = end - start;
    if (len > 15 || (len === 2 && bytes[start] === 0x2d && bytes[start + 1] === 0x30)) {
      this.unsure = true;
      return true;
    }
    const codes = this.num;
    for (let i = 0; i < len; i++) {
      const c = bytes[start + i];
      if (c === 0x2e || c === 0x65 || c === 0x45) {
        this.unsure = true;
        return true;
      }
      codes[i] = c;
    }
    if (!this.scanValue(depth, codes, len)) return true;
    const t = this.target(depth);
    if (t < 0) return false;
    this.got[t]++;
    // (the digits of a JSON integer are already what normalize/ makes of an EventID)
    this.pairValue(t, codes, 0, len);
    this.pairKnown();
    return false;
  }

  literal(depth: number, value: boolean | null): void {
    if (value !== null) this.scanValue(depth, value ? TRUE : FALSE, value ? 4 : 5);
    const t = this.target(depth);
    if (t < 0) return;
    // "Channel": null indexes like no channel at all (RuleSet.candidatesFor); anything else is unusual
    if (t === 0 && value === null) {
      this.got[0]++;
      this.channel = '';
      this.pairKnown();
    } else this.unsure = true;
  }

  open(depth: number, array: boolean): void {
    if (depth === 0 && array) this.unsure = true;
    if (depth + 1 < MAX_DEPTH) {
      this.keys[depth + 1] = K_OTHER;
      this.arrays[depth + 1] = array ? 1 : 0;
    }
    // Channel / EventID as a list: the index key would be the list's text; not screened.
    if (array && depth > 0 && this.target(depth) >= 0) this.unsure = true;
  }

  close(): void {}
}
