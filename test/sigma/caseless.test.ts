import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { caseless } from '../../src/detect/sigma/caseless.js';
import { compileRegex } from '../../src/detect/sigma/regex.js';

// Pattern pieces with letters of both cases everywhere they can stand: literals, classes, ranges
// (also across the punctuation between Z and a), negations, hex escapes, class escapes, Annex B
// oddities (`[\B]`, `\c`), group names, lookarounds, quantifiers.
const token = fc.constantFrom(
  'a', 'B', 'k', 'S', 'z', '_', '.', '-', '[', '(?:', '(', ')', ')', '|', '^', '$', '*', '+', '?', '{2}', '{1,2}',
  '[a-c]', '[A-C]', '[^a-c]', '[Z-a]', '[x-]', '[-k]', '[\\w]', '[\\W]', '[\\B]', '[\\b]', '[^]', '[]', '[\\x41-\\x43]',
  '\\x41', '\\x61', '\\x2e', '\\u004B', '\\w', '\\W', '\\d', '\\s', '\\b', '\\B', '\\cJ', '\\c1', '\\.', '\\-', '\\e',
  '(?<Nm>', '(?=a)', '(?!B)', '(?<=k)', '(?<!S)', '\\1',
);
const text = fc.array(fc.constantFrom('a', 'A', 'b', 'B', 'k', 'K', '\u212a', 's', 'S', 'ſ', 'z', 'Z', '_', '[', '^', '`', '.', '-', '\n', '1', 'é', 'É', ' '), { maxLength: 12 }).map((a) => a.join(''));

describe('case-insensitive patterns spelled out (caseless)', () => {
  it('match exactly what the pattern matches with the i flag (property)', () => {
    let rewritten = 0;
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 8 }), fc.array(text, { minLength: 1, maxLength: 6 }), fc.constantFrom('', 'm', 's'), (toks, texts, flags) => {
        const src = toks.join('');
        let before: RegExp;
        try {
          before = new RegExp(src, 'i' + flags);
        } catch {
          return;
        }
        const spelled = caseless(src);
        if (spelled === undefined) return;
        rewritten++;
        const after = new RegExp(spelled, flags);
        for (const t of texts) expect(after.test(t), `${src} → ${spelled} on ${JSON.stringify(t)}`).toBe(before.test(t));
      }),
      { numRuns: 4000 },
    );
    expect(rewritten).toBeGreaterThan(800);
  });

  it('leaves what it cannot spell out to the i flag', () => {
    expect(caseless('(a)\\1')).toBeUndefined();
    expect(caseless('é')).toBeUndefined();
    expect(caseless('\\p')).toBeUndefined();
    expect(caseless('a[b-c]\\x41')).toBe('[aA][b-cBC][Aa]');
    expect(caseless('(?<Nm>x)')).toBe('(?<Nm>[xX])');
  });

  it('lets a |re|i rule with a catastrophic pattern finish on a hostile value', () => {
    // the same as regex.test.ts's check, with the i flag: without the rewrite ~30 s of backtracking
    const re = compileRegex('^(a|aa)+$', { i: true });
    expect(re.flags).not.toContain('i');
    expect(re.test('A'.repeat(42) + 'b')).toBe(false);
    expect(re.test('aAaA')).toBe(true);
  }, 10_000);
});
