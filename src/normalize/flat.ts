import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { dataPath } from '../util/index.js';
import { NormalizedEvent } from './event.js';
import type { Layout } from './registry.js';
import { parseTimestamp } from './time.js';
import { applyAliases } from './aliases.js';

interface FlatMapping {
  fields: Record<string, string[]>;
  timestamp: string[];
}

let mapping: [string, string[]][] | undefined;
let tsFields: string[] = [];
function load(): [string, string[]][] {
  if (mapping) return mapping;
  const m = yaml.load(readFileSync(dataPath('mappings', 'flat.yaml'), 'utf8')) as FlatMapping;
  tsFields = m.timestamp;
  return (mapping = Object.entries(m.fields));
}

/**
 * Flat JSON: fields at the top level (NXLog, Snare, hand-written logs). Accepts any object, so it
 * is the last layout tried. Alternative spellings are folded per data/mappings/flat.yaml.
 */
export const flatLayout: Layout = {
  name: 'flat',
  accepts: () => true,
  normalize(record, loc) {
    const map = load();
    // No prototype: member names come from the log (see windows.ts).
    const f: Record<string, unknown> = Object.assign(Object.create(null), record);
    for (const [name, alts] of map) {
      if (f[name] !== undefined) continue;
      for (const a of alts) {
        if (f[a] !== undefined && (typeof f[a] !== 'object' || f[a] === null)) {
          f[name] = f[a];
          break;
        }
      }
    }
    if (typeof f.EventID === 'string' && /^\d+$/.test(f.EventID)) f.EventID = Number(f.EventID);
    applyAliases(f);
    let ts: number | undefined;
    for (const p of tsFields) if ((ts = parseTimestamp(f[p])) !== undefined) break;
    const host = typeof f.Computer === 'string' ? f.Computer : undefined;
    return new NormalizedEvent(f, record, 'flat', ts, host, loc);
  },
};
