import { describe, expect, it } from 'vitest';
import { ScreenGovernor } from '../../src/detect/index.js';

/** Feeds the governor batches whose cost per line depends on whether it had the screen on. */
function drive(g: ScreenGovernor, lines: number, costOn: number, costOff: number, batch = 1000): boolean[] {
  const settings: boolean[] = [];
  for (let done = 0; done < lines; done += batch) {
    settings.push(g.on);
    g.record(batch, batch * (g.on ? costOn : costOff));
  }
  return settings;
}

describe('ScreenGovernor', () => {
  it('starts screening, probes both settings, and keeps the cheaper one for the stretch', () => {
    const g = new ScreenGovernor(4000, 40_000);
    expect(g.on).toBe(true);
    const s = drive(g, 8000, 0.004, 0.01);
    expect(s).toEqual([true, true, true, true, false, false, false, false]);
    expect(g.last).toEqual({ on: 0.004, off: 0.01 });
    expect(g.on).toBe(true);
    expect(drive(g, 40_000, 0.004, 0.01).every((x) => x)).toBe(true);
  });

  it('turns the screen off when parsing everything is cheaper, and probes again after the stretch', () => {
    const g = new ScreenGovernor(4000, 40_000);
    drive(g, 8000, 0.012, 0.01);
    expect(g.on).toBe(false);
    const run = drive(g, 40_000, 0.012, 0.01);
    expect(run.every((x) => !x)).toBe(true);
    // the next probe: on, then off; the data changed and screening now pays
    const probe = drive(g, 8000, 0.002, 0.01);
    expect(probe).toEqual([true, true, true, true, false, false, false, false]);
    expect(g.on).toBe(true);
  });
});
