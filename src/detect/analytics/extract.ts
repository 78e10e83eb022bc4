import { component, type Hl7Message } from '../../sources/index.js';
import { parseTimestamp, type WardEvent } from '../../normalize/index.js';
import { person, splitName } from './people.js';
import type { Access, AnalyticsState, Visit } from './state.js';

const s = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** `Patient Search: name=Kelly`, FHIR `Patient?name=kelly&…`, `family=`, `given=`. */
function nameSearched(...texts: (string | undefined)[]): string | undefined {
  for (const t of texts) {
    const m = t && /(?:^|[?&\s:;])(?:name|family|surname|last_?name)(?::\w+)?=([^&;,\s]+)/i.exec(t);
    if (m) return decodeURIComponent(m[1]).toLowerCase();
  }
  return undefined;
}

/**
 * A record access (FHIR AuditEvent read/query/$export per IHE BALP, or an EHR access-log row),
 * or undefined for anything else (logins, failures, patient-portal self access, system reads of
 * export files).
 */
export function accessOf(ev: WardEvent): Access | undefined {
  if (ev.timestamp === undefined) return undefined;
  const f = ev.fields;
  const base = { t: ev.timestamp, layout: ev.layout, file: ev.loc.file, line: ev.loc.line, record: ev.loc.record, host: ev.host };
  if (ev.layout === 'fhir-audit') {
    if (f.EventType === '110114') return undefined; // DICOM "User Authentication": not a record access
    if (f.Outcome !== undefined && f.Outcome !== '0') return undefined; // a failed read disclosed nothing
    const user = s(f.AgentUser);
    // The patient portal: the patient (or a proxy) reading through their own account.
    if (!user || user.startsWith('Patient/') || user.startsWith('RelatedPerson/')) return undefined;
    const purposes = (f.PurposesOfUse as string[] | undefined) ?? [];
    const a: Access = {
      ...base, user, role: s(f.AgentRole), userName: s(f.AgentUserName), mrn: s(f.PatientID), address: s(f.AgentNetworkAddress),
      action: s(f.Subtype) ?? s(f.Action), breakGlass: f.BreakGlass === true,
      breakGlassReason: f.BreakGlass === true ? purposes.filter((p) => !['BTG', 'ETREAT', 'ERTREAT', 'TREAT'].includes(p)).join(' ') : undefined,
    };
    if (f.Operation === '$export') return { ...a, export: true, mrn: undefined };
    const query = s(f.Query);
    if (f.Subtype === 'search-type' || f.Subtype === 'search-system' || f.Subtype === 'search' || (query && f.Action === 'E')) {
      a.search = true;
      a.searchTerm = nameSearched(query, s(f.EntityRef));
    }
    if (!a.mrn && !a.search) return undefined; // Binary downloads, metadata: no patient named
    return a;
  }
  if (ev.layout === 'ehr-access') {
    const user = s(f.AgentUser);
    if (!user) return undefined;
    const action = s(f.EhrAction);
    const a: Access = {
      ...base, user, role: s(f.AgentRole), dept: s(f.Department), userName: s(f.AgentUserName), mrn: s(f.PatientID), patientName: s(f.PatientName),
      action, address: s(f.AgentNetworkAddress), breakGlass: f.BreakGlass === true, breakGlassReason: s(f.BreakGlassReason),
    };
    if (action && /search|lookup|find patient/i.test(action)) {
      a.search = true;
      a.searchTerm = nameSearched(action);
    }
    if (action && /\$export|bulk export/i.test(action)) a.export = true;
    if (!a.mrn && !a.search && !a.export) return undefined;
    return a;
  }
  return undefined;
}

