import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, createSigmaDetector } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';
import { tempDir } from '../support/tmp.js';

/**
 * Rules and generated evtx_dump lines shared by the raw screen's tests (raw-screen.test.ts: the
 * screen against the engine; raw-walk.test.ts: the screen's walk against its general path).
 */
// A rule set exercising every way a raw value reaches a field: EventData, System attributes
// (Provider_Name), #text, aliases (4688 NewProcessName → Image), names with spaces, UserData, the
// unnamed Data list (keywords), EventID/Channel clauses, an OR over EventIDs, and a `not` rule.
export const RULES = [
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
export const { ruleset, problems } = loadRules({ paths: [file], pipelines: ['windows'] });
const det = createSigmaDetector(ruleset);
export const screen = (line: string) => {
  const b = Buffer.from(line, 'utf8');
  return det.screen(b, 0, b.length) !== false;
};
export const hits = (line: string) => det.process(normalize(JSON.parse(line), { line: 1 })).length;

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
// with look-alikes of the rules' names (same length, same first bytes: the native screen knows a
// name it met before by its length and first and last bytes, native/walk.c name_of)
const dataKey = fc.constantFrom('Image', 'CommandLine', 'ParentImage', 'NewProcessName', 'ParentProcessName', 'TargetObject', 'Threat Name', 'LogonType', 'TargetUserName', 'param1', 'Details', 'Channel', 'EventID', 'Imagf', 'CommandLind', 'ParentImagd', 'NewProcessNamf', 'TargetObjecu', 'LogonTypd', 'TargetUserNamf', 'param2');
export const event = fc.record({
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

export function line(e: fc.Arbitrary<unknown> extends never ? never : Record<string, any>): string {
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

// Edits that keep a line valid (whitespace, escapes, non-ASCII names and values) or break it
// (quotes, brackets, control characters, truncation) at any place.
export const edit = fc.record({
  at: fc.nat(),
  kind: fc.nat({ max: 4 }),
  ch: fc.constantFrom(' ', '\n', '\t', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '\u0001', 'a', '0', '-', '.', 'Ω', '😀'),
});
export const renames: [string, string][] = [
  ['"Image"', '"Im\\u0061ge"'],
  ['"Image"', '"Ïmage"'],
  ['"EventID"', '"Event\\u0049D"'],
  ['"Channel"', '"channel"'],
  ['"EventData"', '"EventDat\\u0061"'],
  ['"System"', '"Sys\\u0074em"'],
  ['"#text"', '"#Text"'],
  ['"Event"', '"Event" '],
];

export function mutate(text: string, edits: { at: number; kind: number; ch: string }[]): string {
  let t = text;
  for (const e of edits) {
    const i = e.at % (t.length + 1);
    if (e.kind === 0) t = t.slice(0, i) + e.ch + t.slice(i);
    else if (e.kind === 1) t = t.slice(0, i) + e.ch + t.slice(i + 1);
    else if (e.kind === 2) t = t.slice(0, i) + t.slice(i + 1);
    else if (e.kind === 3) {
      const [from, to] = renames[e.at % renames.length];
      t = t.replace(from, to);
    } else t = t.slice(0, i);
  }
  return t;
}

/** The screen's answer for a line, as text: `false`, `true` or the candidate rules `[i,j,…]`. */
export function verdictOf(d: { screen(b: Uint8Array, s: number, e: number): boolean | Int32Array }, text: string | Buffer): string {
  const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const r = d.screen(b, 0, b.length);
  return r instanceof Int32Array ? `[${r.join(',')}]` : String(r);
}

/**
 * Two screens must answer alike on generated and damaged lines (property, 4,000 lines a run);
 * returns how often each kind of answer came, so the caller can check none was starved.
 */
export function agreeOnGenerated(
  a: { screen(b: Uint8Array, s: number, e: number): boolean | Int32Array },
  b: { screen(b: Uint8Array, s: number, e: number): boolean | Int32Array },
  check: (got: string, want: string) => void,
): Map<string, number> {
  const seen = new Map<string, number>();
  fc.assert(
    fc.property(event, fc.array(edit, { maxLength: 3 }), (e, edits) => {
      const text = mutate(line(e), edits);
      const v = verdictOf(a, text);
      check(v, verdictOf(b, text));
      const k = v.startsWith('[') ? 'rules' : v;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }),
    { numRuns: 4000 },
  );
  return seen;
}
