import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Alert, Incident } from '../../alerts/index.js';
import { levelRank } from '../../detect/index.js';
import {
  alertSearchText, incidentSearchText, likePattern, newId, summarizeAlerts,
  type AlertQuery, type AlertStats, type AppStore, type DetectionBatch, type EventInput, type IncidentQuery, type LinesInput,
  type Org, type Page, type Role, type SourceStats, type TokenKind, type TokenRecord, type User,
} from '../app/index.js';
import { Checkpointer } from './checkpointer.js';
import { WriterThread } from './writer.js';
import { Writes, type RowBatch } from './writes.js';
import { EventBlocks } from './blocks.js';
import { migrate } from './migrate.js';

type Row = Record<string, any>;

export interface SqliteStoreOptions {
  /** 'FULL' (default) survives power loss; 'NORMAL' in WAL mode survives process crashes only. */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * Run WAL checkpoints in a background thread instead of in the commits of event batches
   * (see checkpointer.ts). Default: on for files, off for ':memory:'.
   */
  backgroundCheckpoint?: boolean;
  /** Make event, alert and incident writes in a writer thread (writer.ts). Default: on for files. */
  writerThread?: boolean;
  /** Progress of a schema migration at open (migrate.ts), which can take a while on a large database. */
  log?: (msg: string) => void;
}

const toOrg = (r: Row): Org => ({ id: r.id, name: r.name, slug: r.slug, createdAt: r.created_at });
const toUser = (r: Row): User => ({
  id: r.id, orgId: r.org_id, email: r.email, name: r.name, role: r.role as Role, passwordHash: r.password_hash,
  disabled: r.disabled === 1, createdAt: r.created_at,
});
const toToken = (r: Row): TokenRecord => ({
  id: r.id, orgId: r.org_id, userId: r.user_id ?? undefined, name: r.name, kind: r.kind as TokenKind, role: r.role as Role,
  hash: r.hash, prefix: r.prefix, createdAt: r.created_at, expiresAt: r.expires_at ?? undefined,
  lastUsedAt: r.last_used_at ?? undefined, revoked: r.revoked === 1,
});

/**
 * SQLite application store (better-sqlite3). WAL journal so readers (API) never block the writer
 * (ingestion); `synchronous=FULL` so an acknowledged batch is on disk before the 200 goes out.
 * better-sqlite3 is synchronous: each method does its work before returning a settled promise.
 */
