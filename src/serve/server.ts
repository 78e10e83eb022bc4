import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { applyPatch, AlertEngine, type AlertEngineOptions, type Incident } from '../alerts/index.js';
import { createApiApp, createTaxiiApp, openTaxiiStore, StoreTaxiiAuth, type ApiDeps, type IncidentWorkflow } from '../api/index.js';
import { PostgresAppStore, SqliteAppStore, type AppStore } from '../store/index.js';
import { packageRoot } from '../util/index.js';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import type { ServeConfig } from './config.js';
import { startDropFolder, type DropFolder } from './dropfolder.js';
import { Pipeline } from './pipeline.js';
import { RuleManager, type RuleLoader } from './rules.js';
import { startSyslog, type SyslogListeners } from './syslog.js';
import { watchRuleFolders } from './watch.js';

export interface StartOptions {
  /** How rules are loaded (default: none; the CLI passes the Sigma loader). */
  ruleLoader?: RuleLoader;
  /** An already open store (default: SQLite in `<data>/ward.db`). */
  store?: AppStore;
  engine?: AlertEngineOptions;
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
  /** Extra apps mounted into the HTTP server (e.g. TAXII 2.1 at /taxii2). */
  mounts?: ApiDeps['mounts'];
  /** Correlation flush interval (ms). */
  tickMs?: number;
  /** Folders to watch for rule changes (reload automatically); default none. */
  watchRules?: string[];
}

export interface WardServer {
  url: string;
  port: number;
  store: AppStore;
  pipeline: Pipeline;
  rules: RuleManager;
  boot: BootstrapResult;
  syslog?: SyslogListeners;
  drop?: DropFolder;
  close(): Promise<void>;
}

/** Starts everything `ward serve` runs, in the order that keeps acknowledged events safe. */
export async function startWard(cfg: ServeConfig, opts: StartOptions = {}): Promise<WardServer> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`ward: ${m}\n`));
  const store =
    opts.store ??
    (cfg.databaseUrl ? await new PostgresAppStore(cfg.databaseUrl).init() : new SqliteAppStore(join(cfg.data, 'ward.db'), { synchronous: cfg.synchronous, log }));
  const boot = await bootstrap(store, cfg.org, opts.env);
  const rules = new RuleManager(store, opts.ruleLoader, log);
  await rules.init();
  const engine = new AlertEngine(opts.engine);
  const pipeline = new Pipeline(store, rules, engine, { maxQueue: cfg.limits.maxQueue, detectionThreads: cfg.detectionThreads, log });
  // Detection catches up on what was stored but not detected before the last stop or crash,
  // before anything new is accepted.
  await pipeline.recover();

  const incidents: IncidentWorkflow = {
    async update(orgId, id, patch, actor) {
      // Edit the engine's live copy when it has one, so detection and the analyst never
      // overwrite each other's changes.
      const live = engine.getIncident(id);
      const inc: Incident | undefined = live && live.orgId === orgId ? live : await store.getIncident(orgId, id);
      if (!inc) return undefined;
      applyPatch(inc, patch, actor);
      engine.updateIncident(inc);
      await store.saveIncident(inc);
      return inc;
    },
  };

  const listeners: { kind: string; address: string }[] = [];
  const orgFor = async (slug: string | undefined): Promise<string> => {
    if (!slug) return boot.org.id;
    const o = await store.getOrgBySlug(slug);
    if (!o) throw new Error(`no organisation with slug "${slug}"`);
    return o.id;
  };

  // The TAXII 2.1 server (issue 3) shares the process and port; its STIX store is taxii.db in the
  // same data folder as `ward taxii serve`, and the bootstrap admin token also opens it.
  const mounts = [...(opts.mounts ?? [])];
  let closeTaxii: (() => Promise<void>) | undefined;
  if (cfg.taxii) {
    const stix = await openTaxiiStore(cfg.data, cfg.databaseUrl);
    const adminToken = (opts.env ?? process.env).WARD_ADMIN_TOKEN || boot.created?.token;
    const taxii = createTaxiiApp({ store: stix, auth: new StoreTaxiiAuth(stix, { adminToken }), apiRoot: 'ward' });
    mounts.push({ prefixes: ['/taxii2', '/ward'], fetch: (req) => taxii.fetch(req) });
    closeTaxii = () => stix.close();
  }

  const app = createApiApp({
    store,
    ingest: pipeline,
    rules,
    incidents,
    log,
    limits: cfg.limits,
    webDir: cfg.webDir ?? join(packageRoot(), 'web', 'dist'),
    mounts,
    metrics: (orgId) => ({
      eventsPerSecond: pipeline.rates.rate(orgId),
      queued: pipeline.queued,
      detectedUpTo: pipeline.detectedUpTo,
      lastEventSeq: pipeline.lastSeq,
      detectionSkipped: pipeline.counters.skipped,
      listeners,
    }),
  });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: cfg.host, port: cfg.port }) as Server;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
  listeners.push({ kind: 'http', address: `${addr.address}:${addr.port}` });

  let syslog: SyslogListeners | undefined;
  if (cfg.syslog.udp !== undefined || cfg.syslog.tcp !== undefined || cfg.syslog.tls) {
    const orgId = await orgFor(cfg.syslog.org);
    syslog = await startSyslog(
      cfg.syslog,
      async (source, records) => {
        const adm = pipeline.admit(orgId, 0);
        if (!adm.ok) return { retryAfter: adm.retryAfter };
        await pipeline.ingest(orgId, source, 'syslog', records);
        return 'ok';
      },
      log,
    );
    listeners.push(...syslog.listeners);
  }
  let drop: DropFolder | undefined;
  if (cfg.drop) {
    const orgId = await orgFor(cfg.drop.org);
    drop = startDropFolder(
      cfg.drop.dir,
      async (source, format, records) => {
        const adm = pipeline.admit(orgId, 0);
        if (!adm.ok) return { retryAfter: adm.retryAfter };
        await pipeline.ingest(orgId, source, format, records);
        return 'ok';
      },
      { intervalMs: cfg.drop.intervalMs, log },
    );
    listeners.push({ kind: 'drop-folder', address: cfg.drop.dir });
  }
  const unwatch = opts.watchRules?.length ? watchRuleFolders(opts.watchRules, () => rules.reload(), log) : undefined;
  const tick = setInterval(() => void pipeline.tick().catch((e) => log(`tick: ${(e as Error).message}`)), opts.tickMs ?? 10_000);
  tick.unref();
  const cleanup = setInterval(() => void store.deleteExpiredTokens(Date.now()).catch(() => undefined), 3600_000);
  cleanup.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    port: addr.port,
    store,
    pipeline,
    rules,
    boot,
    syslog,
    drop,
    close() {
      closing ??= (async () => {
        clearInterval(tick);
        clearInterval(cleanup);
        unwatch?.();
        await drop?.close();
        await syslog?.close();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        await pipeline.close();
        await store.close();
        await closeTaxii?.();
      })();
      return closing;
    },
  };
}
