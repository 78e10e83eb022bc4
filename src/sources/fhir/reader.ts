import { readFile, stat } from 'node:fs/promises';
import type { Problem } from '../../util/index.js';
import type { ReadOptions, SourceItem, SourceReader } from '../types.js';
import { Batcher, extOf, readLines } from './lines.js';

export const FHIR_AUDIT_FORMAT = 'fhir-audit';

/** Whole-document JSON larger than this is refused (a Bundle is parsed in memory). */
const MAX_DOC_BYTES = 512 * 1024 * 1024;

/**
 * FHIR AuditEvent reader (R4 and R5; https://hl7.org/fhir/R4/auditevent.html,
 * https://hl7.org/fhir/R5/auditevent.html). Accepts:
 *  - one AuditEvent resource per file (.json),
 *  - a Bundle (searchset, collection, transaction, batch, history) whose entries hold AuditEvents,
 *  - NDJSON (FHIR Bulk Data output, one resource per line; .ndjson/.jsonl), where a line may
 *    also be a Bundle.
 * Each AuditEvent becomes one record; other resource types in a Bundle are skipped silently (a
 * Bundle of search results often includes Patients with `_include`), everything malformed is a
 * problem with file and line.
 */
export const fhirAuditReader: SourceReader = {
  name: FHIR_AUDIT_FORMAT,
  description: 'HL7 FHIR AuditEvent R4/R5: resources, Bundles and NDJSON (IHE BALP semantics)',
  sniff(path, head) {
    const ext = extOf(path);
    if (ext !== '.json' && ext !== '.ndjson' && ext !== '.jsonl' && ext !== '.fhir') return false;
    const s = head.toString('utf8');
    // Field order in FHIR JSON is free; look for the resourceType of an AuditEvent or a Bundle
    // that carries AuditEvents within the first bytes.
    return /"resourceType"\s*:\s*"AuditEvent"/.test(s) || (/"resourceType"\s*:\s*"Bundle"/.test(s) && s.includes('"AuditEvent"'));
  },
  read(path, options) {
    return readFhir(path, options);
  },
};

async function* readFhir(path: string, options: ReadOptions = {}): AsyncGenerator<SourceItem[]> {
  const batch = new Batcher<SourceItem>(options.batchSize ?? 512);
  const ext = extOf(path);
  if (ext === '.json' || ext === '.fhir') {
    const size = (await stat(path)).size;
    if (size > MAX_DOC_BYTES) {
      yield [problem('fhir.too-large', `JSON document of ${size} bytes exceeds ${MAX_DOC_BYTES}; use NDJSON`, path, 1)];
      return;
    }
    const text = await readFile(path, 'utf8');
    let doc: unknown;
    let whole = true;
    try {
      doc = JSON.parse(text);
    } catch {
      whole = false; // NDJSON saved with a .json extension: fall through to line mode
    }
    if (whole) {
      const items: SourceItem[] = [];
      collect(doc, path, 1, 0, items);
      for (let i = 0; i < items.length; i += options.batchSize ?? 512) yield items.slice(i, i + (options.batchSize ?? 512));
      return;
    }
    const firstNl = text.indexOf('\n');
    if (firstNl < 0 || !isJson(text.slice(0, firstNl))) {
      yield [problem('fhir.json', `not valid JSON: ${jsonError(text)}`, path, 1)];
      return;
    }
  }
  for await (const l of readLines(path, options.maxLineBytes)) {
    if (options.signal?.aborted) break;
    const out: SourceItem[] = [];
    if (l.tooLong) out.push(problem('fhir.line-too-long', 'line exceeds the size limit; skipped', path, l.line, l.offset));
    else if (l.text.trim() !== '') {
      let doc: unknown;
      try {
        doc = JSON.parse(l.text);
        collect(doc, path, l.line, l.offset, out);
      } catch (err) {
        out.push(problem('fhir.json', `not valid JSON: ${(err as Error).message}`, path, l.line, l.offset));
      }
    }
    for (const it of out) {
      const full = batch.push(it);
      if (full) yield full;
    }
  }
  const rest = batch.drain();
  if (rest) yield rest;
}

/** Pushes the AuditEvents found in `doc` (a resource or a Bundle) as records. */
function collect(doc: unknown, file: string, line: number, offset: number, out: SourceItem[]): void {
  if (Array.isArray(doc)) {
    // A plain JSON array of resources (some exports write one); each element on its own.
    for (const [i, d] of doc.entries()) {
      const before = out.length;
      collect(d, file, line, offset, out);
      for (let k = before; k < out.length; k++) {
        const it = out[k];
        if (it.kind === 'record') it.loc = { ...it.loc, record: i };
        else it.problem.location = { ...it.problem.location, record: i };
      }
    }
    return;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    out.push(problem('fhir.not-resource', 'expected a FHIR resource (JSON object with resourceType)', file, line, offset));
    return;
  }
  const r = doc as Record<string, unknown>;
  if (r.resourceType === 'AuditEvent') {
    const why = invalid(r);
    if (why) out.push(problem('fhir.invalid', why, file, line, offset));
    else out.push({ kind: 'record', data: r, loc: { file, line, offset }, format: FHIR_AUDIT_FORMAT });
    return;
  }
  if (r.resourceType === 'Bundle') {
    const entries = Array.isArray(r.entry) ? r.entry : [];
    entries.forEach((e, i) => {
      const res = (e as Record<string, unknown> | null)?.resource as Record<string, unknown> | undefined;
      if (!res || typeof res !== 'object') return;
      if (res.resourceType !== 'AuditEvent') return;
      const why = invalid(res);
      // `record` carries the entry index so a problem or a hit points into the Bundle.
      if (why) out.push(problem('fhir.invalid', `Bundle entry ${i}: ${why}`, file, line, offset, i));
      else out.push({ kind: 'record', data: res, loc: { file, line, offset, record: i }, format: FHIR_AUDIT_FORMAT });
    });
    return;
  }
  out.push(problem('fhir.not-audit', `resourceType ${JSON.stringify(r.resourceType)} is not AuditEvent or Bundle`, file, line, offset));
}

/** The minimum the layout needs: a recorded time (1..1 in R4 and R5) and at least one agent. */
function invalid(r: Record<string, unknown>): string | undefined {
  if (typeof r.recorded !== 'string') return 'AuditEvent.recorded (1..1) is missing';
  if (Number.isNaN(Date.parse(r.recorded))) return `AuditEvent.recorded is not a dateTime: ${JSON.stringify(r.recorded)}`;
  if (!Array.isArray(r.agent) || r.agent.length === 0) return 'AuditEvent.agent (1..*) is missing';
  return undefined;
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

function jsonError(s: string): string {
  try {
    JSON.parse(s);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

function problem(code: string, message: string, file: string, line: number, offset?: number, record?: number): SourceItem {
  const p: Problem = { code, message, location: { file, line, offset, record } };
  return { kind: 'problem', problem: p };
}
