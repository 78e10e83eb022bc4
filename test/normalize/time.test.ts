import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTimestamp } from '../../src/normalize/index.js';

// What parseTimestamp answered before it read the common spelling itself: Date.parse throughout.
function reference(v: string): number | undefined {
  if (v.length < 10) return undefined;
  let s = v;
  if (s.charCodeAt(10) === 32) s = s.slice(0, 10) + 'T' + s.slice(11);
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(s)) s += 'Z';
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

describe('parseTimestamp', () => {
  it('reads evtx_dump and Sysmon spellings', () => {
    expect(parseTimestamp('2020-10-05T20:43:58.351744800Z')).toBe(Date.UTC(2020, 9, 5, 20, 43, 58, 351));
    expect(parseTimestamp('2020-10-05 20:43:58.350')).toBe(Date.UTC(2020, 9, 5, 20, 43, 58, 350));
    expect(parseTimestamp('2020-10-05T20:43:58Z')).toBe(Date.UTC(2020, 9, 5, 20, 43, 58));
    expect(parseTimestamp('2020-10-05T20:43:58+02:00')).toBe(Date.UTC(2020, 9, 5, 18, 43, 58));
    expect(parseTimestamp('2020-10-05T20:43:58.Z')).toBeUndefined();
    expect(parseTimestamp('not a time at all')).toBeUndefined();
  });

  it('answers as Date.parse does on valid, odd and broken spellings (property)', () => {
    const stamp = fc
      .record({
        y: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        mo: two(13), d: two(32), h: two(25), mi: two(61), s: two(61),
        sep: fc.constantFrom('T', ' ', 't', '_'),
        frac: fc.option(fc.stringMatching(/^\.[0-9]{0,10}$/), { nil: '' }),
        zone: fc.constantFrom('Z', 'z', '', '+02:00', '-0530', 'ZZ', ' '),
      })
      .map((r) => `${r.y}-${r.mo}-${r.d}${r.sep}${r.h}:${r.mi}:${r.s}${r.frac}${r.zone}`);
    fc.assert(
      fc.property(fc.oneof(stamp, fc.string({ maxLength: 40 })), (s) => {
        expect(parseTimestamp(s), s).toBe(reference(s));
      }),
      { numRuns: 5000 },
    );
  });
});
