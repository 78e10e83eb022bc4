import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalize, type WardEvent } from '../../src/normalize/index.js';
import { createIntelDetector, detectionEvidence, detectionsToSightings, detectionToSighting, retroHunt, retroHuntAsync, type Detection } from '../../src/detect/index.js';
import { scoId, validateObject, type StixObject } from '../../src/stix/index.js';

const bundle = JSON.parse(readFileSync(new URL('../fixtures/intel/indicators.json', import.meta.url), 'utf8')) as { objects: StixObject[] };
let line = 0;
const ev = (fields: Record<string, unknown>): WardEvent => normalize({ Channel: 'Microsoft-Windows-Sysmon/Operational', UtcTime: '2024-06-01 10:00:00.000', Computer: 'ws-ward3', ...fields }, { file: 'test.jsonl', line: ++line });
const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const det = createIntelDetector(bundle.objects);
const names = (ds: Detection[]) => ds.map((d) => d.rule.title).sort();

describe('intel detector: loading', () => {
  it('sorts indicators into indexed sets, matcher and skipped, and says why it skipped', () => {
    expect(det.stats()).toEqual({ indicators: 15, simple: 12, complex: 2, multi: 1, skipped: 3 });
    expect(det.problems.map((p) => p.code).sort()).toEqual(['revoked', 'unmapped-path', 'unsupported-pattern-type']);
  });
});

