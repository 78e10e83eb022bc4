import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresAppStore, SqliteAppStore } from '../../src/store/index.js';
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
