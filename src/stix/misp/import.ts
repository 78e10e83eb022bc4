import { scoId } from '../objects/scoid.js';
import type { StixObject } from '../objects/types.js';
import { parseTlpName, TLP2_MARKING_IDS } from '../tlp/index.js';
import { comparison, objectPath, setPath, tsFromUnix } from './build.js';
import { attributePaths } from './mapping.js';
import type { MispAttribute, MispEvent, MispObject, MispTag } from './types.js';

/** What an import did with each MISP attribute: nothing is dropped without being listed here. */
export interface MispImportReport {
  event: string;
  attributes: number;
  objects: number;
  /** MISP type → STIX object type it became (indicator, observed-data). */
  mapped: Record<string, Record<string, number>>;
  /** Attributes/objects with no STIX mapping, kept in the report's x_misp_attributes / x_misp_objects. */
  unmapped: { uuid: string; type: string; reason: string }[];
}

export interface MispImportResult {
  objects: StixObject[];
  report: MispImportReport;
}

const ATTR_KNOWN = new Set(['uuid', 'type', 'category', 'value', 'to_ids', 'comment', 'timestamp', 'object_relation', 'first_seen', 'last_seen', 'distribution', 'Tag']);

function toIds(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true' || v === 'True';
}

function tlpMarkings(tags: MispTag[] | undefined): string[] {
  const out = new Set<string>();
  for (const t of tags ?? []) {
    const level = typeof t.name === 'string' && /^tlp:/i.test(t.name) ? parseTlpName(t.name.replace(/^tlp:/i, 'TLP:')) : undefined;
    if (level) out.add(TLP2_MARKING_IDS[level]);
  }
  return [...out];
}

function extra(o: Record<string, unknown>, known: Set<string>): Record<string, unknown> | undefined {
  const e: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.has(k) && v !== null) e[k] = v;
  return Object.keys(e).length ? e : undefined;
}

/** Accepts `{Event: {...}}`, `{response: [{Event}]}` or a bare event. */
export function unwrapMispEvent(doc: unknown): MispEvent | undefined {
  if (!doc || typeof doc !== 'object') return undefined;
  const d = doc as Record<string, unknown>;
  if (Array.isArray(d.response) && d.response[0]) return unwrapMispEvent(d.response[0]);
  const ev = (d.Event ?? d) as Record<string, unknown>;
  return typeof ev.uuid === 'string' && typeof ev.info === 'string' ? (ev as MispEvent) : undefined;
}

export function isMispEvent(doc: unknown): boolean {
  return unwrapMispEvent(doc) !== undefined;
}

/**
 * MISP event → STIX 2.1 objects: the event becomes a `report`, its creator organisation an
 * `identity`, each attribute with to_ids an `indicator` (pattern from the attribute value), each
 * other mappable attribute an `observed-data` with its SCOs. MISP-only metadata travels in
 * x_misp_* properties; attributes with no STIX mapping are kept whole in the report's
 * x_misp_attributes. MISP objects become one indicator (AND of their mappable attributes) or
 * observed-data carrying the whole object in x_misp_object.
 */
