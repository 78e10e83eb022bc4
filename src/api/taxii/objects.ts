/** TAXII 2.1 collection endpoints: Get Object Manifests, Get Objects, Add Objects, Get An Object, Delete An Object, Get Object Versions. */
import { randomUUID } from 'node:crypto';
import { canRead, isWeakened } from '../../stix/index.js';
import type { StixObject, StoredVersion } from '../../store/index.js';
import { objectsOf, parseJson, readLimited } from './body.js';
import { dateHeaders, taxiiJson, type Ctx, type TaxiiRuntime } from './context.js';
import { TaxiiHttpError, notFound } from './errors.js';
import { bodyKind, negotiate, STIX_MEDIA, type Negotiated } from './media.js';
import { readVisible } from './read.js';
import { checkObject } from './validate.js';

function accept(c: Ctx, allowStix: boolean): Negotiated {
  const kind = negotiate(c.req.header('accept'), allowStix);
  if (!kind) {
    throw new TaxiiHttpError(406, 'Not Acceptable', `Accept '${String(c.req.header('accept')).slice(0, 100)}': this endpoint answers application/taxii+json;version=2.1${allowStix ? ' or application/stix+json;version=2.1' : ''}`);
  }
  return kind;
}

function objectsResponse(kind: Negotiated, items: StoredVersion[], more: boolean, next: string | undefined): Response {
  const headers = dateHeaders(items);
  if (kind === 'stix') {
    const bundle: Record<string, unknown> = { type: 'bundle', id: `bundle--${randomUUID()}` };
    if (items.length) bundle.objects = items.map((i) => i.object);
    return new Response(JSON.stringify(bundle), { status: 200, headers: { 'Content-Type': STIX_MEDIA, ...headers } });
  }
  const body: Record<string, unknown> = { more };
  if (more && next) body.next = next;
  if (items.length) body.objects = items.map((i) => i.object);
  return taxiiJson(body, 200, headers);
}

export async function getObjects(rt: TaxiiRuntime, c: Ctx): Promise<Response> {
  const kind = accept(c, true);
  const col = await rt.collection(c, 'read');
  const q = rt.query(c, ['id', 'type', 'version', 'spec_version']);
  const page = await readVisible(rt.store, col.id, q, rt.bodyVisibility(c, `GET objects ${col.id}`, await rt.tlpFor(col.id)));
  return objectsResponse(kind, page.items, page.more, page.next);
}

export async function getManifest(rt: TaxiiRuntime, c: Ctx): Promise<Response> {
  accept(c, false);
  const col = await rt.collection(c, 'read');
  const q = rt.query(c, ['id', 'type', 'version', 'spec_version']);
  const page = await readVisible(rt.store, col.id, q, rt.tlpVisibility(c, await rt.tlpFor(col.id)));
  const body: Record<string, unknown> = { more: page.more };
  if (page.more && page.next) body.next = page.next;
  if (page.items.length) {
    body.objects = page.items.map((i) => ({ id: i.id, date_added: i.dateAdded, version: i.version, media_type: STIX_MEDIA }));
  }
  return taxiiJson(body, 200, dateHeaders(page.items));
}

export async function getObject(rt: TaxiiRuntime, c: Ctx): Promise<Response> {
  const kind = accept(c, true);
  const col = await rt.collection(c, 'read');
  const id = c.req.param('oid') ?? '';
  const q = { ...rt.query(c, ['version', 'spec_version']), ids: [id] };
  const page = await readVisible(rt.store, col.id, q, rt.bodyVisibility(c, `GET object ${id}`, await rt.tlpFor(col.id)));
  // An object the reader may not see is answered exactly like one that does not exist.
  if (page.items.length === 0 && !q.next) throw notFound(`no object ${id.slice(0, 120)} matches in collection ${col.id}`);
  return objectsResponse(kind, page.items, page.more, page.next);
}

export async function getVersions(rt: TaxiiRuntime, c: Ctx): Promise<Response> {
  accept(c, false);
  const col = await rt.collection(c, 'read');
  const id = c.req.param('oid') ?? '';
  const q = { ...rt.query(c, ['spec_version']), ids: [id], versions: ['all'] };
  const page = await readVisible(rt.store, col.id, q, rt.tlpVisibility(c, await rt.tlpFor(col.id)));
  if (page.items.length === 0 && !q.next) throw notFound(`no object ${id.slice(0, 120)} in collection ${col.id}`);
  const body: Record<string, unknown> = { more: page.more };
  if (page.more && page.next) body.next = page.next;
  if (page.items.length) body.versions = page.items.map((i) => i.version);
  return taxiiJson(body, 200, dateHeaders(page.items));
}

