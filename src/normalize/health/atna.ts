import type { AtnaMessage, AtnaParticipant, CodedValue } from '../../sources/index.js';
import { NormalizedEvent } from '../event.js';
import type { Layout } from '../registry.js';
import { parseTimestamp } from '../time.js';
import { compact, decodeBase64, networkScope, obj, str, type Obj } from './common.js';
import { parseAtnaFromSyslog } from './atna-syslog.js';

/** PS3.15 A.5.1 EventOutcomeIndicator. */
const OUTCOME_TEXT: Record<string, string> = { '0': 'success', '4': 'minor-failure', '8': 'serious-failure', '12': 'major-failure' };

/** DCM role codes (PS3.16 CID 402 "Audit Active Participant Role ID Code"). */
const ROLE_SOURCE = '110153';
const ROLE_DEST = '110152';
const ROLE_APP = '110150';

/**
 * ATNA / DICOM audit message → flat fields. Names follow the message (`EventID`, `EventActionCode`,
 * `UserID` …) and, where the meaning is the same, the FHIR layout's names (`AgentUser`,
 * `AgentNetworkAddress`, `PatientID`, `Outcome`), so one rule can cover both audit trails.
 * AE titles come from AlternativeUserID "AETITLES=A;B" (PS3.15 A.5.2.2).
 *
 * Also accepts records from the generic syslog reader whose message carries an `<AuditMessage>`
 * (the XML is parsed here then), so ATNA-over-syslog works whichever reader claimed the file.
 */
export const atnaLayout: Layout = {
  name: 'atna',
  accepts(record, format) {
    if (format === 'atna' || obj(record.atna)) return true;
    return typeof record.message === 'string' && record.message.includes('<AuditMessage');
  },
  normalize(record, loc) {
    let msg = obj(record.atna) as AtnaMessage | undefined;
    let sys = obj(record.syslog) ?? (msg ? undefined : record);
    const f: Obj = {};
    if (!msg) {
      const r = parseAtnaFromSyslog(record);
      if (r.ok) msg = r.message;
      else f.ParseError = r.error;
      sys = record;
    }
    if (msg) flatten(msg, f);
    const host = str(sys?.hostname) ?? (f.AuditSourceID as string | undefined);
    f.Computer = host;
    const ts = parseTimestamp(f.EventDateTime) ?? parseTimestamp(sys?.timestamp);
    return new NormalizedEvent(compact(f), record, 'atna', ts, host, loc);
  },
};

function aeTitles(p: AtnaParticipant | undefined): string | undefined {
  const alt = p?.AlternativeUserID;
  if (!alt) return undefined;
  const m = /AETITLES=([^\s]+)/i.exec(alt);
  return m ? m[1].split(';')[0] : undefined;
}

const hasRole = (p: AtnaParticipant, code: string): boolean => p.RoleIDCode.some((c) => c.code === code);
const name = (c: CodedValue | undefined): string | undefined => c?.originalText ?? c?.displayName;

function flatten(m: AtnaMessage, f: Obj): void {
  const ev = m.EventIdentification;
  f.EventID = ev.EventID.code;
  f.EventName = name(ev.EventID);
  f.EventActionCode = ev.EventActionCode;
  f.Action = ev.EventActionCode;
  f.EventDateTime = ev.EventDateTime;
  f.Outcome = ev.EventOutcomeIndicator;
  f.OutcomeText = ev.EventOutcomeIndicator !== undefined ? (OUTCOME_TEXT[ev.EventOutcomeIndicator] ?? ev.EventOutcomeIndicator) : undefined;
  f.OutcomeDesc = ev.EventOutcomeDescription;
  f.EventTypeCode = ev.EventTypeCode[0]?.code;
  f.EventTypeName = name(ev.EventTypeCode[0]);
  f.PurposeOfUse = ev.PurposeOfUse[0]?.code;
  f.BreakGlass = ev.PurposeOfUse.some((c) => c.code === 'BTG' || c.code === 'ETREAT');

  const ps = m.ActiveParticipant;
  // PS3.15: UserIsRequestor defaults to true; the first requestor that is not the application.
  const requestor = ps.find((p) => p.UserIsRequestor === true && !hasRole(p, ROLE_APP)) ?? ps.find((p) => p.UserIsRequestor !== false);
  const src = ps.find((p) => hasRole(p, ROLE_SOURCE));
  const dst = ps.find((p) => hasRole(p, ROLE_DEST));
  const app = ps.find((p) => hasRole(p, ROLE_APP));
  if (requestor) {
    f.UserID = requestor.UserID;
    f.UserName = requestor.UserName;
    f.AlternativeUserID = requestor.AlternativeUserID;
    f.AgentUser = requestor.UserName ?? requestor.UserID;
    f.AgentRole = requestor.RoleIDCode[0]?.code;
    f.AgentNetworkAddress = requestor.NetworkAccessPointID;
    f.AgentNetworkScope = networkScope(requestor.NetworkAccessPointID);
  }
  if (src) {
    f.SourceUserID = src.UserID;
    f.SourceAETitle = aeTitles(src);
    f.SourceNetworkAddress = src.NetworkAccessPointID;
  }
  if (dst) {
    f.DestinationUserID = dst.UserID;
    f.DestinationAETitle = aeTitles(dst);
    f.DestinationNetworkAddress = dst.NetworkAccessPointID;
    f.DestinationNetworkScope = networkScope(dst.NetworkAccessPointID);
  }
  if (app) f.Application = app.UserID;
  f.ParticipantCount = ps.length;

  const as = m.AuditSourceIdentification[0];
  f.AuditSourceID = as?.AuditSourceID;
  f.AuditEnterpriseSiteID = as?.AuditEnterpriseSiteID;

  const studies: string[] = [];
  let instances = 0;
  for (const o of m.ParticipantObjectIdentification) {
    const typeCode = o.ParticipantObjectTypeCode;
    const role = o.ParticipantObjectTypeCodeRole;
    const idType = o.ParticipantObjectIDTypeCode?.code;
    if ((typeCode === '1' && role === '1') || idType === '2') {
      f.PatientID ??= o.ParticipantObjectID;
      f.PatientName ??= o.ParticipantObjectName;
    }
    if (idType === '110180' && o.ParticipantObjectID) studies.push(o.ParticipantObjectID);
    studies.push(...o.StudyIDs);
    for (const c of o.SOPClass) instances += c.NumberOfInstances ?? 0;
    if (o.ParticipantObjectQuery !== undefined) {
      // The query is a base64 DICOM dataset (PS3.15 A.5.3 "Query"); decoded as Latin-1 text so
      // matching keys and the wildcards "*" / "?" (PS3.4 C.2.2.2.4) are visible to rules.
      const q = decodeBase64(o.ParticipantObjectQuery);
      f.Query ??= q;
      f.QuerySOPClass ??= o.ParticipantObjectID;
    }
  }
  if (f.Query !== undefined) f.QueryWildcard = /[*?]/.test(String(f.Query)) || /=\s*(;|$)/.test(String(f.Query));
  f.StudyUID = studies[0];
  f.StudyCount = new Set(studies).size;
  f.InstanceCount = instances;
}
