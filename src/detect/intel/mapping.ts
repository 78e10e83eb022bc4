import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { dataPath, WardError } from '../../util/index.js';
import { parsePattern, type ObjectPath } from '../../stix/index.js';
import type { WardEvent } from '../../normalize/index.js';

export type Normalizer = 'lower' | 'domain' | 'ip' | 'exact';

export interface FieldSource {
  field: string;
  extract?: RegExp;
  transform?: 'basename' | 'lower' | 'ip';
}

export interface PathMapping {
  /** Position in the mapping list. */
  index: number;
  /** Canonical key of the object path, see pathKey(). */
  key: string;
  path: ObjectPath;
  normalize: Normalizer;
  fields: FieldSource[];
}

interface RawMapping {
  paths: { path: string; normalize?: string; fields: (string | { field: string; extract?: string; transform?: string })[] }[];
}

/** `type:step.step[*]` with keys unquoted — the same string for `hashes.'MD5'` and `hashes.MD5`. */
export function pathKey(p: ObjectPath): string {
  let s = `${p.type}:`;
  p.steps.forEach((st, i) => {
    if (st.kind === 'key') s += (i === 0 ? '' : '.') + st.key;
    else s += `[${st.index}]`;
  });
  return s;
}

/** Parses an object path written as in a pattern (`file:hashes.'SHA-256'`). */
export function parseObjectPath(text: string): ObjectPath {
  const root = parsePattern(`[${text} = 1]`).root;
  if (root.kind !== 'observation' || root.expr.kind !== 'cmp') throw new Error(`not an object path: ${text}`);
  return { ...root.expr.path, pos: 0, text };
}

export function compileMapping(doc: unknown, source = 'stix.yaml'): PathMapping[] {
  const raw = doc as RawMapping;
  if (!raw || !Array.isArray(raw.paths)) throw new WardError('intel-mapping', `${source}: expected a "paths" list`);
  return raw.paths.map((e, i) => {
    let path: ObjectPath;
    try {
      path = parseObjectPath(e.path);
    } catch (err) {
      throw new WardError('intel-mapping', `${source}: paths[${i}].path ${JSON.stringify(e.path)}: ${(err as Error).message}`);
    }
    const normalize = (e.normalize ?? 'exact') as Normalizer;
    if (!['lower', 'domain', 'ip', 'exact'].includes(normalize)) throw new WardError('intel-mapping', `${source}: paths[${i}].normalize must be lower, domain, ip or exact`);
    const fields = (e.fields ?? []).map((f, j): FieldSource => {
      if (typeof f === 'string') return { field: f };
      if (!f || typeof f.field !== 'string') throw new WardError('intel-mapping', `${source}: paths[${i}].fields[${j}] needs "field"`);
      const out: FieldSource = { field: f.field };
      if (f.extract !== undefined) out.extract = new RegExp(f.extract);
      if (f.transform !== undefined) {
        if (!['basename', 'lower', 'ip'].includes(f.transform)) throw new WardError('intel-mapping', `${source}: paths[${i}].fields[${j}].transform must be basename, lower or ip`);
        out.transform = f.transform as FieldSource['transform'];
      }
      return out;
    });
    return { index: i, key: pathKey(path), path, normalize, fields };
  });
}

let cached: PathMapping[] | undefined;
/** data/mappings/stix.yaml, loaded once. */
export function defaultMapping(): PathMapping[] {
  if (!cached) {
    const file = dataPath('mappings', 'stix.yaml');
    cached = compileMapping(yaml.load(readFileSync(file, 'utf8')), file);
  }
  return cached;
}

export function basename(v: string): string {
  const i = Math.max(v.lastIndexOf('\\'), v.lastIndexOf('/'));
  return i >= 0 ? v.slice(i + 1) : v;
}

/** Values one mapped field contributes, after extract/transform (not yet normalized). */
export function fieldValues(event: WardEvent, src: FieldSource, out: { field: string; value: string }[]): void {
  rawValues(event.get(src.field), src, out);
}

export function rawValues(raw: unknown, src: FieldSource, out: { field: string; value: string }[]): void {
  if (raw === undefined || raw === null || raw === '' || raw === '-') return;
  const list = Array.isArray(raw) ? raw : [raw];
  for (const item of list) {
    if (item === null || typeof item === 'object') continue;
    let v = String(item);
    if (src.extract) {
      const m = src.extract.exec(v);
      if (!m || m[1] === undefined) continue;
      v = m[1];
    }
    if (src.transform === 'basename') v = basename(v);
    else if (src.transform === 'lower') v = v.toLowerCase();
    if (v !== '') out.push({ field: src.field, value: v });
  }
}
