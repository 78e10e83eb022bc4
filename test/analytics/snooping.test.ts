import { describe, expect, it } from 'vitest';
import { adt, ehr, fhir, HOUR, MIN, run, scoreOf, T0 } from './helpers.js';

const one = (user: string, mrn: string, extra: Parameters<typeof ehr>[3] = {}) => {
  const r = run([ehr(T0 + 10 * HOUR, user, mrn, extra)]);
  return { rec: scoreOf(r.scores, user, mrn), detections: r.detections };
};

describe('access analytics: snooping categories', () => {
  it('self: a user opening their own record (roster patient_mrn)', () => {
    const { rec, detections } = one('nbrown', 'MRN-NB');
    expect(rec.category).toBe('self');
    expect(detections).toHaveLength(1);
    expect(detections[0].rule.id).toBe('ward.analytics.snooping.self');
    expect(detections[0].fields).toMatchObject({ user: 'nbrown', patient: 'MRN-NB', category: 'self' });
    expect(detections[0].fields.missingRelationship).toEqual(expect.arrayContaining(['no order by the user for the patient']));
    expect(detections[0].explanation).toMatch(/nbrown .*MRN-NB.*own record/);
  });

  it('family: same surname and home address', () => {
    const { rec, detections } = one('ksmith', 'MRN-SIS');
    expect(rec.category).toBe('family');
    expect(detections[0].explanation).toMatch(/same surname \(smith\) and home address/);
  });

  it('a shared surname alone is a weak signal, not an alert', () => {
    const { rec, detections } = one('ksmith', 'MRN-SMI');
    expect(rec.signals).toContain('surname-only');
    expect(rec.category).toBeUndefined();
    expect(detections).toHaveLength(0);
  });

  it('coworker: the patient is an employee', () => {
    const { rec, detections } = one('ksmith', 'MRN-NB');
    expect(rec.category).toBe('coworker');
    expect(detections[0].fields.category).toBe('coworker');
  });

  it('VIP: from the patient index flag or the configured list', () => {
    expect(one('ksmith', 'MRN-STAR').rec.category).toBe('vip');
    const r = run([ehr(T0, 'ksmith', 'MRN-1')], { vipPatients: ['MRN-1'] });
    expect(scoreOf(r.scores, 'ksmith', 'MRN-1').category).toBe('vip');
    expect(r.detections[0].rule.id).toBe('ward.analytics.snooping.vip');
  });

  it('neighbour: same street and postal code, a few houses apart', () => {
    const { rec, detections } = one('ksmith', 'MRN-NEXT');
    expect(rec.category).toBe('neighbour');
    expect(detections[0].explanation).toMatch(/oak ave/);
  });

  it('the patient address learned from ADT PID feeds the neighbour signal', () => {
    const r = run([adt(T0, 'A03', 'MRN-X', 'MED', { street: '46 Oak Ave', postal: '12350', admitted: T0 - 48 * HOUR, discharged: T0 - 47 * HOUR }), ehr(T0 + 5 * 24 * HOUR, 'ksmith', 'MRN-X')]);
    expect(scoreOf(r.scores, 'ksmith', 'MRN-X').category).toBe('neighbour');
  });

  it('name search without relationship: EHR search row, then the chart', () => {
    const r = run([ehr(T0, 'ksmith', 'MRN-2', { action: 'Patient Search: name=Miller' }), ehr(T0 + 40_000, 'ksmith', 'MRN-2')]);
    const recs = r.scores.filter((s) => s.access.user === 'ksmith');
    expect(recs.map((x) => x.category)).toEqual(['name-search', 'name-search']);
    expect(r.detections).toHaveLength(1); // one alert per user, patient and day
  });

  it('name search: FHIR PatientQuery by name followed by a read of a matching patient', () => {
    const r = run([fhir(T0, 'ksmith', { interaction: 'search-type', query: 'Patient?name=jon&_count=20' }), fhir(T0 + 2 * MIN, 'ksmith', { patient: 'MRN-1' })]);
    expect(scoreOf(r.scores, 'ksmith', 'MRN-1').category).toBe('name-search');
    // A read of a patient whose surname does not match the search is not a name-search read.
    const r2 = run([fhir(T0, 'ksmith', { interaction: 'search-type', query: 'Patient?name=zzz' }), fhir(T0 + 2 * MIN, 'ksmith', { patient: 'MRN-1' })]);
    expect(scoreOf(r2.scores, 'ksmith', 'MRN-1').category).toBeUndefined();
  });

  it('a snooping signal on an explained access is not an alert', () => {
    const r = run([adt(T0, 'A01', 'MRN-NB', 'SUR'), ehr(T0 + HOUR, 'ksmith', 'MRN-NB')]);
    const rec = scoreOf(r.scores, 'ksmith', 'MRN-NB');
    expect(rec.explained).toBe('same-department');
    expect(rec.category).toBe('coworker');
    expect(r.detections).toHaveLength(0);
  });
});
