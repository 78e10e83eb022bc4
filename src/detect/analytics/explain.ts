import type { Reference } from './context.js';
import { unitAt } from './extract.js';
import { neighbours, sameAddress, samePhone, splitName, type Person } from './people.js';
import type { Access, AnalyticsState, UserState } from './state.js';

const DAY = 86400_000;
const MIN = 60_000;

export interface Explanation {
  /** attending, care-team, referral, consult, order, same-department, service-role, break-glass-reason */
  kind: string;
  strength: 'strong' | 'weak';
  detail: string;
}

export interface Signal {
  name: 'self' | 'family' | 'coworker' | 'vip' | 'neighbour' | 'name-search' | 'break-glass-no-reason' | 'off-hours' | 'surname-only' | 'first-access';
  weight: number;
  detail: string;
}

/** The user's department and role: roster first, then what the logs said. */
export function whoIs(ref: Reference, us: UserState, user: string): { role?: string; dept?: string } {
  const r = ref.staff(user);
  return { role: r?.role ?? us.role, dept: r?.dept ?? us.dept };
}

/**
 * Explanation-based auditing (Fabbri & LeFevre, "Explaining accesses to electronic medical
 * records using diagnosis information", JAMIA 2013): an access is explained when the user has a
 * clinical reason visible in the data. Strong reasons name the user (care team, attending,
 * referral, order); weak ones only place the user near the patient (same unit, a service role
 * while the patient is in hospital, break-glass with a written reason).
 */
export function explain(ref: Reference, st: AnalyticsState, a: Access, role: string | undefined, dept: string | undefined): { best?: Explanation; missing: string[]; unit?: string } {
  const cfg = ref.cfg.explain;
  const mrn = a.mrn!;
  let weak: Explanation | undefined;
  let unit: string | undefined;
  let inHospital = false;
  for (const v of st.visitsOf(mrn)) {
    const from = v.admitted - cfg.beforeAdmitMinutes * MIN;
    const end = v.discharged ?? Infinity;
    if (a.t < from) continue;
    const u = unitAt(v, a.t);
    if (a.t <= end + cfg.afterDischargeDays * DAY) {
      unit ??= u;
      const rel = v.users[a.user] ?? relByProvider(ref, v.providers, a.user);
      if (rel) return { best: { kind: rel, strength: 'strong', detail: `${rel} of visit ${v.id.replace(/^care:/, '')}` }, missing: [], unit: u };
      if (dept && u && u === dept) weak ??= { kind: 'same-department', strength: 'weak', detail: `patient in the user's unit ${u}` };
    }
    if (a.t <= end) inHospital = true;
    const svc = role !== undefined ? cfg.serviceRoles?.[role] : undefined;
    if (svc !== undefined && a.t <= end + svc * DAY) weak ??= { kind: 'service-role', strength: 'weak', detail: `${role} serving a patient ${a.t <= end ? 'in hospital' : 'recently discharged'}` };
  }
  const orders = st.orders.get(`${a.user}|${mrn}`);
  if (orders?.some((t) => t >= a.t - cfg.orderDays * DAY && t <= a.t + ref.cfg.delayMinutes * MIN)) {
    return { best: { kind: 'order', strength: 'strong', detail: 'the user placed an order for the patient' }, missing: [], unit };
  }
  // Colleagues of the same department opened the record around the same time: the patient is in
  // their care even when the ADT feed has not said so (collaborative-group explanation, Fabbri &
  // LeFevre). Several other users at all: the patient is evidently being treated, which is what a
  // service role needs.
  if (!weak && cfg.colleagues > 0) {
    const span = cfg.colleagueHours * 3600_000;
    const same = new Set<string>();
    const any = new Set<string>();
    for (const [t, u, d] of st.recent.get(mrn) ?? []) {
      if (u === a.user || Math.abs(t - a.t) > span) continue;
      any.add(u);
      if (d === dept) same.add(u);
    }
    const svc = role !== undefined ? cfg.serviceRoles?.[role] : undefined;
    if (dept && same.size >= cfg.colleagues) weak = { kind: 'department-colleagues', strength: 'weak', detail: `${same.size} colleagues of ${dept} opened the record within ${cfg.colleagueHours} h` };
    else if (svc !== undefined && any.size >= cfg.colleagues) weak = { kind: 'service-role', strength: 'weak', detail: `${role} serving a patient ${any.size} other staff opened within ${cfg.colleagueHours} h` };
  }
  const reason = a.breakGlassReason?.trim() ?? '';
  if (a.breakGlass && reason.length >= cfg.breakGlassMinReason) weak ??= { kind: 'break-glass-reason', strength: 'weak', detail: `break-glass with reason "${reason}"` };
  const missing = [
    'no encounter lists the user as attending or on the care team',
    'no order by the user for the patient',
    'no referral or consult to the user',
    unit ? `patient's unit ${unit} is not the user's department${dept ? ` (${dept})` : ''}` : `patient ${inHospital ? 'has no known unit' : 'has no current encounter'}`,
  ];
  return { best: weak, missing: weak ? [] : missing, unit };
}

