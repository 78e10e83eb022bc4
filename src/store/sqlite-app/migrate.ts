import type Database from 'better-sqlite3';
import { INSERT_BLOCK, insertRun, joinEvents } from './blocks.js';
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
  const insert = db.prepare(INSERT_BLOCK);
  // Runs of consecutive rows alike in all but their text become blocks (insertRun sizes them).
  for (let i = 0; i < rows.length; ) {
    const e = rows[i];
    let j = i + 1;
    while (j < rows.length) {
      const r = rows[j];
      if (r.seq !== rows[j - 1].seq + 1 || r.org_id !== e.org_id || r.source !== e.source || r.format !== e.format || r.received_at !== e.received_at) break;
      j++;
    }
    const { buf, offsets } = joinEvents(rows.slice(i, j).map((r) => r.raw));
    insertRun(insert, { orgId: e.org_id, source: e.source, format: e.format, receivedAt: e.received_at, buf, offsets, count: j - i }, e.seq);
    i = j;
  }
  db.prepare('DELETE FROM events WHERE seq <= ?').run(rows[rows.length - 1].seq);
  return rows.length;
}
