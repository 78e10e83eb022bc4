/**
 * The OpenAPI 3.1 document for /api/v1, served at /api/docs. Written from a compact route table so
 * it stays next to the routes it describes; schemas name the main bodies.
 */
type Op = [method: string, path: string, summary: string, roles: string, opts?: { body?: string; query?: string[]; ok?: string }];

const ROUTES: Op[] = [
  ['post', '/auth/login', 'Log in with e-mail and password; returns a session bearer token', 'public', { body: 'Login', ok: 'Session' }],
  ['post', '/auth/logout', 'Revoke the current session', 'any'],
  ['get', '/me', 'The caller: organisation, role, token kind', 'any'],
  ['post', '/me/password', 'Change own password', 'any user'],
  ['post', '/events', 'Ingest a batch: JSON array or NDJSON, optionally gzip. 200 after durable write; 400 names bad lines; 413 too large; 429/503 with Retry-After', 'source token, admin, analyst', { body: 'EventBatch', query: ['source', 'format'], ok: 'IngestResult' }],
  ['get', '/events', 'Recent stored events (newest first)', 'viewer+', { query: ['before', 'source', 'limit'] }],
  ['post', '/fhir/AuditEvent', 'FHIR AuditEvent intake (also at /fhir/AuditEvent): one AuditEvent, a Bundle of them, or NDJSON; 201 with an OperationOutcome after durable write', 'source token, admin, analyst', { body: 'EventBatch' }],
  ['get', '/overview', 'Alert counts over time, by level, tactic and host; sources; events/s', 'viewer+', { query: ['hours', 'since'] }],
  ['get', '/alerts', 'List alerts with filters and full-text search', 'viewer+', { query: ['level', 'host', 'rule', 'incident', 'tactic', 'q', 'since', 'until', 'limit', 'offset'], ok: 'AlertPage' }],
  ['get', '/alerts/{id}', 'One alert with its evidence events and ATT&CK links', 'viewer+'],
  ['get', '/incidents', 'List incidents', 'viewer+', { query: ['status', 'assignee', 'q', 'limit', 'offset'] }],
  ['get', '/incidents/{id}', 'One incident with its alerts and ATT&CK tactic timeline', 'viewer+'],
  ['patch', '/incidents/{id}', 'Workflow: status, assignee, severity, title, add a note', 'analyst, admin', { body: 'IncidentPatch' }],
  ['get', '/rules', 'Loaded rules (with enabled state) and rules that failed to load, with reasons', 'viewer+'],
  ['put', '/rules/{id}', 'Enable or disable a rule for the organisation', 'analyst, admin', { body: 'RuleSwitch' }],
  ['post', '/rules/reload', 'Re-read rule folders without restart', 'admin'],
  ['get', '/sources', 'Event sources with counts and last-seen time; listeners', 'viewer+'],
  ['get', '/tokens', 'API and source tokens (secrets are never shown again)', 'admin'],
  ['post', '/tokens', 'Create a source or API token; the secret is in this answer only', 'admin', { body: 'TokenCreate' }],
  ['delete', '/tokens/{id}', 'Revoke a token', 'admin'],
  ['get', '/users', 'Users of the organisation', 'viewer+'],
  ['post', '/users', 'Create a user', 'admin', { body: 'UserCreate' }],
  ['patch', '/users/{id}', 'Change role, name, password or disable a user', 'admin'],
  ['get', '/orgs', 'Organisations visible to the caller', 'viewer+'],
  ['post', '/orgs', 'Create an organisation (tenant) with its first admin', 'operator admin', { body: 'OrgCreate' }],
];

const obj = (props: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties: props, required });
const str = { type: 'string' };
const int = { type: 'integer' };

const SCHEMAS: Record<string, unknown> = {
  Error: obj({ error: obj({ code: str, message: str, errors: { type: 'array', items: obj({ line: int, column: int, index: int, message: str }) } }) }),
  Login: obj({ email: str, password: str }, ['email', 'password']),
  Session: obj({ token: str, expiresAt: int, user: { type: 'object' }, org: { type: 'object' } }),
  EventBatch: { oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'string', description: 'NDJSON: one JSON object per line' }] },
  IngestResult: obj({ accepted: int, firstSeq: int, lastSeq: int }),
  AlertPage: obj({ items: { type: 'array', items: { type: 'object' } }, total: int }),
  IncidentPatch: obj({
    status: { enum: ['new', 'triage', 'contained', 'closed'] }, assignee: { type: ['string', 'null'] },
    severity: { enum: ['informational', 'low', 'medium', 'high', 'critical'] }, note: str, title: str,
  }),
  RuleSwitch: obj({ enabled: { type: 'boolean' } }, ['enabled']),
  TokenCreate: obj({ name: str, kind: { enum: ['source', 'api'] }, role: { enum: ['admin', 'analyst', 'viewer'] } }, ['name']),
  UserCreate: obj({ email: str, name: str, role: { enum: ['admin', 'analyst', 'viewer'] }, password: str }, ['email', 'role', 'password']),
  OrgCreate: obj({ name: str, slug: str, adminEmail: str, adminPassword: str }, ['name', 'slug', 'adminEmail', 'adminPassword']),
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, path, summary, roles, o = {}] of ROUTES) {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: str }));
    for (const q of o.query ?? []) params.push({ name: q, in: 'query', required: false, schema: str });
    const op: Record<string, unknown> = {
      summary,
      description: `Roles: ${roles}.`,
      parameters: params,
      responses: {
        200: { description: 'OK', content: { 'application/json': { schema: o.ok ? { $ref: `#/components/schemas/${o.ok}` } : { type: 'object' } } } },
        400: { description: 'Bad request', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        401: { description: 'Not authenticated' },
        403: { description: 'Role or token kind not allowed' },
      },
    };
    if (roles === 'public') op.security = [];
    if (o.body) {
      op.requestBody = {
        required: true,
        content: path === '/events'
          ? { 'application/json': { schema: { $ref: '#/components/schemas/EventBatch' } }, 'application/x-ndjson': { schema: str } }
          : { 'application/json': { schema: { $ref: `#/components/schemas/${o.body}` } } },
      };
    }
    (paths[path] ??= {})[method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Ward REST API', version: '1', description: 'Ward: live detection, alerts and incidents for hospitals. Every route except login needs a bearer token; data is scoped to the token\'s organisation.' },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: SCHEMAS },
  };
}
