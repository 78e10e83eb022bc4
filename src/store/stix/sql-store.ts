/** The STIX store written once over SqlDriver; see sqlite.ts and postgres.ts for the backends. */
import { randomUUID } from 'node:crypto';
import { WardError } from '../../util/index.js';
import { buildWhere, pageSize } from './query.js';
import { schema, type Row, type SqlDriver, type SqlExecutor } from './sql.js';
import { encodeCursor, fromMicros, nextDateAdded, observeDateAdded, versionKey } from './time.js';
import type {
  AddOutcome, CollectionRight, ManifestEntry, NewCollection, ObjectQuery, StixPage, StixObject, StixStore, StoredVersion,
  TaxiiCollection, TaxiiToken, TaxiiUser,
} from './types.js';

const STIX_MEDIA = 'application/stix+json;version=2.1';
const STATUS_KEEP_MS = 7 * 24 * 3600 * 1000;

function rowToCollection(r: Row): TaxiiCollection {
  return {
    id: String(r.id),
    title: String(r.title),
    ...(r.description != null ? { description: String(r.description) } : {}),
    ...(r.alias != null ? { alias: String(r.alias) } : {}),
    mediaTypes: JSON.parse(String(r.media_types)) as string[],
  };
}

function rowToUser(r: Row): TaxiiUser {
  return {
    name: String(r.name),
    ...(r.identity != null ? { identity: String(r.identity) } : {}),
    relation: String(r.relation),
    names: JSON.parse(String(r.names)) as string[],
    admin: Number(r.admin) === 1,
    ...(r.password_hash != null ? { passwordHash: String(r.password_hash) } : {}),
  };
}

