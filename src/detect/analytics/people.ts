import { readFileSync } from 'node:fs';
import { parseCsvRecord } from '../../sources/index.js';
import { WardError } from '../../util/index.js';

/** What the snooping signals compare: names, birth date, home address, phone. */
export interface Person {
  family?: string;
  given?: string;
  birth?: string;
  /** street name without the house number, lower case */
  street?: string;
  houseNo?: number;
  postal?: string;
  phone?: string;
}

export interface StaffInfo extends Person {
  user: string;
  role?: string;
  dept?: string;
  providerId?: string;
  /** the employee's own patient record */
  patientMrn?: string;
}

export interface PatientInfo extends Person {
  vip?: boolean;
}

const norm = (s: string | undefined): string | undefined => {
  const v = s?.trim().toLowerCase().replace(/\s+/g, ' ');
  return v ? v : undefined;
};

/** `117 Birch Rd` → number 117, street `birch rd` (house-number-first, as US/UK addresses). */
export function splitStreet(line: string | undefined): { street?: string; houseNo?: number } {
  const s = norm(line);
  if (!s) return {};
  const m = /^(\d+)[a-z]?\s+(.+)$/.exec(s);
  return m ? { houseNo: Number(m[1]), street: m[2] } : { street: s };
}

/** `Family, Given` (EHR logs, HL7 XPN order) or `Given Family` (FHIR display). */
export function splitName(name: string | undefined): { family?: string; given?: string } {
  const s = name?.trim();
  if (!s) return {};
  const comma = s.indexOf(',');
  if (comma >= 0) return { family: norm(s.slice(0, comma)), given: norm(s.slice(comma + 1)) };
  const i = s.lastIndexOf(' ');
  return i < 0 ? { family: norm(s) } : { given: norm(s.slice(0, i)), family: norm(s.slice(i + 1)) };
}

export function person(p: { family?: string; given?: string; birth?: string; street?: string; postal?: string; phone?: string }): Person {
  const out: Person = { family: norm(p.family), given: norm(p.given), birth: p.birth?.replace(/-/g, '').trim() || undefined, postal: norm(p.postal), phone: p.phone?.replace(/\D/g, '') || undefined };
  Object.assign(out, splitStreet(p.street));
  return out;
}

/** Fills the gaps of `into` from `from` (a log row never erases what the roster or ADT said). */
export function mergePerson<T extends Person>(into: T, from: Person): T {
  for (const k of Object.keys(from) as (keyof Person)[]) if (from[k] !== undefined && into[k] === undefined) (into as Person)[k] = from[k] as never;
  return into;
}

export const sameAddress = (a: Person, b: Person): boolean =>
  !!a.street && a.street === b.street && a.houseNo === b.houseNo && (!a.postal || !b.postal || a.postal === b.postal);

export const samePhone = (a: Person, b: Person): boolean => !!a.phone && a.phone.length >= 6 && a.phone === b.phone;

/** Same street and postal code, house numbers at most `gap` apart, not the same house. */
export function neighbours(a: Person, b: Person, gap: number): boolean {
  if (!a.street || a.street !== b.street || !a.postal || a.postal !== b.postal) return false;
  if (a.houseNo === undefined || b.houseNo === undefined) return false;
  const d = Math.abs(a.houseNo - b.houseNo);
  return d > 0 && d <= gap;
}

/** Rows of a CSV file with a header, as column name (lower case) → value. */
export function readCsvObjects(path: string): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new WardError('analytics.reference', `cannot read reference file: ${(err as Error).message}`, { file: path });
  }
  const lines = text.split(/\r?\n/);
  const header = parseCsvRecord(lines[0] ?? '')?.map((h) => h.trim().toLowerCase());
  if (!header) throw new WardError('analytics.reference', 'no CSV header', { file: path, line: 1 });
  const rows: Record<string, string>[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cols = parseCsvRecord(lines[i]);
    // A broken row is skipped; reference data is advisory and the rest still loads.
    if (!cols) continue;
    const r: Record<string, string> = {};
    header.forEach((h, k) => (r[h] = cols[k]?.trim() ?? ''));
    rows.push(r);
  }
  return rows;
}

const pick = (r: Record<string, string>, ...keys: string[]): string | undefined => {
  for (const k of keys) if (r[k]) return r[k];
  return undefined;
};

export function rosterFromRows(rows: Record<string, string>[]): StaffInfo[] {
  const out: StaffInfo[] = [];
  for (const r of rows) {
    const user = pick(r, 'user', 'user_id', 'login', 'username');
    if (!user) continue;
    out.push({
      ...person({ family: pick(r, 'family', 'last_name', 'surname'), given: pick(r, 'given', 'first_name'), birth: pick(r, 'birth_date', 'dob'), street: pick(r, 'street', 'address'), postal: pick(r, 'postal_code', 'zip', 'postcode'), phone: pick(r, 'phone') }),
      user, role: pick(r, 'role'), dept: pick(r, 'department', 'dept'), providerId: pick(r, 'provider_id'), patientMrn: pick(r, 'patient_mrn', 'mrn'),
    });
  }
  return out;
}

export function patientsFromRows(rows: Record<string, string>[]): [string, PatientInfo][] {
  const out: [string, PatientInfo][] = [];
  for (const r of rows) {
    const mrn = pick(r, 'mrn', 'patient_id', 'patient');
    if (!mrn) continue;
    const p: PatientInfo = person({ family: pick(r, 'family', 'last_name', 'surname'), given: pick(r, 'given', 'first_name'), birth: pick(r, 'birth_date', 'dob'), street: pick(r, 'street', 'address'), postal: pick(r, 'postal_code', 'zip', 'postcode'), phone: pick(r, 'phone') });
    if (/^(true|yes|1|y)$/i.test(r.vip ?? '')) p.vip = true;
    out.push([mrn, p]);
  }
  return out;
}
