import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, createSigmaDetector, runFile } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';
import { tempDir } from '../support/tmp.js';
import { RULES, ruleset, problems, screen, hits, event, line } from './raw-fixtures.js';

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
  it('reads past lines with enormous Channel or EventID values (a hostile line once stopped the file)', async () => {
    const dir = tempDir('ward-raw-huge-');
    const f = join(dir, 'events.jsonl');
    const big = 'a'.repeat(600_000);
    const evil = '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\\\x\\\\evil.exe","CommandLine":"x -enc AAAA"}}}';
    const lines = [
      `{"Event":{"System":{"EventID":1,"Channel":"${big}"},"EventData":{"Image":"x"}}}`,
      `{"Event":{"System":{"EventID":"${'1'.repeat(300_000)}","Channel":"Security"},"EventData":{"Image":"x"}}}`,
      `{"Event":{"System":{"EventID":1,"Channel":"S\\u0065curity${big}"},"EventData":{"Image":"x"}}}`,
      evil,
    ];
    writeFileSync(f, lines.join('\n') + '\n');
    const d = createSigmaDetector(ruleset);
    let events = 0;
    const found: number[] = [];
    const problems: string[] = [];
    for await (const u of runFile(f, [d])) {
      events += u.events;
      for (const x of u.detections) found.push(x.loc?.line ?? -1);
      for (const p of u.problems) problems.push(p.message);
    }
    expect(problems).toEqual([]);
    expect(events).toBe(4);
    expect(found).toEqual([4]);
    expect(d.screenFaults).toBe(0);
  });

  it('matches keywords in lists hundreds of thousands long or thousands deep, and reads on', async () => {
    const dir = tempDir('ward-raw-lists-');
    const f = join(dir, 'events.jsonl');
    const many = JSON.stringify(Array.from({ length: 300_000 }, (_, i) => (i === 5 ? 'ransom' : `v${i}`)));
    let deep = '"ransom"';
    for (let i = 0; i < 3000; i++) deep = `[${deep}]`;
    const lines = [
      `{"Event":{"System":{"EventID":7045,"Channel":"System"},"EventData":{"Data":${many}}}}`,
      `{"Event":{"System":{"EventID":7045,"Channel":"System"},"EventData":{"Foo":${deep}}}}`,
      '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\\\x\\\\evil.exe","CommandLine":"x -enc AAAA"}}}',
    ];
    writeFileSync(f, lines.join('\n') + '\n');
    for (const screenOn of [true, false]) {
      let events = 0;
      const found: string[] = [];
      const problems: string[] = [];
      for await (const u of runFile(f, [createSigmaDetector(ruleset)], { screen: screenOn })) {
        events += u.events;
        for (const x of u.detections) found.push(`${x.rule.title}:${x.loc?.line}`);
        for (const p of u.problems) problems.push(p.message);
      }
      expect(problems).toEqual([]);
      expect(events).toBe(3);
      expect(found.sort()).toEqual(['r0:3', 'r6:1', 'r6:2']);
    }
  });

  it('still reports an event whose other field nests past the stack (once it blinded every rule on it)', async () => {
    let deep = '{"k":"ransom"}';
    for (let i = 0; i < 20_000; i++) deep = `{"a":${deep}}`;
    const f = join(tempDir('ward-raw-deep-'), 'events.jsonl');
    writeFileSync(f, `{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\\\x\\\\evil.exe","CommandLine":"x -enc AAAA ransom","Deep":${deep}}}}\n`);
    for (const screenOn of [true, false]) {
      const found: string[] = [];
      const problems: string[] = [];
      for await (const u of runFile(f, [createSigmaDetector(ruleset)], { screen: screenOn })) {
        for (const d of u.detections) found.push(d.rule.title);
        for (const p of u.problems) problems.push(p.message);
      }
      expect(problems).toEqual([]);
      expect(found.sort()).toEqual(['r0', 'r6']);
    }
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
