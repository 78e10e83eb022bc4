import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, createSigmaDetector, runFile } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';
import { tempDir } from '../support/tmp.js';

// A rule set exercising every way a raw value reaches a field: EventData, System attributes
// (Provider_Name), #text, aliases (4688 NewProcessName → Image), names with spaces, UserData, the
// unnamed Data list (keywords), EventID/Channel clauses, an OR over EventIDs, and a `not` rule.
const RULES = [
  ['process_creation', 'selection:\n    Image|endswith: \\evil.exe\n    CommandLine|contains: "-enc "\n  condition: selection'],
  ['process_creation', 'selection:\n    ParentImage|endswith: \\winword.exe\n  condition: selection'],
  ['registry_set', 'selection:\n    TargetObject|contains: \\CurrentVersion\\Run\n  condition: selection'],
  [null, 'sel_a:\n    EventID: 517\n    Provider_Name: Security\n  sel_b:\n    EventID: 1102\n    Provider_Name: Microsoft-Windows-Eventlog\n  condition: 1 of sel_*'],
  [null, 'selection:\n    EventID: 1116\n    ThreatName|contains: mimikatz\n  condition: selection'],
  [null, 'selection:\n    Channel: Security\n    EventID: 4624\n    LogonType: 10\n  condition: selection'],
  [null, 'keywords:\n    - ransom\n    - "SKIP Ω"\n  condition: keywords'],
  [null, 'selection:\n    EventID: 4720\n  filter:\n    TargetUserName|endswith: $\n  condition: selection and not filter'],
  [null, 'selection:\n    Param1|startswith: Kerberos\n  condition: selection'],
  [null, 'selection:\n    Provider|contains: sysmon\n    EventID: 255\n  condition: selection'],
];

function ruleFile(): string {
  const docs = RULES.map(([cat, det], i) => {
    const ls = cat ? `  product: windows\n  category: ${cat}` : '  product: windows';
    return `title: r${i}\nid: 00000000-0000-4000-8000-${String(i).padStart(12, '0')}\nlevel: high\nlogsource:\n${ls}\ndetection:\n  ${det}\n`;
  });
  const dir = tempDir('ward-raw-');
  const f = join(dir, 'rules.yml');
  writeFileSync(f, docs.join('---\n'));
  return f;
}

const file = ruleFile();
const { ruleset, problems } = loadRules({ paths: [file], pipelines: ['windows'] });
const det = createSigmaDetector(ruleset);
const screen = (line: string) => {
  const b = Buffer.from(line, 'utf8');
  return det.screen(b, 0, b.length) !== false;
};
const hits = (line: string) => det.process(normalize(JSON.parse(line), { line: 1 })).length;

