import { isUtf8 } from 'node:buffer';
import { gunzip } from 'node:zlib';
import type { IngestLimits, IngestRecord, RawLines } from './deps.js';
import { isJsonObject } from './jsonbytes.js';
import { jsonErrorOffset } from './jsonpos.js';

export interface BatchError {
  line: number;
  column?: number;
  /** Index of the element in a JSON array body. */
  index?: number;
  message: string;
}

export type BodyResult = { ok: true; text: string; bytes: number } | { ok: false; status: 400 | 413; message: string };
export type BatchResult =
  | { ok: true; records: IngestRecord[]; format: 'json' | 'ndjson' }
  | { ok: false; errors: BatchError[]; errorCount: number; status: 400 | 413; message: string };

const MAX_ERRORS = 50;

/**
 * Reads a request body without ever holding more than the limit: Content-Length is checked first
 * (413 before reading), then the stream is counted as it arrives. gzip (Content-Encoding: gzip,
 * or the gzip magic bytes 1f 8b, RFC 1952 §2.3.1) is inflated with a cap on the output size so a
 * small "zip bomb" cannot exhaust memory.
 */
export async function readBody(req: Request, limits: IngestLimits): Promise<BodyResult> {
  const r = await readBodyBytes(req, limits);
  return r.ok ? { ok: true, text: r.buf.toString('utf8'), bytes: r.bytes } : r;
}

/** A Node request stream (the `incoming` binding of @hono/node-server), read without web streams. */
export interface NodeBody {
  on(ev: 'data', fn: (chunk: Buffer) => void): unknown;
  on(ev: 'end', fn: () => void): unknown;
  on(ev: 'error', fn: (err: Error) => void): unknown;
  removeAllListeners(ev?: string): unknown;
  resume(): unknown;
  readableEnded?: boolean;
}

export type BytesResult = { ok: true; buf: Buffer; bytes: number } | { ok: false; status: 400 | 413; message: string };

/**
 * `readBody`, keeping the body as bytes (decoding a large body into one string costs more than
 * everything else on the ingest path when it holds a single non-ASCII character). With `incoming`
 * (the Node request behind `req`), chunks are taken straight from it.
 */
export async function readBodyBytes(req: Request, limits: IngestLimits, incoming?: NodeBody): Promise<BytesResult> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBodyBytes) return { ok: false, status: 413, message: `body of ${declared} bytes exceeds the limit of ${limits.maxBodyBytes}` };
  const tooLarge = { ok: false as const, status: 413 as const, message: `body exceeds the limit of ${limits.maxBodyBytes} bytes` };
  let chunks: Uint8Array[] = [];
  let size = 0;
  if (incoming && !incoming.readableEnded) {
    const got = await new Promise<boolean | Error>((resolve) => {
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > limits.maxBodyBytes) {
          // Stop buffering but keep draining, so the 413 still reaches the client.
          incoming.removeAllListeners('data');
          incoming.removeAllListeners('end');
          incoming.resume();
          resolve(false);
        } else chunks.push(chunk);
      });
      incoming.on('end', () => resolve(true));
      incoming.on('error', (err: Error) => resolve(err));
    });
    if (got instanceof Error) return { ok: false, status: 400, message: `request body could not be read: ${got.message}` };
    if (!got) return tooLarge;
  } else if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBodyBytes) {
        await reader.cancel().catch(() => undefined);
        return tooLarge;
      }
      chunks.push(value);
    }
  }
  let buf: Buffer = Buffer.concat(chunks, size);
  chunks = [];
  const enc = (req.headers.get('content-encoding') ?? '').toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip' || (buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b)) {
    try {
      buf = await new Promise<Buffer>((resolve, reject) =>
        gunzip(buf, { maxOutputLength: limits.maxDecodedBytes }, (err, out) => (err ? reject(err) : resolve(out))),
      );
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        return { ok: false, status: 413, message: `decompressed body exceeds the limit of ${limits.maxDecodedBytes} bytes` };
      }
      return { ok: false, status: 400, message: `invalid gzip body: ${e.message}` };
    }
  } else if (enc && enc !== 'identity') {
    return { ok: false, status: 400, message: `unsupported Content-Encoding "${enc}" (use gzip or none)` };
  }
  if (!isUtf8(buf)) return { ok: false, status: 400, message: 'body is not valid UTF-8' };
  return { ok: true, buf, bytes: size };
}

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: pos - last };
}

/**
 * A batch is a JSON array of objects or NDJSON (one object per line, blank lines ignored). The
 * batch is all-or-nothing: any bad line rejects it, and the answer names every bad line (up to 50)
 * so the sender can fix and resend without guessing what was stored.
 */
export function parseBatch(text: string, limits: IngestLimits): BatchResult {
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) <= 32 || text.charCodeAt(start) === 0xfeff)) start++;
  if (start === text.length) return { ok: true, records: [], format: 'ndjson' };
  return text[start] === '[' ? parseArray(text, limits) : parseNdjson(text, start, limits);
}

