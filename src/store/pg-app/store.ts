import pg from 'pg';
import type { Alert, Incident } from '../../alerts/index.js';
import { levelRank } from '../../detect/index.js';
import {
  alertSearchText, incidentSearchText, likePattern, newId, summarizeAlerts,
  type AlertQuery, type AlertStats, type AppStore, type DetectionBatch, type EventInput, type IncidentQuery,
  type Org, type Page, type Role, type SourceStats, type StoredEvent, type TokenKind, type TokenRecord, type User,
} from '../app/index.js';
import { PG_SCHEMA } from './schema.js';

type Row = Record<string, any>;
const n = (v: unknown): number => Number(v);
const opt = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

const toOrg = (r: Row): Org => ({ id: r.id, name: r.name, slug: r.slug, createdAt: n(r.created_at) });
const toUser = (r: Row): User => ({
  id: r.id, orgId: r.org_id, email: r.email, name: r.name, role: r.role as Role, passwordHash: r.password_hash, disabled: r.disabled, createdAt: n(r.created_at),
});
const toToken = (r: Row): TokenRecord => ({
  id: r.id, orgId: r.org_id, userId: r.user_id ?? undefined, name: r.name, kind: r.kind as TokenKind, role: r.role as Role, hash: r.hash,
  prefix: r.prefix, createdAt: n(r.created_at), expiresAt: opt(r.expires_at), lastUsedAt: opt(r.last_used_at), revoked: r.revoked,
});
const toEvent = (r: Row): StoredEvent => ({ seq: n(r.seq), orgId: r.org_id, source: r.source, format: r.format, receivedAt: n(r.received_at), raw: r.raw });

/**
 * PostgreSQL application store: the same interface and test suite as SQLite, for deployments
 * that already run PostgreSQL or want the database on another machine. Each instance lives in
 * its own schema (default `ward`), created on `init()`.
 */
export class PostgresAppStore implements AppStore {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;

  constructor(url: string, private readonly schema = 'ward') {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
    this.pool = new pg.Pool({ connectionString: url, max: 8 });
    this.pool.on('connect', (c) => void c.query(`SET search_path TO ${schema}`));
  }