// Values built from the rules' literals in any case, with look-alikes that fold onto them
// (Kelvin sign K → k, long s ſ → s, İ), escapes, and noise.
const fragment = fc.oneof(
  fc.constantFrom('C:\\Windows\\evil.exe', '\\WINWORD.EXE', ' -enc ', '-ENC ', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x', 'Mimikatz', 'MIMIKATZ', 'ransom', 'RanSom', 'ranſom', 'Kerberos', 'kerberos', 'Security', 'Microsoft-Windows-Eventlog', 'Microsoft-Windows-Sysmon', 'skip ω', 'SKIP Ω', 'user$', '10', '4624'),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('\u212a', 'ſ', 'İ', '"', '\\', '/', '\n', 'é', '😀'),
);
const value = fc.array(fragment, { maxLength: 4 }).map((a) => a.join(''));
const eventId = fc.constantFrom(1, 4688, 13, 517, 1102, 1116, 4624, 4720, 255, 7045, 6);
const channel = fc.constantFrom('Security', 'Microsoft-Windows-Sysmon/Operational', 'System', 'Microsoft-Windows-Windows Defender/Operational', 'Application', null);
// Channel / EventID as data names too: the screen's byte search for them must not be fooled.
const dataKey = fc.constantFrom('Image', 'CommandLine', 'ParentImage', 'NewProcessName', 'ParentProcessName', 'TargetObject', 'Threat Name', 'LogonType', 'TargetUserName', 'param1', 'Details', 'Channel', 'EventID');
const event = fc.record({
  eid: eventId,
  qualifiers: fc.boolean(),
  eidText: fc.boolean(),
  channel,
  provider: fc.oneof(fc.constantFrom('Microsoft-Windows-Sysmon', 'Microsoft-Windows-Security-Auditing', 'Microsoft-Windows-Eventlog', 'Security'), value),
  data: fc.dictionary(dataKey, fc.oneof(value, fc.integer({ min: 0, max: 20 }), fc.constant(null)), { maxKeys: 5 }),
  list: fc.option(fc.array(value, { maxLength: 3 }), { nil: undefined }),
  userData: fc.option(fc.dictionary(dataKey, value, { maxKeys: 2 }), { nil: undefined }),
  escape: fc.nat(),
  // 0: as evtx_dump writes; 1: EventData before System; 2: Python's json.dumps spacing; 3: leading zeros in EventID
  shape: fc.nat({ max: 3 }),
});

function line(e: fc.Arbitrary<unknown> extends never ? never : Record<string, any>): string {
  const id = e.shape === 3 && e.eidText ? `00${e.eid}` : e.eidText ? String(e.eid) : e.eid;
  const eid = e.qualifiers ? { '#attributes': { Qualifiers: 16384 }, '#text': id } : id;
  const system = { Provider: { '#attributes': { Name: e.provider } }, EventID: eid, Channel: e.channel, Computer: 'pc1', TimeCreated: { '#attributes': { SystemTime: '2026-01-01T00:00:00Z' } } };
  const data = e.list ? { ...e.data, Data: e.list } : e.data;
  const ev: Record<string, unknown> = e.shape === 1 ? { EventData: data, System: system } : { System: system, EventData: data };
  if (e.userData) ev.UserData = { Root: e.userData };
  let text = e.shape === 2 ? JSON.stringify({ Event: ev }, null, 1).replace(/\n */g, ' ') : JSON.stringify({ Event: ev });
  // Some writers escape more than JSON.stringify does: \uXXXX for letters, \/ for slashes.
  if (e.escape % 3 === 1) text = text.replace(/"(?:[^"\\]|\\.)*"/g, escapeSomeLetters);
  if (e.escape % 3 === 2) text = text.replace(/\//g, '\\/');
  return text;
}

/** Rewrites every third letter of a JSON string literal as a \\uXXXX escape, leaving escapes alone. */
function escapeSomeLetters(lit: string): string {
  let out = '';
  for (let i = 0; i < lit.length; i++) {
    const c = lit[i];
    if (c === '\\') {
      const n = lit[i + 1] === 'u' ? 6 : 2;
      out += lit.slice(i, i + n);
      i += n - 1;
    } else if (/[a-z]/i.test(c) && i % 3 === 0) out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

describe('raw-line prefilter (RawScreen)', () => {
  it('loads the test rules', () => {
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(ruleset.rules.length).toBe(RULES.length);
  });

  it('never screens out a line whose event a rule matches (property)', () => {
    let screened = 0;
    let matched = 0;
    fc.assert(
      fc.property(event, (e) => {
        const l = line(e);
        const h = hits(l);
        const keep = screen(l);
        if (h > 0) {
          matched++;
          expect(keep).toBe(true);
        }
        if (!keep) screened++;
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: both outcomes occur.
    expect(matched).toBeGreaterThan(100);
    expect(screened).toBeGreaterThan(100);
  });

  it('screens out an event no rule can match, and keeps one that matches', () => {
    const benign = '{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"pc1"},"EventData":{"Image":"C:\\\\Windows\\\\notepad.exe","CommandLine":"notepad a.txt"}}}';
    expect(hits(benign)).toBe(0);
    expect(screen(benign)).toBe(false);
    const evil = benign.replace('notepad.exe', 'evil.exe').replace('notepad a.txt', 'x -enc AAAA');
    expect(hits(evil)).toBe(1);
    expect(screen(evil)).toBe(true);
    // the same lines as Python's json.dumps writes them (a space after every ':' and ','), as in
    // the attack-samples JSONL: judged too, not waved through unscreened
    const spaced = (l: string) => JSON.stringify(JSON.parse(l), null, 1).replace(/\n */g, ' ');
    expect(spaced(benign)).toContain('"System": {');
    expect(screen(spaced(benign))).toBe(false);
    expect(screen(spaced(evil))).toBe(true);
    // the word as a value of another layout is not the evtx "System" object
    expect(screen('{"Channel": "System", "EventID": 1, "Image": "C:\\\\Windows\\\\notepad.exe"}')).toBe(true);
  });

  it('keeps what it cannot judge: invalid JSON, other layouts, repeated EventID, non-integer numbers', () => {
    const base = '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"a"}}}';
    expect(screen(base)).toBe(false);
    expect(screen(base.slice(0, -1))).toBe(true);
    expect(screen('{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"a"}')).toBe(true);
    expect(screen(base.replace('"Image":"a"', '"EventID":2'))).toBe(true);
    expect(screen(base.replace('"Image":"a"', '"Size":1e3'))).toBe(true);
    expect(screen('[1]')).toBe(true);
    // invalid inside values the screen only skips (no rule reads them): still kept, for JSON.parse to report
    expect(screen(base.replace('"Image":"a"', '"Foo":"a\tb"'))).toBe(true);
    expect(screen(base.replace('"Image":"a"', '"Foo":"a\\xb"'))).toBe(true);
    expect(screen(base.replace('"Image":"a"', '"Foo":"a\\u00zz"'))).toBe(true);
    expect(screen(base.replace('"Image":"a"', '"Foo":"a\\u00e9"'))).toBe(false);
    // the same inside a value an automaton reads
    expect(screen(base.replace('"Image":"a"', '"Image":"a\tb"'))).toBe(true);
    expect(screen(base.replace('"Image":"a"', '"Image":"a\\xb"'))).toBe(true);
    // Channel / EventID where a byte search meets them before System's (EventData's win in
    // normalize/): judged by the scan, not by the search
    const decoy = '{"Event":{"EventData":{"Channel":"Security","EventID":4624,"LogonType":10},"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"}}}';
    expect(hits(decoy)).toBe(1);
    expect(screen(decoy)).toBe(true);
  });

  it('gives the same detections with and without the screen over a file', async () => {
    const dir = tempDir('ward-raw-run-');
    const f = join(dir, 'events.jsonl');
    const lines = fc.sample(event, { numRuns: 2000, seed: 20261128 }).map(line);
    writeFileSync(f, lines.join('\n') + '\n{"broken": \n');
    const collect = async (screenOn: boolean) => {
      const out: string[] = [];
      const problemLines: number[] = [];
      let events = 0;
      for await (const u of runFile(f, [createSigmaDetector(ruleset)], { screen: screenOn })) {
        events += u.events;
        for (const d of u.detections) out.push(`${d.rule.id}:${d.loc?.line}`);
        for (const p of u.problems) problemLines.push(p.location?.line ?? -1);
      }
      return { out: out.sort(), events, problemLines };
    };
    const a = await collect(false);
    const b = await collect(true);
    expect(b).toEqual(a);
    expect(a.events).toBe(2000);
    expect(a.problemLines).toEqual([2001]);
    expect(a.out.length).toBeGreaterThan(50);
  });
  it('drops rules whose logsource requires another layout (health audit trails) from its candidates', () => {
    const dir = tempDir('ward-raw-layout-');
    const f = join(dir, 'r.yml');
    writeFileSync(f, 'title: any record access\nid: 00000000-0000-4000-8000-00000000aaaa\nlevel: low\nlogsource:\n  category: record_access\ndetection:\n  sel:\n    Action|exists: true\n  condition: sel\n');
    const rs = loadRules({ paths: [f], pipelines: ['windows', 'health'] }).ruleset;
    const d = createSigmaDetector(rs);
    const l = Buffer.from('{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Action":"read"}}}');
    expect(d.process(normalize(JSON.parse(l.toString()), { line: 1 }))).toEqual([]);
    expect(d.screen(l, 0, l.length)).toBe(false);
  });
});