export class SqliteAppStore implements AppStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly st: Record<string, Database.Statement>;
  private readonly checkpointer: Checkpointer | undefined;
  private readonly writes: Writes;
  private readonly writer: WriterThread | undefined;
  private readonly events: EventBlocks;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    // 16 KiB pages for new databases (ignored for existing ones): fewer WAL frames (and system
    // calls) per appended block of events (blocks.ts).
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    try {
      migrate(this.db, { log: options.log });
    } catch (err) {
      this.db.close();
      throw err;
    }
    if (file !== ':memory:' && options.backgroundCheckpoint !== false) {
      // Backstop only (64K pages): the checkpoint thread keeps the WAL far smaller; when the WAL
      // starts over, a file that grew under a burst is cut back to 64 MiB.
      this.db.pragma('wal_autocheckpoint = 65536');
      this.db.pragma('journal_size_limit = 67108864');
      this.checkpointer = new Checkpointer(file, options.synchronous ?? 'FULL');
    }
    this.writes = new Writes(this.db);
    this.events = new EventBlocks(this.db);
    if (file !== ':memory:' && options.writerThread !== false) this.writer = new WriterThread(file, options.synchronous ?? 'FULL');
    this.st = { findToken: this.db.prepare('SELECT * FROM tokens WHERE hash = ?') };
  }

  async close(): Promise<void> {
    await this.writer?.close();
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }

  async createOrg(o: { name: string; slug: string }): Promise<Org> {
    const org: Org = { id: newId('org'), name: o.name, slug: o.slug, createdAt: Date.now() };
    this.db.prepare('INSERT INTO orgs(id, name, slug, created_at) VALUES (?, ?, ?, ?)').run(org.id, org.name, org.slug, org.createdAt);
    return org;
  }
  async getOrg(id: string) {
    const r = this.db.prepare('SELECT * FROM orgs WHERE id = ?').get(id) as Row | undefined;
    return r && toOrg(r);
  }
  async getOrgBySlug(slug: string) {
    const r = this.db.prepare('SELECT * FROM orgs WHERE slug = ?').get(slug) as Row | undefined;
    return r && toOrg(r);
  }
  async listOrgs() {
    return (this.db.prepare('SELECT * FROM orgs ORDER BY created_at').all() as Row[]).map(toOrg);
  }

  async createUser(u: { orgId: string; email: string; name: string; role: Role; passwordHash: string }): Promise<User> {
    const user: User = { id: newId('usr'), ...u, disabled: false, createdAt: Date.now() };
    this.db
      .prepare('INSERT INTO users(id, org_id, email, name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)')
      .run(user.id, user.orgId, user.email, user.name, user.role, user.passwordHash, user.createdAt);
    return user;
  }
  async getUserByEmail(email: string) {
    const r = this.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as Row | undefined;
    return r && toUser(r);
  }
  async getUser(orgId: string, id: string) {
    const r = this.db.prepare('SELECT * FROM users WHERE org_id = ? AND id = ?').get(orgId, id) as Row | undefined;
    return r && toUser(r);
  }
  async listUsers(orgId: string) {
    return (this.db.prepare('SELECT * FROM users WHERE org_id = ? ORDER BY created_at').all(orgId) as Row[]).map(toUser);
  }
  async updateUser(orgId: string, id: string, patch: Partial<Pick<User, 'name' | 'role' | 'passwordHash' | 'disabled'>>) {
    const cur = await this.getUser(orgId, id);
    if (!cur) return undefined;
    const u = { ...cur, ...patch };
    this.db
      .prepare('UPDATE users SET name = ?, role = ?, password_hash = ?, disabled = ? WHERE org_id = ? AND id = ?')
      .run(u.name, u.role, u.passwordHash, u.disabled ? 1 : 0, orgId, id);
    return u;
  }
  async countUsers() {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as Row).n as number;
  }

  async createToken(t: Omit<TokenRecord, 'id' | 'createdAt' | 'revoked' | 'lastUsedAt'>): Promise<TokenRecord> {
    const tok: TokenRecord = { ...t, id: newId('tok'), createdAt: Date.now(), revoked: false };
    this.db
      .prepare(`INSERT INTO tokens(id, org_id, user_id, name, kind, role, hash, prefix, created_at, expires_at, revoked)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`)
      .run(tok.id, tok.orgId, tok.userId ?? null, tok.name, tok.kind, tok.role, tok.hash, tok.prefix, tok.createdAt, tok.expiresAt ?? null);
    return tok;
  }
  async findTokenByHash(hash: string) {
    const r = this.st.findToken.get(hash) as Row | undefined;
    return r && toToken(r);
  }
  async listTokens(orgId: string, kind?: TokenKind) {
    const rows = kind
      ? this.db.prepare('SELECT * FROM tokens WHERE org_id = ? AND kind = ? ORDER BY created_at').all(orgId, kind)
      : this.db.prepare("SELECT * FROM tokens WHERE org_id = ? AND kind != 'session' ORDER BY created_at").all(orgId);
    return (rows as Row[]).map(toToken);
  }
  async revokeToken(orgId: string, id: string) {
    return this.db.prepare('UPDATE tokens SET revoked = 1 WHERE org_id = ? AND id = ?').run(orgId, id).changes > 0;
  }
  async touchToken(id: string, time: number) {
    this.db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?').run(time, id);
  }
  async deleteExpiredTokens(now: number) {
    return this.db.prepare('DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at < ?').run(now).changes;
  }

  async appendLines(orgId: string, lines: LinesInput) {
    if (lines.count === 0) return new Float64Array(0);
    return this.writer ? this.writer.appendLines(orgId, lines) : this.writes.appendLines(orgId, lines);
  }
  async appendEvents(orgId: string, events: EventInput[]) {
    if (events.length === 0) return [];
    return this.writer ? this.writer.appendEvents(orgId, events) : this.writes.appendEvents(orgId, events);
  }
  async readEventsAfter(seq: number, limit: number) {
    return this.events.after(seq, limit);
  }
  async getEvents(orgId: string, seqs: number[]) {
    return this.events.get(orgId, seqs);
  }
  async listEvents(orgId: string, q: { beforeSeq?: number; source?: string; limit?: number }) {
    return this.events.list(orgId, { beforeSeq: q.beforeSeq, source: q.source, limit: Math.min(q.limit ?? 100, 1000) });
  }
  async countEvents(orgId: string) {
    // Kept per source at append time: counting the events table would grow with it.
    return ((this.db.prepare('SELECT sum(events) AS n FROM sources WHERE org_id = ?').get(orgId) as Row).n as number | null) ?? 0;
  }
  async lastEventSeq() {
    return this.events.lastSeq();
  }
  async listSources(orgId: string): Promise<SourceStats[]> {
    return (this.db.prepare('SELECT * FROM sources WHERE org_id = ? ORDER BY source').all(orgId) as Row[]).map((r) => ({
      source: r.source, events: r.events, lastSeen: r.last_seen,
    }));
  }

  async getCursor(name: string) {
    const r = this.db.prepare('SELECT seq FROM cursors WHERE name = ?').get(name) as Row | undefined;
    return (r?.seq as number | undefined) ?? 0;
  }

  private alertRow(a: Alert) {
    return {
      id: a.id, org_id: a.orgId, incident_id: a.incidentId, rule_id: a.ruleId, level: a.level, level_rank: levelRank(a.level),
      host: a.host ?? null, first_seen: a.firstSeen, last_seen: a.lastSeen, search: alertSearchText(a), data: JSON.stringify(a),
    };
  }
  private incidentRow(i: Incident) {
    return {
      id: i.id, org_id: i.orgId, status: i.status, assignee: i.assignee ?? null, severity_rank: levelRank(i.severity),
      last_seen: i.lastSeen, updated_at: i.updatedAt, search: incidentSearchText(i), data: JSON.stringify(i),
    };
  }
  async saveDetectionBatch(b: DetectionBatch) {
    await this.saveRows({ alerts: b.alerts.map((a) => this.alertRow(a)), incidents: b.incidents.map((i) => this.incidentRow(i)), cursor: b.cursor });
  }
  /** Alert and incident rows go through the writer, so an analyst's edit and detection's saves stay in order. */
  private async saveRows(rows: RowBatch) {
    if (this.writer) await this.writer.saveRows(rows);
    else this.writes.saveRows(rows);
  }
  async getAlert(orgId: string, id: string) {
    const r = this.db.prepare('SELECT data FROM alerts WHERE org_id = ? AND id = ?').get(orgId, id) as Row | undefined;
    return r && (JSON.parse(r.data) as Alert);
  }
  async listAlerts(orgId: string, q: AlertQuery): Promise<Page<Alert>> {
    const where = ['org_id = ?'];
    const args: unknown[] = [orgId];
    if (q.levels?.length) { where.push(`level IN (${q.levels.map(() => '?').join(',')})`); args.push(...q.levels); }
    if (q.host) { where.push('host = ? COLLATE NOCASE'); args.push(q.host); }
    if (q.ruleId) { where.push('rule_id = ?'); args.push(q.ruleId); }
    if (q.incidentId) { where.push('incident_id = ?'); args.push(q.incidentId); }
    if (q.since !== undefined) { where.push('last_seen >= ?'); args.push(q.since); }
    if (q.until !== undefined) { where.push('first_seen <= ?'); args.push(q.until); }
    if (q.q) { where.push("search LIKE ? ESCAPE '\\'"); args.push(likePattern(q.q)); }
    if (q.tactic) { where.push("search LIKE ? ESCAPE '\\'"); args.push(likePattern(q.tactic)); }
    const w = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM alerts WHERE ${w}`).get(...args) as Row).n as number;
    const rows = this.db
      .prepare(`SELECT data FROM alerts WHERE ${w} ORDER BY last_seen DESC, id LIMIT ? OFFSET ?`)
      .all(...args, Math.min(q.limit ?? 50, 1000), q.offset ?? 0) as Row[];
    let items = rows.map((r) => JSON.parse(r.data) as Alert);
    if (q.tactic) items = items.filter((a) => a.tactics.includes(q.tactic!));
    return { items, total };
  }
  async alertStats(orgId: string, since: number, bucketMs: number): Promise<AlertStats> {
    const rows = this.db
      .prepare('SELECT level, host, first_seen, json_extract(data, \'$.tactics\') AS tactics FROM alerts WHERE org_id = ? AND last_seen >= ?')
      .all(orgId, since) as Row[];
    return summarizeAlerts(
      rows.map((r) => ({ level: r.level, host: r.host ?? null, firstSeen: Number(r.first_seen), tactics: JSON.parse(r.tactics ?? '[]') as string[] })),
      bucketMs,
    );
  }
  async getIncident(orgId: string, id: string) {
    const r = this.db.prepare('SELECT data FROM incidents WHERE org_id = ? AND id = ?').get(orgId, id) as Row | undefined;
    return r && (JSON.parse(r.data) as Incident);
  }
  async listIncidents(orgId: string, q: IncidentQuery): Promise<Page<Incident>> {
    const where = ['org_id = ?'];
    const args: unknown[] = [orgId];
    if (q.statuses?.length) { where.push(`status IN (${q.statuses.map(() => '?').join(',')})`); args.push(...q.statuses); }
    if (q.assignee) { where.push('assignee = ?'); args.push(q.assignee); }
    if (q.q) { where.push("search LIKE ? ESCAPE '\\'"); args.push(likePattern(q.q)); }
    const w = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM incidents WHERE ${w}`).get(...args) as Row).n as number;
    const rows = this.db
      .prepare(`SELECT data FROM incidents WHERE ${w} ORDER BY last_seen DESC, id LIMIT ? OFFSET ?`)
      .all(...args, Math.min(q.limit ?? 50, 1000), q.offset ?? 0) as Row[];
    return { items: rows.map((r) => JSON.parse(r.data) as Incident), total };
  }
  async saveIncident(inc: Incident) {
    await this.saveRows({ alerts: [], incidents: [this.incidentRow(inc)] });
  }
  async loadRecent(since: number) {
    const alerts = (this.db.prepare('SELECT data FROM alerts WHERE last_seen >= ?').all(since) as Row[]).map((r) => JSON.parse(r.data) as Alert);
    const incidents = (this.db.prepare("SELECT data FROM incidents WHERE status != 'closed' AND last_seen >= ?").all(since) as Row[]).map(
      (r) => JSON.parse(r.data) as Incident,
    );
    return { alerts, incidents };
  }

  async setRuleEnabled(orgId: string, ruleId: string, enabled: boolean) {
    this.db
      .prepare('INSERT INTO rule_states(org_id, rule_id, enabled) VALUES (?, ?, ?) ON CONFLICT(org_id, rule_id) DO UPDATE SET enabled = excluded.enabled')
      .run(orgId, ruleId, enabled ? 1 : 0);
  }
  async disabledRules() {
    const m = new Map<string, Set<string>>();
    for (const r of this.db.prepare('SELECT org_id, rule_id FROM rule_states WHERE enabled = 0').all() as Row[]) {
      let s = m.get(r.org_id);
      if (!s) m.set(r.org_id, (s = new Set()));
      s.add(r.rule_id);
    }
    return m;
  }
}
