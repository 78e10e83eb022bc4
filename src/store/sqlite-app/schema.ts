/** Schema of the SQLite application store. Bump `SCHEMA_VERSION` and add a step to migrate. */
export const SCHEMA_VERSION = 2;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS orgs (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), user_id TEXT, name TEXT NOT NULL,
  kind TEXT NOT NULL, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER, last_used_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tokens_org ON tokens(org_id, kind);
-- Events, up to 64 per row (blocks.ts): sequence numbers first_seq..last_seq, contiguous across
-- rows because blocks are only ever appended, each continuing from the last.
CREATE TABLE IF NOT EXISTS event_blocks (
  first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, org_id TEXT NOT NULL, source TEXT NOT NULL,
  format TEXT NOT NULL, received_at INTEGER NOT NULL, pos BLOB NOT NULL, codec INTEGER NOT NULL, raw BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS event_blocks_org ON event_blocks(org_id, first_seq);
CREATE TABLE IF NOT EXISTS sources (
  org_id TEXT NOT NULL, source TEXT NOT NULL, events INTEGER NOT NULL, last_seen INTEGER NOT NULL,
  PRIMARY KEY (org_id, source)
);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, incident_id TEXT NOT NULL, rule_id TEXT NOT NULL,
  level TEXT NOT NULL, level_rank INTEGER NOT NULL, host TEXT, first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL, search TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_org_time ON alerts(org_id, last_seen);
CREATE INDEX IF NOT EXISTS alerts_incident ON alerts(org_id, incident_id);
CREATE INDEX IF NOT EXISTS alerts_recent ON alerts(last_seen);
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, status TEXT NOT NULL, assignee TEXT,
  severity_rank INTEGER NOT NULL, last_seen INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  search TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_org ON incidents(org_id, last_seen);
CREATE TABLE IF NOT EXISTS rule_states (
  org_id TEXT NOT NULL, rule_id TEXT NOT NULL, enabled INTEGER NOT NULL, PRIMARY KEY (org_id, rule_id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;
