import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

const dir = tempDir('ward-hunt-');
const rules = join(dir, 'rules');
execFileSync('mkdir', ['-p', rules]);
writeFileSync(
  join(rules, 'whoami.yml'),
  `title: Whoami run
id: 77777777-0000-4000-8000-000000000001
level: high
tags: [attack.discovery, attack.t1033]
logsource: {product: windows, category: process_creation}
detection:
  sel:
    Image|endswith: '\\whoami.exe'
  condition: sel
`,
);
const sysmon = (n: number, image: string) =>
  JSON.stringify({ Event: { System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 1, EventRecordID: n, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS1', TimeCreated: { '#attributes': { SystemTime: '2024-01-01T00:00:0' + n + 'Z' } } }, EventData: { Image: image, CommandLine: image } } });

describe('ward hunt', { timeout: 240_000 }, () => {
  const logs = join(dir, 'logs');
  execFileSync('mkdir', ['-p', logs]);
  writeFileSync(join(logs, 'a.jsonl'), [sysmon(1, 'C:\\Windows\\System32\\cmd.exe'), '{broken json', 'x'.repeat(2000), sysmon(2, 'C:\\Windows\\System32\\whoami.exe')].join('\n') + '\n');
  writeFileSync(join(logs, 'b.json.gz'), gzipSync(JSON.stringify([JSON.parse(sysmon(3, 'C:\\x\\whoami.exe'))], null, 2)));
  writeFileSync(join(logs, 'garbage.bin'), Buffer.from([0, 1, 2, 3, 255, 254]));

  it('writes the jsonl contract, reports bad lines with file and line, keeps going', () => {
    const r = cli(['hunt', logs, '--rules', rules, '--format', 'jsonl', '--max-line-bytes', '1000']);
    expect(r.status).toBe(1);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatchObject({ rule: { id: '77777777-0000-4000-8000-000000000001', title: 'Whoami run', level: 'high', tags: ['attack.discovery', 'attack.t1033'] }, host: 'WS1', source: { file: join(logs, 'a.jsonl'), line: 4 }, fields: { Image: 'C:\\Windows\\System32\\whoami.exe' } });
    expect(hits[0].timestamp).toBe('2024-01-01T00:00:02.000Z');
    expect(hits[1].source.file).toBe(join(logs, 'b.json.gz'));
    expect(r.stderr).toMatch(/a\.jsonl, line 2: \[json\.syntax\]/);
    expect(r.stderr).toMatch(/a\.jsonl, line 3: \[json\.too-long\]/);
    expect(r.stderr).toMatch(/garbage\.bin: \[input\.format\]/);
  });
  it('csv, json, table, min-level and output file', () => {
    const csv = cli(['hunt', logs, '--rules', rules, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe('timestamp,level,rule_id,rule_title,host,file,line,record,attack,fields');
    expect(csv.stdout.trim().split('\n')).toHaveLength(3);
    const json = cli(['hunt', logs, '--rules', rules, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toHaveLength(2);
    const none = cli(['hunt', logs, '--rules', rules, '--format', 'jsonl', '--min-level', 'critical']);
    expect(none.status).toBe(0);
    expect(none.stdout).toBe('');
    const out = join(dir, 'hits.jsonl');
    const w = cli(['hunt', logs, '--rules', rules, '--output', out]);
    expect(w.status).toBe(1);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
  });
  it('summary by default; same hits with worker threads', () => {
    const s = cli(['hunt', logs, '--rules', rules]);
    expect(s.stdout).toMatch(/2 detections/);
    expect(s.stdout).toMatch(/Whoami run/);
    const t = cli(['hunt', logs, '--rules', rules, '--threads', '2', '--format', 'jsonl']);
    expect(t.stdout.trim().split('\n').map((l) => JSON.parse(l).source.file).sort()).toEqual([join(logs, 'a.jsonl'), join(logs, 'b.json.gz')].sort());
  });
  it('with worker threads: correlations span the workers\' files; rule problems reported once; nothing runnable exits 2', () => {
    const corrRules = join(dir, 'corr-rules');
    execFileSync('mkdir', ['-p', corrRules]);
    writeFileSync(join(corrRules, 'whoami.yml'), readFileSync(join(rules, 'whoami.yml')));
    writeFileSync(
      join(corrRules, 'twice.yml'),
      `title: Whoami twice on one host
id: 77777777-0000-4000-8000-000000000002
level: critical
correlation:
  type: event_count
  rules: [77777777-0000-4000-8000-000000000001]
  group-by: [Computer]
  timespan: 1h
  condition: {gte: 2}
`,
    );
    writeFileSync(join(corrRules, 'broken.yml'), 'title: [unclosed\n');
    for (const threads of ['1', '2']) {
      const r = cli(['hunt', logs, '--rules', corrRules, '--threads', threads, '--format', 'jsonl']);
      const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      // the two whoami events are in different files, so with two threads in different workers
      expect(hits.filter((h) => h.correlation).map((h) => [h.rule.id, h.correlation.count])).toEqual([['77777777-0000-4000-8000-000000000002', 2]]);
      expect(r.stderr.match(/broken\.yml/g)).toHaveLength(1);
    }
    const empty = join(dir, 'only-broken');
    execFileSync('mkdir', ['-p', empty]);
    writeFileSync(join(empty, 'broken.yml'), 'title: [unclosed\n');
    const none = cli(['hunt', logs, '--rules', empty, '--threads', '2']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no runnable rules/);
  });
  it('matches STIX indicators with --intel and writes sightings', () => {
    const intel = join(dir, 'intel.json');
    writeFileSync(
      intel,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects: [
          { type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'C2', pattern: "[ipv4-addr:value = '203.0.113.5']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z' },
        ],
      }),
    );
    const net = join(dir, 'net.jsonl');
    writeFileSync(net, JSON.stringify({ Event: { System: { EventID: 3, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS9' }, EventData: { DestinationIp: '203.0.113.5' } } }) + '\n' + JSON.stringify({ Event: { System: { EventID: 3, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS9' }, EventData: { DestinationIp: '198.51.100.1' } } }) + '\n');
    const sightings = join(dir, 'sightings.json');
    const r = cli(['hunt', net, '--rules', rules, '--intel', intel, '--format', 'jsonl', '--sightings', sightings]);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: 'intel', rule: { id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, source: { line: 1 } });
    const bundle = JSON.parse(readFileSync(sightings, 'utf8'));
    expect(bundle.objects[0]).toMatchObject({ type: 'sighting', sighting_of_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', count: 1 });
  });
  it('--analytics reports snooping found in simulated hospital audit logs', () => {
    const sim = join(dir, 'sim');
    expect(cli(['simulate', '--out', sim, '--seed', '11', '--days', '1', '--beds', '40', '--scenarios', '4']).status).toBe(0);
    const site = join(sim, 'site.yaml');
    writeFileSync(site, 'analytics:\n  reference:\n    roster: hospital/staff.csv\n    patients: hospital/patients.csv\n    careTeams: hospital/encounters.csv\n');
    const r = cli(['hunt', join(sim, 'fhir'), join(sim, 'ehr'), join(sim, 'hl7'), '--rules', rules, '--analytics', site, '--format', 'jsonl']);
    const hits = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const analytics = hits.filter((h) => h.kind === 'analytics');
    expect(analytics.length).toBeGreaterThan(0);
    expect(analytics.every((h) => typeof h.explanation === 'string' && h.explanation.length > 20)).toBe(true);
  });
  it('exits 2 on missing input', () => {
    expect(cli(['hunt', join(dir, 'nope'), '--rules', rules]).status).toBe(2);
  });
  it('runs the built-in rule pack over the shipped examples', () => {
    const r = cli(['hunt', 'examples', '--format', 'jsonl', '--min-level', 'critical']);
    expect(r.status).toBe(1);
    const titles = new Set(r.stdout.trim().split('\n').map((l) => JSON.parse(l).rule.title));
    expect(titles.size).toBeGreaterThan(2);
  });
});
