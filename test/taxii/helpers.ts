/** A TAXII app over an in-memory store with users of every relation, for the endpoint tests. */
import { createTaxiiApp, hashSecret, newToken, StoreTaxiiAuth, type TaxiiAppOptions } from '../../src/api/taxii/index.js';
import { TLP2_MARKING_IDS, type TlpLevel } from '../../src/stix/index.js';
import { openSqliteStixStore, type StixObject, type StixStore } from '../../src/store/index.js';

export const TAXII = 'application/taxii+json;version=2.1';
export const STIX = 'application/stix+json;version=2.1';
export const ORG = 'identity--0a0a0a0a-0000-4000-8000-000000000000';
export const PEER = 'identity--0b0b0b0b-0000-4000-8000-000000000000';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

export interface Fixture {
  store: StixStore;
  app: ReturnType<typeof createTaxiiApp>;
  /** Authorization header per user: admin, staff (same-org), client, peer (community), guest (public), reader (read-only), none (no rights). */
  auth: Record<string, string>;
  col: string;
}

export function obj(n: number, opts: { type?: string; modified?: string; tlp?: TlpLevel; extra?: Record<string, unknown> } = {}): StixObject {
  const type = opts.type ?? 'indicator';
  return {
    type,
    spec_version: '2.1',
    id: `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: opts.modified ?? '2026-01-01T00:00:00.000Z',
    ...(type === 'indicator' ? { pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' } : { name: `x${n}` }),
    ...(opts.tlp ? { object_marking_refs: [TLP2_MARKING_IDS[opts.tlp]] } : {}),
    ...opts.extra,
  };
}

export async function makeFixture(extra: Partial<TaxiiAppOptions> = {}): Promise<Fixture> {
  const store = await openSqliteStixStore(':memory:');
  const col = (await store.createCollection({ id: '91a7b528-80eb-42ed-a74d-c6fbd5a26116', title: 'Hospital intel', alias: 'intel' })).id;
  const other = (await store.createCollection({ id: 'other', title: 'Other' })).id;
  const users: [string, string, boolean, boolean, string?][] = [
    ['staff', 'same-org', true, true, ORG],
    ['client', 'client', true, false],
    ['peer', 'community', true, true, PEER],
    ['guest', 'public', true, false],
    ['reader', 'same-org', true, false],
    ['none', 'same-org', false, false],
  ];
  const auth: Record<string, string> = { admin: `Bearer ${ADMIN_TOKEN}` };
  const pw = await hashSecret('pw');
  for (const [name, relation, r, w, identity] of users) {
    await store.putUser({ name, relation, names: [], admin: false, passwordHash: pw, ...(identity ? { identity } : {}) });
    if (r || w) await store.setRight({ user: name, collection: col, canRead: r, canWrite: w });
    auth[name] = basic(name, 'pw');
  }
  await store.setRight({ user: 'none', collection: other, canRead: true, canWrite: false });
  const t = await newToken();
  await store.addToken({ id: t.id, user: 'staff', secretHash: t.secretHash, created: new Date().toISOString() });
  auth.staffToken = `Bearer ${t.token}`;
  const app = createTaxiiApp({ store, auth: new StoreTaxiiAuth(store, { adminToken: ADMIN_TOKEN, orgIdentity: ORG }), maxContentLength: 64 * 1024, ...extra });
  return { store, app, auth, col };
}

export async function call(f: Fixture, path: string, init: { method?: string; user?: string; accept?: string; body?: unknown; contentType?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { Accept: init.accept ?? TAXII, ...init.headers };
  if (init.user !== undefined) headers.Authorization = f.auth[init.user] ?? init.user;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['Content-Type'] = init.contentType ?? TAXII;
  }
  const res = await f.app.request(path, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, headers: res.headers, text };
}
