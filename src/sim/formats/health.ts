import { escapeHl7 } from '../../sources/index.js';
import type { Rng } from '../prng.js';

/** FHIR R4 AuditEvent following IHE BALP (PatientRead, PatientQuery, export, authentication). */
export interface FhirAuditSpec {
  t: number;
  interaction: 'read' | 'search-type' | 'operation' | 'login' | 'vread';
  user: string;
  userName?: string;
  /** 'humanuser' for people, 'dataprocessor' for system clients (BALP agent type) */
  agentType: 'humanuser' | 'dataprocessor' | 'patient';
  role?: string;
  address: string;
  client: string;
  patient?: string;
  /** the resource read, e.g. Observation/123 or Binary/abc */
  what?: string;
  query?: string;
  outcome?: '0' | '4' | '8' | '12';
  outcomeDesc?: string;
  purpose?: string;
  observer: string;
}

const RESTFUL = 'http://hl7.org/fhir/restful-interaction';

export function fhirAuditEvent(rng: Rng, s: FhirAuditSpec): Record<string, unknown> {
  const login = s.interaction === 'login';
  const e: Record<string, unknown> = {
    resourceType: 'AuditEvent',
    id: rng.guid().toLowerCase(),
    meta: { profile: [login ? 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.Auth' : `https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.${s.patient ? 'Patient' : ''}${s.interaction === 'search-type' ? 'Query' : 'Read'}`] },
    type: login
      ? { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110114', display: 'User Authentication' }
      : { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'Restful Operation' },
    subtype: [
      login
        ? { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110122', display: 'Login' }
        : { system: RESTFUL, code: s.interaction, display: s.interaction },
    ],
    action: login ? 'E' : s.interaction === 'read' || s.interaction === 'vread' ? 'R' : 'E',
    recorded: new Date(s.t).toISOString(),
    outcome: s.outcome ?? '0',
  };
  if (s.outcomeDesc) e.outcomeDesc = s.outcomeDesc;
  if (s.purpose) e.purposeOfEvent = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: s.purpose }] }];
  const userAgent: Record<string, unknown> = {
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: s.agentType === 'patient' ? 'humanuser' : s.agentType }] },
    who: s.agentType === 'patient' ? { reference: `Patient/${s.patient ?? ''}`, display: s.userName } : { identifier: { system: 'urn:oid:2.16.840.1.113883.3.9999.1', value: s.user }, display: s.userName },
    requestor: true,
    network: { address: s.address, type: '2' },
  };
  if (s.role) userAgent.role = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: s.role }] }];
  const clientAgent = {
    type: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150', display: 'Application' }] },
    who: { display: s.client },
    requestor: false,
  };
  e.agent = [userAgent, clientAgent];
  e.source = { site: 'main-campus', observer: { display: s.observer }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '3', display: 'Web Server' }] };
  const entity: Record<string, unknown>[] = [];
  if (s.patient) entity.push({ what: { reference: `Patient/${s.patient}` }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' } });
  if (s.what) entity.push({ what: { reference: s.what }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '4', display: 'Domain Resource' } });
  if (s.query) entity.push({ role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '24', display: 'Query' }, query: Buffer.from(s.query).toString('base64') });
  if (entity.length) e.entity = entity;
  return e;
}

/**
 * The same audit as an R5 AuditEvent (https://hl7.org/fhir/R5/auditevent.html): category/code
 * instead of type/subtype, outcome.code, agent.networkString, authorization, top-level patient.
 * The simulated patient portal runs on R5, so both versions appear in one NDJSON stream.
 */
export function fhirAuditEventR5(rng: Rng, s: FhirAuditSpec): Record<string, unknown> {
  const r4 = fhirAuditEvent(rng, s);
  const login = s.interaction === 'login';
  const agents = (r4.agent as Record<string, unknown>[]).map((a) => {
    const { network, type, ...rest } = a as { network?: { address: string }; type: { coding: unknown[] } } & Record<string, unknown>;
    return { ...rest, type: { coding: type.coding }, ...(network ? { networkString: network.address } : {}) };
  });
  const e: Record<string, unknown> = {
    resourceType: 'AuditEvent',
    id: r4.id,
    category: [{ coding: [r4.type] }],
    code: { coding: (r4.subtype as unknown[]).slice(0, 1) },
    action: r4.action,
    recorded: r4.recorded,
    outcome: { code: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-outcome', code: s.outcome ?? '0' } },
    agent: agents,
    source: { observer: { display: s.observer } },
  };
  if (s.purpose) e.authorization = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: s.purpose }] }];
  if (s.patient && !login) e.patient = { reference: `Patient/${s.patient}` };
  if (r4.entity) e.entity = (r4.entity as Record<string, unknown>[]).map((x) => ({ ...x, role: { coding: [x.role] } }));
  return e;
}

/** DICOM PS3.15 A.5 audit message XML (one line), for ATNA syslog. */
export interface AtnaSpec {
  t: number;
  eventId: [string, string];
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  outcome?: string;
  participants: { userId: string; ae?: string; name?: string; requestor: boolean; ip: string; role?: [string, string] }[];
  patient?: { id: string; name?: string };
  study?: { uid: string; instances: number };
  query?: string;
  source: string;
}

