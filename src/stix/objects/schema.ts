/**
 * Declarative property rules of the STIX 2.1 object types Ward stores (STIX 2.1 §4 SDOs, §5 SROs,
 * §6 SCOs, §7 marking-definition). Properties not listed are custom or future ones: they are
 * kept untouched and never make an object invalid.
 */
export type Prop =
  | { k: 'string'; nonEmpty?: boolean; enum?: readonly string[] }
  | { k: 'timestamp' }
  | { k: 'boolean' }
  | { k: 'integer'; min?: number; max?: number }
  | { k: 'number'; min?: number; max?: number }
  | { k: 'ref'; types?: readonly string[] }
  | { k: 'refs'; types?: readonly string[]; nonEmpty?: boolean }
  | { k: 'strings'; nonEmpty?: boolean }
  | { k: 'hashes' }
  | { k: 'dict' }
  | { k: 'list' }
  | { k: 'kill-chain-phases' }
  | { k: 'external-references' }
  | { k: 'granular-markings' }
  | { k: 'extensions' };

export type Category = 'sdo' | 'sro' | 'sco' | 'meta';

export interface TypeSpec {
  category: Category;
  required?: readonly string[];
  /** At least one of these must be present. */
  oneOf?: readonly string[];
  props?: Readonly<Record<string, Prop>>;
  /** [earlier, later, strict]: `later` must not be before (strict: must be after) `earlier`. */
  order?: readonly (readonly [string, string, boolean])[];
  /** SCOs that must carry at least one property of their own (process, user-account …). */
  needsAnyProperty?: boolean;
}

const S: Prop = { k: 'string' };
const SN: Prop = { k: 'string', nonEmpty: true };
const TS: Prop = { k: 'timestamp' };
const B: Prop = { k: 'boolean' };
const STRS: Prop = { k: 'strings' };
const ref = (...types: string[]): Prop => ({ k: 'ref', types });
const refs = (...types: string[]): Prop => ({ k: 'refs', types });
const KCP: Prop = { k: 'kill-chain-phases' };
const NAME = { name: SN, description: S };
const SEEN: readonly (readonly [string, string, boolean])[] = [['first_seen', 'last_seen', false]];
const SDO_TYPES = [
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure',
  'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report',
  'threat-actor', 'tool', 'vulnerability',
];

/** §3.2 common properties of SDOs and SROs. */
export const COMMON_SDO: Readonly<Record<string, Prop>> = {
  spec_version: { k: 'string', enum: ['2.1'] },
  created_by_ref: ref('identity'),
  created: TS,
  modified: TS,
  revoked: B,
  labels: STRS,
  confidence: { k: 'integer', min: 0, max: 100 },
  lang: S,
  external_references: { k: 'external-references' },
  object_marking_refs: refs('marking-definition'),
  granular_markings: { k: 'granular-markings' },
  extensions: { k: 'extensions' },
};
export const COMMON_SDO_REQUIRED = ['spec_version', 'created', 'modified'];

/** §3.2 common properties of SCOs. */
export const COMMON_SCO: Readonly<Record<string, Prop>> = {
  spec_version: { k: 'string', enum: ['2.1'] },
  object_marking_refs: refs('marking-definition'),
  granular_markings: { k: 'granular-markings' },
  defanged: B,
  extensions: { k: 'extensions' },
};

