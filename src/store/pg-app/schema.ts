/** Schema of the PostgreSQL application store (same tables as SQLite; times are epoch ms). */
export const PG_SCHEMA = `
CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), email TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL,
  password_hash TEXT NOT NULL, disabled BOOLEAN NOT NULL DEFAULT false, created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (lower(email));
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), user_id TEXT, name TEXT NOT NULL, kind TEXT NOT NULL,
  role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT,
  last_used_at BIGINT, revoked BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS tokens_org ON tokens (org_id, kind);
CREATE TABLE IF NOT EXISTS events (
  seq BIGSERIAL PRIMARY KEY, org_id TEXT NOT NULL, source TEXT NOT NULL, format TEXT NOT NULL, received_at BIGINT NOT NULL, raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_org ON events (org_id, seq);
CREATE TABLE IF NOT EXISTS sources (
  org_id TEXT NOT NULL, source TEXT NOT NULL, events BIGINT NOT NULL, last_seen BIGINT NOT NULL, PRIMARY KEY (org_id, source)
);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, seq BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, incident_id TEXT NOT NULL, rule_id TEXT NOT NULL, level TEXT NOT NULL,
  level_rank INTEGER NOT NULL, host TEXT, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, search TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_org_time ON alerts (org_id, last_seen);
CREATE INDEX IF NOT EXISTS alerts_incident ON alerts (org_id, incident_id);
CREATE INDEX IF NOT EXISTS alerts_recent ON alerts (last_seen);
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, status TEXT NOT NULL, assignee TEXT, severity_rank INTEGER NOT NULL,
  last_seen BIGINT NOT NULL, updated_at BIGINT NOT NULL, search TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_org ON incidents (org_id, last_seen);
CREATE TABLE IF NOT EXISTS rule_states (org_id TEXT NOT NULL, rule_id TEXT NOT NULL, enabled BOOLEAN NOT NULL, PRIMARY KEY (org_id, rule_id));
`;
