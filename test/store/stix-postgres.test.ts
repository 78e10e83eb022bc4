/**
 * The shared StixStore suite against PostgreSQL. Needs WARD_TEST_PG_URL
 * (e.g. postgres://postgres:postgres@localhost/ward_test); skips with a message when unset or
 * unreachable. Each run works in its own schema and drops it afterwards.
 */
import pg from 'pg';
import { describe, it } from 'vitest';
import { openPostgresStixStore } from '../../src/store/index.js';
import { stixStoreSuite } from './stix-store.suite.js';

const url = process.env.WARD_TEST_PG_URL;
const schema = `ward_test_${process.pid}_${Date.now()}`;
let reason = url ? '' : 'WARD_TEST_PG_URL is not set';
if (url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
  } catch (e) {
    reason = `PostgreSQL at WARD_TEST_PG_URL is unreachable: ${(e as Error).message}`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function withSchema(u: string): string {
  const parsed = new URL(u);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

if (reason) {
  describe('StixStore (postgres)', () => {
    it.skip(`skipped: ${reason}`, () => undefined);
  });
  console.warn(`[stix-postgres] skipped: ${reason}`);
} else {
  stixStoreSuite('postgres', () => openPostgresStixStore(withSchema(url as string)), async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA ${schema} CASCADE`);
    await c.end();
  });
}
