import type { Context, MiddlewareHandler } from 'hono';
import type { Role } from '../store/index.js';
import { readBody } from './batch.js';
import { DEFAULT_LIMITS, type ApiDeps, type Principal } from './deps.js';

export type Env = { Variables: { principal: Principal; deps: ApiDeps } };

/** Error bodies are `{ error: { code, message, ...details } }` everywhere. */
export function fail(c: Context, status: number, code: string, message: string, details: Record<string, unknown> = {}): Response {
  return c.json({ error: { code, message, ...details } }, status as 400);
}

export function requireRole(...roles: Role[]): MiddlewareHandler<Env> {
  return async (c, next) => {
    const p = c.get('principal');
    if (p.kind === 'source') return fail(c, 403, 'forbidden', 'source tokens may only send events');
    if (!roles.includes(p.role)) return fail(c, 403, 'forbidden', `requires role ${roles.join(' or ')}`);
    await next();
  };
}

/**
 * Reads a small JSON body (≤ 64 KiB, counted while reading so a huge body is never buffered);
 * undefined when it is too large or not JSON.
 */
export async function jsonBody(c: Context): Promise<unknown> {
  const body = await readBody(c.req.raw, { ...DEFAULT_LIMITS, maxBodyBytes: 64 * 1024, maxDecodedBytes: 64 * 1024 });
  if (!body.ok) return undefined;
  try {
    return JSON.parse(body.text) as unknown;
  } catch {
    return undefined;
  }
}

export function intParam(v: string | undefined, def: number, min: number, max: number): number {
  const n = v === undefined ? NaN : Number(v);
  if (!Number.isFinite(n)) return def;
  return Math.max(min, Math.min(max, Math.trunc(n)));
}
