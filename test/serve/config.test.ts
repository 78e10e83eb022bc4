import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword, hashToken } from '../../src/api/index.js';
import { bootstrap, loadConfig, loadDemo, sigmaRuleLoader, startWard } from '../../src/serve/index.js';
import { SqliteAppStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('defaults everything', () => {
    const c = loadConfig({ env: {}, cwd: dir });
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', data: join(dir, 'ward-data'), rules: [], synchronous: 'FULL', taxii: true });
    expect(c.syslog.udp).toBeUndefined();
    expect(c.drop).toBeUndefined();
    expect(c.detectionThreads).toBeUndefined();
  });

  it('reads ward.yaml, then environment, then flags', () => {
    writeFileSync(join(dir, 'ward.yaml'), 'port: 9000\ndata: /var/lib/ward\nrules: [r1, r2]\nsyslog: { udp: 5514, tcp: 5515 }\ndrop: { dir: spool }\n');
    const y = loadConfig({ env: {}, cwd: dir });
    expect(y).toMatchObject({ port: 9000, data: '/var/lib/ward', rules: [join(dir, 'r1'), join(dir, 'r2')], syslog: { udp: 5514, tcp: 5515 } });
    expect(y.drop?.dir).toBe(join(dir, 'spool'));
    const e = loadConfig({ env: { WARD_PORT: '9100', WARD_DATA: 'd2' }, cwd: dir });
    expect(e).toMatchObject({ port: 9100, data: join(dir, 'd2') });
    const f = loadConfig({ env: { WARD_PORT: '9100' }, flags: { port: 9200, data: 'd3' }, cwd: dir });
    expect(f).toMatchObject({ port: 9200, data: join(dir, 'd3') });
    rmSync(join(dir, 'ward.yaml'));
  });

  it('names the bad setting', () => {
    expect(() => loadConfig({ env: { WARD_PORT: 'eighty' }, cwd: dir })).toThrow(/WARD_PORT/);
    expect(() => loadConfig({ env: { WARD_DETECTION_THREADS: '0' }, cwd: dir })).toThrow(/detection threads/);
    expect(loadConfig({ env: { WARD_DETECTION_THREADS: '3' }, cwd: dir }).detectionThreads).toBe(3);
    writeFileSync(join(dir, 'bad.yaml'), 'port: [1\n');
    expect(() => loadConfig({ env: {}, cwd: dir, flags: { config: 'bad.yaml' } })).toThrow(/bad\.yaml/);
  });
});

describe('bootstrap', () => {
  it('creates org, admin and token once, generating secrets when none are given', async () => {
    const store = new SqliteAppStore(':memory:');
    const first = await bootstrap(store, { name: 'H', slug: 'h' }, {});
    expect(first.created?.password).toMatch(/^\S{12,}$/);
    expect(first.created?.token).toMatch(/^ward_/);
    const admin = (await store.getUserByEmail('admin@ward.local'))!;
    expect(admin.role).toBe('admin');
    expect(await verifyPassword(first.created!.password!, admin.passwordHash)).toBe(true);
    expect((await store.findTokenByHash(hashToken(first.created!.token!)))?.role).toBe('admin');
    const second = await bootstrap(store, { name: 'H', slug: 'h' }, { WARD_ADMIN_PASSWORD: 'another password' });
    expect(second.created).toBeUndefined();
    expect(second.org.id).toBe(first.org.id);
    await store.close();
  });

  it('uses WARD_ADMIN_* for unattended installs and does not echo given secrets', async () => {
    const store = new SqliteAppStore(':memory:');
    const r = await bootstrap(store, { name: 'H', slug: 'h' }, { WARD_ADMIN_EMAIL: 'soc@h.test', WARD_ADMIN_PASSWORD: 'a long password', WARD_ADMIN_TOKEN: 'ward_given_token_1234567' });
    expect(r.created).toEqual({ email: 'soc@h.test', password: undefined, token: undefined });
    expect(await store.findTokenByHash(hashToken('ward_given_token_1234567'))).toBeDefined();
    await expect(bootstrap(new SqliteAppStore(':memory:'), { name: 'H', slug: 'h' }, { WARD_ADMIN_PASSWORD: 'short' })).rejects.toThrow(/WARD_ADMIN_PASSWORD/);
    await store.close();
  });
});

