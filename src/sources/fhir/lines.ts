import { createReadStream } from 'node:fs';

/** One text line with where it came from: 1-based line number and byte offset of its start. */
export interface Line {
  text: string;
  line: number;
  offset: number;
  /** true when the line exceeded the limit and `text` is empty. */
  tooLong?: boolean;
}

/**
 * Streams a file's lines with line numbers and byte offsets, without loading the whole file.
 * Splits on LF and strips a trailing CR, so CRLF files work. Lines over `maxBytes` are reported
 * (tooLong) instead of being buffered without bound. Shared by the health readers (FHIR NDJSON,
 * ATNA syslog, EHR CSV/JSONL).
 */
export async function* readLines(path: string, maxBytes = 16 * 1024 * 1024): AsyncGenerator<Line> {
  let carry: Buffer[] = [];
  let carryLen = 0;
  let skipping = false;
  let lineNo = 1;
  let lineStart = 0;
  let pos = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) break;
      const piece = chunk.subarray(from, nl);
      if (!skipping) {
        const buf = carryLen ? Buffer.concat([...carry, piece]) : piece;
        if (buf.length > maxBytes) yield { text: '', line: lineNo, offset: lineStart, tooLong: true };
        else yield { text: stripCr(buf.toString('utf8')), line: lineNo, offset: lineStart };
      } else yield { text: '', line: lineNo, offset: lineStart, tooLong: true };
      carry = [];
      carryLen = 0;
      skipping = false;
      lineNo++;
      lineStart = pos + nl + 1;
      from = nl + 1;
    }
    if (from < chunk.length && !skipping) {
      carry.push(chunk.subarray(from));
      carryLen += chunk.length - from;
      if (carryLen > maxBytes) {
        skipping = true;
        carry = [];
        carryLen = 0;
      }
    }
    pos += chunk.length;
  }
  if (skipping) yield { text: '', line: lineNo, offset: lineStart, tooLong: true };
  else if (carryLen) yield { text: stripCr(Buffer.concat(carry).toString('utf8')), line: lineNo, offset: lineStart };
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
