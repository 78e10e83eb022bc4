import { Hono } from 'hono';
import { ROLES, type Role } from '../../store/index.js';
import { hashPassword, hashToken, newToken, passwordProblem, tokenPrefix } from '../auth.js';
import { fail, jsonBody, requireRole, type Env } from '../http.js';

export const adminRoutes = new Hono<Env>();

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const isRole = (r: unknown): r is Role => ROLES.includes(r as Role);
const publicUser = (u: { id: string; email: string; name: string; role: Role; disabled: boolean; createdAt: number }) => ({
  id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled, createdAt: u.createdAt,
});

adminRoutes.get('/users', requireRole('admin', 'analyst', 'viewer'), async (c) => {
  const users = await c.get('deps').store.listUsers(c.get('principal').orgId);
  return c.json({ items: users.map(publicUser) });
});

adminRoutes.post('/users', requireRole('admin'), async (c) => {
  const store = c.get('deps').store;
  const b = (await jsonBody(c)) as { email?: unknown; name?: unknown; role?: unknown; password?: unknown } | undefined;
  if (typeof b?.email !== 'string' || !EMAIL.test(b.email)) return fail(c, 400, 'bad_request', 'email must be an e-mail address');
  if (!isRole(b.role)) return fail(c, 400, 'bad_request', `role must be one of ${ROLES.join(', ')}`);
  const problem = passwordProblem(b.password);
  if (problem) return fail(c, 400, 'bad_request', problem);
  if (await store.getUserByEmail(b.email)) return fail(c, 409, 'conflict', 'a user with this e-mail exists');
  const user = await store.createUser({
    orgId: c.get('principal').orgId, email: b.email, name: typeof b.name === 'string' ? b.name.slice(0, 200) : b.email,
    role: b.role, passwordHash: await hashPassword(b.password as string),
  });
  return c.json({ user: publicUser(user) }, 201);
});

adminRoutes.patch('/users/:id', requireRole('admin'), async (c) => {
  const store = c.get('deps').store;
  const p = c.get('principal');
  const b = (await jsonBody(c)) as { role?: unknown; disabled?: unknown; name?: unknown; password?: unknown } | undefined;
  if (!b || typeof b !== 'object') return fail(c, 400, 'bad_request', 'body must be a JSON object');
  const patch: { role?: Role; disabled?: boolean; name?: string; passwordHash?: string } = {};
  if (b.role !== undefined) {
    if (!isRole(b.role)) return fail(c, 400, 'bad_request', `role must be one of ${ROLES.join(', ')}`);
    patch.role = b.role;
  }
  if (b.disabled !== undefined) {
    if (typeof b.disabled !== 'boolean') return fail(c, 400, 'bad_request', 'disabled must be a boolean');
    patch.disabled = b.disabled;
  }
  if (typeof b.name === 'string') patch.name = b.name.slice(0, 200);
  if (b.password !== undefined) {
    const problem = passwordProblem(b.password);
    if (problem) return fail(c, 400, 'bad_request', problem);
    patch.passwordHash = await hashPassword(b.password as string);
  }
  if (c.req.param('id') === p.userId && (patch.disabled || (patch.role && patch.role !== 'admin'))) {
    return fail(c, 400, 'bad_request', 'admins cannot demote or disable themselves');
  }
  const u = await store.updateUser(p.orgId, c.req.param('id'), patch);
  if (!u) return fail(c, 404, 'not_found', 'no such user');
  return c.json({ user: publicUser(u) });
});

adminRoutes.get('/tokens', requireRole('admin'), async (c) => {
  const tokens = await c.get('deps').store.listTokens(c.get('principal').orgId);
  return c.json({
    items: tokens.map((t) => ({ id: t.id, name: t.name, kind: t.kind, role: t.role, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revoked: t.revoked })),
  });
});

