import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  validateBundle, validateObject, isIndicator, isSco, isSdo, isSro, isBundle, latestVersions, isValidAt, isRevoked, STIX_TYPES, type StixObject,
} from '../../src/stix/index.js';

const bundle = JSON.parse(readFileSync(new URL('../fixtures/stix/valid-bundle.json', import.meta.url), 'utf8')) as { objects: StixObject[] };
const byType = (t: string) => structuredClone(bundle.objects.find((o) => o.type === t)!) as Record<string, unknown>;
const codes = (o: unknown) => validateObject(o).errors.map((e) => `${e.path}:${e.code}`);

describe('STIX 2.1 object validation', () => {
  it('the fixture bundle holds one valid object of every type Ward knows, and validates', () => {
    const types = new Set(bundle.objects.map((o) => o.type));
    for (const t of Object.keys(STIX_TYPES)) if (!['extension-definition', 'language-content'].includes(t)) expect(types.has(t), t).toBe(true);
    const r = validateBundle(bundle);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    // The custom x- type is accepted and reported as a warning only.
    expect(r.warnings.map((w) => w.code)).toContain('custom-type');
  });

  it('errors name the object id and the property path', () => {
    const ind = byType('indicator');
    ind.external_references = [{ source_name: 'x', description: 'd' }, { url: 'https://x' }];
    const r = validateObject(ind);
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatchObject({ id: ind.id, path: 'external_references[1].source_name', code: 'missing' });
    const b = validateBundle({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects: [byType('url'), { ...byType('file'), size: -1 }] });
    expect(b.errors).toMatchObject([{ path: 'objects[1].size', code: 'out-of-range' }]);
  });

  const missing: [string, string][] = [
    ['attack-pattern', 'name'], ['campaign', 'name'], ['course-of-action', 'name'], ['grouping', 'context'], ['grouping', 'object_refs'],
    ['identity', 'name'], ['incident', 'name'], ['indicator', 'pattern'], ['indicator', 'pattern_type'], ['indicator', 'valid_from'],
    ['infrastructure', 'name'], ['intrusion-set', 'name'], ['malware', 'is_family'], ['malware-analysis', 'product'], ['note', 'content'],
    ['note', 'object_refs'], ['observed-data', 'number_observed'], ['observed-data', 'first_observed'], ['opinion', 'opinion'],
    ['report', 'published'], ['report', 'object_refs'], ['threat-actor', 'name'], ['tool', 'name'], ['vulnerability', 'name'],
    ['relationship', 'relationship_type'], ['relationship', 'source_ref'], ['sighting', 'sighting_of_ref'], ['marking-definition', 'created'],
    ['autonomous-system', 'number'], ['directory', 'path'], ['domain-name', 'value'], ['email-addr', 'value'], ['email-message', 'is_multipart'],
    ['ipv4-addr', 'value'], ['ipv6-addr', 'value'], ['mac-addr', 'value'], ['mutex', 'name'], ['network-traffic', 'protocols'],
    ['software', 'name'], ['url', 'value'], ['indicator', 'created'], ['indicator', 'modified'], ['indicator', 'spec_version'],
  ];
  it.each(missing)('%s without %s is invalid', (type, prop) => {
    const o = byType(type);
    delete o[prop];
    expect(codes(o)).toContain(`${prop}:missing`);
  });

  it('checks type-specific rules', () => {
    expect(codes({ ...byType('indicator'), pattern: "[file:name = 'a' AND]" })).toContain('pattern:pattern-unexpected-token');
    expect(validateObject({ ...byType('indicator'), pattern: "[file:name = 'a' AND]" }).errors[0].message).toContain('position 20');
    // Non-STIX pattern languages are not parsed.
    expect(codes({ ...byType('indicator'), pattern: 'title: x', pattern_type: 'sigma' })).toEqual([]);
    expect(codes({ ...byType('indicator'), valid_until: '2024-03-01T00:00:00Z' })).toContain('valid_until:bad-order');
    expect(codes({ ...byType('indicator'), modified: '2020-01-01T00:00:00Z' })).toContain('modified:modified-before-created');
    expect(codes({ ...byType('indicator'), confidence: 101 })).toContain('confidence:out-of-range');
    expect(codes({ ...byType('indicator'), created: '2024-03-01 10:00:00' })).toContain('created:bad-timestamp');
    expect(codes({ ...byType('indicator'), created_by_ref: 'malware--00000000-0000-4000-8000-000000000001' })).toContain('created_by_ref:bad-ref-type');
    expect(codes({ ...byType('indicator'), id: 'malware--00000000-0000-4000-8000-000000000001' })).toContain('id:id-type-mismatch');
    expect(codes({ ...byType('indicator'), id: 'indicator--1234' })).toContain('id:bad-id');
    expect(codes({ ...byType('indicator'), spec_version: '2.0' })).toContain('spec_version:bad-value');
    expect(codes({ ...byType('indicator'), kill_chain_phases: [{ kill_chain_name: 'mitre-attack' }] })).toContain('kill_chain_phases[0].phase_name:missing');
    expect(codes({ ...byType('indicator'), description: null })).toContain('description:null');
    const mal = byType('malware');
    delete mal.name;
    expect(codes(mal)).toContain('name:missing');
    expect(codes({ ...byType('campaign'), last_seen: '2023-01-01T00:00:00Z' })).toContain('last_seen:bad-order');
    expect(codes({ ...byType('sighting'), count: 1_000_000_000 })).toContain('count:out-of-range');
    expect(codes({ ...byType('sighting'), where_sighted_refs: ['indicator--00000000-0000-4000-8000-000000000007'] })).toContain('where_sighted_refs[0]:bad-ref-type');
    expect(codes({ ...byType('relationship'), stop_time: '2020-01-01T00:00:00Z', start_time: '2021-01-01T00:00:00Z' })).toContain('stop_time:bad-order');
    expect(codes({ ...byType('observed-data'), number_observed: 0 })).toContain('number_observed:out-of-range');
    expect(codes({ ...byType('opinion'), opinion: 'meh' })).toContain('opinion:bad-value');
    expect(codes({ ...byType('location'), country: undefined })).toContain(':missing');
    expect(codes({ ...byType('file'), hashes: { MD5: 'xyz' } })).toContain('hashes.MD5:bad-hash');
    expect(codes({ ...byType('file'), hashes: { 'SHA-256': 'ab' } })).toContain("hashes.'SHA-256':bad-hash");
    const f = byType('file');
    delete f.name;
    delete f.hashes;
    expect(codes(f)).toContain(':missing');
    expect(codes({ ...byType('ipv4-addr'), value: '2001:db8::1' })).toContain('value:bad-value');
    expect(codes({ ...byType('ipv6-addr'), value: '10.0.0.1' })).toContain('value:bad-value');
    expect(codes({ ...byType('mac-addr'), value: '00-11-22-33-44-55' })).toContain('value:bad-value');
    expect(codes({ ...byType('network-traffic'), dst_ref: undefined })).toContain(':missing');
    expect(codes({ ...byType('network-traffic'), dst_port: 70000 })).toContain('dst_port:out-of-range');
    expect(codes({ type: 'process', id: 'process--00000000-0000-4000-8000-000000000001' })).toContain(':missing');
    expect(codes({ type: 'user-account', id: 'user-account--00000000-0000-4000-8000-000000000001', spec_version: '2.1' })).toContain(':missing');
    expect(codes({ ...byType('artifact'), url: 'https://x' })).toContain('url:exclusive');
    expect(codes({ ...byType('marking-definition'), definition: undefined })).toContain('definition:missing');
    expect(codes({ ...byType('marking-definition'), definition: { tlp: 'purple' } })).toContain('definition.tlp:bad-value');
    expect(codes('nope')).toEqual([':not-object']);
    expect(codes({ ...byType('url'), type: 'URL' })).toContain('type:bad-type-name');
    expect(validateBundle({ type: 'bundle', id: 'x', objects: {} }).errors.map((e) => e.path)).toEqual(['id', 'objects']);
  });

  it('keeps unknown properties and custom extensions (validation never changes the object)', () => {
    const ind = { ...byType('indicator'), x_acme_score: 7, NotSnake: 1, extensions: { 'extension-definition--11111111-1111-4111-8111-111111111111': { extension_type: 'property-extension', rank: 1 }, 'weird-ext': {} } };
    const before = JSON.stringify(ind);
    const r = validateObject(ind);
    expect(r.ok).toBe(true);
    expect(JSON.stringify(ind)).toBe(before);
    expect(r.warnings.map((w) => `${w.path}:${w.code}`)).toEqual(['NotSnake:bad-property-name', "extensions.'weird-ext':unknown-extension"]);
  });
});

