import { readByteLines } from '../lines.js';

/** One text line with where it came from: 1-based line number and byte offset of its start. */
export interface Line {
  text: string;
  line: number;
  offset: number;
  /** true when the line exceeded the limit and `text` is empty. */
  tooLong?: boolean;
}

/**
 * Streams a file's lines with line numbers and byte offsets, without loading the whole file
 * (over the shared byte line splitter, sources/lines.ts). Strips a trailing CR, so CRLF files
 * work. Lines over `maxBytes` are reported (tooLong) instead of being buffered without bound.
 * Shared by the health readers (FHIR NDJSON, ATNA syslog, EHR CSV/JSONL).
 */
export async function* readLines(path: string, maxBytes = 16 * 1024 * 1024): AsyncGenerator<Line> {
  for await (const { buf, spans, tooLong } of readByteLines(path, maxBytes, false)) {
    // Over-long lines are reported in line order with the rest of the batch.
    let t = 0;
    for (let k = 0; k < spans.length; k += 4) {
      while (t < tooLong.length && tooLong[t] < spans[k + 2]) {
        yield { text: '', line: tooLong[t], offset: tooLong[t + 2], tooLong: true };
        t += 3;
      }
      yield { text: stripCr(buf.toString('utf8', spans[k], spans[k + 1])), line: spans[k + 2], offset: spans[k + 3] };
    }
    for (; t < tooLong.length; t += 3) yield { text: '', line: tooLong[t], offset: tooLong[t + 2], tooLong: true };
  }
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

/** Groups items into arrays of `size` so a reader pays one await per batch. */
export class Batcher<T> {
  private buf: T[] = [];
  constructor(private readonly size = 512) {}
  push(item: T): T[] | undefined {
    this.buf.push(item);
    if (this.buf.length >= this.size) {
      const out = this.buf;
      this.buf = [];
      return out;
    }
    return undefined;
  }
  drain(): T[] | undefined {
    if (!this.buf.length) return undefined;
    const out = this.buf;
    this.buf = [];
    return out;
  }
}

/** Lower-cased file extension including the dot ('' when none); `.gz` is not handled here. */
export function extOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  return dot > slash ? path.slice(dot).toLowerCase() : '';
}
