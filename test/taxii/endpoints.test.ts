import { beforeAll, describe, expect, it } from 'vitest';
import { call, makeFixture, obj, STIX, TAXII, type Fixture } from './helpers.js';

let f: Fixture;
const R = '/ward';
let O: string;

beforeAll(async () => {
  f = await makeFixture();
  O = `${R}/collections/${f.col}/objects/`;
  // Indicator 1 in three versions, indicator 2, malware 3, all TLP:CLEAR.
  const objects = [
    obj(1, { tlp: 'clear' }),
    obj(1, { tlp: 'clear', modified: '2026-01-02T00:00:00.000Z' }),
    obj(1, { tlp: 'clear', modified: '2026-01-03T00:00:00.000Z' }),
    obj(2, { tlp: 'clear' }),
    obj(3, { type: 'malware', tlp: 'clear', extra: { is_family: true } }),
  ];
  for (const o of objects) {
    const r = await call(f, O, { user: 'staff', body: { objects: [o] } });
    expect(r.status).toBe(202);
  }
});

describe('discovery and API root (TAXII 2.1 §4)', () => {
  it('serves discovery with absolute API root URLs', async () => {
    const r = await call(f, '/taxii2/', { user: 'peer' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(TAXII);
    expect(r.json).toMatchObject({ title: expect.any(String), default: 'http://localhost/ward/', api_roots: ['http://localhost/ward/'] });
  });
  it('serves the API root with versions and max_content_length', async () => {
    const r = await call(f, `${R}/`, { user: 'peer' });
    expect(r.json).toMatchObject({ versions: [TAXII], max_content_length: 64 * 1024 });
  });
  it('answers 404 with a TAXII error body for unknown paths, 405 for unknown methods', async () => {
    const r = await call(f, `${R}/nothing/`, { user: 'peer' });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ title: 'Not Found', http_status: '404', description: expect.any(String) });
    const m = await call(f, O, { user: 'staff', method: 'PUT' });
    expect(m.status).toBe(405);
    expect(m.json.http_status).toBe('405');
  });
});

describe('mounting into another Hono app (as ward serve does)', () => {
  it('serves under a prefix, announces prefixed URLs, and leaves other routes alone', async () => {
    const { Hono } = await import('hono');
    const host = new Hono();
    host.get('/api/v1/health', (c) => c.text('ok'));
    host.route('/', f.app);
    host.route('/intel', f.app);
    expect(await (await host.request('/api/v1/health')).text()).toBe('ok');
    const d = await host.request('/intel/taxii2/', { headers: { Authorization: f.auth.peer, Accept: TAXII } });
    expect(((await d.json()) as any).api_roots).toEqual(['http://localhost/intel/ward/']);
    const cols = await host.request('/intel/ward/collections/', { headers: { Authorization: f.auth.peer, Accept: TAXII } });
    expect(((await cols.json()) as any).collections[0].id).toBe(f.col);
    expect((await host.request('/ward/collections/', { headers: { Accept: TAXII } })).status).toBe(401);
  });
});

describe('content negotiation (TAXII 2.1)', () => {
  it.each([
    ['application/taxii+json;version=2.1', 200],
    ['application/taxii+json', 200],
    ['application/taxii+json; version="2.1"', 200],
    ['*/*', 200],
    ['application/taxii+json;version=2.0', 406],
    ['application/json', 406],
    ['text/html, application/xml;q=0.9', 406],
  ])('Accept %s → %i', async (accept, status) => {
    const r = await call(f, `${R}/collections/`, { user: 'peer', accept });
    expect(r.status).toBe(status);
    if (status === 406) expect(r.json).toMatchObject({ title: 'Not Acceptable', http_status: '406' });
  });
  it('answers a STIX bundle when only application/stix+json is accepted', async () => {
    const r = await call(f, `${O}?match[type]=malware`, { user: 'peer', accept: STIX });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(STIX);
    expect(r.json.type).toBe('bundle');
    expect(r.json.id).toMatch(/^bundle--/);
    expect(r.json.objects.map((o: any) => o.type)).toEqual(['malware']);
  });
  it('refuses a manifest as STIX', async () => {
    expect((await call(f, `${R}/collections/${f.col}/manifest/`, { user: 'peer', accept: STIX })).status).toBe(406);
  });
});

