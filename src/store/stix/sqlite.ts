/** SQLite backend (better-sqlite3, WAL): the default, one file in the data directory. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqlStixStore } from './sql-store.js';
import type { SqlDriver, SqlExecutor, SqlValue } from './sql.js';
import type { StixStore } from './types.js';

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly stmts = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      // Statements built from variable-length IN lists would grow the cache without bound.
      if (this.stmts.size < 500) this.stmts.set(sql, s);
    }
    return s;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<Record<string, unknown>[]> {
    const s = this.prepare(sql);
    return s.reader ? (s.all(...params) as Record<string, unknown>[]) : (s.run(...params), []);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.prepare(sql).run(...params).changes;
  }

  async tx<T>(fn: (db: SqlExecutor) => Promise<T>): Promise<T> {
    // The store serialises write transactions, and every call of this driver completes
    // synchronously, so BEGIN … COMMIT around an async function is safe here.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const r = await fn(this);
      this.db.exec('COMMIT');
      return r;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Opens (creating when needed) a STIX store in a SQLite file; ':memory:' for a throwaway store. */
export async function openSqliteStixStore(file: string): Promise<StixStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return SqlStixStore.open(new SqliteDriver(db));
}
