/**
 * Who is calling: HTTP Basic (RFC 7617) with a user's password, or a bearer token (RFC 6750),
 * each verified against a scrypt hash. A principal carries its TLP viewer (organisation identity and
 * relation) and its per-collection rights. `ward serve` can supply its own TaxiiAuth.
 */
import { createHash } from 'node:crypto';
import { RELATIONS, type Relation, type Viewer } from '../../stix/index.js';
import type { StixStore, TaxiiUser } from '../../store/index.js';
import { DUMMY_HASH, hashSecret, tokenId, verifySecret } from './secrets.js';

export interface Principal {
  name: string;
  admin: boolean;
  viewer: Viewer;
  canRead(collectionId: string): boolean;
  canWrite(collectionId: string): boolean;
}

export interface TaxiiAuth {
  /** The principal for an Authorization header value, or undefined (→ 401). */
  authenticate(authorization: string | undefined): Promise<Principal | undefined>;
}

export interface StoreAuthOptions {
  /** Bearer token with every right (WARD_ADMIN_TOKEN); kept only as a hash. */
  adminToken?: string;
  /** The server organisation's STIX identity, used as the admin's identity. */
  orgIdentity?: string;
  /** How long a verified credential is remembered (ms), sparing a scrypt per request. Default 60 s. */
  cacheMs?: number;
}

const CACHE_MAX = 1000;
/**
 * scrypt runs on libuv's small thread pool (4 threads by default), which file I/O shares: a flood
 * of bad credentials must not starve it. At most this many verifications run at once; the rest
 * queue. Callers whose credentials are cached never wait.
 */
const MAX_CONCURRENT_VERIFY = 2;

export class StoreTaxiiAuth implements TaxiiAuth {
  private adminHash?: Promise<string>;
  /** sha256(Authorization header) → user name ('' for the admin token) and expiry. */
  private readonly cache = new Map<string, { user: string; until: number }>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly store: StixStore,
    private readonly options: StoreAuthOptions = {},
  ) {
    if (options.adminToken) this.adminHash = hashSecret(options.adminToken);
  }

  async authenticate(authorization: string | undefined): Promise<Principal | undefined> {
    if (!authorization) return undefined;
    const key = createHash('sha256').update(authorization).digest('base64');
    const hit = this.cache.get(key);
    let user: string | undefined;
    if (hit && hit.until > Date.now()) user = hit.user;
    else {
      this.cache.delete(key);
      user = await this.limited(() => this.verify(authorization));
      if (user === undefined) return undefined;
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { user, until: Date.now() + (this.options.cacheMs ?? 60_000) });
    }
    return user === '' ? this.adminPrincipal() : this.userPrincipal(user);
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_CONCURRENT_VERIFY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** The user name the credentials prove ('' = admin token), or undefined. */
  private async verify(authorization: string): Promise<string | undefined> {
    const m = /^(Basic|Bearer|Token)\s+(\S+)\s*$/i.exec(authorization);
    if (!m) return undefined;
    // "Token" is how the OASIS reference client (taxii2-client TokenAuth) sends a bearer token.
    if (m[1].toLowerCase() !== 'basic') {
      const token = m[2];
      if (this.adminHash && token.startsWith('ward_admin_')) return (await verifySecret(token, await this.adminHash)) ? '' : undefined;
      if (this.adminHash && !tokenId(token)) {
        // WARD_ADMIN_TOKEN may be any string the operator chose.
        if (await verifySecret(token, await this.adminHash)) return '';
      }
      const id = tokenId(token);
      const stored = id ? await this.store.getToken(id) : undefined;
      const ok = await verifySecret(token, stored?.secretHash ?? DUMMY_HASH);
      return ok && stored ? stored.user : undefined;
    }
    const decoded = Buffer.from(m[2], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const name = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const u = await this.store.getUser(name);
    const ok = await verifySecret(password, u?.passwordHash ?? DUMMY_HASH);
    return ok && u?.passwordHash ? u.name : undefined;
  }

  private adminPrincipal(): Principal {
    return {
      name: 'admin',
      admin: true,
      viewer: { identity: this.options.orgIdentity, relation: 'same-org' },
      canRead: () => true,
      canWrite: () => true,
    };
  }

  private async userPrincipal(name: string): Promise<Principal | undefined> {
    const u = await this.store.getUser(name);
    if (!u) return undefined; // deleted since it was cached
    return principalFor(u, await this.store.rightsOf(name));
  }
}

export function principalFor(u: TaxiiUser, rights: { collection: string; canRead: boolean; canWrite: boolean }[]): Principal {
  const relation: Relation = (RELATIONS as readonly string[]).includes(u.relation) ? (u.relation as Relation) : 'public';
  const find = (col: string) => rights.find((r) => r.collection === col) ?? rights.find((r) => r.collection === '*');
  return {
    name: u.name,
    admin: u.admin,
    viewer: { identity: u.identity, relation, names: u.names },
    canRead: (col) => u.admin || !!find(col)?.canRead,
    canWrite: (col) => u.admin || !!find(col)?.canWrite,
  };
}
