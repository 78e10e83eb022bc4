import { createRequire } from 'node:module';
import { join } from 'node:path';
import { JsonStringReader } from '../../../sources/index.js';
import { packageRoot } from '../../../util/index.js';
import type { AhoCorasick } from './aho.js';
import type { NameTable } from './names.js';
import { Walk } from './walk.js';

/**
 * The raw screen's line walk compiled to native code (native/*.c, built from source by
 * `npm install` through node-gyp, like better-sqlite3): walk.ts's loop, the memo and the DFA
 * steps, over the same name table and automaton rows. Where walk.ts would decode and fold a
 * value with non-ASCII characters or build an automaton on first use, the native walk pauses;
 * this side does that work with the very code walk.ts uses and resumes it. walk.ts stays the
 * reference (test/sigma/raw-native.test.ts compares the two on generated and real lines) and
 * the fallback: without the addon (a build that failed, WARD_NATIVE=0) nothing changes but speed.
 */
interface Addon {
  create(nameSlots: Int32Array, nameChars: Uint8Array, routes: number, stamp: Uint32Array, hits: Int32Array, found: Int32Array): unknown;
  setRoute(
    screen: unknown, r: number, delta: Int16Array | Int32Array, width: number, cls: Uint8Array,
    hasOut: Uint8Array, outLink: Int32Array, outStart: Int32Array, outData: Int32Array,
  ): void;
  walk(screen: unknown, line: Uint8Array, start: number, end: number, need: Uint8Array | null, epoch: number, info: Int32Array): number;
  resume(screen: unknown, line: Uint8Array, entry: number, p: number, info: Int32Array, found: number): number;
  stats(screen: unknown): [number, number];
}

/** walk results beyond walk.ts's three (native/screen.h) */
const DECODE = 3;
const BUILD = 4;
/** resume entries: the paused value again (after a build), or after the value ending at p */
const RETRY = 1;
const AFTER = 2;

let addon: Addon | null | undefined;

/** The addon, or null when it was not built or WARD_NATIVE=0 asks for the JavaScript walk. */
export function nativeScreenAddon(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.WARD_NATIVE === '0') return addon;
  try {
    addon = createRequire(import.meta.url)(join(packageRoot(), 'build', 'Release', 'ward_screen.node')) as Addon;
  } catch {
    // not built (no compiler where Ward was installed): the JavaScript walk does the same work
  }
  return addon;
}

/** The raw screen as the native walk sees it. */
export interface NativeHost {
  readonly routes: AhoCorasick[];
  readonly keywords: AhoCorasick;
  readonly hit: (payload: number) => void;
  /** clause ids the native walk stamped (already marked in the shared stamp array) */
  addHits(ids: Int32Array, n: number): void;
  pairValue(t: number, b: Uint8Array, s: number, e: number): void;
}

export class NativeWalk {
  private readonly handle: unknown;
  private readonly info = new Int32Array(8);
  private readonly hits = new Int32Array(4096);
  private readonly strings = new JsonStringReader();
  /** payloads found in a value decoded here, handed back for the native memo; -1: too many */
  private readonly found = new Int32Array(256);
  private nFound = 0;
  private readonly collect = (payload: number): void => {
    this.host.hit(payload);
    if (this.nFound >= 0 && this.nFound < this.found.length) this.found[this.nFound++] = payload;
    else this.nFound = -1;
  };

  constructor(
    private readonly addon: Addon,
    private readonly host: NativeHost,
    names: NameTable,
    stamp: Uint32Array,
  ) {
    const t = names.tables();
    this.handle = addon.create(t.slots, t.chars, host.routes.length, stamp, this.hits, this.found);
  }

  /** Memo lookups and answers of the native memo. */
  stats(): [number, number] {
    return this.addon.stats(this.handle);
  }

  /**
   * LineWalk.walk() for a line whose Channel and EventID the byte search found (`need`: the
   * routes their candidates read), with clauses stamped as `epoch`.
   */
  walk(b: Uint8Array, start: number, end: number, need: Uint8Array | undefined, epoch: number): Walk {
    const { addon, handle, info, host } = this;
    let w = addon.walk(handle, b, start, end, need ?? null, epoch, info);
    for (;;) {
      if (w === BUILD) {
        this.register(info[5]);
        w = addon.resume(handle, b, RETRY, 0, info, -1);
      } else if (w === DECODE) {
        // a value with non-ASCII characters or \u escapes: decoded and folded as walk.ts does
        // (the native memo keeps what it found: the same bytes decode and fold the same way)
        const str = this.strings;
        const q = str.read(b, info[6], end);
        this.nFound = 0;
        if (q < 0 || !this.automaton(info[5]).scanFoldedCodes(str.buf, str.len, this.collect)) {
          w = Walk.UNSURE;
          break;
        }
        w = addon.resume(handle, b, AFTER, q, info, this.nFound);
      } else break;
    }
    host.addHits(this.hits, info[0]);
    if (w === Walk.JUDGED) {
      host.pairValue(0, b, info[1], info[2]);
      host.pairValue(1, b, info[3], info[4]);
    }
    return w as Walk;
  }

  private automaton(r: number): AhoCorasick {
    return r === this.host.routes.length ? this.host.keywords : this.host.routes[r];
  }

  private register(r: number): void {
    const t = this.automaton(r).tables();
    this.addon.setRoute(this.handle, r, t.delta, t.width, t.cls, t.hasOut, t.outLink, t.outStart, t.outData);
  }
}
