import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fhirAuditReader } from '../../src/sources/index.js';
import { FIX, events, sniff } from './helpers.js';

const f = (n: string): string => join(FIX, 'fhir', n);

describe('FHIR AuditEvent reader and layout', () => {
  it('sniffs AuditEvent resources, Bundles and NDJSON', () => {
    expect(sniff(f('r4-patient-read.json'))).toBe('fhir-audit');
    expect(sniff(f('r5-bundle.json'))).toBe('fhir-audit');
    expect(sniff(f('audit.ndjson'))).toBe('fhir-audit');
  });

  it('maps an R4 BALP PatientRead', async () => {
    const { events: ev, problems } = await events(fhirAuditReader, f('r4-patient-read.json'));
    expect(problems).toEqual([]);
    expect(ev).toHaveLength(1);
    const e = ev[0];
    expect(e.layout).toBe('fhir-audit');
    expect(e.fields).toMatchObject({
      FhirVersion: 'R4', EventType: 'rest', Subtype: 'read', Action: 'R', Outcome: '0', OutcomeText: 'success',
      AgentUser: 'dr.jones', AgentUserName: 'Dr Alice Jones', AgentType: 'humanuser', AgentRole: 'PHYS',
      AgentNetworkAddress: '10.20.3.14', AgentNetworkScope: 'private', AgentClient: 'ClinicalViewer',
      PatientRef: 'Patient/MRN000123', PatientID: 'MRN000123', PatientCount: 1, EntityType: 'Observation',
      BreakGlass: false, PurposeOfUse: 'TREAT',
    });
    expect(e.timestamp).toBe(Date.parse('2026-03-02T09:15:27.123Z'));
    expect(e.host).toBe('fhir01.hospital.example');
  });

  it('reads R5 Bundles: $export, break-glass, query; reports the invalid entry with its index', async () => {
    const { events: ev, problems } = await events(fhirAuditReader, f('r5-bundle.json'));
    expect(ev.map((e) => e.fields.AuditEventId)).toEqual(['r5-1', 'r5-2', 'r5-4']);
    expect(ev[0].fields).toMatchObject({ FhirVersion: 'R5', Operation: '$export', AgentUser: 'svc-analytics', AgentNetworkScope: 'public' });
    expect(String(ev[0].fields.Query)).toContain('Group/all/$export');
    expect(ev[1].fields).toMatchObject({ BreakGlass: true, PurposeOfUse: 'BTG', PatientID: 'MRN000555' });
    expect(ev[2].fields).toMatchObject({ Outcome: '8', OutcomeText: 'serious-failure', Query: 'Patient?name=Smith' });
    expect(problems).toHaveLength(1);
    expect(problems[0].location).toMatchObject({ record: 3, line: 1 });
    expect(problems[0].message).toMatch(/recorded/);
  });

  it('NDJSON: bad lines are problems with their line numbers, the rest is read', async () => {
    const { events: ev, problems } = await events(fhirAuditReader, f('audit.ndjson'));
    expect(ev.map((e) => e.fields.AgentUser)).toEqual(['dr.a', 'dr.b']);
    expect(problems.map((p) => [p.code, p.location.line])).toEqual([
      ['fhir.json', 2],
      ['fhir.not-audit', 3],
      ['fhir.invalid', 6],
    ]);
    expect(problems[0].location.file).toContain('audit.ndjson');
  });
});

describe('FHIR layout robustness', () => {
  it('normalizes any JSON object claiming to be an AuditEvent without throwing', async () => {
    const fc = await import('fast-check');
    const { normalize } = await import('../../src/normalize/index.js');
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('agent', 'entity', 'type', 'subtype', 'code', 'category', 'outcome', 'recorded', 'patient', 'source', 'purposeOfEvent'), fc.jsonValue()), (o) => {
      const e = normalize({ ...o, resourceType: 'AuditEvent' }, { file: 'x' }, 'fhir-audit');
      return e.layout === 'fhir-audit';
    }), { numRuns: 500 });
  });
});

describe('FHIR JSON arrays', () => {
  it('reads a plain array of AuditEvents, element index in the location', async () => {
    const { events: ev, problems } = await events(fhirAuditReader, f('array.json'));
    expect(ev.map((e) => [e.fields.AuditEventId, e.loc.record])).toEqual([['balp-read-1', 0], ['second', 2]]);
    expect(problems.map((p) => p.location.record)).toEqual([1]);
  });
});