export function mispEventToStix(doc: unknown): MispImportResult {
  const ev = unwrapMispEvent(doc);
  if (!ev) throw new Error('not a MISP event: expected {"Event": {"uuid": …, "info": …}}');
  const report: MispImportReport = { event: ev.uuid, attributes: 0, objects: 0, mapped: {}, unmapped: [] };
  const dateTs = typeof ev.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(ev.date) && !Number.isNaN(Date.parse(ev.date)) ? `${ev.date}T00:00:00.000Z` : undefined;
  const eventTime = tsFromUnix(ev.timestamp) ?? dateTs ?? new Date(0).toISOString();
  const objects: StixObject[] = [];
  const refs: string[] = [];
  let identityId: string | undefined;
  if (ev.Orgc?.uuid) {
    identityId = `identity--${ev.Orgc.uuid}`;
    objects.push({ type: 'identity', spec_version: '2.1', id: identityId, created: eventTime, modified: eventTime, name: ev.Orgc.name ?? ev.Orgc.uuid, identity_class: 'organization', x_misp_orgc: ev.Orgc });
  }
  const eventMarkings = tlpMarkings(ev.Tag);
  const unmappedAttrs: MispAttribute[] = [];
  const unmappedObjects: MispObject[] = [];
  const count = (mtype: string, stype: string) => {
    report.mapped[mtype] ??= {};
    report.mapped[mtype][stype] = (report.mapped[mtype][stype] ?? 0) + 1;
  };

  for (const a of ev.Attribute ?? []) {
    report.attributes++;
    const parts = typeof a.value === 'string' ? attributePaths(a.type, a.value) : undefined;
    if (!parts) {
      unmappedAttrs.push(a);
      report.unmapped.push({ uuid: a.uuid, type: a.type, reason: typeof a.value !== 'string' ? 'value is not a string' : `no STIX mapping for MISP type ${a.type}` });
      continue;
    }
    const created = tsFromUnix(a.timestamp) ?? eventTime;
    const labels = a.Tag?.map((t) => t.name).filter((n) => typeof n === 'string');
    const markings = tlpMarkings(a.Tag).length ? tlpMarkings(a.Tag) : eventMarkings;
    const rebuilt = parts.map((p) => (/_port$|^autonomous-system:number$/.test(p.path) ? String(Number(p.value.replace(/^AS/i, ''))) : p.value)).join('|');
    const common: Record<string, unknown> = {
      spec_version: '2.1',
      created,
      modified: created,
      ...(identityId ? { created_by_ref: identityId } : {}),
      ...(labels?.length ? { labels } : {}),
      ...(markings.length ? { object_marking_refs: markings } : {}),
      x_misp_type: a.type,
      ...(a.category !== undefined ? { x_misp_category: a.category } : {}),
      ...(a.to_ids !== undefined ? { x_misp_to_ids: a.to_ids } : {}),
      ...(a.Tag !== undefined && a.Tag !== null ? { x_misp_tags: a.Tag } : {}),
      // The value as MISP wrote it, when the pattern cannot reproduce it exactly (AS174 vs 174).
      ...(rebuilt !== a.value ? { x_misp_value: a.value } : {}),
    };
    for (const k of ['comment', 'timestamp', 'distribution', 'first_seen', 'last_seen', 'object_relation'] as const) if (a[k] !== undefined && a[k] !== null) common[`x_misp_${k}`] = a[k];
    const more = extra(a, ATTR_KNOWN);
    if (more) common.x_misp_attribute_extra = more;
    // STIX has no null (§3.1); MISP often sends first_seen: null and the like. Their names are kept
    // so that an export gives them back.
    const nulls = Object.keys(a).filter((k) => a[k] === null);
    if (nulls.length) common.x_misp_null_fields = nulls;
    if (toIds(a.to_ids)) {
      const validFrom = typeof a.first_seen === 'string' && !Number.isNaN(Date.parse(a.first_seen)) ? new Date(a.first_seen).toISOString() : created;
      objects.push({
        type: 'indicator',
        id: `indicator--${a.uuid}`,
        ...common,
        name: a.comment ? a.comment : `${a.type}: ${a.value}`.slice(0, 250),
        pattern: `[${parts.map((p) => comparison(p.path, p.value)).join(' AND ')}]`,
        pattern_type: 'stix',
        pattern_version: '2.1',
        valid_from: validFrom,
        ...(a.category ? { kill_chain_phases: [{ kill_chain_name: 'misp-category', phase_name: a.category }] } : {}),
      } as StixObject);
      refs.push(`indicator--${a.uuid}`);
      count(a.type, 'indicator');
    } else {
      const scos = buildScos(parts);
      objects.push(...scos);
      objects.push({
        type: 'observed-data',
        id: `observed-data--${a.uuid}`,
        ...common,
        first_observed: created,
        last_observed: created,
        number_observed: 1,
        object_refs: scos.map((s) => s.id),
      } as StixObject);
      refs.push(`observed-data--${a.uuid}`);
      count(a.type, 'observed-data');
    }
  }

  for (const o of ev.Object ?? []) {
    report.objects++;
    const attrs = o.Attribute ?? [];
    report.attributes += attrs.length;
    const parts = attrs.flatMap((a) => (typeof a.value === 'string' ? attributePaths(a.type, a.value) ?? [] : []));
    if (parts.length === 0) {
      unmappedObjects.push(o);
      report.unmapped.push({ uuid: o.uuid, type: `object:${o.name}`, reason: 'no attribute of the object has a STIX mapping' });
      continue;
    }
    for (const a of attrs) if (!attributePaths(a.type, String(a.value))) report.unmapped.push({ uuid: a.uuid, type: a.type, reason: `kept in x_misp_object of ${o.uuid} (no STIX mapping)` });
    const created = tsFromUnix(o.timestamp) ?? eventTime;
    const base = { spec_version: '2.1', created, modified: created, ...(identityId ? { created_by_ref: identityId } : {}), ...(eventMarkings.length ? { object_marking_refs: eventMarkings } : {}), x_misp_object: o };
    if (attrs.some((a) => toIds(a.to_ids))) {
      objects.push({
        type: 'indicator',
        id: `indicator--${o.uuid}`,
        ...base,
        name: `MISP object ${o.name}`,
        pattern: `[${parts.map((p) => comparison(p.path, p.value)).join(' AND ')}]`,
        pattern_type: 'stix',
        pattern_version: '2.1',
        valid_from: created,
      } as StixObject);
      refs.push(`indicator--${o.uuid}`);
      count(`object:${o.name}`, 'indicator');
    } else {
      const scos = buildScos(parts);
      objects.push(...scos);
      objects.push({ type: 'observed-data', id: `observed-data--${o.uuid}`, ...base, first_observed: created, last_observed: created, number_observed: 1, object_refs: scos.map((s) => s.id) } as StixObject);
      refs.push(`observed-data--${o.uuid}`);
      count(`object:${o.name}`, 'observed-data');
    }
  }

  const published = dateTs ?? eventTime;
  const created = published < eventTime ? published : eventTime;
  objects.push({
    type: 'report',
    spec_version: '2.1',
    id: `report--${ev.uuid}`,
    created,
    modified: eventTime,
    name: ev.info,
    published,
    report_types: ['threat-report'],
    object_refs: refs.length ? refs : identityId ? [identityId] : [`report--${ev.uuid}`],
    ...(identityId ? { created_by_ref: identityId } : {}),
    ...(ev.Tag?.length ? { labels: ev.Tag.map((t) => t.name) } : {}),
    ...(eventMarkings.length ? { object_marking_refs: eventMarkings } : {}),
    x_misp_event: Object.fromEntries(Object.entries(ev).filter(([k]) => k !== 'Attribute' && k !== 'Object')),
    ...(unmappedAttrs.length ? { x_misp_attributes: unmappedAttrs } : {}),
    ...(unmappedObjects.length ? { x_misp_objects: unmappedObjects } : {}),
  });
  return { objects, report };
}

