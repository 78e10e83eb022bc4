import { describe, expect, it } from 'vitest';
import { ANONYMOUS_IDENTITY_ID, anonymize, formatFindings, PhiGuard } from '../../src/stix/index.js';

const base = {
  type: 'note',
  spec_version: '2.1',
  id: 'note--11111111-1111-4111-8111-111111111111',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  object_refs: ['indicator--22222222-2222-4222-8222-222222222222'],
};

describe('PHI guard', () => {
  const guard = new PhiGuard({ patientNames: ['Jane Q Doe', 'Ann Lee'], mrnPatterns: [String.raw`\bH\d{7}\b`, /\bMRN[:\s]*\d{6,}\b/i] });

  it('finds names in several spellings, MRNs, FHIR refs, DOBs and SSNs, recursively', () => {
    const o = {
      ...base,
      content: 'Patient jane q doe (MRN: 00123456) was admitted; H1234567 on record.',
      abstract: 'See Patient/abc-123 and DOE^JANE^Q, also Lee, Ann',
      extensions: { 'x-ward-case': { notes: ['DOB: 1980-02-03', 'ssn 123-45-6789', 'Annex building'], birth_date: '03/02/1980' } },
    };
    const r = guard.redactObject(o);
    const kinds = r.findings.map((f) => `${f.path}:${f.kind}`).sort();
    expect(kinds).toEqual([
      'abstract:fhir-patient', 'abstract:name',
      'content:mrn', 'content:name',
      'extensions.x-ward-case.birth_date:dob', 'extensions.x-ward-case.notes[0]:dob', 'extensions.x-ward-case.notes[1]:ssn',
    ]);
    expect(r.findings.find((f) => f.path === 'abstract' && f.kind === 'name')?.count).toBe(2);
    expect(r.findings.find((f) => f.path === 'content' && f.kind === 'mrn')?.count).toBe(2);
    const text = JSON.stringify(r.object);
    for (const secret of ['jane', 'Jane', 'DOE', '00123456', 'H1234567', 'abc-123', '1980', '123-45-6789', 'Lee, Ann']) expect(text).not.toContain(secret);
    expect(text).toContain('Annex building');
    expect((r.object.content as string)).toBe('Patient [REDACTED:name] ([REDACTED:mrn]) was admitted; [REDACTED:mrn] on record.');
    // The original is untouched, and the report never carries the value.
    expect(o.content).toContain('jane q doe');
    expect(JSON.stringify(r.findings)).not.toMatch(/jane|0012|1980/i);
    expect(formatFindings(r.findings)[0]).toMatch(/^note--1111.*: /);
  });

  it('leaves STIX ids, timestamps and ordinary intel alone', () => {
    const o = { ...base, content: 'C2 at 203.0.113.5, hash 44d88612fea8a8f36de82e1278abb02f, seen 2026-01-02' };
    expect(guard.redactObject(o).findings).toEqual([]);
    expect(guard.redactObject(o).object).toBe(o);
    expect(new PhiGuard({ ssn: false }).scan({ ...base, content: '123-45-6789' })).toEqual([]);
    expect(new PhiGuard().scan({ ...base, content: '000-12-3456 and 666-12-3456' })).toEqual([]);
  });

  it('redact mode returns redacted copies; block mode withholds objects with findings', () => {
    const bad = { ...base, content: 'Patient/777' };
    const good = { ...base, id: 'note--33333333-3333-4333-8333-333333333333', content: 'nothing here' };
    const redacted = new PhiGuard().guard([bad, good]);
    expect(redacted.blocked).toEqual([]);
    expect(redacted.objects.map((o) => o.content)).toEqual(['[REDACTED:fhir-patient]', 'nothing here']);
    const blocked = new PhiGuard({ mode: 'block' }).guard([bad, good]);
    expect(blocked.blocked).toEqual([bad.id]);
    expect(blocked.objects).toEqual([good]);
    expect(blocked.findings).toEqual([{ object: bad.id, path: 'content', kind: 'fhir-patient', count: 1 }]);
  });

  it('blocks rather than redacts when the identifier is in an unredactable property, or too deep to scan', () => {
    // STIX timestamps are not free text, but a malformed one that carries an identifier cannot be redacted.
    const g = new PhiGuard({ mrnPatterns: [String.raw`\b2026\b`] });
    expect(g.guard([{ ...base, content: 'x' }]).blocked).toEqual([]);
    expect(g.guard([{ ...base, content: 'x', created: 'Patient/12' }]).blocked).toEqual([base.id]);
    expect(g.guard([{ ...base, content: 'in 2026' }]).objects[0].content).toBe('in [REDACTED:mrn]');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 150; i++) deep = [deep];
    const r = new PhiGuard().guard([{ ...base, x_deep: deep }]);
    expect(r.blocked).toEqual([base.id]);
    expect(r.findings[0].kind).toBe('unscanned');
  });

  it('does not pollute prototypes through __proto__ keys', () => {
    const o = JSON.parse('{"type":"note","id":"note--1","__proto__":{"polluted":"Patient/1"}}') as Record<string, unknown>;
    const r = new PhiGuard().redactObject(o);
    expect(r.findings.map((f) => f.path)).toEqual(['__proto__.polluted']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('anonymous sharing', () => {
  const ORG = 'identity--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  it('replaces every reference to the organisation and drops its identity object', () => {
    const objects = [
      { type: 'identity', id: ORG, name: 'St Example Hospital' },
      { type: 'indicator', id: 'indicator--1', created_by_ref: ORG },
      { type: 'sighting', id: 'sighting--1', created_by_ref: ORG, where_sighted_refs: [ORG, 'identity--other'], sighting_of_ref: 'indicator--1' },
      { type: 'malware', id: 'malware--1', created_by_ref: 'identity--other', description: `reported by ${ORG}` },
    ];
    const out = anonymize(objects, [ORG]);
    expect(out[0].id).toBe(ANONYMOUS_IDENTITY_ID);
    expect(out.map((o) => o.id)).toEqual([ANONYMOUS_IDENTITY_ID, 'indicator--1', 'sighting--1', 'malware--1']);
    expect(out[1].created_by_ref).toBe(ANONYMOUS_IDENTITY_ID);
    expect(out[2].where_sighted_refs).toEqual([ANONYMOUS_IDENTITY_ID, 'identity--other']);
    expect(out[3].created_by_ref).toBe('identity--other');
    expect(JSON.stringify(out.slice(0, 3))).not.toContain(ORG);
    expect(anonymize([{ type: 'malware', id: 'malware--2' }], [ORG])).toEqual([{ type: 'malware', id: 'malware--2' }]);
  });
});
