/**
 * The example logs (examples/, written by scripts/gen-examples.ts) and Ward's rule pack together:
 * the committed files are exactly what the generator produces, each file is recognised in its
 * layout, and — through the Sigma engine — every stage of the intrusion is detected on the host
 * where it happened while the two untouched workstations raise nothing.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { normalize, type WardEvent } from '../../src/normalize/index.js';
import * as detect from '../../src/detect/index.js';
import { generateExamples } from '../../scripts/examples/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const FILES = { 'windows-sysmon.jsonl': 'evtx-json', 'security-flat.jsonl': 'flat', 'ecs.ndjson': 'ecs' } as const;

const ICU = 'RVH-ICU-WS03.rvh.local';
const FS = 'RVH-FS01.rvh.local';
const DC = 'RVH-DC01.rvh.local';
const BENIGN = ['RVH-RAD-WS01.rvh.local', 'RVH-PHA-WS02.rvh.local'];

/** Storyline stage → rule (by its `name`) → hosts where it must fire. Mirrors examples/README.md. */
const EXPECTED: [stage: string, rule: string, hosts: string[]][] = [
  ['initial access', 'ward_office_child_shell', [ICU]],
  ['execution', 'ward_powershell_encoded_command', [ICU, FS]],
  ['command and control', 'ward_cobaltstrike_like_pipe', [ICU]],
  ['command and control', 'ward_rundll32_no_arguments', [ICU]],
  ['discovery', 'ward_recon_adfind', [ICU]],
  ['discovery', 'ward_recon_nltest', [ICU]],
  ['discovery', 'ward_recon_net_admin_groups', [ICU]],
  ['discovery', 'ward_recon_dsquery', [ICU]],
  ['credential access', 'ward_lsass_dump_comsvcs', [ICU]],
  ['credential access', 'ward_lsass_memory_access', [ICU, DC]],
  ['credential access', 'ward_lsass_dump_procdump', [DC]],
  ['lateral movement', 'ward_wmic_remote_process', [ICU]],
  ['lateral movement', 'ward_wmiprvse_child_shell', [FS]],
  ['lateral movement', 'ward_psexec_client_remote', [ICU]],
  ['lateral movement', 'ward_psexec_service_install', [DC]],
  ['lateral movement', 'ward_psexec_pipe', [DC]],
  ['chain', 'ward_chain_recon_credential_lateral', [ICU]],
  ['defence evasion', 'ward_defender_setmppreference_cmdline', [DC, FS]],
  ['defence evasion', 'ward_defender_setmppreference_scriptblock', [FS]],
  ['defence evasion', 'ward_defender_registry_tamper', [FS]],
  ['defence evasion', 'ward_defender_realtime_off_event', [DC, FS]],
  ['defence evasion', 'ward_sc_security_service_tamper', [FS]],
  ['remote access', 'ward_rdp_enabled_registry', [FS]],
  ['remote access', 'ward_logon_from_public_address', [FS]],
  ['impact', 'ward_shadow_copy_deletion', [FS]],
  ['impact', 'ward_backup_recovery_inhibit', [FS]],
  ['impact', 'ward_shadow_copy_deletion_powershell', [FS]],
  ['impact', 'ward_ransom_mass_file_creation', [FS]],
  ['log clearing', 'ward_security_log_cleared', [DC, FS]],
  ['log clearing', 'ward_eventlog_cleared_system', [FS]],
  ['log clearing', 'ward_wevtutil_clear_log', [DC, FS]],
];

function readEvents(file: string): WardEvent[] {
  const lines = readFileSync(join(EXAMPLES, file), 'utf8').split('\n');
  const out: WardEvent[] = [];
  lines.forEach((l, i) => {
    if (l) out.push(normalize(JSON.parse(l) as Record<string, unknown>, { file, line: i + 1 }));
  });
  return out;
}

