import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  mispEventToStix, mispFeedToStix, stixToMispEvent, validateObject, parsePattern, type MispAttribute, type StixObject,
} from '../../src/stix/index.js';

const fixture = (p: string) => JSON.parse(readFileSync(new URL(`../fixtures/stix/${p}`, import.meta.url), 'utf8'));
const event = fixture('misp-event.json');
const byUuid = (list: MispAttribute[]) => [...list].sort((a, b) => a.uuid.localeCompare(b.uuid));

describe('MISP event → STIX 2.1', () => {
  const { objects, report } = mispEventToStix(event);
  const get = (id: string) => objects.find((o) => o.id === id)!;

  it('produces valid STIX objects only', () => {
    for (const o of objects) expect(validateObject(o).errors, o.id).toEqual([]);
  });
  it('maps to_ids attributes to indicators with patterns, others to observed-data', () => {
    expect(get('indicator--a0000001-0000-4000-8000-000000000001').pattern).toBe("[file:hashes.MD5 = '0123456789abcdef0123456789abcdef']");
    expect(get('indicator--a0000001-0000-4000-8000-000000000003').pattern).toBe("[file:name = 'invoice.exe' AND file:hashes.MD5 = 'fedcba9876543210fedcba9876543210']");
    expect(get('indicator--a0000001-0000-4000-8000-000000000005').pattern).toBe("[ipv6-addr:value = '2001:db8:bad::/48']");
    expect(get('indicator--a0000001-0000-4000-8000-000000000006').pattern).toBe("[ipv4-addr:value = '203.0.113.9' AND network-traffic:dst_port = 8443]");
    expect(get('indicator--a0000001-0000-4000-8000-000000000009').pattern).toBe("[url:value = 'https://evil-updates.example/payload?id=1\\'2']");
    for (const o of objects) if (o.type === 'indicator') expect(() => parsePattern(o.pattern as string)).not.toThrow();
    const od = get('observed-data--a0000001-0000-4000-8000-000000000008');
    expect(od.object_refs).toEqual(['domain-name--' + (objects.find((o) => o.type === 'domain-name')!.id as string).split('--')[1]]);
    expect(objects.find((o) => o.type === 'domain-name')!.value).toBe('c2.evil-updates.example');
    expect(objects.find((o) => o.type === 'autonomous-system')!.number).toBe(64500);
  });
  it('keeps MISP metadata, tags and TLP', () => {
    const ind = get('indicator--a0000001-0000-4000-8000-000000000001');
    expect(ind).toMatchObject({ x_misp_category: 'Payload delivery', x_misp_comment: 'dropper', x_misp_to_ids: true, labels: ['kill-chain:Delivery'], created: '2024-05-02T12:00:01.000Z', created_by_ref: 'identity--55f6ea5e-2c60-40e5-964f-47a8950d210f' });
    // tlp:amber on the event → the TLP 2.0 AMBER marking on what the event holds.
    expect(ind.object_marking_refs).toEqual(['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
    expect(get('report--5e7a1c2d-0b1e-4c6a-9d7e-1f2a3b4c5d6e')).toMatchObject({ name: 'Ransomware campaign against hospital "Ward 3"', published: '2024-05-02T00:00:00.000Z' });
  });
  it('never drops an attribute: unmapped ones are kept and reported', () => {
    const total = event.Event.Attribute.length + event.Event.Object.reduce((n: number, o: { Attribute: unknown[] }) => n + o.Attribute.length, 0);
    expect(report.attributes).toBe(total);
    expect(report.unmapped.map((u) => u.type).sort()).toEqual(['ip-dst', 'object:person', 'size-in-bytes', 'text', 'vulnerability']);
    const rep = get('report--5e7a1c2d-0b1e-4c6a-9d7e-1f2a3b4c5d6e');
    expect((rep.x_misp_attributes as MispAttribute[]).map((a) => a.type).sort()).toEqual(['ip-dst', 'text', 'vulnerability']);
    expect(report.mapped.md5).toEqual({ indicator: 1 });
    expect(report.mapped.hostname).toEqual({ 'observed-data': 1 });
    expect(report.mapped['object:file']).toEqual({ indicator: 1 });
    expect(get('indicator--b0000001-0000-4000-8000-000000000001').pattern).toBe(`[file:name = 'locker.dll' AND file:hashes.'SHA-256' = '${'cd'.repeat(32)}']`);
  });
  it('rejects what is not a MISP event', () => {
    expect(() => mispEventToStix({ foo: 1 })).toThrow(/not a MISP event/);
  });
});

describe('MISP round trips', () => {
  it('MISP → STIX → MISP keeps every attribute and the event metadata', () => {
    const { objects } = mispEventToStix(event);
    const back = stixToMispEvent(JSON.parse(JSON.stringify(objects)) as StixObject[]).event.Event;
    const { Attribute: a0, Object: o0, ...meta0 } = event.Event;
    const { Attribute: a1, Object: o1, ...meta1 } = back;
    expect(meta1).toEqual(meta0);
    expect(byUuid(a1!)).toEqual(byUuid(a0));
    expect(o1).toEqual(o0);
  });
  it('STIX → MISP → STIX keeps indicators (ids, patterns) of foreign bundles', () => {
    const ts = '2024-01-01T00:00:00.000Z';
    const mk = (n: number, pattern: string, extra: Record<string, unknown> = {}): StixObject => ({
      type: 'indicator', spec_version: '2.1', id: `indicator--${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`, created: ts, modified: ts,
      pattern, pattern_type: 'stix', valid_from: ts, ...extra,
    });
    const bundle = [
      mk(1, "[domain-name:value = 'evil.example']", { labels: ['malicious-activity'] }),
      mk(2, "[ipv4-addr:value = '10.9.8.7']"),
      mk(3, "[file:hashes.'SHA-256' = '" + 'ef'.repeat(32) + "']"),
      mk(4, "[process:command_line MATCHES 'vssadmin.+delete'] FOLLOWEDBY [file:name = 'README.txt']", { name: 'Shadow copies deleted then note' }),
      { type: 'malware', spec_version: '2.1', id: 'malware--00000009-0000-4000-8000-000000000000', created: ts, modified: ts, name: 'X', is_family: true },
    ];
    const { event: ev, report } = stixToMispEvent({ objects: bundle });
    expect(ev.Event.Attribute!.map((a) => [a.type, a.value])).toEqual([
      ['domain', 'evil.example'], ['ip-dst', '10.9.8.7'], ['sha256', 'ef'.repeat(32)], ['stix2-pattern', bundle[3].pattern],
    ]);
    expect(ev.Event.Attribute![0].Tag).toEqual([{ name: 'malicious-activity' }]);
    expect(report.unmapped).toEqual([{ id: 'malware--00000009-0000-4000-8000-000000000000', type: 'malware', reason: expect.stringContaining('no MISP') }]);
    const again = mispEventToStix(ev).objects.filter((o) => o.type === 'indicator');
    expect(again.map((o) => [o.id, o.pattern])).toEqual(bundle.slice(0, 3).map((o) => [o.id, o.pattern]));
    // stix2-pattern has no STIX mapping of its own: it is kept, not dropped.
    const rep = mispEventToStix(ev).objects.find((o) => o.type === 'report')!;
    expect((rep.x_misp_attributes as MispAttribute[])[0].value).toBe(bundle[3].pattern);
  });
});

describe('MISP feeds', () => {
  const dir = new URL('../fixtures/stix/misp-feed/', import.meta.url);
  const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');
  const events = new Map(readdirSync(dir).filter((f) => /^[0-9a-f-]{36}\.json$/.test(f)).map((f) => [f.slice(0, 36), JSON.parse(read(f))]));
  it('imports every event listed by manifest.json and checks hashes.csv', () => {
    const r = mispFeedToStix({ manifest: JSON.parse(read('manifest.json')), events, hashesCsv: read('hashes.csv') });
    expect(r.problems).toEqual([]);
    expect(r.reports.map((x) => x.event).sort()).toEqual([...events.keys()].sort());
    expect(r.hashCounts.get('6f8b2d3e-1c2f-4d7b-8e8f-2a3b4c5d6e7f')).toBe(2);
    expect(r.objects.some((o) => o.pattern === "[domain-name:value = 'login-portal.example']")).toBe(true);
  });
  it('reports missing events and bad hash lines', () => {
    const manifest = { ...JSON.parse(read('manifest.json')), '00000000-0000-4000-8000-000000000000': { info: 'gone' } };
    const r = mispFeedToStix({ manifest, events, hashesCsv: read('hashes.csv') + 'nothex,abc\n' });
    expect(r.problems.map((p) => p.code).sort()).toEqual(['bad-hash-line', 'missing-event']);
    expect(r.problems.find((p) => p.code === 'bad-hash-line')!.line).toBe(read('hashes.csv').trim().split('\n').length + 1);
  });
});
