import type { Level } from '../detect/index.js';

export const INCIDENT_STATUSES = ['new', 'triage', 'contained', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** One rule firing on one host/user, deduplicated: repeats within the window raise `count`. */
export interface Alert {
  id: string;
  orgId: string;
  incidentId: string;
  /** Same key within the dedup window ⇒ same alert (rule, host, user, correlation group). */
  dedupKey: string;
  kind: string;
  ruleId: string;
  ruleTitle: string;
  level: Level;
  tags: string[];
  /** ATT&CK tactics (kill-chain order) and technique ids taken from the rule's tags. */
  tactics: string[];
  techniques: string[];
  host?: string;
  user?: string;
  /** Event time of the first and latest occurrence (ms since epoch). */
  firstSeen: number;
  lastSeen: number;
  count: number;
  /** Matched field values of the first occurrence. */
  fields: Record<string, unknown>;
  /** Stored event sequence numbers kept as evidence (capped, oldest first). */
  eventSeqs: number[];
  ruleDescription?: string;
  ruleSource?: string;
  explanation?: string;
  createdAt: number;
  updatedAt: number;
}

export interface TimelineEntry {
  time: number;
  alertId: string;
  ruleTitle: string;
  level: Level;
  tactic?: string;
  technique?: string;
  host?: string;
  user?: string;
}

export interface IncidentNote {
  time: number;
  author: string;
  text: string;
}

export interface Incident {
  id: string;
  orgId: string;
  title: string;
  status: IncidentStatus;
  severity: Level;
  assignee?: string;
  hosts: string[];
  users: string[];
  /** ATT&CK tactics seen, in kill-chain order. */
  tactics: string[];
  /** Why alerts were grouped: 'host', 'user', 'chain' (ATT&CK progression across hosts). */
  groupedBy: string[];
  alertCount: number;
  firstSeen: number;
  lastSeen: number;
  /** Alerts in event-time order (capped; first entry per alert). */
  timeline: TimelineEntry[];
  notes: IncidentNote[];
  /** Status changes: who, when, from → to. */
  history: { time: number; actor: string; change: string }[];
  createdAt: number;
  updatedAt: number;
}

export interface IncidentPatch {
  status?: IncidentStatus;
  assignee?: string | null;
  severity?: Level;
  note?: string;
  title?: string;
}
