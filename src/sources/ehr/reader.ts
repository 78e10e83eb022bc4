import { open, readFile } from 'node:fs/promises';
import type { ReadOptions, SourceItem, SourceReader } from '../types.js';
import { Batcher, extOf, readLines } from '../fhir/lines.js';
import { parseCsvRecord } from './csv.js';
import { EHR_FIELDS, ehrTime, mappingFor, resolveColumns, type EhrField, type EhrMapping } from './mapping.js';

export const EHR_FORMAT = 'ehr-access';
/** A quoted CSV field may span lines, but not without bound. */
const MAX_CONTINUATION_LINES = 50;

/**
 * EHR access logs (who opened which patient's record), CSV/TSV with a header or JSON Lines, with
 * the column mapping given as data (data/mappings/ehr-access.yaml, overridable per file). Each row
 * becomes `{ ehr: {timestamp, user, role, department, patient, action, workstation, ip,
 * break_glass_reason, …}, row: {original columns} }`.
 */
export const ehrAccessReader: SourceReader = {
  name: EHR_FORMAT,
  description: 'EHR access logs, CSV/TSV/JSON Lines, columns mapped by data/mappings/ehr-access.yaml',
  sniff(path, head) {
    const ext = extOf(path);
    const first = head.toString('utf8').replace(/^\ufeff/, '').split(/\r?\n/)[0];
    let m: EhrMapping;
    try {
      m = mappingFor(path);
    } catch {
      return false;
    }
    if (ext === '.csv' || ext === '.tsv') {
      const h = parseCsvRecord(first, ext === '.tsv' ? '\t' : ',');
      return !!h && resolveColumns(h, m).missing.length === 0;
    }
    if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') {
      try {
        // A JSON array export: judge by its first element's keys, when it fits in the head.
        const arr = /^\s*\[\s*(\{[^{}]*\})/.exec(head.toString('utf8'));
        const o = JSON.parse(arr ? arr[1] : first) as unknown;
        if (!o || typeof o !== 'object' || Array.isArray(o) || 'resourceType' in o) return false;
        return resolveColumns(Object.keys(o), m).missing.length === 0;
      } catch {
        return false;
      }
    }
    return false;
  },
  read(path, options) {
    return readEhr(path, options ?? {});
  },
};

async function* readEhr(path: string, options: ReadOptions): AsyncGenerator<SourceItem[]> {
  let mapping: EhrMapping;
  try {
    mapping = mappingFor(path);
  } catch (err) {
    yield [{ kind: 'problem', problem: { code: 'ehr.mapping', message: (err as Error).message, location: { file: path } } }];
    return;
  }
  const ext = extOf(path);
  const batch = new Batcher<SourceItem>(options.batchSize ?? 512);
  const c0 = await firstChar(path);
  if (c0 === '[') {
    yield* readJsonArray(path, mapping, options);
    return;
  }
  const json = ext === '.jsonl' || ext === '.ndjson' || ext === '.json' || c0 === '{';
  const sep = ext === '.tsv' ? '\t' : ',';
  let header: string[] | undefined;
  let index: Partial<Record<EhrField, string>> = {};
  let pending: { text: string; line: number; offset: number; parts: number } | undefined;

  const emit = (item: SourceItem | undefined): SourceItem[] | undefined => (item ? batch.push(item) : undefined);

  for await (const l of readLines(path, options.maxLineBytes)) {
    if (options.signal?.aborted) break;
    const loc = { file: path, line: l.line, offset: l.offset };
    if (l.tooLong) {
      const full = emit({ kind: 'problem', problem: { code: 'ehr.line-too-long', message: 'line exceeds the size limit; skipped', location: loc } });
      if (full) yield full;
      continue;
    }
    let out: SourceItem | undefined;
    if (json) {
      if (l.text.trim() === '') continue;
      out = jsonRow(l.text, mapping, loc);
    } else {
      const text = pending ? `${pending.text}\n${l.text}` : l.text.replace(/^\ufeff/, '');
      const start = pending ?? { line: l.line, offset: l.offset, parts: 0 };
      if (!pending && text.trim() === '') continue;
      const fields = parseCsvRecord(text, sep);
      if (!fields) {
        if (start.parts >= MAX_CONTINUATION_LINES) {
          out = { kind: 'problem', problem: { code: 'ehr.csv', message: `unterminated quoted field (over ${MAX_CONTINUATION_LINES} lines); skipped`, location: { file: path, line: start.line, offset: start.offset } } };
          pending = undefined;
        } else {
          pending = { text, line: start.line, offset: start.offset, parts: start.parts + 1 };
          continue;
        }
      } else {
        pending = undefined;
        const rloc = { file: path, line: start.line, offset: start.offset };
        if (!header) {
          header = fields.map((h) => h.trim());
          const r = resolveColumns(header, mapping);
          index = r.index;
          if (r.missing.length) {
            yield [{ kind: 'problem', problem: { code: 'ehr.mapping', message: `header lacks required column(s) ${r.missing.join(', ')} (mapping ${mapping.source})`, location: rloc } }];
            return;
          }
          continue;
        }
        if (fields.length !== header.length) {
          out = { kind: 'problem', problem: { code: 'ehr.csv', message: `row has ${fields.length} fields, header has ${header.length}`, location: rloc } };
        } else {
          const row: Record<string, unknown> = {};
          header.forEach((h, i) => (row[h] = fields[i]));
          out = toRecord(row, index, mapping, rloc);
        }
      }
    }
    const full = emit(out);
    if (full) yield full;
  }
  if (pending) {
    const full = emit({ kind: 'problem', problem: { code: 'ehr.csv', message: 'unterminated quoted field at end of file', location: { file: path, line: pending.line, offset: pending.offset } } });
    if (full) yield full;
  }
  const rest = batch.drain();
  if (rest) yield rest;
}

