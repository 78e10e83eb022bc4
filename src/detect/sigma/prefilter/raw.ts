import { JsonLineScanner, type JsonScanSink } from '../../../sources/index.js';
import { AhoCorasick } from './aho.js';
import type { Need } from './need.js';
import { NameTable, NON_ASCII } from './names.js';
import { fold } from '../fold.js';

const MAX_NEEDLE = 16;
const MAX_DEPTH = 66;
const KEY_CAP = 128;

// Member names the screen must recognise structurally, as small ids.
const K_OTHER = 0;
const K_EVENT = 1;
const K_SYSTEM = 2;
const K_EVENTDATA = 3;
const K_USERDATA = 4;
const K_CHANNEL = 5;
const K_EVENTID = 6;
const K_TEXT = 7;
const K_ATTRS = 8;
const STRUCTURAL: [string, number][] = [
  ['Event', K_EVENT],
  ['System', K_SYSTEM],
  ['EventData', K_EVENTDATA],
  ['UserData', K_USERDATA],
  ['Channel', K_CHANNEL],
  ['EventID', K_EVENTID],
  ['#text', K_TEXT],
  ['#attributes', K_ATTRS],
];

function structuralId(codes: Uint16Array, len: number): number {
  outer: for (const [name, id] of STRUCTURAL) {
    if (name.length !== len) continue;
    for (let i = 0; i < len; i++) if (codes[i] !== name.charCodeAt(i)) continue outer;
    return id;
  }
  return K_OTHER;
}

const text = (codes: Uint16Array, len: number): string => String.fromCharCode.apply(null, codes.subarray(0, len) as unknown as number[]);
const TRUE = Uint16Array.from('true', (c) => c.charCodeAt(0));
const FALSE = Uint16Array.from('false', (c) => c.charCodeAt(0));

interface Entry {
  keep: boolean;
  checks: Int32Array;
}

/** Rules that may apply to an event of this Channel and EventID (index + product), by rule index. */
export type CandidateLookup = (channel: string, eventId: string) => readonly number[];

export interface RawScreenOptions {
  /** (field, source): the layout gives `field` a copy of `source`'s value (aliases) */
  copies: [string, string][];
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
export class RawScreen implements JsonScanSink {
  private routes: AhoCorasick[] = [];
  private names = new NameTable();
  /** keyword needles: any field value */
  private keywords = new AhoCorasick();
  /** every needle: values whose field the screen cannot name */
  private everything = new AhoCorasick();
  /** per rule: its clauses, each with the EventID/Channel part (judged per pair) split off */
  private ruleClauses: { id: number; exact: { slot: number; needle: string }[]; values: number }[][];
  private always: Uint8Array;
  private stamp: Uint32Array;
  private epoch = 0;
  private scanner = new JsonLineScanner();
  private cache = new Map<string, Entry>();
  private readonly hit = (idx: number): void => {
    this.stamp[idx] = this.epoch;
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
  private decided = false;

  constructor(
    needs: Need[],
    private readonly lookup: CandidateLookup,
    opts: RawScreenOptions,
  ) {
    this.always = new Uint8Array(needs.length);
    const byField = new Map<string, [string, number][]>();
    const keyword: [string, number][] = [];
    let next = 0;
    this.ruleClauses = needs.map((n, idx) => {
      if (n === null || n.length === 0) {
        this.always[idx] = 1;
        return [];
      }
      return n.map((clause) => {
        const id = next++;
        const exact: { slot: number; needle: string }[] = [];
        let values = 0;
        for (const { field, needle } of clause) {
          const cut = needle.length > MAX_NEEDLE ? needle.slice(-MAX_NEEDLE) : needle;
          const f = field.toLowerCase();
          if (f === 'eventid' || f === 'channel') {
            exact.push({ slot: f === 'channel' ? 0 : 1, needle });
            continue;
          }
          values++;
          this.everything.add(cut, id);
          if (f === '*') keyword.push([cut, id]);
          else {
            const l = byField.get(f) ?? [];
            l.push([cut, id]);
            byField.set(f, l);
          }
        }
        return { id, exact, values };
      });
    });
    this.stamp = new Uint32Array(next);
    for (const [n, i] of keyword) this.keywords.add(n, i);
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
      // built on first use (AhoCorasick builds lazily): many fields never occur in a given log
      this.names.add(source, this.routes.length);
      this.routes.push(a);
    }
  }

