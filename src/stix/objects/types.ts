/**
 * TypeScript shapes of the STIX 2.1 objects Ward handles. Every object type keeps an index
 * signature: custom properties (x_…) and future ones travel with the object, never dropped.
 */
export type Identifier = string;
export type Timestamp = string;

export interface KillChainPhase {
  kill_chain_name: string;
  phase_name: string;
}
export interface ExternalReference {
  source_name: string;
  description?: string;
  url?: string;
  hashes?: Record<string, string>;
  external_id?: string;
}
export interface GranularMarking {
  selectors: string[];
  marking_ref?: Identifier;
  lang?: string;
}

export interface StixObjectBase {
  type: string;
  id: Identifier;
  spec_version?: string;
  object_marking_refs?: Identifier[];
  granular_markings?: GranularMarking[];
  extensions?: Record<string, Record<string, unknown>>;
  [property: string]: unknown;
}

/** §3.2 common properties of SDOs and SROs. */
export interface StixCore extends StixObjectBase {
  spec_version: string;
  created: Timestamp;
  modified: Timestamp;
  created_by_ref?: Identifier;
  revoked?: boolean;
  labels?: string[];
  confidence?: number;
  lang?: string;
  external_references?: ExternalReference[];
}

export interface Indicator extends StixCore {
  type: 'indicator';
  name?: string;
  description?: string;
  indicator_types?: string[];
  pattern: string;
  pattern_type: string;
  pattern_version?: string;
  valid_from: Timestamp;
  valid_until?: Timestamp;
  kill_chain_phases?: KillChainPhase[];
}
export interface Malware extends StixCore {
  type: 'malware';
  name?: string;
  is_family: boolean;
  malware_types?: string[];
  kill_chain_phases?: KillChainPhase[];
}
export interface NamedSdo extends StixCore {
  type: 'threat-actor' | 'intrusion-set' | 'attack-pattern' | 'campaign' | 'identity' | 'incident' | 'tool' | 'vulnerability' | 'course-of-action' | 'infrastructure';
  name: string;
  description?: string;
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
}
export interface Identity extends StixCore {
  type: 'identity';
  name: string;
  identity_class?: string;
  sectors?: string[];
}
export interface Report extends StixCore {
  type: 'report';
  name: string;
  published: Timestamp;
  object_refs: Identifier[];
  report_types?: string[];
  description?: string;
}
export interface Note extends StixCore {
  type: 'note';
  content: string;
  object_refs: Identifier[];
  abstract?: string;
}
export interface Grouping extends StixCore {
  type: 'grouping';
  context: string;
  object_refs: Identifier[];
  name?: string;
}
export interface ObservedData extends StixCore {
  type: 'observed-data';
  first_observed: Timestamp;
  last_observed: Timestamp;
  number_observed: number;
  object_refs?: Identifier[];
  objects?: Record<string, Record<string, unknown>>;
}
export interface Relationship extends StixCore {
  type: 'relationship';
  relationship_type: string;
  source_ref: Identifier;
  target_ref: Identifier;
  start_time?: Timestamp;
  stop_time?: Timestamp;
}
export interface Sighting extends StixCore {
  type: 'sighting';
  sighting_of_ref: Identifier;
  observed_data_refs?: Identifier[];
  where_sighted_refs?: Identifier[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  count?: number;
  summary?: boolean;
  description?: string;
}
export interface MarkingDefinition extends StixObjectBase {
  type: 'marking-definition';
  created: Timestamp;
  name?: string;
  definition_type?: string;
  definition?: Record<string, unknown>;
  created_by_ref?: Identifier;
}
/** Any SCO (§6): properties vary by type. */
export interface Sco extends StixObjectBase {
  defanged?: boolean;
}
export interface Bundle {
  type: 'bundle';
  id: Identifier;
  objects: StixObject[];
  [property: string]: unknown;
}

export type StixObject = StixObjectBase;
