import { NormalizedEvent } from '../event.js';
import type { Layout } from '../registry.js';
import { parseTimestamp } from '../time.js';
import { compact, networkScope, obj, str, type Obj } from './common.js';

/**
 * EHR access log row (as mapped by the `ehr-access` reader) → the same field names as the FHIR
 * and ATNA layouts (`AgentUser`, `AgentRole`, `PatientID`, `Action`, `AgentNetworkAddress`,
 * `BreakGlass` …), so record-access rules and analytics work across the three audit trails.
 * `Action` is the FHIR/DICOM CRUDE code derived from the vendor's wording, kept in `EhrAction`.
 */
export const ehrAccessLayout: Layout = {
  name: 'ehr-access',
  accepts(record, format) {
    return format === 'ehr-access' || (obj(record.ehr) !== undefined && obj(record.row) !== undefined);
  },
  normalize(record, loc) {
    const e = (obj(record.ehr) ?? {}) as Record<string, string | undefined>;
    const f: Obj = {};
    f.AgentUser = e.user;
    f.AgentUserName = e.user_name;
    f.AgentRole = e.role;
    f.Department = e.department;
    f.PatientID = e.patient;
    f.PatientRef = e.patient ? `Patient/${e.patient}` : undefined;
    f.PatientName = e.patient_name;
    f.EhrAction = e.action;
    f.Action = crude(e.action);
    f.Workstation = e.workstation;
    f.AgentNetworkAddress = e.ip;
    f.AgentNetworkScope = networkScope(e.ip);
    f.BreakGlassReason = e.break_glass_reason;
    f.BreakGlass = !!e.break_glass_reason || /break.?(the.?)?glass|\bbtg\b|emergency.?access/i.test(e.action ?? '');
    f.Application = e.application;
    f.Outcome = e.outcome;
    f.OutcomeText = outcome(e.outcome);
    f.Session = e.session;
    f.Recorded = e.timestamp;
    const host = str(e.workstation);
    f.Computer = host;
    return new NormalizedEvent(compact(f), record, 'ehr-access', parseTimestamp(e.timestamp), host, loc);
  },
};

/** Vendor action wording → CRUDE (FHIR AuditEvent.action / DICOM EventActionCode). */
function crude(a: string | undefined): string | undefined {
  if (!a) return undefined;
  const s = a.toLowerCase();
  if (/delete|remove|purge/.test(s)) return 'D';
  if (/create|add|new|admit|register|order/.test(s)) return 'C';
  if (/update|edit|modify|sign|amend|write|change/.test(s)) return 'U';
  if (/print|export|download|query|search|report|fax|copy|extract/.test(s)) return 'E';
  return 'R';
}

function outcome(o: string | undefined): string | undefined {
  if (!o) return undefined;
  const s = o.toLowerCase();
  if (s === '0' || /^(success|ok|allowed|granted|pass)/.test(s)) return 'success';
  if (/fail|denied|error|reject|blocked/.test(s) || /^\d+$/.test(s)) return 'failure';
  return s;
}
