import { Hono } from 'hono';
import { applyPatch, INCIDENT_STATUSES, validatePatch, type IncidentPatch, type IncidentStatus } from '../../alerts/index.js';
import { fail, intParam, jsonBody, requireRole, type Env } from '../http.js';

export const incidentRoutes = new Hono<Env>();

incidentRoutes.get('/incidents', requireRole('admin', 'analyst', 'viewer'), async (c) => {
  const p = c.get('principal');
  const q = c.req.query();
  const statuses = q.status ? (q.status.split(',').filter((s) => INCIDENT_STATUSES.includes(s as never)) as IncidentStatus[]) : undefined;
  const page = await c.get('deps').store.listIncidents(p.orgId, {
    statuses,
    assignee: q.assignee || undefined,
    q: q.q ? q.q.slice(0, 200) : undefined,
    limit: intParam(q.limit, 50, 1, 500),
    offset: intParam(q.offset, 0, 0, 1_000_000),
  });
  return c.json(page);
});

incidentRoutes.get('/incidents/:id', requireRole('admin', 'analyst', 'viewer'), async (c) => {
  const p = c.get('principal');
  const store = c.get('deps').store;
  const incident = await store.getIncident(p.orgId, c.req.param('id'));
  if (!incident) return fail(c, 404, 'not_found', 'no such incident');
  const alerts = await store.listAlerts(p.orgId, { incidentId: incident.id, limit: 500 });
  return c.json({ incident, alerts: alerts.items });
});

/** Workflow: status (new → triage → contained → closed, any order allowed), assignee, notes. */
incidentRoutes.patch('/incidents/:id', requireRole('admin', 'analyst'), async (c) => {
  const p = c.get('principal');
  const deps = c.get('deps');
  const body = await jsonBody(c);
  const problem = validatePatch(body);
  if (problem) return fail(c, 400, 'bad_request', problem);
  const patch = body as IncidentPatch;
  const actor = p.email ?? p.name;
  let updated;
  if (deps.incidents) updated = await deps.incidents.update(p.orgId, c.req.param('id'), patch, actor);
  else {
    const inc = await deps.store.getIncident(p.orgId, c.req.param('id'));
    if (inc) {
      updated = applyPatch(inc, patch, actor);
      await deps.store.saveIncident(updated);
    }
  }
  if (!updated) return fail(c, 404, 'not_found', 'no such incident');
  return c.json({ incident: updated });
});
