import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIntel, createIntelDetector } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/intel/${p}`, import.meta.url));

describe('loadIntel', () => {
  it('reads a STIX bundle file', () => {
    const r = loadIntel(fx('indicators.json'));
    expect(r.problems).toEqual([]);
    expect(r.files).toBe(1);
    expect(r.indicators.length).toBe(18);
  });
  it('reads folders recursively: bundles, object lists, MISP events and MISP feeds; reports bad files with path and reason', () => {
    const dir = fx('dir');
    const r = loadIntel([dir]);
    // broken.json (syntax), other.json (not intel), bad-objects.json objects[1] (bad pattern).
    const byCode = Object.fromEntries(r.problems.map((p) => [p.code, p]));
    expect(Object.keys(byCode).sort()).toEqual(['bad-json', 'not-intel', 'stix-pattern-unexpected-token']);
    expect(byCode['bad-json'].location).toMatchObject({ file: join(dir, 'broken.json'), line: 3 });
    expect(byCode['not-intel'].location.file).toBe(join(dir, 'other.json'));
    expect(byCode['stix-pattern-unexpected-token'].location.file).toBe(join(dir, 'bad-objects.json'));
    expect(byCode['stix-pattern-unexpected-token'].message).toContain('indicator--00000003-0000-4000-8000-0000000000bb objects[1].pattern');
    expect(byCode['stix-pattern-unexpected-token'].message).toContain('position 21');
    const ids = new Set(r.indicators.map((i) => i.id));
    expect(ids.has('indicator--00000002-0000-4000-8000-0000000000bb')).toBe(true);
    // the MISP event (nested/) and the feed's two events
    expect(ids.has('indicator--a0000001-0000-4000-8000-000000000007')).toBe(true);
    expect(ids.has('indicator--c0000001-0000-4000-8000-000000000001')).toBe(true);
    // STIX 2.0 bundle: read as 2.1 (spec_version, pattern_type, labels → *_types).
    const old = r.indicators.find((i) => i.id === 'indicator--00000001-0000-4000-8000-0000000000cc')!;
    expect(old).toMatchObject({ spec_version: '2.1', pattern_type: 'stix', indicator_types: ['malicious-activity'], labels: ['malicious-activity'] });
    expect(r.objects.find((o) => o.type === 'malware')).toMatchObject({ is_family: true, malware_types: ['ransomware'] });
    // loaded intel matches events
    const det = createIntelDetector(r.indicators);
    const hits = det.process(normalize({ QueryName: 'www.login-portal.example' }, { file: 'x', line: 1 }));
    expect(hits.map((h) => h.rule.id)).toEqual(['indicator--c0000001-0000-4000-8000-000000000001']);
  });
  it('reports paths that do not exist and keeps going', () => {
    const r = loadIntel([fx('nope.json'), fx('indicators.json')]);
    expect(r.problems.map((p) => p.code)).toEqual(['not-found']);
    expect(r.indicators.length).toBe(18);
  });
});
