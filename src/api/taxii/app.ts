/**
 * The TAXII 2.1 server as a Hono app (OASIS TAXII 2.1: discovery, API roots, collections).
 * `createTaxiiApp` returns an app that `ward serve` mounts (`app.route('/', taxii)`, or under a
 * prefix), and that `ward taxii serve` runs alone. Routes: /taxii2/ and /<apiRoot>/… only, and
 * its middleware is scoped to them, so the app can share a server with other routes.
 */
import { Hono } from 'hono';
import { WardError } from '../../util/index.js';
import { taxiiJson, TaxiiRuntime, type Ctx, type Env, type TaxiiAppOptions } from './context.js';
import { TaxiiHttpError, errorResponse, notFound } from './errors.js';
import { negotiate, TAXII_MEDIA } from './media.js';
import { addObjects, deleteObject, getManifest, getObject, getObjects, getVersions } from './objects.js';

export type { TaxiiAppOptions } from './context.js';

const REALM = 'Basic realm="ward-taxii", Bearer realm="ward-taxii"';

function acceptTaxii(c: Ctx): void {
  if (!negotiate(c.req.header('accept'), false)) {
    throw new TaxiiHttpError(406, 'Not Acceptable', 'this endpoint answers application/taxii+json;version=2.1');
  }
}

function origin(rt: TaxiiRuntime, c: Ctx): string {
  return (rt.o.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
}

export function createTaxiiApp(options: TaxiiAppOptions): Hono<Env> {
  const rt = new TaxiiRuntime(options);
  const app = new Hono<Env>({ strict: false });
  const base = `/${rt.root}`;
  // TAXII URLs end in '/', clients often drop it; and a host app that mounts this one routes with
  // its own (strict) matching, so each route is registered in both forms.
  type Handler = (c: Ctx) => Response | Promise<Response>;
  const route = (method: 'get' | 'post' | 'delete', path: string, h: Handler) => {
    app[method](path, h);
    app[method](`${path}/`, h);
  };

  app.onError((err, c) => {
    if (err instanceof TaxiiHttpError) return errorResponse(c, err);
    if (err instanceof WardError && err.code.startsWith('store-bad')) return errorResponse(c, new TaxiiHttpError(400, 'Bad Request', err.message));
    console.error('ward taxii: internal error:', err);
    return errorResponse(c, new TaxiiHttpError(500, 'Internal Server Error', 'the server failed to answer this request; see its log'));
  });

  const guarded = ['/taxii2', '/taxii2/*', base, `${base}/*`];
  for (const path of guarded) {
    app.use(path, async (c, next) => {
      if (c.get('principal')) return next(); // several patterns can match one path
      const principal = await options.auth.authenticate(c.req.header('authorization'));
      if (!principal) {
        throw new TaxiiHttpError(401, 'Unauthorized', 'send HTTP Basic credentials or a bearer token', { 'WWW-Authenticate': REALM });
      }
      c.set('principal', principal);
      await next();
    });
  }

  route('get', '/taxii2', (c) => {
    acceptTaxii(c);
    // Mounted under a prefix (app.route('/intel', taxii)), the API root sits under it too.
    const prefix = new URL(c.req.url).pathname.replace(/\/taxii2\/?$/, '');
    const url = `${origin(rt, c)}${prefix}${base}/`;
    return taxiiJson({
      title: options.title ?? 'Ward TAXII 2.1 server',
      ...(options.description ? { description: options.description } : {}),
      ...(options.contact ? { contact: options.contact } : {}),
      default: url,
      api_roots: [url],
    });
  });

  route('get', base, (c) => {
    acceptTaxii(c);
    return taxiiJson({
      title: options.title ?? 'Ward',
      description: 'Threat intelligence shared through Ward (STIX 2.1)',
      versions: [TAXII_MEDIA],
      max_content_length: rt.maxContentLength,
    });
  });

  route('get', `${base}/status/:sid`, async (c) => {
    acceptTaxii(c);
    const sid = c.req.param('sid') ?? '';
    const saved = await rt.store.getStatus(sid);
    const p = c.get('principal');
    // Statuses are private to whoever posted (and the admin); others get the same 404 as for none.
    if (!saved || (saved.owner !== p.name && !p.admin)) throw notFound(`no status ${sid.slice(0, 80)}`);
    return taxiiJson(saved.status);
  });

  route('get', `${base}/collections`, async (c) => {
    acceptTaxii(c);
    const p = c.get('principal');
    const cols = (await rt.store.listCollections())
      .map((col) => ({ col, r: p.canRead(col.id), w: p.canWrite(col.id) }))
      .filter((x) => x.r || x.w)
      .map(({ col, r, w }) => collectionResource(col, r, w));
    return taxiiJson(cols.length ? { collections: cols } : {});
  });

  route('get', `${base}/collections/:cid`, async (c) => {
    acceptTaxii(c);
    const col = await rt.collection(c, 'any');
    const p = c.get('principal');
    return taxiiJson(collectionResource(col, p.canRead(col.id), p.canWrite(col.id)));
  });

  route('get', `${base}/collections/:cid/manifest`, (c) => getManifest(rt, c));
  route('get', `${base}/collections/:cid/objects`, (c) => getObjects(rt, c));
  route('post', `${base}/collections/:cid/objects`, (c) => addObjects(rt, c));
  route('get', `${base}/collections/:cid/objects/:oid`, (c) => getObject(rt, c));
  route('delete', `${base}/collections/:cid/objects/:oid`, (c) => deleteObject(rt, c));
  route('get', `${base}/collections/:cid/objects/:oid/versions`, (c) => getVersions(rt, c));

  // Known paths with another method: 405 (one of the HTTP error codes TAXII 2.1 lists).
  app.all(`${base}/*`, (c) => {
    const p = new URL(c.req.url).pathname.replace(/\/?$/, '/');
    const known = /^\/(collections\/([^/]+\/(manifest\/|objects\/([^/]+\/(versions\/)?)?)?)?|status\/[^/]+\/)?$/.test(p.slice(base.length));
    if (known) throw new TaxiiHttpError(405, 'Method Not Allowed', `${c.req.method} is not supported on ${p}`);
    throw notFound(`no TAXII resource at ${p.slice(0, 200)}`);
  });
  app.all('/taxii2/*', () => {
    throw notFound('no TAXII resource here; discovery is /taxii2/');
  });
  return app;
}

function collectionResource(col: { id: string; title: string; description?: string; alias?: string; mediaTypes: string[] }, r: boolean, w: boolean) {
  return {
    id: col.id,
    title: col.title,
    ...(col.description ? { description: col.description } : {}),
    ...(col.alias ? { alias: col.alias } : {}),
    can_read: r,
    can_write: w,
    media_types: col.mediaTypes,
  };
}
