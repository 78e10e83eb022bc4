import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRules, createSigmaDetector } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';
import { tempDir } from '../support/tmp.js';

// The raw screen's vetoes (src/detect/sigma/veto.ts): a line whose every candidate rule has a
// top-level `not X` that holds on the line's EventData is ruled out before it is parsed. The
// property that matters: a line ruled out has no detection when parsed and matched in full —
// whatever duplicates, cases, nulls, nested values, escapes or broken UTF-8 the line holds.

const RULES = [
  // filters on one field, on two (AND), and a `1 of filter_*` over both
  `selection:
    CommandLine|contains: vssadmin
  filter_main:
    Image|startswith: 'C:\\Windows\\System32\\'
  filter_opt:
    ParentImage|endswith: '\\svchost.exe'
    User: SYSTEM
  condition: selection and not 1 of filter_*`,
  // a filter with a keyword: never a veto (it reads every value)
  `selection:
    CommandLine|contains: vssadmin
  filter_kw:
    - backup
  condition: selection and not filter_kw`,
  // only filters: every process creation is a candidate
  `filter:
    Image|endswith:
      - '.exe'
      - '.com'
  filter_empty:
    Image: ''
  condition: not filter and not filter_empty`,
];

function rulesFile(rules: string[]): string {
  const docs = rules.map(
    (det, i) =>
      `title: v${i}\nid: 00000000-0000-4000-8000-${String(900 + i).padStart(12, '0')}\nlevel: high\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  ${det}\n`,
  );
  const f = join(tempDir('ward-veto-'), 'rules.yml');
  writeFileSync(f, docs.join('---\n'));
  return f;
}

const { ruleset, problems } = loadRules({ paths: [rulesFile(RULES)], pipelines: ['windows'] });

const SYSTEM = '"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws1"}';
const line = (eventData: string, extra = ''): Buffer => Buffer.from(`{"Event":{${SYSTEM},"EventData":{${eventData}}${extra}}}`);

/** What the full path finds on the line: parsed, normalized, every rule evaluated. */
function detections(b: Buffer): string[] {
  const det = createSigmaDetector(ruleset, { rawScreenVeto: false });
  const ev = normalize(JSON.parse(b.toString('utf8')) as Record<string, unknown>, { file: 't', line: 1 }, 'json');
  return det.process(ev).map((d) => d.rule.title);
}