function jsonRow(text: string, m: EhrMapping, loc: { file: string; line: number; offset: number; record?: number }): SourceItem {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (err) {
    return { kind: 'problem', problem: { code: 'ehr.json', message: `not valid JSON: ${(err as Error).message}`, location: loc } };
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { kind: 'problem', problem: { code: 'ehr.json', message: 'expected a JSON object', location: loc } };
  const row = o as Record<string, unknown>;
  const r = resolveColumns(Object.keys(row), m);
  if (r.missing.length) return { kind: 'problem', problem: { code: 'ehr.mapping', message: `record lacks ${r.missing.join(', ')}`, location: loc } };
  return toRecord(row, r.index, m, loc);
}

function toRecord(row: Record<string, unknown>, index: Partial<Record<EhrField, string>>, m: EhrMapping, loc: { file: string; line: number; offset: number; record?: number }): SourceItem {
  const ehr: Record<string, string> = {};
  for (const f of EHR_FIELDS) {
    const col = index[f];
    if (col === undefined) continue;
    const v = row[col];
    if (v === undefined || v === null || v === '') continue;
    ehr[f] = typeof v === 'string' ? v.trim() : String(v);
  }
  const ts = ehr.timestamp !== undefined ? ehrTime(ehr.timestamp, m) : undefined;
  if (!ts) return { kind: 'problem', problem: { code: 'ehr.timestamp', message: `unparseable timestamp ${JSON.stringify(ehr.timestamp ?? '')} (format ${m.timestampFormat ?? 'iso'})`, location: loc } };
  ehr.timestamp = ts;
  for (const req of m.required) {
    if (ehr[req] === undefined) return { kind: 'problem', problem: { code: 'ehr.missing', message: `empty required field "${req}"`, location: loc } };
  }
  return { kind: 'record', data: { ehr, row }, loc, format: EHR_FORMAT };
}

/** A file holding one JSON array of row objects (exports from reporting tools); rows keep their index. */
async function* readJsonArray(path: string, m: EhrMapping, options: ReadOptions): AsyncGenerator<SourceItem[]> {
  let rows: unknown;
  try {
    rows = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    yield [{ kind: 'problem', problem: { code: 'ehr.json', message: `not valid JSON: ${(err as Error).message}`, location: { file: path, line: 1 } } }];
    return;
  }
  const items: SourceItem[] = [];
  (rows as unknown[]).forEach((row, i) => {
    const loc = { file: path, line: 1, offset: 0, record: i };
    items.push(jsonRow(JSON.stringify(row), m, loc));
  });
  const n = options.batchSize ?? 512;
  for (let i = 0; i < items.length; i += n) yield items.slice(i, i + n);
}

async function firstChar(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return b.subarray(0, bytesRead).toString('utf8').replace(/^\ufeff/, '').trimStart()[0] ?? '';
  } finally {
    await fh.close();
  }
}
