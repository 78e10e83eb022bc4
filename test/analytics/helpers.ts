import { fileURLToPath } from 'node:url';
import { parseHl7 } from '../../src/sources/index.js';
import { normalize, type WardEvent } from '../../src/normalize/index.js';
import { createAccessAnalytics, type AnalyticsConfigInput, type ScoreRecord } from '../../src/detect/analytics/index.js';
import type { Detection } from '../../src/detect/index.js';

export const FIX = fileURLToPath(new URL('../fixtures/analytics/', import.meta.url));
export const T0 = Date.parse('2026-03-02T00:00:00Z');
export const HOUR = 3600_000;
export const MIN = 60_000;
let line = 1;

const iso = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 19);
const dtm = (t: number): string => new Date(t).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** An EHR access-log row as the ehr-access reader yields it. */
export function ehr(t: number, user: string, mrn: string, o: { action?: string; role?: string; dept?: string; bg?: string; patientName?: string } = {}): WardEvent {
  const e = { timestamp: iso(t), user, role: o.role, department: o.dept, patient: mrn, patient_name: o.patientName, action: o.action ?? 'Chart Review', workstation: 'WS-1', ip: '10.20.1.11', break_glass_reason: o.bg };
  return normalize({ ehr: e, row: {} }, { file: 'ehr.csv', line: ++line }, 'ehr-access');
}

/** An HL7 v2.5.1 ADT message (A01 admit, A02 transfer, A03 discharge). */
export function adt(t: number, trigger: string, mrn: string, unit: string, o: { attending?: string; referring?: string; visit?: string; admitted?: number; discharged?: number; prior?: string; family?: string; street?: string; postal?: string } = {}): WardEvent {
  const pv1 = new Array<string>(46).fill('');
  pv1[0] = 'PV1';
  pv1[2] = 'I';
  pv1[3] = `${unit}^101^A^H`;
  if (o.prior) pv1[6] = `${o.prior}^100^A`;
  if (o.attending) pv1[7] = `${o.attending}^Doc^Some`;
  if (o.referring) pv1[8] = `${o.referring}^Ref^Some`;
  pv1[10] = unit;
  pv1[19] = o.visit ?? `V-${mrn}`;
  pv1[44] = dtm(o.admitted ?? t);
  if (o.discharged) pv1[45] = dtm(o.discharged);
  const text = [
    `MSH|^~\\&|ADT|H|WARD|H|${dtm(t)}||ADT^${trigger}|C${++line}|P|2.5.1`,
    `EVN|${trigger}|${dtm(t)}`,
    `PID|1||${mrn}^^^H^MR||${o.family ?? 'Doe'}^John||19700101|M|||${o.street ?? '1 Main St'}^^Town^^${o.postal ?? '99999'}`,
    pv1.join('|'),
  ].join('\r');
  const r = parseHl7(text);
  if (!r.ok) throw new Error(r.error);
  return normalize({ hl7: r.message }, { file: 'adt.hl7', line: ++line }, 'hl7v2');
}

/** A FHIR R4 AuditEvent (IHE BALP): read of a patient, a query, or an $export. */
export function fhir(t: number, user: string, o: { patient?: string; interaction?: 'read' | 'search-type' | 'operation'; query?: string; address?: string; agentPatient?: boolean } = {}): WardEvent {
  const entity: Record<string, unknown>[] = [];
  if (o.patient) entity.push({ what: { reference: `Patient/${o.patient}` }, role: { code: '1' } });
  if (o.query) entity.push({ role: { code: '24' }, query: Buffer.from(o.query).toString('base64') });
  const rec = {
    resourceType: 'AuditEvent', type: { code: 'rest' }, subtype: [{ code: o.interaction ?? 'read' }], action: o.interaction === 'read' || !o.interaction ? 'R' : 'E',
    recorded: new Date(t).toISOString(), outcome: '0',
    agent: [{ who: o.agentPatient ? { reference: `Patient/${user}` } : { identifier: { value: user } }, requestor: true, network: { address: o.address ?? '10.20.1.11' } }],
    source: { observer: { display: 'fhir01' } }, entity,
  };
  return normalize(rec, { file: 'audit.ndjson', line: ++line }, 'fhir-audit');
}

export const baseConfig = (over: AnalyticsConfigInput = {}): AnalyticsConfigInput => ({
  reference: { roster: `${FIX}staff.csv`, patients: `${FIX}patients.csv` },
  ...over,
});

export function run(events: WardEvent[], over: AnalyticsConfigInput = {}): { detections: Detection[]; scores: ScoreRecord[] } {
  const scores: ScoreRecord[] = [];
  const d = createAccessAnalytics(baseConfig(over), { onScore: (r) => scores.push(r) });
  const detections: Detection[] = [];
  for (const e of events) detections.push(...d.process(e));
  detections.push(...d.flush());
  return { detections, scores };
}

/** The score record of the access of `user` to `mrn` (the last one when several). */
export function scoreOf(scores: ScoreRecord[], user: string, mrn: string): ScoreRecord {
  const r = scores.filter((s) => s.access.user === user && s.access.mrn === mrn).pop();
  if (!r) throw new Error(`no score for ${user} → ${mrn}`);
  return r;
}
