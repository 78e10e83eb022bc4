/**
 * The one test suite every StixStore implementation must pass (DEVELOPERS.md: one shared suite per
 * interface). test/store/stix-sqlite.test.ts and stix-postgres.test.ts run it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StixObject, StixStore } from '../../src/store/index.js';

const ind = (n: number, modified: string, extra: Record<string, unknown> = {}): StixObject => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  created: '2026-01-01T00:00:00.000Z',
  modified,
  pattern: `[ipv4-addr:value = '10.0.0.${n}']`,
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
  ...extra,
});
const malware = (n: number): StixObject => ({
  type: 'malware',
  spec_version: '2.1',
  id: `malware--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  created: '2026-02-01T00:00:00.000Z',
  modified: '2026-02-01T00:00:00.000Z',
  name: `m${n}`,
  is_family: true,
});
const ipv4 = (n: number): StixObject => ({
  type: 'ipv4-addr',
  id: `ipv4-addr--00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
  value: `192.0.2.${n}`,
});

export function stixStoreSuite(name: string, open: () => Promise<StixStore>, cleanup?: () => Promise<void>): void {
  describe(`StixStore (${name})`, () => {
    let store: StixStore;
    let col: string;
    const I1 = ind(1, '2026-01-01T00:00:00.000Z').id;

    beforeAll(async () => {
      store = await open();
      col = (await store.createCollection({ title: 'Suite', description: 'shared suite', alias: `suite-${Date.now()}` })).id;
      const out = await store.addObjects(col, [
        ind(1, '2026-01-01T00:00:00.000Z'),
        ind(1, '2026-01-02T00:00:00.000Z'),
        ind(1, '2026-01-03T00:00:00.000Z'),
        ind(2, '2026-01-01T00:00:00.000Z'),
        malware(1),
        ipv4(1),
      ]);
      expect(out.every((o) => o.ok && !o.duplicate)).toBe(true);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('creates, lists, gets collections and refuses a duplicate id', async () => {
      const c = await store.getCollection(col);
      expect(c).toMatchObject({ id: col, title: 'Suite', description: 'shared suite', mediaTypes: ['application/stix+json;version=2.1'] });
      expect((await store.listCollections()).map((x) => x.id)).toContain(col);
      await expect(store.createCollection({ id: col, title: 'again' })).rejects.toThrow(/already exists/);
      expect(await store.getCollection('no-such')).toBeUndefined();
    });

    it('returns the last version of each object by default, in date_added order', async () => {
      const p = await store.query(col, {});
      expect(p.items.map((i) => [i.id.split('--')[0], i.version])).toEqual([
        ['indicator', '2026-01-03T00:00:00.000Z'],
        ['indicator', '2026-01-01T00:00:00.000Z'],
        ['malware', '2026-02-01T00:00:00.000Z'],
        ['ipv4-addr', p.items[3].version],
      ]);
      expect(p.more).toBe(false);
      expect(p.next).toBeUndefined();
      const dates = p.items.map((i) => i.dateAdded);
      expect([...dates].sort()).toEqual(dates);
      expect(new Set(dates).size).toBe(dates.length);
    });

    it('lists the manifest (no bodies) with the same filters and paging as objects', async () => {
      const objects = await store.query(col, { versions: ['all'] });
      const m = await store.manifest(col, { versions: ['all'], limit: 4 });
      expect(m.items.map((e) => [e.id, e.version, e.dateAdded])).toEqual(objects.items.slice(0, 4).map((i) => [i.id, i.version, i.dateAdded]));
      expect(m.items[0]).not.toHaveProperty('object');
      expect(m.more).toBe(true);
      const rest = await store.manifest(col, { versions: ['all'], next: m.next });
      expect(rest.items.map((e) => e.id)).toEqual(objects.items.slice(4).map((i) => i.id));
      expect((await store.manifest(col, { types: ['malware'] })).items.map((e) => e.type)).toEqual(['malware']);
    });

    it('filters match[version] first, all, a timestamp, and several values ORed', async () => {
      const first = await store.query(col, { ids: [I1], versions: ['first'] });
      expect(first.items.map((i) => i.version)).toEqual(['2026-01-01T00:00:00.000Z']);
      const all = await store.query(col, { ids: [I1], versions: ['all'] });
      expect(all.items).toHaveLength(3);
      // A timestamp with another precision names the same instant (STIX 2.1 §3.2).
      const exact = await store.query(col, { ids: [I1], versions: ['2026-01-02T00:00:00Z'] });
      expect(exact.items.map((i) => i.object.modified)).toEqual(['2026-01-02T00:00:00.000Z']);
      const both = await store.query(col, { ids: [I1], versions: ['first', 'last'] });
      expect(both.items).toHaveLength(2);
      await expect(store.query(col, { versions: ['yesterday'] })).rejects.toThrow(/match\[version\]/);
    });

    it('filters match[id], match[type] and match[spec_version]', async () => {
      expect((await store.query(col, { types: ['malware', 'ipv4-addr'] })).items.map((i) => i.type)).toEqual(['malware', 'ipv4-addr']);
      expect((await store.query(col, { ids: [I1, malware(1).id] })).items).toHaveLength(2);
      expect((await store.query(col, { types: ['report'] })).items).toHaveLength(0);
      expect((await store.query(col, { specVersions: ['2.1'] })).items).toHaveLength(4);
      expect((await store.query(col, { specVersions: ['2.0'] })).items).toHaveLength(0);
    });

    it('filters added_after strictly, on the selected version', async () => {
      const all = await store.query(col, { versions: ['all'] });
      const third = all.items[2]; // indicator 1, third version
      const after = await store.query(col, { versions: ['all'], addedAfter: third.dateAdded });
      expect(after.items.map((i) => i.dateAdded)).toEqual(all.items.slice(3).map((i) => i.dateAdded));
      // 'first' of indicator 1 was added before `third`, so it is not returned.
      expect((await store.query(col, { ids: [I1], versions: ['first'], addedAfter: third.dateAdded })).items).toHaveLength(0);
      await expect(store.query(col, { addedAfter: 'last week' })).rejects.toThrow(/added_after/);
    });

    it('pages with limit/next through every version exactly once, never more with an empty page', async () => {
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const p = await store.query(col, { versions: ['all'], limit: 2, next });
        pages++;
        if (p.more) expect(p.items.length).toBeGreaterThan(0);
        seen.push(...p.items.map((i) => `${i.id}@${i.version}`));
        next = p.more ? p.next : undefined;
      } while (next);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(6);
      expect(new Set(seen).size).toBe(6);
      // Exactly full last page: more is false, not true followed by an empty page.
      const exact = await store.query(col, { versions: ['all'], limit: 6 });
      expect(exact.more).toBe(false);
      await expect(store.query(col, { next: 'garbage' })).rejects.toThrow(/cursor/);
      await expect(store.query(col, { limit: 0 })).rejects.toThrow(/limit/);
    });

    it('treats a re-posted (id, modified) as a duplicate and keeps the original', async () => {
      const changed = ind(2, '2026-01-01T00:00:00Z', { name: 'changed' });
      const [o] = await store.addObjects(col, [changed]);
      expect(o).toMatchObject({ ok: true, duplicate: true });
      const p = await store.query(col, { ids: [changed.id] });
      expect(p.items[0].object.name).toBeUndefined();
    });

    it('dates an SCO without created/modified once, and a repost is a duplicate', async () => {
      const [o] = await store.addObjects(col, [ipv4(1)]);
      expect(o).toMatchObject({ ok: true, duplicate: true });
      expect((await store.query(col, { ids: [ipv4(1).id], versions: ['all'] })).items).toHaveLength(1);
    });

    it('rejects a bad timestamp per object and stores the rest', async () => {
      const out = await store.addObjects(col, [ind(9, 'not a time'), malware(9)]);
      expect(out[0]).toMatchObject({ ok: false });
      expect(out[0].message).toMatch(/timestamp/);
      expect(out[1]).toMatchObject({ ok: true });
      await expect(store.addObjects('no-such-collection', [malware(3)])).rejects.toThrow(/does not exist/);
    });

    it('keeps unknown properties and custom extensions verbatim', async () => {
      const obj = malware(7);
      obj.x_custom = { deep: [1, 'two', { three: null }] };
      obj.extensions = { 'extension-definition--11111111-1111-4111-8111-111111111111': { extension_type: 'property-extension', v: 1 } };
      await store.addObjects(col, [obj]);
      expect((await store.query(col, { ids: [obj.id] })).items[0].object).toEqual(obj);
    });

    it('deletes one version, then all versions, of an object', async () => {
      const c2 = (await store.createCollection({ title: 'del' })).id;
      await store.addObjects(c2, [ind(5, '2026-01-01T00:00:00.000Z'), ind(5, '2026-01-02T00:00:00.000Z'), ind(5, '2026-01-03T00:00:00.000Z')]);
      const id = ind(5, '').id;
      expect(await store.deleteObject(c2, id, { versions: ['2026-01-02T00:00:00.000Z'] })).toBe(1);
      expect(await store.deleteObject(c2, id, { versions: ['last'] })).toBe(1);
      expect((await store.query(c2, { ids: [id], versions: ['all'] })).items.map((i) => i.version)).toEqual(['2026-01-01T00:00:00.000Z']);
      expect(await store.deleteObject(c2, id)).toBe(1);
      expect(await store.count(c2)).toBe(0);
      expect(await store.deleteObject(c2, id)).toBe(0);
      expect(await store.deleteCollection(c2)).toBe(true);
      expect(await store.getCollection(c2)).toBeUndefined();
    });

    it('keeps match[version]=last right when versions arrive out of order and after deletes', async () => {
      const c4 = (await store.createCollection({ title: 'order' })).id;
      const id = ind(6, '').id;
      await store.addObjects(c4, [ind(6, '2026-01-03T00:00:00.000Z')]);
      await store.addObjects(c4, [ind(6, '2026-01-01T00:00:00.000Z'), ind(6, '2026-01-02T00:00:00.5Z')]);
      const last = async () => (await store.query(c4, { ids: [id] })).items.map((i) => i.version);
      expect(await last()).toEqual(['2026-01-03T00:00:00.000Z']);
      // With a spec_version filter the same answer comes from the subquery path.
      expect((await store.query(c4, { ids: [id], specVersions: ['2.1'] })).items.map((i) => i.version)).toEqual(['2026-01-03T00:00:00.000Z']);
      await store.deleteObject(c4, id, { versions: ['last'] });
      expect(await last()).toEqual(['2026-01-02T00:00:00.5Z']);
      await store.addObjects(c4, [ind(6, '2026-01-02T00:00:00.500Z')]); // same instant: a duplicate, not a new last
      expect(await last()).toEqual(['2026-01-02T00:00:00.5Z']);
      await store.addObjects(c4, [ind(6, '2026-01-02T00:00:00.6Z')]);
      expect(await last()).toEqual(['2026-01-02T00:00:00.6Z']);
      expect((await store.query(c4, { ids: [id], versions: ['all'] })).items).toHaveLength(3);
    });

    it('stores statuses, users, tokens and rights', async () => {
      await store.putStatus('s1', { id: 's1', status: 'complete' });
      expect(await store.getStatus('s1')).toEqual({ id: 's1', status: 'complete' });
      expect(await store.getStatus('nope')).toBeUndefined();
      const uname = `u-${Date.now()}`;
      await store.putUser({ name: uname, relation: 'community', names: ['identity--x'], admin: false, passwordHash: 'scrypt$h' });
      expect(await store.getUser(uname)).toEqual({ name: uname, relation: 'community', names: ['identity--x'], admin: false, passwordHash: 'scrypt$h' });
      await store.addToken({ id: `t-${uname}`, user: uname, secretHash: 'scrypt$t', created: '2026-01-01T00:00:00Z' });
      expect((await store.getToken(`t-${uname}`))?.user).toBe(uname);
      await store.setRight({ user: uname, collection: col, canRead: true, canWrite: false });
      await store.setRight({ user: uname, collection: col, canRead: true, canWrite: true });
      expect(await store.rightsOf(uname)).toEqual([{ user: uname, collection: col, canRead: true, canWrite: true }]);
      expect(await store.deleteUser(uname)).toBe(true);
      expect(await store.getToken(`t-${uname}`)).toBeUndefined();
      expect(await store.rightsOf(uname)).toEqual([]);
    });

    it('serialises concurrent writers without losing objects', async () => {
      const c3 = (await store.createCollection({ title: 'concurrent' })).id;
      await Promise.all(Array.from({ length: 10 }, (_, k) => store.addObjects(c3, [ind(100 + k, '2026-03-01T00:00:00.000Z'), malware(100 + k)])));
      expect(await store.count(c3)).toBe(20);
    });
  });
}
