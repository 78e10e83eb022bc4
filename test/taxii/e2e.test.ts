/**
 * End to end over real HTTP: the TAXII server on an ephemeral port, driven by Ward's own TAXII
 * client through the workflow of TAXII 2.1: discovery → add → get with filters and paging →
 * manifest → versions → delete; then incremental pull and guarded push.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, startTaxiiServer, type RunningTaxiiServer } from '../../src/api/taxii/index.js';
import { preparePush, pull, push, STATE_FILE, TaxiiClient, TaxiiClientError } from '../../src/share/index.js';
import { obj, ORG } from './helpers.js';

const ADMIN = 'e2e-admin-token-with-enough-entropy';
let dir: string;
let server: RunningTaxiiServer;
let col: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ward-taxii-e2e-'));
  server = await startTaxiiServer({ dataDir: dir, port: 0, adminToken: ADMIN, orgIdentity: ORG });
  col = (await server.store.createCollection({ title: 'E2E', alias: 'e2e' })).id;
  await server.store.putUser({ name: 'peer', relation: 'community', names: [], admin: false, passwordHash: await hashSecret('s3cret') });
  await server.store.setRight({ user: 'peer', collection: col, canRead: true, canWrite: false });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TAXII 2.1 workflow over HTTP', () => {
  it('discovery → add → get with filters and paging → manifest → versions → delete', async () => {
    const client = new TaxiiClient(`${server.url}/taxii2/`, { token: ADMIN });
    const discovery = await client.discover();
    expect(discovery.api_roots).toEqual([`${server.url}/ward/`]);
    expect(await client.apiRoot()).toBe(`${server.url}/ward/`);
    expect((await client.apiRootInfo()).versions).toEqual(['application/taxii+json;version=2.1']);
    expect((await client.collections()).map((c) => c.id)).toEqual([col]);
    expect((await client.collection(col)).can_write).toBe(true);

    // add: 25 indicators, one of them in 3 versions, plus 5 malware
    const objects = [
      ...Array.from({ length: 25 }, (_, i) => obj(i + 1, { tlp: 'green' })),
      obj(1, { tlp: 'green', modified: '2026-02-01T00:00:00.000Z' }),
      obj(1, { tlp: 'green', modified: '2026-03-01T00:00:00.000Z' }),
      ...Array.from({ length: 5 }, (_, i) => obj(100 + i, { type: 'malware', tlp: 'green', extra: { is_family: false } })),
    ];
    const status = await client.addObjects(col, objects);
    expect(status).toMatchObject({ status: 'complete', total_count: 32, success_count: 32, failure_count: 0 });
    expect(await client.status(String(status.id))).toEqual(status);

    // get with filters
    const malware = await client.getObjects(col, { types: ['malware'] });
    expect(malware.items.map((o) => o.type)).toEqual(Array(5).fill('malware'));
    const v = await client.getObjects(col, { ids: [obj(1).id], versions: ['first'] });
    expect(v.items.map((o) => o.modified)).toEqual(['2026-01-01T00:00:00.000Z']);
    // paging: 30 latest versions in pages of 7, no duplicates, never more with an empty page
    const seen: string[] = [];
    let pages = 0;
    for await (const page of client.allObjects(col, { limit: 7 })) {
      pages++;
      if (page.more) expect(page.items.length).toBeGreaterThan(0);
      seen.push(...page.items.map((o) => o.id));
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(30);
    expect(seen).toHaveLength(30);
    // added_after with the Date-Added-Last of a first page resumes exactly after it
    const first = await client.getObjects(col, { limit: 10, versions: ['all'] });
    const rest = await client.getObjects(col, { addedAfter: first.dateAddedLast, versions: ['all'], limit: 100 });
    expect(first.items.length + rest.items.length).toBe(32);

    // manifest
    const manifest = await client.manifest(col, { types: ['indicator'], limit: 100 });
    expect(manifest.items).toHaveLength(25);
    expect(manifest.items.find((m) => m.id === obj(1).id)?.version).toBe('2026-03-01T00:00:00.000Z');
    expect(manifest.items[0].media_type).toBe('application/stix+json;version=2.1');

    // versions
    const versions = await client.versions(col, obj(1).id);
    expect(versions.items).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);

    // delete one version, then the object
    await client.deleteObject(col, obj(1).id, { versions: ['2026-03-01T00:00:00.000Z'] });
    expect((await client.getObject(col, obj(1).id)).items[0].modified).toBe('2026-02-01T00:00:00.000Z');
    await client.deleteObject(col, obj(1).id);
    await expect(client.getObject(col, obj(1).id)).rejects.toMatchObject({ status: 404 });
  });

  it('reports auth failures and rights with the server\'s TAXII error', async () => {
    const anon = new TaxiiClient(`${server.url}/taxii2/`);
    await expect(anon.discover()).rejects.toMatchObject({ status: 401 });
    const wrong = new TaxiiClient(`${server.url}/ward/`, { user: 'peer', password: 'nope' });
    await expect(wrong.collections()).rejects.toThrow(/HTTP 401 Unauthorized/);
    const peer = new TaxiiClient(`${server.url}/ward/`, { user: 'peer', password: 's3cret' });
    await expect(peer.addObjects(col, [obj(900)])).rejects.toMatchObject({ status: 403 });
    await expect(peer.getObjects('nope')).rejects.toBeInstanceOf(TaxiiClientError);
  });

  it('pulls incrementally: a second pull brings only what was added since', async () => {
    const client = new TaxiiClient(`${server.url}/ward/`, { user: 'peer', password: 's3cret' });
    const got: string[] = [];
    const r1 = await pull(client, { collection: col, dataDir: dir, pageSize: 4, onPage: (objs) => void got.push(...objs.map((o) => o.id)) });
    expect(r1.objects).toBe(got.length);
    expect(r1.pages).toBeGreaterThan(1);
    const saved = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'));
    expect(saved[`${server.url}/ward/|${col}`]).toBe(r1.lastAdded);
    const r2 = await pull(client, { collection: col, dataDir: dir });
    expect(r2.objects).toBe(0);
    expect(r2.addedAfter).toBe(r1.lastAdded);
    await new TaxiiClient(`${server.url}/ward/`, { token: ADMIN }).addObjects(col, [obj(500, { tlp: 'green' })]);
    const r3 = await pull(client, { collection: col, dataDir: dir, onPage: (objs) => expect(objs.map((o) => o.id)).toEqual([obj(500).id]) });
    expect(r3.objects).toBe(1);
    expect((await pull(client, { collection: col, dataDir: dir, full: true })).objects).toBe(r1.objects + 1);
    // A pull whose output fails does not advance the saved position.
    const before = readFileSync(join(dir, STATE_FILE), 'utf8');
    await new TaxiiClient(`${server.url}/ward/`, { token: ADMIN }).addObjects(col, [obj(501, { tlp: 'green' })]);
    await expect(pull(client, { collection: col, dataDir: dir, onPage: () => { throw new Error('disk full'); } })).rejects.toThrow(/disk full/);
    await expect(pull(client, { collection: col, dataDir: dir, beforeSave: () => { throw new Error('rename failed'); } })).rejects.toThrow(/rename failed/);
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toBe(before);
    expect((await pull(client, { collection: col, dataDir: dir })).objects).toBe(1);
  });

  it('pushes only what the audience may receive, without PHI, keeping markings', async () => {
    const bundle = JSON.parse(readFileSync(new URL('../fixtures/taxii/bundle.json', import.meta.url), 'utf8')) as { objects: Record<string, unknown>[] };
    const prepared = preparePush(bundle.objects, { audience: 'community' });
    // identity (unmarked → AMBER) and the RED malware are withheld; the indicator naming a patient is blocked.
    expect(prepared.withheldTlp).toEqual(['identity--a1a1a1a1-0000-4000-8000-000000000001', 'malware--c3c3c3c3-0000-4000-8000-000000000001']);
    expect(prepared.withheldPhi).toEqual(['indicator--b2b2b2b2-0000-4000-8000-000000000002']);
    expect(prepared.phiFindings.map((p) => p.kind).sort()).toEqual(['fhir-patient', 'mrn']);
    const redacted = preparePush(bundle.objects, { audience: 'community', phi: { mode: 'redact' } });
    expect(JSON.stringify(redacted.objects)).not.toMatch(/p-4711|00471100/);

    const pushCol = (await server.store.createCollection({ title: 'inbox' })).id;
    const client = new TaxiiClient(`${server.url}/taxii2/`, { token: ADMIN });
    const res = await push(client, bundle.objects, { collection: pushCol, audience: 'community', batch: 1 });
    expect(res).toMatchObject({ sent: 2, succeeded: 2, failed: [] });
    expect(res.statuses).toHaveLength(2);
    const stored = await client.getObjects(pushCol);
    expect(stored.items.map((o) => o.id).sort()).toEqual(['indicator--b2b2b2b2-0000-4000-8000-000000000001', 'ipv4-addr--d4d4d4d4-0000-5000-8000-000000000001']);
    expect(stored.items.find((o) => o.type === 'indicator')?.object_marking_refs).toEqual(['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb']);
    // anonymous: the hospital's identity never reaches the peer
    const anon = preparePush(bundle.objects, { audience: 'community', anonymizeIdentities: ['identity--a1a1a1a1-0000-4000-8000-000000000001'] });
    expect(JSON.stringify(anon.objects)).not.toContain('a1a1a1a1');
  });
});
