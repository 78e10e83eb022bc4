import { Hono } from 'hono';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { authenticate } from './authenticate.js';
import { fhirRoutes } from './v1/fhir.js';
import type { ApiDeps } from './deps.js';
import { fail, type Env } from './http.js';
import { openApiDocument } from './openapi.js';
import { serveStatic } from './static.js';
import { adminRoutes } from './v1/admin.js';
import { alertRoutes } from './v1/alerts.js';
import { eventRoutes } from './v1/events.js';
import { incidentRoutes } from './v1/incidents.js';
import { ruleRoutes } from './v1/rules.js';
import { sessionRoutes } from './v1/session.js';

/**
 * The HTTP application: REST /api/v1 (authenticated, tenant-scoped), the OpenAPI document at
 * /api/docs, mounted apps (TAXII), and the web console at `/`.
 */
export function createApiApp(deps: ApiDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });
  app.onError((err, c) => {
    deps.log?.(`api error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return fail(c, 500, 'internal', 'internal error');
  });

  const docs = openApiDocument();
  app.get('/api/docs', (c) => c.json(docs));
  app.get('/healthz', (c) => c.json({ ok: true }));

  const v1 = new Hono<Env>();
  v1.route('/', sessionRoutes);
  v1.use('*', async (c, next) => {
    if (c.req.path.endsWith('/auth/login')) return next();
    return authenticate(c, next);
  });
  v1.use('*', async (c, next) => {
    // Source tokens may only send events (and ask who they are).
    const p = c.get('principal');
    if (p?.kind === 'source' && !(c.req.method === 'POST' && (c.req.path.endsWith('/events') || c.req.path.endsWith('/fhir/AuditEvent'))) && !c.req.path.endsWith('/me')) {
      return fail(c, 403, 'forbidden', 'source tokens may only send events');
    }
    await next();
  });
  for (const r of [eventRoutes, alertRoutes, incidentRoutes, ruleRoutes, adminRoutes]) v1.route('/', r);
  v1.route('/fhir', fhirRoutes);
  v1.all('*', (c) => fail(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.route('/api/v1', v1);
  // FHIR servers post audit events to <base>/AuditEvent; Ward's FHIR base is /fhir.
  const fhir = new Hono<Env>();
  fhir.use('*', authenticate);
  fhir.route('/', fhirRoutes);
  app.route('/fhir', fhir);

  for (const m of deps.mounts ?? []) {
    for (const prefix of m.prefixes) {
      app.all(prefix, (c) => m.fetch(c.req.raw));
      app.all(`${prefix}/*`, (c) => m.fetch(c.req.raw));
    }
  }

  const webDir = deps.webDir ? resolve(deps.webDir) : undefined;
  app.get('*', async (c) => {
    if (c.req.path.startsWith('/api/')) return fail(c, 404, 'not_found', 'no such API route');
    if (!webDir || !existsSync(webDir)) {
      return c.text('Ward is running. The web console is not built (run `npx vite build web`); the API is at /api/v1, docs at /api/docs.\n', 200);
    }
    return (await serveStatic(webDir, c.req.path)) ?? fail(c, 404, 'not_found', 'not found');
  });
  return app;
}
