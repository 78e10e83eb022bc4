import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anyShape, CONTAINS_PREFIX } from '../../src/detect/sigma/anyof.js';
import { parseSigmaString, patternShape, shapeTest } from '../../src/detect/sigma/pattern.js';

// Values and patterns over a small alphabet (with a non-ASCII letter and a backslash), so that
// matches are frequent; lists long enough to take every path of anyShape (loops, Sets by length,
// the automaton) as well as short ones.
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '\\', '.', 'é', 'x'), maxLength: 7 });
const pattern = fc.tuple(fc.constantFrom('', '*', '?'), text, fc.constantFrom('', '*', '?*'), fc.constantFrom('', '', '', 'b*', '?')).map((p) => p.join(''));

describe('value lists matched at once (anyShape)', () => {
  it('matches exactly when one of the values does (property)', () => {
    let some = 0;
    let none = 0;
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 40 }), fc.array(text, { minLength: 1, maxLength: 8 }), fc.boolean(), (pats, values, cased) => {
        const shapes = pats.map((p) => patternShape(parseSigmaString(p), cased));
        const one = anyShape(shapes);
        for (const raw of values) {
          const v = cased ? raw : raw.toLowerCase();
          const want = shapes.some((sh) => shapeTest(sh)(v));
          expect(one(v)).toBe(want);
          if (want) some++;
          else none++;
        }
      }),
      { numRuns: 2000 },
    );
    expect(some).toBeGreaterThan(1000);
    expect(none).toBeGreaterThan(1000);
  });

  it('takes the lookup paths for long lists and still answers like a loop', () => {
    const dlls = Array.from({ length: 300 }, (_, i) => `\\lib${i}.dll`);
    const suffix = anyShape(dlls.map((d) => patternShape(parseSigmaString(`*${d}`), false)));
    expect(suffix('c:\\windows\\lib299.dll')).toBe(true);
    expect(suffix('c:\\windows\\lib300.dll')).toBe(false);
    expect(suffix('')).toBe(false);
    const prefix = anyShape(dlls.map((d) => patternShape(parseSigmaString(`${d}*`), false)));
    expect(prefix('\\lib7.dll and more')).toBe(true);
    expect(prefix('x\\lib7.dll')).toBe(false);
    const contains = anyShape(['-enc ', ' -nop', 'iex(', 'downloadstring', 'frombase64', 'bypass', 'hidden', 'w hidden', 'invoke-'].map((d) => patternShape(parseSigmaString(`*${d}*`), false)));
    expect(contains('powershell -w hidden -c x')).toBe(true);
    expect(contains('powershell -c x')).toBe(false);
    expect(anyShape([patternShape(parseSigmaString('*'), false)])('anything')).toBe(true);
  });

  it('finds long substrings by their first characters as a loop of includes() does (property)', () => {
    // Needles longer than the prefix the automaton holds, over two letters (and a non-ASCII one)
    // so that many share their first characters and occur overlapping, partly, or cut short.
    const unit = fc.constantFrom('a', 'b', 'é');
    const needle = fc.string({ unit, minLength: CONTAINS_PREFIX - 4, maxLength: CONTAINS_PREFIX + 8 });
    let some = 0;
    let none = 0;
    fc.assert(
      fc.property(fc.array(needle, { minLength: 8, maxLength: 30 }), fc.array(fc.string({ unit, maxLength: 60 }), { minLength: 1, maxLength: 6 }), fc.nat(), (needles, noise, pick) => {
        fc.pre(needles.some((n) => n.length > CONTAINS_PREFIX));
        const one = anyShape(needles.map((n) => patternShape(parseSigmaString(`*${n}*`), true)));
        // values that hold a needle, a needle cut short, or noise
        const n = needles[pick % needles.length];
        const values = [...noise, noise[0] + n + noise[0], noise[0] + n.slice(0, -1), n.slice(1) + noise[0]];
        for (const v of values) {
          const want = needles.some((x) => v.includes(x));
          expect(one(v)).toBe(want);
          if (want) some++;
          else none++;
        }
      }),
      { numRuns: 1000 },
    );
    // every run holds one value with a whole needle; cut needles and noise add both answers
    expect(some).toBeGreaterThan(900);
    expect(none).toBeGreaterThan(300);
  });
});