/** An order placed by `user` for `mrn` (EHR "Order Entry" rows; HL7 ORM/OMG ORC-12). */
export function orderOf(ev: WardEvent, a: Access | undefined): { user?: string; provider?: string; mrn: string; t: number } | undefined {
  if (a?.mrn && a.action && /\border/i.test(a.action) && !/review/i.test(a.action)) return { user: a.user, mrn: a.mrn, t: a.t };
  if (ev.layout !== 'hl7' || ev.timestamp === undefined) return undefined;
  const type = s(ev.fields.MessageType);
  const mrn = s(ev.fields.PatientID);
  if (!mrn || (type !== 'ORM' && type !== 'OMG' && type !== 'OML' && type !== 'OMI' && type !== 'RDE')) return undefined;
  const m = ev.raw.hl7 as Hl7Message | undefined;
  const orc = m?.segments.find((x) => x.id === 'ORC');
  // ORC-12 Ordering Provider (HL7 v2.5.1 §4.5.1.12), XCN.1 the provider id.
  const provider = m && orc ? component(orc, m.encoding, 12, 1) || undefined : undefined;
  return provider ? { provider, mrn, t: ev.timestamp } : undefined;
}

/**
 * Applies an HL7 ADT message to the visits (HL7 v2.5.1 ch. 3): A01/A04/A05 admit or register,
 * A02 transfer, A03 discharge, A08 update, A11/A13 cancel admit/discharge. The visit's admit and
 * discharge times come from PV1-44/45, so a discharge message read first still says when the
 * relationship began. Also learns the patient's demographics from PID.
 */
export function applyAdt(ev: WardEvent, st: AnalyticsState, unitOf: (x: string | undefined) => string | undefined): boolean {
  if (ev.layout !== 'hl7') return false;
  const f = ev.fields;
  if (s(f.MessageType) !== 'ADT') return false;
  const mrn = s(f.PatientID);
  const t = ev.timestamp;
  if (!mrn || t === undefined) return true;
  const known = st.patients.get(mrn) ?? {};
  const fresh = person({ family: s(f.PatientFamilyName), given: s(f.PatientGivenName), birth: s(f.BirthDate), street: s(f.PatientStreet), postal: s(f.PatientPostalCode), phone: s(f.PatientPhone) });
  // ADT is the newest word on demographics: it overrides, except where it is silent.
  for (const k of Object.keys(fresh) as (keyof typeof fresh)[]) if (fresh[k] === undefined) delete fresh[k];
  st.patients.set(mrn, { ...known, ...fresh });
  const trig = s(f.TriggerEvent) ?? '';
  const visitNo = s(f.VisitNumber);
  const admitted = parseTimestamp(f.AdmitDateTime) ?? t;
  const id = visitNo ?? `${mrn}@${admitted}`;
  if (trig === 'A11') {
    st.visits.delete(id);
    return true;
  }
  let v: Visit | undefined = st.visits.get(id);
  if (!v) {
    v = { id, mrn, admitted, units: [], providers: {}, users: {} };
    st.addVisit(v);
  } else if (parseTimestamp(f.AdmitDateTime) !== undefined) v.admitted = admitted;
  const unit = unitOf(s(f.PointOfCare) ?? s(f.HospitalService));
  const prior = unitOf(s(f.PriorPointOfCare));
  if (trig === 'A02') {
    if (prior && !v.units.some(([from]) => from <= t)) addUnit(v, v.admitted, prior);
    if (unit) addUnit(v, t, unit);
  } else if (unit) {
    if (!v.units.length) addUnit(v, v.admitted, unit);
    else if (unitAt(v, t) !== unit) addUnit(v, t, unit);
  }
  if (trig === 'A03') v.discharged = parseTimestamp(f.DischargeDateTime) ?? t;
  if (trig === 'A13') v.discharged = undefined;
  for (const [field, rel] of [['AttendingDoctorID', 'attending'], ['AdmittingDoctorID', 'attending'], ['ReferringDoctorID', 'referral'], ['ConsultingDoctorID', 'consult']] as const) {
    const p = s(f[field]);
    if (p && !v.providers[p]) v.providers[p] = rel;
  }
  return true;
}

function addUnit(v: Visit, from: number, unit: string): void {
  v.units.push([from, unit]);
  v.units.sort((a, b) => a[0] - b[0]);
}

export function unitAt(v: Visit, t: number): string | undefined {
  let u = v.units[0]?.[1];
  for (const [from, x] of v.units) {
    if (from <= t) u = x;
    else break;
  }
  return u;
}

export { splitName };
