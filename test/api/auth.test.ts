import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/index.js';
import { ADMIN, mimikatz, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.stop();
});

const login = async (email: string, password: string) => {
  const r = await s.req('/api/v1/auth/login', { method: 'POST', token: '', json: { email, password } });
  return { status: r.status, body: (await r.json()) as { token: string; user: { role: string }; error?: { code: string } } };
};

describe('authentication', () => {
  it('every /api/v1 route except login refuses requests without a valid token', async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (path === '/auth/login') continue;
        const url = `/api/v1${path.replace(/\{\w+\}/g, 'x1')}`;
        for (const token of ['', 'ward_not_a_real_token']) {
          const r = await s.req(url, { method: method.toUpperCase(), token, json: method === 'get' || method === 'delete' ? undefined : {} });
          expect(r.status, `${method} ${url} with token "${token}"`).toBe(401);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    // unknown routes under the API are not a way around auth either
    expect((await s.req('/api/v1/nope', { token: '' })).status).toBe(401);
  });

  it('logs in with the bootstrap admin; wrong passwords and unknown users get the same 401', async () => {
    const ok = await login(ADMIN.email, ADMIN.password);
    expect(ok.status).toBe(200);
    expect(ok.body.user.role).toBe('admin');
    const me = await s.req('/api/v1/me', { token: ok.body.token });
    expect(await me.json()).toMatchObject({ role: 'admin', kind: 'session', email: ADMIN.email });
    expect((await login(ADMIN.email, 'wrong password!')).status).toBe(401);
    expect((await login('nobody@x.test', 'wrong password!')).status).toBe(401);
    // logout revokes the session
    expect((await s.req('/api/v1/auth/logout', { method: 'POST', token: ok.body.token })).status).toBe(200);
    expect((await s.req('/api/v1/me', { token: ok.body.token })).status).toBe(401);
  });

  it('stores passwords as scrypt hashes, never in clear', async () => {
    const u = await s.ward.store.getUserByEmail(ADMIN.email);
    expect(u?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(u?.passwordHash).not.toContain(ADMIN.password);
  });

  it('refuses oversized or non-JSON login bodies without reading them whole', async () => {
    const big = JSON.stringify({ email: 'x@y.z', password: 'p'.repeat(100 * 1024) });
    expect((await s.req('/api/v1/auth/login', { method: 'POST', token: '', body: big })).status).toBe(400);
    expect((await s.req('/api/v1/auth/login', { method: 'POST', token: '', body: 'not json' })).status).toBe(400);
  });

  it('rate-limits repeated failed logins', async () => {
    let last = 0;
    for (let i = 0; i < 11; i++) last = (await login('victim@x.test', `guess-${i}-xxxxxx`)).status;
    expect(last).toBe(429);
  });
});

describe('roles', () => {
  let analyst: string;
  let viewer: string;
  let source: string;
  beforeAll(async () => {
    for (const [email, role] of [['ana@hospital.test', 'analyst'], ['vic@hospital.test', 'viewer']]) {
      const r = await s.req('/api/v1/users', { method: 'POST', json: { email, role, password: 'long enough pw' } });
      expect(r.status).toBe(201);
    }
    analyst = (await login('ana@hospital.test', 'long enough pw')).body.token;
    viewer = (await login('vic@hospital.test', 'long enough pw')).body.token;
    const t = await s.req('/api/v1/tokens', { method: 'POST', json: { name: 'dc01', kind: 'source' } });
    expect(t.status).toBe(201);
    source = ((await t.json()) as { token: string }).token;
    const ing = await s.req('/api/v1/events', { method: 'POST', token: source, body: JSON.stringify([mimikatz('RVH-WS1')]) });
    expect(ing.status).toBe(200);
    await s.ward.pipeline.idle();
  });

  it('viewers read but cannot change incidents, send events or manage users', async () => {
    expect((await s.req('/api/v1/alerts', { token: viewer })).status).toBe(200);
    const inc = ((await (await s.req('/api/v1/incidents', { token: viewer })).json()) as { items: { id: string }[] }).items[0];
    expect(inc).toBeDefined();
    expect((await s.req(`/api/v1/incidents/${inc.id}`, { method: 'PATCH', token: viewer, json: { status: 'triage' } })).status).toBe(403);
    expect((await s.req('/api/v1/events', { method: 'POST', token: viewer, body: '{"a":1}' })).status).toBe(403);
    expect((await s.req('/api/v1/users', { method: 'POST', token: viewer, json: { email: 'x@y.z', role: 'admin', password: 'long enough pw' } })).status).toBe(403);
    expect((await s.req('/api/v1/rules/x', { method: 'PUT', token: viewer, json: { enabled: false } })).status).toBe(403);
  });

  it('analysts work incidents and send events, but cannot manage users, tokens or reload rules', async () => {
    const inc = ((await (await s.req('/api/v1/incidents', { token: analyst })).json()) as { items: { id: string }[] }).items[0];
    expect((await s.req(`/api/v1/incidents/${inc.id}`, { method: 'PATCH', token: analyst, json: { status: 'triage' } })).status).toBe(200);
    expect((await s.req('/api/v1/events', { method: 'POST', token: analyst, body: '{"a":1}' })).status).toBe(200);
    expect((await s.req('/api/v1/tokens', { token: analyst })).status).toBe(403);
    expect((await s.req('/api/v1/tokens', { method: 'POST', token: analyst, json: { name: 'x' } })).status).toBe(403);
    expect((await s.req('/api/v1/users', { method: 'POST', token: analyst, json: { email: 'x@y.z', role: 'admin', password: 'long enough pw' } })).status).toBe(403);
    expect((await s.req('/api/v1/rules/reload', { method: 'POST', token: analyst })).status).toBe(403);
  });

  it('source tokens only send events', async () => {
    expect((await s.req('/api/v1/alerts', { token: source })).status).toBe(403);
    expect((await s.req('/api/v1/incidents', { token: source })).status).toBe(403);
    expect((await s.req('/api/v1/events', { token: source })).status).toBe(403);
  });

  it('a role change applies to existing sessions; disabled users are locked out; revoked tokens stop working', async () => {
    const users = ((await (await s.req('/api/v1/users')).json()) as { items: { id: string; email: string }[] }).items;
    const vic = users.find((u) => u.email === 'vic@hospital.test')!;
    expect((await s.req(`/api/v1/users/${vic.id}`, { method: 'PATCH', json: { role: 'analyst' } })).status).toBe(200);
    const inc = ((await (await s.req('/api/v1/incidents', { token: viewer })).json()) as { items: { id: string }[] }).items[0];
    expect((await s.req(`/api/v1/incidents/${inc.id}`, { method: 'PATCH', token: viewer, json: { note: 'now I can' } })).status).toBe(200);
    expect((await s.req(`/api/v1/users/${vic.id}`, { method: 'PATCH', json: { disabled: true } })).status).toBe(200);
    expect((await s.req('/api/v1/alerts', { token: viewer })).status).toBe(401);
    const toks = ((await (await s.req('/api/v1/tokens')).json()) as { items: { id: string; name: string }[] }).items;
    const dc = toks.find((t) => t.name === 'dc01')!;
    expect((await s.req(`/api/v1/tokens/${dc.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await s.req('/api/v1/events', { method: 'POST', token: source, body: '{"a":1}' })).status).toBe(401);
  });

  it('rejects weak passwords and duplicate users', async () => {
    expect((await s.req('/api/v1/users', { method: 'POST', json: { email: 'w@h.test', role: 'viewer', password: 'short' } })).status).toBe(400);
    expect((await s.req('/api/v1/users', { method: 'POST', json: { email: 'ana@hospital.test', role: 'viewer', password: 'long enough pw' } })).status).toBe(409);
    expect((await s.req('/api/v1/users', { method: 'POST', json: { email: 'w@h.test', role: 'root', password: 'long enough pw' } })).status).toBe(400);
  });
});

describe('tenant isolation', () => {
  it('an organisation never sees or changes another organisation’s data', async () => {
    const created = await s.req('/api/v1/orgs', {
      method: 'POST',
      json: { name: 'Other Hospital', slug: 'other', adminEmail: 'admin@other.test', adminPassword: 'other admin pw' },
    });
    expect(created.status).toBe(201);
    const b = (await login('admin@other.test', 'other admin pw')).body.token;
    // B sends its own events
    expect((await s.req('/api/v1/events', { method: 'POST', token: b, body: JSON.stringify([mimikatz('OTHER-WS9', 'b.user')]) })).status).toBe(200);
    await s.ward.pipeline.idle();
    const aAlerts = ((await (await s.req('/api/v1/alerts')).json()) as { items: { id: string; host: string; orgId: string }[] }).items;
    const bAlerts = ((await (await s.req('/api/v1/alerts', { token: b })).json()) as { items: { id: string; host: string; orgId: string }[] }).items;
    expect(bAlerts.map((a) => a.host)).toEqual(['OTHER-WS9']);
    expect(aAlerts.some((a) => a.host === 'OTHER-WS9')).toBe(false);
    expect(aAlerts.length).toBeGreaterThan(0);
    // direct access by id to the other tenant's objects is a 404, never the object
    expect((await s.req(`/api/v1/alerts/${aAlerts[0].id}`, { token: b })).status).toBe(404);
    expect((await s.req(`/api/v1/alerts/${bAlerts[0].id}`)).status).toBe(404);
    const aInc = ((await (await s.req('/api/v1/incidents')).json()) as { items: { id: string }[] }).items[0];
    expect((await s.req(`/api/v1/incidents/${aInc.id}`, { token: b })).status).toBe(404);
    expect((await s.req(`/api/v1/incidents/${aInc.id}`, { method: 'PATCH', token: b, json: { status: 'closed' } })).status).toBe(404);
    expect(((await (await s.req(`/api/v1/incidents/${aInc.id}`)).json()) as { incident: { status: string } }).incident.status).not.toBe('closed');
    // users, tokens, sources, events, overview, orgs are scoped too
    const bUsers = ((await (await s.req('/api/v1/users', { token: b })).json()) as { items: { email: string }[] }).items;
    expect(bUsers.map((u) => u.email)).toEqual(['admin@other.test']);
    expect(((await (await s.req('/api/v1/tokens', { token: b })).json()) as { items: unknown[] }).items).toEqual([]);
    const bEvents = ((await (await s.req('/api/v1/events', { token: b })).json()) as { items: { event: { Computer: string } }[] }).items;
    expect(bEvents.map((e) => e.event.Computer)).toEqual(['OTHER-WS9']);
    const bOverview = (await (await s.req('/api/v1/overview?since=0', { token: b })).json()) as { alerts: { total: number }; events: number };
    expect(bOverview).toMatchObject({ alerts: { total: 1 }, events: 1 });
    const bOrgs = ((await (await s.req('/api/v1/orgs', { token: b })).json()) as { items: { slug: string }[] }).items;
    expect(bOrgs.map((o) => o.slug)).toEqual(['other']);
    expect((await s.req('/api/v1/orgs', { method: 'POST', token: b, json: { name: 'x', slug: 'x', adminEmail: 'x@x.x', adminPassword: 'long enough pw' } })).status).toBe(403);
    // A's admin cannot manage B's users
    const bAdminId = ((await (await s.req('/api/v1/users', { token: b })).json()) as { items: { id: string }[] }).items[0].id;
    expect((await s.req(`/api/v1/users/${bAdminId}`, { method: 'PATCH', json: { disabled: true } })).status).toBe(404);
  });
});

describe('documents', () => {
  it('serves the OpenAPI document at /api/docs', async () => {
    const r = await fetch(`${s.url}/api/docs`);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/events');
  });
});