describe('ward serve --demo', () => {
  it("loads the project's example logs: alerts and a multi-host incident with Ward's own rule pack", async () => {
    const cfg = loadConfig({ env: {}, flags: { port: 0, data: join(dir, 'demo') }, cwd: dir });
    cfg.synchronous = 'NORMAL';
    cfg.taxii = false;
    const w = await startWard(cfg, { ruleLoader: sigmaRuleLoader([]), env: {}, log: () => undefined });
    try {
      const d = await loadDemo(w);
      expect(d.events).toBeGreaterThan(100);
      const org = w.boot.org.id;
      const alerts = await w.store.listAlerts(org, { limit: 1000 });
      expect(alerts.total).toBeGreaterThan(5);
      const incidents = await w.store.listIncidents(org, {});
      expect(incidents.items.some((i) => i.hosts.length > 1 && i.tactics.length > 2)).toBe(true);
      // loading twice does not duplicate
      expect((await loadDemo(w)).events).toBe(0);
    } finally {
      await w.close();
    }
  });
});

describe('intel matching in ward serve', () => {
  it('raises an alert when an event names an indicator from the configured STIX bundle', async () => {
    const intel = fileURLToPath(new URL('../fixtures/serve/intel', import.meta.url));
    const rules = fileURLToPath(new URL('../fixtures/serve/rules', import.meta.url));
    const cfg = loadConfig({ env: {}, flags: { port: 0, data: join(dir, 'intel'), rules: [rules], intel: [intel] }, cwd: dir });
    cfg.taxii = false;
    const w = await startWard(cfg, { ruleLoader: sigmaRuleLoader(cfg.rules, cfg.intel), env: {}, log: () => undefined });
    try {
      const org = w.boot.org.id;
      await w.pipeline.ingest(org, 'dns', 'json', [
        { data: { Computer: 'RVH-PHA-WS02', QueryName: 'beacon.c2.ward-test.example', EventTime: '2026-03-01T03:00:00Z' } },
        { data: { Computer: 'RVH-PHA-WS02', QueryName: 'www.example.org', EventTime: '2026-03-01T03:00:01Z' } },
      ]);
      await w.pipeline.idle();
      const alerts = (await w.store.listAlerts(org, {})).items;
      expect(alerts.map((a) => [a.kind, a.ruleTitle])).toEqual([['intel', 'Ward test C2 domain']]);
      expect(alerts[0].explanation).toMatch(/c2\.ward-test\.example/);
      const catalog = await w.rules.list(org);
      expect(catalog.loaded.some((r) => r.kind === 'intel')).toBe(true);
    } finally {
      await w.close();
    }
  });
});

describe.skipIf(!process.env.WARD_TEST_PG_URL)('ward serve on PostgreSQL (WARD_TEST_PG_URL)', () => {
  it('stores events and alerts in PostgreSQL and recovers from its cursor', async () => {
    const { PostgresAppStore } = await import('../../src/store/index.js');
    const rules = fileURLToPath(new URL('../fixtures/serve/rules', import.meta.url));
    const store = await new PostgresAppStore(process.env.WARD_TEST_PG_URL!, `ward_serve_test_${process.pid}`).init();
    const cfg = loadConfig({ env: {}, flags: { port: 0, data: join(dir, 'pg'), rules: [rules] }, cwd: dir });
    cfg.taxii = false;
    const w = await startWard(cfg, { store, ruleLoader: sigmaRuleLoader(cfg.rules), env: {}, log: () => undefined });
    try {
      const org = w.boot.org.id;
      const r = await w.pipeline.ingest(org, 'pg', 'json', [
        { data: { Channel: 'Security', EventID: 4688, Computer: 'PG-HOST', CommandLine: 'sekurlsa::x', EventTime: '2026-03-01T03:00:00Z' } },
      ]);
      await w.pipeline.idle();
      expect((await store.listAlerts(org, { host: 'pg-host' })).total).toBe(1);
      expect(await store.getCursor('detect')).toBe(r.lastSeq);
    } finally {
      await w.pipeline.close();
      await store.drop();
      await w.close();
    }
  });
});

describe('rule folders are watched', () => {
  it('reloads when a rule file is added, without a restart', async () => {
    const { mkdirSync, copyFileSync } = await import('node:fs');
    const rules = join(dir, 'watched-rules');
    mkdirSync(rules, { recursive: true });
    const src = fileURLToPath(new URL('../fixtures/serve/rules', import.meta.url));
    copyFileSync(join(src, 'cred_mimikatz_cmdline.yml'), join(rules, 'a.yml'));
    const cfg = loadConfig({ env: {}, flags: { port: 0, data: join(dir, 'watch'), rules: [rules] }, cwd: dir });
    cfg.taxii = false;
    const w = await startWard(cfg, { ruleLoader: sigmaRuleLoader(cfg.rules), watchRules: cfg.rules, env: {}, log: () => undefined });
    try {
      const org = w.boot.org.id;
      expect((await w.rules.list(org)).loaded).toHaveLength(1);
      copyFileSync(join(src, 'lateral_network_logon.yml'), join(rules, 'b.yml'));
      for (let i = 0; i < 100 && (await w.rules.list(org)).loaded.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await w.rules.list(org)).loaded).toHaveLength(2);
    } finally {
      await w.close();
    }
  });
});
