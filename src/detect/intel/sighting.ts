import { randomUUID } from 'node:crypto';
import type { Sighting } from '../../stix/index.js';
import type { Detection } from '../types.js';

export interface SightingOptions {
  /** identity (or location) where the indicator was seen: where_sighted_refs (§5.2). */
  whereSightedRef?: string;
  /** observed-data objects that back the sighting: observed_data_refs. */
  observedDataRefs?: string[];
  /** created_by_ref of the sighting. */
  createdByRef?: string;
  /** creation time (default now). */
  now?: Date;
}

function iso(ms: number | undefined, fallback: string): string {
  return ms === undefined || Number.isNaN(ms) ? fallback : new Date(ms).toISOString();
}

/**
 * STIX `sighting` objects (STIX 2.1 §5.2) for intel detections: one per indicator, with count and
 * first_seen/last_seen over its detections. `sighting_of_ref` is the indicator id.
 */
export function detectionsToSightings(detections: Iterable<Detection>, opts: SightingOptions = {}): Sighting[] {
  const now = (opts.now ?? new Date()).toISOString();
  const groups = new Map<string, { first?: number; last?: number; count: number; hosts: Set<string> }>();
  for (const d of detections) {
    if (d.kind !== 'intel') continue;
    let g = groups.get(d.rule.id);
    if (!g) groups.set(d.rule.id, (g = { count: 0, hosts: new Set() }));
    g.count++;
    if (d.host) g.hosts.add(d.host);
    if (d.timestamp !== undefined) {
      if (g.first === undefined || d.timestamp < g.first) g.first = d.timestamp;
      if (g.last === undefined || d.timestamp > g.last) g.last = d.timestamp;
    }
  }
  const out: Sighting[] = [];
  for (const [indicatorId, g] of groups) {
    const s: Sighting = {
      type: 'sighting',
      spec_version: '2.1',
      id: `sighting--${randomUUID()}`,
      created: now,
      modified: now,
      sighting_of_ref: indicatorId,
      count: Math.min(g.count, 999_999_999),
      first_seen: iso(g.first, now),
      last_seen: iso(g.last, now),
    };
    if (opts.createdByRef) s.created_by_ref = opts.createdByRef;
    if (opts.whereSightedRef) s.where_sighted_refs = [opts.whereSightedRef];
    if (opts.observedDataRefs?.length) s.observed_data_refs = opts.observedDataRefs;
    if (g.hosts.size) s.x_ward_hosts = [...g.hosts].sort();
    out.push(s);
  }
  return out;
}

/** One sighting for one detection. */
export function detectionToSighting(d: Detection, opts: SightingOptions = {}): Sighting {
  const [s] = detectionsToSightings([{ ...d, kind: 'intel' }], opts);
  if (d.explanation) s.description = d.explanation;
  return s;
}
