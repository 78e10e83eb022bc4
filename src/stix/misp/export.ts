import { leafComparisons, leafObservations } from '../pattern/walk.js';
import { parsePattern } from '../pattern/parser.js';
import { resolvePath } from '../pattern/compare.js';
import type { StixObject } from '../objects/types.js';
import { uuidv5 } from '../objects/scoid.js';
import { objectPath, unixFromTs } from './build.js';
import { defaultCategory, MISP_TYPE_PATHS, PATH_TO_MISP_TYPE } from './mapping.js';
import type { MispAttribute, MispEvent, MispObject } from './types.js';

export interface MispExportReport {
  attributes: number;
  objects: number;
  /** STIX objects that did not become MISP data, and why. */
  unmapped: { id: string; type: string; reason: string }[];
}

const uuidOf = (id: string) => id.slice(id.indexOf('--') + 2);

/** Values of a pattern's equality comparisons, in the order written, with their paths. */
function patternValues(pattern: string): { path: string; value: string }[] | undefined {
  let p;
  try {
    p = parsePattern(pattern);
  } catch {
    return undefined;
  }
  const out: { path: string; value: string }[] = [];
  for (const o of leafObservations(p)) {
    for (const c of leafComparisons(o.expr)) {
      if (c.kind !== 'cmp' || c.op !== '=' || c.negated) return undefined;
      const lit = c.value as { kind: string; value: unknown };
      if (lit.kind !== 'string' && lit.kind !== 'int' && lit.kind !== 'float') return undefined;
      out.push({ path: c.path.text.replace(/\s+/g, ''), value: String(lit.value) });
    }
  }
  return out;
}

function canonPath(path: string): string {
  try {
    const p = objectPath(path);
    return p.type + ':' + p.steps.map((s) => (s.kind === 'key' ? s.key : `[${s.index}]`)).join('.');
  } catch {
    return path;
  }
}

function attributeFrom(o: StixObject, type: string, value: string, toIds: boolean): MispAttribute {
  const fromMisp = o.x_misp_type !== undefined;
  const a: MispAttribute = { uuid: uuidOf(o.id), type, category: (o.x_misp_category as string | undefined) ?? defaultCategory(type), value, to_ids: (o.x_misp_to_ids as boolean | undefined) ?? toIds };
  if (fromMisp && o.x_misp_category === undefined) delete a.category;
  if (fromMisp && o.x_misp_to_ids === undefined) delete a.to_ids;
  for (const k of ['comment', 'timestamp', 'distribution', 'first_seen', 'last_seen', 'object_relation']) {
    if (o[`x_misp_${k}`] !== undefined) (a as Record<string, unknown>)[k] = o[`x_misp_${k}`];
  }
  if (a.timestamp === undefined && o.x_misp_type === undefined) a.timestamp = unixFromTs(o.modified);
  if (o.x_misp_tags !== undefined) a.Tag = o.x_misp_tags as MispAttribute['Tag'];
  else if (Array.isArray(o.labels) && o.labels.length) a.Tag = (o.labels as string[]).map((name) => ({ name }));
  if (o.x_misp_attribute_extra && typeof o.x_misp_attribute_extra === 'object') Object.assign(a, o.x_misp_attribute_extra);
  if (Array.isArray(o.x_misp_null_fields)) for (const k of o.x_misp_null_fields) if (typeof k === 'string') (a as Record<string, unknown>)[k] = null;
  return a;
}

/** Joins the parts of a MISP type from (path, value) pairs, in the type's path order. */
function valueForType(type: string, parts: { path: string; value: string }[]): string | undefined {
  const paths = MISP_TYPE_PATHS[type];
  if (!paths) return undefined;
  const used = new Set<number>();
  const out: string[] = [];
  for (const p of paths) {
    const want = p === 'ip' ? ['ipv4-addr:value', 'ipv6-addr:value'] : [canonPath(p)];
    const i = parts.findIndex((x, j) => !used.has(j) && want.includes(canonPath(x.path)));
    if (i < 0) return undefined;
    used.add(i);
    out.push(parts[i].value);
  }
  return out.join('|');
}

/** SCO property values of an observed-data, as (path, value) pairs for the type's paths. */
function scoValues(type: string, scos: Record<string, unknown>[]): { path: string; value: string }[] {
  const out: { path: string; value: string }[] = [];
  for (const p of MISP_TYPE_PATHS[type] ?? []) {
    for (const path of p === 'ip' ? ['ipv4-addr:value', 'ipv6-addr:value'] : [p]) {
      const op = objectPath(path);
      for (const s of scos) {
        if (s.type !== op.type) continue;
        const v = resolvePath(s, op, { objects: scos, first: 0, last: 0 })[0];
        if (v !== undefined && typeof v !== 'object') out.push({ path, value: String(v) });
      }
    }
  }
  return out;
}

/**
 * STIX bundle (or object list) → MISP event. Objects imported from MISP come back as they were
 * (x_misp_* properties); other indicators become attributes by their pattern's object path, or a
 * `stix2-pattern` attribute holding the pattern when no MISP type fits, so nothing is lost.
 */
