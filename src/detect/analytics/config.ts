import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import yaml from 'js-yaml';
import { dataPath, WardError } from '../../util/index.js';

/** Access-analytics settings (data/analytics/default.yaml documents every key). */
export interface AnalyticsConfig {
  mode: 'batch' | 'stream';
  delayMinutes: number;
  warmupHours: number;
  utcOffsetMinutes: number;
  reference: { roster?: string | null; patients?: string | null; careTeams?: string | null };
  vipPatients: string[];
  employeePatients: string[];
  roles: Record<string, string[]>;
  departments: Record<string, string[]>;
  explain: {
    beforeAdmitMinutes: number;
    afterDischargeDays: number;
    orderDays: number;
    serviceRoles: Record<string, number>;
    breakGlassMinReason: number;
    colleagues: number;
    colleagueHours: number;
  };
  score: {
    alertScore: number; unexplained: number; rarity: number; firstAccess: number; offHours: number; surnameOnly: number;
    self: number; family: number; coworker: number; vip: number; neighbour: number; nameSearch: number; breakGlassNoReason: number;
    explainedStrong: number; explainedWeak: number;
  };
  snooping: { neighbourMaxHouseGap: number; nameSearchMinutes: number };
  bulk: {
    windowMinutes: number; minPatients: number; userFactor: number; userMinHours: number; roleMadK: number; roleMinHours: number;
    cooldownMinutes: number;
    exportAllowList: { user: string; networks?: string[]; hours?: string }[];
  };
  offHours: { minShare: number; minHistory: number };
  allow: { users: string[]; roles: string[] };
  retention: { patientsPerUser: number; visitDays: number };
}

/** A partial configuration, as a user writes it (every level optional). */
export type AnalyticsConfigInput = DeepPartial<AnalyticsConfig>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

const DEFAULT_FILE = dataPath('analytics', 'default.yaml');

function readSection(path: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new WardError('analytics.config', `cannot read analytics config: ${(err as Error).message}`, { file: path });
  }
  const o = isObj(doc) ? doc : {};
  // Either a whole Ward config with an `analytics:` section, or the section itself.
  const section = isObj(o.analytics) ? o.analytics : o;
  resolvePaths(section, dirname(path));
  return section;
}

/** Reference file paths are relative to the file that names them. */
function resolvePaths(section: Record<string, unknown>, base: string): void {
  const ref = section.reference;
  if (!isObj(ref)) return;
  for (const k of Object.keys(ref)) {
    const v = ref[k];
    if (typeof v === 'string' && v !== '' && !isAbsolute(v)) ref[k] = resolve(base, v);
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Maps merge key by key; lists and scalars of `over` replace those of `base`. */
export function mergeConfig<T>(base: T, over: unknown): T {
  if (!isObj(base) || !isObj(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const k of Object.keys(over)) out[k] = k in out ? mergeConfig(out[k], over[k]) : over[k];
  return out as T;
}

/**
 * The defaults (data/analytics/default.yaml) merged with the user's file, if any, then with
 * `overrides` (tests, CLI flags). Throws WardError naming the file when it cannot be read or a
 * value has the wrong type.
 */
export function loadAnalyticsConfig(path?: string, overrides?: AnalyticsConfigInput): AnalyticsConfig {
  let cfg = readSection(DEFAULT_FILE) as unknown as AnalyticsConfig;
  if (path) cfg = mergeConfig(cfg, readSection(path));
  if (overrides) cfg = mergeConfig(cfg, overrides);
  validate(cfg, path ?? DEFAULT_FILE);
  return cfg;
}

function validate(c: AnalyticsConfig, file: string): void {
  const bad = (key: string, want: string): never => {
    throw new WardError('analytics.config', `analytics.${key} must be ${want}`, { file });
  };
  if (c.mode !== 'batch' && c.mode !== 'stream') bad('mode', "'batch' or 'stream'");
  for (const k of ['delayMinutes', 'warmupHours', 'utcOffsetMinutes'] as const) if (typeof c[k] !== 'number' || !Number.isFinite(c[k])) bad(k, 'a number');
  for (const [section, obj] of [['score', c.score], ['bulk', c.bulk], ['explain', c.explain], ['snooping', c.snooping], ['offHours', c.offHours], ['retention', c.retention]] as const) {
    for (const [k, v] of Object.entries(obj)) if (typeof v !== 'object' && (typeof v !== 'number' || !Number.isFinite(v))) bad(`${section}.${k}`, 'a number');
  }
  for (const k of ['vipPatients', 'employeePatients'] as const) if (!Array.isArray(c[k])) bad(k, 'a list');
  for (const [k, v] of Object.entries(c.explain.serviceRoles ?? {})) if (typeof v !== 'number') bad(`explain.serviceRoles.${k}`, 'a number of days');
  for (const e of c.bulk.exportAllowList ?? []) {
    if (!isObj(e) || typeof e.user !== 'string') bad('bulk.exportAllowList[]', 'a list of {user, networks?, hours?}');
    if (e.hours !== undefined && !/^\d\d:\d\d-\d\d:\d\d$/.test(e.hours)) bad('bulk.exportAllowList[].hours', 'HH:MM-HH:MM');
  }
}
