import { Hono } from 'hono';
import { parseBatch, readBody } from '../batch.js';
import { DEFAULT_LIMITS } from '../deps.js';
import { fail, intParam, requireRole, type Env } from '../http.js';

export const eventRoutes = new Hono<Env>();

/**
 * POST /events: a JSON array or NDJSON batch, optionally gzip-compressed. Answered 200 only after
 * the batch is durably stored; 400 names the bad lines (nothing is stored); 413 for oversized
 * bodies; 429/503 with Retry-After when ingestion is saturated (RFC 9110 §10.2.3).
 */
eventRoutes.post('/events', async (c) => {
  const deps = c.get('deps');
  const p = c.get('principal');
  if (p.kind !== 'source' && p.role === 'viewer') return fail(c, 403, 'forbidden', 'viewers cannot send events');
  if (!deps.ingest) return fail(c, 503, 'unavailable', 'ingestion is not enabled');
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const declared = Number(c.req.header('content-length') ?? 0);
  const adm = deps.ingest.admit(p.orgId, Number.isFinite(declared) ? declared : 0);
  if (!adm.ok) {
    c.header('Retry-After', String(adm.retryAfter));
    return fail(c, adm.status, 'overloaded', adm.reason, { retryAfter: adm.retryAfter });
  }
  const body = await readBody(c.req.raw, limits);
  if (!body.ok) return fail(c, body.status, body.status === 413 ? 'too_large' : 'bad_request', body.message);
  const batch = parseBatch(body.text, limits);
  if (!batch.ok) {
    return fail(c, batch.status, batch.status === 413 ? 'too_large' : 'malformed', batch.message, { errors: batch.errors, errorCount: batch.errorCount });
  }
  const source = p.kind === 'source' ? p.name : (c.req.query('source') ?? `api:${p.email ?? p.name}`).slice(0, 200);
  const format = (c.req.query('format') ?? batch.format).slice(0, 40);
  try {
    const r = await deps.ingest.ingest(p.orgId, source, format, batch.records);
    return c.json({ accepted: r.accepted, firstSeq: r.firstSeq, lastSeq: r.lastSeq });
  } catch (err) {
    const e = err as { status?: number; retryAfter?: number; message?: string };
    if (e.status === 503 || e.status === 429) {
      c.header('Retry-After', String(e.retryAfter ?? 1));
      return fail(c, e.status, 'overloaded', e.message ?? 'overloaded', { retryAfter: e.retryAfter ?? 1 });
    }
    throw err;
  }
});

/** Recent stored events (newest first), for browsing evidence. */
eventRoutes.get('/events', requireRole('admin', 'analyst', 'viewer'), async (c) => {
  const deps = c.get('deps');
  const p = c.get('principal');
  const before = c.req.query('before');
  const events = await deps.store.listEvents(p.orgId, {
    beforeSeq: before ? intParam(before, 0, 0, Number.MAX_SAFE_INTEGER) : undefined,
    source: c.req.query('source'),
    limit: intParam(c.req.query('limit'), 50, 1, 500),
  });
  return c.json({ items: events.map((e) => ({ seq: e.seq, source: e.source, format: e.format, receivedAt: e.receivedAt, event: safeParse(e.raw) })) });
});

export function safeParse(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
