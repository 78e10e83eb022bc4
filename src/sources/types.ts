import type { Location, Problem } from '../util/index.js';

/**
 * One item read from an input: either a parsed record (still in its source layout) or a problem.
 * Readers yield items in batches so the hot path pays one await per batch, not per event.
 */
export type SourceItem =
  | { kind: 'record'; data: Record<string, unknown>; loc: Location; format: string; hint?: unknown }
  | { kind: 'problem'; problem: Problem };

export interface ReadOptions {
  /** Lines longer than this are reported as a problem and skipped (bytes). */
  maxLineBytes?: number;
  /** Items per yielded batch. */
  batchSize?: number;
  /** Aborts reading early. */
  signal?: AbortSignal;
  /** Optional prescreen of raw records (used by the line-oriented JSON reader). */
  screen?: LineScreen;
}

/**
 * A reader of one file format, registered under the word users write (`--format jsonl`).
 * `sniff` looks at the file name and its first bytes; the first reader that claims a file reads it.
 */
export interface SourceReader {
  readonly name: string;
  readonly description: string;
  /** Generic readers (plain JSON) are tried after every specific one, whatever the order of registration. */
  readonly generic?: boolean;
  sniff(path: string, head: Buffer): boolean;
  read(path: string, options?: ReadOptions): AsyncIterable<SourceItem[]>;
}

/**
 * A prescreen of a record's raw bytes (UTF-8 JSON, buf[start, end)): when `test` returns false the
 * reader skips the record without parsing it and counts it in `screened`. Otherwise the record is
 * parsed; a result other than `true` travels with it as `hint` (what the screen learnt, so the
 * detectors need not learn it again). `test` must keep anything it is unsure of, including
 * invalid JSON (so parsing reports the error).
 */
export interface LineScreen {
  test(buf: Uint8Array, start: number, end: number): unknown;
  /** records skipped so far */
  screened: number;
}
