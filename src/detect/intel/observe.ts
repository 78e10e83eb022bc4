import { parseCidr } from '../../stix/index.js';
import type { WardEvent } from '../../normalize/index.js';
import { rawValues, type FieldSource, type PathMapping } from './mapping.js';

export interface FieldHit {
  field: string;
  value: string;
}

interface Route {
  mapping: PathMapping;
  src: FieldSource;
}

/**
 * Routes event field names to the mappings that read them. Field names are matched without
 * regard to case (as WardEvent.get does); the answer per distinct name is cached, so each event
 * costs one map lookup per field it carries, whatever the number of mappings or indicators.
 */
export class FieldRouter {
  private readonly byLower = new Map<string, Route[]>();
  private readonly cache = new Map<string, Route[] | null>();
  constructor(mappings: readonly PathMapping[]) {
    for (const m of mappings) {
      for (const src of m.fields) {
        const k = src.field.toLowerCase();
        let list = this.byLower.get(k);
        if (!list) this.byLower.set(k, (list = []));
        list.push({ mapping: m, src });
      }
    }
  }
  get empty(): boolean {
    return this.byLower.size === 0;
  }
  routes(field: string): Route[] | null {
    let r = this.cache.get(field);
    if (r === undefined) {
      r = this.byLower.get(field.toLowerCase()) ?? null;
      // Field names are few; the bound only guards against events with generated names.
      if (this.cache.size < 50_000) this.cache.set(field, r);
    }
    return r;
  }
}

const NONE: FieldHit[] = [];

/** Event values per mapped object path, extracted in one pass over the event's fields. */
export class EventValues {
  private values: FieldHit[][] | undefined;
  /** Mapping indexes that received at least one value, in the order first seen. */
  private seen: number[] = [];
  constructor(
    readonly event: WardEvent,
    private readonly router: FieldRouter,
  ) {}
  private collect(): FieldHit[][] {
    const values: FieldHit[][] = [];
    const fields = this.event.fields;
    const keys = Object.keys(fields);
    for (let k = 0; k < keys.length; k++) {
      const routes = this.router.routes(keys[k]);
      if (routes === null) continue;
      const v = fields[keys[k]];
      if (v === undefined || v === null || v === '' || v === '-') continue;
      for (let i = 0; i < routes.length; i++) {
        const r = routes[i];
        const m = r.mapping;
        let list = values[m.index];
        const before = list ? list.length : 0;
        list ??= [];
        rawValues(v, r.src, list);
        if (list.length === before) continue;
        if (before === 0) this.seen.push(m.index);
        values[m.index] = list;
        if (m.normalize === 'ip') {
          const want = m.path.type === 'ipv6-addr' ? 6 : 4;
          for (let j = list.length - 1; j >= before; j--) if (ipVersionOf(list[j].value) !== want) list.splice(j, 1);
        }
      }
    }
    return values;
  }
  /** Indexes of the mappings this event has values for. */
  touched(): readonly number[] {
    this.values ??= this.collect();
    return this.seen;
  }
  of(m: PathMapping): FieldHit[] {
    this.values ??= this.collect();
    return this.values[m.index] ?? NONE;
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