export const TYPES: Readonly<Record<string, TypeSpec>> = {
  // ---- SDOs (§4)
  'attack-pattern': { category: 'sdo', required: ['name'], props: { ...NAME, aliases: STRS, kill_chain_phases: KCP } },
  campaign: { category: 'sdo', required: ['name'], props: { ...NAME, aliases: STRS, first_seen: TS, last_seen: TS, objective: S }, order: SEEN },
  'course-of-action': { category: 'sdo', required: ['name'], props: NAME },
  grouping: { category: 'sdo', required: ['context', 'object_refs'], props: { name: S, description: S, context: SN, object_refs: { k: 'refs', nonEmpty: true } } },
  identity: { category: 'sdo', required: ['name'], props: { ...NAME, roles: STRS, identity_class: S, sectors: STRS, contact_information: S } },
  incident: { category: 'sdo', required: ['name'], props: { ...NAME, kill_chain_phases: KCP } },
  indicator: {
    category: 'sdo',
    required: ['pattern', 'pattern_type', 'valid_from'],
    props: { name: S, description: S, indicator_types: STRS, pattern: SN, pattern_type: SN, pattern_version: S, valid_from: TS, valid_until: TS, kill_chain_phases: KCP },
    // §4.7: valid_until MUST be greater than valid_from.
    order: [['valid_from', 'valid_until', true]],
  },
  infrastructure: { category: 'sdo', required: ['name'], props: { ...NAME, infrastructure_types: STRS, aliases: STRS, kill_chain_phases: KCP, first_seen: TS, last_seen: TS }, order: SEEN },
  'intrusion-set': {
    category: 'sdo',
    required: ['name'],
    props: { ...NAME, aliases: STRS, first_seen: TS, last_seen: TS, goals: STRS, resource_level: S, primary_motivation: S, secondary_motivations: STRS },
    order: SEEN,
  },
  location: {
    category: 'sdo',
    oneOf: ['region', 'country', 'latitude'],
    props: { name: S, description: S, latitude: { k: 'number', min: -90, max: 90 }, longitude: { k: 'number', min: -180, max: 180 }, precision: { k: 'number', min: 0 }, region: S, country: S, administrative_area: S, city: S, street_address: S, postal_code: S },
  },
  malware: {
    category: 'sdo',
    required: ['is_family'],
    props: { name: S, description: S, malware_types: STRS, is_family: B, aliases: STRS, kill_chain_phases: KCP, first_seen: TS, last_seen: TS, operating_system_refs: refs('software'), architecture_execution_envs: STRS, implementation_languages: STRS, capabilities: STRS, sample_refs: refs('artifact', 'file') },
    order: SEEN,
  },
  'malware-analysis': {
    category: 'sdo',
    required: ['product'],
    oneOf: ['result', 'analysis_sco_refs'],
    props: { product: SN, version: S, host_vm_ref: ref('software'), operating_system_ref: ref('software'), installed_software_refs: refs('software'), configuration_version: S, modules: STRS, analysis_engine_version: S, analysis_definition_version: S, submitted: TS, analysis_started: TS, analysis_ended: TS, result_name: S, result: S, analysis_sco_refs: refs(), sample_ref: ref() },
    order: [['analysis_started', 'analysis_ended', false]],
  },
  note: { category: 'sdo', required: ['content', 'object_refs'], props: { abstract: S, content: SN, authors: STRS, object_refs: { k: 'refs', nonEmpty: true } } },
  'observed-data': {
    category: 'sdo',
    required: ['first_observed', 'last_observed', 'number_observed'],
    oneOf: ['object_refs', 'objects'],
    props: { first_observed: TS, last_observed: TS, number_observed: { k: 'integer', min: 1, max: 999_999_999 }, object_refs: { k: 'refs', nonEmpty: true }, objects: { k: 'dict' } },
    order: [['first_observed', 'last_observed', false]],
  },
  opinion: {
    category: 'sdo',
    required: ['opinion', 'object_refs'],
    props: { explanation: S, authors: STRS, opinion: { k: 'string', enum: ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'] }, object_refs: { k: 'refs', nonEmpty: true } },
  },
  report: { category: 'sdo', required: ['name', 'published', 'object_refs'], props: { ...NAME, report_types: STRS, published: TS, object_refs: { k: 'refs', nonEmpty: true } } },
  'threat-actor': {
    category: 'sdo',
    required: ['name'],
    props: { ...NAME, threat_actor_types: STRS, aliases: STRS, first_seen: TS, last_seen: TS, roles: STRS, goals: STRS, sophistication: S, resource_level: S, primary_motivation: S, secondary_motivations: STRS, personal_motivations: STRS },
    order: SEEN,
  },
  tool: { category: 'sdo', required: ['name'], props: { ...NAME, tool_types: STRS, aliases: STRS, kill_chain_phases: KCP, tool_version: S } },
  vulnerability: { category: 'sdo', required: ['name'], props: NAME },
  // ---- SROs (§5)
  relationship: {
    category: 'sro',
    required: ['relationship_type', 'source_ref', 'target_ref'],
    props: { relationship_type: SN, description: S, source_ref: ref(), target_ref: ref(), start_time: TS, stop_time: TS },
    // §5.1: stop_time MUST be later than start_time.
    order: [['start_time', 'stop_time', true]],
  },
  sighting: {
    category: 'sro',
    required: ['sighting_of_ref'],
    props: { description: S, first_seen: TS, last_seen: TS, count: { k: 'integer', min: 0, max: 999_999_999 }, sighting_of_ref: ref(...SDO_TYPES), observed_data_refs: refs('observed-data'), where_sighted_refs: refs('identity', 'location'), summary: B },
    order: SEEN,
  },
  // ---- Meta objects (§7)
  'marking-definition': {
    category: 'meta',
    required: ['spec_version', 'created'],
    props: { spec_version: { k: 'string', enum: ['2.1'] }, created: TS, created_by_ref: ref('identity'), name: S, definition_type: S, definition: { k: 'dict' }, external_references: { k: 'external-references' }, object_marking_refs: refs('marking-definition'), granular_markings: { k: 'granular-markings' }, extensions: { k: 'extensions' } },
  },
  'extension-definition': {
    category: 'meta',
    required: ['spec_version', 'created', 'modified', 'created_by_ref', 'name', 'schema', 'version', 'extension_types'],
    props: { name: SN, description: S, schema: SN, version: SN, extension_types: { k: 'strings', nonEmpty: true }, extension_properties: STRS },
  },
  'language-content': {
    category: 'meta',
    required: ['spec_version', 'created', 'modified', 'object_ref', 'contents'],
    props: { object_ref: ref(), object_modified: TS, contents: { k: 'dict' } },
  },
  // ---- SCOs (§6)
  artifact: { category: 'sco', props: { mime_type: S, payload_bin: S, url: S, hashes: { k: 'hashes' }, encryption_algorithm: S, decryption_key: S } },
  'autonomous-system': { category: 'sco', required: ['number'], props: { number: { k: 'integer', min: 0 }, name: S, rir: S } },
  directory: { category: 'sco', required: ['path'], props: { path: SN, path_enc: S, ctime: TS, mtime: TS, atime: TS, contains_refs: refs('file', 'directory') } },
  'domain-name': { category: 'sco', required: ['value'], props: { value: SN, resolves_to_refs: refs('ipv4-addr', 'ipv6-addr', 'domain-name') } },
  'email-addr': { category: 'sco', required: ['value'], props: { value: SN, display_name: S, belongs_to_ref: ref('user-account') } },
  'email-message': {
    category: 'sco',
    required: ['is_multipart'],
    props: { is_multipart: B, date: TS, content_type: S, from_ref: ref('email-addr'), sender_ref: ref('email-addr'), to_refs: refs('email-addr'), cc_refs: refs('email-addr'), bcc_refs: refs('email-addr'), message_id: S, subject: S, received_lines: STRS, additional_header_fields: { k: 'dict' }, body: S, body_multipart: { k: 'list' }, raw_email_ref: ref('artifact') },
  },
  file: {
    category: 'sco',
    // §6.7: a File object MUST contain at least one of hashes or name.
    oneOf: ['hashes', 'name'],
    props: { hashes: { k: 'hashes' }, size: { k: 'integer', min: 0 }, name: S, name_enc: S, magic_number_hex: S, mime_type: S, ctime: TS, mtime: TS, atime: TS, parent_directory_ref: ref('directory'), contains_refs: refs(), content_ref: ref('artifact') },
  },
  'ipv4-addr': { category: 'sco', required: ['value'], props: { value: SN, resolves_to_refs: refs('mac-addr'), belongs_to_refs: refs('autonomous-system') } },
  'ipv6-addr': { category: 'sco', required: ['value'], props: { value: SN, resolves_to_refs: refs('mac-addr'), belongs_to_refs: refs('autonomous-system') } },
  'mac-addr': { category: 'sco', required: ['value'], props: { value: SN } },
  mutex: { category: 'sco', required: ['name'], props: { name: SN } },
  'network-traffic': {
    category: 'sco',
    required: ['protocols'],
    // §6.12: at least one of src_ref or dst_ref MUST be present.
    oneOf: ['src_ref', 'dst_ref'],
    props: {
      start: TS, end: TS, is_active: B,
      src_ref: ref('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'), dst_ref: ref('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'),
      src_port: { k: 'integer', min: 0, max: 65535 }, dst_port: { k: 'integer', min: 0, max: 65535 },
      protocols: { k: 'strings', nonEmpty: true }, src_byte_count: { k: 'integer', min: 0 }, dst_byte_count: { k: 'integer', min: 0 },
      src_packets: { k: 'integer', min: 0 }, dst_packets: { k: 'integer', min: 0 }, ipfix: { k: 'dict' },
      src_payload_ref: ref('artifact'), dst_payload_ref: ref('artifact'), encapsulates_refs: refs('network-traffic'), encapsulated_by_ref: ref('network-traffic'),
    },
    order: [['start', 'end', false]],
  },
  process: {
    category: 'sco',
    needsAnyProperty: true,
    props: { is_hidden: B, pid: { k: 'integer', min: 0 }, created_time: TS, cwd: S, command_line: S, environment_variables: { k: 'dict' }, opened_connection_refs: refs('network-traffic'), creator_user_ref: ref('user-account'), image_ref: ref('file'), parent_ref: ref('process'), child_refs: refs('process') },
  },
  software: { category: 'sco', required: ['name'], props: { name: SN, cpe: S, swid: S, languages: STRS, vendor: S, version: S } },
  url: { category: 'sco', required: ['value'], props: { value: SN } },
  'user-account': {
    category: 'sco',
    needsAnyProperty: true,
    props: { user_id: S, credential: S, account_login: S, account_type: S, display_name: S, is_service_account: B, is_privileged: B, can_escalate_privs: B, is_disabled: B, account_created: TS, account_expires: TS, credential_last_changed: TS, account_first_login: TS, account_last_login: TS },
  },
  'windows-registry-key': { category: 'sco', needsAnyProperty: true, props: { key: S, values: { k: 'list' }, modified_time: TS, creator_user_ref: ref('user-account'), number_of_subkeys: { k: 'integer', min: 0 } } },
  'x509-certificate': { category: 'sco', needsAnyProperty: true, props: { is_self_signed: B, hashes: { k: 'hashes' }, version: S, serial_number: S, signature_algorithm: S, issuer: S, validity_not_before: TS, validity_not_after: TS, subject: S, subject_public_key_algorithm: S, subject_public_key_modulus: S, subject_public_key_exponent: { k: 'integer', min: 0 }, x509_v3_extensions: { k: 'dict' } } },
};

export const SDO_TYPE_NAMES: readonly string[] = SDO_TYPES;