  async init(): Promise<this> {
    const c = await this.pool.connect();
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query(`SET search_path TO ${this.schema}`);
      await c.query(PG_SCHEMA);
    } finally {
      c.release();
    }
    return this;
  }

  /** Drops the schema (tests). */
  async drop(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async q(sql: string, args: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, args)).rows as Row[];
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async createOrg(o: { name: string; slug: string }) {
    const org: Org = { id: newId('org'), name: o.name, slug: o.slug, createdAt: Date.now() };
    await this.q('INSERT INTO orgs(id, name, slug, created_at) VALUES ($1, $2, $3, $4)', [org.id, org.name, org.slug, org.createdAt]);
    return org;
  }
  async getOrg(id: string) {
    const [r] = await this.q('SELECT * FROM orgs WHERE id = $1', [id]);
    return r && toOrg(r);
  }
  async getOrgBySlug(slug: string) {
    const [r] = await this.q('SELECT * FROM orgs WHERE slug = $1', [slug]);
    return r && toOrg(r);
  }
  async listOrgs() {
    return (await this.q('SELECT * FROM orgs ORDER BY created_at, id')).map(toOrg);
  }

  async createUser(u: { orgId: string; email: string; name: string; role: Role; passwordHash: string }) {
    const user: User = { id: newId('usr'), ...u, disabled: false, createdAt: Date.now() };
    await this.q('INSERT INTO users(id, org_id, email, name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, false, $7)', [
      user.id, user.orgId, user.email, user.name, user.role, user.passwordHash, user.createdAt,
    ]);
    return user;
  }
  async getUserByEmail(email: string) {
    const [r] = await this.q('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
    return r && toUser(r);
  }
  async getUser(orgId: string, id: string) {
    const [r] = await this.q('SELECT * FROM users WHERE org_id = $1 AND id = $2', [orgId, id]);
    return r && toUser(r);
  }
  async listUsers(orgId: string) {
    return (await this.q('SELECT * FROM users WHERE org_id = $1 ORDER BY created_at, id', [orgId])).map(toUser);
  }
  async updateUser(orgId: string, id: string, patch: Partial<Pick<User, 'name' | 'role' | 'passwordHash' | 'disabled'>>) {
    const cur = await this.getUser(orgId, id);
    if (!cur) return undefined;
    const u = { ...cur, ...patch };
    await this.q('UPDATE users SET name = $1, role = $2, password_hash = $3, disabled = $4 WHERE org_id = $5 AND id = $6', [u.name, u.role, u.passwordHash, u.disabled, orgId, id]);
    return u;
  }
  async countUsers() {
    return n((await this.q('SELECT count(*) AS n FROM users'))[0].n);
  }

  async createToken(t: Omit<TokenRecord, 'id' | 'createdAt' | 'revoked' | 'lastUsedAt'>) {
    const tok: TokenRecord = { ...t, id: newId('tok'), createdAt: Date.now(), revoked: false };
    await this.q(
      'INSERT INTO tokens(id, org_id, user_id, name, kind, role, hash, prefix, created_at, expires_at, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false)',
      [tok.id, tok.orgId, tok.userId ?? null, tok.name, tok.kind, tok.role, tok.hash, tok.prefix, tok.createdAt, tok.expiresAt ?? null],
    );
    return tok;
  }
  async findTokenByHash(hash: string) {
    const [r] = await this.q('SELECT * FROM tokens WHERE hash = $1', [hash]);
    return r && toToken(r);
  }
  async listTokens(orgId: string, kind?: TokenKind) {
    const rows = kind
      ? await this.q('SELECT * FROM tokens WHERE org_id = $1 AND kind = $2 ORDER BY created_at, id', [orgId, kind])
      : await this.q("SELECT * FROM tokens WHERE org_id = $1 AND kind <> 'session' ORDER BY created_at, id", [orgId]);
    return rows.map(toToken);
  }
  async revokeToken(orgId: string, id: string) {
    return ((await this.pool.query('UPDATE tokens SET revoked = true WHERE org_id = $1 AND id = $2', [orgId, id])).rowCount ?? 0) > 0;
  }
  async touchToken(id: string, time: number) {
    await this.q('UPDATE tokens SET last_used_at = $1 WHERE id = $2', [time, id]);
  }
  async deleteExpiredTokens(now: number) {
    return (await this.pool.query('DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at < $1', [now])).rowCount ?? 0;
  }

  async appendEvents(orgId: string, events: EventInput[]) {
    if (events.length === 0) return [];
    return this.tx(async (c) => {
      // One statement per batch: unnest keeps row order, and the sequence numbers follow it.
      const r = await c.query(
        `INSERT INTO events(org_id, source, format, received_at, raw)
         SELECT $1, s, f, t, r FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) AS u(s, f, t, r) RETURNING seq`,
        [orgId, events.map((e) => e.source), events.map((e) => e.format), events.map((e) => e.receivedAt), events.map((e) => (typeof e.raw === 'string' ? e.raw : Buffer.from(e.raw.buffer, e.raw.byteOffset, e.raw.byteLength).toString('utf8')))],
      );
      const per = new Map<string, { n: number; last: number }>();
      for (const e of events) {
        const s = per.get(e.source);
        if (s) {
          s.n++;
          s.last = Math.max(s.last, e.receivedAt);
        } else per.set(e.source, { n: 1, last: e.receivedAt });
      }
      for (const [source, s] of per) {
        await c.query(
          `INSERT INTO sources(org_id, source, events, last_seen) VALUES ($1, $2, $3, $4)
           ON CONFLICT (org_id, source) DO UPDATE SET events = sources.events + excluded.events, last_seen = excluded.last_seen`,
          [orgId, source, s.n, s.last],
        );
      }
      return (r.rows as Row[]).map((x) => n(x.seq)).sort((a, b) => a - b);
    });
  }
  async readEventsAfter(seq: number, limit: number) {
    return (await this.q('SELECT * FROM events WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit])).map(toEvent);
  }
  async getEvents(orgId: string, seqs: number[]) {
    if (seqs.length === 0) return [];
    return (await this.q('SELECT * FROM events WHERE org_id = $1 AND seq = ANY($2::bigint[]) ORDER BY seq', [orgId, seqs])).map(toEvent);
  }
  async listEvents(orgId: string, q: { beforeSeq?: number; source?: string; limit?: number }) {
    const where = ['org_id = $1'];
    const args: unknown[] = [orgId];
    if (q.beforeSeq !== undefined) where.push(`seq < $${args.push(q.beforeSeq)}`);
    if (q.source) where.push(`source = $${args.push(q.source)}`);
    const lim = `$${args.push(Math.min(q.limit ?? 100, 1000))}`;
    return (await this.q(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${lim}`, args)).map(toEvent);
  }
  async countEvents(orgId: string) {
    return n((await this.q('SELECT coalesce(sum(events), 0) AS n FROM sources WHERE org_id = $1', [orgId]))[0].n);
  }
  async lastEventSeq() {
    return n((await this.q('SELECT coalesce(max(seq), 0) AS s FROM events'))[0].s);
  }
  async listSources(orgId: string): Promise<SourceStats[]> {
    return (await this.q('SELECT * FROM sources WHERE org_id = $1 ORDER BY source', [orgId])).map((r) => ({ source: r.source, events: n(r.events), lastSeen: n(r.last_seen) }));
  }

  async getCursor(name: string) {
    const [r] = await this.q('SELECT seq FROM cursors WHERE name = $1', [name]);
    return r ? n(r.seq) : 0;
  }

  async saveDetectionBatch(b: DetectionBatch) {
    await this.tx(async (c) => {
      for (const a of b.alerts) await this.upsertAlert(c, a);
      for (const i of b.incidents) await this.upsertIncident(c, i);
      if (b.cursor) {
        await c.query('INSERT INTO cursors(name, seq) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET seq = GREATEST(cursors.seq, excluded.seq)', [b.cursor.name, b.cursor.seq]);
      }
    });
  }
  private async upsertAlert(c: pg.PoolClient | pg.Pool, a: Alert) {
    await c.query(
      `INSERT INTO alerts(id, org_id, incident_id, rule_id, level, level_rank, host, first_seen, last_seen, search, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET incident_id = excluded.incident_id, level = excluded.level, level_rank = excluded.level_rank,
       last_seen = excluded.last_seen, search = excluded.search, data = excluded.data`,
      [a.id, a.orgId, a.incidentId, a.ruleId, a.level, levelRank(a.level), a.host ?? null, a.firstSeen, a.lastSeen, alertSearchText(a), JSON.stringify(a)],
    );
  }
  private async upsertIncident(c: pg.PoolClient | pg.Pool, i: Incident) {
    await c.query(
      `INSERT INTO incidents(id, org_id, status, assignee, severity_rank, last_seen, updated_at, search, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, assignee = excluded.assignee, severity_rank = excluded.severity_rank,
       last_seen = excluded.last_seen, updated_at = excluded.updated_at, search = excluded.search, data = excluded.data`,
      [i.id, i.orgId, i.status, i.assignee ?? null, levelRank(i.severity), i.lastSeen, i.updatedAt, incidentSearchText(i), JSON.stringify(i)],
    );
  }
  async getAlert(orgId: string, id: string) {
    const [r] = await this.q('SELECT data FROM alerts WHERE org_id = $1 AND id = $2', [orgId, id]);
    return r && (JSON.parse(r.data) as Alert);
  }
  async listAlerts(orgId: string, q: AlertQuery): Promise<Page<Alert>> {
    const where = ['org_id = $1'];
    const args: unknown[] = [orgId];
    if (q.levels?.length) where.push(`level = ANY($${args.push(q.levels)}::text[])`);
    if (q.host) where.push(`lower(host) = lower($${args.push(q.host)})`);
    if (q.ruleId) where.push(`rule_id = $${args.push(q.ruleId)}`);
    if (q.incidentId) where.push(`incident_id = $${args.push(q.incidentId)}`);
    if (q.since !== undefined) where.push(`last_seen >= $${args.push(q.since)}`);
    if (q.until !== undefined) where.push(`first_seen <= $${args.push(q.until)}`);
    if (q.q) where.push(`search LIKE $${args.push(likePattern(q.q))} ESCAPE '\\'`);
    if (q.tactic) where.push(`search LIKE $${args.push(likePattern(q.tactic))} ESCAPE '\\'`);
    const w = where.join(' AND ');
    const total = n((await this.q(`SELECT count(*) AS n FROM alerts WHERE ${w}`, args))[0].n);
    const lim = args.length;
    const rows = await this.q(`SELECT data FROM alerts WHERE ${w} ORDER BY last_seen DESC, id LIMIT $${lim + 1} OFFSET $${lim + 2}`, [...args, Math.min(q.limit ?? 50, 1000), q.offset ?? 0]);
    let items = rows.map((r) => JSON.parse(r.data) as Alert);
    if (q.tactic) items = items.filter((a) => a.tactics.includes(q.tactic!));
    return { items, total };
  }
  async alertStats(orgId: string, since: number, bucketMs: number): Promise<AlertStats> {
    const rows = await this.q("SELECT level, host, first_seen, (data::jsonb)->'tactics' AS tactics FROM alerts WHERE org_id = $1 AND last_seen >= $2", [orgId, since]);
    return summarizeAlerts(
      rows.map((r) => ({ level: r.level, host: r.host ?? null, firstSeen: Number(r.first_seen), tactics: (r.tactics ?? []) as string[] })),
      bucketMs,
    );
  }
  async getIncident(orgId: string, id: string) {
    const [r] = await this.q('SELECT data FROM incidents WHERE org_id = $1 AND id = $2', [orgId, id]);
    return r && (JSON.parse(r.data) as Incident);
  }
  async listIncidents(orgId: string, q: IncidentQuery): Promise<Page<Incident>> {
    const where = ['org_id = $1'];
    const args: unknown[] = [orgId];
    if (q.statuses?.length) where.push(`status = ANY($${args.push(q.statuses)}::text[])`);
    if (q.assignee) where.push(`assignee = $${args.push(q.assignee)}`);
    if (q.q) where.push(`search LIKE $${args.push(likePattern(q.q))} ESCAPE '\\'`);
    const w = where.join(' AND ');
    const total = n((await this.q(`SELECT count(*) AS n FROM incidents WHERE ${w}`, args))[0].n);
    const lim = args.length;
    const rows = await this.q(`SELECT data FROM incidents WHERE ${w} ORDER BY last_seen DESC, id LIMIT $${lim + 1} OFFSET $${lim + 2}`, [...args, Math.min(q.limit ?? 50, 1000), q.offset ?? 0]);
    return { items: rows.map((r) => JSON.parse(r.data) as Incident), total };
  }
  async saveIncident(inc: Incident) {
    await this.upsertIncident(this.pool, inc);
  }
  async loadRecent(since: number) {
    const alerts = (await this.q('SELECT data FROM alerts WHERE last_seen >= $1', [since])).map((r) => JSON.parse(r.data) as Alert);
    const incidents = (await this.q("SELECT data FROM incidents WHERE status <> 'closed' AND last_seen >= $1", [since])).map((r) => JSON.parse(r.data) as Incident);
    return { alerts, incidents };
  }

  async setRuleEnabled(orgId: string, ruleId: string, enabled: boolean) {
    await this.q('INSERT INTO rule_states(org_id, rule_id, enabled) VALUES ($1, $2, $3) ON CONFLICT (org_id, rule_id) DO UPDATE SET enabled = excluded.enabled', [orgId, ruleId, enabled]);
  }
  async disabledRules() {
    const m = new Map<string, Set<string>>();
    for (const r of await this.q('SELECT org_id, rule_id FROM rule_states WHERE enabled = false ORDER BY rule_id')) {
      let s = m.get(r.org_id);
      if (!s) m.set(r.org_id, (s = new Set()));
      s.add(r.rule_id);
    }
    return m;
  }
}
