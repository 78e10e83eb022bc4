import { adtMessage, atnaSyslogLine, atnaXml, fhirAuditEvent, fhirAuditEventR5, DST_ROLE, SRC_ROLE } from '../formats/health.js';
import { DAY, HOUR, MIN, end, workTime, type Encounter, type SimContext } from '../context.js';
import type { Patient, Staff } from '../model.js';
import { recordAccess } from './access.js';

const ACTIONS: [string, number][] = [['Chart Review', 50], ['Results Review', 20], ['Medication Administration', 10], ['Note Entry', 10], ['Order Entry', 7], ['Print', 1], ['Problem List Review', 2]];

/**
 * Benign clinical activity: admissions, transfers and discharges (HL7 ADT), the care team's record
 * accesses (EHR log, FHIR AuditEvents for API clients), imaging (PACS ATNA audit), the patient
 * portal, and the nightly population-health bulk export by its service client.
 */
export function generateClinical(c: SimContext): void {
  const rng = c.rng;
  const { h } = c;
  const t0 = c.start;
  const t1 = end(c);
  const byDeptRole = new Map<string, Staff[]>();
  for (const s of h.staff) {
    if (s.status !== 'active') continue;
    const k = `${s.dept}:${s.role}`;
    (byDeptRole.get(k) ?? byDeptRole.set(k, []).get(k)!).push(s);
  }
  const staffOf = (dept: string, role: Staff['role']): Staff[] => byDeptRole.get(`${dept}:${role}`) ?? [];
  const anyRole = (role: Staff['role']): Staff[] => h.staff.filter((s) => s.role === role && s.status === 'active');
  const pharmacists = anyRole('pharmacist');
  const labTechs = anyRole('lab-tech');
  const radiologists = anyRole('radiologist');
  const radiographers = anyRole('radiographer');
  const clerks = anyRole('clerk');
  const him = anyRole('him');
  const edDocs = staffOf('ED', 'physician');
  const edNurses = staffOf('ED', 'nurse');

  // Patients admitted at most once at a time; employees and VIPs may be patients too.
  const busy = new Set<string>();
  const pickPatient = (): Patient => {
    for (;;) {
      const p = rng.pick(h.patients);
      if (!busy.has(p.mrn)) return p;
    }
  };
  let visitSeq = 1;
  let controlSeq = 1;
  const encounters: Encounter[] = [];

  const adt = (e: Encounter, trigger: 'A01' | 'A02' | 'A03' | 'A04' | 'A08', t: number, prior?: [string, string, string]): void => {
    const p = c.byMrn.get(e.mrn)!;
    const clerk = rng.pick(clerks);
    const doc = e.attending.providerId ? ([e.attending.providerId, e.attending.family, e.attending.given] as [string, string, string]) : undefined;
    c.out.add({
      stream: 'hl7', t,
      body: adtMessage({
        t, trigger, controlId: `ADT${String(controlSeq++).padStart(8, '0')}`, mrn: p.mrn, family: p.family, given: p.given, birthDate: p.birthDate, sex: p.sex,
        street: `${p.address.number} ${p.address.street}`, city: p.address.city, postalCode: p.address.postalCode,
        patientClass: e.kind === 'emergency' ? 'E' : 'I', location: [e.dept, e.room, e.bed], priorLocation: prior, attending: doc, admitting: doc,
        service: e.dept, visit: e.visit, admitted: e.admitted, discharged: trigger === 'A03' ? e.discharged : undefined, operator: clerk.user,
      }, 'STMARY'),
    });
  };

  const admit = (dept: string, kind: Encounter['kind'], admitted: number, los: number): Encounter | undefined => {
    const docs = kind === 'emergency' ? edDocs : staffOf(dept, 'physician');
    const nurses = kind === 'emergency' ? edNurses : staffOf(dept, 'nurse');
    if (!docs.length || !nurses.length) return undefined;
    const p = pickPatient();
    busy.add(p.mrn);
    const e: Encounter = {
      visit: `V${String(visitSeq++).padStart(7, '0')}`, mrn: p.mrn, dept, kind, admitted, discharged: admitted + los,
      attending: rng.pick(docs), nurses: rng.sample(nurses, 4), room: String(rng.int(100, 499)), bed: rng.pick(['A', 'B']),
    };
    encounters.push(e);
    if (admitted >= t0) adt(e, kind === 'emergency' ? 'A04' : 'A01', admitted);
    return e;
  };

  // Census at the start, then arrivals day by day.
  for (const d of h.departments.filter((x) => x.kind === 'inpatient')) {
    const census = Math.round(d.beds * 0.85);
    for (let i = 0; i < census; i++) {
      const admitted = t0 - Math.floor(rng.next() * 4 * DAY);
      admit(d.code, 'inpatient', admitted, Math.max(t0 - admitted + rng.int(2, 30) * HOUR, rng.exp(4.5 * DAY)));
    }
  }
  for (let day = t0; day < t1; day += DAY) {
    for (const d of h.departments.filter((x) => x.kind === 'inpatient')) {
      const n = rng.poisson((d.beds * 0.85) / 4.5);
      for (let i = 0; i < n; i++) admit(d.code, 'inpatient', day + Math.floor(rng.next() * DAY), Math.max(12 * HOUR, rng.exp(4.5 * DAY)));
    }
    const ed = rng.poisson(h.beds * 0.25);
    for (let i = 0; i < ed; i++) admit('ED', 'emergency', day + Math.floor(rng.next() * DAY), (2 + rng.next() * 6) * HOUR);
  }

  for (const e of encounters) {
    const p = c.byMrn.get(e.mrn)!;
    const from = Math.max(e.admitted, t0);
    const to = Math.min(e.discharged, t1);
    if (e.discharged < t1 && e.discharged >= t0) {
      adt(e, 'A03', e.discharged);
      // HIM coding within three days of discharge.
      const coder = rng.pick(him);
      const tc = e.discharged + Math.floor(rng.next() * 3 * DAY);
      if (coder && tc < t1) recordAccess(c, tc, coder, p, { action: 'Coding Review' });
    }
    if (e.kind === 'inpatient' && rng.chance(0.15) && to - from > DAY) {
      const tt = from + Math.floor(rng.next() * (to - from));
      adt(e, 'A02', tt, [e.dept, e.room, e.bed]);
      e.room = String(rng.int(100, 499));
    }
    if (rng.chance(0.1) && to > from) adt(e, 'A08', from + Math.floor(rng.next() * (to - from)));
    if (e.admitted >= t0 && rng.chance(0.8)) recordAccess(c, e.admitted + 5 * MIN, rng.pick(clerks), p, { action: 'Registration' });

    // Care team accesses, per day of stay.
    for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
      const lo = Math.max(day, from);
      const hi = Math.min(day + DAY, to);
      if (hi <= lo) continue;
      const span = hi - lo;
      const at = (): number => lo + Math.floor(rng.next() * span);
      const emergency = e.kind === 'emergency';
      for (let i = rng.poisson(emergency ? 3 : 4 * (span / DAY) + 1); i > 0; i--) {
        const t = emergency ? at() : Math.min(hi - 1, Math.max(lo, workTime(rng, day)));
        recordAccess(c, t, e.attending, p, { action: rng.weighted(ACTIONS), fhir: rng.chance(0.35) });
      }
      for (const n of e.nurses) {
        for (let i = rng.poisson(emergency ? 1.5 : 2.5 * (span / DAY)); i > 0; i--) recordAccess(c, at(), n, p, { action: rng.weighted(ACTIONS), fhir: rng.chance(0.25) });
      }
      if (!emergency && rng.chance(0.7)) recordAccess(c, at(), rng.pick(pharmacists), p, { action: 'Medication Verification' });
      if (rng.chance(0.5)) recordAccess(c, at(), rng.pick(labTechs), p, { action: 'Results Entry' });
      // Emergency access by a clinician outside the care team, with a documented reason.
      if (emergency && rng.chance(0.02)) {
        const other = rng.pick(edNurses);
        recordAccess(c, at(), other, p, { action: 'Chart Review', breakGlassReason: 'Emergency treatment - patient unresponsive', fhir: true });
      }
      if (rng.chance(emergency ? 0.35 : 0.12)) imaging(c, at(), p, rng.pick(radiographers), rng.pick(radiologists), e);
    }
  }
  c.encounters.push(...encounters);

  // Patient portal: patients reading their own records from home.
  for (let day = t0; day < t1; day += DAY) {
    for (let i = rng.poisson(h.beds * 0.15); i > 0; i--) {
      const p = rng.pick(h.patients);
      const t = day + 7 * HOUR + Math.floor(rng.next() * 15 * HOUR);
      const ip = `${rng.pick(['198.51.100', '192.0.2', '100.24.7'])}.${rng.int(2, 250)}`;
      c.out.add({
        stream: 'fhir', t,
        body: fhirAuditEventR5(rng, { t, interaction: 'read', user: `Patient/${p.mrn}`, userName: `${p.given} ${p.family}`, agentType: 'patient', address: ip, client: 'PatientPortal', patient: p.mrn, what: `Patient/${p.mrn}`, observer: h.servers.fhir.fqdn, purpose: 'PATADMIN' }),
      });
    }
    // A few expired-token failures from clinical workstations.
    for (let i = rng.poisson(4); i > 0; i--) {
      const s = rng.pick(h.staff.filter((x) => x.role === 'nurse' && x.status === 'active'));
      const ws = h.workstations[s.workstations[0]];
      const t = workTime(rng, day);
      c.out.add({ stream: 'fhir', t, body: fhirAuditEvent(rng, { t, interaction: 'login', user: s.user, agentType: 'humanuser', address: ws.ip, client: 'ClinicalViewer', outcome: '4', outcomeDesc: 'token expired', observer: h.servers.fhir.fqdn }) });
    }
    // Nightly population-health bulk export by the analytics service client (FHIR Bulk Data).
    const t = day + 2 * HOUR + rng.int(0, 10) * MIN;
    const svc = { user: 'svc-population-health', agentType: 'dataprocessor' as const, address: h.servers.analytics.ip, client: 'PopulationHealthETL', observer: h.servers.fhir.fqdn };
    c.out.add({ stream: 'fhir', t, body: fhirAuditEvent(rng, { ...svc, t, interaction: 'login' }) });
    c.out.add({ stream: 'fhir', t: t + 1000, body: fhirAuditEvent(rng, { ...svc, t: t + 1000, interaction: 'operation', query: `GET https://${h.servers.fhir.fqdn}/fhir/Group/population-health/$export?_type=Patient,Condition,Observation&_since=${new Date(t - DAY).toISOString()}` }) });
    for (let k = 0; k < 4; k++) {
      const tk = t + 20 * MIN + k * 1000;
      c.out.add({ stream: 'fhir', t: tk, body: fhirAuditEvent(rng, { ...svc, t: tk, interaction: 'read', what: `Binary/export-${rng.hex(10)}` }) });
    }
  }
}

