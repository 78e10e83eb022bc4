import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRules, createSigmaDetector } from '../../src/detect/index.js';
import { ruleset, verdictOf, agreeOnGenerated } from './raw-fixtures.js';

// The raw screen judges most lines in one loop over their bytes (prefilter/walk.ts) and hands the
// rest to its general path (JsonLineScanner with RawScreen as the sink). The two must reach the
// same verdict on every line: a screen built with `rawScreenWalk: false` takes the general path
// for all lines and is the reference here.

const verdict = verdictOf;

describe('raw screen: one-loop walk against the general path', () => {
  // (the walk in JavaScript: raw-native.test.ts compares the native walk with it)
  const walk = createSigmaDetector(ruleset, { rawScreenNative: false, rawScreenVeto: false });
  const general = createSigmaDetector(ruleset, { rawScreenWalk: false, rawScreenVeto: false });

  it('reaches the same verdict on generated and damaged lines (property)', () => {
    const seen = agreeOnGenerated(walk, general, (got, want) => expect(got).toBe(want));
    // Not vacuous: every verdict occurs, and the walk judged most lines itself.
    expect(seen.get('false')).toBeGreaterThan(100);
    expect(seen.get('rules')).toBeGreaterThan(100);
    expect(seen.get('true')).toBeGreaterThan(100);
    const s = walk.screenStats()!;
    expect(s.walked).toBeGreaterThan(2000);
    expect(s.general).toBeGreaterThan(50);
    expect(s.general).toBeLessThan(s.walked / 2);
    expect(general.screenStats()!.walked).toBe(0);
  });

  it('judges non-ASCII values itself and takes escaped member names to the general path', () => {
    const before = walk.screenStats() ?? { walked: 0, general: 0 };
    const base = '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\\\Windows\\\\evil.exe","CommandLine":"x -enc A","Product":"Microsoft® Windows®"}}}';
    expect(verdict(walk, base)).toBe(verdict(general, base));
    expect(verdict(walk, base)).toMatch(/^\[/);
    const s1 = walk.screenStats()!;
    expect(s1.general - before.general).toBe(0);
    // folding through a non-ASCII value: "ranſom" holds the keyword "ransom" (ſ folds to s)
    const folded = base.replace('Microsoft® Windows®', 'ranſom');
    expect(verdict(walk, folded)).toBe(verdict(general, folded));
    const escaped = base.replace('"Image"', '"Im\\u0061ge"');
    expect(verdict(walk, escaped)).toBe(verdict(general, escaped));
    expect(walk.screenStats()!.general - s1.general).toBe(1);
  });

  it('looks for keyword needles in every value, however short, that could hold one', () => {
    // the fixture's keyword rule ("ransom", "SKIP Ω") is a candidate for every Windows event;
    // Foo is read by no rule, so its value is scanned for keywords only
    const base = '{"Event":{"System":{"EventID":7045,"Channel":"System"},"EventData":{"Foo":X}}}';
    for (const [v, kept] of [['"ransom"', true], ['"RanSom"', true], ['"ransomware"', true], ['"ranso"', false], ['"rans\\u006fm"', true], ['"ranſom"', true], ['12345', false], ['true', false]] as const) {
      const l = base.replace('X', v);
      expect(verdict(walk, l), v).toBe(verdict(general, l));
      expect(verdict(walk, l) !== 'false', v).toBe(kept);
    }
  });

  it('agrees on the numbers JavaScript writes as they are (-5) and those it does not (-0, 1.0, 1e3)', () => {
    const base = '{"Event":{"System":{"EventID":4624,"Channel":"Security"},"EventData":{"LogonType":X}}}';
    for (const n of ['-5', '-0', '0', '10', '1.0', '1e3', '-12', '123456789012345', '1234567890123456']) {
      const l = base.replace('X', n);
      expect(verdict(walk, l), n).toBe(verdict(general, l));
    }
    // a negative integer is judged, not waved through: LogonType -5 is not 10
    expect(verdict(walk, base.replace('X', '-5'))).toBe('false');
    expect(verdict(walk, base.replace('X', '10'))).toMatch(/^\[/);
    // an empty Channel where the byte search met another first
    const decoy = '{"Event":{"EventData":{"Channel":"Security"},"System":{"EventID":4624,"Channel":""}}}';
    expect(verdict(walk, decoy)).toBe(verdict(general, decoy));
  });

  const shared = resolve(import.meta.dirname, '../../../shared');
  const samples = join(shared, 'datasets/evtx-attack-samples/evtx-attack-samples.jsonl');
  it.skipIf(!existsSync(samples))('agrees on every line of the attack samples with SigmaHQ Windows rules (../shared)', () => {
    const dirs = ['rules/windows', 'rules-emerging-threats', 'rules-threat-hunting/windows'].map((d) => join(shared, 'sigma', d));
    const rs = loadRules({ paths: dirs, pipelines: ['windows'] }).ruleset;
    const a = createSigmaDetector(rs, { rawScreenNative: false, rawScreenVeto: false });
    const b = createSigmaDetector(rs, { rawScreenWalk: false, rawScreenVeto: false });
    const lines = readFileSync(samples, 'utf8').split('\n').filter(Boolean);
    let differ = 0;
    for (const l of lines) if (verdict(a, l) !== verdict(b, l)) differ++;
    expect(differ).toBe(0);
    expect(a.screenStats()!.general).toBeLessThan(lines.length / 100);
  });
});
