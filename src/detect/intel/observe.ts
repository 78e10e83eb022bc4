import { parseCidr } from '../../stix/index.js';
import type { WardEvent } from '../../normalize/index.js';
import { fieldValues, type PathMapping } from './mapping.js';

export interface FieldHit {
  field: string;
  value: string;
}

/** Event values per mapped object path, extracted once per event and shared by all matching. */
export class EventValues {
  private readonly cache = new Map<string, FieldHit[]>();
  constructor(readonly event: WardEvent) {}
  of(m: PathMapping): FieldHit[] {
    let v = this.cache.get(m.key);
    if (!v) {
      v = [];
      for (const src of m.fields) fieldValues(this.event, src, v);
      if (m.normalize === 'ip') v = v.filter((h) => ipVersionOf(h.value) === (m.path.type === 'ipv6-addr' ? 6 : 4));
      this.cache.set(m.key, v);
    }
    return v;
  }
}

export function ipVersionOf(v: string): 4 | 6 | undefined {
  const t = v.startsWith('::ffff:') && v.includes('.') ? v.slice(7) : v;
  return parseCidr(t)?.version;
}

const NUMERIC = /(_port|^pid|^size|_count|^number)$/;

/**
 * The event as one STIX observation (§9.4): SCOs built from the mapped fields. Values of one type
 * go into the same object until a property would be overwritten, then a new object of that type
 * starts (an event with SourceIp and DestinationIp gives two ipv4-addr objects). Object paths with
 * references are not built; the mapping lists direct properties.
 */
export function eventObservation(values: EventValues, mappings: readonly PathMapping[]): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const m of mappings) {
    const hits = values.of(m);
    if (hits.length === 0 || m.path.steps.some((s) => s.kind === 'index')) continue;
    const keys = m.path.steps.map((s) => (s as { key: string }).key);
    const last = keys[keys.length - 1];
    for (const h of hits) {
      const value: unknown = NUMERIC.test(last) && /^\d+$/.test(h.value) ? Number(h.value) : m.path.type === 'ipv4-addr' && h.value.startsWith('::ffff:') ? h.value.slice(7) : h.value;
      let target = objects.find((o) => o.type === m.path.type && getIn(o, keys) === undefined);
      if (objects.some((o) => o.type === m.path.type && getIn(o, keys) === value)) continue;
      if (!target) objects.push((target = { type: m.path.type }));
      setIn(target, keys, value);
    }
  }
  return objects;
}

function getIn(o: Record<string, unknown>, keys: string[]): unknown {
  let cur: unknown = o;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function setIn(o: Record<string, unknown>, keys: string[], v: unknown): void {
  let cur = o;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = cur[keys[i]];
    if (next === null || typeof next !== 'object') cur[keys[i]] = {};
    cur = cur[keys[i]] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = v;
}
