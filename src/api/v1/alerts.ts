import { Hono } from 'hono';
import { techniqueUrl } from '../../alerts/index.js';
import { fail, intParam, requireRole, type Env } from '../http.js';
import { safeParse } from './events.js';

export const alertRoutes = new Hono<Env>();
alertRoutes.use('/alerts', requireRole('admin', 'analyst', 'viewer'));
alertRoutes.use('/alerts/*', requireRole('admin', 'analyst', 'viewer'));
alertRoutes.use('/overview', requireRole('admin', 'analyst', 'viewer'));

const num = (v: string | undefined): number | undefined => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

alertRoutes.get('/alerts', async (c) => {
  const p = c.get('principal');
  const q = c.req.query();
  const page = await c.get('deps').store.listAlerts(p.orgId, {
    levels: q.level ? q.level.split(',').filter(Boolean) : undefined,
    host: q.host || undefined,
    ruleId: q.rule || undefined,
    incidentId: q.incident || undefined,
    tactic: q.tactic || undefined,
    q: q.q ? q.q.slice(0, 200) : undefined,
    since: num(q.since),
    until: num(q.until),
    limit: intParam(q.limit, 50, 1, 500),
    offset: intParam(q.offset, 0, 0, 1_000_000),
  });
  return c.json(page);
});

/** One alert with its evidence: the stored raw events and ATT&CK links. */
alertRoutes.get('/alerts/:id', async (c) => {
  const p = c.get('principal');
  const store = c.get('deps').store;
  const alert = await store.getAlert(p.orgId, c.req.param('id'));
  if (!alert) return fail(c, 404, 'not_found', 'no such alert');
  const events = await store.getEvents(p.orgId, alert.eventSeqs);
  return c.json({
    alert,
    attack: alert.techniques.map((t) => ({ id: t, url: techniqueUrl(t) })),
    events: events.map((e) => ({ seq: e.seq, source: e.source, receivedAt: e.receivedAt, event: safeParse(e.raw) })),
  });
});

/** Dashboard figures: alert counts by time, level, tactic, host; sources; ingestion rate. */
alertRoutes.get('/overview', async (c) => {
  const p = c.get('principal');
  const deps = c.get('deps');
  const hours = intParam(c.req.query('hours'), 24 * 7, 1, 24 * 366);
  const since = c.req.query('since') !== undefined ? intParam(c.req.query('since'), 0, 0, Number.MAX_SAFE_INTEGER) : Date.now() - hours * 3600_000;
  const bucket = c.req.query('bucket') ? intParam(c.req.query('bucket'), 0, 0, 30 * 86_400_000) : 0;
  const [stats, sources, open, events] = await Promise.all([
    deps.store.alertStats(p.orgId, since, bucket),
    deps.store.listSources(p.orgId),
    deps.store.listIncidents(p.orgId, { statuses: ['new', 'triage', 'contained'], limit: 1 }),
    deps.store.countEvents(p.orgId),
  ]);
  return c.json({ since, bucketMs: stats.bucketMs, alerts: stats, sources, openIncidents: open.total, events, metrics: deps.metrics?.(p.orgId) });
});
