/**
 * sim/: the hospital simulator behind `ward simulate`. Deterministic for a seed: the same options
 * give byte-identical output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { buildHospital } from './hospital.js';
import { Output, STREAM_FILES, type LabelLine } from './out.js';
import { Rng } from './prng.js';
import { loadSyntheaPatients } from './synthea.js';
import { generateClinical } from './benign/clinical.js';
import { generateIt } from './benign/it.js';
import { generateAdmin } from './benign/admin.js';
import { ransomware, RANSOMWARE_STAGES } from './scenarios/ransomware.js';
import { phishing, PHISHING_STAGES } from './scenarios/phishing.js';
import { bulkExport, EXPORT_STAGES } from './scenarios/exfil.js';
import { snooping, SNOOPING_CATEGORIES } from './scenarios/snooping.js';
import { DAY, type SimContext } from './context.js';
import type { Hospital } from './model.js';
import type { Encounter } from './context.js';

export type { Hospital, Staff, Patient, Department, Host } from './model.js';
export type { LabelLine, Label } from './out.js';
export { STREAM_FILES } from './out.js';
export { Rng } from './prng.js';

export const SCENARIOS: Record<number, { name: string; stages: readonly string[] }> = {
  1: { name: 'ransomware', stages: RANSOMWARE_STAGES },
  2: { name: 'credential-phishing', stages: PHISHING_STAGES },
  3: { name: 'bulk-export', stages: EXPORT_STAGES },
  4: { name: 'snooping', stages: SNOOPING_CATEGORIES },
};

export interface SimulateOptions {
  out: string;
  seed: number;
  days: number;
  beds: number;
  scenarios: number[];
  /** first simulated day, ISO date (default 2026-03-02, a Monday) */
  start?: string;
  hospitalName?: string;
  domain?: string;
  /** Synthea FHIR bundles to seed patient demographics from (optional) */
  synthea?: string;
}

export interface SimulateResult {
  files: Record<string, number>;
  labels: LabelLine[];
  hospital: Hospital;
  start: string;
}

