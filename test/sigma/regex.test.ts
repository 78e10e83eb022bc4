import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileRegex, lazyDots } from '../../src/detect/sigma/regex.js';

describe('Sigma re: lazy dots', () => {
  it('rewrites only unescaped dots outside classes, and not with backreferences', () => {
    expect(lazyDots('\\+.*\\+.+x')).toBe('\\+.*?\\+.+?x');
    expect(lazyDots('a.*?b')).toBe('a.*?b');
    expect(lazyDots('\\.*[.*].*')).toBe('\\.*[.*].*?');
    expect(lazyDots('[]].*[^]].*')).toBe('[]].*?[^]].*?');
    expect(lazyDots('(a).*\\1')).toBe('(a).*\\1');
    expect(lazyDots('(?<n>a).*\\k<n>')).toBe('(?<n>a).*\\k<n>');
  });

  it('a pattern matches exactly the strings it matched before (property)', () => {
    const token = fc.constantFrom('a', 'b', '\\+', '+', '.', '.*', '.+', '.?', '[.*]', '[^a]', '(', ')', '|', '^', '$', '\\.', 'a*', '(?:a|b)', '(?=a)', '(?!b)');
    const text = fc.array(fc.constantFrom('a', 'b', '+', '.', '\n', 'x'), { maxLength: 16 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 10 }), fc.array(text, { minLength: 1, maxLength: 5 }), fc.constantFrom('', 'i', 's', 'm'), (toks, texts, flags) => {
        const src = toks.join('');
        let before: RegExp;
        try {
          before = new RegExp(src, flags);
        } catch {
          return; // not a pattern; the rewrite never makes one valid or invalid in a way rules see
        }
        const after = new RegExp(lazyDots(src), flags);
        for (const t of texts) expect(after.test(t)).toBe(before.test(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a rule like SigmaHQ\'s PowerShell obfuscation check fast on a long command line', () => {
    const re = compileRegex(Array(14).fill('\\+').join('.*'), {});
    expect(re.source).toContain('.*?');
    const line = 'powershell -c ' + Array.from({ length: 35 }, (_, i) => `'part${i}'`).join(' + ') + ' '.repeat(1500);
    expect(re.test(line)).toBe(true);
    expect(re.test(line.replace(/\+/g, '-'))).toBe(false);
  });

  it('answers a catastrophically backtracking pattern on a hostile value instead of hanging', () => {
    // Without the linear-engine fallback these take ~35 s of backtracking on this project's CI
    // machine (each extra character doubles it), past this test's 10 s timeout.
    expect(compileRegex('^(a+)+$', {}).test('a'.repeat(26) + 'b')).toBe(false);
    expect(compileRegex('(\\w+\\s?)+$', {}).test('x'.repeat(24) + '!')).toBe(false);
    expect(compileRegex('^(a|aa)+$', {}).test('a'.repeat(42) + 'b')).toBe(false);
    // and still finds what does match
    expect(compileRegex('^(a+)+$', {}).test('a'.repeat(26))).toBe(true);
  }, 10_000);
});