function relByProvider(ref: Reference, providers: Record<string, string>, user: string): string | undefined {
  const pid = ref.staff(user)?.providerId;
  if (pid && providers[pid]) return providers[pid];
  // Sites whose ADT carries the login name in PV1-7 instead of a provider number.
  return providers[user];
}

/** Snooping signals (Boxwala et al., JAMIA 2011; the categories privacy offices investigate). */
export function signals(ref: Reference, st: AnalyticsState, us: UserState, a: Access, offHour: boolean): Signal[] {
  const w = ref.cfg.score;
  const out: Signal[] = [];
  const mrn = a.mrn!;
  const staff = ref.staff(a.user);
  const me: Person = staff ?? us.person ?? splitName(a.userName);
  const pat = ref.patient(st, mrn) ?? {};
  const pn = pat.family ? pat : { ...pat, ...splitName(a.patientName) };
  const self = staff?.patientMrn === mrn || ref.employees.get(mrn) === a.user ||
    (!!me.family && me.family === pn.family && !!me.given && me.given === pn.given && !!me.birth && me.birth === pn.birth);
  if (self) out.push({ name: 'self', weight: w.self, detail: "the patient is the user's own record" });
  const sameSurname = !self && !!me.family && me.family === pn.family;
  const sameHome = sameAddress(me, pn) || samePhone(me, pn);
  if (sameSurname && sameHome) out.push({ name: 'family', weight: w.family, detail: `same surname (${pn.family}) and ${sameAddress(me, pn) ? 'home address' : 'phone number'} as the user` });
  else if (!self && sameHome) out.push({ name: 'family', weight: w.family, detail: `the patient lives at the user's ${sameAddress(me, pn) ? 'home address' : 'phone number'}` });
  else if (sameSurname) out.push({ name: 'surname-only', weight: w.surnameOnly, detail: `same surname (${pn.family}) as the user` });
  const emp = ref.employees.get(mrn);
  if (!self && emp !== undefined) out.push({ name: 'coworker', weight: w.coworker, detail: `the patient is an employee${emp ? ` (${emp})` : ''}` });
  if (ref.vip.has(mrn) || pat.vip) out.push({ name: 'vip', weight: w.vip, detail: 'the patient is on the VIP list' });
  if (!self && !sameHome && neighbours(me, pn, ref.cfg.snooping.neighbourMaxHouseGap)) {
    out.push({ name: 'neighbour', weight: w.neighbour, detail: `the patient lives on the user's street (${pn.street}, ${pn.postal})` });
  }
  const srch = us.search;
  if (a.search && a.searchTerm) out.push({ name: 'name-search', weight: w.nameSearch, detail: `searched patients by name "${a.searchTerm}"` });
  else if (srch && a.t - srch.t <= ref.cfg.snooping.nameSearchMinutes * MIN && a.t >= srch.t &&
    (srch.mrn === mrn || (!!srch.term && !!pn.family && pn.family.startsWith(srch.term)))) {
    out.push({ name: 'name-search', weight: w.nameSearch, detail: `opened after a search by name "${srch.term ?? ''}" ${Math.round((a.t - srch.t) / 1000)} s earlier` });
  }
  if (a.breakGlass && (a.breakGlassReason?.trim().length ?? 0) < ref.cfg.explain.breakGlassMinReason) {
    out.push({ name: 'break-glass-no-reason', weight: w.breakGlassNoReason, detail: 'break-glass override without a written reason' });
  }
  if (offHour) out.push({ name: 'off-hours', weight: w.offHours, detail: "outside the user's usual hours" });
  return out;
}

/** Local hour of `t` and whether it is unusual for the user (share of past accesses below minShare). */
export function hourOf(ref: Reference, t: number): number {
  return Math.floor(((t + ref.cfg.utcOffsetMinutes * MIN) % DAY + DAY) % DAY / 3600_000);
}

export function offHours(ref: Reference, us: UserState, hour: number): boolean {
  const c = ref.cfg.offHours;
  if (us.n < c.minHistory) return false;
  // Neighbouring hours count half: a shift that ends at 19:00 makes 19:10 usual.
  const near = us.hours[hour] + 0.5 * (us.hours[(hour + 23) % 24] + us.hours[(hour + 1) % 24]);
  return near / us.n < c.minShare;
}
