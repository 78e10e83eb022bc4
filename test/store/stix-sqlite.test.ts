import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStixStore } from '../../src/store/index.js';
import { stixStoreSuite } from './stix-store.suite.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-stix-store-'));
stixStoreSuite('sqlite', () => openSqliteStixStore(join(dir, 'suite.db')), async () => rmSync(dir, { recursive: true, force: true }));

describe('StixStore (sqlite file)', () => {
  it('keeps objects across close and reopen (WAL file on disk)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ward-stix-reopen-'));
    try {
      const file = join(d, 'x.db');
      let s = await openSqliteStixStore(file);
      const c = await s.createCollection({ id: 'c1', title: 't' });
      await s.addObjects(c.id, [{ type: 'ipv4-addr', id: 'ipv4-addr--11111111-1111-5111-8111-111111111111', value: '198.51.100.1' }]);
      const before = (await s.query('c1', {})).items[0].dateAdded;
      await s.close();
      s = await openSqliteStixStore(file);
      const p = await s.query('c1', {});
      expect(p.items.map((i) => i.object.value)).toEqual(['198.51.100.1']);
      expect(p.items[0].dateAdded).toBe(before);
      await s.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
