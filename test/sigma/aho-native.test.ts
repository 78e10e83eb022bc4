import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AhoCorasick } from '../../src/detect/sigma/prefilter/aho.js';
import { nativeScreenAddon } from '../../src/detect/sigma/prefilter/addon.js';
import { loadRules } from '../../src/detect/index.js';

// The automaton built in C (prefilter/native/build.c) must be, table for table, the one
// aho.ts construct() builds: same state numbers, classes, rows, links and payloads.

function both(needles: [string, number][]): [AhoCorasick, AhoCorasick] {
  const native = new AhoCorasick();
  const js = new AhoCorasick({ native: false });
  for (const [n, p] of needles) {
    native.add(n, p);
    js.add(n, p);
  }
  return [native, js];
}

function found(a: AhoCorasick, text: string): string {
  const out: string[] = [];
  a.scan(text, (p, end) => out.push(`${p}@${end}`));
  return out.join(' ');
}

const unit = fc.constantFrom('a', 'b', 'A', '\\', '.', ' ', 'é', 'Ω', 'ß', '😀', 'x');
const needle = fc.string({ unit, minLength: 1, maxLength: 8 });

describe.skipIf(process.env.WARD_NATIVE === '0')('Aho–Corasick build: native against TypeScript', () => {
  it('is available', () => {
    expect(nativeScreenAddon()).not.toBeNull();
  });

  it('builds the same tables and finds the same needles (property)', () => {
    let wide = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(needle, fc.nat({ max: 6 })), { maxLength: 40 }), fc.array(fc.string({ unit, maxLength: 30 }), { maxLength: 5 }), (needles, texts) => {
        const [n, j] = both(needles);
        expect(n.tables()).toEqual(j.tables());
        expect(n.size).toBe(j.size);
        for (const t of [...texts, ...needles.map(([x]) => `b${x}${x}a`)]) {
          expect(found(n, t)).toBe(found(j, t));
          if (/[^\x00-\x7f]/.test(t) && found(j, t) !== '') wide++;
        }
      }),
      { numRuns: 1500 },
    );
    // Not vacuous: needles were found through non-ASCII characters (the goto/failure walk)
    expect(wide).toBeGreaterThan(200);
  });

  it('builds the same for no needles, one, and repeated needles and payloads', () => {
    for (const needles of [[], [['a', 1]], [['ab', 1], ['ab', 1], ['ab', 2], ['b', 1]], [['😀', 3]]] as [string, number][][]) {
      const [n, j] = both(needles);
      expect(n.tables()).toEqual(j.tables());
      expect(found(n, 'xab😀ab')).toBe(found(j, 'xab😀ab'));
    }
  });

  const shared = resolve(import.meta.dirname, '../../../shared/sigma/rules/windows');
  it.skipIf(!existsSync(shared))('builds the same automaton from every needle of SigmaHQ\'s Windows rules (../shared)', () => {
    const { ruleset } = loadRules({ paths: [shared], pipelines: ['windows'] });
    const needles: [string, number][] = [];
    ruleset.rules.forEach((r, i) => r.need?.forEach((clause) => clause.forEach(({ needle }) => needles.push([needle, i]))));
    expect(needles.length).toBeGreaterThan(10_000);
    const [n, j] = both(needles);
    expect(n.size).toBeGreaterThan(30_000);
    const tn = n.tables();
    const tj = j.tables();
    // compared as buffers: toEqual over millions of cells is slow
    for (const k of Object.keys(tj) as (keyof typeof tj)[]) {
      const a = tn[k];
      const b = tj[k];
      if (typeof b === 'number') expect(a, k).toBe(b);
      else expect(Buffer.from((a as Int32Array).buffer).equals(Buffer.from((b as Int32Array).buffer)), k).toBe(true);
    }
  });
});
