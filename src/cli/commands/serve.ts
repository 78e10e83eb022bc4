import type { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pc from 'picocolors';
import { loadConfig, loadDemo, sigmaRuleLoader, startWard } from '../../serve/index.js';
import { WardError } from '../../util/index.js';

interface ServeFlags {
  port?: string;
  host?: string;
  data?: string;
  rules?: string[];
  intel?: string[];
  analytics?: string | boolean;
  config?: string;
  demo?: boolean;
}

const port = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new WardError('usage.port', `--port must be 0-65535, got "${v}"`);
  return n;
};

async function run(flags: ServeFlags): Promise<void> {
  const demoData = flags.demo && !flags.data && !process.env.WARD_DATA ? mkdtempSync(join(tmpdir(), 'ward-demo-')) : undefined;
  const cfg = loadConfig({
    flags: { port: port(flags.port), host: flags.host, data: flags.data ?? demoData, rules: flags.rules, intel: flags.intel, analytics: flags.analytics, config: flags.config, demo: flags.demo },
  });
  const out = (m: string) => process.stdout.write(`${m}\n`);
  const server = await startWard(cfg, { ruleLoader: sigmaRuleLoader(cfg.rules, cfg.intel, cfg.analytics ? { config: cfg.analytics, stateDir: join(cfg.data, 'analytics') } : undefined), watchRules: cfg.rules });
  const created = server.boot.created;
  if (created) {
    out(pc.bold('First start: created the administrator account.'));
    out(`  e-mail:    ${created.email}`);
    if (created.password) out(`  password:  ${pc.yellow(created.password)}   (shown once; change it in the console)`);
    if (created.token) out(`  API token: ${pc.yellow(created.token)}   (shown once; send as "Authorization: Bearer …")`);
  }
  if (flags.demo) {
    const d = await loadDemo(server);
    if (d.events) out(`Demo: loaded ${d.events} example events from ${d.files} files.`);
  }
  out(`Ward is listening on ${pc.cyan(server.url)}  (API ${server.url}/api/v1, docs ${server.url}/api/docs; data in ${cfg.data})`);
  for (const l of server.syslog?.listeners ?? []) out(`  ${l.kind} on ${l.address}`);
  if (cfg.drop) out(`  drop folder ${cfg.drop.dir}`);
  process.on('SIGHUP', () => {
    server.rules.reload().then(
      (r) => out(`rules reloaded: ${r.loaded} loaded, ${r.failed} problem(s)`),
      (e) => process.stderr.write(`ward: rule reload failed: ${(e as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      out('stopping: finishing detection of queued events…');
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

const HELP = `
Configuration (all optional; flags > environment > ward.yaml > defaults):
  WARD_PORT, WARD_HOST, WARD_DATA, WARD_CONFIG
  WARD_RULES, WARD_INTEL         folders/files, ':'-separated
  WARD_SYSLOG_UDP, WARD_SYSLOG_TCP, WARD_DROP_DIR
  WARD_DATABASE_URL              PostgreSQL instead of SQLite
  WARD_SYNC=NORMAL               faster; crash-safe but not power-loss-safe
  WARD_DETECTION_THREADS         detection threads (default: cores - 1 kept within 2..4, one on
                                 a single core; always one when intel or analytics are on)
  WARD_TAXII=false               no TAXII 2.1 server (default: /taxii2/, API root /ward/)
First start: WARD_ADMIN_EMAIL, WARD_ADMIN_PASSWORD and WARD_ADMIN_TOKEN create the administrator
and its API token; otherwise they are generated and printed once.

ward.yaml example:
  port: 8080
  host: 0.0.0.0
  data: /var/lib/ward
  # database: postgres://ward:secret@db.hospital.local/ward
  rules: [/etc/ward/rules]
  intel: [/etc/ward/intel]
  syslog: { udp: 514, tcp: 514, tls: { port: 6514, cert: cert.pem, key: key.pem } }
  drop: { dir: /var/spool/ward }
  limits: { maxBodyBytes: 16777216, maxEventsPerBatch: 100000, maxQueue: 50000 }

Send events (JSON array or NDJSON, gzip welcome):
  curl -H "Authorization: Bearer $TOKEN" --data-binary @events.jsonl http://127.0.0.1:8080/api/v1/events
Rules reload without a restart: automatically when files in the --rules folders change, on
kill -HUP <pid>, or with POST /api/v1/rules/reload.`;

export function register(program: Command): void {
  const addOptions = (c: Command) =>
    c
      .option('-p, --port <port>', 'HTTP port (default 8080; WARD_PORT)')
      .option('--host <address>', 'address to listen on (default 127.0.0.1; WARD_HOST)')
      .option('-d, --data <dir>', 'data folder (default ./ward-data; WARD_DATA)')
      .option('-r, --rules <dir...>', "Sigma rule folders (default: Ward's own rule pack)")
      .option('--intel <path...>', 'threat intelligence to match live: STIX 2.1 bundles, MISP events or feed folders (WARD_INTEL)')
      .option('--analytics [config]', 'patient-record access analytics, streaming; optional site YAML (WARD_ANALYTICS)')
      .option('-c, --config <file>', 'config file (default ./ward.yaml when present)')
      .addHelpText('after', HELP);
  addOptions(
    program
      .command('serve')
      .description('run Ward as a server: live ingestion (HTTP, syslog, drop folder), detection, alerts, incidents, REST API and web console')
      .option('--demo', "load Ward's example logs so the console shows alerts and an incident at once"),
  ).action((flags: ServeFlags) => run(flags));
  addOptions(program.command('demo').description('same as `ward serve --demo`: a throw-away server with example data')).action((flags: ServeFlags) =>
    run({ ...flags, demo: true }),
  );
}
