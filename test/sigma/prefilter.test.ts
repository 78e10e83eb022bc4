import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AhoCorasick } from '../../src/detect/sigma/prefilter/aho.js';
import { needAnd, needOr, type Need } from '../../src/detect/sigma/prefilter/need.js';
import { fold } from '../../src/detect/sigma/fold.js';
import { requiredLiterals } from '../../src/detect/sigma/prefilter/regex-literals.js';

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

describe('literals required by a regular expression', () => {
  it('finds the plain runs that are not optional', () => {
    expect(requiredLiterals('cmd.{0,5}(?:/c|/r).+powershell.+(?:\\$\\{?input\\}?|noexit)')).toEqual(['powershell']);
    expect(requiredLiterals('\\\\sessionresume_[a-zA-Z]{8}$')).toEqual(['\\sessionresume_']);
    expect(requiredLiterals('(?i)ABC|de')).toEqual(['abc', 'de']);
    expect(requiredLiterals('ab?cd')).toEqual(['cd']);
    expect(requiredLiterals('(?x) abc')).toBeNull();
    expect(requiredLiterals('a|.*')).toBeNull();
  });
  it('every string the regex matches contains one of them (property)', () => {
    const token = fc.constantFrom('a', 'b', 'c', 'ab', '.', '[ab]', 'x?', 'y+', '(a|b)', '\\d', 'c{2}', '|', '^', '$', '\\.', 'K');
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom(...'abcxyK.0\u212a'.split('')), { maxLength: 12 }), fc.boolean(), (toks, chars, i) => {
        const src = toks.join('');
        let re: RegExp;
        try {
          re = new RegExp(src, i ? 'i' : '');
        } catch {
          return;
        }
        const lits = requiredLiterals(src);
        const text = chars.join('');
        if (lits && re.test(text)) expect(lits.some((l) => fold(text).includes(l))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
