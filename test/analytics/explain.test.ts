import { describe, expect, it } from 'vitest';
import { parseHl7 } from '../../src/sources/index.js';
import { normalize } from '../../src/normalize/index.js';
import { adt, ehr, FIX, fhir, HOUR, run, scoreOf, T0, MIN } from './helpers.js';

describe('access analytics: explanations', () => {
  it('an ADT attending (PV1-7 provider id mapped through the roster) explains the access', () => {
    const { scores, detections } = run([adt(T0, 'A01', 'MRN-STAR', 'MED', { attending: 'D100' }), ehr(T0 + HOUR, 'dhouse', 'MRN-STAR')]);
    const r = scoreOf(scores, 'dhouse', 'MRN-STAR');
    expect(r.explained).toBe('attending');
    // A VIP seen by the attending physician is care, not snooping.
    expect(r.score).toBeLessThan(0.2);
    expect(detections).toHaveLength(0);
  });

  it('a discharge message read before the accesses still dates the relationship from PV1-44', () => {
    const { scores } = run([ehr(T0 + HOUR, 'dhouse', 'MRN-1'), adt(T0 + 30 * HOUR, 'A03', 'MRN-1', 'CAR', { attending: 'D100', admitted: T0, discharged: T0 + 30 * HOUR })]);
    expect(scoreOf(scores, 'dhouse', 'MRN-1').explained).toBe('attending');
  });

  it('the care-team roster (nurse assignments) explains a nurse from another unit', () => {
    const { scores } = run([ehr(T0 + 5 * HOUR, 'ksmith', 'MRN-2')], { reference: { roster: `${FIX}staff.csv`, patients: `${FIX}patients.csv`, careTeams: `${FIX}encounters.csv` } });
    expect(scoreOf(scores, 'ksmith', 'MRN-2').explained).toBe('care-team');
    const none = run([ehr(T0 + 5 * HOUR, 'ksmith', 'MRN-2')]);
    expect(scoreOf(none.scores, 'ksmith', 'MRN-2').explained).toBeUndefined();
  });

  it('an order by the user explains the user’s later accesses', () => {
    const { scores } = run([ehr(T0, 'ksmith', 'MRN-1', { action: 'Order Entry' }), ehr(T0 + 3 * HOUR, 'ksmith', 'MRN-1', { action: 'Results Review' })]);
    const later = scores.filter((s) => s.access.action === 'Results Review')[0];
    expect(later.explained).toBe('order');
  });

  it('same department as the patient’s current unit explains weakly, and follows transfers', () => {
    const ev = [
      adt(T0, 'A01', 'MRN-1', 'MED'),
      ehr(T0 + HOUR, 'nbrown', 'MRN-1'),
      adt(T0 + 2 * HOUR, 'A02', 'MRN-1', 'SUR', { prior: 'MED', admitted: T0 }),
      ehr(T0 + 3 * HOUR, 'nbrown', 'MRN-1', { action: 'Note Entry' }),
      ehr(T0 + 3 * HOUR, 'ksmith', 'MRN-1', { action: 'Note Entry' }),
    ];
    const { scores } = run(ev);
    const nb = scores.filter((s) => s.access.user === 'nbrown');
    expect(nb[0].explained).toBe('same-department');
    expect(nb[1].explained).toBeUndefined();
    expect(scoreOf(scores, 'ksmith', 'MRN-1').explained).toBe('same-department');
  });

  it('a referral (PV1-8 referring doctor) explains the referred-to physician', () => {
    const { scores } = run([adt(T0, 'A01', 'MRN-1', 'CAR', { referring: 'D100' }), ehr(T0 + HOUR, 'dhouse', 'MRN-1')]);
    expect(scoreOf(scores, 'dhouse', 'MRN-1').explained).toBe('referral');
  });

  it('a service role is explained while the patient is in hospital, not weeks after discharge', () => {
    const ev = [adt(T0, 'A03', 'MRN-1', 'MED', { admitted: T0 - 48 * HOUR, discharged: T0 }), ehr(T0 - HOUR, 'rpharm', 'MRN-1', { action: 'Medication Verification' }), ehr(T0 + 20 * 24 * HOUR, 'rpharm', 'MRN-1')];
    const { scores } = run(ev);
    const r = scores.filter((s) => s.access.user === 'rpharm');
    expect(r[0].explained).toBe('service-role');
    expect(r[1].explained).toBeUndefined();
  });

  it('break-glass with a written reason is explained; without one it is a signal', () => {
    const { scores } = run([ehr(T0, 'ksmith', 'MRN-1', { bg: 'Emergency treatment - patient unresponsive' }), ehr(T0 + MIN, 'ksmith', 'MRN-2', { bg: ' ' })]);
    expect(scoreOf(scores, 'ksmith', 'MRN-1').explained).toBe('break-glass-reason');
    expect(scoreOf(scores, 'ksmith', 'MRN-2').signals).toContain('break-glass-no-reason');
  });

  it('an unexplained access without snooping signals is scored but is not an alert', () => {
    const { scores, detections } = run([ehr(T0, 'ksmith', 'MRN-1')]);
    const r = scoreOf(scores, 'ksmith', 'MRN-1');
    expect(r.explained).toBeUndefined();
    expect(r.score).toBeGreaterThanOrEqual(0.3);
    expect(r.score).toBeLessThan(0.7);
    expect(detections).toHaveLength(0);
  });

  it('the patient portal (the patient reading their own record) is not a staff access', () => {
    const { scores } = run([fhir(T0, 'MRN-1', { patient: 'MRN-1', agentPatient: true })]);
    expect(scores).toHaveLength(0);
  });
});

