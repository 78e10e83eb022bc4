import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/**
 * Streams a file (gunzipped when `gzip`) as lines of bytes with 1-based numbers and byte offsets,
 * in bounded memory; the one line splitter of every line-oriented reader (JSON Lines, FHIR NDJSON,
 * ATNA syslog files, EHR CSV). Lines are not decoded here: a batch is one buffer plus the
 * [start, end) of each line in it, so a consumer that can judge a line from its bytes (see
 * JsonLineScanner) never pays for UTF-8 decoding or string allocation. A line longer than
 * `maxBytes` is not accumulated; it is reported once its end is reached (`tooLong`), and reading
 * goes on.
 *
 * A batch's buffer is lent, not given: an uncompressed file is read into two buffers in turn, so
 * `buf` is overwritten once the batch after next is asked for. Consumers decode what they keep
 * (every reader turns lines into strings or objects before asking for more).
 */
export interface LineBatch {
  /** valid until the next batch is consumed: copy bytes that must outlive it */
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
  let carry: Buffer | undefined; // the start of a line the previous chunks did not end
  let skipping = 0; // bytes of an over-long line being skipped (0: not skipping)
  let skipOffset = 0;
  let n = 0;
  let base = 0; // input offset of chunk[0]
  for await (const chunk of gzip ? gunzipped(path, chunkBytes, signal) : reused(path, chunkBytes, signal)) {
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

/** Decompressed chunks of a gzip file (each a new buffer). */
function gunzipped(path: string, chunkBytes: number, signal?: AbortSignal): AsyncIterable<Buffer> {
  const raw = createReadStream(path, { highWaterMark: chunkBytes, signal });
  const stream = raw.pipe(createGunzip());
  raw.on('error', (e) => stream.destroy(e));
  return stream;
}

/**
 * A file's bytes in chunks read into two buffers in turn, the next read under way while the
 * caller works on the current chunk. A stream would allocate a fresh megabyte per read, and the
 * kernel then faults in and zeroes every page of it before copying the file in: ~0.7 µs of a
 * 1.2 KB line's budget, more than splitting it into lines (docs/performance.md).
 */
async function* reused(path: string, chunkBytes: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  signal?.throwIfAborted();
  const fh = await open(path, 'r');
  let next: Promise<{ bytesRead: number }> | undefined;
  try {
    const bufs = [Buffer.allocUnsafeSlow(chunkBytes), Buffer.allocUnsafeSlow(chunkBytes)];
    next = fh.read(bufs[0], 0, chunkBytes, null);
    for (let k = 0; ; k ^= 1) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return;
      signal?.throwIfAborted();
      // bufs[k ^ 1] was yielded before this one: the caller asked for more, so it is done with it
      next = fh.read(bufs[k ^ 1], 0, chunkBytes, null);
      yield bytesRead === chunkBytes ? bufs[k] : bufs[k].subarray(0, bytesRead);
    }
  } finally {
    // a read still under way must finish before the handle closes
    await next?.catch(() => undefined);
    await fh.close();
  }
}