export function stixToMispEvent(input: { objects: StixObject[] } | StixObject[]): { event: { Event: MispEvent }; report: MispExportReport } {
  const objects = Array.isArray(input) ? input : input.objects;
  const byId = new Map(objects.map((o) => [o.id, o]));
  const report: MispExportReport = { attributes: 0, objects: 0, unmapped: [] };
  const attributes: MispAttribute[] = [];
  const mispObjects: MispObject[] = [];
  const rep = objects.find((o) => o.type === 'report' && o.x_misp_event) ?? objects.find((o) => o.type === 'report');

  for (const o of objects) {
    if (o.x_misp_object && typeof o.x_misp_object === 'object') {
      mispObjects.push(o.x_misp_object as MispObject);
      report.objects++;
      continue;
    }
    if (o.type === 'indicator') {
      const parts = typeof o.pattern === 'string' && o.pattern_type === 'stix' ? patternValues(o.pattern) : undefined;
      const mtype = o.x_misp_type as string | undefined;
      let value = mtype && parts ? valueForType(mtype, parts) : undefined;
      if (mtype && typeof o.x_misp_value === 'string') value = o.x_misp_value;
      if (mtype && value !== undefined) {
        attributes.push(attributeFrom(o, mtype, value, true));
      } else if (parts && parts.length === 1 && PATH_TO_MISP_TYPE[parts[0].path]) {
        attributes.push(attributeFrom(o, PATH_TO_MISP_TYPE[parts[0].path], parts[0].value, true));
      } else if (parts && parts.length > 1 && parts.every((p) => PATH_TO_MISP_TYPE[p.path]) && /\bOR\b/.test(String(o.pattern)) && !/\bAND\b/.test(String(o.pattern))) {
        // [a = 1 OR b = 2]: one attribute per alternative, with stable derived uuids.
        parts.forEach((p, i) => attributes.push({ ...attributeFrom(o, PATH_TO_MISP_TYPE[p.path], p.value, true), uuid: uuidv5(`${o.id}#${i}`) }));
      } else {
        // MISP has a type for STIX patterns: the indicator survives whole.
        const a = attributeFrom(o, 'stix2-pattern', String(o.pattern ?? ''), true);
        a.category = (o.x_misp_category as string | undefined) ?? 'Network activity';
        if (typeof o.name === 'string' && a.comment === undefined) a.comment = o.name;
        attributes.push(a);
      }
      report.attributes++;
      continue;
    }
    if (o.type === 'observed-data') {
      const scos = ((o.object_refs as string[] | undefined) ?? []).map((r) => byId.get(r)).filter((x): x is StixObject => !!x);
      const inline = o.objects && typeof o.objects === 'object' ? Object.values(o.objects as Record<string, StixObject>) : [];
      const all = [...scos, ...inline];
      const mtype = o.x_misp_type as string | undefined;
      if (mtype) {
        const value = typeof o.x_misp_value === 'string' ? o.x_misp_value : valueForType(mtype, scoValues(mtype, all));
        if (value !== undefined) {
          attributes.push(attributeFrom(o, mtype, value, false));
          report.attributes++;
          continue;
        }
      }
      let n = 0;
      for (const s of all) {
        for (const [path, t] of Object.entries(PATH_TO_MISP_TYPE)) {
          const op = objectPath(path);
          if (op.type !== s.type) continue;
          const v = resolvePath(s, op, { objects: all, first: 0, last: 0 })[0];
          if (v === undefined || typeof v === 'object') continue;
          attributes.push({ ...attributeFrom(o, t, String(v), false), uuid: uuidv5(`${o.id}#${n++}`) });
          report.attributes++;
        }
      }
      if (n === 0) report.unmapped.push({ id: o.id, type: o.type, reason: 'no observable with a MISP attribute type' });
      continue;
    }
    if (o === rep || o.type === 'identity' || o.type === 'marking-definition' || byIdIsSco(o)) continue;
    report.unmapped.push({ id: o.id, type: o.type, reason: `${o.type} has no MISP attribute form (kept out of the event)` });
  }

  let event: MispEvent;
  if (rep?.x_misp_event && typeof rep.x_misp_event === 'object') {
    event = { ...(rep.x_misp_event as MispEvent) };
  } else {
    const creator = rep?.created_by_ref ? byId.get(rep.created_by_ref as string) : undefined;
    const published = typeof rep?.published === 'string' ? rep.published : new Date().toISOString();
    event = {
      uuid: rep ? uuidOf(rep.id) : uuidv5(objects.map((o) => o.id).sort().join(',')),
      info: typeof rep?.name === 'string' ? rep.name : 'STIX 2.1 bundle exported by Ward',
      date: published.slice(0, 10),
      timestamp: unixFromTs(rep?.modified) ?? String(Math.floor(Date.now() / 1000)),
      threat_level_id: '4',
      analysis: '0',
      ...(creator ? { Orgc: { name: String(creator.name ?? ''), uuid: uuidOf(creator.id) } } : {}),
      ...(Array.isArray(rep?.labels) && rep.labels.length ? { Tag: (rep.labels as string[]).map((name) => ({ name })) } : {}),
    };
  }
  const kept = Array.isArray(rep?.x_misp_attributes) ? (rep.x_misp_attributes as MispAttribute[]) : [];
  const keptObjects = Array.isArray(rep?.x_misp_objects) ? (rep.x_misp_objects as MispObject[]) : [];
  event.Attribute = [...attributes, ...kept];
  if (mispObjects.length || keptObjects.length) event.Object = [...mispObjects, ...keptObjects];
  report.attributes += kept.length;
  report.objects += keptObjects.length;
  return { event: { Event: event }, report };
}

function byIdIsSco(o: StixObject): boolean {
  return o.created === undefined && o.type !== 'marking-definition';
}
