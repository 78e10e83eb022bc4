/** PostgreSQL backend (node-postgres pool), same statements as SQLite through SqlDriver. */
import pg from 'pg';
import { SqlStixStore } from './sql-store.js';
import { toDollarParams, type SqlDriver, type SqlExecutor, type SqlValue } from './sql.js';
import type { StixStore } from './types.js';

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

function executor(q: Queryable): SqlExecutor {
  return {
    dialect: 'postgres',
    async all(sql, params: readonly SqlValue[] = []) {
      return (await q.query(toDollarParams(sql), params as SqlValue[])).rows as Record<string, unknown>[];
    },
    async run(sql, params: readonly SqlValue[] = []) {
      return (await q.query(toDollarParams(sql), params as SqlValue[])).rowCount ?? 0;
    },
  };
}

class PgDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly ex: SqlExecutor;
  constructor(private readonly pool: pg.Pool) {
    this.ex = executor(pool);
  }
  all(sql: string, params?: readonly SqlValue[]): Promise<Record<string, unknown>[]> {
    return this.ex.all(sql, params);
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.ex.run(sql, params);
  }
  async tx<T>(fn: (db: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const r = await fn(executor(client));
      await client.query('COMMIT');
      return r;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Connects to PostgreSQL (e.g. postgres://user:pass@host/db) and creates the tables when missing. */
export async function openPostgresStixStore(url: string, options: { max?: number } = {}): Promise<StixStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 });
  // An idle client's network error must not crash the process (node-postgres emits 'error').
  pool.on('error', () => undefined);
  try {
    return await SqlStixStore.open(new PgDriver(pool));
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}
