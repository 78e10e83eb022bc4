import type { MiddlewareHandler } from 'hono';
import { hashToken } from './auth.js';
import { fail, type Env } from './http.js';

/**
 * Every /api/v1 route except login authenticates with `Authorization: Bearer <token>` (RFC 6750
 * §2.1): a console session, an API token or a source token. The organisation of the token scopes
 * every query that follows.
 */
export const authenticate: MiddlewareHandler<Env> = async (c, next) => {
  const deps = c.get('deps');
  const h = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) {
    c.header('WWW-Authenticate', 'Bearer realm="ward"');
    return fail(c, 401, 'unauthenticated', 'missing bearer token');
  }
  const tok = await deps.store.findTokenByHash(hashToken(m[1]));
  const now = Date.now();
  if (!tok || tok.revoked || (tok.expiresAt !== undefined && tok.expiresAt < now)) {
    c.header('WWW-Authenticate', 'Bearer realm="ward", error="invalid_token"');
    return fail(c, 401, 'unauthenticated', 'invalid, revoked or expired token');
  }
  let role = tok.role;
  let email: string | undefined;
  if (tok.userId) {
    // The user's current role and status count, not those at the time the token was issued.
    const user = await deps.store.getUser(tok.orgId, tok.userId);
    if (!user || user.disabled) return fail(c, 401, 'unauthenticated', 'user disabled or removed');
    role = user.role;
    email = user.email;
  }
  c.set('principal', { orgId: tok.orgId, role, kind: tok.kind, tokenId: tok.id, name: tok.name, userId: tok.userId, email });
  if (!tok.lastUsedAt || now - tok.lastUsedAt > 60_000) void deps.store.touchToken(tok.id, now).catch(() => undefined);
  await next();
};
