import { describe, expect, it } from 'vitest';
import { ScreenGovernor } from '../../src/detect/index.js';

/**
 * Feeds the governor batches of 1,000 lines whose cost per line depends on whether it had the
 * screen on; `slow` lists batch numbers that take 20× longer (the thread was descheduled).
 */
function drive(g: ScreenGovernor, lines: number, costOn: number, costOff: number, slow: number[] = [], rejects = 0): boolean[] {
  const settings: boolean[] = [];
  for (let k = 0; k * 1000 < lines; k++) {
    settings.push(g.on);
    g.record(1000, 1000 * (g.on ? costOn : costOff) * (slow.includes(k) ? 20 : 1), g.on ? 1000 * rejects : 0);
  }
  return settings;
}

/** A governor past its warm-up window (screen on, not measured). */
function warmed(): ScreenGovernor {
  const g = new ScreenGovernor(4000, 40_000);
  expect(drive(g, 4000, 1, 1)).toEqual([true, true, true, true]);
  return g;
}

const ALTERNATING = (n: number) => Array.from({ length: n }, (_, i) => i % 2 === 0);

describe('ScreenGovernor', () => {
  it('screens while warming up, then probes batch by batch; keeps the screen when it is cheaper, cutting a hopeless probe short', () => {
    const g = warmed();
    // parsing everything costs 2.5× screening: three batches of each are enough to tell
    expect(drive(g, 6000, 0.004, 0.01)).toEqual(ALTERNATING(6));
    expect(g.last).toEqual({ on: 0.004, off: 0.01 });
    expect(g.on).toBe(true);
    expect(drive(g, 40_000, 0.004, 0.01).every((x) => x)).toBe(true);
  });

  it('turns the screen off only on a clear win, and probes again after the stretch', () => {
    const close = warmed();
    drive(close, 8000, 0.0105, 0.01);
    expect(close.on).toBe(true);
    const g = warmed();
    expect(drive(g, 8000, 0.02, 0.01)).toEqual(ALTERNATING(8));
    expect(g.on).toBe(false);
    expect(drive(g, 40_000, 0.02, 0.01).every((x) => !x)).toBe(true);
    // the next probe; the data changed and screening now pays
    expect(drive(g, 6000, 0.002, 0.01)).toEqual(ALTERNATING(6));
    expect(g.on).toBe(true);
  });

  it('compares the settings on the same stretch of input, not on two windows of different data', () => {
    // The input changes every 2,000 lines between cheap logs (both settings cost 1) and dear
    // ones (both 3), with the screen 20 % cheaper on each. Windows of 4,000 lines in a row would
    // see one kind of data with the screen on and the other with it off; alternating batches see both.
    const g = warmed();
    let line = 4000;
    for (let k = 0; k < 8; k++) {
      const dear = Math.floor(line / 2000) % 2 === 1 ? 3 : 1;
      g.record(1000, 1000 * dear * (g.on ? 0.008 : 0.01));
      line += 1000;
    }
    expect(g.on).toBe(true);
    expect(g.last!.on).toBeLessThan(g.last!.off);
  });

  it('is not misled by a batch that was descheduled during a probe', () => {
    const g = warmed();
    drive(g, 8000, 0.01, 0.0095, [0]);
    expect(g.last!.on).toBe(0.01);
    expect(g.on).toBe(true);
  });

  it('doubles the stretch while its decision repeats, back to the base when it changes', () => {
    const g = warmed();
    const on = (n: number) => Array<boolean>(n).fill(true);
    // steady data: the run after each repeated decision is twice as long, so fewer probes
    const ran = drive(g, 6000 + 40_000 + 6000 + 80_000 + 6000 + 160_000, 0.004, 0.01);
    expect(ran).toEqual([...ALTERNATING(6), ...on(40), ...ALTERNATING(6), ...on(80), ...ALTERNATING(6), ...on(160)]);
    drive(g, 8000, 0.05, 0.01);
    expect(g.on).toBe(false);
    expect(drive(g, 40_000, 0.05, 0.01).every((x) => !x)).toBe(true);
    expect(g.on).toBe(true); // probing again after the base stretch
  });

  it('does not probe a cheap screen that rejects at least half the lines, and probes it again once it rejects fewer', () => {
    const g = new ScreenGovernor(4000, 40_000);
    g.cheap = true;
    const on = (n: number) => Array<boolean>(n).fill(true);
    // rejecting 60 %: no unscreened batch at all, warm-up and stretch after stretch
    expect(drive(g, 4000 + 40_000 + 40_000, 0.004, 0.01, [], 0.6)).toEqual(on(84));
    // exactly half still counts; then the data changes and the screen rejects 10 %: a probe
    expect(drive(g, 40_000, 0.004, 0.01, [], 0.5)).toEqual(on(40));
    expect(drive(g, 40_000 + 6000, 0.004, 0.01, [], 0.1)).toEqual([...on(40), ...ALTERNATING(6)]);
    // the same rejections from a screen not known to be cheap: probed after the warm-up as before
    const dear = new ScreenGovernor(4000, 40_000);
    expect(drive(dear, 4000 + 6000, 0.004, 0.01, [], 0.6)).toEqual([...on(4), ...ALTERNATING(6)]);
  });
});