describe('intel detector: IOC matching on events', () => {
  it('file hashes from the Sysmon Hashes field, any letter case', () => {
    const d = det.process(ev({ EventID: 1, Image: 'C:\\Users\\a\\AppData\\Local\\Temp\\upd.exe', Hashes: `SHA1=AAAA,MD5=0000,SHA256=${SHA},IMPHASH=1` }));
    expect(names(d)).toEqual(['Locker payload']);
    expect(d[0]).toMatchObject({
      kind: 'intel',
      rule: { id: 'indicator--00000001-0000-4000-8000-000000000000', level: 'high', tags: ['attack.execution', 'attack.t1204.002'] },
      fields: { Hashes: SHA },
      host: 'ws-ward3',
      loc: { file: 'test.jsonl' },
    });
    expect(d[0].explanation).toContain("file:hashes.'SHA-256'");
    expect(names(det.process(ev({ md5: 'D41D8CD98F00B204E9800998ECF8427E' })))).toEqual(['Empty file hashes']);
    expect(names(det.process(ev({ Hashes: 'SHA1=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709' })))).toEqual(['Empty file hashes']);
    expect(det.process(ev({ Hashes: `SHA256=${SHA.replace('9', '8')}` }))).toEqual([]);
  });
  it('IPv4 addresses and CIDR blocks (ISSUBSET and = with a block)', () => {
    expect(names(det.process(ev({ EventID: 3, DestinationIp: '198.51.100.23', SourceIp: '10.0.0.5' })))).toEqual(['C2 address']);
    expect(det.process(ev({ DestinationIp: '198.51.100.24' }))).toEqual([]);
    expect(names(det.process(ev({ DestinationIp: '203.0.113.250' })))).toEqual(['Bulletproof hosting range']);
    expect(det.process(ev({ DestinationIp: '203.0.114.1' }))).toEqual([]);
    expect(names(det.process(ev({ IpAddress: '::ffff:10.20.30.40' })))).toEqual(['Internal pivot block']);
    const d = det.process(ev({ SourceIp: '203.0.113.7' }));
    expect(d[0].fields).toEqual({ SourceIp: '203.0.113.7' });
    expect(d[0].explanation).toContain('/24 block');
  });
  it('IPv6 CIDR blocks', () => {
    expect(names(det.process(ev({ DestinationIp: '2001:db8:bad:1::5' })))).toEqual(['Bad v6 block']);
    expect(names(det.process(ev({ DestinationIp: '2001:0DB8:0BAD:ffff:ffff:ffff:ffff:ffff' })))).toEqual(['Bad v6 block']);
    expect(det.process(ev({ DestinationIp: '2001:db8:bae::1' }))).toEqual([]);
  });
  it('domains and their subdomains, not look-alikes', () => {
    expect(names(det.process(ev({ EventID: 22, QueryName: 'evil-updates.example' })))).toEqual(['Update lure domain']);
    const sub = det.process(ev({ QueryName: 'CDN.eu.Evil-Updates.example.' }));
    expect(names(sub)).toEqual(['Update lure domain']);
    expect(sub[0].explanation).toContain('(subdomain)');
    expect(det.process(ev({ QueryName: 'notevil-updates.example' }))).toEqual([]);
    expect(det.process(ev({ QueryName: 'evil-updates.example.net' }))).toEqual([]);
    expect(names(det.process(ev({ EventID: 3, DestinationHostname: 'a.evil-updates.example' })))).toEqual(['Update lure domain']);
  });
  it('URLs, e-mail addresses, file names (basename, any case) and command lines', () => {
    expect(names(det.process(ev({ Url: 'https://files.example.org/invoice.zip' })))).toEqual(['Payload URL']);
    expect(det.process(ev({ Url: 'https://files.example.org/invoice.zip?x=1' }))).toEqual([]);
    expect(names(det.process(ev({ Sender: 'billing@evil-updates.example' })))).toEqual(['Phish sender']);
    expect(names(det.process(ev({ EventID: 1, Image: 'C:\\Tools\\MimiKatz.EXE' })))).toEqual(['Credential dumping tools']);
    expect(names(det.process(ev({ EventID: 11, TargetFilename: 'D:\\dump\\procdump64.exe' })))).toEqual(['Credential dumping tools']);
    expect(names(det.process(ev({ CommandLine: 'vssadmin.exe delete shadows /all /quiet' })))).toEqual(['Shadow copy deletion']);
  });
  it('complex patterns go to the matcher', () => {
    const d = det.process(ev({ EventID: 1, Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: 'powershell -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIAA=' }));
    expect(names(d)).toEqual(['Encoded PowerShell']);
    expect(names(det.process(ev({ Image: 'C:\\x\\invoice.exe', Hashes: 'MD5=FEDCBA9876543210FEDCBA9876543210' })))).toEqual(['Invoice dropper']);
    expect(det.process(ev({ Image: 'C:\\x\\invoice.exe', Hashes: 'MD5=00000000000000000000000000000000' }))).toEqual([]);
  });
  it('multi-observation patterns (FOLLOWEDBY … WITHIN) over successive events', () => {
    const d2 = createIntelDetector(bundle.objects);
    const at = (t: string, f: Record<string, unknown>) => normalize({ UtcTime: t, Computer: 'ws1', ...f }, { file: 'seq.jsonl', line: ++line });
    expect(d2.process(at('2024-06-01 10:00:00.000', { TargetFilename: 'C:\\t\\stage2.exe' }))).toEqual([]);
    expect(d2.process(at('2024-06-01 10:01:00.000', { QueryName: 'stage1.example' }))).toEqual([]);
    expect(names(d2.process(at('2024-06-01 10:03:00.000', { TargetFilename: 'C:\\t\\stage2.exe' })))).toEqual(['Two-stage download']);
    // Too late for the 300 s window.
    const d3 = createIntelDetector(bundle.objects);
    d3.process(at('2024-06-01 10:00:00.000', { QueryName: 'stage1.example' }));
    expect(d3.process(at('2024-06-01 10:06:00.000', { TargetFilename: 'C:\\t\\stage2.exe' }))).toEqual([]);
    expect(d3.flush()).toEqual([]);
  });
  it('ignores revoked indicators, and expired ones for events after valid_until', () => {
    expect(det.process(ev({ QueryName: 'revoked.example' }))).toEqual([]);
    expect(det.process(ev({ QueryName: 'expired.example' }))).toEqual([]);
    const old = normalize({ UtcTime: '2024-01-15 00:00:00.000', QueryName: 'expired.example' }, { file: 'old.jsonl', line: 1 });
    expect(names(det.process(old))).toEqual(['Expired']);
    expect(createIntelDetector(bundle.objects, { ignoreValidity: true }).process(ev({ QueryName: 'expired.example' })).length).toBe(1);
  });
  it('a newer version replaces an indicator; a revoked newer version removes it', () => {
    const base = bundle.objects.find((o) => o.id === 'indicator--00000003-0000-4000-8000-000000000000')!;
    const d = createIntelDetector([base, { ...base, modified: '2024-03-01T00:00:00.000Z', name: 'C2 address v2' }]);
    expect(names(d.process(ev({ DestinationIp: '198.51.100.23' })))).toEqual(['C2 address v2']);
    d.add([{ ...base, modified: '2024-04-01T00:00:00.000Z', revoked: true }]);
    expect(d.process(ev({ DestinationIp: '198.51.100.23' }))).toEqual([]);
    expect(d.stats().indicators).toBe(0);
    // An older version arriving after the revocation does not resurrect it.
    d.add([{ ...base, modified: '2024-03-15T00:00:00.000Z' }]);
    expect(d.process(ev({ DestinationIp: '198.51.100.23' }))).toEqual([]);
  });
  it('levels follow confidence and indicator types', () => {
    const lvl = (title: string) => det.process(ev({ DestinationIp: '198.51.100.23', Image: 'C:\\mimikatz.exe', md5: 'd41d8cd98f00b204e9800998ecf8427e' })).find((d) => d.rule.title === title)?.rule.level;
    expect(lvl('C2 address')).toBe('medium');
    expect(lvl('Credential dumping tools')).toBe('medium');
    expect(lvl('Empty file hashes')).toBe('low');
  });
  it('one detection per indicator and event, with every matched field', () => {
    const d = det.process(ev({ DestinationIp: '198.51.100.23', SourceIp: '198.51.100.23' }));
    expect(d.length).toBe(1);
    expect(d[0].fields).toEqual({ DestinationIp: '198.51.100.23', SourceIp: '198.51.100.23' });
  });
  it('subdomain matching can be turned off', () => {
    const exact = createIntelDetector(bundle.objects, { subdomains: false });
    expect(exact.process(ev({ QueryName: 'a.evil-updates.example' }))).toEqual([]);
    expect(exact.process(ev({ QueryName: 'evil-updates.example' })).length).toBe(1);
  });
});

