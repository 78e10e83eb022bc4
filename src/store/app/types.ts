import type { Alert, Incident, IncidentStatus } from '../../alerts/index.js';

/**
 * The application store behind `ward serve`: organisations (tenants), users, tokens, events,
 * alerts, incidents, rule switches and the detection cursor. Every read that returns tenant data
 * takes the organisation id, so a caller cannot forget the scope. SQLite is the default; a
 * PostgreSQL implementation satisfies the same interface and the same test suite.
 */
export const ROLES = ['admin', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Org {
  id: string;
  name: string;
  slug: string;
  createdAt: number;
}

export interface User {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  /** scrypt hash in the form `scrypt$N$r$p$salt$hash` (base64). */
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
}

/** 'source': may only send events; 'api': acts with `role`; 'session': a console login. */
export type TokenKind = 'source' | 'api' | 'session';

export interface TokenRecord {
  id: string;
  orgId: string;
  userId?: string;
  name: string;
  kind: TokenKind;
  role: Role;
  /** SHA-256 of the secret (hex); the secret itself is shown once and never stored. */
  hash: string;
  /** First characters of the secret, to let people tell tokens apart. */
  prefix: string;
  createdAt: number;
  expiresAt?: number;
  lastUsedAt?: number;
  revoked: boolean;
}

export interface EventInput {
  source: string;
  /** Reader format hint passed to normalize (e.g. 'json', 'syslog', 'evtx'). */
  format: string;
  receivedAt: number;
  /**
   * Raw record as JSON text, or as its UTF-8 bytes (an NDJSON line sliced out of a request body
   * without decoding it); either way it is stored as text, unchanged.
   */
  raw: string | Uint8Array;
}

export interface LinesInput {
  source: string;
  format: string;
  receivedAt: number;
  buf: Uint8Array;
  offsets: Uint32Array;
  count: number;
}

export interface StoredEvent extends Omit<EventInput, 'raw'> {
  seq: number;
  orgId: string;
  raw: string;
}

export interface AlertQuery {
  levels?: string[];
  host?: string;
  ruleId?: string;
  incidentId?: string;
  tactic?: string;
  /** Case-insensitive substring over title, rule, host, user, tags and matched values. */
  q?: string;
  since?: number;
  until?: number;
  limit?: number;
  offset?: number;
}

export interface IncidentQuery {
  statuses?: IncidentStatus[];
  assignee?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface AlertStats {
  total: number;
  byLevel: Record<string, number>;
  byTactic: Record<string, number>;
  byHost: { host: string; count: number }[];
  overTime: { time: number; count: number }[];
  /** Bucket width of overTime (ms). */
  bucketMs: number;
}

export interface SourceStats {
  source: string;
  events: number;
  lastSeen: number;
}

export interface DetectionBatch {
  alerts: Alert[];
  incidents: Incident[];
  /** Advances the "detected up to" cursor in the same transaction as the alerts. */
  cursor?: { name: string; seq: number };
}

export interface AppStore {
  readonly kind: string;
  close(): Promise<void>;

  createOrg(o: { name: string; slug: string }): Promise<Org>;
  getOrg(id: string): Promise<Org | undefined>;
  getOrgBySlug(slug: string): Promise<Org | undefined>;
  listOrgs(): Promise<Org[]>;

  createUser(u: { orgId: string; email: string; name: string; role: Role; passwordHash: string }): Promise<User>;
  /** Users are looked up by e-mail across organisations at login (e-mail is unique). */
  getUserByEmail(email: string): Promise<User | undefined>;
  getUser(orgId: string, id: string): Promise<User | undefined>;
  listUsers(orgId: string): Promise<User[]>;
  updateUser(orgId: string, id: string, patch: Partial<Pick<User, 'name' | 'role' | 'passwordHash' | 'disabled'>>): Promise<User | undefined>;
  countUsers(): Promise<number>;

  createToken(t: Omit<TokenRecord, 'id' | 'createdAt' | 'revoked' | 'lastUsedAt'>): Promise<TokenRecord>;
  findTokenByHash(hash: string): Promise<TokenRecord | undefined>;
  listTokens(orgId: string, kind?: TokenKind): Promise<TokenRecord[]>;
  revokeToken(orgId: string, id: string): Promise<boolean>;
  touchToken(id: string, time: number): Promise<void>;
  deleteExpiredTokens(now: number): Promise<number>;

  /** Durably appends events (one transaction); returns the sequence numbers assigned, in order. */
  appendEvents(orgId: string, events: EventInput[]): Promise<number[]>;
  /**
   * Optional fast path of appendEvents for JSON lines of one source received together, as UTF-8
   * bytes: line i is buf[offsets[2i], offsets[2i + 1]). No object per event.
   */
  appendLines?(orgId: string, lines: LinesInput): Promise<Float64Array>;
  /** Events of every organisation after `seq`, in sequence order (detection replay). */
  readEventsAfter(seq: number, limit: number): Promise<StoredEvent[]>;
  getEvents(orgId: string, seqs: number[]): Promise<StoredEvent[]>;
  listEvents(orgId: string, q: { beforeSeq?: number; source?: string; limit?: number }): Promise<StoredEvent[]>;
  countEvents(orgId: string): Promise<number>;
  lastEventSeq(): Promise<number>;
  listSources(orgId: string): Promise<SourceStats[]>;

  getCursor(name: string): Promise<number>;
  saveDetectionBatch(b: DetectionBatch): Promise<void>;
  getAlert(orgId: string, id: string): Promise<Alert | undefined>;
  listAlerts(orgId: string, q: AlertQuery): Promise<Page<Alert>>;
  /** `bucketMs` 0: chosen from the alerts' time range (see summarizeAlerts). */
  alertStats(orgId: string, since: number, bucketMs: number): Promise<AlertStats>;
  getIncident(orgId: string, id: string): Promise<Incident | undefined>;
  listIncidents(orgId: string, q: IncidentQuery): Promise<Page<Incident>>;
  saveIncident(inc: Incident): Promise<void>;
  /** Alerts seen since `since` and incidents not closed and seen since `since` (engine warm-up). */
  loadRecent(since: number): Promise<{ alerts: Alert[]; incidents: Incident[] }>;

  setRuleEnabled(orgId: string, ruleId: string, enabled: boolean): Promise<void>;
  /** Disabled rule ids per organisation. */
  disabledRules(): Promise<Map<string, Set<string>>>;
}