export async function deleteObject(rt: TaxiiRuntime, c: Ctx): Promise<Response> {
  accept(c, false);
  const col = await rt.collection(c, 'write');
  const id = c.req.param('oid') ?? '';
  const q = rt.query(c, ['version', 'spec_version'], false);
  // Only versions the caller may read can be deleted; the others stay and stay unmentioned.
  const versions: string[] = [];
  const vis = rt.tlpVisibility(c, await rt.tlpFor(col.id));
  let next: string | undefined;
  do {
    const page = await rt.store.query(col.id, { ids: [id], versions: q.versions ?? ['all'], specVersions: q.specVersions, limit: 10_000, next });
    for (const item of page.items) if (vis(item)) versions.push(item.version);
    next = page.more ? page.next : undefined;
  } while (next);
  if (versions.length === 0) throw notFound(`no object ${id.slice(0, 120)} matches in collection ${col.id}`);
  await rt.store.deleteObject(col.id, id, { versions, specVersions: q.specVersions });
  rt.collectionWritten(col.id);
  return new Response(null, { status: 200 });
}

interface StatusDetail {
  id: string;
  version?: string;
  message?: string;
}

export async function addObjects(rt: TaxiiRuntime, c: Ctx): Promise<Response> {
  accept(c, false);
  const col = await rt.collection(c, 'write');
  const kind = bodyKind(c.req.header('content-type'));
  if (!kind) {
    throw new TaxiiHttpError(415, 'Unsupported Media Type', `Content-Type '${String(c.req.header('content-type')).slice(0, 100)}': send application/taxii+json;version=2.1 (an envelope) or application/stix+json;version=2.1 (a bundle)`);
  }
  const requestTimestamp = new Date().toISOString();
  const objects = objectsOf(parseJson(await readLimited(c.req.raw, rt.maxContentLength)), kind);
  const principal = c.get('principal');
  const check = rt.o.validate ?? checkObject;
  const failures: StatusDetail[] = [];
  const valid: StixObject[] = [];
  objects.forEach((raw, i) => {
    const problems = check(raw);
    const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const oid = typeof o.id === 'string' ? o.id.slice(0, 200) : `(object ${i})`;
    if (problems.length) failures.push({ id: oid, ...(typeof o.modified === 'string' ? { version: o.modified } : {}), message: problems.join('; ') });
    else valid.push(o as StixObject);
  });

  // Markings are never weakened (TLP 2.0): a new version may not carry a lower TLP than the stored
  // latest one, unless the poster produced the object (the originator may relabel its own data).
  const accepted: StixObject[] = [];
  const tlp = await rt.tlpFor(col.id);
  for (let i = 0; i < valid.length; i += 1000) {
    const batch = valid.slice(i, i + 1000);
    const latest = new Map<string, StixObject>();
    const page = await rt.store.query(col.id, { ids: [...new Set(batch.map((o) => o.id))], versions: ['last'], limit: 10_000 });
    for (const item of page.items) latest.set(item.id, item.object);
    for (const o of batch) {
      const prev = latest.get(o.id);
      const own = typeof o.created_by_ref === 'string' && [principal.viewer.identity, ...(principal.viewer.names ?? [])].includes(o.created_by_ref);
      if (prev && !own && !principal.admin && isWeakened(prev, o, tlp)) {
        failures.push({ id: o.id, version: String(o.modified ?? ''), message: 'refused: this version lowers the TLP marking of the stored version' });
      } else if (prev && !canRead(prev, principal.viewer, tlp)) {
        failures.push({ id: o.id, version: String(o.modified ?? ''), message: 'refused: the stored object is not visible to this user' });
      } else accepted.push(o);
    }
  }
  const outcomes = accepted.length ? await rt.store.addObjects(col.id, accepted) : [];
  if (accepted.some((o) => o.type === 'marking-definition')) rt.collectionWritten(col.id);
  const successes: StatusDetail[] = [];
  for (const r of outcomes) {
    if (r.ok) successes.push({ id: r.id, version: r.version, ...(r.duplicate ? { message: 'already present' } : {}) });
    else failures.push({ id: r.id, ...(r.version ? { version: r.version } : {}), message: r.message ?? 'not stored' });
  }
  const status = {
    id: randomUUID(),
    status: 'complete',
    request_timestamp: requestTimestamp,
    total_count: objects.length,
    success_count: successes.length,
    successes,
    failure_count: failures.length,
    failures,
    pending_count: 0,
    pendings: [],
  };
  await rt.store.putStatus(status.id, { owner: principal.name, status });
  return taxiiJson(status, 202);
}
