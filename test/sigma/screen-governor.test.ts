import { describe, expect, it } from 'vitest';
import { ScreenGovernor } from '../../src/detect/index.js';

/**
 * Feeds the governor batches whose cost per line depends on whether it had the screen on;
 * `slow` lists batch numbers that take 20× longer (the thread was descheduled).
 */
function drive(g: ScreenGovernor, lines: number, costOn: number, costOff: number, batch = 1000, slow: number[] = []): boolean[] {
  const settings: boolean[] = [];
  for (let k = 0; k * batch < lines; k++) {
    settings.push(g.on);
    g.record(batch, batch * (g.on ? costOn : costOff) * (slow.includes(k) ? 20 : 1));
  }
  return settings;
}

describe('ScreenGovernor', () => {
  it('starts screening, probes both settings, and keeps the screen when it is cheaper', () => {
    const g = new ScreenGovernor(4000, 40_000);
    expect(g.on).toBe(true);
    expect(drive(g, 8000, 0.004, 0.01)).toEqual([true, true, true, true, false, false, false, false]);
    expect(g.last).toEqual({ on: 0.004, off: 0.01 });
    expect(g.on).toBe(true);
    expect(drive(g, 40_000, 0.004, 0.01).every((x) => x)).toBe(true);
  });

  it('turns the screen off only on a clear win, and probes again after the stretch', () => {
    const close = new ScreenGovernor(4000, 40_000);
    drive(close, 8000, 0.0105, 0.01);
    expect(close.on).toBe(true);
    const g = new ScreenGovernor(4000, 40_000);
    drive(g, 8000, 0.02, 0.01);
    expect(g.on).toBe(false);
    expect(drive(g, 40_000, 0.02, 0.01).every((x) => !x)).toBe(true);
    // the next probe: on, then off; the data changed and screening now pays
    expect(drive(g, 8000, 0.002, 0.01)).toEqual([true, true, true, true, false, false, false, false]);
    expect(g.on).toBe(true);
  });

  it('is not misled by a batch that was descheduled during a probe', () => {
    const g = new ScreenGovernor(4000, 40_000);
    drive(g, 8000, 0.004, 0.016, 1000, [1]);
    expect(g.on).toBe(true);
  });

  it('doubles the stretch while its decision repeats, back to the base when it changes', () => {
    const g = new ScreenGovernor(4000, 40_000);
    const probes = (settings: boolean[]) => settings.filter((x, i) => !x && settings[i - 1]).length;
    // steady data: the run after each repeated decision is twice as long, so fewer probes
    expect(probes(drive(g, 8000 + 40_000 + 8000 + 80_000 + 8000 + 160_000, 0.004, 0.01))).toBe(3);
    drive(g, 8000, 0.05, 0.01);
    expect(g.on).toBe(false);
    expect(drive(g, 40_000, 0.05, 0.01).every((x) => !x)).toBe(true);
    expect(g.on).toBe(true); // probing again after the base stretch
  });
});
