import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresAppStore, SqliteAppStore } from '../../src/store/index.js';
import { migrate } from '../../src/store/sqlite-app/migrate.js';
import { appStoreSuite } from './store-suite.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

appStoreSuite('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ward-store-'));
  dirs.push(dir);
  return new SqliteAppStore(join(dir, 'ward.db'));
});

describe('SqliteAppStore writer thread', () => {
  it('keeps a script alive while a write it awaits is in the writer thread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-store-'));
    dirs.push(dir);
    const store = fileURLToPath(new URL('../../src/store/index.ts', import.meta.url));
    const script = `
      const { SqliteAppStore } = await import(${JSON.stringify(store)});
      const s = new SqliteAppStore(${JSON.stringify(join(dir, 'w.db'))});
      const org = await s.createOrg({ name: 'o', slug: 'o' });
      const seqs = await s.appendEvents(org.id, [{ source: 's', format: 'json', receivedAt: 1, raw: '{"a":1}' }]);
      console.log('appended ' + seqs.join(','));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(out.trim()).toBe('appended 1');
  });

  it('replaces a writer thread that died; what it had in hand fails, later writes succeed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-store-'));
    dirs.push(dir);
    const s = new SqliteAppStore(join(dir, 'w.db'));
    try {
      const org = await s.createOrg({ name: 'o', slug: 'o' });
      const ev = (n: number) => [{ source: 's', format: 'json', receivedAt: n, raw: `{"n":${n}}` }];
      await s.appendEvents(org.id, ev(1));
      const writer = (s as unknown as { writer: { worker: { terminate(): Promise<number> } } }).writer;
      const dying = writer.worker.terminate();
      const inHand = s.appendEvents(org.id, ev(2)); // reaches a thread that is stopping
      await dying;
      await expect(inHand).rejects.toThrow(/writer thread exited/);
      await s.appendEvents(org.id, ev(3));
      const raws = (await s.readEventsAfter(0, 10)).map((e) => e.raw);
      expect(raws[0]).toBe('{"n":1}');
      expect(raws[raws.length - 1]).toBe('{"n":3}');
    } finally {
      await s.close();
    }
  });
});

/** A database as Ward wrote it at schema version 1 (one row per event), open for filling. */
function v1Database(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ward-store-'));
  dirs.push(dir);
  const file = join(dir, name);
  const old = new Database(file);
  old.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, org_id TEXT NOT NULL, source TEXT NOT NULL, format TEXT NOT NULL,
      received_at INTEGER NOT NULL, raw TEXT NOT NULL);
    CREATE INDEX events_org ON events(org_id, seq);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('schema_version', '1');`);
  const ins = old.prepare('INSERT INTO events(seq, org_id, source, format, received_at, raw) VALUES (?, ?, ?, ?, ?, ?)');
  return { file, old, ins };
}

