import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Problem } from '../../util/index.js';
import {
  formatIssue, isMispEvent, mispEventToStix, mispFeedToStix, upgradeFrom20, validateObject, type Indicator, type StixObject,
} from '../../stix/index.js';

export interface LoadIntelResult {
  indicators: Indicator[];
  /** Every STIX object read (indicators included), for callers that store or re-share them. */
  objects: StixObject[];
  problems: Problem[];
  files: number;
}

const UUID_JSON = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json$/i;

/** Line and column of a character offset, for JSON syntax errors. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

function parseJson(file: string, problems: Problem[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({ code: 'unreadable', message: (e as Error).message, location: { file } });
    return undefined;
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const offset = m ? Number(m[1]) : undefined;
    problems.push({ code: 'bad-json', message: msg, location: { file, ...(offset !== undefined ? { ...lineCol(text, offset), offset: Buffer.byteLength(text.slice(0, offset)) } : {}) } });
    return undefined;
  }
}

/**
 * Reads threat intelligence for `ward hunt --intel`: STIX 2.1 bundles (or a JSON list of STIX
 * objects, or one object), MISP event JSON, and MISP feed folders (manifest.json + <uuid>.json +
 * hashes.csv). Folders are searched recursively for *.json. A bad file or object is reported with
 * its path and reason and the rest is still loaded; invalid indicators are left out.
 */
export function loadIntel(paths: string | readonly string[]): LoadIntelResult {
  const out: LoadIntelResult = { indicators: [], objects: [], problems: [], files: 0 };
  for (const p of typeof paths === 'string' ? [paths] : paths) visit(p, out, true);
  return out;
}

function visit(path: string, out: LoadIntelResult, explicit: boolean): void {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    out.problems.push({ code: 'not-found', message: (e as Error).message, location: { file: path } });
    return;
  }
  if (st.isDirectory()) {
    const names = readdirSync(path).sort();
    if (names.includes('manifest.json')) {
      const manifest = parseJson(join(path, 'manifest.json'), out.problems);
      if (manifest && typeof manifest === 'object' && !Array.isArray(manifest) && Object.keys(manifest).every((k) => UUID_JSON.test(`${k}.json`))) {
        loadFeed(path, manifest, names, out);
        for (const n of names) {
          const full = join(path, n);
          if (n !== 'manifest.json' && !UUID_JSON.test(n) && statSync(full).isDirectory()) visit(full, out, false);
        }
        return;
      }
    }
    for (const n of names) {
      const full = join(path, n);
      if (statSync(full).isDirectory()) visit(full, out, false);
      else if (n.toLowerCase().endsWith('.json')) visit(full, out, false);
    }
    return;
  }
  if (!explicit && !path.toLowerCase().endsWith('.json')) return;
  out.files++;
  const doc = parseJson(path, out.problems);
  if (doc === undefined) return;
  addDocument(doc, path, out);
}

function loadFeed(dir: string, manifest: object, names: string[], out: LoadIntelResult): void {
  const events = new Map<string, unknown>();
  for (const uuid of Object.keys(manifest)) {
    const f = join(dir, `${uuid}.json`);
    if (!names.includes(`${uuid}.json`)) continue;
    out.files++;
    const doc = parseJson(f, out.problems);
    if (doc !== undefined) events.set(uuid, doc);
  }
  let hashesCsv: string | undefined;
  if (names.includes('hashes.csv')) hashesCsv = readFileSync(join(dir, 'hashes.csv'), 'utf8');
  const r = mispFeedToStix({ manifest, events, hashesCsv });
  for (const p of r.problems) {
    const file = p.line !== undefined ? join(dir, 'hashes.csv') : p.uuid ? join(dir, `${p.uuid}.json`) : join(dir, 'manifest.json');
    out.problems.push({ code: `misp-${p.code}`, message: p.message, location: { file, ...(p.line ? { line: p.line } : {}) } });
  }
  addObjects(r.objects, join(dir, 'manifest.json'), out);
}

function addDocument(doc: unknown, file: string, out: LoadIntelResult): void {
  if (Array.isArray(doc)) return addObjects(doc, file, out);
  if (doc && typeof doc === 'object') {
    const d = doc as Record<string, unknown>;
    if (d.type === 'bundle') {
      if (!Array.isArray(d.objects)) {
        out.problems.push({ code: 'bad-bundle', message: 'bundle without an objects list', location: { file } });
        return;
      }
      return addObjects(d.objects, file, out);
    }
    if (typeof d.type === 'string' && typeof d.id === 'string') return addObjects([d], file, out);
    if (isMispEvent(doc)) {
      try {
        return addObjects(mispEventToStix(doc).objects, file, out);
      } catch (e) {
        out.problems.push({ code: 'bad-misp-event', message: (e as Error).message, location: { file } });
        return;
      }
    }
  }
  out.problems.push({ code: 'not-intel', message: `${basename(file)} is neither a STIX bundle, STIX objects nor a MISP event`, location: { file } });
}

function addObjects(list: unknown[], file: string, out: LoadIntelResult): void {
  list.forEach((raw, i) => {
    // STIX 2.0 objects (no spec_version) are read as 2.1, see upgradeFrom20.
    const o = raw && typeof raw === 'object' && !Array.isArray(raw) && typeof (raw as StixObject).type === 'string' ? upgradeFrom20(raw as StixObject) : raw;
    const r = validateObject(o, `objects[${i}]`);
    if (!r.ok) {
      for (const e of r.errors.slice(0, 5)) out.problems.push({ code: `stix-${e.code}`, message: formatIssue(e), location: { file } });
      if (r.errors.length > 5) out.problems.push({ code: 'stix-more', message: `objects[${i}]: ${r.errors.length - 5} more errors`, location: { file } });
      return;
    }
    const obj = o as StixObject;
    out.objects.push(obj);
    if (obj.type === 'indicator') out.indicators.push(obj as Indicator);
  });
}
