import { JsonStringReader } from '../../../sources/index.js';
import { unitsToString } from '../../../util/index.js';
import type { AhoCorasick } from './aho.js';
import type { Addon } from './addon.js';
import type { NameTable } from './names.js';
import type { Entry } from './program.js';

/** line results (native/screen.h) */
const NONE = 0;
const RULES = 1;
const UNSURE = 2;
const JS = 3;
const DECODE = 4;
const BUILD = 5;
const PAIR = 6;
/** resume entries: the paused value again (after a build), or after the value ending at p */
const RETRY = 1;
const AFTER = 2;

/** The raw screen as the native one sees it. */
export interface NativeHost {
  readonly routes: AhoCorasick[];
  readonly keywords: AhoCorasick;
  /** the candidates of a (Channel, EventID) pair (program.ts) */
  entry(channel: string, eventId: string): Entry;
}

/**
 * The raw screen compiled to native code (native/*.c, built from source by `npm install` through
 * npm's node-gyp, as better-sqlite3 is): peek.ts's byte search, walk.ts's loop with the memo and
 * the DFA steps over the same name table and automaton rows, and program.ts's verdict over the
 * same candidate programs — one call per line once its (Channel, EventID) pair was met. Where
 * JavaScript must act the native screen pauses and this side resumes it: a pair met for the
 * first time (its candidates come from program.ts), a value with non-ASCII characters or \u
 * escapes (decoded and folded by the code walk.ts uses; the native memo keeps what it found),
 * an automaton built on first use. The TypeScript screen stays the reference
 * (test/sigma/raw-native.test.ts compares the two on generated, damaged and real lines) and the
 * fallback: without the addon (no compiler where Ward was installed, WARD_NATIVE=0) nothing
 * changes but speed.
 */
export class NativeScreen {
  private readonly handle: unknown;
  private readonly info = new Int32Array(8);
  private readonly out: Int32Array;
  private readonly strings = new JsonStringReader();
  /** payloads found in a value decoded here, handed to the native side; -1: too many */
  private readonly found = new Int32Array(4096);
  private nFound = 0;
  private readonly collect = (payload: number): void => {
    if (this.nFound >= 0 && this.nFound < this.found.length) this.found[this.nFound++] = payload;
    else this.nFound = -1;
  };

  constructor(
    private readonly addon: Addon,
    private readonly host: NativeHost,
    names: NameTable,
    stamp: Uint32Array,
    clauseRule: Int32Array,
    rules: number,
    members: Int32Array,
  ) {
    const t = names.tables();
    this.out = new Int32Array(Math.max(1, rules));
    this.handle = addon.create(t.slots, t.chars, host.routes.length, stamp, new Int32Array(4096), this.found, clauseRule, this.out, members);
  }

  /** Memo lookups and answers of the native memo. */
  stats(): [number, number] {
    return this.addon.stats(this.handle);
  }

  /**
   * RawScreen.judge() of bytes[start, end), clauses stamped as `epoch`: false, the candidate
   * rules, true (cannot judge), or undefined when the TypeScript screen must judge the line
   * (its pair not found by the byte search, escaped member names …).
   */
  judge(b: Uint8Array, start: number, end: number, epoch: number): boolean | Int32Array | undefined {
    const { addon, handle, info } = this;
    let r = addon.screen(handle, b, start, end, epoch, info);
    for (;;) {
      switch (r) {
        case NONE:
          return false;
        case RULES:
          return this.out.slice(0, info[0]);
        case UNSURE:
          return true;
        case JS:
          return undefined;
        case PAIR: {
          const e = this.host.entry(unitsToString(b, info[1], info[2]), unitsToString(b, info[3], info[4]));
          r = addon.setEntry(handle, e.prog, e.ruleAt, e.always, e.need ?? null, info);
          break;
        }
        case BUILD:
          this.register(info[5]);
          r = addon.resume(handle, RETRY, 0, 0, info);
          break;
        case DECODE: {
          // decoded and case-folded as walk.ts does (the native memo keeps what was found)
          const str = this.strings;
          const q = str.read(b, info[6], end);
          this.nFound = 0;
          if (q < 0 || !this.automaton(info[5]).scanFoldedCodes(str.buf, str.len, this.collect)) return true;
          r = addon.resume(handle, AFTER, q, this.nFound, info);
          break;
        }
        default:
          return true;
      }
    }
  }

  private automaton(r: number): AhoCorasick {
    return r === this.host.routes.length ? this.host.keywords : this.host.routes[r];
  }

  private register(r: number): void {
    const t = this.automaton(r).tables();
    this.addon.setRoute(this.handle, r, t.delta, t.width, t.cls, t.hasOut, t.outLink, t.outStart, t.outData);
  }
}
