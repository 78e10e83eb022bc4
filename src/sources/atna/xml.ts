import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * DICOM PS3.15 Annex A.5 audit message (the IHE ATNA schema, derived from RFC 3881), parsed from
 * its XML payload alone: the syslog framing (RFC 5424/5425, IHE ITI TF-2 §3.20.4.2) is handled by
 * the caller, so the same parser serves files, syslog lines and network listeners.
 *
 * The result keeps the message's structure (one object per element, attributes as properties,
 * coded values normalised) — the layout in normalize/health/atna.ts flattens it for rules.
 */
export interface CodedValue {
  /** `csd-code` (DICOM) or `code` (RFC 3881). */
  code?: string;
  codeSystemName?: string;
  displayName?: string;
  originalText?: string;
}

export interface AtnaParticipant {
  UserID?: string;
  AlternativeUserID?: string;
  UserName?: string;
  UserIsRequestor?: boolean;
  NetworkAccessPointID?: string;
  NetworkAccessPointTypeCode?: string;
  RoleIDCode: CodedValue[];
  MediaType?: CodedValue;
}

export interface AtnaObject {
  ParticipantObjectID?: string;
  ParticipantObjectTypeCode?: string;
  ParticipantObjectTypeCodeRole?: string;
  ParticipantObjectDataLifeCycle?: string;
  ParticipantObjectSensitivity?: string;
  ParticipantObjectIDTypeCode?: CodedValue;
  ParticipantObjectName?: string;
  /** base64 in the message; kept as sent. */
  ParticipantObjectQuery?: string;
  ParticipantObjectDetail: { type: string; value: string }[];
  /** DICOM-specific: SOP classes and their instance counts, study UIDs. */
  SOPClass: { UID?: string; NumberOfInstances?: number }[];
  StudyIDs: string[];
}

export interface AtnaMessage {
  EventIdentification: {
    EventActionCode?: string;
    EventDateTime?: string;
    EventOutcomeIndicator?: string;
    EventOutcomeDescription?: string;
    EventID: CodedValue;
    EventTypeCode: CodedValue[];
    PurposeOfUse: CodedValue[];
  };
  ActiveParticipant: AtnaParticipant[];
  AuditSourceIdentification: { AuditEnterpriseSiteID?: string; AuditSourceID?: string; AuditSourceTypeCode: CodedValue[] }[];
  ParticipantObjectIdentification: AtnaObject[];
}

export type AtnaResult = { ok: true; message: AtnaMessage } | { ok: false; error: string; line?: number; column?: number };

const ARRAYS = new Set([
  'ActiveParticipant', 'RoleIDCode', 'AuditSourceIdentification', 'AuditSourceTypeCode', 'ParticipantObjectIdentification',
  'ParticipantObjectDetail', 'EventTypeCode', 'PurposeOfUse', 'SOPClass', 'StudyIDs', 'Instance', 'ParticipantObjectDescription',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
  // Only the five predefined XML entities are expanded; documents with a DTD are refused before
  // parsing (see parseAuditMessage), so no entity can expand into a billion laughs.
  processEntities: true,
  htmlEntities: false,
});

type X = Record<string, unknown>;
const o = (v: unknown): X => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as X) : {});
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): X[] => (Array.isArray(v) ? v.map(o) : v === undefined ? [] : [o(v)]);

function coded(v: unknown): CodedValue {
  const c = o(v);
  return { code: s(c['csd-code']) ?? s(c.code), codeSystemName: s(c.codeSystemName), displayName: s(c.displayName), originalText: s(c.originalText) };
}

