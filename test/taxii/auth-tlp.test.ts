import { beforeAll, describe, expect, it } from 'vitest';
import { StoreTaxiiAuth } from '../../src/api/taxii/index.js';
import { TLP1_MARKING_IDS, type PhiFinding } from '../../src/stix/index.js';
import { basic, call, makeFixture, obj, ORG, PEER, type Fixture } from './helpers.js';

describe('authentication (401) and rights (403)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await makeFixture();
  });
  it.each([
    ['no Authorization header', undefined],
    ['a wrong password', basic('peer', 'wrong')],
    ['an unknown user', basic('mallory', 'pw')],
    ['a malformed Basic value', 'Basic !!!'],
    ['Basic without a colon', `Basic ${Buffer.from('peer').toString('base64')}`],
    ['an unknown bearer token', 'Bearer ward_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a wrong admin token', 'Bearer not-the-admin-token'],
    ['an unsupported scheme', 'Digest username="peer"'],
  ])('refuses %s with 401 and WWW-Authenticate', async (_what, header) => {
    for (const path of ['/taxii2/', '/ward/', `/ward/collections/${f.col}/objects/`]) {
      const r = await call(f, path, header === undefined ? {} : { headers: { Authorization: header } });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/Basic realm=.*Bearer realm=/);
      expect(r.json).toMatchObject({ title: 'Unauthorized', http_status: '401' });
    }
  });
  it('accepts Basic, a user bearer token and the admin token (also as "Token", as taxii2-client sends it)', async () => {
    for (const u of ['peer', 'staffToken', 'admin']) expect((await call(f, '/ward/collections/', { user: u })).status).toBe(200);
    expect((await call(f, '/ward/collections/', { user: f.auth.staffToken.replace('Bearer', 'Token') })).status).toBe(200);
  });
  it('stops accepting a token once it is deleted (after the cache period)', async () => {
    const auth = new StoreTaxiiAuth(f.store, { cacheMs: 0 });
    expect(await auth.authenticate(f.auth.staffToken)).toMatchObject({ name: 'staff' });
    const id = /^Bearer ward_([0-9a-f]{12})_/.exec(f.auth.staffToken)![1];
    const tokenRow = await f.store.getToken(id);
    expect(tokenRow?.secretHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(tokenRow?.secretHash).not.toContain(f.auth.staffToken.slice(7));
    await f.store.deleteToken(id);
    expect(await auth.authenticate(f.auth.staffToken)).toBeUndefined();
  });
  it('verifies at most two credentials at a time, and answers every request correctly', async () => {
    let inFlight = 0;
    let peak = 0;
    const slowStore = new Proxy(f.store, {
      get(target, prop, receiver) {
        if (prop === 'getUser') {
          return async (name: string) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            await new Promise((r) => setTimeout(r, 5));
            inFlight--;
            return target.getUser(name);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const auth = new StoreTaxiiAuth(slowStore, { cacheMs: 0 });
    // Bad credentials only: then every getUser call is a verification (no principal lookups).
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => auth.authenticate(basic('peer', `bad${i}`))));
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(peak).toBe(2);
    expect((await auth.authenticate(basic('peer', 'pw')))?.name).toBe('peer');
  });

  it('answers 403 on collections without the needed right', async () => {
    const o = `/ward/collections/${f.col}/objects/`;
    expect((await call(f, o, { user: 'none' })).status).toBe(403);
    expect((await call(f, `/ward/collections/${f.col}/manifest/`, { user: 'none' })).status).toBe(403);
    expect((await call(f, `${o}${obj(1).id}/versions/`, { user: 'none' })).status).toBe(403);
    expect((await call(f, o, { user: 'client', body: { objects: [obj(1)] } })).status).toBe(403);
    expect((await call(f, `${o}${obj(1).id}/`, { user: 'client', method: 'DELETE' })).status).toBe(403);
    // 'none' can read the other collection, and only that one.
    expect((await call(f, '/ward/collections/', { user: 'none' })).json.collections.map((c: any) => c.id)).toEqual(['other']);
  });
});

describe('TLP on every read path', () => {
  let f: Fixture;
  const o = () => `/ward/collections/${f.col}/objects/`;
  // n → marking: 1 CLEAR, 2 GREEN, 3 AMBER, 4 AMBER+STRICT, 5 RED (to PEER), 6 unmarked, 7 TLP 1.0 WHITE, 8 RED (to nobody)
  const expected: Record<string, number[]> = {
    staff: [1, 2, 3, 4, 6, 7], // same-org; RED only to named recipients
    reader: [1, 2, 3, 4, 6, 7],
    client: [1, 2, 3, 6, 7],
    peer: [1, 2, 5, 7],
    guest: [1, 7],
    admin: [1, 2, 3, 4, 6, 7],
  };
  beforeAll(async () => {
    f = await makeFixture();
    const objects = [
      obj(1, { tlp: 'clear' }), obj(2, { tlp: 'green' }), obj(3, { tlp: 'amber' }), obj(4, { tlp: 'amber+strict' }),
      obj(5, { tlp: 'red', extra: { x_ward_tlp_recipients: [PEER] } }), obj(6),
      obj(7, { extra: { object_marking_refs: [TLP1_MARKING_IDS.white] } }), obj(8, { tlp: 'red' }),
    ];
    const r = await call(f, o(), { user: 'admin', body: { objects } });
    expect(r.json.success_count).toBe(8);
  });
  const nums = (list: any[]) => list.map((x: any) => Number(String(x.id ?? x).slice(-2)));
  for (const [user, visible] of Object.entries(expected)) {
    it(`${user} sees exactly ${visible.join(', ')} in objects, manifest, object and versions`, async () => {
      expect(nums((await call(f, o(), { user })).json.objects)).toEqual(visible);
      expect(nums((await call(f, `/ward/collections/${f.col}/manifest/`, { user })).json.objects)).toEqual(visible);
      for (let n = 1; n <= 8; n++) {
        const one = await call(f, `${o()}${obj(n).id}/`, { user });
        const versions = await call(f, `${o()}${obj(n).id}/versions/`, { user });
        expect([one.status, versions.status]).toEqual(visible.includes(n) ? [200, 200] : [404, 404]);
      }
    });
  }
  it('pages over hidden objects without ever answering more:true with zero objects', async () => {
    for (const limit of [1, 2, 3]) {
      const seen: number[] = [];
      let next: string | undefined;
      for (let i = 0; i < 20; i++) {
        const r = await call(f, `${o()}?limit=${limit}${next ? `&next=${next}` : ''}`, { user: 'guest' });
        const got = nums(r.json.objects ?? []);
        if (r.json.more) expect(got.length).toBeGreaterThan(0);
        seen.push(...got);
        if (!r.json.more) break;
        next = r.json.next;
      }
      expect(seen).toEqual([1, 7]);
    }
  });
  it('does not let a non-creator post a version with a weaker marking, nor delete what it cannot see', async () => {
    const weaker = obj(3, { tlp: 'green', modified: '2026-05-01T00:00:00.000Z' });
    const r = await call(f, o(), { user: 'staff', body: { objects: [weaker] } });
    expect(r.json.failures[0].message).toMatch(/lowers the TLP/);
    const stricter = obj(3, { tlp: 'red', modified: '2026-05-01T00:00:00.000Z', extra: { x_ward_tlp_recipients: [ORG] } });
    expect((await call(f, o(), { user: 'staff', body: { objects: [stricter] } })).json.success_count).toBe(1);
    // The creator may relabel its own object.
    const own = obj(9, { tlp: 'amber', extra: { created_by_ref: PEER } });
    await call(f, o(), { user: 'peer', body: { objects: [own] } });
    const relabel = obj(9, { tlp: 'clear', modified: '2026-06-01T00:00:00.000Z', extra: { created_by_ref: PEER } });
    expect((await call(f, o(), { user: 'peer', body: { objects: [relabel] } })).json.success_count).toBe(1);
    // peer cannot see AMBER+STRICT object 4: deleting it is a 404, and it stays.
    expect((await call(f, `${o()}${obj(4).id}/`, { user: 'peer', method: 'DELETE' })).status).toBe(404);
    expect((await call(f, `${o()}${obj(4).id}/`, { user: 'staff' })).status).toBe(200);
  });
  it('recognises custom TLP marking-definitions stored in the collection', async () => {
    const g = await makeFixture();
    const oo = `/ward/collections/${g.col}/objects/`;
    const red = {
      type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--0d0d0d0d-0000-4000-8000-000000000001',
      created: '2026-01-01T00:00:00.000Z', definition_type: 'tlp', name: 'TLP:RED', definition: { tlp: 'red' },
    };
    const stmt = {
      type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--0d0d0d0d-0000-4000-8000-000000000002',
      created: '2026-01-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 'Copyright St Example' },
    };
    // Object 1 cites a marking the server does not know yet: it counts as unmarked (AMBER).
    await call(g, oo, { user: 'admin', body: { objects: [obj(1, { extra: { object_marking_refs: [red.id] } }), obj(2, { tlp: 'green' })] } });
    expect(nums((await call(g, oo, { user: 'staff' })).json.objects)).toEqual([1, 2]); // unmarked default AMBER until then
    await call(g, oo, { user: 'admin', body: { objects: [red, stmt] } });
    // Now object 1 is RED (no named recipients): staff no longer sees it, in objects or manifest.
    expect(nums((await call(g, `${oo}?match[type]=indicator`, { user: 'staff' })).json.objects)).toEqual([2]);
    expect(nums((await call(g, `/ward/collections/${g.col}/manifest/?match[type]=indicator`, { user: 'staff' })).json.objects)).toEqual([2]);
    const peer = await call(g, `${oo}?match[type]=indicator,marking-definition`, { user: 'peer' });
    expect(peer.json.objects.map((x: any) => x.id)).toEqual([obj(2).id, red.id, stmt.id]);
  });

  it('applies a configured default level to unmarked objects', async () => {
    const g = await makeFixture({ tlp: { unmarked: 'clear' } });
    await call(g, `/ward/collections/${g.col}/objects/`, { user: 'admin', body: { objects: [obj(6)] } });
    expect(nums((await call(g, `/ward/collections/${g.col}/objects/`, { user: 'guest' })).json.objects)).toEqual([6]);
  });
});

describe('PHI guard on responses', () => {
  it('redacts patient identifiers and reports paths and kinds, never values', async () => {
    const reports: PhiFinding[][] = [];
    const f = await makeFixture({ phi: { patientNames: ['Maria Garcia'] }, onPhi: (r) => reports.push(r) });
    const o = `/ward/collections/${f.col}/objects/`;
    const bad = obj(1, { tlp: 'clear', extra: { description: 'Maria Garcia, MRN: 12345678, Patient/555', x_case: { dob: '1970-01-01' } } });
    await call(f, o, { user: 'admin', body: { objects: [bad] } });
    const r = await call(f, o, { user: 'peer' });
    expect(r.json.objects[0].description).toBe('[REDACTED:name], [REDACTED:mrn], [REDACTED:fhir-patient]');
    expect(r.json.objects[0].x_case.dob).toBe('[REDACTED:dob]');
    expect(r.text).not.toMatch(/Garcia|12345678|555|1970/);
    const one = await call(f, `${o}${bad.id}/`, { user: 'peer' });
    expect(one.json.objects[0].description).not.toContain('Garcia');
    expect(reports[0].map((x) => `${x.path}:${x.kind}`).sort()).toEqual(['description:fhir-patient', 'description:mrn', 'description:name', 'x_case.dob:dob']);
    expect(JSON.stringify(reports)).not.toMatch(/Garcia|12345678/);
    // The stored object is untouched: the guard is on the way out.
    expect((await f.store.query(f.col, {})).items[0].object.description).toContain('Maria Garcia');
  });
  it('withholds objects in block mode, still never answering more:true with zero objects', async () => {
    const f = await makeFixture({ phi: { mode: 'block' } });
    const o = `/ward/collections/${f.col}/objects/`;
    await call(f, o, { user: 'admin', body: { objects: [obj(1, { tlp: 'clear', extra: { description: 'Patient/1' } }), obj(2, { tlp: 'clear' })] } });
    const r = await call(f, `${o}?limit=1`, { user: 'peer' });
    expect(r.json.objects.map((x: any) => x.id)).toEqual([obj(2).id]);
    expect(r.json.more).toBe(false);
  });
  it('withholds the organisation identity when sharing anonymously', async () => {
    const f = await makeFixture({ anonymizeIdentities: [ORG] });
    const o = `/ward/collections/${f.col}/objects/`;
    await call(f, o, { user: 'admin', body: { objects: [obj(1, { tlp: 'clear', extra: { created_by_ref: ORG } }), { ...obj(2, { type: 'identity', tlp: 'clear' }), id: ORG }] } });
    const r = await call(f, o, { user: 'peer' });
    expect(r.text).not.toContain(ORG);
    expect(r.json.objects).toHaveLength(1);
    expect(r.json.objects[0].created_by_ref).toMatch(/^identity--/);
  });
});
