import type Database from 'better-sqlite3';
import { BLOCK_BYTES, BLOCK_EVENTS, encodePositions, packRaw } from './blocks.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

type V1Event = { seq: number; org_id: string; source: string; format: string; received_at: number; raw: string };

/**
 * Brings a database to SCHEMA_VERSION. Version 1 kept one row per event (`events`); version 2
 * keeps blocks of events (blocks.ts): the rows move over with their sequence numbers, a run of
 * rows per transaction (blocks in, rows out), so the write-ahead log stays small and a crash
 * midway leaves both tables holding disjoint events, which the next start carries on moving. A
 * database written by a newer Ward is refused rather than half understood.
 */
export function migrate(db: Database.Database, opts: { rowsPerTransaction?: number; log?: (msg: string) => void } = {}): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  const version = row ? Number(row.value) : SCHEMA_VERSION;
  if (version > SCHEMA_VERSION) {
    throw new Error(`this database has schema version ${version}, newer than this Ward's (${SCHEMA_VERSION}): upgrade Ward to open it`);
  }
  db.exec(SCHEMA);
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get()) {
    const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    if (total > 0) opts.log?.(`moving ${total} stored events into the version ${SCHEMA_VERSION} layout (once; an interrupted move resumes)`);
    const move = db.transaction(() => moveEvents(db, opts.rowsPerTransaction ?? 20_000));
    let moved = 0;
    let shown = Date.now();
    for (let n = move(); n > 0; n = move()) {
      moved += n;
      if (Date.now() - shown > 5000) {
        opts.log?.(`  ${moved} of ${total} events moved`);
        shown = Date.now();
      }
    }
    db.exec('DROP TABLE events');
    if (total > 0) opts.log?.(`moved ${moved} events`);
  }
  db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(SCHEMA_VERSION));
}

/** Moves the first `limit` rows of `events` into blocks; how many it moved. */
function moveEvents(db: Database.Database, limit: number): number {
  const rows = db.prepare('SELECT seq, org_id, source, format, received_at, raw FROM events ORDER BY seq LIMIT ?').all(limit) as V1Event[];
  if (rows.length === 0) return 0;
  const insert = db.prepare(`INSERT INTO event_blocks(first_seq, last_seq, org_id, source, format, received_at, pos, codec, raw)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let run: { e: V1Event; bytes: Buffer }[] = [];
  let runBytes = 0;
  const flush = () => {
    if (run.length === 0) return;
    const offsets: number[] = [];
    let pos = 0;
    for (const r of run) offsets.push(pos, (pos += r.bytes.length));
    const first = run[0].e;
    const packed = packRaw(Buffer.concat(run.map((r) => r.bytes), pos));
    insert.run(first.seq, run[run.length - 1].e.seq, first.org_id, first.source, first.format, first.received_at,
      encodePositions(offsets, 0, run.length, 0), packed.codec, packed.raw);
    run = [];
    runBytes = 0;
  };
  for (const e of rows) {
    const bytes = Buffer.from(e.raw, 'utf8');
    const prev = run.length ? run[run.length - 1].e : undefined;
    const joins = prev && e.seq === prev.seq + 1 && e.org_id === prev.org_id && e.source === prev.source && e.format === prev.format &&
      e.received_at === prev.received_at && run.length < BLOCK_EVENTS && runBytes + bytes.length <= BLOCK_BYTES;
    if (!joins) flush();
    run.push({ e, bytes });
    runBytes += bytes.length;
  }
  flush();
  db.prepare('DELETE FROM events WHERE seq <= ?').run(rows[rows.length - 1].seq);
  return rows.length;
}
