import type { Detection } from '../../detect/index.js';

/**
 * The machine-readable hit contract of `ward hunt` (documented in README §Output):
 * rule {id, title, level, tags}, timestamp, host, source {file, line | record}, fields, and for
 * correlations `correlation {type, group, count, events}`.
 */
export interface HitRecord {
  kind: Detection['kind'];
  rule: { id: string; title: string; level: string; tags: string[] };
  timestamp: string | null;
  host: string | null;
  source: { file?: string; line?: number; record?: number; offset?: number };
  fields: Record<string, unknown>;
  attack: string[];
  correlation?: {
    type: string;
    group: Record<string, unknown>;
    count: number;
    events: { file?: string; line?: number; record?: number; timestamp: string | null; rule?: string }[];
  };
  explanation?: string;
}

const iso = (t: number | undefined) => (t === undefined || Number.isNaN(t) ? null : new Date(t).toISOString());

/** ATT&CK technique ids and tactics from Sigma tags (attack.t1003.001 → T1003.001). */
export function attackOf(tags: string[]): string[] {
  return tags
    .filter((t) => t.toLowerCase().startsWith('attack.'))
    .map((t) => t.slice(7))
    .map((t) => (/^t\d{4}/i.test(t) ? t.toUpperCase() : t));
}

function source(loc: Detection['loc']): HitRecord['source'] {
  if (!loc) return {};
  const s: HitRecord['source'] = { file: loc.file };
  if (loc.line !== undefined) s.line = loc.line;
  else if (loc.record !== undefined) s.record = loc.record;
  if (loc.line !== undefined && loc.record !== undefined) s.record = loc.record;
  return s;
}

export function toRecord(d: Detection): HitRecord {
  const r: HitRecord = {
    kind: d.kind,
    rule: { id: d.rule.id, title: d.rule.title, level: d.rule.level, tags: d.rule.tags },
    timestamp: iso(d.timestamp),
    host: d.host ?? null,
    source: source(d.loc),
    fields: d.fields,
    attack: attackOf(d.rule.tags),
  };
  if (d.correlation) {
    r.correlation = {
      type: d.correlation.type,
      group: d.correlation.group,
      count: d.correlation.count,
      events: d.correlation.events.map((e) => ({ ...source(e.loc), timestamp: iso(e.timestamp), rule: e.rule })),
    };
  }
  if (d.explanation) r.explanation = d.explanation;
  return r;
}
