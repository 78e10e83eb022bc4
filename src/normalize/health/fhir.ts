import { NormalizedEvent } from '../event.js';
import type { Layout } from '../registry.js';
import { parseTimestamp } from '../time.js';
import {
  arr, codes, compact, decodeBase64, displays, idFromRef, networkScope, obj, operationIn, resourceTypeOf, str,
  type Obj,
} from './common.js';

/** R4 audit-event-outcome codes (also the R5 outcome.code system). */
const OUTCOME_TEXT: Record<string, string> = { '0': 'success', '4': 'minor-failure', '8': 'serious-failure', '12': 'major-failure' };

/**
 * Purpose-of-use codes that mean break-the-glass (HL7 v3 ActReason): BTG, and the emergency
 * treatment reasons ETREAT / ERTREAT that BALP and IHE IUA use when an emergency override applies.
 */
const BREAK_GLASS = new Set(['BTG', 'ETREAT', 'ERTREAT']);

/**
 * FHIR AuditEvent (R4 §6.4, R5 §6.4) → flat fields for Sigma (documented in
 * data/logsources/health.yaml). R4 and R5 differ: R4 `type`/`subtype`/`outcome` code/`network.address`/
 * `purposeOfEvent`; R5 `category`/`code`/`outcome.code`/`networkString`/`authorization`/`patient`.
 * IHE BALP: the requestor agent is the user; the entity with role 1 (object-role) is the patient;
 * the entity with role 24 carries the query, base64-encoded.
 */
export const fhirAuditLayout: Layout = {
  name: 'fhir-audit',
  accepts(record, format) {
    return format === 'fhir-audit' || record.resourceType === 'AuditEvent';
  },
  normalize(record, loc) {
    const r = record;
    const r5 = r.code !== undefined || r.category !== undefined || obj(r.outcome) !== undefined;
    const f: Obj = { FhirVersion: r5 ? 'R5' : 'R4', AuditEventId: str(r.id) };

    const typeCodes = r5 ? codes(r.category) : codes(r.type);
    const subCodes = r5 ? codes(r.code) : codes(r.subtype);
    f.EventType = typeCodes[0];
    f.EventTypes = typeCodes;
    f.Subtype = subCodes[0];
    f.Subtypes = subCodes;
    f.EventDisplay = (r5 ? displays(r.code) : displays(r.subtype))[0] ?? (r5 ? displays(r.category) : displays(r.type))[0];
    f.Action = str(r.action);
    const oc = r5 ? codes(obj(r.outcome)?.code)[0] : str(r.outcome);
    f.Outcome = oc;
    f.OutcomeText = oc !== undefined ? (OUTCOME_TEXT[oc] ?? oc) : undefined;
    f.OutcomeDesc = r5 ? displays(obj(r.outcome)?.detail)[0] : str(r.outcomeDesc);
    f.Recorded = str(r.recorded);

    // Agents: the requestor is the user (BALP); an Application-typed agent (DICOM 110150) or the
    // first other agent is the client software.
    const agents = arr(r.agent).map(obj).filter((a): a is Obj => !!a);
    const user = agents.find((a) => a.requestor === true) ?? agents[0];
    const client = agents.find((a) => a !== user && (codes(a.type).includes('110150') || codes(a.role).includes('110150'))) ??
      agents.find((a) => a !== user);
    if (user) {
      const who = obj(user.who);
      f.AgentUser = str(obj(who?.identifier)?.value) ?? str(who?.reference) ?? str(user.altId) ?? str(who?.display) ?? str(user.name);
      f.AgentUserName = str(who?.display) ?? str(user.name);
      f.AgentUserRef = str(who?.reference);
      f.AgentAltId = str(user.altId);
      f.AgentType = codes(user.type)[0];
      const roles = codes(user.role);
      f.AgentRole = roles[0];
      f.AgentRoles = roles;
      const addr = str(obj(user.network)?.address) ?? str(user.networkString) ?? str(user.networkUri);
      f.AgentNetworkAddress = addr;
      f.AgentNetworkScope = networkScope(addr);
    }
    if (client) {
      const who = obj(client.who);
      f.AgentClient = str(obj(who?.identifier)?.value) ?? str(who?.display) ?? str(who?.reference) ?? str(client.name);
      if (f.AgentNetworkAddress === undefined) {
        const addr = str(obj(client.network)?.address) ?? str(client.networkString) ?? str(client.networkUri);
        f.AgentNetworkAddress = addr;
        f.AgentNetworkScope = networkScope(addr);
      }
    }
    const purpose = [
      ...codes(r5 ? r.authorization : r.purposeOfEvent),
      ...agents.flatMap((a) => codes(r5 ? a.authorization : a.purposeOfUse)),
    ];
    f.PurposeOfUse = purpose[0];
    f.PurposesOfUse = purpose;
    f.BreakGlass = purpose.some((c) => BREAK_GLASS.has(c));

    const src = obj(r.source);
    const observer = obj(src?.observer);
    f.SourceObserver = str(observer?.display) ?? str(obj(observer?.identifier)?.value) ?? str(observer?.reference);
    f.SourceSite = str(src?.site) ?? str(obj(src?.site)?.display);

    // Entities: patients (object-role 1 or a Patient reference), the query (role 24), the rest.
    const patients = new Set<string>();
    const r5patient = str(obj(r.patient)?.reference);
    if (r5patient) patients.add(r5patient);
    let query: string | undefined;
    const details: string[] = [];
    const types: string[] = [];
    let entityRef: string | undefined;
    for (const e of arr(r.entity)) {
      const eo = obj(e);
      if (!eo) continue;
      const ref = str(obj(eo.what)?.reference);
      const role = codes(eo.role);
      const rt = resourceTypeOf(ref);
      if (role.includes('1') || rt === 'Patient') {
        if (ref) patients.add(ref);
        else {
          const id = str(obj(obj(eo.what)?.identifier)?.value);
          if (id) patients.add(`Patient/${id}`);
        }
      } else if (ref && !entityRef) entityRef = ref;
      if (rt && !types.includes(rt)) types.push(rt);
      if (eo.query !== undefined) query ??= decodeBase64(eo.query);
      for (const d of arr(eo.detail)) {
        const dd = obj(d);
        const v = str(dd?.valueString) ?? decodeBase64(dd?.valueBase64Binary);
        if (v) details.push(v);
      }
    }
    const pList = [...patients];
    f.PatientRef = pList[0];
    f.PatientID = idFromRef(pList[0]) ?? pList[0];
    f.PatientRefs = pList;
    f.PatientCount = pList.length;
    f.EntityType = types.find((t) => t !== 'Patient') ?? types[0];
    f.EntityTypes = types;
    f.EntityRef = entityRef;
    f.Query = query;
    f.Operation = operationIn(...subCodes, ...(r5 ? displays(r.code) : displays(r.subtype)), query, entityRef, ...details);

    const ts = parseTimestamp(r.recorded) ?? parseTimestamp(r.occurredDateTime) ?? parseTimestamp(obj(r.period)?.start);
    return new NormalizedEvent(compact(f), record, 'fhir-audit', ts, f.SourceObserver as string | undefined, loc);
  },
};
