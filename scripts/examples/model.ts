/**
 * The abstract event the example generator builds before it is rendered in one of the three
 * layouts (evtx_dump nested JSON, flat NXLog JSON, ECS). It mirrors the parts of a Windows event
 * record (MS-EVEN6 System element + EventData or UserData) that the layouts need.
 */
export type Value = string | null;

export interface Host {
  /** NetBIOS name, e.g. RVH-ICU-WS03 */
  name: string;
  fqdn: string;
  ip: string;
  role: 'dc' | 'fileserver' | 'workstation';
  /** where this host's logs end up: which example file carries them */
  shipping: 'sysmon+nxlog' | 'winlogbeat';
}

export interface Provider {
  name: string;
  guid?: string;
  /** classic providers (Service Control Manager) also carry an EventSourceName attribute */
  sourceName?: string;
}

export interface WinEvent {
  /** ms since the epoch */
  t: number;
  /** order of creation: tie-breaker when two events share a timestamp */
  seq: number;
  host: Host;
  channel: string;
  provider: Provider;
  id: number;
  version: number;
  level: number;
  task: number;
  opcode: number;
  keywords: string;
  userSid: string | null;
  execPid: number;
  execTid: number;
  data?: Record<string, Value>;
  userData?: { root: string; fields: Record<string, Value> };
  /** one-line rendered message (NXLog `Message`, ECS `message`) */
  message: string;
  /** ECS extras a Winlogbeat module would add (event.category etc.); merged by the ECS renderer */
  ecs?: { category?: string[]; type?: string[]; action?: string; outcome?: string };
  recordId?: number;
}

export const DOMAIN = 'RVH';
export const DNS_DOMAIN = 'rvh.local';

export const HOSTS = {
  dc: { name: 'RVH-DC01', fqdn: 'RVH-DC01.rvh.local', ip: '10.20.0.10', role: 'dc', shipping: 'sysmon+nxlog' },
  fs: { name: 'RVH-FS01', fqdn: 'RVH-FS01.rvh.local', ip: '10.20.0.20', role: 'fileserver', shipping: 'winlogbeat' },
  icu: { name: 'RVH-ICU-WS03', fqdn: 'RVH-ICU-WS03.rvh.local', ip: '10.20.14.33', role: 'workstation', shipping: 'sysmon+nxlog' },
  rad: { name: 'RVH-RAD-WS01', fqdn: 'RVH-RAD-WS01.rvh.local', ip: '10.20.16.21', role: 'workstation', shipping: 'sysmon+nxlog' },
  pha: { name: 'RVH-PHA-WS02', fqdn: 'RVH-PHA-WS02.rvh.local', ip: '10.20.18.42', role: 'workstation', shipping: 'sysmon+nxlog' },
} as const satisfies Record<string, Host>;

export const ALL_HOSTS: Host[] = Object.values(HOSTS);

export interface User {
  name: string;
  sid: string;
  /** which workstation the user normally works at */
  home?: Host;
}

const DOMAIN_SID = 'S-1-5-21-2718281828-3141592653-1618033988';
export const USERS = {
  nurse: { name: 'n.okafor', sid: `${DOMAIN_SID}-1107`, home: HOSTS.icu },
  radiologist: { name: 'r.lindqvist', sid: `${DOMAIN_SID}-1112`, home: HOSTS.rad },
  pharmacist: { name: 'p.haddad', sid: `${DOMAIN_SID}-1121`, home: HOSTS.pha },
  admin: { name: 'adm.jchen', sid: `${DOMAIN_SID}-1004` },
  backup: { name: 'svc_backup', sid: `${DOMAIN_SID}-1010` },
} as const satisfies Record<string, User>;

export const SYSTEM_SID = 'S-1-5-18';

/** 2026-03-14T01:52:31.1234567Z: Windows SystemTime with 100-ns precision (MS-EVEN6 §2.2.15). */
export function systemTime(t: number, sub: number): string {
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}${String(sub).padStart(4, '0')}Z`);
}

/** 2026-03-14 01:52:31.123: the Sysmon UtcTime spelling (no zone, UTC by definition). */
export function utcTime(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace('Z', '');
}

export function at(iso: string): number {
  return Date.parse(iso);
}
