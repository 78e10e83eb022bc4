import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { SqliteAppStore } from '../../src/store/index.js';
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

const pgUrl = process.env.WARD_TEST_PG_URL;
if (pgUrl) {
  const { PostgresAppStore } = await import('../../src/store/index.js').then((m) => m as unknown as { PostgresAppStore?: new (url: string, schema: string) => any });
  if (PostgresAppStore) {
    let n = 0;
    appStoreSuite('postgres', async () => {
      const s = new PostgresAppStore(pgUrl, `ward_test_${process.pid}_${++n}`);
      await s.init();
      return s;
    });
  } else describe.skip('AppStore: postgres (no PostgresAppStore implementation yet)', () => it('skipped', () => {}));
} else {
  describe.skip('AppStore: postgres (set WARD_TEST_PG_URL to run)', () => it('skipped', () => {}));
}
