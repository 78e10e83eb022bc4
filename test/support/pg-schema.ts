import pg from 'pg';

/**
 * A scratch PostgreSQL schema for a test file, from WARD_TEST_PG_URL. `reason` says why the
 * PostgreSQL tests must skip ('' when the schema was created).
 */
export async function scratchSchema(prefix: string): Promise<{ url: string | undefined; schema: string; reason: string }> {
  const url = process.env.WARD_TEST_PG_URL;
  const schema = `${prefix}_${process.pid}_${Date.now()}`;
  if (!url) return { url, schema, reason: 'WARD_TEST_PG_URL is not set' };
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    return { url, schema, reason: '' };
  } catch (e) {
    return { url, schema, reason: `PostgreSQL at WARD_TEST_PG_URL is unreachable: ${(e as Error).message}` };
  } finally {
    await c.end().catch(() => undefined);
  }
}
