import type Database from 'better-sqlite3';
import { BLOCK_BYTES, BLOCK_EVENTS, encodePositions, packRaw } from './blocks.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

type V1Event = { seq: number; org_id: string; source: string; format: string; received_at: number; raw: string };

/**
 * Brings a database to SCHEMA_VERSION. Version 1 kept one row per event (`events`); version 2
 * keeps blocks of events (blocks.ts): the rows move over with their sequence numbers, in one
 * transaction, so a crash midway leaves version 1 intact. A database written by a newer Ward is
 * refused rather than half understood.
 */
export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  const version = row ? Number(row.value) : SCHEMA_VERSION;
  if (version > SCHEMA_VERSION) {
    throw new Error(`this database has schema version ${version}, newer than this Ward's (${SCHEMA_VERSION}): upgrade Ward to open it`);
  }
  db.transaction(() => {
    db.exec(SCHEMA);
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get()) moveEventsToBlocks(db);
    db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
      String(SCHEMA_VERSION),
    );
  })();
}

function moveEventsToBlocks(db: Database.Database): void {
  const page = db.prepare('SELECT seq, org_id, source, format, received_at, raw FROM events WHERE seq > ? ORDER BY seq LIMIT 10000');
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
  for (let after = 0; ; ) {
    const rows = page.all(after) as V1Event[];
    if (rows.length === 0) break;
    for (const e of rows) {
      const bytes = Buffer.from(e.raw, 'utf8');
      const prev = run.length ? run[run.length - 1].e : undefined;
      const joins = prev && e.seq === prev.seq + 1 && e.org_id === prev.org_id && e.source === prev.source && e.format === prev.format &&
        e.received_at === prev.received_at && run.length < BLOCK_EVENTS && runBytes + bytes.length <= BLOCK_BYTES;
      if (!joins) flush();
      run.push({ e, bytes });
      runBytes += bytes.length;
    }
    after = rows[rows.length - 1].seq;
  }
  flush();
  db.exec('DROP TABLE events');
}