export class SqlStixStore implements StixStore {
  /** Serialises write transactions: SQLite has one connection, and its BEGIN must not nest. */
  private writeLock: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: SqlDriver) {}

  get backend(): 'sqlite' | 'postgres' {
    return this.db.dialect;
  }

  static async open(db: SqlDriver): Promise<SqlStixStore> {
    for (const stmt of schema(db.dialect)) await db.run(stmt);
    const [r] = await db.all('SELECT MAX(date_added) AS m FROM stix_objects');
    if (r?.m != null) observeDateAdded(Number(r.m));
    return new SqlStixStore(db);
  }

  private write<T>(fn: (db: SqlExecutor) => Promise<T>): Promise<T> {
    const run = this.writeLock.then(() => this.db.tx(fn));
    this.writeLock = run.catch(() => undefined);
    return run;
  }

  async listCollections(): Promise<TaxiiCollection[]> {
    return (await this.db.all('SELECT * FROM taxii_collections ORDER BY created, id')).map(rowToCollection);
  }

  async getCollection(id: string): Promise<TaxiiCollection | undefined> {
    const [r] = await this.db.all('SELECT * FROM taxii_collections WHERE id = ?', [id]);
    return r ? rowToCollection(r) : undefined;
  }

  async createCollection(c: NewCollection): Promise<TaxiiCollection> {
    const col: TaxiiCollection = {
      id: c.id ?? randomUUID(),
      title: c.title,
      ...(c.description !== undefined ? { description: c.description } : {}),
      ...(c.alias !== undefined ? { alias: c.alias } : {}),
      mediaTypes: c.mediaTypes ?? [STIX_MEDIA],
    };
    await this.write(async (db) => {
      const [exists] = await db.all('SELECT 1 AS x FROM taxii_collections WHERE id = ?', [col.id]);
      if (exists) throw new WardError('store-exists', `collection ${col.id} already exists`);
      await db.run(
        'INSERT INTO taxii_collections (id, title, description, alias, media_types, created) VALUES (?, ?, ?, ?, ?, ?)',
        [col.id, col.title, col.description ?? null, col.alias ?? null, JSON.stringify(col.mediaTypes), Date.now()],
      );
    });
    return col;
  }

  async deleteCollection(id: string): Promise<boolean> {
    return this.write(async (db) => {
      await db.run('DELETE FROM stix_objects WHERE collection_id = ?', [id]);
      await db.run('DELETE FROM taxii_rights WHERE collection_id = ?', [id]);
      return (await db.run('DELETE FROM taxii_collections WHERE id = ?', [id])) > 0;
    });
  }

  async addObjects(collectionId: string, objects: readonly StixObject[]): Promise<AddOutcome[]> {
    return this.write(async (db) => {
      const [col] = await db.all('SELECT 1 AS x FROM taxii_collections WHERE id = ?', [collectionId]);
      if (!col) throw new WardError('store-no-collection', `collection ${collectionId} does not exist`);
      const out: AddOutcome[] = [];
      for (const obj of objects) {
        const stamp = typeof obj.modified === 'string' ? obj.modified : typeof obj.created === 'string' ? obj.created : undefined;
        const dateAdded = nextDateAdded();
        let key: string | undefined;
        let version: string;
        if (stamp !== undefined) {
          key = versionKey(stamp);
          if (!key) {
            out.push({ id: obj.id, ok: false, message: `modified/created '${stamp}' is not a STIX timestamp (STIX 2.1 §3.2)` });
            continue;
          }
          version = stamp;
        } else {
          // SCOs have neither created nor modified (STIX 2.1 §6): one immutable version, dated when first added.
          const [prev] = await db.all('SELECT version FROM stix_objects WHERE collection_id = ? AND id = ? LIMIT 1', [collectionId, obj.id]);
          if (prev) {
            out.push({ id: obj.id, version: String(prev.version), ok: true, duplicate: true });
            continue;
          }
          version = fromMicros(dateAdded);
          key = versionKey(version) as string;
        }
        const spec = typeof obj.spec_version === 'string' ? obj.spec_version : '2.1';
        const [cur] = await db.all('SELECT MAX(version_key) AS m FROM stix_objects WHERE collection_id = ? AND id = ?', [collectionId, obj.id]);
        const prevLast = cur?.m == null ? undefined : String(cur.m);
        const newest = prevLast === undefined || key > prevLast;
        const n = await db.run(
          `INSERT INTO stix_objects (collection_id, id, type, version_key, version, spec_version, date_added, body, is_last)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          [collectionId, obj.id, obj.type, key, version, spec, dateAdded, JSON.stringify(obj), newest ? 1 : 0],
        );
        if (n > 0 && newest && prevLast !== undefined) {
          await db.run('UPDATE stix_objects SET is_last = 0 WHERE collection_id = ? AND id = ? AND version_key = ?', [collectionId, obj.id, prevLast]);
        }
        out.push({ id: obj.id, version, ok: true, ...(n === 0 ? { duplicate: true } : {}) });
      }
      return out;
    });
  }

  private async page<T extends { cursor: string }>(collectionId: string, q: ObjectQuery, withBody: boolean, map: (r: Row, entry: ManifestEntry) => T): Promise<StixPage<T>> {
    const limit = pageSize(q.limit);
    const { where, params } = buildWhere(collectionId, q, true);
    const rows = await this.db.all(
      `SELECT o.seq, o.id, o.type, o.version, o.spec_version, o.date_added${withBody ? ', o.body' : ''} FROM stix_objects o
       WHERE ${where} ORDER BY o.date_added, o.seq LIMIT ?`,
      [...params, limit + 1],
    );
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map((r) =>
      map(r, {
        id: String(r.id),
        type: String(r.type),
        version: String(r.version),
        specVersion: String(r.spec_version),
        dateAdded: fromMicros(Number(r.date_added)),
        cursor: encodeCursor(Number(r.date_added), Number(r.seq)),
      }),
    );
    const last = items[items.length - 1];
    return more && last ? { items, more, next: last.cursor } : { items, more: false };
  }

  query(collectionId: string, q: ObjectQuery): Promise<StixPage<StoredVersion>> {
    return this.page(collectionId, q, true, (r, e) => ({ ...e, object: JSON.parse(String(r.body)) as StixObject }));
  }

  manifest(collectionId: string, q: ObjectQuery): Promise<StixPage<ManifestEntry>> {
    return this.page(collectionId, q, false, (_r, e) => e);
  }

  async deleteObject(collectionId: string, objectId: string, q: Pick<ObjectQuery, 'versions' | 'specVersions'> = {}): Promise<number> {
    const { where, params } = buildWhere(collectionId, { ids: [objectId], versions: q.versions ?? ['all'], specVersions: q.specVersions }, false);
    return this.write(async (db) => {
      const seqs = (await db.all(`SELECT o.seq FROM stix_objects o WHERE ${where}`, params)).map((r) => Number(r.seq));
      let n = 0;
      for (let i = 0; i < seqs.length; i += 500) {
        const chunk = seqs.slice(i, i + 500);
        n += await db.run(`DELETE FROM stix_objects WHERE seq IN (${chunk.map(() => '?').join(', ')})`, chunk);
      }
      if (n > 0) {
        // The newest remaining version becomes the latest again.
        await db.run(
          `UPDATE stix_objects SET is_last = 1 WHERE collection_id = ? AND id = ? AND version_key =
             (SELECT MAX(s.version_key) FROM stix_objects s WHERE s.collection_id = ? AND s.id = ?)`,
          [collectionId, objectId, collectionId, objectId],
        );
      }
      return n;
    });
  }

  async count(collectionId: string): Promise<number> {
    const [r] = await this.db.all('SELECT COUNT(*) AS n FROM stix_objects WHERE collection_id = ?', [collectionId]);
    return Number(r?.n ?? 0);
  }

  private statusPuts = 0;

  async putStatus(id: string, status: Record<string, unknown>): Promise<void> {
    const now = Date.now();
    await this.write(async (db) => {
      await db.run('INSERT INTO taxii_status (id, body, created) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body', [
        id, JSON.stringify(status), now,
      ]);
      // Statuses answer "how did my POST go"; a week later nobody asks. Prune now and then.
      if (++this.statusPuts % 100 === 1) await db.run('DELETE FROM taxii_status WHERE created < ?', [now - STATUS_KEEP_MS]);
    });
  }

  async getStatus(id: string): Promise<Record<string, unknown> | undefined> {
    const [r] = await this.db.all('SELECT body FROM taxii_status WHERE id = ?', [id]);
    return r ? (JSON.parse(String(r.body)) as Record<string, unknown>) : undefined;
  }

  async getUser(name: string): Promise<TaxiiUser | undefined> {
    const [r] = await this.db.all('SELECT * FROM taxii_users WHERE name = ?', [name]);
    return r ? rowToUser(r) : undefined;
  }

  async listUsers(): Promise<TaxiiUser[]> {
    return (await this.db.all('SELECT * FROM taxii_users ORDER BY name')).map(rowToUser);
  }

  async putUser(u: TaxiiUser): Promise<void> {
    await this.write((db) =>
      db.run(
        `INSERT INTO taxii_users (name, identity, relation, names, admin, password_hash) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET identity = excluded.identity, relation = excluded.relation, names = excluded.names,
           admin = excluded.admin, password_hash = excluded.password_hash`,
        [u.name, u.identity ?? null, u.relation, JSON.stringify(u.names), u.admin ? 1 : 0, u.passwordHash ?? null],
      ),
    );
  }

  async deleteUser(name: string): Promise<boolean> {
    return this.write(async (db) => {
      await db.run('DELETE FROM taxii_tokens WHERE user_name = ?', [name]);
      await db.run('DELETE FROM taxii_rights WHERE user_name = ?', [name]);
      return (await db.run('DELETE FROM taxii_users WHERE name = ?', [name])) > 0;
    });
  }

  async addToken(t: TaxiiToken): Promise<void> {
    await this.write((db) =>
      db.run('INSERT INTO taxii_tokens (id, user_name, secret_hash, label, created) VALUES (?, ?, ?, ?, ?)', [
        t.id, t.user, t.secretHash, t.label ?? null, t.created,
      ]),
    );
  }

  async getToken(id: string): Promise<TaxiiToken | undefined> {
    const [r] = await this.db.all('SELECT * FROM taxii_tokens WHERE id = ?', [id]);
    if (!r) return undefined;
    return {
      id: String(r.id), user: String(r.user_name), secretHash: String(r.secret_hash), created: String(r.created),
      ...(r.label != null ? { label: String(r.label) } : {}),
    };
  }

  async deleteToken(id: string): Promise<boolean> {
    return this.write(async (db) => (await db.run('DELETE FROM taxii_tokens WHERE id = ?', [id])) > 0);
  }

  async setRight(r: CollectionRight): Promise<void> {
    await this.write((db) =>
      db.run(
        `INSERT INTO taxii_rights (user_name, collection_id, can_read, can_write) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_name, collection_id) DO UPDATE SET can_read = excluded.can_read, can_write = excluded.can_write`,
        [r.user, r.collection, r.canRead ? 1 : 0, r.canWrite ? 1 : 0],
      ),
    );
  }

  async rightsOf(user: string): Promise<CollectionRight[]> {
    const rows = await this.db.all('SELECT * FROM taxii_rights WHERE user_name = ?', [user]);
    return rows.map((r) => ({ user, collection: String(r.collection_id), canRead: Number(r.can_read) === 1, canWrite: Number(r.can_write) === 1 }));
  }

  async close(): Promise<void> {
    await this.writeLock;
    await this.db.close();
  }
}
