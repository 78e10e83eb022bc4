import { CITIES, FAMILY, GIVEN_F, GIVEN_M, STREETS } from './names.js';
import type { Address, Department, Host, Hospital, Patient, Role, Staff } from './model.js';
import type { Rng } from './prng.js';

export interface HospitalConfig {
  beds: number;
  name: string;
  domain: string;
  /** demographics to seed patients with (e.g. from Synthea bundles); the rest is generated */
  seedPatients?: Omit<Patient, 'mrn' | 'vip'>[];
}

/** Share of beds per inpatient department (sums to 1). */
const INPATIENT: [string, string, number][] = [
  ['MED', 'Internal Medicine', 0.26], ['SUR', 'Surgery', 0.17], ['CAR', 'Cardiology', 0.12], ['ONC', 'Oncology', 0.1],
  ['ICU', 'Intensive Care', 0.07], ['PED', 'Pediatrics', 0.08], ['MAT', 'Maternity', 0.08], ['NEU', 'Neurology', 0.07], ['ORT', 'Orthopedics', 0.05],
];
const SUPPORT: [string, string, Department['kind']][] = [
  ['ED', 'Emergency', 'emergency'], ['RAD', 'Radiology', 'support'], ['LAB', 'Laboratory', 'support'], ['PHA', 'Pharmacy', 'support'],
  ['REG', 'Registration', 'admin'], ['HIM', 'Health Information Management', 'admin'], ['IT', 'Information Technology', 'admin'],
  ['ADM', 'Administration', 'admin'], ['RES', 'Research and Analytics', 'admin'],
];

/** Staff per bed by role, and where they work. */
const STAFFING: [Role, number, string[] | 'inpatient'][] = [
  ['physician', 0.22, 'inpatient'], ['physician', 0.04, ['ED']], ['nurse', 0.8, 'inpatient'], ['nurse', 0.1, ['ED']],
  ['radiologist', 0.02, ['RAD']], ['radiographer', 0.04, ['RAD']], ['lab-tech', 0.06, ['LAB']], ['pharmacist', 0.03, ['PHA']],
  ['clerk', 0.05, ['REG', 'ED']], ['him', 0.015, ['HIM']], ['it-admin', 0.015, ['IT']], ['admin', 0.03, ['ADM']], ['researcher', 0.01, ['RES']],
];

function address(rng: Rng): Address {
  const [city, postalCode] = rng.pick(CITIES);
  return { number: rng.int(1, 120), street: rng.pick(STREETS), city, postalCode };
}

