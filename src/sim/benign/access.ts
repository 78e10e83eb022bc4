import { fhirAuditEvent, ehrRow } from '../formats/health.js';
import { roleCode, roleTitle, type SimContext } from '../context.js';
import type { Label } from '../out.js';
import type { Patient, Staff } from '../model.js';

export interface AccessOpts {
  action?: string;
  breakGlassReason?: string;
  /** also write a FHIR AuditEvent (the access went through the FHIR API) */
  fhir?: boolean;
  ip?: string;
  workstation?: string;
  label?: Label;
  fhirWhat?: string;
}

/** One clinician opening one patient's record: an EHR log row and, for API clients, a FHIR AuditEvent. */
export function recordAccess(c: SimContext, t: number, s: Staff, p: Patient, o: AccessOpts = {}): void {
  const ws = o.workstation ? undefined : c.h.workstations[s.workstations[Math.floor(c.rng.next() * s.workstations.length)] ?? 0];
  const host = o.workstation ?? ws?.name ?? 'WS-UNKNOWN';
  const ip = o.ip ?? ws?.ip ?? '10.20.0.1';
  const dept = c.h.departments.find((d) => d.code === s.dept)?.name ?? s.dept;
  c.out.add({
    stream: 'ehr', t, label: o.label,
    body: ehrRow([
      new Date(t).toISOString().replace('T', ' ').slice(0, 19), s.user, `${s.family}, ${s.given}`, roleTitle[s.role], dept, p.mrn, `${p.family}, ${p.given}`,
      o.action ?? 'Chart Review', host, ip, o.breakGlassReason,
    ]),
  });
  if (o.fhir) {
    c.out.add({
      stream: 'fhir', t: t + 150, label: o.label,
      body: fhirAuditEvent(c.rng, {
        t: t + 150, interaction: 'read', user: s.user, userName: `${s.given} ${s.family}`, agentType: 'humanuser', role: roleCode[s.role], address: ip,
        client: 'ClinicalViewer', patient: p.mrn, what: o.fhirWhat ?? `Observation/${c.rng.hex(12)}`, observer: c.h.servers.fhir.fqdn,
        purpose: o.breakGlassReason ? 'BTG' : 'TREAT',
      }),
    });
  }
}
