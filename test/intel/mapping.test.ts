import { describe, expect, it } from 'vitest';
import { compileMapping, createIntelDetector, defaultMapping, pathKey, parseObjectPath } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';
import type { StixObject } from '../../src/stix/index.js';

const TS = '2024-01-01T00:00:00.000Z';
const ind = (pattern: string): StixObject => ({ type: 'indicator', spec_version: '2.1', id: 'indicator--00000001-0000-4000-8000-000000000000', created: TS, modified: TS, pattern, pattern_type: 'stix', valid_from: TS, name: 'x' });

describe('STIX field mapping (data/mappings/stix.yaml)', () => {
  it('canonical path keys ignore quoting', () => {
    expect(pathKey(parseObjectPath("file:hashes.'MD5'"))).toBe(pathKey(parseObjectPath('file:hashes.MD5')));
    expect(pathKey(parseObjectPath("email-message:to_refs[*].value"))).toBe('email-message:to_refs[*].value');
  });
  it('the default mapping covers the paths the issue names', () => {
    const keys = defaultMapping().map((m) => m.key);
    for (const k of ['file:hashes.SHA-256', 'file:hashes.MD5', 'file:hashes.SHA-1', 'ipv4-addr:value', 'ipv6-addr:value', 'domain-name:value', 'url:value', 'file:name', 'process:command_line', 'email-addr:value']) {
      expect(keys).toContain(k);
    }
  });
  it('rejects bad mapping documents with the entry that is wrong', () => {
    expect(() => compileMapping({})).toThrow(/"paths" list/);
    expect(() => compileMapping({ paths: [{ path: 'file:', fields: [] }] })).toThrow(/paths\[0\]\.path/);
    expect(() => compileMapping({ paths: [{ path: 'file:name', normalize: 'upper', fields: [] }] })).toThrow(/normalize/);
    expect(() => compileMapping({ paths: [{ path: 'file:name', fields: [{ field: 'x', transform: 'rot13' }] }] })).toThrow(/transform/);
  });
  it('a custom mapping changes what events are read (behaviour as data)', () => {
    const mapping = compileMapping({ paths: [{ path: 'domain-name:value', normalize: 'domain', fields: ['dns.rrname'] }, { path: 'file:name', normalize: 'lower', fields: [{ field: 'proc', extract: '([^|]+)\\|', transform: 'basename' }] }] });
    const det = createIntelDetector([ind("[domain-name:value = 'evil.example']")], { mapping });
    expect(det.process(normalize({ 'dns.rrname': 'x.evil.example' }, { line: 1 })).length).toBe(1);
    expect(det.process(normalize({ QueryName: 'x.evil.example' }, { line: 2 })).length).toBe(0);
    const det2 = createIntelDetector([{ ...ind("[file:name = 'tool.exe']") }], { mapping });
    expect(det2.process(normalize({ proc: 'C:\\bin\\TOOL.exe|1234' }, { line: 3 })).length).toBe(1);
  });
  it('the fast path for [path = value] agrees with the parser (escapes, spacing, quoting)', () => {
    const values = ["it's", 'back\\slash', "both \\' mixed", 'plain', '  spaced  '];
    const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    for (const v of values) {
      for (const shape of [`[url:value = '${esc(v)}']`, `[ url : value == '${esc(v)}' ]`, `[url:'value' = '${esc(v)}']`]) {
        const det = createIntelDetector([ind(shape)]);
        expect(det.stats().simple, shape).toBe(1);
        expect(det.process(normalize({ Url: v }, { line: 5 })).length, shape).toBe(1);
        expect(det.process(normalize({ Url: v + 'x' }, { line: 6 })).length, shape).toBe(0);
      }
    }
    const bad = createIntelDetector([ind("[url:value = 'x'"), { ...ind("[url:value = 'a\\q']"), id: 'indicator--00000002-0000-4000-8000-000000000000' }]);
    expect(bad.problems.map((p) => p.code)).toEqual(['pattern-unexpected-end', 'pattern-bad-literal']);
  });
  it('armAllPaths reads every mapped field but matches the same', () => {
    const a = createIntelDetector([ind("[ipv4-addr:value = '192.0.2.1']")]);
    const b = createIntelDetector([ind("[ipv4-addr:value = '192.0.2.1']")], { armAllPaths: true });
    const e = normalize({ DestinationIp: '192.0.2.1', QueryName: 'a.example', Image: 'C:\\x.exe' }, { line: 4 });
    expect(a.process(e).length).toBe(1);
    expect(b.process(e).length).toBe(1);
    expect(createIntelDetector([], { armAllPaths: true }).process(e)).toEqual([]);
  });
});