function birthDate(rng: Rng, minAge: number, maxAge: number, year = 2026): string {
  const y = year - rng.int(minAge, maxAge);
  return `${y}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

export function buildHospital(cfg: HospitalConfig, rng: Rng): Hospital {
  const departments: Department[] = [];
  let subnet = 1;
  for (const [code, name, share] of INPATIENT) departments.push({ code, name, kind: 'inpatient', beds: Math.max(2, Math.round(cfg.beds * share)), subnet: subnet++ });
  for (const [code, name, kind] of SUPPORT) departments.push({ code, name, kind, beds: 0, subnet: subnet++ });
  const inpatientCodes = departments.filter((d) => d.kind === 'inpatient').map((d) => d.code);

  // Workstations: shared clinical PCs, roughly one per 6 beds, plus a few per support unit.
  const workstations: Host[] = [];
  const adDomain = 'hosp.local';
  for (const d of departments) {
    const n = d.kind === 'inpatient' ? Math.max(2, Math.round(d.beds / 6)) : d.kind === 'emergency' ? Math.max(4, Math.round(cfg.beds / 40)) : Math.max(2, Math.round(cfg.beds / 100));
    for (let i = 1; i <= n; i++) {
      const name = `WS-${d.code}-${String(i).padStart(2, '0')}`;
      workstations.push({ name, fqdn: `${name}.${adDomain}`.toLowerCase(), ip: `10.20.${d.subnet}.${10 + i}`, kind: 'workstation', dept: d.code, aeTitle: d.code === 'RAD' ? `RADWS${String(i).padStart(2, '0')}` : undefined });
    }
  }
  const server = (name: string, ip: string, kind: Host['kind'] = 'server', aeTitle?: string): Host => ({ name, fqdn: `${name}.${adDomain}`.toLowerCase(), ip, kind, aeTitle });
  const servers: Hospital['servers'] = {
    dc1: server('DC01', '10.10.0.10', 'dc'), dc2: server('DC02', '10.10.0.11', 'dc'), fs: server('FS01', '10.10.0.20'),
    ehrApp: server('EHR-APP01', '10.10.1.10'), ehrDb: server('EHR-DB01', '10.10.1.11'), fhir: server('FHIR01', '10.10.1.20'),
    pacs: server('PACS01', '10.10.2.10', 'server', 'PACS01'), vna: server('VNA01', '10.10.2.11', 'server', 'VNA01'),
    integration: server('INT01', '10.10.1.30'), analytics: server('ANALYTICS01', '10.10.3.15'), backup: server('BKP01', '10.10.0.30'),
    mail: server('MAIL01', '10.10.0.40'),
  };
  const knownAeTitles = ['PACS01', 'VNA01', 'CT01', 'CT02', 'MR01', 'US01', 'CR01', 'MG01', ...workstations.filter((w) => w.aeTitle).map((w) => w.aeTitle as string)];

  // Staff
  const staff: Staff[] = [];
  const users = new Set<string>();
  let providerSeq = 1000;
  for (const [role, perBed, where] of STAFFING) {
    const count = Math.max(role === 'physician' || role === 'nurse' ? 4 : 1, Math.round(cfg.beds * perBed));
    for (let i = 0; i < count; i++) {
      const female = rng.chance(role === 'nurse' ? 0.8 : 0.5);
      const given = rng.pick(female ? GIVEN_F : GIVEN_M);
      const family = rng.pick(FAMILY);
      let user = `${given[0]}${family}`.toLowerCase().replace(/[^a-z]/g, '');
      for (let k = 2; users.has(user); k++) user = `${given[0]}${family}${k}`.toLowerCase().replace(/[^a-z0-9]/g, '');
      users.add(user);
      const dept = where === 'inpatient' ? rng.pick(inpatientCodes) : rng.pick(where);
      const ws = workstations.map((w, idx) => (w.dept === dept ? idx : -1)).filter((x) => x >= 0);
      staff.push({
        id: `E${String(staff.length + 1).padStart(5, '0')}`, user, given, family, role, dept,
        providerId: role === 'physician' || role === 'radiologist' ? `D${++providerSeq}` : undefined,
        status: rng.chance(0.02) ? 'terminated' : 'active',
        address: address(rng), birthDate: birthDate(rng, 23, 66), workstations: ws.length ? rng.sample(ws, 3) : [0],
      });
    }
  }

  // Patients: a catchment population, some seeded from external demographics.
  const patients: Patient[] = [];
  const nPatients = Math.max(200, cfg.beds * 20);
  const mrn = (): string => `MRN${String(1000000 + patients.length * 7 + 3).padStart(7, '0')}`;
  for (const p of cfg.seedPatients ?? []) {
    if (patients.length >= nPatients) break;
    patients.push({ ...p, mrn: mrn(), vip: false });
  }
  while (patients.length < nPatients) {
    const sex = rng.chance(0.5) ? 'F' : 'M';
    patients.push({ mrn: mrn(), given: rng.pick(sex === 'F' ? GIVEN_F : GIVEN_M), family: rng.pick(FAMILY), sex, birthDate: birthDate(rng, 0, 95), address: address(rng), vip: false });
  }
  // Employees as patients (self / coworker records) and their families (same surname, same address).
  for (const s of staff) {
    if (rng.chance(0.15)) {
      const p: Patient = { mrn: mrn(), given: s.given, family: s.family, sex: GIVEN_F.includes(s.given) ? 'F' : 'M', birthDate: s.birthDate, address: s.address, vip: false, employeeId: s.id };
      s.patientMrn = p.mrn;
      patients.push(p);
    }
    if (rng.chance(0.2)) {
      for (let k = rng.int(1, 2); k > 0; k--) {
        const sex = rng.chance(0.5) ? 'F' : 'M';
        patients.push({ mrn: mrn(), given: rng.pick(sex === 'F' ? GIVEN_F : GIVEN_M), family: s.family, sex, birthDate: birthDate(rng, 0, 85), address: s.address, vip: false, familyOf: s.id });
      }
    }
  }
  // VIPs: public figures whose records draw curious eyes.
  for (const p of rng.sample(patients.filter((x) => !x.employeeId && !x.familyOf), Math.max(3, Math.round(nPatients * 0.002)))) p.vip = true;

  return { name: cfg.name, domain: cfg.domain, adDomain, netbios: 'HOSP', departments, staff, patients, workstations, servers, knownAeTitles, beds: cfg.beds };
}

export const isNeighbour = (a: Address, b: Address): boolean => a.street === b.street && a.city === b.city && Math.abs(a.number - b.number) <= 4;
