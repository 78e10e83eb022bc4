import type { Hospital, Patient, Staff } from './model.js';
import type { Output } from './out.js';
import type { Rng } from './prng.js';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
export const MIN = 60_000;

/** Everything a generator needs: the hospital, its clock, the output and a PRNG stream. */
export interface SimContext {
  h: Hospital;
  out: Output;
  rng: Rng;
  /** first simulated instant (ms, midnight UTC) */
  start: number;
  days: number;
  /** active encounters, filled by the clinical generator, used by scenarios */
  encounters: Encounter[];
  byUser: Map<string, Staff>;
  byMrn: Map<string, Patient>;
}

export interface Encounter {
  visit: string;
  mrn: string;
  dept: string;
  kind: 'inpatient' | 'emergency';
  admitted: number;
  discharged: number;
  attending: Staff;
  nurses: Staff[];
  room: string;
  bed: string;
}

export const end = (c: SimContext): number => c.start + c.days * DAY;

/** A time within [from, to), biased to working hours when `workday` is set (08–18 UTC). */
export function timeIn(rng: Rng, from: number, to: number): number {
  return Math.floor(from + rng.next() * Math.max(1, to - from));
}

export function workTime(rng: Rng, day: number): number {
  return day + 8 * HOUR + Math.floor(rng.next() * 10 * HOUR);
}

export const roleCode: Record<string, string> = {
  physician: 'PHYS', nurse: 'NURS', 'lab-tech': 'LABTECH', radiographer: 'RADTECH', radiologist: 'RAD', pharmacist: 'PHARM', clerk: 'CLERK',
  him: 'HIMCODER', 'it-admin': 'ITADMIN', admin: 'ADMIN', researcher: 'RESEARCH',
};

export const roleTitle: Record<string, string> = {
  physician: 'Physician', nurse: 'Registered Nurse', 'lab-tech': 'Laboratory Technologist', radiographer: 'Radiographer', radiologist: 'Radiologist',
  pharmacist: 'Pharmacist', clerk: 'Registration Clerk', him: 'HIM Coder', 'it-admin': 'IT Administrator', admin: 'Administrator', researcher: 'Research Analyst',
};
