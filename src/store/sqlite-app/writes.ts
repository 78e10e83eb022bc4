import type Database from 'better-sqlite3';
import type { EventInput, LinesInput } from '../app/index.js';
import { blockLength, encodePositions, packRaw } from './blocks.js';

/** An alert or incident as its table row (computed by the store; plain data, so it can cross threads). */
export type Row = Record<string, string | number | null>;

/** Events laid end to end in some buffer: event i is at [offsets[2i], offsets[2i + 1]). */
type Run = { source: string; format: string; receivedAt: number; offsets: ArrayLike<number>; count: number };

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
    this.insertBlock = p(`INSERT INTO event_blocks(first_seq, last_seq, org_id, source, format, received_at, pos, codec, raw)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
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

  /**
   * Events at offsets[2i], offsets[2i + 1] of buf (one source, format and receipt time) as blocks
   * whose bytes are slices of buf; the first event gets `seq`. Returns the next sequence number.
   */
  private insertBlocks(orgId: string, src: Run, buf: Buffer, seq: number, seqs: { [i: number]: number }, at: number): number {
    for (let i = 0; i < src.count; ) {
      const k = blockLength(src.offsets, i, src.count);
      const base = src.offsets[2 * i];
      const packed = packRaw(buf.subarray(base, src.offsets[2 * (i + k - 1) + 1]));
      const pos = encodePositions(src.offsets, i, k, base);
      this.insertBlock.run(seq, seq + k - 1, orgId, src.source, src.format, src.receivedAt, pos, packed.codec, packed.raw);
      for (let m = 0; m < k; m++) seqs[at + i + m] = seq + m;
      seq += k;
      i += k;
    }
    return seq;
  }

  /** Lines of one request (UTF-8 JSON texts laid end to end); their sequence numbers. */
  appendLines(orgId: string, l: LinesInput): Float64Array {
    return this.db.transaction(() => {
      const seqs = new Float64Array(l.count);
      const buf = Buffer.from(l.buf.buffer, l.buf.byteOffset, l.buf.byteLength);
      this.insertBlocks(orgId, l, buf, this.nextSeq(), seqs, 0);
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
        const parts = events.slice(i, j).map((x) => (typeof x.raw === 'string' ? Buffer.from(x.raw, 'utf8') : x.raw));
        const offsets = new Array<number>(2 * parts.length);
        let pos = 0;
        parts.forEach((p, m) => {
          offsets[2 * m] = pos;
          offsets[2 * m + 1] = pos += p.length;
        });
        const buf = Buffer.concat(parts, pos);
        seq = this.insertBlocks(orgId, { source: e.source, format: e.format, receivedAt: e.receivedAt, offsets, count: parts.length }, buf, seq, seqs, i);
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
