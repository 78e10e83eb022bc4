import { Hono } from 'hono';
import { fail, jsonBody, requireRole, type Env } from '../http.js';

export const ruleRoutes = new Hono<Env>();

ruleRoutes.get('/rules', requireRole('admin', 'analyst', 'viewer'), async (c) => {
  const rules = c.get('deps').rules;
  if (!rules) return c.json({ loaded: [], failed: [] });
  return c.json(await rules.list(c.get('principal').orgId));
});

/** Enables or disables a rule for the caller's organisation only. */
ruleRoutes.put('/rules/:id', requireRole('admin', 'analyst'), async (c) => {
  const rules = c.get('deps').rules;
  const body = (await jsonBody(c)) as { enabled?: unknown } | undefined;
  if (typeof body?.enabled !== 'boolean') return fail(c, 400, 'bad_request', 'body must be {"enabled": true|false}');
  if (!rules) return fail(c, 404, 'not_found', 'no rules loaded');
  const ok = await rules.setEnabled(c.get('principal').orgId, c.req.param('id'), body.enabled);
  if (!ok) return fail(c, 404, 'not_found', 'no such rule');
  return c.json({ id: c.req.param('id'), enabled: body.enabled });
});

/** Re-reads the rule folders without a restart; detection switches atomically to the new set. */
ruleRoutes.post('/rules/reload', requireRole('admin'), async (c) => {
  const rules = c.get('deps').rules;
  if (!rules) return fail(c, 404, 'not_found', 'no rule folders configured');
  return c.json(await rules.reload());
});
