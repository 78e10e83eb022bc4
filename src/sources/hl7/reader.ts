import { readFile, stat } from 'node:fs/promises';
import type { ReadOptions, SourceItem, SourceReader } from '../types.js';
import { extOf } from '../fhir/lines.js';
import { parseHl7, type Hl7Message } from './parse.js';

export const HL7_FORMAT = 'hl7v2';
const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Batch envelope segments (§2.10.3): framing of a batch file, not messages. */
const BATCH_SEGMENTS = new Set(['FHS', 'FTS', 'BHS', 'BTS']);

/**
 * HL7 v2 message files: messages one after another, segments separated by CR, LF or CRLF, with
 * optional MLLP framing bytes (VT … FS CR) left in by capture tools and optional batch envelope.
 * Each message becomes a record `{ hl7: Hl7Message }`; its location's `line` counts segments
 * (each segment is a line), `offset` is the byte offset of its MSH, `record` its index.
 */
export const hl7Reader: SourceReader = {
  name: HL7_FORMAT,
  description: 'HL7 v2.x messages (ADT etc.), files of CR/LF-separated segments, MLLP captures',
  sniff(path, head) {
    const ext = extOf(path);
    const s = head.toString('latin1').replace(/^[\x0b\s]+/, '');
    if (ext === '.hl7' || ext === '.hl7v2' || ext === '.adt') return s.startsWith('MSH') || s.startsWith('FHS') || s.startsWith('BHS');
    return (ext === '.txt' || ext === '.log' || ext === '') && /^MSH(.)[^\r\n]{3,5}\1/.test(s);
  },
  read(path, options) {
    return readHl7(path, options ?? {});
  },
};

async function* readHl7(path: string, options: ReadOptions): AsyncGenerator<SourceItem[]> {
  const size = (await stat(path)).size;
  if (size > MAX_FILE_BYTES) {
    yield [{ kind: 'problem', problem: { code: 'hl7.too-large', message: `file of ${size} bytes is too large`, location: { file: path } } }];
    return;
  }
  // latin1 keeps one char per byte, so offsets are byte offsets; values are re-decoded below.
  const text = (await readFile(path)).toString('latin1');
  const items = splitMessages(text, path);
  const n = options.batchSize ?? 512;
  for (let i = 0; i < items.length; i += n) yield items.slice(i, i + n);
}

/** Splits a file's text into message records and problems. Exported for the MLLP listener tests. */
export function splitMessages(text: string, file: string): SourceItem[] {
  const items: SourceItem[] = [];
  const re = /[^\r\n\x0b\x1c]+/g;
  let seg = 0;
  let cur: { start: number; line: number; lines: string[] } | undefined;
  let index = 0;
  const flush = (): void => {
    if (!cur) return;
    index++;
    const loc = { file, line: cur.line, offset: cur.start, record: index };
    const r = parseHl7(utf8(cur.lines.join('\r')));
    if (r.ok) items.push({ kind: 'record', data: { hl7: r.message }, loc, format: HL7_FORMAT });
    else {
      const line = cur.line + (r.segment ?? 1) - 1;
      items.push({ kind: 'problem', problem: { code: 'hl7.parse', message: `message ${index}: ${r.error}`, location: { ...loc, line } } });
    }
    cur = undefined;
  };
  let m: RegExpExecArray | null;
  let orphan: { line: number; offset: number } | undefined;
  while ((m = re.exec(text))) {
    const l = m[0];
    if (l.trim() === '') continue;
    seg++;
    const id = l.slice(0, 3);
    if (id === 'MSH') {
      flush();
      if (orphan) {
        items.push({ kind: 'problem', problem: { code: 'hl7.orphan', message: 'segments before the first MSH skipped', location: { file, ...orphan } } });
        orphan = undefined;
      }
      cur = { start: m.index, line: seg, lines: [l] };
    } else if (BATCH_SEGMENTS.has(id)) {
      flush();
    } else if (cur) cur.lines.push(l);
    else orphan ??= { line: seg, offset: m.index };
  }
  flush();
  if (orphan) items.push({ kind: 'problem', problem: { code: 'hl7.orphan', message: 'segments outside any message skipped', location: { file, ...orphan } } });
  return items;
}

/** Re-decodes latin1-read text as UTF-8 when it is valid UTF-8 (MSH-18 is rarely reliable). */
function utf8(s: string): string {
  if (!/[\x80-\xff]/.test(s)) return s;
  const buf = Buffer.from(s, 'latin1');
  const u = buf.toString('utf8');
  return u.includes('\ufffd') ? s : u;
}

export type { Hl7Message };
