import { describe, expect, it } from 'vitest';
import { mad, median, percentile } from '../../src/detect/analytics/index.js';
import { ehr, fhir, HOUR, MIN, run, T0 } from './helpers.js';
import type { WardEvent } from '../../src/normalize/index.js';

/** 30 working days of a clerk opening 2–3 patients an hour, then a burst of one new patient every 20 s. */
function clerkWeek(burstStart: number): WardEvent[] {
  const ev: WardEvent[] = [];
  for (let d = 0; d < 30; d++) {
    for (let h = 8; h < 12; h++) {
      for (let k = 0; k < 3; k++) ev.push(ehr(T0 + d * 24 * HOUR + h * HOUR + k * 10 * MIN, 'pclerk', `MRN-R${d}-${h}-${k % 2}`, { action: 'Registration' }));
    }
  }
  for (let i = 0; i < 150; i++) ev.push(ehr(burstStart + i * 20_000, 'pclerk', `MRN-B${i}`));
  return ev;
}

describe('access analytics: bulk access', () => {
  it('robust statistics', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  });

  it('detects a burst of distinct patients within 15 minutes of its start, with the baselines as evidence', () => {
    const start = T0 + 31 * 24 * HOUR + 9 * HOUR;
    const { detections, scores } = run(clerkWeek(start));
    const bulk = detections.filter((d) => d.rule.id === 'ward.analytics.bulk-access');
    expect(bulk).toHaveLength(1); // one alert per burst
    const minutes = (bulk[0].timestamp! - start) / MIN;
    expect(minutes).toBeLessThanOrEqual(15);
    expect(bulk[0].fields).toMatchObject({ user: 'pclerk', category: 'bulk', userBaselineP95: 2 });
    expect(bulk[0].fields.distinctPatients as number).toBeGreaterThan(bulk[0].fields.threshold as number);
    expect(bulk[0].explanation).toMatch(/user's baseline 2 per hour/);
    // Accesses of the burst before the crossing are raised too.
    const burst = scores.filter((s) => s.access.mrn?.startsWith('MRN-B'));
    expect(burst.every((s) => s.score >= 0.95 && s.category === 'bulk')).toBe(true);
  });

  it('a user whose own baseline is high is judged against it', () => {
    const ev: WardEvent[] = [];
    // 30 hours of 40 distinct patients per hour: 40 is this user's normal.
    for (let h = 0; h < 30; h++) for (let k = 0; k < 40; k++) ev.push(ehr(T0 + h * 2 * HOUR + k * MIN, 'dhouse', `MRN-H${h}-${k}`));
    ev.push(...Array.from({ length: 45 }, (_, k) => ehr(T0 + 100 * HOUR + k * MIN, 'dhouse', `MRN-Z${k}`)));
    const late = (ds: { timestamp?: number; fields: Record<string, unknown> }[]): unknown[] => ds.filter((d) => d.timestamp! >= T0 + 100 * HOUR).map((d) => d.fields.user);
    // 45 in an hour is normal for dhouse (30 hours of 40), not for a user without that history.
    expect(late(run(ev).detections)).toEqual([]);
    const fresh = ev.slice(-45).map((_, k) => ehr(T0 + 100 * HOUR + k * MIN, 'ksmith', `MRN-Z${k}`));
    expect(late(run(fresh).detections)).toEqual(['ksmith']);
  });

  it('no bulk alert for ordinary activity', () => {
    const { detections } = run(clerkWeek(T0 + 31 * 24 * HOUR).slice(0, -150));
    expect(detections).toHaveLength(0);
  });
});

describe('access analytics: bulk $export', () => {
  const allow = { bulk: { exportAllowList: [{ user: 'svc-etl', networks: ['10.10.3.0/24'], hours: '01:30-03:30' }] } };
  const exp = (t: number, user: string, address: string): WardEvent => fhir(t, user, { interaction: 'operation', query: 'GET https://fhir/fhir/$export?_type=Patient', address });

  it('an account not on the allow-list', () => {
    const { detections } = run([exp(T0 + 23 * HOUR, 'mallory', '203.0.113.50')], allow);
    expect(detections).toHaveLength(1);
    expect(detections[0].rule.id).toBe('ward.analytics.bulk-export');
    expect(detections[0].explanation).toMatch(/mallory is not on the bulk-export allow-list/);
  });

  it('the allowed account from its network at its hours is quiet; from elsewhere at night it is critical', () => {
    const ok = run([exp(T0 + 2 * HOUR, 'svc-etl', '10.10.3.15')], allow);
    expect(ok.detections).toHaveLength(0);
    const bad = run([exp(T0 + 2 * HOUR, 'svc-etl', '10.10.3.15'), exp(T0 + 23 * HOUR, 'svc-etl', '203.0.113.50')], allow);
    expect(bad.detections).toHaveLength(1);
    expect(bad.detections[0].rule.level).toBe('critical');
    expect(bad.detections[0].fields.problems).toEqual([
      'from 203.0.113.50, outside the allowed networks 10.10.3.0/24',
      'at 23:00, outside the allowed hours 01:30-03:30',
    ]);
    expect(bad.detections[0].fields.usualAddresses).toEqual(['10.10.3.15']);
  });

  it('allowed hours are site-local time (utcOffsetMinutes)', () => {
    const at = T0 + 1 * HOUR; // 01:00 UTC = 02:00 at UTC+1, inside 01:30-03:30 only there
    expect(run([exp(at, 'svc-etl', '10.10.3.15')], allow).detections).toHaveLength(1);
    expect(run([exp(at, 'svc-etl', '10.10.3.15')], { ...allow, utcOffsetMinutes: 60 }).detections).toHaveLength(0);
  });
});

describe('access analytics: late events in stream mode', () => {
  it('an access delivered hours late neither corrupts the bulk window nor raises a false burst', () => {
    const ev: WardEvent[] = [];
    for (let i = 0; i < 20; i++) ev.push(ehr(T0 + 10 * HOUR + i * MIN, 'pclerk', `MRN-N${i}`));
    // A feed that lagged: 20 accesses of the morning arrive after the afternoon ones.
    for (let i = 0; i < 20; i++) ev.push(ehr(T0 + 6 * HOUR + i * MIN, 'pclerk', `MRN-L${i}`));
    const { detections } = run(ev, { mode: 'stream', delayMinutes: 0 });
    expect(detections.filter((d) => d.rule.id === 'ward.analytics.bulk-access')).toHaveLength(0);
    // The same 40 in one hour is a burst.
    const burst = ev.slice(0, 20).concat(Array.from({ length: 20 }, (_, i) => ehr(T0 + 10 * HOUR + (20 + i) * MIN, 'pclerk', `MRN-L${i}`)));
    expect(run(burst, { mode: 'stream', delayMinutes: 0 }).detections.filter((d) => d.rule.id === 'ward.analytics.bulk-access')).toHaveLength(1);
  });
});