/** rule name → id, from the pack itself */
function ruleIds(): Map<string, string> {
  const m = new Map<string, string>();
  const files = (readdirSync(join(ROOT, 'rules', 'windows'), { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f));
  for (const rel of files) {
    const f = join(ROOT, 'rules', 'windows', rel);
    for (const d of yaml.loadAll(readFileSync(f, 'utf8')) as { id: string; name?: string }[]) if (d.name) m.set(d.name, d.id);
  }
  return m;
}

describe('examples', () => {
  it('are up to date with scripts/gen-examples.ts (deterministic)', () => {
    const files = generateExamples();
    expect(files.map((f) => f.name).sort()).toEqual(Object.keys(FILES).sort());
    for (const f of files) {
      expect(readFileSync(join(EXAMPLES, f.name), 'utf8') === f.text, `${f.name} is stale: run npx tsx scripts/gen-examples.ts`).toBe(true);
    }
    const total = files.reduce((n, f) => n + f.events, 0);
    expect(total).toBeGreaterThan(300);
    expect(total).toBeLessThan(5000);
  });

  it.each(Object.entries(FILES))('%s is read as the %s layout, with host and time on every event', (file, layout) => {
    const events = readEvents(file);
    expect(events.length).toBeGreaterThan(50);
    for (const ev of events) {
      expect(ev.layout).toBe(layout);
      expect(ev.host).toMatch(/^RVH-[A-Z0-9-]+\.rvh\.local$/);
      expect(ev.timestamp).toBeGreaterThan(Date.parse('2026-03-13T00:00:00Z'));
      expect(typeof ev.get('EventID')).toBe('number');
      expect(typeof ev.get('Channel')).toBe('string');
    }
  });

  it('resolve Sigma field names across the three layouts', () => {
    const pick = (file: string, id: number) => readEvents(file).find((e) => e.get('EventID') === id)!;
    const sysmon = pick('windows-sysmon.jsonl', 1);
    const ecs = pick('ecs.ndjson', 1);
    for (const ev of [sysmon, ecs]) {
      expect(ev.get('Image')).toMatch(/^C:\\/);
      expect(ev.get('ParentImage')).toMatch(/^C:\\/);
      expect(typeof ev.get('CommandLine')).toBe('string');
      expect(ev.get('Channel')).toBe('Microsoft-Windows-Sysmon/Operational');
    }
    const flat = pick('security-flat.jsonl', 4624);
    expect(flat.get('Provider_Name')).toBe('Microsoft-Windows-Security-Auditing');
    expect(flat.get('Computer')).toMatch(/rvh\.local$/);
    expect(flat.get('LogonType')).toMatch(/^\d+$/);
  });
});

describe('Ward rule pack over the examples (Sigma engine)', () => {
  const api = detect as unknown as Record<string, unknown>;
  const ready = typeof api.loadRules === 'function' && typeof api.createSigmaDetector === 'function';
  const hits: { rule: string; host: string | undefined; layout?: string; timestamp?: number }[] = [];
  let problems: unknown[] = [];
  if (ready) {
    const loaded = (api.loadRules as (o: object) => { ruleset: unknown; problems: unknown[] })({ paths: [join(ROOT, 'rules', 'windows')], dirs: [join(ROOT, 'rules', 'windows')] });
    problems = loaded.problems;
    const detector = (api.createSigmaDetector as (r: unknown) => detect.Detector)(loaded.ruleset);
    const record = (ds: detect.Detection[], layout?: string) => {
      for (const d of ds) hits.push({ rule: d.rule.id, host: d.host ?? (d.correlation?.group?.Computer as string | undefined), layout, timestamp: d.timestamp });
    };
    for (const [file, layout] of Object.entries(FILES)) for (const ev of readEvents(file)) record(detector.process(ev), layout);
    record(detector.flush());
  }

  it.skipIf(!ready)('loads every rule of the pack without a problem', () => {
    expect(problems).toEqual([]);
  });

  const ids = ruleIds();
  it.skipIf(!ready).each(EXPECTED)('%s: %s fires on %j', (_stage, name, hosts) => {
    const id = ids.get(name);
    expect(id, `no rule named ${name}`).toBeDefined();
    const where = new Set(hits.filter((h) => h.rule === id).map((h) => h.host));
    for (const h of hosts) expect(where.has(h), `${name} on ${h}; fired on ${[...where].join(', ') || 'nothing'}`).toBe(true);
  });

  it.skipIf(!ready)('raises nothing on the workstations the intruder never touched', () => {
    const noisy = hits.filter((h) => h.host !== undefined && BENIGN.includes(h.host));
    expect(noisy).toEqual([]);
    expect(hits.length).toBeGreaterThan(EXPECTED.length);
  });

  it.skipIf(!ready)('raises nothing during the benign day, before the phishing e-mail is opened', () => {
    const start = Date.parse('2026-03-14T01:49:00Z');
    const early = hits.filter((h) => h.timestamp !== undefined && h.timestamp < start);
    expect(early).toEqual([]);
    expect(hits.every((h) => h.timestamp !== undefined)).toBe(true);
  });

  it.skipIf(!ready)('finds detections in each of the three layouts', () => {
    for (const layout of Object.values(FILES)) expect(hits.some((h) => h.layout === layout), layout).toBe(true);
  });

  it.skipIf(!ready)('correlation stage rules stay silent on their own (Sigma correlation "generate" defaults to false)', () => {
    for (const n of ['ward_chain_stage_recon', 'ward_chain_stage_credential', 'ward_chain_stage_lateral', 'ward_ransom_artifact_file']) {
      expect(hits.filter((h) => h.rule === ids.get(n))).toEqual([]);
    }
  });
});
