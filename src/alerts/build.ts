import type { Detection } from '../detect/index.js';
import type { WardEvent } from '../normalize/index.js';
import { attackFromTags } from './attack.js';

/** Field names that carry the acting or targeted account, most specific first. */
const USER_FIELDS = [
  'TargetUserName', 'SubjectUserName', 'User', 'UserName', 'AccountName', 'user.name', 'user', 'username',
  'Account_Name', 'SamAccountName',
];
/** Accounts that say nothing about who is behind an action: never a grouping key. */
const GENERIC_USERS = new Set([
  '-', '', 'system', 'nt authority\\system', 'local service', 'network service', 'anonymous logon',
  'nt authority\\local service', 'nt authority\\network service', 'n/a', 'unknown', 'localsystem',
]);

export function isGenericUser(u: string): boolean {
  const l = u.toLowerCase();
  return GENERIC_USERS.has(l) || l.endsWith('$'); // machine accounts end with '$'
}

/** Comparable form of an account name: `RVH\\adm.jchen`, `adm.jchen@rvh.local`, `ADM.JCHEN` are one. */
export function userKey(u: string): string {
  let k = u.toLowerCase();
  const bs = k.lastIndexOf('\\');
  if (bs >= 0) k = k.slice(bs + 1);
  const at = k.indexOf('@');
  if (at > 0) k = k.slice(0, at);
  return k;
}

/** The user a detection is about, if any (skipping SYSTEM-like and machine accounts). */
export function detectionUser(d: Detection): string | undefined {
  for (const f of USER_FIELDS) {
    const v = d.fields[f] ?? d.event?.get(f) ?? d.correlation?.group[f];
    if (typeof v === 'string' && !isGenericUser(v)) return v;
  }
  return undefined;
}

export function detectionHost(d: Detection): string | undefined {
  if (d.host) return d.host;
  const g = d.correlation?.group;
  for (const f of ['Computer', 'host', 'Hostname', 'hostname']) {
    const v = d.fields[f] ?? g?.[f];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

export interface AlertFacts {
  ruleId: string;
  ruleTitle: string;
  kind: string;
  host?: string;
  user?: string;
  tactics: string[];
  techniques: string[];
  dedupKey: string;
  time: number;
}

/** What the alert engine needs to know about a detection, computed once. */
export function alertFacts(orgId: string, d: Detection, now: number): AlertFacts {
  const host = detectionHost(d);
  const user = detectionUser(d);
  const { tactics, techniques } = attackFromTags(d.rule.tags ?? []);
  // Correlations fire per group: the group values are part of their identity.
  const group = d.correlation ? JSON.stringify(d.correlation.group) : '';
  const dedupKey = [orgId, d.rule.id, host?.toLowerCase() ?? '', user ? userKey(user) : '', group].join('\u0000');
  return { ruleId: d.rule.id, ruleTitle: d.rule.title, kind: d.kind, host, user, tactics, techniques, dedupKey, time: d.timestamp ?? now };
}

/** Lower-cased string values in matched fields: used to spot one host naming another. */
/** Event fields that name another machine (logon source, connection peer, remote target). */
const PEER_FIELDS = [
  'WorkstationName', 'IpAddress', 'SourceHostname', 'SourceIp', 'DestinationHostname', 'DestinationIp',
  'SourceWorkstation', 'ClientAddress', 'source.ip', 'destination.ip', 'source.domain', 'destination.domain',
];

/** Lower-cased string values in matched and peer fields: used to spot one host naming another. */
export function referencedValues(d: Detection): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.length >= 2 && v.length <= 255 && v !== '-') out.push(v.toLowerCase());
  };
  for (const v of Object.values(d.fields)) add(v);
  if (d.event) for (const f of PEER_FIELDS) add(d.event.get(f));
  return out;
}

/** Every event field the alert engine reads from `Detection.event` (users and peers). */
const EVENT_FIELDS = [...new Set([...USER_FIELDS, ...PEER_FIELDS])];

/** A detection as plain data (it can cross a thread): the event is reduced to the fields alerts read. */
export type PortableDetection = Omit<Detection, 'event'> & { eventFields?: Record<string, unknown> };

/** The fields of an event `toPortable` keeps (compute once per event, share among its detections). */
export function eventFieldsOf(event: WardEvent): Record<string, unknown> {
  const eventFields: Record<string, unknown> = {};
  for (const f of EVENT_FIELDS) {
    const v = event.get(f);
    if (v !== undefined) eventFields[f] = v;
  }
  return eventFields;
}

export function toPortable(d: Detection, eventFields?: Record<string, unknown>): PortableDetection {
  const { event, ...rest } = d;
  if (!event) return rest;
  return { ...rest, eventFields: eventFields ?? eventFieldsOf(event) };
}

/** The detection back, with an event view that answers the fields `toPortable` kept. */
export function fromPortable(p: PortableDetection): Detection {
  const { eventFields, ...rest } = p;
  if (!eventFields) return rest;
  // Only `get` of these fields is ever called on a detection's event by the alert engine.
  const event = { get: (f: string) => eventFields[f] } as unknown as WardEvent;
  return { ...rest, event };
}
