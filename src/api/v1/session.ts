import { Hono } from 'hono';
import { hashPassword, hashToken, newToken, passwordProblem, tokenPrefix, verifyPassword } from '../auth.js';
import { authenticate } from '../authenticate.js';
import { fail, jsonBody, type Env } from '../http.js';

/** Failed logins per e-mail: 10 per 15 minutes, then 429 (slows password guessing). */
const failures = new Map<string, { n: number; since: number }>();
const WINDOW = 15 * 60_000;
// A fixed hash to spend the same time on unknown e-mails as on wrong passwords.
const dummyHash = hashPassword('not-a-real-password-ward');

export const sessionRoutes = new Hono<Env>();

sessionRoutes.post('/auth/login', async (c) => {
  const deps = c.get('deps');
  const body = (await jsonBody(c)) as { email?: unknown; password?: unknown } | undefined;
  if (!body || typeof body.email !== 'string' || typeof body.password !== 'string') {
    return fail(c, 400, 'bad_request', 'body must be {"email": "...", "password": "..."}');
  }
  const key = body.email.toLowerCase();
  const now = Date.now();
  const f = failures.get(key);
  if (f && now - f.since < WINDOW && f.n >= 10) {
    c.header('Retry-After', String(Math.ceil((f.since + WINDOW - now) / 1000)));
    return fail(c, 429, 'too_many_attempts', 'too many failed logins; try again later');
  }
  const user = await deps.store.getUserByEmail(body.email);
  const ok = user ? await verifyPassword(body.password, user.passwordHash) : (await verifyPassword(body.password, await dummyHash), false);
  if (!user || !ok || user.disabled) {
    if (failures.size > 10_000) for (const [k, v] of failures) if (now - v.since >= WINDOW) failures.delete(k);
    if (!f || now - f.since >= WINDOW) failures.set(key, { n: 1, since: now });
    else f.n++;
    return fail(c, 401, 'unauthenticated', 'wrong e-mail or password');
  }
  failures.delete(key);
  const token = newToken();
  const ttl = deps.sessionTtlMs ?? 12 * 60 * 60_000;
  await deps.store.createToken({
    orgId: user.orgId, userId: user.id, name: `session:${user.email}`, kind: 'session', role: user.role,
    hash: hashToken(token), prefix: tokenPrefix(token), expiresAt: now + ttl,
  });
  const org = await deps.store.getOrg(user.orgId);
  return c.json({
    token,
    expiresAt: now + ttl,
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    org: org && { id: org.id, name: org.name, slug: org.slug },
  });
});

sessionRoutes.post('/auth/logout', authenticate, async (c) => {
  const p = c.get('principal');
  if (p.kind === 'session') await c.get('deps').store.revokeToken(p.orgId, p.tokenId);
  return c.json({ ok: true });
});

sessionRoutes.get('/me', authenticate, async (c) => {
  const p = c.get('principal');
  const org = await c.get('deps').store.getOrg(p.orgId);
  return c.json({ orgId: p.orgId, org: org && { id: org.id, name: org.name, slug: org.slug }, role: p.role, kind: p.kind, email: p.email, name: p.name });
});

sessionRoutes.post('/me/password', authenticate, async (c) => {
  const p = c.get('principal');
  const deps = c.get('deps');
  const body = (await jsonBody(c)) as { current?: unknown; password?: unknown } | undefined;
  if (!p.userId) return fail(c, 400, 'bad_request', 'only users have passwords');
  const user = await deps.store.getUser(p.orgId, p.userId);
  if (!user || typeof body?.current !== 'string' || !(await verifyPassword(body.current, user.passwordHash))) {
    return fail(c, 403, 'forbidden', 'current password is wrong');
  }
  const problem = passwordProblem(body.password);
  if (problem) return fail(c, 400, 'bad_request', problem);
  await deps.store.updateUser(p.orgId, p.userId, { passwordHash: await hashPassword(body.password as string) });
  return c.json({ ok: true });
});