describe('collections (TAXII 2.1)', () => {
  it('lists only collections the user has rights on, with can_read/can_write', async () => {
    const peer = await call(f, `${R}/collections/`, { user: 'peer' });
    expect(peer.json.collections).toEqual([
      { id: f.col, title: 'Hospital intel', alias: 'intel', can_read: true, can_write: true, media_types: [STIX] },
    ]);
    const guest = await call(f, `${R}/collections/`, { user: 'guest' });
    expect(guest.json.collections[0]).toMatchObject({ can_read: true, can_write: false });
    const admin = await call(f, `${R}/collections/`, { user: 'admin' });
    expect(admin.json.collections).toHaveLength(2);
  });
  it('gets one collection by id or alias; 404 unknown; 403 without rights', async () => {
    expect((await call(f, `${R}/collections/${f.col}/`, { user: 'peer' })).json.id).toBe(f.col);
    expect((await call(f, `${R}/collections/intel/`, { user: 'peer' })).json.id).toBe(f.col);
    expect((await call(f, `${R}/collections/nope/`, { user: 'peer' })).status).toBe(404);
    const r = await call(f, `${R}/collections/${f.col}/`, { user: 'none' });
    expect(r.status).toBe(403);
    expect(r.json.http_status).toBe('403');
  });
});

