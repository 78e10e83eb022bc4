/**
 * The little SQL both backends share: the store is written once against this driver, so SQLite
 * and PostgreSQL run the same statements (placeholders are written `?` and rewritten to `$n` for
 * PostgreSQL). Both accept `INSERT … ON CONFLICT DO NOTHING` and row-value comparisons.
 */
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs `fn` in one transaction; `fn` must use the executor it is given. */
  tx<T>(fn: (db: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type SqlExecutor = Pick<SqlDriver, 'all' | 'run' | 'dialect'>;

/** Schema; `${serial}` and `${bigint}` differ per dialect. */
export function schema(dialect: 'sqlite' | 'postgres'): string[] {
  const serial = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const big = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return [
    `CREATE TABLE IF NOT EXISTS taxii_collections (
      id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT, alias TEXT,
      media_types TEXT NOT NULL, created ${big} NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS stix_objects (
      seq ${serial},
      collection_id TEXT NOT NULL REFERENCES taxii_collections(id) ON DELETE CASCADE,
      id TEXT NOT NULL, type TEXT NOT NULL,
      version_key TEXT NOT NULL, version TEXT NOT NULL, spec_version TEXT NOT NULL,
      date_added ${big} NOT NULL, body TEXT NOT NULL,
      -- 1 on the newest version of each object: match[version]=last (the default) without a subquery
      is_last INTEGER NOT NULL DEFAULT 0,
      UNIQUE (collection_id, id, version_key))`,
    `CREATE INDEX IF NOT EXISTS stix_objects_added ON stix_objects (collection_id, date_added, seq)`,
    `CREATE INDEX IF NOT EXISTS stix_objects_type ON stix_objects (collection_id, type, date_added)`,
    `CREATE TABLE IF NOT EXISTS taxii_status (id TEXT PRIMARY KEY, body TEXT NOT NULL, created ${big} NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS taxii_users (
      name TEXT PRIMARY KEY, identity TEXT, relation TEXT NOT NULL, names TEXT NOT NULL,
      admin INTEGER NOT NULL, password_hash TEXT)`,
    `CREATE TABLE IF NOT EXISTS taxii_tokens (
      id TEXT PRIMARY KEY, user_name TEXT NOT NULL REFERENCES taxii_users(name) ON DELETE CASCADE,
      secret_hash TEXT NOT NULL, label TEXT, created TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS taxii_rights (
      user_name TEXT NOT NULL REFERENCES taxii_users(name) ON DELETE CASCADE, collection_id TEXT NOT NULL,
      can_read INTEGER NOT NULL, can_write INTEGER NOT NULL, PRIMARY KEY (user_name, collection_id))`,
  ];
}

/** `?` → `$1, $2 …` (the store never writes a literal '?' inside SQL text). */
export function toDollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