const xa = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function atnaXml(s: AtnaSpec): string {
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?><AuditMessage>'];
  parts.push(`<EventIdentification EventActionCode="${s.action}" EventDateTime="${new Date(s.t).toISOString()}" EventOutcomeIndicator="${s.outcome ?? '0'}"><EventID csd-code="${s.eventId[0]}" codeSystemName="DCM" originalText="${xa(s.eventId[1])}"/></EventIdentification>`);
  for (const p of s.participants) {
    parts.push(`<ActiveParticipant UserID="${xa(p.userId)}"${p.ae ? ` AlternativeUserID="AETITLES=${xa(p.ae)}"` : ''}${p.name ? ` UserName="${xa(p.name)}"` : ''} UserIsRequestor="${p.requestor}" NetworkAccessPointID="${p.ip}" NetworkAccessPointTypeCode="2">`);
    if (p.role) parts.push(`<RoleIDCode csd-code="${p.role[0]}" codeSystemName="DCM" originalText="${p.role[1]}"/>`);
    parts.push('</ActiveParticipant>');
  }
  parts.push(`<AuditSourceIdentification AuditSourceID="${xa(s.source)}"><AuditSourceTypeCode csd-code="4"/></AuditSourceIdentification>`);
  if (s.study) parts.push(`<ParticipantObjectIdentification ParticipantObjectID="${s.study.uid}" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3"><ParticipantObjectIDTypeCode csd-code="110180" codeSystemName="DCM" originalText="Study Instance UID"/><ParticipantObjectDescription><SOPClass UID="1.2.840.10008.5.1.4.1.1.2" NumberOfInstances="${s.study.instances}"/></ParticipantObjectDescription></ParticipantObjectIdentification>`);
  if (s.query !== undefined) parts.push(`<ParticipantObjectIdentification ParticipantObjectID="1.2.840.10008.5.1.4.1.2.2.1" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3"><ParticipantObjectIDTypeCode csd-code="110181" codeSystemName="DCM" originalText="SOP Class UID"/><ParticipantObjectQuery>${Buffer.from(s.query).toString('base64')}</ParticipantObjectQuery></ParticipantObjectIdentification>`);
  if (s.patient) parts.push(`<ParticipantObjectIdentification ParticipantObjectID="${xa(s.patient.id)}" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1"><ParticipantObjectIDTypeCode csd-code="2"/>${s.patient.name ? `<ParticipantObjectName>${xa(s.patient.name)}</ParticipantObjectName>` : ''}</ParticipantObjectIdentification>`);
  parts.push('</AuditMessage>');
  return parts.join('');
}

/** RFC 5424 line carrying an ATNA message (IHE ITI-20: APP-NAME, MSGID "IHE+RFC-3881"). */
export function atnaSyslogLine(t: number, host: string, app: string, xml: string): string {
  // PRI 85 = facility 10 (authpriv) * 8 + severity 5 (notice), as IHE ITI TF-2 §3.20.4.2.2.1 recommends.
  return `<85>1 ${new Date(t).toISOString()} ${host} ${app} - IHE+RFC-3881 - ${xml}`;
}

export const SRC_ROLE: [string, string] = ['110153', 'Source Role ID'];
export const DST_ROLE: [string, string] = ['110152', 'Destination Role ID'];

/** HL7 DTM from ms. */
export function dtm(t: number): string {
  return new Date(t).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export interface AdtSpec {
  t: number;
  trigger: 'A01' | 'A02' | 'A03' | 'A04' | 'A08' | 'A11' | 'A13';
  controlId: string;
  mrn: string;
  family: string;
  given: string;
  birthDate: string;
  sex: string;
  street: string;
  city: string;
  postalCode: string;
  patientClass: 'I' | 'E' | 'O';
  location: [string, string, string];
  priorLocation?: [string, string, string];
  attending?: [string, string, string];
  admitting?: [string, string, string];
  service: string;
  visit: string;
  admitted: number;
  discharged?: number;
  operator: string;
}

/** ADT message (HL7 v2.5.1 Ch. 3), segments joined by CR. */
export function adtMessage(s: AdtSpec, facility: string): string {
  const e = (v: string): string => escapeHl7(v);
  const pv1: string[] = new Array(46).fill('');
  pv1[0] = 'PV1';
  pv1[1] = '1';
  pv1[2] = s.patientClass;
  pv1[3] = `${s.location.map(e).join('^')}^${facility}`;
  if (s.priorLocation) pv1[6] = s.priorLocation.map(e).join('^');
  if (s.attending) pv1[7] = s.attending.map(e).join('^');
  pv1[10] = s.service;
  if (s.admitting) pv1[17] = s.admitting.map(e).join('^');
  pv1[19] = s.visit;
  pv1[44] = dtm(s.admitted);
  if (s.discharged) pv1[45] = dtm(s.discharged);
  return [
    `MSH|^~\\&|ADT|${facility}|WARD|${facility}|${dtm(s.t)}||ADT^${s.trigger}^ADT_${s.trigger === 'A08' || s.trigger === 'A13' ? 'A01' : s.trigger === 'A04' ? 'A01' : s.trigger}|${s.controlId}|P|2.5.1`,
    `EVN|${s.trigger}|${dtm(s.t)}|||${e(s.operator)}`,
    `PID|1||${s.mrn}^^^${facility}^MR||${e(s.family)}^${e(s.given)}||${s.birthDate.replace(/-/g, '')}|${s.sex}|||${e(s.street)}^^${e(s.city)}^^${s.postalCode}`,
    pv1.join('|'),
  ].join('\r');
}

/** One EHR access CSV row (RFC 4180 quoting), columns as EHR_HEADER. */
export function ehrRow(cols: (string | undefined)[]): string {
  return cols.map((c) => {
    const v = c ?? '';
    return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');
}
