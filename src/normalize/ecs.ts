import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { dataPath } from '../util/index.js';
import { NormalizedEvent, getPath } from './event.js';
import type { Layout } from './registry.js';
import { parseTimestamp } from './time.js';
import { applyAliases } from './aliases.js';

interface EcsMapping {
  fields: { from: string; to?: string }[];
  timestamp: string[];
}

let mapping: EcsMapping | undefined;
const load = (): EcsMapping =>
  (mapping ??= yaml.load(readFileSync(dataPath('mappings', 'ecs.yaml'), 'utf8')) as EcsMapping);

let steps: { from: string; to?: string; spread: boolean }[] | undefined;
/** The mapping as steps: `a.b.*` copies every member of a.b; others copy one path to one name. */
function compiled(m: EcsMapping): { from: string; to?: string; spread: boolean }[] {
  return (steps ??= m.fields.map(({ from, to }) => (from.endsWith('.*') ? { from: from.slice(0, -2), to, spread: true } : { from, to, spread: false })));
}

/**
 * Elastic Common Schema / Winlogbeat 7+ documents: nested objects such as `process.executable`,
 * `event.code`, `winlog.event_data`. Mapped to Sigma's flat names by data/mappings/ecs.yaml; the
 * dotted ECS names stay reachable through `get()`, so rules written against ECS also work.
 */
export const ecsLayout: Layout = {
  name: 'ecs',
  accepts(record) {
    return (
      (typeof record.winlog === 'object' && record.winlog !== null) ||
      (typeof record.event === 'object' && record.event !== null && typeof record['@timestamp'] === 'string') ||
      (typeof record.process === 'object' && record.process !== null && typeof record.host === 'object')
    );
  },
  normalize(record, loc) {
    const m = load();
    // No prototype: spread members are named by the log (see windows.ts).
    const f: Record<string, unknown> = Object.create(null);
    for (const { from, to, spread } of compiled(m)) {
      if (spread) {
        const obj = getPath(record, from);
        if (obj && typeof obj === 'object') {
          const o = obj as Record<string, unknown>;
          for (const k in o) if (f[k] === undefined) f[k] = o[k];
        }
      } else if (to && f[to] === undefined) {
        const v = getPath(record, from);
        if (v !== undefined) f[to] = v;
      }
    }
    if (typeof f.EventID === 'string' && /^\d+$/.test(f.EventID)) f.EventID = Number(f.EventID);
    applyAliases(f);
    let ts: number | undefined;
    for (const p of m.timestamp) if ((ts = parseTimestamp(getPath(record, p))) !== undefined) break;
    const host = typeof f.Computer === 'string' ? f.Computer : undefined;
    return new NormalizedEvent(f, record, 'ecs', ts, host, loc);
  },
};