function parseArray(text: string, limits: IngestLimits): BatchResult {
  let arr: unknown;
  try {
    arr = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const where = lineCol(text, Math.max(0, jsonErrorOffset(text)));
    return { ok: false, status: 400, errors: [{ ...where, message: msg }], errorCount: 1, message: 'malformed JSON array' };
  }
  if (!Array.isArray(arr)) return { ok: false, status: 400, errors: [{ line: 1, message: 'expected an array' }], errorCount: 1, message: 'malformed batch' };
  if (arr.length > limits.maxEventsPerBatch) {
    return { ok: false, status: 413, errors: [], errorCount: 0, message: `batch of ${arr.length} events exceeds the limit of ${limits.maxEventsPerBatch}` };
  }
  const errors: BatchError[] = [];
  let errorCount = 0;
  const records: IngestRecord[] = new Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      if (++errorCount <= MAX_ERRORS) errors.push({ line: 0, index: i, message: `element ${i} is ${Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v}, expected an object` });
    } else records[i] = { data: v as Record<string, unknown> };
  }
  if (errorCount) return { ok: false, status: 400, errors, errorCount, message: `${errorCount} bad element(s)` };
  return { ok: true, records, format: 'json' };
}

function parseNdjson(text: string, start: number, limits: IngestLimits): BatchResult {
  const records: IngestRecord[] = [];
  const errors: BatchError[] = [];
  let errorCount = 0;
  let line = 1;
  for (let i = 0; i < start; i++) if (text.charCodeAt(i) === 10) line++;
  let pos = start;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (end > pos) {
      const s = text.slice(pos, end);
      if (s.trim().length > 0) {
        if (s.length > limits.maxEventBytes) {
          if (++errorCount <= MAX_ERRORS) errors.push({ line, message: `line longer than ${limits.maxEventBytes} bytes` });
        } else {
          try {
            const v = JSON.parse(s) as unknown;
            if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`expected a JSON object, got ${Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v}`);
            records.push({ data: v as Record<string, unknown>, raw: s });
          } catch (err) {
            if (++errorCount <= MAX_ERRORS) errors.push({ line, message: (err as Error).message });
          }
        }
        if (records.length > limits.maxEventsPerBatch) {
          return { ok: false, status: 413, errors: [], errorCount: 0, message: `batch exceeds the limit of ${limits.maxEventsPerBatch} events` };
        }
      }
    }
    line++;
    pos = nl + 1;
  }
  if (errorCount) {
    // A single pretty-printed object spans lines and is not NDJSON, but is a fair batch of one.
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return { ok: true, records: [{ data: v as Record<string, unknown> }], format: 'json' };
    } catch {
      /* report the NDJSON errors */
    }
    return { ok: false, status: 400, errors, errorCount, message: `${errorCount} bad line(s)` };
  }
  return { ok: true, records, format: 'ndjson' };
}

export type BytesBatchResult = { ok: true; lines: RawLines; format: 'ndjson' } | BatchResult;

// JSON whitespace other than LF (RFC 8259 §2); anything else unusual goes to the text parser.
const isBlankByte = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d;

/**
 * `parseBatch` over the body's bytes. NDJSON (the common case) is split into lines without
 * decoding the body as a whole; each line is validated on its bytes (jsonbytes.ts) and kept as is, so the store writes it as it came and detection parses it where it runs. JSON arrays,
 * and bodies with a bad line (for the pretty-printed single object and the error report), go
 * through `parseBatch`.
 */
export function parseBatchBytes(buf: Buffer, limits: IngestLimits): BytesBatchResult {
  let start = 0;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  while (start < buf.length && buf[start] <= 32) start++;
  if (start === buf.length) return { ok: true, lines: { buf, offsets: new Uint32Array(0), count: 0 }, format: 'ndjson' };
  if (buf[start] === 0x5b /* [ */) return parseBatch(buf.toString('utf8'), limits);
  let offsets = new Uint32Array(1024);
  let count = 0;
  let pos = start;
  const n = buf.length;
  while (pos < n) {
    let nl = buf.indexOf(10, pos);
    if (nl < 0) nl = n;
    let s = pos;
    let e = nl;
    while (s < e && isBlankByte(buf[s])) s++;
    while (e > s && isBlankByte(buf[e - 1])) e--;
    if (e > s) {
      let bad = e - s > limits.maxEventBytes || !isJsonObject(buf, s, e);
      // A line of Unicode spaces only was skipped as blank by the text parser: stay compatible.
      if (bad && buf[s] >= 0x80 && buf.toString('utf8', s, e).trim().length === 0) {
        bad = false;
        e = s;
      }
      // Any problem: the text parser gives the exact report (line numbers, messages, fallbacks).
      if (bad) return parseBatch(buf.toString('utf8'), limits);
      if (e > s) {
        if (count >= limits.maxEventsPerBatch) {
          return { ok: false, status: 413, errors: [], errorCount: 0, message: `batch exceeds the limit of ${limits.maxEventsPerBatch} events` };
        }
        if (2 * count + 2 > offsets.length) {
          const grown = new Uint32Array(offsets.length * 2);
          grown.set(offsets);
          offsets = grown;
        }
        offsets[2 * count] = s;
        offsets[2 * count + 1] = e;
        count++;
      }
    }
    pos = nl + 1;
  }
  return { ok: true, lines: { buf, offsets: offsets.subarray(0, 2 * count), count }, format: 'ndjson' };
}
