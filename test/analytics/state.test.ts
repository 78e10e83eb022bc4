import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccessAnalytics, loadAnalyticsConfig } from '../../src/detect/analytics/index.js';
import type { Detection } from '../../src/detect/index.js';
import type { WardEvent } from '../../src/normalize/index.js';
import { adt, baseConfig, ehr, FIX, HOUR, MIN, run, scoreOf, T0 } from './helpers.js';
import { tempDir } from '../support/tmp.js';

describe('access analytics: off-hours', () => {
  const history = (): WardEvent[] => Array.from({ length: 120 }, (_, i) => ehr(T0 + Math.floor(i / 8) * 24 * HOUR + (9 + (i % 8)) * HOUR, 'ksmith', `MRN-W${i}`));

  it('an access at an hour the user never works carries the off-hours signal; a usual hour does not', () => {
    const night = T0 + 20 * 24 * HOUR + 3 * HOUR;
    const day = T0 + 21 * 24 * HOUR + 11 * HOUR;
    const { scores } = run([...history(), ehr(night, 'ksmith', 'MRN-1'), ehr(day, 'ksmith', 'MRN-2')]);
    expect(scoreOf(scores, 'ksmith', 'MRN-1').signals).toContain('off-hours');
    expect(scoreOf(scores, 'ksmith', 'MRN-2').signals).not.toContain('off-hours');
  });

  it('usual hours need enough history before an hour counts as unusual', () => {
    const { scores } = run([...history().slice(0, 50), ehr(T0 + 20 * 24 * HOUR + 3 * HOUR, 'ksmith', 'MRN-1')]);
    expect(scoreOf(scores, 'ksmith', 'MRN-1').signals).not.toContain('off-hours');
  });
});