export function simulate(o: SimulateOptions): SimulateResult {
  if (!Number.isInteger(o.days) || o.days < 1) throw new Error('days must be a positive integer');
  if (!Number.isInteger(o.beds) || o.beds < 10) throw new Error('beds must be an integer >= 10');
  for (const s of o.scenarios) if (!SCENARIOS[s]) throw new Error(`unknown scenario ${s} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  const root = new Rng(o.seed);
  const start = Date.parse(`${o.start ?? '2026-03-02'}T00:00:00Z`);
  if (Number.isNaN(start)) throw new Error(`bad start date ${o.start}`);
  const h = buildHospital({ beds: o.beds, name: o.hospitalName ?? "St Mary's General Hospital", domain: o.domain ?? 'stmarys-hospital.org', seedPatients: loadSyntheaPatients(o.synthea) }, root.fork('hospital'));
  const out = new Output();
  const c: SimContext = { h, out, rng: root.fork('clinical'), start, days: o.days, encounters: [], byUser: new Map(h.staff.map((s) => [s.user, s])), byMrn: new Map(h.patients.map((p) => [p.mrn, p])) };
  generateClinical(c);
  generateIt({ ...c, rng: root.fork('it') });
  generateAdmin({ ...c, rng: root.fork('admin') });
  // Scenarios happen on different days when the simulation is long enough.
  const day = (k: number): number => Math.min(o.days - 1, k);
  if (o.scenarios.includes(1)) ransomware({ ...c, rng: root.fork('s1') }, day(Math.floor(o.days / 2)));
  if (o.scenarios.includes(2)) phishing({ ...c, rng: root.fork('s2') }, day(1));
  if (o.scenarios.includes(3)) bulkExport({ ...c, rng: root.fork('s3') }, day(Math.max(0, o.days - 2)));
  if (o.scenarios.includes(4)) snooping({ ...c, rng: root.fork('s4') });

  mkdirSync(o.out, { recursive: true });
  const { files, labels } = out.write(o.out);
  writeHospital(o.out, h);
  writeEncounters(o.out, c.encounters, start, start + o.days * DAY);
  writeFileSync(join(o.out, 'manifest.json'), JSON.stringify({
    generator: 'ward simulate', seed: o.seed, days: o.days, beds: o.beds, scenarios: o.scenarios, start: new Date(start).toISOString(), end: new Date(start + o.days * DAY).toISOString(),
    files, labels: labels.length, streams: STREAM_FILES,
    scenarioStages: Object.fromEntries(o.scenarios.map((s) => [s, SCENARIOS[s]])),
  }, null, 2) + '\n');
  return { files, labels, hospital: h, start: new Date(start).toISOString() };
}

/** The hospital's reference data: rosters, patient index, lists the analytics and rules tune on. */
function writeHospital(dir: string, h: Hospital): void {
  const d = join(dir, 'hospital');
  mkdirSync(d, { recursive: true });
  const csv = (rows: (string | number | boolean | undefined)[][]): string => rows.map((r) => r.map((v) => {
    const s = v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',')).join('\n') + '\n';
  writeFileSync(join(d, 'staff.csv'), csv([
    ['staff_id', 'user', 'given', 'family', 'role', 'department', 'provider_id', 'status', 'street', 'city', 'postal_code', 'birth_date', 'patient_mrn'],
    ...h.staff.map((s) => [s.id, s.user, s.given, s.family, s.role, s.dept, s.providerId, s.status, `${s.address.number} ${s.address.street}`, s.address.city, s.address.postalCode, s.birthDate, s.patientMrn]),
  ]));
  writeFileSync(join(d, 'patients.csv'), csv([
    ['mrn', 'given', 'family', 'sex', 'birth_date', 'street', 'city', 'postal_code', 'vip', 'employee_id', 'family_of_staff'],
    ...h.patients.map((p) => [p.mrn, p.given, p.family, p.sex, p.birthDate, `${p.address.number} ${p.address.street}`, p.address.city, p.address.postalCode, p.vip, p.employeeId, p.familyOf]),
  ]));
  writeFileSync(join(d, 'hospital.yaml'), yaml.dump({
    name: h.name, domain: h.domain, adDomain: h.adDomain, netbios: h.netbios, beds: h.beds,
    departments: h.departments.map((x) => ({ code: x.code, name: x.name, kind: x.kind, beds: x.beds, subnet: `10.20.${x.subnet}.0/24` })),
    servers: Object.fromEntries(Object.entries(h.servers).map(([k, v]) => [k, { name: v.name, fqdn: v.fqdn, ip: v.ip, aeTitle: v.aeTitle }])),
    workstations: h.workstations.map((w) => ({ name: w.name, ip: w.ip, dept: w.dept, aeTitle: w.aeTitle })),
    knownAeTitles: h.knownAeTitles,
    vipPatients: h.patients.filter((p) => p.vip).map((p) => p.mrn),
    terminatedAccounts: h.staff.filter((s) => s.status === 'terminated').map((s) => s.user),
    serviceAccounts: [{ user: 'svc-population-health', client: 'PopulationHealthETL', network: '10.10.3.15/32', schedule: 'daily 02:00-02:30 UTC' }],
  }, { lineWidth: 160 }));
  // Site lists for the rule packs' |expand placeholders: ward hunt DIR --placeholders hospital/placeholders.yaml
  writeFileSync(join(d, 'placeholders.yaml'), yaml.dump({
    terminated_accounts: h.staff.filter((s) => s.status === 'terminated').map((s) => s.user),
    dicom_known_ae_titles: h.knownAeTitles,
  }, { lineWidth: 160 }));
}

/**
 * Care relationships as the simulator knows them (ground truth for explanation-based auditing):
 * each encounter overlapping the simulated period with its attending physician and assigned
 * nurses. ADT carries the attending (PV1-7); nurse assignments live only here, as in real EHRs
 * where they come from the nursing roster rather than from ADT.
 */
function writeEncounters(dir: string, encounters: Encounter[], from: number, to: number): void {
  const rows = ['visit,mrn,department,kind,admitted,discharged,attending_user,attending_provider_id,nurse_users'];
  for (const e of encounters) {
    if (e.discharged < from || e.admitted >= to) continue;
    rows.push([e.visit, e.mrn, e.dept, e.kind, new Date(e.admitted).toISOString(), new Date(e.discharged).toISOString(), e.attending.user, e.attending.providerId ?? '', e.nurses.map((n) => n.user).join(';')].join(','));
  }
  writeFileSync(join(dir, 'hospital', 'encounters.csv'), rows.join('\n') + '\n');
}
