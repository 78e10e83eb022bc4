import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/index.js';
import { evaluateRun } from './sim-helpers.js';

/** End to end on a small simulated hospital: readers → normalize → analytics, scored on the labels. */
describe('access analytics on simulator output (seed 17)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ward-analytics-sim-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sim = simulate({ out: dir, seed: 17, days: 3, beds: 80, scenarios: [3, 4] });

  it('alerts on every snooping category the simulation injected, on the bulk export, and on nothing benign', async () => {
    const r = await evaluateRun(dir);
    const injected = new Set(sim.labels.filter((l) => l.category).map((l) => l.category!));
    expect(injected.size).toBeGreaterThanOrEqual(4);
    for (const c of injected) expect(r.alertedCategories, `category ${c}`).toContain(c);
    expect(r.exportAlertMinutes).toBeLessThanOrEqual(15);
    expect(r.falseAlerts).toEqual([]);
  });
});
