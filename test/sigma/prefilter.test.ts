import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AhoCorasick } from '../../src/detect/sigma/prefilter/aho.js';
import { needAnd, needOr, type Need } from '../../src/detect/sigma/prefilter/need.js';
import { fold } from '../../src/detect/sigma/fold.js';

const c = (field: string, ...needles: string[]): Need => [needles.map((needle) => ({ field, needle }))];

describe('Aho–Corasick automaton (DFA over ASCII classes)', () => {
  it('reports exactly the needles a naive search finds, folding case (property)', () => {
    const alphabet = fc.constantFrom(...'abcAB\\.-ſK\u212aé€ '.split(''));
    const word = fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 12 }), fc.array(alphabet, { maxLength: 40 }), (needles, chars) => {
        const text = chars.join('');
        const a = new AhoCorasick();
        const folded = needles.map(fold);
        folded.forEach((n, i) => a.add(n, i));
        a.build();
        const seen = new Set<number>();
        const hit = (i: number) => void seen.add(i);
        if (!a.scanAsciiCaseless(text, hit)) a.scan(fold(text), hit);
        const want = new Set(folded.flatMap((n, i) => (fold(text).includes(n) ? [i] : [])));
        expect([...seen].sort()).toEqual([...want].sort());
        const codes = Uint16Array.from(text, (ch) => ch.charCodeAt(0));
        const viaCodes = new Set<number>();
        if (a.scanFoldedCodes(codes, codes.length, (i) => void viaCodes.add(i))) expect([...viaCodes].sort()).toEqual([...want].sort());
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses needles after build, rather than silently missing them', () => {
    const a = new AhoCorasick();
    a.add('x', 0);
    a.build();
    expect(() => a.add('y', 1)).toThrow();
  });
});

describe('necessary conditions (CNF)', () => {
  it('AND keeps every side as a clause', () => {
    expect(needAnd([c('Image', '\\evil.exe'), c('CommandLine', '-enc')])).toHaveLength(2);
    expect(needAnd([null, null])).toBeNull();
  });
  it('OR distributes while small, so an EventID alternative stays its own clause', () => {
    const a = needAnd([c('EventID', '517'), c('Provider_Name', 'security')]);
    const b = needAnd([c('EventID', '1102'), c('Provider_Name', 'microsoft-windows-eventlog')]);
    const n = needOr([a, b])!;
    expect(n.some((cl) => cl.every((x) => x.field === 'EventID') && cl.map((x) => x.needle).sort().join() === '1102,517')).toBe(true);
    expect(n.every((cl) => cl.length === 2)).toBe(true);
  });
  it('OR with a side that has no condition has none', () => {
    expect(needOr([c('Image', 'x'), null])).toBeNull();
  });
});