describe('raw screen vetoes', () => {
  const native = createSigmaDetector(ruleset);
  const js = createSigmaDetector(ruleset, { rawScreenNative: false });
  const off = createSigmaDetector(ruleset, { rawScreenVeto: false });
  const verdict = (d: typeof native, b: Buffer) => d.screen(b, 0, b.length);

  it('loads the fixture rules, with vetoes where the condition has a plain `not`', () => {
    expect(problems).toEqual([]);
    expect(ruleset.rules.map((r) => r.vetoes?.length ?? 0)).toEqual([1, 0, 2]);
  });

  it('rules out a line whose every candidate is vetoed, and only then', () => {
    // v0 and v2 are vetoed (System32, '.exe'), v1 has no veto (its filter is a keyword) and fires
    const a = line('"Image":"C:\\\\Windows\\\\System32\\\\vssadmin.exe","CommandLine":"vssadmin delete shadows","User":"bob"');
    expect(detections(a)).toEqual(['v1']);
    expect(verdict(native, a)).not.toBe(false);
    // v2 alone is a candidate, and vetoed
    const quiet = line('"Image":"C:\\\\Windows\\\\System32\\\\svchost.exe","CommandLine":"svchost -k netsvcs","User":"SYSTEM"');
    expect(detections(quiet)).toEqual([]);
    expect(verdict(off, quiet)).not.toBe(false); // kept by v2, which has no needle to look for
    expect(verdict(native, quiet)).toBe(false);
    expect(verdict(js, quiet)).toBe(false);
    // no filter holds: kept, and v2 fires
    const b = line('"Image":"C:\\\\Users\\\\bob\\\\tool.scr","CommandLine":"x"');
    expect(detections(b)).toEqual(['v2']);
    expect(verdict(native, b)).not.toBe(false);
    expect(verdict(js, b)).not.toBe(false);
  });

  it('never rules out a line a duplicate, a case variant, a null, a nested value or a second EventData changes', () => {
    const img = '"Image":"C:\\\\Windows\\\\System32\\\\svchost.exe"';
    const cases: [string, string][] = [
      [`${img},"Image":"C:\\\\temp\\\\evil.scr"`, ''], // JSON.parse keeps the last
      [`${img},"Image":null`, ''],
      [`${img},"Image":{"#text":"C:\\\\temp\\\\evil.scr"}`, ''],
      [`${img},"Image":["C:\\\\temp\\\\evil.scr"]`, ''],
      [`${img},"Image":7`, ''],
      [`"image":"C:\\\\temp\\\\evil.scr",${img}`, ''], // two cases of one name
      [img, ',"EventData":{"Image":"C:\\\\temp\\\\evil.scr"}'], // the last EventData wins
      [img, ',"EventData":{"Other":"1"}'], // … whole: Image is absent
      ['"Image":["C:\\\\temp\\\\evil.scr"]', ''], // a list is not a string
      ['"Image": null', ''],
      [`"Image":{"#text":"C:\\\\temp\\\\evil.scr"}`, ''],
      ['"Im\\u0061ge":"C:\\\\temp\\\\evil.scr"', ''],
    ];
    for (const [ed, extra] of cases) {
      const b = line(ed, extra);
      const want = detections(b);
      for (const d of [native, js]) {
        const v = verdict(d, b);
        if (want.length) expect(v, `${b.toString()} has ${want.join(',')}`).not.toBe(false);
      }
      expect(verdict(native, b)).toEqual(verdict(js, b));
    }
    // the last of two members is the field's value: here it is a filter's
    const last = line(`"Image":"C:\\\\temp\\\\evil.scr",${img}`);
    expect(detections(last)).toEqual([]);
    expect(verdict(native, last)).toBe(false);
    expect(verdict(js, last)).toBe(false);
  });

  it('decodes escapes and non-ASCII characters as JSON.parse does', () => {
    // \u0045 is E: ".\u0045XE" folds to ".exe", so the filter holds
    const esc = line('"Image":"C:\\\\t\\\\a.\\u0045XE"');
    expect(detections(esc)).toEqual([]);
    expect(verdict(native, esc)).toBe(false);
    // a broken UTF-8 byte decodes to U+FFFD, as it does when the line is parsed
    const broken = Buffer.concat([Buffer.from('{"Event":{' + SYSTEM + ',"EventData":{"Image":"C:\\\\t\\\\'), Buffer.from([0xff]), Buffer.from('.scr"}}}')]);
    expect(detections(broken)).toEqual(['v2']);
    expect(verdict(native, broken)).not.toBe(false);
    const greek = line('"Image":"C:\\\\Ωμέγα\\\\ok.exe"');
    expect(detections(greek)).toEqual([]);
    expect(verdict(native, greek)).toBe(false);
    expect(verdict(js, greek)).toBe(false);
  });

  it('rules out no line that has a detection, native and JavaScript alike (property)', () => {
    const names = fc.constantFrom('Image', 'image', 'IMAGE', 'ParentImage', 'User', 'CommandLine', 'Other');
    const text = fc.constantFrom(
      'C:\\\\Windows\\\\System32\\\\svchost.exe',
      'C:\\\\Users\\\\a\\\\x.scr',
      'vssadmin delete',
      'backup vssadmin',
      'SYSTEM',
      'C:\\\\svchost.exe',
      'x.\\u0045xe',
      'Ω.exe',
      '',
    );
    const value = fc.oneof(
      { weight: 6, arbitrary: text.map((t) => `"${t}"`) },
      { weight: 1, arbitrary: fc.constantFrom('null', '1', 'true', '{}', '[]') },
      { weight: 1, arbitrary: text.map((t) => `{"#text":"${t}"}`) },
      { weight: 1, arbitrary: text.map((t) => `["${t}"]`) },
    );
    const member = fc.tuple(names, value).map(([n, v]) => `"${n}":${v}`);
    const extra = fc.constantFrom('', ',"EventData":{"Image":"C:\\\\a.scr"}', ',"EventData":{}', ',"UserData":{"R":{"Image":"C:\\\\a.scr"}}');
    let ruledOut = 0;
    fc.assert(
      fc.property(fc.array(member, { maxLength: 6 }), extra, (ms, x) => {
        const b = line(ms.join(','), x);
        const want = detections(b);
        const n = verdict(native, b);
        expect(n).toEqual(verdict(js, b));
        if (n === false) {
          ruledOut++;
          expect(want, b.toString()).toEqual([]);
        }
      }),
      { numRuns: 1500 },
    );
    // the property is not vacuous: generated lines do get ruled out
    expect(ruledOut).toBeGreaterThan(50);
  });
});

const SHARED = resolve(__dirname, '../../../shared');
const SAMPLES = join(SHARED, 'datasets/evtx-attack-samples/evtx-attack-samples.jsonl');

describe.skipIf(!existsSync(SAMPLES))('raw screen vetoes on the attack samples with SigmaHQ rules (../shared)', () => {
  it('rule out only lines that have no detection when parsed in full', () => {
    const dirs = ['rules/windows', 'rules-emerging-threats', 'rules-threat-hunting/windows'].map((d) => join(SHARED, 'sigma', d));
    const { ruleset: rs } = loadRules({ paths: dirs, pipelines: ['windows'] });
    const screened = createSigmaDetector(rs);
    const full = createSigmaDetector(rs, { rawScreenVeto: false });
    const lines = readFileSync(SAMPLES, 'utf8').split('\n').filter((l) => l.trim());
    let vetoed = 0;
    for (const [i, l] of lines.entries()) {
      const b = Buffer.from(l);
      const before = screened.vetoStage?.vetoed ?? 0;
      if (screened.screen(b, 0, b.length) !== false || (screened.vetoStage?.vetoed ?? 0) === before) continue;
      vetoed++;
      const ev = normalize(JSON.parse(l) as Record<string, unknown>, { file: 'samples', line: i + 1 }, 'json');
      expect(full.process(ev).map((d) => d.rule.id), `line ${i + 1}`).toEqual([]);
    }
    // SigmaHQ's `not 1 of filter_*` rules out hundreds of these lines (711 when written)
    expect(vetoed).toBeGreaterThan(300);
  });
});
