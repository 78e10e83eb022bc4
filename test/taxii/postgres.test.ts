/**
 * The TAXII app over the PostgreSQL store (the same app the SQLite tests drive). Needs
 * WARD_TEST_PG_URL; skips with a message when unset or unreachable.
 */
import pg from 'pg';
import { scratchSchema } from '../support/pg-schema.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createTaxiiApp, StoreTaxiiAuth } from '../../src/api/taxii/index.js';
import { openPostgresStixStore, type StixStore } from '../../src/store/index.js';
import { obj, TAXII } from './helpers.js';

const { url, schema, reason } = await scratchSchema('ward_taxii');

if (reason) {
  console.warn(`[taxii-postgres] skipped: ${reason}`);
  describe('TAXII over PostgreSQL', () => it.skip(`skipped: ${reason}`, () => undefined));
} else {
  describe('TAXII over PostgreSQL', () => {
    let store: StixStore | undefined;
    afterAll(async () => {
      await store?.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    });
    it('adds, pages, lists manifest and versions, deletes', async () => {
      const u = new URL(url as string);
      u.searchParams.set('options', `-c search_path=${schema}`);
      store = await openPostgresStixStore(u.toString());
      const col = (await store.createCollection({ title: 'pg' })).id;
      const app = createTaxiiApp({ store, auth: new StoreTaxiiAuth(store, { adminToken: 'pg-admin-token-123' }) });
      const H = { Authorization: 'Bearer pg-admin-token-123', Accept: TAXII };
      const O = `/ward/collections/${col}/objects/`;
      const post = await app.request(O, {
        method: 'POST',
        headers: { ...H, 'Content-Type': TAXII },
        body: JSON.stringify({ objects: [...Array.from({ length: 7 }, (_, i) => obj(i + 1, { tlp: 'clear' })), obj(1, { tlp: 'clear', modified: '2026-02-01T00:00:00.000Z' })] }),
      });
      expect(((await post.json()) as any).success_count).toBe(8);
      const seen: string[] = [];
      let next = '';
      for (let i = 0; i < 10; i++) {
        const r = (await (await app.request(`${O}?limit=3${next ? `&next=${next}` : ''}`, { headers: H })).json()) as any;
        seen.push(...r.objects.map((o: any) => o.id));
        if (!r.more) break;
        next = r.next;
      }
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      const versions = (await (await app.request(`${O}${obj(1).id}/versions/`, { headers: H })).json()) as any;
      expect(versions.versions).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
      const manifest = (await (await app.request(`/ward/collections/${col}/manifest/`, { headers: H })).json()) as any;
      expect(manifest.objects).toHaveLength(7);
      expect((await app.request(`${O}${obj(1).id}/`, { method: 'DELETE', headers: H })).status).toBe(200);
      expect((await app.request(`${O}${obj(1).id}/`, { headers: H })).status).toBe(404);
    });
  });
}
