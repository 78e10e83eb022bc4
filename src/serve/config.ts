import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { WardError } from '../util/index.js';

/** `ward serve` settings. Every one is optional: defaults < ward.yaml < environment < flags. */
export interface ServeConfig {
  host: string;
  port: number;
  /** Data folder (SQLite database). */
  data: string;
  /** PostgreSQL URL: store events, alerts and users there instead of SQLite (WARD_DATABASE_URL). */
  databaseUrl?: string;
  /** Rule folders; default: the package's own rules/. */
  rules: string[];
  /** Threat-intelligence files or folders (STIX 2.1 bundles, MISP events and feeds). */
  intel: string[];
  /** Patient-record access analytics: true (defaults) or a site config file; off when undefined. */
  analytics?: string | true;
  org: { name: string; slug: string };
  syslog: {
    udp?: number;
    tcp?: number;
    tls?: { port: number; cert: string; key: string; ca?: string };
    /** Organisation (slug) syslog and drop-folder events belong to; default: the first. */
    org?: string;
    host: string;
  };
  drop?: { dir: string; org?: string; intervalMs: number };
  limits: { maxBodyBytes?: number; maxDecodedBytes?: number; maxEventsPerBatch?: number; maxEventBytes?: number; maxQueue?: number };
  /** Detection threads (WARD_DETECTION_THREADS); default one per core but one, 2 to 4 (pipeline.ts). */
  detectionThreads?: number;
  /** 'FULL' (default): acknowledged events survive power loss. 'NORMAL': crash-safe only. */
  synchronous: 'FULL' | 'NORMAL';
  webDir?: string;
  demo: boolean;
  /** TAXII 2.1 server inside serve (discovery /taxii2/, API root /ward/); on by default. */
  taxii: boolean;
}

export interface ConfigSources {
  /** Explicit --config path; otherwise ./ward.yaml when present (WARD_CONFIG overrides). */
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<{ port: number; data: string; host: string; rules: string[]; intel: string[]; analytics: string | boolean; demo: boolean; config: string }>;
  cwd?: string;
}

const num = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new WardError('usage.config', `${name} must be a port number 0-65535, got "${String(v)}"`);
  return n;
};

export function loadConfig(src: ConfigSources = {}): ServeConfig {
  const env = src.env ?? process.env;
  const cwd = src.cwd ?? process.cwd();
  const path = src.flags?.config ?? src.file ?? env.WARD_CONFIG ?? (existsSync(resolve(cwd, 'ward.yaml')) ? 'ward.yaml' : undefined);
  let y: Record<string, any> = {};
  if (path) {
    const full = resolve(cwd, path);
    try {
      y = (yaml.load(readFileSync(full, 'utf8')) as Record<string, any>) ?? {};
    } catch (err) {
      throw new WardError('usage.config', `cannot read config ${full}: ${(err as Error).message}`);
    }
    if (typeof y !== 'object' || Array.isArray(y)) throw new WardError('usage.config', `${full}: expected a mapping at the top level`);
  }
  const list = (v: unknown): string[] | undefined =>
    v === undefined || v === '' ? undefined : Array.isArray(v) ? v.map(String) : String(v).split(/[:,]/).filter(Boolean);
  const sys = (y.syslog ?? {}) as Record<string, any>;
  const tls = sys.tls as Record<string, any> | undefined;
  const dropDir = env.WARD_DROP_DIR ?? y.drop?.dir;
  return {
    host: src.flags?.host ?? env.WARD_HOST ?? y.host ?? '127.0.0.1',
    port: src.flags?.port ?? num(env.WARD_PORT, 'WARD_PORT') ?? num(y.port, 'port') ?? 8080,
    data: resolve(cwd, src.flags?.data ?? env.WARD_DATA ?? y.data ?? 'ward-data'),
    databaseUrl: env.WARD_DATABASE_URL || y.database || undefined,
    rules: (src.flags?.rules ?? list(env.WARD_RULES) ?? list(y.rules) ?? []).map((r) => resolve(cwd, r)),
    intel: (src.flags?.intel ?? list(env.WARD_INTEL) ?? list(y.intel) ?? []).map((r) => resolve(cwd, r)),
    analytics: analyticsSetting(src.flags?.analytics ?? env.WARD_ANALYTICS ?? y.analytics, cwd),
    org: { name: y.org?.name ?? 'Default organisation', slug: y.org?.slug ?? 'default' },
    syslog: {
      udp: num(env.WARD_SYSLOG_UDP, 'WARD_SYSLOG_UDP') ?? num(sys.udp, 'syslog.udp'),
      tcp: num(env.WARD_SYSLOG_TCP, 'WARD_SYSLOG_TCP') ?? num(sys.tcp, 'syslog.tcp'),
      tls: tls ? { port: num(tls.port, 'syslog.tls.port') ?? 6514, cert: resolve(cwd, tls.cert), key: resolve(cwd, tls.key), ca: tls.ca ? resolve(cwd, tls.ca) : undefined } : undefined,
      org: sys.org,
      host: sys.host ?? env.WARD_SYSLOG_HOST ?? '0.0.0.0',
    },
    drop: dropDir ? { dir: resolve(cwd, dropDir), org: y.drop?.org, intervalMs: Number(y.drop?.intervalMs ?? 1000) } : undefined,
    limits: { ...(y.limits ?? {}) },
    detectionThreads: threads(env.WARD_DETECTION_THREADS ?? y.detectionThreads),
    synchronous: (env.WARD_SYNC ?? y.synchronous ?? 'FULL').toUpperCase() === 'NORMAL' ? 'NORMAL' : 'FULL',
    webDir: y.webDir,
    demo: src.flags?.demo ?? false,
    taxii: (env.WARD_TAXII ?? String(y.taxii ?? 'true')) !== 'false',
  };
}

function threads(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new WardError('usage.config', `detection threads must be a whole number 1-64, got "${String(v)}"`);
  return n;
}

/** `analytics: true` (defaults), a path to a site file, or false/absent (off). */
function analyticsSetting(v: unknown, cwd: string): string | true | undefined {
  if (v === undefined || v === null || v === false || v === 'false' || v === '') return undefined;
  if (v === true || v === 'true') return true;
  return resolve(cwd, String(v));
}
