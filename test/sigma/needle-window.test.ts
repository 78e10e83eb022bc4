import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NeedleWindows } from '../../src/detect/sigma/prefilter/window.js';
import type { Need } from '../../src/detect/sigma/prefilter/need.js';

const needs = (...needles: string[]): Need[] => needles.map((needle) => [[{ field: 'image', needle }]]);

describe('needle windows', () => {
  it('looks for the part of a needle other needles do not share', () => {
    const w = new NeedleWindows(
      needs('c:\\windows \\system32\\', '\\windows\\system32\\cmd.exe', '\\system32\\svchost.exe', 'c:\\windows\\system32\\', 'x\\system32\\'),
      8,
    );
    const pick = w.pick('c:\\windows \\system32\\');
    // not the shared tail `ystem32\`: a window holding the space after Windows
    expect(pick).not.toBe('ystem32\\');
    expect(pick).toContain(' ');
    // short needles are looked for whole; a needle met once keeps its last window
    expect(w.pick('.exe')).toBe('.exe');
    expect(new NeedleWindows(needs('abcdefghijkl'), 8).pick('abcdefghijkl')).toBe('efghijkl');
  });

  it('always picks a part of the needle, of the window width (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 2, max: 12 }), (ns, width) => {
        const w = new NeedleWindows(needs(...ns), width);
        for (const n of ns) {
          const p = w.pick(n);
          expect(n.includes(p)).toBe(true);
          expect(p.length).toBe(Math.min(width, n.length));
        }
      }),
    );
  });
});
