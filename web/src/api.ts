/** The console's API client: bearer session token from login, kept in localStorage. */
const KEY = 'ward.session';

export interface Session {
  token: string;
  user: { id: string; email: string; name: string; role: 'admin' | 'analyst' | 'viewer' };
  org?: { id: string; name: string; slug: string };
}

export function getSession(): Session | undefined {
  try {
    const s = localStorage.getItem(KEY);
    return s ? (JSON.parse(s) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function setSession(s: Session | undefined): void {
  if (s) localStorage.setItem(KEY, JSON.stringify(s));
  else localStorage.removeItem(KEY);
  window.dispatchEvent(new Event('ward-session'));
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const s = getSession();
  const res = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(s ? { authorization: `Bearer ${s.token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const data = (await res.json().catch(() => ({}))) as { error?: { message: string } };
  if (res.status === 401 && !path.startsWith('/auth/login')) setSession(undefined);
  if (!res.ok) throw new ApiError(res.status, data.error?.message ?? `HTTP ${res.status}`);
  return data as T;
}

export interface Alert {
  id: string;
  incidentId: string;
  ruleId: string;
  ruleTitle: string;
  level: string;
  tags: string[];
  tactics: string[];
  techniques: string[];
  host?: string;
  user?: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  fields: Record<string, unknown>;
  eventSeqs: number[];
  ruleDescription?: string;
  ruleSource?: string;
  explanation?: string;
  kind: string;
}

export interface Incident {
  id: string;
  title: string;
  status: 'new' | 'triage' | 'contained' | 'closed';
  severity: string;
  assignee?: string;
  hosts: string[];
  users: string[];
  tactics: string[];
  groupedBy: string[];
  alertCount: number;
  firstSeen: number;
  lastSeen: number;
  timeline: { time: number; alertId: string; ruleTitle: string; level: string; tactic?: string; technique?: string; host?: string; user?: string }[];
  notes: { time: number; author: string; text: string }[];
  history: { time: number; actor: string; change: string }[];
}

export const fmtTime = (t: number | undefined): string => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '–');
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
export const TACTICS = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation', 'defense-evasion',
  'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control', 'exfiltration', 'impact',
];
export const attackUrl = (t: string) => `https://attack.mitre.org/techniques/${t.toUpperCase().replace('.', '/')}/`;
