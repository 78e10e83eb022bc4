import { isNeighbour } from '../hospital.js';
import { recordAccess } from '../benign/access.js';
import { DAY, HOUR, MIN, type SimContext } from '../context.js';
import type { Patient, Staff } from '../model.js';

export const SNOOPING_CATEGORIES = ['self', 'family', 'coworker', 'vip', 'neighbour', 'name-search', 'bulk'] as const;

/**
 * Scenario 4: insiders reading records without a care relationship (labelled per category for
 * the access analytics of issue 6): their own record, a relative's (same surname and address), a
 * coworker's, a VIP's, a neighbour's, someone found by a name search, and one clerk's bulk
 * browsing. One snooper uses break-glass without a reason to get past a restricted record.
 */
export function snooping(c: SimContext): void {
  const rng = c.rng;
  const { h } = c;
  const cared = new Map<string, Set<string>>();
  for (const e of c.encounters) {
    for (const s of [e.attending, ...e.nurses]) (cared.get(s.user) ?? cared.set(s.user, new Set()).get(s.user)!).add(e.mrn);
  }
  const unrelated = (s: Staff, p: Patient): boolean => !cared.get(s.user)?.has(p.mrn);
  const active = h.staff.filter((s) => s.status === 'active' && s.role !== 'it-admin');
  const when = (): number => c.start + rng.int(0, c.days - 1) * DAY + rng.int(7, 21) * HOUR + rng.int(0, 59) * MIN;
  const access = (cat: string, s: Staff, p: Patient, opts: { action?: string; breakGlassReason?: string; t?: number } = {}): void => {
    recordAccess(c, opts.t ?? when(), s, p, { action: opts.action ?? 'Chart Review', fhir: rng.chance(0.4), breakGlassReason: opts.breakGlassReason, label: { scenario: 'snooping', scenarioId: 4, stage: cat, category: cat, actor: s.user, victim: p.mrn } });
  };

  for (const s of rng.sample(active.filter((x) => x.patientMrn), 3)) {
    const p = c.byMrn.get(s.patientMrn!)!;
    if (unrelated(s, p)) access('self', s, p);
  }
  const famPatients = h.patients.filter((p) => p.familyOf);
  for (const p of rng.sample(famPatients, 4)) {
    const s = h.staff.find((x) => x.id === p.familyOf)!;
    if (s.status === 'active' && unrelated(s, p)) access('family', s, p, { action: rng.pick(['Chart Review', 'Results Review']) });
  }
  const employees = h.patients.filter((p) => p.employeeId);
  for (const p of rng.sample(employees, 4)) {
    const emp = h.staff.find((x) => x.id === p.employeeId)!;
    const peer = active.find((x) => x.dept === emp.dept && x.id !== emp.id && unrelated(x, p));
    if (peer) access('coworker', peer, p);
  }
  const vips = h.patients.filter((p) => p.vip);
  vips.forEach((p) => {
    for (const s of rng.sample(active, 2)) if (unrelated(s, p)) access('vip', s, p);
  });
  // The break-glass snooper: overrides the VIP restriction with an empty reason.
  const bg = rng.pick(active.filter((x) => x.role === 'nurse'));
  if (vips[0]) access('vip', bg, vips[0], { breakGlassReason: ' ', action: 'Break Glass - Chart Review' });
  for (const s of rng.sample(active, 40)) {
    const n = h.patients.find((p) => isNeighbour(p.address, s.address) && p.familyOf !== s.id && p.employeeId !== s.id && unrelated(s, p));
    if (n) {
      access('neighbour', s, n);
      break;
    }
  }
  for (const s of rng.sample(active, 2)) {
    const p = rng.pick(h.patients);
    const t = when();
    access('name-search', s, p, { action: `Patient Search: name=${p.family}`, t });
    access('name-search', s, p, { action: 'Chart Review', t: t + 40_000 });
  }
  // Bulk: a registration clerk opens 150 unrelated records in about an hour (issue 6 bulk access).
  const clerk = rng.pick(h.staff.filter((s) => s.role === 'clerk' && s.status === 'active'));
  if (clerk) {
    let t = when();
    for (const p of rng.sample(h.patients, 150)) {
      t += rng.int(10, 35) * 1000;
      access('bulk', clerk, p, { t });
    }
  }
}