/** Creates a source token (sends events as source `name`) or an API token; the secret is shown once. */
adminRoutes.post('/tokens', requireRole('admin'), async (c) => {
  const b = (await jsonBody(c)) as { name?: unknown; kind?: unknown; role?: unknown } | undefined;
  if (typeof b?.name !== 'string' || !/^[\w.:@-]{1,100}$/.test(b.name)) return fail(c, 400, 'bad_request', 'name must be 1-100 characters of [A-Za-z0-9_.:@-]');
  const kind = b.kind ?? 'source';
  if (kind !== 'source' && kind !== 'api') return fail(c, 400, 'bad_request', 'kind must be "source" or "api"');
  const role = b.role ?? (kind === 'source' ? 'viewer' : 'analyst');
  if (!isRole(role)) return fail(c, 400, 'bad_request', `role must be one of ${ROLES.join(', ')}`);
  const secret = newToken();
  const t = await c.get('deps').store.createToken({
    orgId: c.get('principal').orgId, name: b.name, kind, role, hash: hashToken(secret), prefix: tokenPrefix(secret),
  });
  return c.json({ token: secret, id: t.id, name: t.name, kind: t.kind, role: t.role }, 201);
});

adminRoutes.delete('/tokens/:id', requireRole('admin'), async (c) => {
  const ok = await c.get('deps').store.revokeToken(c.get('principal').orgId, c.req.param('id'));
  if (!ok) return fail(c, 404, 'not_found', 'no such token');
  return c.json({ ok: true });
});

adminRoutes.get('/sources', requireRole('admin', 'analyst', 'viewer'), async (c) => {
  const p = c.get('principal');
  const deps = c.get('deps');
  return c.json({ items: await deps.store.listSources(p.orgId), listeners: deps.metrics?.(p.orgId).listeners ?? [] });
});

/**
 * Organisations: the operator organisation (the first, created at bootstrap) may create tenants,
 * each with its first admin. Everyone else sees only their own organisation.
 */
adminRoutes.get('/orgs', requireRole('admin', 'analyst', 'viewer'), async (c) => {
  const store = c.get('deps').store;
  const p = c.get('principal');
  const orgs = await store.listOrgs();
  const operator = orgs[0]?.id === p.orgId && p.role === 'admin';
  return c.json({ items: operator ? orgs : orgs.filter((o) => o.id === p.orgId) });
});

adminRoutes.post('/orgs', requireRole('admin'), async (c) => {
  const store = c.get('deps').store;
  const p = c.get('principal');
  if ((await store.listOrgs())[0]?.id !== p.orgId) return fail(c, 403, 'forbidden', 'only the operator organisation creates organisations');
  const b = (await jsonBody(c)) as { name?: unknown; slug?: unknown; adminEmail?: unknown; adminPassword?: unknown } | undefined;
  if (typeof b?.name !== 'string' || !b.name.trim()) return fail(c, 400, 'bad_request', 'name required');
  if (typeof b.slug !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(b.slug)) return fail(c, 400, 'bad_request', 'slug must match [a-z0-9-]{1,63}');
  if (typeof b.adminEmail !== 'string' || !EMAIL.test(b.adminEmail)) return fail(c, 400, 'bad_request', 'adminEmail required');
  const problem = passwordProblem(b.adminPassword);
  if (problem) return fail(c, 400, 'bad_request', `adminPassword: ${problem}`);
  if (await store.getOrgBySlug(b.slug)) return fail(c, 409, 'conflict', 'slug taken');
  if (await store.getUserByEmail(b.adminEmail)) return fail(c, 409, 'conflict', 'a user with this e-mail exists');
  const org = await store.createOrg({ name: b.name.trim().slice(0, 200), slug: b.slug });
  const admin = await store.createUser({ orgId: org.id, email: b.adminEmail, name: b.adminEmail, role: 'admin', passwordHash: await hashPassword(b.adminPassword as string) });
  return c.json({ org, admin: publicUser(admin) }, 201);
});