  /** False only when no rule can match the event on line bytes[start, end) (UTF-8 JSON). */
  mayMatch(bytes: Uint8Array, start: number, end: number): boolean {
    if (++this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    this.unsure = false;
    this.layout = false;
    this.decided = false;
    this.events = 0;
    this.seen[0] = this.seen[1] = this.got[0] = this.got[1] = 0;
    if (!this.scanner.scan(bytes, start, end, this)) return true;
    if (this.unsure || !this.layout || this.events !== 1) return true;
    if (this.seen[0] !== 1 || this.seen[1] !== 1 || this.got[0] !== 1 || this.got[1] !== 1) return true;
    const e = this.entry();
    if (e.keep) return true;
    // checks: [n, clause1 … clauseN] per remaining rule; a rule may match when all its clauses were seen
    const c = e.checks;
    for (let k = 0; k < c.length; ) {
      const n = c[k++];
      let all = true;
      for (let j = 0; j < n; j++) if (this.stamp[c[k + j]] !== this.epoch) all = false;
      if (all) return true;
      k += n;
    }
    return false;
  }

  /**
   * What the captured (Channel, EventID) leaves to check: `keep` when some candidate rule must run
   * whatever the values; otherwise each candidate's clauses not already decided by the pair (a
   * rule whose EventID/Channel-only clause fails is dropped).
   */
  private entry(): Entry {
    const key = `${this.channel}\u0000${this.eventId}`;
    let e = this.cache.get(key);
    if (e) return e;
    const vals = [fold(this.channel), fold(this.eventId)];
    let keep = false;
    const checks: number[] = [];
    for (const i of this.lookup(this.channel, this.eventId)) {
      if (this.always[i] === 1) {
        keep = true;
        break;
      }
      const left: number[] = [];
      let out = false;
      for (const cl of this.ruleClauses[i]) {
        if (cl.exact.some((x) => vals[x.slot].includes(x.needle))) continue;
        if (cl.values === 0) out = true;
        else left.push(cl.id);
      }
      if (out) continue;
      if (left.length === 0) {
        keep = true;
        break;
      }
      checks.push(left.length, ...left);
    }
    e = { keep, checks: Int32Array.from(checks) };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, e);
    return e;
  }

  key(depth: number, codes: Uint16Array, len: number): void {
    if (depth >= MAX_DEPTH) {
      this.unsure = true;
      return;
    }
    const id = structuralId(codes, len);
    this.keys[depth] = id;
    this.arrays[depth] = 0;
    if (depth < 6) {
      const n = Math.min(len, KEY_CAP);
      this.keyCodes[depth].set(len > KEY_CAP ? codes.subarray(0, KEY_CAP) : codes.subarray(0, len));
      this.keyLens[depth] = len > KEY_CAP ? -1 : n;
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

  private byName(d: number): AhoCorasick {
    const len = this.keyLens[d];
    if (len < 0) return this.everything;
    return this.found(this.names.find(this.keyCodes[d], len), this.keyCodes[d], len);
  }

  /** System attributes become `<element>_<attribute>` (Provider_Name, TimeCreated_SystemTime …). */
  private byComposite(a: number, b: number): AhoCorasick {
    const la = this.keyLens[a];
    const lb = this.keyLens[b];
    if (la < 0 || lb < 0) return this.everything;
    const c = this.composite;
    c.set(this.keyCodes[a].subarray(0, la));
    c[la] = 0x5f;
    c.set(this.keyCodes[b].subarray(0, lb), la + 1);
    return this.found(this.names.find(c, la + 1 + lb), c, la + 1 + lb);
  }

  private found(id: number, codes: Uint16Array, len: number): AhoCorasick {
    if (id >= 0) return this.routes[id];
    if (id === NON_ASCII) return this.everything;
    // "Threat Name" is also read as ThreatName (normalize/windows.ts).
    for (let i = 0; i < len; i++) if (codes[i] === 0x20) return this.everything;
    return this.keywords;
  }

  /** Which of Channel (0) / EventID (1) a scalar at `depth` is the value of, or -1. */
  private target(depth: number): number {
    let k = this.keys[depth];
    if (k === K_TEXT && depth > 1) k = this.keys[depth - 1];
    return k === K_CHANNEL ? 0 : k === K_EVENTID ? 1 : -1;
  }

  /** After capturing Channel or EventID: once both are known and decide the line, stop scanning. */
  private captured(): boolean {
    if (this.decided || this.got[0] !== 1 || this.got[1] !== 1 || !this.layout) return false;
    this.decided = true;
    return this.entry().keep;
  }

  string(depth: number, codes: Uint16Array, len: number): boolean {
    const a = this.route(depth);
    if (a !== null && !a.scanFoldedCodes(codes, len, this.hit)) this.unsure = true;
    const t = this.target(depth);
    if (t < 0) return false;
    this.got[t]++;
    let v = text(codes, len);
    // normalize/ turns an all-digit EventID string into a number (so "04688" is 4688)
    if (t === 1 && /^\d+$/.test(v)) v = String(Number(v));
    if (t === 0) this.channel = v;
    else this.eventId = v;
    return this.captured();
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
    this.route(depth)?.scanFoldedCodes(codes, len, this.hit);
    const t = this.target(depth);
    if (t < 0) return false;
    this.got[t]++;
    const v = text(codes, len);
    if (t === 0) this.channel = v;
    else this.eventId = v;
    return this.captured();
  }

  literal(depth: number, value: boolean | null): void {
    if (value !== null) this.route(depth)?.scanFoldedCodes(value ? TRUE : FALSE, value ? 4 : 5, this.hit);
    if (this.target(depth) >= 0) this.unsure = true;
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
