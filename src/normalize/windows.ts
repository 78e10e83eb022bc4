import type { Location } from '../util/index.js';
import { NormalizedEvent, type WardEvent } from './event.js';
import type { Layout } from './registry.js';
import { parseTimestamp } from './time.js';
import { applyAliases, aliasPairs } from './aliases.js';

/**
 * evtx_dump-style nested JSON (MS-EVEN6 event XML rendered as JSON): `{"Event": {"System": …,
 * "EventData": …}}`. System attributes are flattened with an underscore (`Provider_Name`,
 * `TimeCreated_SystemTime`, `Security_UserID`), which is how Sigma's Windows pipelines name them;
 * EventData / UserData children keep their own names.
 */
export const windowsEvtxLayout: Layout = {
  name: 'evtx-json',
  accepts(record) {
    const ev = record.Event;
    return typeof ev === 'object' && ev !== null && 'System' in (ev as object);
  },
  normalize(record, loc) {
    return normalizeEvtxJson(record, loc);
  },
};

function text(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if ('#text' in o) return o['#text'];
  }
  return v;
}

function attrs(v: unknown): Record<string, unknown> | undefined {
  if (v !== null && typeof v === 'object') {
    const a = (v as Record<string, unknown>)['#attributes'];
    if (a !== null && typeof a === 'object') return a as Record<string, unknown>;
  }
  return undefined;
}

/** Fields normalizeEvtxJson fills with a copy of another (target, source). */
const COPIES: [string, string][] = [
  ['Provider', 'Provider_Name'],
  ['UserID', 'Security_UserID'],
  ['TimeCreated', 'TimeCreated_SystemTime'],
];

/**
 * For consumers that judge an evtx_dump line from its raw text (the Sigma raw prefilter): every
 * (field, source) pair where the evtx-json layout gives `field` the value found under `source`
 * — the fixed copies above and the Windows aliases. Names are as written (case-sensitive).
 */
export function evtxFieldCopies(): [string, string][] {
  return [...COPIES, ...aliasPairs()];
}

export function normalizeEvtxJson(record: Record<string, unknown>, loc: Location): WardEvent {
  const ev = record.Event as Record<string, unknown>;
  const sys = (ev.System ?? {}) as Record<string, unknown>;
  // No prototype: member names come from the log, and a `__proto__`, `constructor` or
  // `toString` member must be a field like any other (not a setter, not an inherited value). It
  // also makes the ~40 keyed stores below dictionary inserts, ~20 % faster than growing a
  // plain object one property at a time.
  const f: Record<string, unknown> = Object.create(null);

  // Event data first, so System names never shadow a payload field of the same name.
  flattenData(ev.EventData, f);
  flattenUserData(ev.UserData, f);

  for (const key in sys) {
    const v = sys[key];
    const a = attrs(v);
    if (a) {
      for (const ak in a) {
        const name = attrName(key, ak);
        if (f[name] === undefined) f[name] = a[ak];
      }
    }
    const t = text(v);
    if (t !== null && typeof t === 'object') continue;
    if (f[key] === undefined) f[key] = t;
  }
  if (f.EventID !== undefined && typeof f.EventID === 'string' && /^\d+$/.test(f.EventID)) f.EventID = Number(f.EventID);
  for (let i = 0; i < COPIES.length; i++) {
    const [to, from] = COPIES[i];
    if (f[from] !== undefined && f[to] === undefined) f[to] = f[from];
  }
  applyAliases(f);

  const host = typeof f.Computer === 'string' ? f.Computer : undefined;
  return new NormalizedEvent(f, record, 'evtx-json', parseTimestamp(f.TimeCreated_SystemTime), host, loc);
}

function flattenData(data: unknown, f: Record<string, unknown>): void {
  if (data === null || typeof data !== 'object') return;
  const d = data as Record<string, unknown>;
  for (const key in d) {
    if (key === '#attributes') continue;
    const v = d[key];
    if (key === 'Data' && Array.isArray(v)) {
      // Unnamed <Data> elements (classic providers): kept as a list, searched by keyword rules.
      f.Data = v.map(text);
      continue;
    }
    const t = text(v);
    f[key] = t;
    // Some providers (Windows Defender) name data items with spaces ("Threat Name"); Sigma rules
    // write them without (ThreatName), so both spellings resolve.
    if (key.indexOf(' ') >= 0) {
      const compact = key.replace(/ /g, '');
      if (f[compact] === undefined) f[compact] = t;
    }
  }
}

function flattenUserData(data: unknown, f: Record<string, unknown>): void {
  if (data === null || typeof data !== 'object') return;
  // UserData has one provider-defined root element; its children are the fields.
  for (const root of Object.values(data as Record<string, unknown>)) {
    if (root === null || typeof root !== 'object') continue;
    for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
      if (k === '#attributes') continue;
      if (f[k] === undefined) f[k] = text(v);
    }
  }
}

/** `Provider` + `Name` → `Provider_Name`, built once per pair rather than per event. */
const attrNames = new Map<string, Map<string, string>>();
function attrName(key: string, attr: string): string {
  let m = attrNames.get(key);
  if (!m) attrNames.set(key, (m = new Map()));
  let n = m.get(attr);
  if (n === undefined) {
    n = `${key}_${attr}`;
    if (m.size < 1000) m.set(attr, n);
  }
  return n;
}
