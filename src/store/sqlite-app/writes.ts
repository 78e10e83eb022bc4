import type Database from 'better-sqlite3';
import type { EventInput, LinesInput } from '../app/index.js';
import { INSERT_BLOCK, insertRun, joinEvents } from './blocks.js';

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
  private readonly insertBlock: Database.Statement;
  private readonly lastSeq: Database.Statement;
  private readonly upsertSource: Database.Statement;
  private readonly upsertAlert: Database.Statement;
  private readonly upsertIncident: Database.Statement;
  private readonly setCursor: Database.Statement;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    // Events go in blocks (blocks.ts); sequence numbers continue from the last block's.
    this.insertBlock = p(INSERT_BLOCK);
    this.lastSeq = p('SELECT last_seq FROM event_blocks ORDER BY first_seq DESC LIMIT 1');
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

  private nextSeq(): number {
    return ((this.lastSeq.get() as { last_seq: number } | undefined)?.last_seq ?? 0) + 1;
  }

  /** Lines of one request (UTF-8 JSON texts laid end to end); their sequence numbers. */
  appendLines(orgId: string, l: LinesInput): Float64Array {
    return this.db.transaction(() => {
      const seqs = new Float64Array(l.count);
      const buf = Buffer.from(l.buf.buffer, l.buf.byteOffset, l.buf.byteLength);
      const first = this.nextSeq();
      insertRun(this.insertBlock, { ...l, orgId, buf }, first);
      for (let i = 0; i < l.count; i++) seqs[i] = first + i;
      this.upsertSource.run(orgId, l.source, l.count, l.receivedAt);
      return seqs;
    })();
  }

  /** Events of any sources; runs sharing source, format and receipt time are stored as blocks. */
  appendEvents(orgId: string, events: EventInput[]): number[] {
    return this.db.transaction(() => {
      const seqs: number[] = new Array(events.length);
      const perSource = new Map<string, { n: number; last: number }>();
      let seq = this.nextSeq();
      for (let i = 0; i < events.length; ) {
        const e = events[i];
        let j = i + 1;
        while (j < events.length && events[j].source === e.source && events[j].format === e.format && events[j].receivedAt === e.receivedAt) j++;
        const { buf, offsets } = joinEvents(events.slice(i, j).map((x) => x.raw));
        for (let m = i; m < j; m++) seqs[m] = seq + m - i;
        seq = insertRun(this.insertBlock, { orgId, source: e.source, format: e.format, receivedAt: e.receivedAt, buf, offsets, count: j - i }, seq);
        const s = perSource.get(e.source);
        if (s) {
          s.n += j - i;
          s.last = Math.max(s.last, e.receivedAt);
        } else perSource.set(e.source, { n: j - i, last: e.receivedAt });
        i = j;
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
