import { randomUUID } from 'node:crypto';
import { scoId, type ObservedData, type Sighting, type StixObject } from '../../stix/index.js';
import type { Detection } from '../types.js';
import { defaultMapping, type PathMapping } from './mapping.js';
import { eventObservation, EventValues, FieldRouter } from './observe.js';

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

/**
 * The event behind a detection as STIX evidence: its mapped values as SCOs (deterministic ids,
 * §2.9) and an observed-data object referring to them (§4.13), so that a sighting can name it in
 * observed_data_refs. Returns undefined when the detection carries no event or no mapped value.
 */
export function detectionEvidence(d: Detection, opts: { mapping?: PathMapping[]; now?: Date; createdByRef?: string } = {}): { observedData: ObservedData; objects: StixObject[] } | undefined {
  if (!d.event) return undefined;
  const mapping = opts.mapping ?? defaultMapping();
  const scos = eventObservation(new EventValues(d.event, new FieldRouter(mapping)), mapping).map((o) => ({ ...o, spec_version: '2.1', id: scoId(o.type as string, o) }) as StixObject);
  if (scos.length === 0) return undefined;
  const now = (opts.now ?? new Date()).toISOString();
  const seen = d.timestamp !== undefined ? new Date(d.timestamp).toISOString() : now;
  const observedData: ObservedData = {
    type: 'observed-data',
    spec_version: '2.1',
    id: `observed-data--${randomUUID()}`,
    created: now,
    modified: now,
    first_observed: seen,
    last_observed: seen,
    number_observed: 1,
    object_refs: scos.map((s) => s.id),
    ...(opts.createdByRef ? { created_by_ref: opts.createdByRef } : {}),
  };
  return { observedData, objects: scos };
}
