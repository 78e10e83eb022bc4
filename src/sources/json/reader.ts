import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import type { ReadOptions, SourceItem, SourceReader } from '../types.js';
import { readByteLines } from '../lines.js';
import { JsonValueSplitter, type SplitValue } from './splitter.js';

const DEFAULT_MAX = 16 << 20;
const YIELD_EVERY = 64;
const GZIP = (head: Buffer) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

function preview(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
}

/**
 * JSON events: JSON Lines / NDJSON (one object per line, the fast path), a JSON array, or
 * objects written one after another (pretty-printed), gzip-compressed or not. A bad line is a
 * problem naming file and line; the rest of the file is still read.
 */
export const jsonReader: SourceReader & { gzip: (head: Buffer) => boolean } = {
  name: 'json',
  generic: true,
  description: 'JSON Lines / NDJSON, JSON arrays and concatenated JSON objects (optionally gzip)',
  gzip: GZIP,
  sniff(path, head) {
    if (/\.(jsonl|ndjson|json)(\.gz)?$/i.test(path)) return true;
    if (GZIP(head)) return /\.gz$/i.test(path) && !/\.evtx/i.test(path);
    const first = head.toString('utf8', 0, Math.min(head.length, 256)).trimStart()[0];
    return first === '{' || first === '[';
  },
  read(path, options) {
    return readJson(path, options ?? {});
  },
};

async function* readJson(path: string, opts: ReadOptions, headGzip?: boolean): AsyncGenerator<SourceItem[]> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX;
  const gzip = headGzip ?? (await isGzip(path));
  const screen = opts.screen;
  // Line mode first; the first non-empty line decides: if it is not a complete JSON object the
  // file is a document (array or pretty-printed objects) and is re-read with the splitter.
  let decided = false;
  for await (const { buf, spans, tooLong } of readByteLines(path, max, gzip, opts.signal)) {
    let batch: SourceItem[] = [];
    for (let k = 0; k < tooLong.length; k += 3) {
      batch.push(problem(path, tooLong[k], 'json.too-long', `line of ${tooLong[k + 1]} bytes exceeds the limit of ${max} bytes; skipped`));
      decided = true;
    }
    for (let k = 0; k < spans.length; k += 4) {
      let start = spans[k];
      let end = spans[k + 1];
      const n = spans[k + 2];
      while (start < end && isSpace(buf[start])) start++;
      while (end > start && isSpace(buf[end - 1])) end--;
      if (start === end) continue;
      // A line the detectors' prescreen rules out is valid JSON (the screen validates it) that
      // can produce no detection: it is counted, not parsed.
      let hint: unknown;
      if (screen && buf[start] === 0x7b) {
        hint = screen.test(buf, start, end);
        if (hint === false) {
          decided = true;
          screen.screened++;
          continue;
        }
      }
      const t = buf.toString('utf8', start, end);
      let v: unknown;
      try {
        v = JSON.parse(t);
      } catch (err) {
        if (!decided) {
          const first = t[0];
          // A document (pretty-printed objects, a multi-line array) opens with a line that is not
          // JSON by itself, and so does a JSON Lines file whose first line was cut short (a copy
          // taken mid-write, a rotated log): read as one document, every line after it would be
          // lost. The next line tells them apart: whole JSON in JSON Lines, a fragment otherwise.
          if ((first === '{' || first === '[') && !nextLineIsJson(buf, spans, k + 4)) {
            yield* readDocument(path, max, gzip, opts);
            return;
          }
        }
        decided = true;
        batch.push(problem(path, n, 'json.syntax', `invalid JSON (${(err as Error).message}): ${preview(t)}`));
        continue;
      }
      if (!decided && Array.isArray(v)) {
        // a one-line JSON array
        decided = true;
        v.forEach((o, i) => batch.push(toItem(o, path, n, i)));
        continue;
      }
      decided = true;
      const item = toItem(v, path, n);
      if (hint !== undefined && hint !== true && item.kind === 'record') item.hint = hint;
      batch.push(item);
      // Parsed events go to detection in small batches: a chunk's worth (1 MiB, ~1,000 events)
      // held at once outlives the young generation and is copied, then promoted, by the collector.
      if (batch.length >= YIELD_EVERY) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
}

/** Whether the first non-blank line from spans[k] on (in this batch) is a JSON object or array by itself. */
function nextLineIsJson(buf: Buffer, spans: number[], k: number): boolean {
  for (; k < spans.length; k += 4) {
    const t = buf.toString('utf8', spans[k], spans[k + 1]).trim();
    if (t === '') continue;
    if (t[0] !== '{' && t[0] !== '[') return false;
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

function toItem(v: unknown, file: string, line: number, index?: number): SourceItem {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return problem(file, line, 'json.not-object', `expected a JSON object, got ${Array.isArray(v) ? 'an array' : typeof v}`);
  }
  return { kind: 'record', data: v as Record<string, unknown>, loc: index === undefined ? { file, line } : { file, line, record: index + 1 }, format: 'json' };
}

function problem(file: string, line: number, code: string, message: string): SourceItem {
  return { kind: 'problem', problem: { code, message, location: { file, line } } };
}

async function isGzip(path: string): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    await fh.read(b, 0, 2, 0);
    return GZIP(b);
  } finally {
    await fh.close();
  }
}

async function* readDocument(path: string, max: number, gzip: boolean, opts: ReadOptions): AsyncGenerator<SourceItem[]> {
  const raw = createReadStream(path, { highWaterMark: 1 << 20, signal: opts.signal });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => stream.destroy(e));
  const dec = new StringDecoder('utf8');
  const splitter = new JsonValueSplitter(max);
  const convert = (vals: SplitValue[]): SourceItem[] =>
    vals.map((sv) => {
      if (sv.tooLong) return problem(path, sv.line, 'json.too-long', `JSON value exceeds the limit of ${max} bytes; skipped`);
      try {
        return toItem(JSON.parse(sv.text), path, sv.line);
      } catch (err) {
        return problem(path, sv.line, 'json.syntax', `invalid JSON (${(err as Error).message}): ${preview(sv.text)}`);
      }
    });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const vals: SplitValue[] = [];
    splitter.push(dec.write(chunk), vals);
    if (vals.length) yield convert(vals);
  }
  const vals: SplitValue[] = [];
  splitter.push(dec.end(), vals);
  splitter.end(vals);
  if (vals.length) yield convert(vals);
}