/** An imaging study: the radiographer acquires, the radiologist queries by patient and retrieves. */
function imaging(c: SimContext, t: number, p: Patient, tech: Staff, rad: Staff, e: Encounter): void {
  const rng = c.rng;
  const { pacs } = c.h.servers;
  const rws = c.h.workstations.filter((w) => w.aeTitle);
  if (!rws.length) return;
  const ws = rng.pick(rws);
  const uid = `1.2.826.0.1.3680043.9.${rng.int(1000, 9999)}.${Math.floor(t / 1000)}`;
  const modality = rng.pick(['CT01', 'MR01', 'US01', 'CR01']);
  const instances = modality === 'CR01' ? rng.int(1, 4) : rng.int(30, 400);
  const name = `${p.family}^${p.given}`;
  const line = (tt: number, xml: string): void => c.out.add({ stream: 'atna', t: tt, body: atnaSyslogLine(tt, pacs.name.toLowerCase(), 'PACS', xml) });
  line(t, atnaXml({ t, eventId: ['110104', 'DICOM Instances Transferred'], action: 'C', source: pacs.name, participants: [
    { userId: modality, ae: modality, requestor: false, ip: `10.30.1.${20 + modality.charCodeAt(0) % 10}`, role: SRC_ROLE },
    { userId: pacs.aeTitle!, ae: pacs.aeTitle, requestor: true, ip: pacs.ip, role: DST_ROLE },
  ], patient: { id: p.mrn, name }, study: { uid, instances } }));
  const tq = t + rng.int(10, 240) * MIN;
  line(tq, atnaXml({ t: tq, eventId: ['110112', 'Query'], action: 'E', source: pacs.name, participants: [
    { userId: ws.aeTitle!, ae: ws.aeTitle, name: rad.user, requestor: true, ip: ws.ip, role: SRC_ROLE },
    { userId: pacs.aeTitle!, ae: pacs.aeTitle, requestor: false, ip: pacs.ip, role: DST_ROLE },
  ], query: `(0008,0052)=STUDY;(0010,0020)=${p.mrn};(0008,0020)=${new Date(t).toISOString().slice(0, 10).replace(/-/g, '')}` }));
  line(tq + 4000, atnaXml({ t: tq + 4000, eventId: ['110104', 'DICOM Instances Transferred'], action: 'R', source: pacs.name, participants: [
    { userId: pacs.aeTitle!, ae: pacs.aeTitle, requestor: false, ip: pacs.ip, role: SRC_ROLE },
    { userId: ws.aeTitle!, ae: ws.aeTitle, name: rad.user, requestor: true, ip: ws.ip, role: DST_ROLE },
  ], patient: { id: p.mrn, name }, study: { uid, instances } }));
  recordAccess(c, tq + 60_000, rad, p, { action: 'Imaging Report Entry', workstation: ws.name, ip: ws.ip });
  void e;
  void tech;
}
