import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';

/**
 * Streams a text file (gzip when it starts with the gzip magic) as lines with 1-based numbers,
 * in bounded memory: a line longer than `maxBytes` is not accumulated; it is reported as
 * `{tooLong: true}` once its end is reached, and reading goes on.
 */
export interface Line {
  n: number;
  text: string;
  tooLong?: boolean;
  length: number;
}

export async function* readLines(path: string, maxBytes: number, gzip: boolean, signal?: AbortSignal): AsyncGenerator<Line[]> {
  const raw = createReadStream(path, { highWaterMark: 1 << 20, signal });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => stream.destroy(e));
  const dec = new StringDecoder('utf8');
  let pending = '';
  let pendingLen = 0;
  let skipping = false;
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const s = dec.write(chunk);
    const out: Line[] = [];
    let start = 0;
    let nl = s.indexOf('\n');
    while (nl >= 0) {
      n++;
      const piece = s.slice(start, nl);
      if (skipping) {
        out.push({ n, text: '', tooLong: true, length: pendingLen + piece.length });
      } else {
        const text = pending ? pending + piece : piece;
        if (text.length > maxBytes) out.push({ n, text: '', tooLong: true, length: text.length });
        else out.push({ n, text, length: text.length });
      }
      pending = '';
      pendingLen = 0;
      skipping = false;
      start = nl + 1;
      nl = s.indexOf('\n', start);
    }
    const rest = s.slice(start);
    pendingLen += rest.length;
    if (!skipping) {
      if (pendingLen > maxBytes) {
        skipping = true;
        pending = '';
      } else pending += rest;
    }
    if (out.length) yield out;
  }
  const tail = dec.end();
  if (!skipping) pending += tail;
  pendingLen += tail.length;
  if (pendingLen > 0) {
    n++;
    yield [skipping || pending.length > maxBytes ? { n, text: '', tooLong: true, length: pendingLen } : { n, text: pending, length: pending.length }];
  }
}