describe('get objects with filters (TAXII 2.1)', () => {
  const ids = (r: any) => (r.json.objects ?? []).map((o: any) => `${o.id.slice(-1)}@${o.modified.slice(8, 10)}`);
  it('returns the latest version of each object by default, with date headers', async () => {
    const r = await call(f, O, { user: 'peer' });
    expect(r.status).toBe(200);
    expect(ids(r)).toEqual(['1@03', '2@01', '3@01']);
    expect(r.json.more).toBe(false);
    const first = r.headers.get('x-taxii-date-added-first');
    const last = r.headers.get('x-taxii-date-added-last');
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(last! > first!).toBe(true);
  });
  it('filters match[type], match[id] (comma lists and repeats), match[version], match[spec_version]', async () => {
    expect(ids(await call(f, `${O}?match[type]=malware`, { user: 'peer' }))).toEqual(['3@01']);
    expect(ids(await call(f, `${O}?match[type]=malware,indicator`, { user: 'peer' }))).toHaveLength(3);
    const i1 = obj(1).id;
    const i2 = obj(2).id;
    expect(ids(await call(f, `${O}?match[id]=${i1}&match[id]=${i2}`, { user: 'peer' }))).toEqual(['1@03', '2@01']);
    expect(ids(await call(f, `${O}?match[id]=${i1}&match[version]=first`, { user: 'peer' }))).toEqual(['1@01']);
    expect(ids(await call(f, `${O}?match[id]=${i1}&match[version]=all`, { user: 'peer' }))).toEqual(['1@01', '1@02', '1@03']);
    expect(ids(await call(f, `${O}?match[id]=${i1}&match[version]=2026-01-02T00:00:00Z`, { user: 'peer' }))).toEqual(['1@02']);
    expect(ids(await call(f, `${O}?match[id]=${i1}&match[version]=first,last`, { user: 'peer' }))).toEqual(['1@01', '1@03']);
    expect(ids(await call(f, `${O}?match[spec_version]=2.1`, { user: 'peer' }))).toHaveLength(3);
    expect((await call(f, `${O}?match[spec_version]=2.0`, { user: 'peer' })).json).toEqual({ more: false });
  });
  it('filters added_after strictly', async () => {
    const all = await call(f, `${O}?match[version]=all`, { user: 'peer' });
    const manifest = await call(f, `${R}/collections/${f.col}/manifest/?match[version]=all`, { user: 'peer' });
    const second = manifest.json.objects[1].date_added;
    const r = await call(f, `${O}?match[version]=all&added_after=${second}`, { user: 'peer' });
    expect(r.json.objects).toEqual(all.json.objects.slice(2));
    expect(r.headers.get('x-taxii-date-added-first')! > second).toBe(true);
  });
  it('pages with limit and next, each object once, never more:true with zero objects', async () => {
    const seen: string[] = [];
    let url = `${O}?match[version]=all&limit=2`;
    for (let i = 0; i < 10; i++) {
      const r = await call(f, url, { user: 'peer' });
      expect(r.status).toBe(200);
      if (r.json.more) {
        expect(r.json.objects.length).toBeGreaterThan(0);
        expect(r.json.next).toEqual(expect.any(String));
      }
      seen.push(...r.json.objects.map((o: any) => `${o.id}@${o.modified}`));
      if (!r.json.more) break;
      url = `${O}?match[version]=all&limit=2&next=${encodeURIComponent(r.json.next)}`;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const exact = await call(f, `${O}?limit=3`, { user: 'peer' });
    expect(exact.json.more).toBe(false);
    expect(exact.json.next).toBeUndefined();
  });
  it.each([
    ['limit=0', /limit/],
    ['limit=abc', /limit/],
    ['limit=-5', /limit/],
    ['added_after=yesterday', /added_after/],
    ['match[version]=newest', /match\[version\]/],
    ['match[foo]=1', /match\[foo\]/],
    ['next=not-a-cursor', /next/],
  ])('answers 400 for %s', async (qs, re) => {
    const r = await call(f, `${O}?${qs}`, { user: 'peer' });
    expect(r.status).toBe(400);
    expect(r.json.http_status).toBe('400');
    expect(r.json.description).toMatch(re);
  });
  it('caps limit at the server maximum', async () => {
    const small = await makeFixture({ maxPageSize: 2 });
    const o = `/ward/collections/${small.col}/objects/`;
    await call(small, o, { user: 'staff', body: { objects: [obj(1, { tlp: 'clear' }), obj(2, { tlp: 'clear' }), obj(3, { tlp: 'clear' })] } });
    const r = await call(small, `${o}?limit=500`, { user: 'peer' });
    expect(r.json.objects).toHaveLength(2);
    expect(r.json.more).toBe(true);
  });
});

describe('manifest (TAXII 2.1)', () => {
  it('lists id, date_added, version and media_type, filtered and paged like objects', async () => {
    const r = await call(f, `${R}/collections/${f.col}/manifest/?match[type]=indicator&limit=1`, { user: 'peer' });
    expect(r.status).toBe(200);
    expect(r.json.objects).toEqual([{ id: obj(1).id, date_added: expect.any(String), version: '2026-01-03T00:00:00.000Z', media_type: STIX }]);
    expect(r.json.more).toBe(true);
    expect(r.headers.get('x-taxii-date-added-first')).toBe(r.json.objects[0].date_added);
    const r2 = await call(f, `${R}/collections/${f.col}/manifest/?match[type]=indicator&limit=1&next=${r.json.next}`, { user: 'peer' });
    expect(r2.json.objects.map((m: any) => m.id)).toEqual([obj(2).id]);
    expect(r2.json.more).toBe(false);
  });
});

describe('one object, its versions, delete (TAXII 2.1)', () => {
  it('gets an object (latest by default, or chosen versions)', async () => {
    const id = obj(1).id;
    const r = await call(f, `${O}${id}/`, { user: 'peer' });
    expect(r.json.objects.map((o: any) => o.modified)).toEqual(['2026-01-03T00:00:00.000Z']);
    const all = await call(f, `${O}${id}/?match[version]=all&limit=2`, { user: 'peer' });
    expect(all.json.objects).toHaveLength(2);
    expect(all.json.more).toBe(true);
    expect((await call(f, `${O}indicator--99999999-0000-4000-8000-000000000000/`, { user: 'peer' })).status).toBe(404);
    expect((await call(f, `${O}${id}/?match[type]=indicator`, { user: 'peer' })).status).toBe(400);
  });
  it('lists versions oldest first with date headers; 404 for unknown objects', async () => {
    const r = await call(f, `${O}${obj(1).id}/versions/`, { user: 'peer' });
    expect(r.json).toEqual({ more: false, versions: ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'] });
    expect(r.headers.get('x-taxii-date-added-last')).toBeTruthy();
    const paged = await call(f, `${O}${obj(1).id}/versions/?limit=2`, { user: 'peer' });
    expect(paged.json.versions).toHaveLength(2);
    expect(paged.json.more).toBe(true);
    expect((await call(f, `${O}${obj(8).id}/versions/`, { user: 'peer' })).status).toBe(404);
  });
  it('deletes one version, then all; read-only users get 403', async () => {
    const g = await makeFixture();
    const o = `/ward/collections/${g.col}/objects/`;
    const id = obj(5).id;
    await call(g, o, { user: 'staff', body: { objects: [obj(5), obj(5, { modified: '2026-02-01T00:00:00.000Z' })] } });
    expect((await call(g, `${o}${id}/`, { user: 'reader', method: 'DELETE' })).status).toBe(403);
    const one = await call(g, `${o}${id}/?match[version]=2026-02-01T00:00:00.000Z`, { user: 'staff', method: 'DELETE' });
    expect(one.status).toBe(200);
    expect((await call(g, `${o}${id}/versions/`, { user: 'staff' })).json.versions).toEqual(['2026-01-01T00:00:00.000Z']);
    expect((await call(g, `${o}${id}/`, { user: 'staff', method: 'DELETE' })).status).toBe(200);
    expect((await call(g, `${o}${id}/`, { user: 'staff' })).status).toBe(404);
    expect((await call(g, `${o}${id}/`, { user: 'staff', method: 'DELETE' })).status).toBe(404);
  });
});

describe('add objects and status (TAXII 2.1)', () => {
  it('answers 202 with a status listing successes and failures, readable by the poster only', async () => {
    const r = await call(f, O, { user: 'peer', body: { objects: [obj(20), { type: 'indicator', id: 'indicator--bad' }, obj(1)] } });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ status: 'complete', total_count: 3, success_count: 2, failure_count: 1, pending_count: 0 });
    expect(r.json.failures[0]).toMatchObject({ id: 'indicator--bad', message: expect.stringMatching(/§2\.9/) });
    expect(r.json.successes.find((s: any) => s.id === obj(1).id).message).toBe('already present');
    const s = await call(f, `${R}/status/${r.json.id}/`, { user: 'peer' });
    expect(s.json).toEqual(r.json);
    expect((await call(f, `${R}/status/${r.json.id}/`, { user: 'guest' })).status).toBe(404);
    expect((await call(f, `${R}/status/${r.json.id}/`, { user: 'admin' })).status).toBe(200);
  });
  it('refuses invalid objects per object, naming the property: bad pattern, STIX 2.0, null values', async () => {
    const r = await call(f, O, {
      user: 'peer',
      body: { objects: [obj(50, { extra: { pattern: "[ipv4-addr:value = '1.2.3.4'" } }), obj(51, { extra: { spec_version: '2.0' } }), obj(52, { extra: { name: null } }), obj(53)] },
    });
    expect(r.json).toMatchObject({ success_count: 1, failure_count: 3 });
    const byId = Object.fromEntries(r.json.failures.map((x: any) => [x.id, x.message]));
    expect(byId[obj(50).id]).toMatch(/^pattern/);
    expect(byId[obj(51).id]).toMatch(/spec_version/);
    expect(byId[obj(52).id]).toMatch(/^name: .*null/);
  });
  it('accepts a STIX bundle posted as application/stix+json', async () => {
    const r = await call(f, O, { user: 'peer', contentType: STIX, body: { type: 'bundle', id: 'bundle--1', objects: [obj(21)] } });
    expect(r.json.success_count).toBe(1);
  });
  it.each([
    ['text/plain', 415],
    ['application/json', 415],
    ['application/taxii+json;version=2.0', 415],
  ])('answers %s bodies with %i', async (ct, status) => {
    const r = await call(f, O, { user: 'peer', contentType: ct, body: { objects: [obj(22)] } });
    expect(r.status).toBe(status);
    expect(r.json.http_status).toBe(String(status));
  });
  it.each([
    ['{"objects": [', /not valid JSON.*position|not valid JSON/],
    ['', /empty/],
    ['[1,2]', /JSON object/],
    ['{"objects": 5}', /must be a list/],
    ['{"no": 1}', /no "objects"/],
    ['{"objects":' + '['.repeat(5000) + ']'.repeat(5000) + '}', /deeper than 64/],
    ['{"type":"report"}', /no "objects"/],
  ])('answers hostile or broken JSON with 400 (%#)', async (body, re) => {
    const r = await call(f, O, { user: 'peer', body });
    expect(r.status).toBe(400);
    expect(r.json.description).toMatch(re);
  });
  it('answers 413 for bodies over max_content_length, declared or streamed', async () => {
    const big = JSON.stringify({ objects: [obj(30, { extra: { description: 'x'.repeat(70 * 1024) } })] });
    const r = await call(f, O, { user: 'peer', body: big });
    expect(r.status).toBe(413);
    expect(r.json.title).toBe('Payload Too Large');
    // Without Content-Length (chunked): counted while streaming.
    const stream = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < 10; i++) ctl.enqueue(new TextEncoder().encode('x'.repeat(10_000)));
        ctl.close();
      },
    });
    const res = await f.app.request(O, { method: 'POST', headers: { Authorization: f.auth.peer, Accept: TAXII, 'Content-Type': TAXII }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });
  it('refuses writes from read-only users (403)', async () => {
    const r = await call(f, O, { user: 'guest', body: { objects: [obj(40)] } });
    expect(r.status).toBe(403);
  });
});
