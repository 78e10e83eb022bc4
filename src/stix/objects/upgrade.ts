import type { StixObject } from './types.js';

/**
 * STIX 2.0 → 2.1 for objects that arrive from 2.0 producers (TAXII 2.0 servers, older feeds):
 * 2.0 objects carry no spec_version (the bundle did), indicators have no pattern_type, and the
 * 2.0 `labels` of indicators, malware, tools, threat actors and reports were their type
 * vocabularies (STIX 2.1 §B "Changes from STIX 2.0"). Nothing is dropped: 2.0 labels stay
 * labels and are also copied to the 2.1 *_types property.
 */
const LABELS_TO: Record<string, string> = {
  indicator: 'indicator_types',
  malware: 'malware_types',
  tool: 'tool_types',
  'threat-actor': 'threat_actor_types',
  report: 'report_types',
};

export function isStix20(o: Record<string, unknown>): boolean {
  return o.spec_version === undefined && typeof o.created === 'string';
}

export function upgradeFrom20(o: StixObject): StixObject {
  if (!isStix20(o)) return o;
  const out: StixObject = { ...o, spec_version: '2.1' };
  const to = LABELS_TO[o.type];
  if (to && Array.isArray(o.labels) && out[to] === undefined) out[to] = [...(o.labels as string[])];
  if (o.type === 'indicator' && out.pattern_type === undefined) out.pattern_type = 'stix';
  // 2.0 malware objects described families; 2.1 makes is_family explicit.
  if (o.type === 'malware' && out.is_family === undefined) out.is_family = true;
  return out;
}