/** One SCO per object type, with deterministic ids (§2.9). */
function buildScos(parts: { path: string; value: string }[]): StixObject[] {
  const byType = new Map<string, Record<string, unknown>>();
  for (const p of parts) {
    const path = objectPath(p.path);
    let o = byType.get(path.type);
    if (!o) byType.set(path.type, (o = { type: path.type, spec_version: '2.1' }));
    const numeric = /_port$/.test(p.path) || p.path === 'autonomous-system:number';
    setPath(o, path, numeric ? Number(p.value.replace(/^AS/i, '')) : p.value);
  }
  // §6.5: is_multipart is required; a MISP subject or header alone says nothing of MIME parts.
  const mail = byType.get('email-message');
  if (mail) mail.is_multipart ??= false;
  const out: StixObject[] = [];
  for (const [type, o] of byType) if (type !== 'network-traffic') out.push({ ...o, id: scoId(type, o) } as StixObject);
  const nt = byType.get('network-traffic');
  if (nt) {
    // §6.12: network-traffic needs protocols and src_ref or dst_ref; the address of the same
    // MISP attribute (ip-dst|port, hostname|port) is the endpoint.
    const end = out.find((x) => x.type === 'ipv4-addr' || x.type === 'ipv6-addr' || x.type === 'domain-name');
    const side = nt.src_port !== undefined && nt.dst_port === undefined ? 'src_ref' : 'dst_ref';
    if (end) nt[side] = end.id;
    nt.protocols ??= [end?.type === 'ipv6-addr' ? 'ipv6' : 'ipv4'];
    out.push({ ...nt, id: scoId('network-traffic', nt) } as StixObject);
  }
  return out;
}
