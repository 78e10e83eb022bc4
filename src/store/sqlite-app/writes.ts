import type Database from 'better-sqlite3';
import type { EventInput, LinesInput } from '../app/index.js';

/** An alert or incident as its table row (computed by the store; plain data, so it can cross threads). */
export type Row = Record<string, string | number | null>;

/** What one detection step saves: alert and incident rows and the cursor, in one transaction. */
export interface RowBatch {
  alerts: Row[];
  incidents: Row[];
  cursor?: { name: string; seq: number };
}

/**
 * The store's writes that ingestion and detection make at rate: events, and the alerts,
 * incidents and cursor detection saves. Each call is one transaction. The same code runs on the
 * store's own connection (in-memory databases) or in the writer thread (writer.ts), which takes
 * every such write so that they stay in the order they were made.
 */
export class Writes {
  private readonly insertEvent: Database.Statement;
  private readonly upsertSource: Database.Statement;
  private readonly upsertAlert: Database.Statement;
  private readonly upsertIncident: Database.Statement;
  private readonly setCursor: Database.Statement;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    // CAST: UTF-8 bytes (a Buffer slice of the request body) are stored as TEXT without decoding.
    this.insertEvent = p('INSERT INTO events(org_id, source, format, received_at, raw) VALUES (?, ?, ?, ?, CAST(? AS TEXT))');
    this.upsertSource = p(`INSERT INTO sources(org_id, source, events, last_seen) VALUES (?, ?, ?, ?)
      ON CONFLICT(org_id, source) DO UPDATE SET events = events + excluded.events, last_seen = excluded.last_seen`);
    this.upsertAlert = p(`INSERT INTO alerts(id, org_id, incident_id, rule_id, level, level_rank, host, first_seen, last_seen, search, data)
      VALUES (@id, @org_id, @incident_id, @rule_id, @level, @level_rank, @host, @first_seen, @last_seen, @search, @data)
      ON CONFLICT(id) DO UPDATE SET incident_id = excluded.incident_id, level = excluded.level, level_rank = excluded.level_rank,
      last_seen = excluded.last_seen, search = excluded.search, data = excluded.data`);
    this.upsertIncident = p(`INSERT INTO incidents(id, org_id, status, assignee, severity_rank, last_seen, updated_at, search, data)
      VALUES (@id, @org_id, @status, @assignee, @severity_rank, @last_seen, @updated_at, @search, @data)
      ON CONFLICT(id) DO UPDATE SET status = excluded.status, assignee = excluded.assignee, severity_rank = excluded.severity_rank,
      last_seen = excluded.last_seen, updated_at = excluded.updated_at, search = excluded.search, data = excluded.data`);
    this.setCursor = p('INSERT INTO cursors(name, seq) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET seq = max(seq, excluded.seq)');
  }

  /** Lines of one request (UTF-8 JSON texts laid end to end); their sequence numbers. */
  appendLines(orgId: string, l: LinesInput): Float64Array {
    return this.db.transaction(() => {
      const seqs = new Float64Array(l.count);
      const buf = Buffer.from(l.buf.buffer, l.buf.byteOffset, l.buf.byteLength);
      for (let i = 0; i < l.count; i++) {
        seqs[i] = Number(this.insertEvent.run(orgId, l.source, l.format, l.receivedAt, buf.subarray(l.offsets[2 * i], l.offsets[2 * i + 1])).lastInsertRowid);
      }
      this.upsertSource.run(orgId, l.source, l.count, l.receivedAt);
      return seqs;
    })();
  }

  appendEvents(orgId: string, events: EventInput[]): number[] {
    return this.db.transaction(() => {
      const seqs: number[] = new Array(events.length);
      const perSource = new Map<string, { n: number; last: number }>();
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        seqs[i] = Number(this.insertEvent.run(orgId, e.source, e.format, e.receivedAt, e.raw).lastInsertRowid);
        const s = perSource.get(e.source);
        if (s) {
          s.n++;
          s.last = Math.max(s.last, e.receivedAt);
        } else perSource.set(e.source, { n: 1, last: e.receivedAt });
      }
      for (const [source, s] of perSource) this.upsertSource.run(orgId, source, s.n, s.last);
      return seqs;
    })();
  }

  saveRows(b: RowBatch): void {
    this.db.transaction(() => {
      for (const a of b.alerts) this.upsertAlert.run(a);
      for (const i of b.incidents) this.upsertIncident.run(i);
      if (b.cursor) this.setCursor.run(b.cursor.name, b.cursor.seq);
    })();
  }
}
