import { TYPES } from './schema.js';
import type { Bundle, Indicator, MarkingDefinition, ObservedData, Relationship, Sighting, StixCore, StixObject, Report } from './types.js';

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const ofType =
  <T>(type: string) =>
  (v: unknown): v is T =>
    isObj(v) && v.type === type;

export const isIndicator = ofType<Indicator>('indicator');
export const isSighting = ofType<Sighting>('sighting');
export const isRelationship = ofType<Relationship>('relationship');
export const isObservedData = ofType<ObservedData>('observed-data');
export const isReport = ofType<Report>('report');
export const isMarkingDefinition = ofType<MarkingDefinition>('marking-definition');
export const isBundle = (v: unknown): v is Bundle => isObj(v) && v.type === 'bundle' && Array.isArray(v.objects);

export function isStixObject(v: unknown): v is StixObject {
  return isObj(v) && typeof v.type === 'string' && typeof v.id === 'string';
}
/** STIX Domain Object (§4), including custom objects that carry `created`. */
export function isSdo(v: unknown): v is StixCore {
  if (!isStixObject(v)) return false;
  const spec = TYPES[v.type];
  return spec ? spec.category === 'sdo' : v.created !== undefined && v.type !== 'bundle';
}
export function isSro(v: unknown): v is StixCore {
  return isStixObject(v) && (v.type === 'relationship' || v.type === 'sighting');
}
/** STIX Cyber-observable Object (§6), including custom SCOs (no `created`). */
export function isSco(v: unknown): v is StixObject {
  if (!isStixObject(v)) return false;
  const spec = TYPES[v.type];
  return spec ? spec.category === 'sco' : v.created === undefined && v.type !== 'bundle';
}
