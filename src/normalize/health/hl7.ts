import { component, hl7Time, repetitions, type Hl7Message, type Hl7Segment } from '../../sources/index.js';
import { NormalizedEvent } from '../event.js';
import type { Layout } from '../registry.js';
import { parseTimestamp } from '../time.js';
import { compact, obj, type Obj } from './common.js';

/**
 * HL7 v2 message (ADT and others) → flat fields. Field positions follow HL7 v2.5.1: MSH (§2.14.9),
 * EVN (§3.4.1), PID (§3.4.2), PV1 (§3.4.3), MRG (§3.4.9). The attending / admitting / referring
 * doctors of PV1 are the care relationships that explain record accesses (issue 6).
 */
export const hl7Layout: Layout = {
  name: 'hl7',
  accepts(record, format) {
    return format === 'hl7v2' || (obj(record.hl7) !== undefined && Array.isArray(obj(record.hl7)?.segments));
  },
  normalize(record, loc) {
    const m = record.hl7 as Hl7Message;
    const e = m.encoding;
    const seg = (id: string): Hl7Segment | undefined => m.segments.find((s) => s.id === id);
    const c = (s: Hl7Segment | undefined, f: number, comp = 1, sub = 1, rep = 1): string | undefined =>
      component(s, e, f, comp, sub, rep) || undefined;
    const msh = seg('MSH');
    const evn = seg('EVN');
    const pid = seg('PID');
    const pv1 = seg('PV1');
    const mrg = seg('MRG');
    const f: Obj = {};
    f.MessageType = c(msh, 9, 1);
    f.TriggerEvent = c(msh, 9, 2) ?? c(evn, 1);
    f.MessageStructure = c(msh, 9, 3);
    f.HL7Event = f.MessageType && f.TriggerEvent ? `${f.MessageType}^${f.TriggerEvent}` : f.MessageType;
    f.MessageControlID = c(msh, 10);
    f.ProcessingID = c(msh, 11);
    f.VersionID = c(msh, 12);
    f.SendingApplication = c(msh, 3);
    f.SendingFacility = c(msh, 4);
    f.ReceivingApplication = c(msh, 5);
    f.ReceivingFacility = c(msh, 6);
    f.MessageDateTime = hl7Time(c(msh, 7) ?? '');
    f.EventRecorded = hl7Time(c(evn, 2) ?? '');
    f.EventOccurred = hl7Time(c(evn, 6) ?? '');
    f.EventOperator = c(evn, 5);

    if (pid) {
      // PID-3 is a repeating CX list; the first identifier is the MRN by convention, all are kept.
      const ids: string[] = [];
      for (let r = 1; r <= repetitions(pid, e, 3); r++) {
        const id = c(pid, 3, 1, 1, r);
        if (id) ids.push(id);
      }
      f.PatientID = ids[0];
      f.PatientIDs = ids;
      f.PatientIDAuthority = c(pid, 3, 4);
      f.PatientFamilyName = c(pid, 5, 1);
      f.PatientGivenName = c(pid, 5, 2);
      f.PatientName = [f.PatientFamilyName, f.PatientGivenName].filter(Boolean).join(', ') || undefined;
      f.BirthDate = c(pid, 7);
      f.Sex = c(pid, 8);
      f.PatientStreet = c(pid, 11, 1);
      f.PatientCity = c(pid, 11, 3);
      f.PatientPostalCode = c(pid, 11, 5);
      f.PatientPhone = c(pid, 13, 1);
      f.PatientAccountNumber = c(pid, 18);
      f.PatientRef = f.PatientID ? `Patient/${f.PatientID as string}` : undefined;
    }
    if (pv1) {
      f.PatientClass = c(pv1, 2);
      f.PointOfCare = c(pv1, 3, 1);
      f.Room = c(pv1, 3, 2);
      f.Bed = c(pv1, 3, 3);
      f.Facility = c(pv1, 3, 4);
      f.PriorPointOfCare = c(pv1, 6, 1);
      f.AttendingDoctorID = c(pv1, 7, 1);
      f.AttendingDoctorName = name(c(pv1, 7, 2), c(pv1, 7, 3));
      f.ReferringDoctorID = c(pv1, 8, 1);
      f.ConsultingDoctorID = c(pv1, 9, 1);
      f.HospitalService = c(pv1, 10);
      f.AdmittingDoctorID = c(pv1, 17, 1);
      f.VisitNumber = c(pv1, 19);
      f.AdmitDateTime = hl7Time(c(pv1, 44) ?? '');
      f.DischargeDateTime = hl7Time(c(pv1, 45) ?? '');
    }
    if (mrg) f.PriorPatientID = c(mrg, 1);
    f.SegmentCount = m.segments.length;
    f.Segments = m.segments.map((s) => s.id).join(',');

    const host = (f.SendingFacility as string | undefined) ?? (f.SendingApplication as string | undefined);
    const ts = parseTimestamp(f.EventRecorded) ?? parseTimestamp(f.MessageDateTime);
    return new NormalizedEvent(compact(f), record, 'hl7', ts, host, loc);
  },
};

function name(family?: string, given?: string): string | undefined {
  return [family, given].filter(Boolean).join(', ') || undefined;
}
