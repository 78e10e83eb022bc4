import { Command, Option } from 'commander';
import { hashTaxiiSecret, newTaxiiToken, openTaxiiStore, randomAdminToken, startTaxiiServer } from '../../api/index.js';
import { RELATIONS } from '../../stix/index.js';
import type { StixStore } from '../../store/index.js';
import { dataDir, phiConfig, positiveInt, tlpLevel, usage } from './intel.js';

interface StoreOpts {
  data?: string;
  postgres?: string;
}

function withStoreOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'data directory (default ./ward-data or WARD_DATA); the store is <data>/taxii.db')
    .option('--postgres <url>', 'use PostgreSQL instead of SQLite (or set WARD_TAXII_PG_URL)');
}

async function withStore<T>(o: StoreOpts, fn: (s: StixStore) => Promise<T>): Promise<T> {
  const store = await openTaxiiStore(dataDir(o), o.postgres ?? process.env.WARD_TAXII_PG_URL);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw usage(`--port: '${v}' is not a port number`);
  return n;
}

/** `ward taxii`: the standalone TAXII 2.1 server and its collections, users and tokens. */
export function register(program: Command): void {
  const taxii = program.command('taxii').description('Run a TAXII 2.1 server and manage its collections, users and tokens');

  withStoreOptions(
    taxii
      .command('serve')
      .description('Serve STIX 2.1 intelligence over TAXII 2.1 (discovery at /taxii2/)')
      .option('-p, --port <n>', 'TCP port (0 = any free port)', port, 9000)
      .option('--host <addr>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1'),
  )
    .option('--api-root <name>', 'API root path segment', 'ward')
    .option('--org <identity>', "this organisation's STIX identity id (the admin's identity)")
    .option('--unmarked <level>', 'TLP level of unmarked objects (default amber)')
    .addOption(new Option('--phi <mode>', 'PHI guard on responses').choices(['redact', 'block', 'off']).default('redact'))
    .option('--patients <file>', 'patient names to guard, one per line')
    .option('--mrn <regex...>', 'medical record number patterns')
    .option('--anonymous-as <identity...>', 'identities withheld from readers (anonymous sharing)')
    .option('--max-content-length <bytes>', 'largest request body (default 10 MiB)', positiveInt('--max-content-length'))
    .option('--public-url <url>', 'base URL announced in discovery (behind a reverse proxy)')
    .addHelpText('after', '\nThe admin bearer token is WARD_ADMIN_TOKEN when set; otherwise one is generated and printed once.\nCreate collections, users and tokens with the other `ward taxii` commands (they work while the server runs).')
    .action(async (o) => {
      const fromEnv = process.env.WARD_ADMIN_TOKEN;
      const adminToken = fromEnv || randomAdminToken();
      const server = await startTaxiiServer({
        dataDir: dataDir(o),
        postgresUrl: o.postgres ?? process.env.WARD_TAXII_PG_URL,
        port: o.port,
        host: o.host,
        adminToken,
        orgIdentity: o.org,
        apiRoot: o.apiRoot,
        tlp: { unmarked: tlpLevel(o.unmarked) },
        phi: o.phi === 'off' ? false : phiConfig(o, o.phi),
        onPhi: (findings, where) => process.stderr.write(`PHI guard (${where}): ${findings.length} finding(s) removed\n`),
        anonymizeIdentities: o.anonymousAs,
        maxContentLength: o.maxContentLength,
        publicUrl: o.publicUrl,
      });
      process.stdout.write(`TAXII 2.1 server: ${server.url}/taxii2/ (API root ${server.url}/${o.apiRoot}/)\n`);
      if (!fromEnv) process.stdout.write(`admin bearer token (shown once; set WARD_ADMIN_TOKEN to choose it): ${adminToken}\n`);
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  const col = taxii.command('collection').description('Manage collections');
  withStoreOptions(col.command('add').description('Create a collection').requiredOption('--title <title>', 'title'))
    .option('--id <id>', 'collection id (default: a new UUID)')
    .option('--alias <alias>', 'short name usable in URLs')
    .option('--description <text>', 'description')
    .action(async (o) => {
      const c = await withStore(o, (s) => s.createCollection({ id: o.id, title: o.title, alias: o.alias, description: o.description }));
      process.stdout.write(`${c.id}\n`);
    });
  withStoreOptions(col.command('list').description('List collections with their object counts')).action(async (o) => {
    await withStore(o, async (s) => {
      for (const c of await s.listCollections()) process.stdout.write(`${c.id}  ${c.title}${c.alias ? ` (${c.alias})` : ''}  ${await s.count(c.id)} versions\n`);
    });
  });
  withStoreOptions(col.command('delete').description('Delete a collection and all its objects').argument('<id>')).action(async (id: string, o) => {
    const ok = await withStore(o, (s) => s.deleteCollection(id));
    if (!ok) throw usage(`no collection ${id}`);
  });

  const user = taxii.command('user').description('Manage users (HTTP Basic and token holders)');
  withStoreOptions(user.command('add').description('Create or update a user').argument('<name>'))
    .addOption(new Option('--relation <relation>', "relation to this organisation (TLP audience)").choices([...RELATIONS]).makeOptionMandatory())
    .option('--identity <id>', "the user's organisation STIX identity id")
    .option('--also <ids...>', 'further identity ids (named recipients of RED objects)')
    .option('--admin', 'every right on every collection')
    .option('--password-stdin', 'read the password from standard input (else WARD_TAXII_PASSWORD; none = token-only user)')
    .action(async (name: string, o) => {
      const password = o.passwordStdin ? await readStdin() : process.env.WARD_TAXII_PASSWORD || undefined;
      if (password !== undefined && password.length < 12) throw usage('the password must have at least 12 characters');
      const passwordHash = password ? await hashTaxiiSecret(password) : undefined;
      await withStore(o, async (s) => {
        // Updating keeps what this call does not set (identity, recipients, password).
        const prev = await s.getUser(name);
        const identity = o.identity ?? prev?.identity;
        const hash = passwordHash ?? prev?.passwordHash;
        await s.putUser({ name, relation: o.relation, names: o.also ?? prev?.names ?? [], admin: !!o.admin, ...(identity ? { identity } : {}), ...(hash ? { passwordHash: hash } : {}) });
      });
      process.stdout.write(`user ${name} (${o.relation}${o.admin ? ', admin' : ''})${passwordHash ? ', password set' : ''}\n`);
    });
  withStoreOptions(user.command('list').description('List users and their rights')).action(async (o) => {
    await withStore(o, async (s) => {
      for (const u of await s.listUsers()) {
        const rights = (await s.rightsOf(u.name)).map((r) => `${r.collection}:${r.canRead ? 'r' : ''}${r.canWrite ? 'w' : ''}`);
        process.stdout.write(`${u.name}  ${u.relation}${u.admin ? ' admin' : ''}${u.identity ? ` ${u.identity}` : ''}  ${rights.join(' ') || '(no rights)'}\n`);
      }
    });
  });
  withStoreOptions(user.command('delete').description('Delete a user, its tokens and rights').argument('<name>')).action(async (name: string, o) => {
    if (!(await withStore(o, (s) => s.deleteUser(name)))) throw usage(`no user ${name}`);
  });

  withStoreOptions(
    taxii
      .command('grant')
      .description("Set a user's rights on a collection ('*' = every collection)")
      .argument('<user>')
      .argument('<collection>'),
  )
    .option('--read', 'may read')
    .option('--write', 'may write')
    .action(async (name: string, collection: string, o) => {
      await withStore(o, async (s) => {
        if (!(await s.getUser(name))) throw usage(`no user ${name}`);
        if (collection !== '*' && !(await s.getCollection(collection))) throw usage(`no collection ${collection}`);
        await s.setRight({ user: name, collection, canRead: !!o.read, canWrite: !!o.write });
      });
      process.stdout.write(`${name} on ${collection}: ${o.read ? 'read' : ''}${o.read && o.write ? '+' : ''}${o.write ? 'write' : ''}${!o.read && !o.write ? 'no access' : ''}\n`);
    });

  const token = taxii.command('token').description('Manage bearer tokens');
  withStoreOptions(token.command('create').description('Create a bearer token for a user (printed once, stored hashed)').argument('<user>'))
    .option('--label <text>', 'what the token is for')
    .action(async (name: string, o) => {
      const t = await newTaxiiToken();
      await withStore(o, async (s) => {
        if (!(await s.getUser(name))) throw usage(`no user ${name}`);
        await s.addToken({ id: t.id, user: name, secretHash: t.secretHash, label: o.label, created: new Date().toISOString() });
      });
      process.stdout.write(`${t.token}\n`);
      process.stderr.write(`token ${t.id} for ${name}: shown once, only its hash is stored\n`);
    });
  withStoreOptions(token.command('revoke').description('Revoke a token by its id (the 12 hex digits after ward_)').argument('<id>')).action(async (id: string, o) => {
    if (!(await withStore(o, (s) => s.deleteToken(id)))) throw usage(`no token ${id}`);
  });
}
