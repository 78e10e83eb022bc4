/**
 * The shared StixStore suite against PostgreSQL. Needs WARD_TEST_PG_URL
 * (e.g. postgres://postgres:postgres@localhost/ward_test); skips with a message when unset or
 * unreachable. Each run works in its own schema and drops it afterwards.
 */
import pg from 'pg';
import { scratchSchema } from '../support/pg-schema.js';
import { describe, it } from 'vitest';
import { openPostgresStixStore } from '../../src/store/index.js';
import { stixStoreSuite } from './stix-store.suite.js';

const { url, schema, reason } = await scratchSchema('ward_test');

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
