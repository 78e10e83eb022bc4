import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WardError, packageRoot } from '../../util/index.js';
import { SCENARIOS, simulate } from '../../sim/index.js';

function int(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new WardError('usage.bad-option', `--${name} must be an integer >= ${min} (got "${v}")`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Simulate a hospital\'s telemetry (Windows/Sysmon, FHIR AuditEvent, ATNA, HL7 ADT, EHR access, DNS/proxy) with labelled attack scenarios')
    .requiredOption('--out <dir>', 'output folder (created)')
    .option('--seed <n>', 'PRNG seed: the same seed gives the same output', int('seed', 0), 1)
    .option('--days <n>', 'simulated days', int('days', 1), 7)
    .option('--beds <n>', 'hospital size in beds (staff, patients and machines scale with it)', int('beds', 10), 500)
    .option('--scenarios <list>', 'comma-separated scenarios to inject: 1 ransomware, 2 credential phishing, 3 bulk FHIR $export + PACS theft, 4 insider snooping; "none" for benign only', '1,2,3,4')
    .option('--start <date>', 'first simulated day (YYYY-MM-DD, UTC)', '2026-03-02')
    .option('--synthea <dir>', 'seed patient demographics from Synthea FHIR bundles (default: ../shared/datasets/synthea-r4-sample when present)')
    .addHelpText('after', `
Output: windows/events.jsonl (evtx_dump JSON), fhir/audit.ndjson, atna/pacs-audit.log (RFC 5424 +
DICOM audit XML), hl7/adt.hl7, ehr/access.csv, network/{dns,proxy}.jsonl, hospital/ (staff, patients,
lists, placeholders.yaml), labels.jsonl (ground truth: scenario, stage, file, line, time) and
manifest.json. Hunt it with the site lists the rules expand:
  ward hunt DIR --placeholders DIR/hospital/placeholders.yaml

Scenarios and stages:
${Object.entries(SCENARIOS).map(([k, v]) => `  ${k} ${v.name}: ${v.stages.join(k === '4' ? ', ' : ' → ')}`).join('\n')}

Example: ward simulate --out /tmp/sim --seed 7 --days 7 --beds 500 --scenarios 1,2,3`)
    .action((o: { out: string; seed: number; days: number; beds: number; scenarios: string; start: string; synthea?: string }) => {
      const scenarios = o.scenarios === 'none' || o.scenarios === '' ? [] : o.scenarios.split(',').map((s) => Number(s.trim()));
      for (const s of scenarios) if (!SCENARIOS[s]) throw new WardError('usage.bad-option', `--scenarios: unknown scenario "${s}" (known: ${Object.keys(SCENARIOS).join(', ')}, or none)`);
      let synthea = o.synthea;
      if (synthea === undefined) {
        const shared = join(packageRoot(), '..', 'shared', 'datasets', 'synthea-r4-sample');
        if (existsSync(shared)) synthea = shared;
      }
      const r = simulate({ out: o.out, seed: o.seed, days: o.days, beds: o.beds, scenarios, start: o.start, synthea });
      const total = Object.values(r.files).reduce((a, b) => a + b, 0);
      process.stdout.write(`ward simulate: ${r.hospital.name}, ${o.beds} beds, ${r.hospital.staff.length} staff, ${r.hospital.patients.length} patients, ${o.days} day(s) from ${r.start.slice(0, 10)}\n`);
      for (const [f, n] of Object.entries(r.files)) process.stdout.write(`  ${f.padEnd(24)} ${n}\n`);
      process.stdout.write(`  ${total} events, ${r.labels.length} labelled (labels.jsonl) in ${o.out}\n`);
    });
}
