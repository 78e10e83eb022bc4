import { describe, expect, it } from 'vitest';
import { ScreenGovernor } from '../../src/detect/index.js';

/**
 * Feeds the governor batches of 1,000 lines whose cost per line depends on whether it had the
 * screen on; `slow` lists batch numbers that take 20× longer (the thread was descheduled).
 */
function drive(g: ScreenGovernor, lines: number, costOn: number, costOff: number, slow: number[] = []): boolean[] {
  const settings: boolean[] = [];
  for (let k = 0; k * 1000 < lines; k++) {
    settings.push(g.on);
    g.record(1000, 1000 * (g.on ? costOn : costOff) * (slow.includes(k) ? 20 : 1));
  }
  return settings;
}

/** A governor past its warm-up window (screen on, not measured). */
function warmed(): ScreenGovernor {
  const g = new ScreenGovernor(4000, 40_000);
  expect(drive(g, 4000, 1, 1)).toEqual([true, true, true, true]);
  return g;
}

describe('ScreenGovernor', () => {
  it('screens while warming up, then probes; keeps the screen when it is cheaper, cutting a hopeless probe short', () => {
    const g = warmed();
    // parsing everything costs 2.5× screening: three batches of it are enough to tell
    expect(drive(g, 7000, 0.004, 0.01)).toEqual([true, true, true, true, false, false, false]);
    expect(g.last).toEqual({ on: 0.004, off: 0.01 });
    expect(g.on).toBe(true);
    expect(drive(g, 40_000, 0.004, 0.01).every((x) => x)).toBe(true);
  });

  it('turns the screen off only on a clear win, and probes again after the stretch', () => {
    const close = warmed();
    drive(close, 8000, 0.0105, 0.01);
    expect(close.on).toBe(true);
    const g = warmed();
    expect(drive(g, 8000, 0.02, 0.01)).toEqual([true, true, true, true, false, false, false, false]);
    expect(g.on).toBe(false);
    expect(drive(g, 40_000, 0.02, 0.01).every((x) => !x)).toBe(true);
    // the next probe: on, then off; the data changed and screening now pays
    expect(drive(g, 7000, 0.002, 0.01)).toEqual([true, true, true, true, false, false, false]);
    expect(g.on).toBe(true);
  });

  it('is not misled by a batch that was descheduled during a probe', () => {
    const g = warmed();
    drive(g, 8000, 0.01, 0.0095, [1]);
    expect(g.last!.on).toBe(0.01);
    expect(g.on).toBe(true);
  });

  it('doubles the stretch while its decision repeats, back to the base when it changes', () => {
    const g = warmed();
    const probes = (settings: boolean[]) => settings.filter((x, i) => !x && settings[i - 1]).length;
    // steady data: the run after each repeated decision is twice as long, so fewer probes
    expect(probes(drive(g, 7000 + 40_000 + 7000 + 80_000 + 7000 + 160_000, 0.004, 0.01))).toBe(3);
    drive(g, 8000, 0.05, 0.01);
    expect(g.on).toBe(false);
    expect(drive(g, 40_000, 0.05, 0.01).every((x) => !x)).toBe(true);
    expect(g.on).toBe(true); // probing again after the base stretch
  });
});
