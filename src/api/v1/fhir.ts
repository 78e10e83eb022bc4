import { Hono } from 'hono';
import { parseBatch, readBody } from '../batch.js';
import { DEFAULT_LIMITS, type IngestRecord } from '../deps.js';
import type { Env } from '../http.js';

export const fhirRoutes = new Hono<Env>();

/** FHIR answers with an OperationOutcome (FHIR R4 §3.1.0.5 / RESTful API: create). */
const outcome = (severity: 'error' | 'information', code: string, diagnostics: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity, code, diagnostics }],
});

/**
 * POST /fhir/AuditEvent: a FHIR server (or an IHE BALP audit forwarder) sends AuditEvent
 * resources straight to Ward — one resource, a Bundle of them, or NDJSON. They join the same
 * durable ingestion path as /api/v1/events, read by the `fhir-audit` layout.
 */
fhirRoutes.post('/AuditEvent', async (c) => {
  const deps = c.get('deps');
  const p = c.get('principal');
  if (p.kind !== 'source' && p.role === 'viewer') return c.json(outcome('error', 'forbidden', 'viewers cannot send events'), 403);
  if (!deps.ingest) return c.json(outcome('error', 'transient', 'ingestion is not enabled'), 503);
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const adm = deps.ingest.admit(p.orgId, Number(c.req.header('content-length') ?? 0) || 0);
  if (!adm.ok) {
    c.header('Retry-After', String(adm.retryAfter));
    return c.json(outcome('error', 'throttled', adm.reason), adm.status);
  }
  const body = await readBody(c.req.raw, limits);
  if (!body.ok) return c.json(outcome('error', body.status === 413 ? 'too-costly' : 'invalid', body.message), body.status);
  const batch = parseBatch(body.text, limits);
  if (!batch.ok) return c.json({ ...outcome('error', 'invalid', batch.message), errors: batch.errors }, batch.status);
  const records: IngestRecord[] = [];
  for (const r of batch.records) {
    const res = r.data as { resourceType?: string; entry?: { resource?: Record<string, unknown> }[] };
    if (res.resourceType === 'Bundle') {
      for (const e of res.entry ?? []) if (e.resource?.resourceType === 'AuditEvent') records.push({ data: e.resource });
    } else if (res.resourceType === 'AuditEvent') records.push(r);
    else return c.json(outcome('error', 'invalid', `expected AuditEvent or Bundle, got ${String(res.resourceType)}`), 400);
  }
  if (records.length === 0) return c.json(outcome('error', 'invalid', 'no AuditEvent resources in the request'), 400);
  const source = p.kind === 'source' ? p.name : `fhir:${p.email ?? p.name}`;
  const r = await deps.ingest.ingest(p.orgId, source.slice(0, 200), 'fhir-audit', records);
  return c.json(outcome('information', 'informational', `accepted ${r.accepted} AuditEvent resource(s)`), 201);
});