describe('access analytics: configuration', () => {
  it('a user file is merged over the defaults, its reference paths relative to it', () => {
    const dir = tempDir('ward-analytics-');
    writeFileSync(join(dir, 'site.yaml'), `analytics:\n  vipPatients: [MRN-1]\n  score:\n    alertScore: 0.95\n  reference:\n    roster: ${join(FIX, 'staff.csv')}\n    patients: ../${dir.split('/').pop()}/p.csv\n`);
    writeFileSync(join(dir, 'p.csv'), 'mrn,family\nMRN-1,Jones\n');
    const cfg = loadAnalyticsConfig(join(dir, 'site.yaml'));
    expect(cfg.score.alertScore).toBe(0.95);
    expect(cfg.score.vip).toBe(0.45); // untouched keys keep their defaults
    expect(cfg.roles.nurse).toContain('Registered Nurse');
    expect(cfg.reference.patients).toBe(join(dir, 'p.csv'));
    const scores: number[] = [];
    const det = createAccessAnalytics(cfg, { onScore: (r) => scores.push(r.score) });
    const out = [...det.process(ehr(T0, 'ksmith', 'MRN-1')), ...det.flush()];
    expect(scores[0]).toBeGreaterThan(0.7);
    expect(out).toHaveLength(0); // VIP from the file, but the raised threshold keeps it quiet
  });

  it('allow-listed users and roles are never scored', () => {
    expect(run([ehr(T0, 'ksmith', 'MRN-STAR')], { allow: { users: ['KSMITH'] } }).scores).toHaveLength(0);
    expect(run([ehr(T0, 'ksmith', 'MRN-STAR')], { allow: { roles: ['Registered Nurse'] } }).scores).toHaveLength(0);
  });

  it('department mappings join log wording to ADT unit codes', () => {
    const ev = [adt(T0, 'A01', 'MRN-1', 'W7'), ehr(T0 + HOUR, 'zed', 'MRN-1', { dept: 'Ward Seven', role: 'Registered Nurse' })];
    expect(scoreOf(run(ev).scores, 'zed', 'MRN-1').explained).toBeUndefined();
    expect(scoreOf(run(ev, { departments: { W7: ['Ward Seven'] } }).scores, 'zed', 'MRN-1').explained).toBe('same-department');
  });

  it('bad values are reported with the file name', () => {
    const dir = tempDir('ward-analytics-');
    writeFileSync(join(dir, 'bad.yaml'), 'analytics:\n  score:\n    alertScore: high\n');
    expect(() => loadAnalyticsConfig(join(dir, 'bad.yaml'))).toThrow(/bad\.yaml.*score\.alertScore must be a number/);
    expect(() => loadAnalyticsConfig(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml/);
  });
});

describe('access analytics: streaming and restart', () => {
  const stream = { mode: 'stream' as const, delayMinutes: 15 };

  it('stream mode judges an access after the delay, so a late ADT still explains it', () => {
    const d = createAccessAnalytics(baseConfig(stream));
    const out: Detection[] = [];
    out.push(...d.process(ehr(T0, 'ksmith', 'MRN-STAR')));
    out.push(...d.process(adt(T0 + 5 * MIN, 'A01', 'MRN-STAR', 'SUR', { admitted: T0 - HOUR })));
    expect(out).toHaveLength(0);
    out.push(...d.process(ehr(T0 + 20 * MIN, 'dhouse', 'MRN-STAR')));
    expect(out).toHaveLength(0); // ksmith is now judged: same department, no alert
    const late = d.process(ehr(T0 + 2 * HOUR, 'dhouse', 'MRN-1'));
    expect(late.filter((x) => x.fields.user === 'dhouse' && x.fields.patient === 'MRN-STAR')).toHaveLength(1);
  });

  it('snapshot/restore: a restarted detector finds the same alerts as one that ran through', () => {
    const first = [adt(T0, 'A01', 'MRN-STAR', 'MED', { attending: 'D100' }), ...Array.from({ length: 20 }, (_, i) => ehr(T0 + HOUR + i * 20_000, 'pclerk', `MRN-B${i}`))];
    const second = [...Array.from({ length: 20 }, (_, i) => ehr(T0 + HOUR + (20 + i) * 20_000, 'pclerk', `MRN-B${20 + i}`)), ehr(T0 + 3 * HOUR, 'dhouse', 'MRN-STAR'), ehr(T0 + 3 * HOUR, 'ksmith', 'MRN-STAR')];
    const all = (ds: Detection[]): string[] => ds.map((x) => `${x.rule.id}:${String(x.fields.user)}`).sort();

    const straight = createAccessAnalytics(baseConfig(stream));
    const a: Detection[] = [];
    for (const e of [...first, ...second]) a.push(...straight.process(e));
    a.push(...straight.flush());

    const before = createAccessAnalytics(baseConfig(stream));
    const b: Detection[] = [];
    for (const e of first) b.push(...before.process(e));
    const snap = before.snapshot();
    const after = createAccessAnalytics(baseConfig(stream));
    after.restore(JSON.parse(JSON.stringify(snap)) as string);
    for (const e of second) b.push(...after.process(e));
    b.push(...after.flush());

    expect(all(a)).toEqual(['ward.analytics.bulk-access:pclerk', 'ward.analytics.snooping.vip:ksmith']);
    expect(all(b)).toEqual(all(a));
  });

  it('stream warm-up: no VIP alert for a patient without ADT in the first hours, but self still alerts', () => {
    const d = createAccessAnalytics(baseConfig(stream));
    const out = [ehr(T0, 'ksmith', 'MRN-STAR'), ehr(T0 + MIN, 'nbrown', 'MRN-NB'), ehr(T0 + 30 * HOUR, 'ksmith', 'MRN-STAR', { action: 'Results Review' })].flatMap((e) => d.process(e));
    out.push(...d.flush());
    expect(out.map((x) => `${x.rule.id}@${Math.round((x.timestamp! - T0) / HOUR)}`)).toEqual(['ward.analytics.snooping.self@0', 'ward.analytics.snooping.vip@30']);
  });

  it('restore rejects a snapshot of an unknown version', () => {
    const d = createAccessAnalytics(baseConfig());
    expect(() => d.restore('{"version":99}')).toThrow(/version 99/);
  });
});