describe('sightings and retro-hunt', () => {
  it('turns detections into valid STIX sightings', () => {
    const events = [ev({ DestinationIp: '198.51.100.23', UtcTime: '2024-06-01 10:00:00.000' }), ev({ DestinationIp: '198.51.100.23', UtcTime: '2024-06-02 11:00:00.000' })];
    const ds = events.flatMap((e) => det.process(e));
    const identity = 'identity--00000000-0000-4000-8000-00000000beef';
    const [s] = detectionsToSightings(ds, { whereSightedRef: identity, now: new Date('2024-06-03T00:00:00Z') });
    expect(s).toMatchObject({ sighting_of_ref: 'indicator--00000003-0000-4000-8000-000000000000', count: 2, first_seen: '2024-06-01T10:00:00.000Z', last_seen: '2024-06-02T11:00:00.000Z', where_sighted_refs: [identity] });
    expect(validateObject(s).errors).toEqual([]);
    const one = detectionToSighting(ds[0]);
    expect(one.count).toBe(1);
    expect(one.description).toContain('DestinationIp=198.51.100.23');
    expect(validateObject(one).errors).toEqual([]);
  });
  it('builds observed-data evidence from the event, referenced by the sighting', () => {
    const [d] = det.process(ev({ EventID: 3, DestinationIp: '198.51.100.23', SourceIp: '10.0.0.5', Image: 'C:\\x\\beacon.exe' }));
    const evd = detectionEvidence(d)!;
    expect(evd.objects.map((o) => [o.type, o.value ?? o.name]).sort()).toEqual([['file', 'beacon.exe'], ['ipv4-addr', '10.0.0.5'], ['ipv4-addr', '198.51.100.23']]);
    // Deterministic SCO ids (§2.9): the same address always gets the same id.
    expect(evd.objects.find((o) => o.value === '198.51.100.23')!.id).toBe(scoId('ipv4-addr', { value: '198.51.100.23' }));
    for (const o of [evd.observedData, ...evd.objects]) expect(validateObject(o).errors).toEqual([]);
    const s = detectionToSighting(d, { observedDataRefs: [evd.observedData.id] });
    expect(s.observed_data_refs).toEqual([evd.observedData.id]);
    expect(validateObject(s).errors).toEqual([]);
  });
  it('runs new indicators over events already read', () => {
    const events = [ev({ QueryName: 'x.evil-updates.example' }), ev({ QueryName: 'fine.example' }), ev({ DestinationIp: '203.0.113.1' })];
    const hits = [...retroHunt(bundle.objects, events)];
    expect(hits.map((h) => [h.loc?.line, h.rule.title])).toEqual([[events[0].loc.line, 'Update lure domain'], [events[2].loc.line, 'Bulletproof hosting range']]);
    expect([...retroHunt([], events)]).toEqual([]);
  });
  it('retro-hunts an async stream of events', async () => {
    async function* stream() {
      yield ev({ Sender: 'billing@evil-updates.example' });
      yield ev({ Sender: 'someone@hospital.example' });
    }
    const titles: string[] = [];
    for await (const d of retroHuntAsync(bundle.objects, stream())) titles.push(d.rule.title);
    expect(titles).toEqual(['Phish sender']);
  });
});
