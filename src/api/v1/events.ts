import { Hono } from 'hono';
import { parseBatchBytes, readBodyBytes, type NodeBody } from '../batch.js';
import { DEFAULT_LIMITS, type IngestRecord, type RawLines } from '../deps.js';
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
  const bytes = Number.isFinite(declared) ? declared : 0;
  const adm = deps.ingest.admitWhenReady ? await deps.ingest.admitWhenReady(p.orgId, bytes) : deps.ingest.admit(p.orgId, bytes);
  if (!adm.ok) {
    c.header('Retry-After', String(adm.retryAfter));
    return fail(c, adm.status, 'overloaded', adm.reason, { retryAfter: adm.retryAfter });
  }
  // Under @hono/node-server the Node request is in the bindings: read it without web streams.
  const incoming = (c.env as { incoming?: NodeBody } | undefined)?.incoming;
  const body = await readBodyBytes(c.req.raw, limits, incoming);
  if (!body.ok) return fail(c, body.status, body.status === 413 ? 'too_large' : 'bad_request', body.message);
  const batch = parseBatchBytes(body.buf, limits);
  if (!batch.ok) {
    return fail(c, batch.status, batch.status === 413 ? 'too_large' : 'malformed', batch.message, { errors: batch.errors, errorCount: batch.errorCount });
  }
  const source = p.kind === 'source' ? p.name : (c.req.query('source') ?? `api:${p.email ?? p.name}`).slice(0, 200);
  const format = (c.req.query('format') ?? batch.format).slice(0, 40);
  try {
    let r: { accepted: number; firstSeq?: number; lastSeq?: number };
    if (!('lines' in batch)) r = await deps.ingest.ingest(p.orgId, source, format, batch.records);
    else if (deps.ingest.ingestLines) r = await deps.ingest.ingestLines(p.orgId, source, format, batch.lines);
    else r = await deps.ingest.ingest(p.orgId, source, format, linesToRecords(batch.lines));
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

function linesToRecords(lines: RawLines): IngestRecord[] {
  const out: IngestRecord[] = new Array(lines.count);
  for (let i = 0; i < lines.count; i++) {
    const raw = lines.buf.toString('utf8', lines.offsets[2 * i], lines.offsets[2 * i + 1]);
    out[i] = { data: JSON.parse(raw) as Record<string, unknown>, raw };
  }
  return out;
}

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
