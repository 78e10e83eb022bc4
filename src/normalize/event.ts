import type { Location } from '../util/index.js';

/**
 * Ward's normalized, read-only view of one event. Every detector (Sigma, intel, analytics) reads
 * events only through this interface, so the source layout (evtx_dump nested JSON, flat
 * NXLog/Winlogbeat JSON, ECS, FHIR AuditEvent …) is decided once, in normalize/.
 *
 * `fields` holds the canonical flat names Sigma rules use (Windows names for Windows events:
 * `EventID`, `Channel`, `Computer`, `Provider_Name`, `Image`, …). `get` also resolves dotted paths
 * into the original record and, as a last resort, a case-insensitive match on the flat names
 * (field names in Windows event data are not consistently cased across versions).
 */
export interface WardEvent {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly raw: Readonly<Record<string, unknown>>;
  /** Layout the event was recognised as: 'evtx-json', 'flat', 'ecs', 'fhir-audit', … */
  readonly layout: string;
  /** Event time in ms since the epoch, when the event carries one. */
  readonly timestamp: number | undefined;
  readonly host: string | undefined;
  readonly loc: Location;
  get(field: string): unknown;
}

export class NormalizedEvent implements WardEvent {
  private lower: Map<string, unknown> | undefined;
  private scanned = false;
  constructor(
    readonly fields: Record<string, unknown>,
    readonly raw: Record<string, unknown>,
    readonly layout: string,
    readonly timestamp: number | undefined,
    readonly host: string | undefined,
    readonly loc: Location,
  ) {}

  get(field: string): unknown {
    const v = this.fields[field];
    if (v !== undefined) return v;
    return this.slowGet(field);
  }

  private slowGet(field: string): unknown {
    if (field.includes('.')) {
      const nested = getPath(this.raw, field);
      if (nested !== undefined) return nested;
    }
    const lf = lowerName(field);
    if (!this.lower) {
      // Most events meet one absent field at most (rules read fields a provider version lacks):
      // the first lookup compares names; the lower-case map is built only for a second one.
      if (!this.scanned) {
        this.scanned = true;
        for (const k in this.fields) if (lowerName(k) === lf) return this.fields[k];
        return undefined;
      }
      this.lower = new Map();
      for (const k in this.fields) {
        const lk = lowerName(k);
        if (!this.lower.has(lk)) this.lower.set(lk, this.fields[k]);
      }
    }
    return this.lower.get(lf);
  }
}

/** Dotted paths repeat for every event (mappings, rule fields): split once. */
const splitPaths = new Map<string, string[]>();

export function getPath(obj: unknown, path: string): unknown {
  let parts = splitPaths.get(path);
  if (parts === undefined) {
    parts = path.split('.');
    if (splitPaths.size < 100_000) splitPaths.set(path, parts);
  }
  let cur: unknown = obj;
  for (let i = 0; i < parts.length; i++) {
    // own members only: `constructor.name` is not a field of a log record
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, parts[i])) return undefined;
    cur = (cur as Record<string, unknown>)[parts[i]];
  }
  return cur;
}

/** Field names repeat across events: their lower-case forms are computed once. */
const lowerNames = new Map<string, string>();
function lowerName(k: string): string {
  let l = lowerNames.get(k);
  if (l === undefined) {
    l = k.toLowerCase();
    if (lowerNames.size < 100_000) lowerNames.set(k, l);
  }
  return l;
}
