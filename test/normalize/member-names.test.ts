import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/normalize/index.js';
import { createSigmaDetector } from '../../src/detect/index.js';
import { load, rule } from '../sigma/helpers.js';

// Member names come from the log. Whatever they are — `__proto__`, `constructor`, `toString` —
// they are fields like any other: never a prototype setter, never an inherited value.
const evtx = JSON.parse(
  '{"Event":{"System":{"Provider":{"#attributes":{"Name":"P"}},"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","constructor":"c1"},' +
    '"EventData":{"__proto__":{"Image":"C:\\\\Windows\\\\evil.exe"},"toString":"t","CommandLine":"x"}}}',
);
const flat = JSON.parse('{"EventID":1,"Channel":"Security","__proto__":{"Image":"evil.exe"},"hasOwnProperty":"h"}');
const ecs = JSON.parse('{"@timestamp":"2026-01-01T00:00:00Z","event":{"code":"1"},"winlog":{"channel":"Security","event_data":{"__proto__":{"Image":"evil.exe"},"valueOf":"v"}}}');

describe('field names taken from the log', () => {
  it('evtx_dump JSON: a __proto__ member does not lend its members to the event', () => {
    const ev = normalize(evtx, { line: 1 });
    expect(ev.layout).toBe('evtx-json');
    expect(Object.getPrototypeOf(ev.fields)).toBe(null);
    expect(ev.get('Image')).toBeUndefined();
    expect(ev.get('__proto__')).toEqual({ Image: 'C:\\Windows\\evil.exe' });
    expect(ev.get('toString')).toBe('t');
    expect(ev.get('constructor')).toBe('c1');
    expect(ev.get('CommandLine')).toBe('x');
  });

  it('flat and ECS JSON: the same', () => {
    const f = normalize(flat, { line: 1 });
    expect(f.get('Image')).toBeUndefined();
    expect(f.get('hasOwnProperty')).toBe('h');
    expect(f.get('toString')).toBeUndefined();
    // dotted paths read own members only
    expect(f.get('constructor.name')).toBeUndefined();
    const e = normalize(ecs, { line: 1 });
    expect(e.layout).toBe('ecs');
    expect(e.get('Image')).toBeUndefined();
    expect(e.get('valueOf')).toBe('v');
  });

  it('a rule on Image does not match an event whose Image exists only inside __proto__', () => {
    const { ruleset } = load(rule('selection:\n  Image|endswith: \\evil.exe\ncondition: selection', 'product: windows\n  category: process_creation'));
    const det = createSigmaDetector(ruleset);
    expect(det.process(normalize(evtx, { line: 1 }))).toEqual([]);
    const real = JSON.parse(JSON.stringify(evtx).replace('"CommandLine"', '"Image":"C:\\\\Windows\\\\evil.exe","CommandLine"'));
    expect(det.process(normalize(real, { line: 1 }))).toHaveLength(1);
  });
});

describe('health layouts', () => {
  it('have fields without a prototype too', () => {
    const ev = normalize(
      JSON.parse('{"resourceType":"AuditEvent","type":{"code":"rest"},"recorded":"2026-01-01T00:00:00Z","agent":[{"who":{"display":"dr"},"requestor":true}],"source":{"observer":{"display":"ehr"}}}'),
      { line: 1 },
    );
    expect(ev.layout).toBe('fhir-audit');
    expect(ev.get('constructor')).toBeUndefined();
    expect(ev.get('toString')).toBeUndefined();
  });

  it('resolves a field written in another case, first spelling first, on the first absent field and after', () => {
    const rec = JSON.parse('{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"originalfilename":"a.exe","ORIGINALFILENAME":"b.exe","parentuser":"u","Image":"x"}}}');
    for (const order of [['OriginalFileName', 'ParentUser', 'Nothing'], ['Nothing', 'ParentUser', 'OriginalFileName']]) {
      const ev = normalize(rec, { line: 1 });
      const got = order.map((f) => ev.get(f));
      expect(Object.fromEntries(order.map((f, i) => [f, got[i]]))).toEqual({ OriginalFileName: 'a.exe', ParentUser: 'u', Nothing: undefined });
      expect(ev.get('image')).toBe('x');
    }
  });
});