describe('access analytics: HL7 orders and cancellations', () => {
  it('an HL7 ORM^O01 ordering provider (ORC-12) explains the ordering physician', () => {
    const msg = parseHl7(['MSH|^~\\&|CPOE|H|LAB|H|20260302080000||ORM^O01|X1|P|2.5.1', 'PID|1||MRN-1^^^H^MR||Jones^Alice', 'ORC|NW|ORD1||||||||||D100^House^Gregory'].join('\r'));
    if (!msg.ok) throw new Error(msg.error);
    const orm = normalize({ hl7: msg.message }, { file: 'orm.hl7', line: 1 }, 'hl7v2');
    const { scores } = run([orm, ehr(T0 + 10 * HOUR, 'dhouse', 'MRN-1')]);
    expect(scoreOf(scores, 'dhouse', 'MRN-1').explained).toBe('order');
  });

  it('A11 (cancel admit) withdraws the relationship', () => {
    const { scores } = run([adt(T0, 'A01', 'MRN-1', 'MED', { attending: 'D100' }), adt(T0 + MIN, 'A11', 'MRN-1', 'MED', { admitted: T0 }), ehr(T0 + HOUR, 'dhouse', 'MRN-1')]);
    expect(scoreOf(scores, 'dhouse', 'MRN-1').explained).toBeUndefined();
  });
});

describe('access analytics: department colleagues', () => {
  it('two colleagues of the user’s department opening the record explain it when ADT is silent', () => {
    const ev = [ehr(T0, 'nbrown', 'MRN-STAR'), ehr(T0 + HOUR, 'x1', 'MRN-STAR', { dept: 'Internal Medicine' }), ehr(T0 + 2 * HOUR, 'x2', 'MRN-STAR', { dept: 'Internal Medicine' })];
    const { scores, detections } = run(ev);
    expect(scoreOf(scores, 'nbrown', 'MRN-STAR').explained).toBe('department-colleagues');
    expect(detections.filter((d) => d.fields.user === 'nbrown')).toHaveLength(0);
    // One colleague is not enough, and colleagues of another department do not count.
    const few = run([ev[0], ev[1], ehr(T0 + 2 * HOUR, 'x3', 'MRN-STAR', { dept: 'Surgery' })]);
    expect(scoreOf(few.scores, 'nbrown', 'MRN-STAR').explained).toBeUndefined();
    expect(run(ev, { explain: { colleagues: 0 } }).scores.find((s) => s.access.user === 'nbrown')?.explained).toBeUndefined();
  });
});
