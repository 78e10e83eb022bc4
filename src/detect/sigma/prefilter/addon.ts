import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../../util/index.js';

/**
 * The native addon (native/*.c, built from source by `npm install` through npm's node-gyp, as
 * better-sqlite3 is): the raw screen (native.ts) and the automaton build (aho.ts). Optional:
 * without it (no compiler where Ward was installed, WARD_NATIVE=0) the TypeScript twins do the
 * same work.
 */
export interface Addon {
  create(
    nameSlots: Int32Array, nameChars: Uint8Array, routes: number, stamp: Uint32Array,
    hits: Int32Array, found: Int32Array, clauseRule: Int32Array, out: Int32Array, members: Int32Array,
  ): unknown;
  setRoute(
    screen: unknown, r: number, delta: Int16Array | Int32Array, width: number, cls: Uint8Array,
    hasOut: Uint8Array, outLink: Int32Array, outStart: Int32Array, outData: Int32Array,
  ): void;
  screen(screen: unknown, line: Uint8Array, start: number, end: number, epoch: number, info: Int32Array): number;
  setEntry(screen: unknown, prog: Int32Array, ruleAt: Int32Array, always: Int32Array, need: Uint8Array | null, info: Int32Array): number;
  resume(screen: unknown, entry: number, p: number, found: number, info: Int32Array): number;
  stats(screen: unknown): [number, number];
  /** aho.ts construct() in C (native/build.c): the automaton of needles codes[offsets[k], offsets[k + 1]) */
  build(codes: Uint16Array, offsets: Int32Array, payloads: Int32Array): BuiltAutomaton;
}

/** What the native build (native/build.c) hands back: construct()'s tables. */
export interface BuiltAutomaton {
  states: number;
  width: number;
  delta: Int16Array | Int32Array;
  cls: Uint8Array;
  reports: Uint8Array;
  hasOut: Uint8Array;
  outLink: Int32Array;
  fail: Int32Array;
  outStart: Int32Array;
  outData: Int32Array;
  /** non-ASCII edges: (state, char, next) triples */
  wide: Int32Array;
}

let addon: Addon | null | undefined;

/** The addon, or null when it was not built or WARD_NATIVE=0 asks for the JavaScript screen. */
export function nativeScreenAddon(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.WARD_NATIVE === '0') return addon;
  try {
    addon = createRequire(import.meta.url)(join(packageRoot(), 'build', 'Release', 'ward_screen.node')) as Addon;
  } catch {
    // not built (no compiler where Ward was installed): the JavaScript screen does the same work
  }
  return addon;
}