/** Parses one `<AuditMessage>` document (an optional XML declaration and BOM are allowed). */
export function parseAuditMessage(xml: string): AtnaResult {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  // PS3.15 A.5 messages are schema-valid documents without a DOCTYPE; a DTD can only be an attack
  // (entity expansion, external entities).
  if (/<!DOCTYPE/i.test(text)) return { ok: false, error: 'DOCTYPE declarations are not allowed in audit messages' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, error: `malformed XML: ${valid.err.msg}`, line: valid.err.line, column: valid.err.col };
  let doc: X;
  try {
    doc = parser.parse(text) as X;
  } catch (err) {
    return { ok: false, error: `malformed XML: ${(err as Error).message}` };
  }
  const root = doc.AuditMessage;
  if (root === undefined) return { ok: false, error: 'root element is not <AuditMessage> (DICOM PS3.15 A.5.1)' };
  const m = o(root);
  const ev = o(m.EventIdentification);
  if (!m.EventIdentification) return { ok: false, error: '<EventIdentification> (required, PS3.15 A.5.1) is missing' };
  const eventId = coded(ev.EventID);
  if (!eventId.code) return { ok: false, error: '<EventID> code (required, PS3.15 A.5.1) is missing' };
  return {
    ok: true,
    message: {
      EventIdentification: {
        EventActionCode: s(ev.EventActionCode),
        EventDateTime: s(ev.EventDateTime),
        EventOutcomeIndicator: s(ev.EventOutcomeIndicator),
        EventOutcomeDescription: s(ev.EventOutcomeDescription),
        EventID: eventId,
        EventTypeCode: list(ev.EventTypeCode).map(coded),
        PurposeOfUse: list(ev.PurposeOfUse).map(coded),
      },
      ActiveParticipant: list(m.ActiveParticipant).map((p) => ({
        UserID: s(p.UserID),
        AlternativeUserID: s(p.AlternativeUserID),
        UserName: s(p.UserName),
        // xs:boolean: "true" or "1" (XML Schema Part 2 §3.2.2); default true per PS3.15.
        UserIsRequestor: p.UserIsRequestor === undefined ? undefined : p.UserIsRequestor === 'true' || p.UserIsRequestor === '1',
        NetworkAccessPointID: s(p.NetworkAccessPointID),
        NetworkAccessPointTypeCode: s(p.NetworkAccessPointTypeCode),
        RoleIDCode: list(p.RoleIDCode).map(coded),
        MediaType: p.MediaIdentifier ? coded(o(p.MediaIdentifier).MediaType) : undefined,
      })),
      AuditSourceIdentification: list(m.AuditSourceIdentification).map((a) => ({
        AuditEnterpriseSiteID: s(a.AuditEnterpriseSiteID),
        AuditSourceID: s(a.AuditSourceID),
        AuditSourceTypeCode: list(a.AuditSourceTypeCode).map((c) => ({ ...coded(c), code: coded(c).code ?? s(c['#text']) })),
      })),
      ParticipantObjectIdentification: list(m.ParticipantObjectIdentification).map((p) => {
        const desc = list(p.ParticipantObjectDescription);
        return {
          ParticipantObjectID: s(p.ParticipantObjectID),
          ParticipantObjectTypeCode: s(p.ParticipantObjectTypeCode),
          ParticipantObjectTypeCodeRole: s(p.ParticipantObjectTypeCodeRole),
          ParticipantObjectDataLifeCycle: s(p.ParticipantObjectDataLifeCycle),
          ParticipantObjectSensitivity: s(p.ParticipantObjectSensitivity),
          ParticipantObjectIDTypeCode: p.ParticipantObjectIDTypeCode ? coded(p.ParticipantObjectIDTypeCode) : undefined,
          ParticipantObjectName: s(p.ParticipantObjectName),
          ParticipantObjectQuery: s(p.ParticipantObjectQuery),
          ParticipantObjectDetail: list(p.ParticipantObjectDetail).map((d) => ({ type: s(d.type) ?? '', value: s(d.value) ?? '' })),
          SOPClass: [...list(p.SOPClass), ...desc.flatMap((d) => list(d.SOPClass))].map((c) => ({
            UID: s(c.UID),
            NumberOfInstances: c.NumberOfInstances !== undefined ? Number(c.NumberOfInstances) : undefined,
          })),
          StudyIDs: [...list(p.StudyIDs), ...desc.flatMap((d) => list(d.StudyIDs))].map((x) => s(x.UID)).filter((x): x is string => !!x),
        };
      }),
    },
  };
}

/** Index of the XML payload in a syslog MSG (after an optional BOM), or -1. */
export function findAuditPayload(msg: string): number {
  const decl = msg.indexOf('<?xml');
  const root = msg.indexOf('<AuditMessage');
  if (decl >= 0 && (root < 0 || decl < root)) return decl;
  return root;
}
