/**
 * Ward's rule pack on real recorded attacks: ../shared/datasets/evtx-attack-samples (public
 * EVTX-ATTACK-SAMPLES converted to JSONL). Each case names a sample file of that set and a rule of
 * the pack that must fire on it. Skipped when ../shared is absent (a user's fresh clone).
 */
import { describe, expect, it } from 'vitest';
import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { normalize } from '../../src/normalize/index.js';
import * as detect from '../../src/detect/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLES = join(ROOT, '..', 'shared', 'datasets', 'evtx-attack-samples', 'evtx-attack-samples.jsonl');
const api = detect as unknown as Record<string, unknown>;
const ready = existsSync(SAMPLES) && typeof api.loadRules === 'function' && typeof api.createSigmaDetector === 'function';

const CASES: [rule: string, sample: string][] = [
  ['ward_lsass_dump_comsvcs', 'Credential Access/sysmon_10_1_memdump_comsvcs_minidump.evtx'],
  ['ward_lsass_memory_access', 'Credential Access/sysmon_10_11_lsass_memdump.evtx'],
  ['ward_lsass_memory_access', 'Credential Access/sysmon_2x10_lsass_with_different_pid_RtlCreateProcessReflection.evtx'],
  ['ward_lsass_memory_access', 'Credential Access/sysmon_10_lsass_mimikatz_sekurlsa_logonpasswords.evtx'],
  ['ward_psexec_pipe', 'Defense Evasion/DE_renamed_psexec_service_sysmon_17_18.evtx'],
  ['ward_psexec_pipe', 'Privilege Escalation/sysmon_privesc_psexec_dwell.evtx'],
  ['ward_wmiprvse_child_shell', 'Lateral Movement/LM_wmiexec_impacket_sysmon_whoami.evtx'],
  ['ward_security_log_cleared', 'Defense Evasion/DE_1102_security_log_cleared.evtx'],
  ['ward_eventlog_cleared_system', 'Defense Evasion/DE_104_system_log_cleared.evtx'],
  ['ward_rdp_enabled_registry', 'Defense Evasion/sysmon_13_rdp_settings_tampering.evtx'],
  ['ward_shadow_copy_deletion', 'AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx'],
  ['ward_backup_recovery_inhibit', 'AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx'],
  ['ward_rundll32_no_arguments', 'Execution/Sysmon_meterpreter_ReflectivePEInjection_to_notepad_.evtx'],
];

function ruleIds(): Map<string, string> {
  const m = new Map<string, string>();
  const dir = join(ROOT, 'rules', 'windows');
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    if (!/\.ya?ml$/.test(rel)) continue;
    for (const d of yaml.loadAll(readFileSync(join(dir, rel), 'utf8')) as { id: string; name?: string }[]) if (d.name) m.set(d.name, d.id);
  }
  return m;
}

describe.skipIf(!ready)('Ward rule pack on EVTX-ATTACK-SAMPLES (../shared)', () => {
  it('fires on the recorded attacks it is written for', async () => {
    const loaded = (api.loadRules as (o: object) => { ruleset: unknown })({ paths: [join(ROOT, 'rules', 'windows')] });
    const detector = (api.createSigmaDetector as (r: unknown) => detect.Detector)(loaded.ruleset);
    const hitsBySample = new Map<string, Set<string>>();
    let line = 0;
    for await (const l of createInterface({ input: createReadStream(SAMPLES), crlfDelay: Infinity })) {
      line++;
      if (!l) continue;
      const rec = JSON.parse(l) as Record<string, unknown>;
      for (const d of detector.process(normalize(rec, { file: SAMPLES, line }))) {
        const s = String(rec._file);
        if (!hitsBySample.has(s)) hitsBySample.set(s, new Set());
        hitsBySample.get(s)!.add(d.rule.id);
      }
    }
    detector.flush();
    const ids = ruleIds();
    const missed = CASES.filter(([rule, sample]) => !hitsBySample.get(sample)?.has(ids.get(rule) ?? '?'));
    expect(missed).toEqual([]);
  });
});

if (!ready) describe('Ward rule pack on EVTX-ATTACK-SAMPLES', () => it.skip('../shared/datasets/evtx-attack-samples absent: skipped', () => {}));
