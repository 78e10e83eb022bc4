import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AhoCorasick } from '../../src/detect/sigma/prefilter/aho.js';
import { needAnd, needOr, type Need } from '../../src/detect/sigma/prefilter/need.js';
import { fold } from '../../src/detect/sigma/fold.js';
import { requiredLiterals } from '../../src/detect/sigma/prefilter/regex-literals.js';
import { Prefilter } from '../../src/detect/sigma/prefilter/index.js';
import { load, rule } from './helpers.js';

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
        // straight from a JSON string's bytes: the same hits, or DECLINE at a non-ASCII character
        const json = Buffer.from(JSON.stringify(text), 'utf8');
        const viaBytes = new Set<number>();
        const end = a.scanJsonString(json, 1, json.length, (i) => void viaBytes.add(i));
        if (/^[\x00-\x7f]*$/.test(text)) {
          expect(end).toBe(json.length);
          expect([...viaBytes].sort()).toEqual([...want].sort());
        } else expect(end).toBe(-1);
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

describe('mark plans (only the candidate rules\' fields are scanned)', () => {
  const needs: Need[] = [
    needAnd([c('CommandLine', 'mimikatz'), c('Image', '\\rundll32.exe')]),
    c('ScriptBlockText', 'invoke-'),
    null,
    c('commandline', 'vssadmin'),
  ];
  const ev = (fields: Record<string, unknown>) => ({ fields, raw: fields, layout: 'flat', timestamp: undefined, host: undefined, loc: {}, get: (f: string) => fields[f] });

  it('gives each planned rule the verdict a full scan gives (property)', () => {
    const value = fc.constantFrom('C:\\x\\rundll32.exe mimikatz', 'invoke-x', 'VSSADMIN delete', 'nothing', '');
    const fields = fc.record({ CommandLine: value, Image: value, ScriptBlockText: value, COMMANDLINE: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(fields, fc.subarray([0, 1, 2, 3], { minLength: 1 }), (f, rules) => {
        const full = new Prefilter(needs);
        full.mark(ev(f));
        const planned = new Prefilter(needs);
        planned.mark(ev(f), planned.plan(rules));
        for (const r of rules) expect(planned.passes(r)).toBe(full.passes(r));
      }),
      { numRuns: 500 },
    );
  });

  it('scans nothing for rules without needles, and says so', () => {
    const p = new Prefilter(needs);
    expect(p.plan([2]).none).toBe(true);
    expect(p.plan([2, 1]).none).toBe(false);
  });
});

describe('candidate rules by layout', () => {
  it('leaves out rules whose logsource needs another layout, keeps the rest', () => {
    const fhirRule = `title: f\nid: 00000000-0000-4000-8000-0000000000f1\nlevel: high\nlogsource:\n  product: fhir\n  service: audit\ndetection:\n  sel:\n    outcome: '8'\n  condition: sel\n`;
    const { ruleset } = load(`${fhirRule}---\n${rule("sel:\n  CommandLine|contains: mimikatz\ncondition: sel", 'product: windows')}`);
    const titles = (layout: string) => ruleset.candidatesFor('Security', 4688, layout).map((r) => r.rule.id);
    expect(titles('evtx-json')).not.toContain('00000000-0000-4000-8000-0000000000f1');
    expect(titles('fhir-audit')).toContain('00000000-0000-4000-8000-0000000000f1');
    expect(ruleset.candidatesFor('Security', 4688)).toHaveLength(2);
  });
});
