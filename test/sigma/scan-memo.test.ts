import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AhoCorasick } from '../../src/detect/sigma/prefilter/aho.js';
import { ScanMemo } from '../../src/detect/sigma/prefilter/memo.js';
import { fold } from '../../src/detect/sigma/fold.js';

// Raw JSON string bodies (after the opening quote): repeated values, escapes, a non-ASCII letter,
// \u escapes, and broken ones (a raw control character, a bad escape, no closing quote).
const body = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', 'A', '.', '\\\\', '\\"', '\\n', 'é', '\\u0041'), maxLength: 8 }).map((s) => `${s}"`),
  fc.constantFrom('a\tb"', 'a\\xb"', 'abc', 'ab\\', '"'),
);

describe('ScanMemo', () => {
  it('answers exactly as the automaton does, from memory or not, through collisions and resets (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('a', 'b', 'ab', 'ba', '.', '\\', '"', '\n', 'aé'), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat({ max: 11 }), fc.nat({ max: 1 })), { minLength: 1, maxLength: 120 }),
        fc.array(body, { minLength: 12, maxLength: 12 }),
        (needles, order, bodies) => {
          const autos = [new AhoCorasick(), new AhoCorasick()];
          needles.forEach((n, i) => autos[i % 2].add(fold(n), i));
          // a tiny table, arena and hash: different values share a hash, and the memo empties itself often
          const memo = new ScanMemo(16, 128, 6, 0b11 << 29);
          for (const [k, which] of order) {
            // the same bytes meet either automaton
            const a = autos[which];
            const b = Buffer.from('x"' + bodies[k] + '  ', 'utf8');
            const want: number[] = [];
            const r = a.scanJsonString(b, 2, b.length, (p) => void want.push(p));
            const got: number[] = [];
            expect(memo.scan(a, b, 2, b.length, (p) => void got.push(p))).toBe(r);
            if (r >= 0) expect(got.sort()).toEqual(want.sort());
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('answers a repeated value from memory', () => {
    const a = new AhoCorasick();
    a.add('cmd', 7);
    const memo = new ScanMemo();
    const b = Buffer.from('"C:\\\\Windows\\\\cmd.exe"');
    const hits: number[] = [];
    expect(memo.scan(a, b, 1, b.length, (p) => void hits.push(p))).toBe(b.length);
    // the automaton is not consulted the second time
    const scan = a.scanJsonString;
    a.scanJsonString = () => {
      throw new Error('scanned again');
    };
    expect(memo.scan(a, b, 1, b.length, (p) => void hits.push(p))).toBe(b.length);
    a.scanJsonString = scan;
    expect(hits).toEqual([7, 7]);
    expect([memo.lookups, memo.answered]).toEqual([2, 1]);
  });
});