describe('SqliteAppStore schema migration', () => {
  it('moves version 1 events (one row each) into blocks with their sequence numbers; appends continue after them', async () => {
    const { file, old, ins } = v1Database('v1.db');
    const rows: [number, string, string, string, number, string][] = [];
    // 150 events of one run (more than a block holds), then changes of org, source, time; a gap in seqs.
    for (let i = 1; i <= 150; i++) rows.push([i, 'org_a', 'dc01', 'ndjson', 7, `{"i":${i},"t":"é"}`]);
    rows.push([151, 'org_b', 'dc01', 'ndjson', 7, '{"b":1}'], [152, 'org_a', 'fw', 'syslog', 7, 'plain text'], [153, 'org_a', 'fw', 'syslog', 8, '{"x":2}']);
    rows.push([160, 'org_a', 'fw', 'syslog', 8, '{"after":"gap"}']);
    for (const r of rows) ins.run(...r);
    old.close();

    const s = new SqliteAppStore(file);
    try {
      const got = await s.readEventsAfter(0, 1000);
      expect(got.map((e) => [e.seq, e.orgId, e.source, e.format, e.receivedAt, e.raw])).toEqual(rows);
      expect(await s.lastEventSeq()).toBe(160);
      expect((await s.getEvents('org_a', [160, 151, 75])).map((e) => e.seq)).toEqual([75, 160]);
      const next = await s.appendEvents('org_a', [{ source: 'fw', format: 'json', receivedAt: 9, raw: '{}' }]);
      expect(next).toEqual([161]);
    } finally {
      await s.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'events'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '2' });
    db.close();
  });

  it('migrates a run of rows per transaction; a migration cut short carries on at the next start', async () => {
    const { file, old, ins } = v1Database('v1-big.db');
    const want: [number, string][] = [];
    for (let i = 1; i <= 300; i++) {
      want.push([i, `{"i":${i}}`]);
      ins.run(i, i % 3 ? 'org_a' : 'org_b', 'dc01', 'ndjson', Math.floor(i / 40), `{"i":${i}}`);
    }
    // A "crash" in the third transaction: the rows it would move must stay where they are.
    old.exec("CREATE TRIGGER crash BEFORE DELETE ON events WHEN old.seq > 100 BEGIN SELECT RAISE(ABORT, 'power cut'); END;");
    expect(() => migrate(old, { rowsPerTransaction: 50 })).toThrow(/power cut/);
    expect(old.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 200 });
    expect(old.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '1' });
    old.exec('DROP TRIGGER crash');
    old.close();

    const said: string[] = [];
    const s = new SqliteAppStore(file, { log: (m) => said.push(m) });
    try {
      expect(said[0]).toMatch(/^moving 200 stored events into the version 2 layout/);
      expect(said[said.length - 1]).toBe('moved 200 events');
      expect((await s.readEventsAfter(0, 1000)).map((e) => [e.seq, e.raw])).toEqual(want);
      expect((await s.listEvents('org_b', { limit: 2 })).map((e) => e.seq)).toEqual([300, 297]);
    } finally {
      await s.close();
    }
  });

  it('a damaged block reads as events saying so; the events around it read as stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-store-'));
    dirs.push(dir);
    const file = join(dir, 'damaged.db');
    const s = new SqliteAppStore(file);
    const org = await s.createOrg({ name: 'o', slug: 'o' });
    const ev = (r: number) => Array.from({ length: 3 }, (_, i) => ({ source: 's', format: 'json', receivedAt: r, raw: `{"r":${r},"i":${i}}` }));
    const seqs = [...(await s.appendEvents(org.id, ev(1))), ...(await s.appendEvents(org.id, ev(2))), ...(await s.appendEvents(org.id, ev(3)))];
    await s.close();
    const db = new Database(file);
    db.prepare('UPDATE event_blocks SET raw = ?, codec = 1 WHERE first_seq = ?').run(Buffer.from('not brotli at all'), seqs[3]);
    db.prepare('UPDATE event_blocks SET raw = ?, codec = 0 WHERE first_seq = ?').run(Buffer.from('{"r":3,"i":0}'), seqs[6]);
    db.close();
    const again = new SqliteAppStore(file);
    try {
      const got = await again.readEventsAfter(0, 100);
      expect(got.map((e) => e.seq)).toEqual(seqs);
      expect(got.slice(0, 3).map((e) => JSON.parse(e.raw).r)).toEqual([1, 1, 1]);
      // a block cut short: the events still inside it read, the rest say their bytes are missing
      expect(JSON.parse(got[6].raw)).toEqual({ r: 3, i: 0 });
      for (const e of got.slice(7)) expect(JSON.parse(e.raw)['ward.error']).toMatch(/offsets out of range/);
      for (const e of got.slice(3, 6)) expect(JSON.parse(e.raw)['ward.error']).toMatch(new RegExp(`event ${e.seq} unreadable \\(block ${seqs[3]}-${seqs[5]}\\): cannot decompress`));
      expect((await again.getEvents(org.id, [seqs[4], seqs[0]])).map((e) => Object.keys(JSON.parse(e.raw))[0])).toEqual(['r', 'ward.error']);
    } finally {
      await again.close();
    }
  });

  it('refuses a database from a newer Ward with a message saying so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-store-'));
    dirs.push(dir);
    const file = join(dir, 'future.db');
    const db = new Database(file);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '99');");
    db.close();
    expect(() => new SqliteAppStore(file)).toThrow(/schema version 99, newer than this Ward's/);
  });
});

// In memory there is no second connection: writes are made on the store's own (writes.ts).
appStoreSuite('sqlite in memory', async () => new SqliteAppStore(':memory:'));

const pgUrl = process.env.WARD_TEST_PG_URL;
if (pgUrl) {
  let n = 0;
  appStoreSuite('postgres', async () => {
    // A schema per test, dropped when the suite closes the store.
    const s = await new PostgresAppStore(pgUrl, `ward_app_test_${process.pid}_${++n}`).init();
    const close = s.close.bind(s);
    s.close = async () => {
      await s.drop();
      await close();
    };
    return s;
  });
} else {
  describe.skip('AppStore: postgres (set WARD_TEST_PG_URL=postgres://user:pw@host/db to run)', () => it('skipped', () => {}));
}