describe('type guards and versions', () => {
  it('classifies objects', () => {
    expect(isIndicator(byType('indicator'))).toBe(true);
    expect(isIndicator(byType('malware'))).toBe(false);
    expect(isSdo(byType('malware'))).toBe(true);
    expect(isSdo(byType('file'))).toBe(false);
    expect(isSco(byType('file'))).toBe(true);
    expect(isSro(byType('sighting'))).toBe(true);
    expect(isSdo(byType('x-hospital-asset'))).toBe(true);
    expect(isBundle(bundle)).toBe(true);
  });
  it('keeps the latest version by modified, and honours revoked and validity', () => {
    const v1 = byType('indicator') as StixObject;
    const v2 = { ...v1, modified: '2024-04-01T00:00:00.000Z', name: 'v2' };
    const v3 = { ...v1, modified: '2024-04-01T00:00:00.0005Z', name: 'v3' };
    const { latest, superseded } = latestVersions([v2, v1, v3]);
    expect(latest.map((o) => o.name)).toEqual(['v3']);
    expect(superseded.length).toBe(2);
    expect(isRevoked({ ...v1, revoked: true })).toBe(true);
    expect(isValidAt(v1, Date.parse('2024-06-01T00:00:00Z'))).toBe(true);
    expect(isValidAt(v1, Date.parse('2025-03-01T00:00:00Z'))).toBe(false);
    expect(isValidAt(v1, Date.parse('2024-02-01T00:00:00Z'))).toBe(false);
    expect(isValidAt({ ...v1, revoked: true }, Date.parse('2024-06-01T00:00:00Z'))).toBe(false);
  });
});
