import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/**
 * Streams a file (gunzipped when `gzip`) as lines of bytes with 1-based numbers and byte offsets,
 * in bounded memory; the one line splitter of every line-oriented reader (JSON Lines, FHIR NDJSON,
 * ATNA syslog files, EHR CSV). Lines are not decoded here: a batch is one buffer plus the
 * [start, end) of each line in it, so a consumer that can judge a line from its bytes (see
 * JsonLineScanner) never pays for UTF-8 decoding or string allocation. A line longer than
 * `maxBytes` is not accumulated; it is reported once its end is reached (`tooLong`), and reading
 * goes on.
 */
export interface LineBatch {
  buf: Buffer;
  /**
   * start, end (exclusive, without the newline), line number and byte offset in the
   * (decompressed) input of each line, flattened: four numbers per line
   */
  spans: number[];
  /** lines over the limit: [line number, byte length, byte offset] triples */
  tooLong: number[];
}

export async function* readByteLines(path: string, maxBytes: number, gzip: boolean, signal?: AbortSignal, chunkBytes = 1 << 20): AsyncGenerator<LineBatch> {
  const raw = createReadStream(path, { highWaterMark: chunkBytes, signal });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => stream.destroy(e));
  let carry: Buffer | undefined; // the start of a line the previous chunks did not end
  let skipping = 0; // bytes of an over-long line being skipped (0: not skipping)
  let skipOffset = 0;
  let n = 0;
  let base = 0; // input offset of chunk[0]
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const spans: number[] = [];
    const tooLong: number[] = [];
    let from = 0;
    if (skipping > 0 || carry) {
      const nl = chunk.indexOf(10);
      const head = skipping > 0 ? skipping : carry!.length;
      const at = skipping > 0 ? skipOffset : base - head;
      if (nl < 0) {
        // still no end of line: keep gathering it, or skip it once it is over the limit
        if (skipping > 0 || head + chunk.length > maxBytes) {
          skipping = head + chunk.length;
          skipOffset = at;
          carry = undefined;
        } else carry = Buffer.concat([carry!, chunk]);
        base += chunk.length;
        continue;
      }
      n++;
      if (skipping > 0 || head + nl > maxBytes) tooLong.push(n, head + nl, at);
      // Only the line that straddles the chunks is joined (not the whole chunk onto it: a
      // megabyte copied per megabyte read).
      else yield { buf: Buffer.concat([carry!, chunk.subarray(0, nl)]), spans: [0, head + nl, n, at], tooLong: [] };
      skipping = 0;
      carry = undefined;
      from = nl + 1;
    }
    let nl = chunk.indexOf(10, from);
    while (nl >= 0) {
      n++;
      if (nl - from > maxBytes) tooLong.push(n, nl - from, base + from);
      else spans.push(from, nl, n, base + from);
      from = nl + 1;
      nl = chunk.indexOf(10, from);
    }
    const rest = chunk.length - from;
    if (rest > maxBytes) {
      skipping = rest;
      skipOffset = base + from;
    } else if (rest > 0) carry = Buffer.from(chunk.subarray(from));
    base += chunk.length;
    if (spans.length || tooLong.length) yield { buf: chunk, spans, tooLong };
  }
  if (skipping > 0) yield { buf: Buffer.alloc(0), spans: [], tooLong: [++n, skipping, skipOffset] };
  else if (carry && carry.length > 0) yield { buf: carry, spans: [0, carry.length, ++n, base - carry.length], tooLong: [] };
}
