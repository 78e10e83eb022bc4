/**
 * Storage for STIX objects served over TAXII 2.1: collections hold objects with every version,
 * keyed by (id, version) where version is `modified` (or `created`) as TAXII 2.1 defines an object's version.
 * Each stored version carries its own date_added, unique and increasing within a store, so
 * `added_after` and paging cursors are exact. One interface, implemented for SQLite and PostgreSQL
 * and checked by one shared test suite (test/store/stix-store.suite.ts).
 */

export type StixObject = Record<string, unknown> & { id: string; type: string };

export interface TaxiiCollection {
  id: string;
  title: string;
  description?: string;
  alias?: string;
  /** TAXII 2.1 collection resource media_types. */
  mediaTypes: string[];
}

export interface NewCollection {
  id?: string;
  title: string;
  description?: string;
  alias?: string;
  mediaTypes?: string[];
}

/** One stored version of an object. */
export interface StoredVersion {
  id: string;
  type: string;
  /** The object's own `modified` (or `created`) text, as the manifest and versions endpoints show it. */
  version: string;
  specVersion: string;
  /** RFC 3339 with microseconds, e.g. 2026-11-28T16:00:00.123456Z. */
  dateAdded: string;
  object: StixObject;
  /** Paging cursor positioned right after this item (pass as `next` to continue from here). */
  cursor: string;
}

/**
 * TAXII 2.1 §3.4 filters. Values inside one list are ORed, the lists are ANDed.
 * `versions`: 'last' | 'first' | 'all' | a timestamp; default ['last'].
 * `specVersions`: default none (every stored object is STIX 2.1, so "latest spec version" is all).
 */
export interface ObjectQuery {
  ids?: readonly string[];
  types?: readonly string[];
  versions?: readonly string[];
  specVersions?: readonly string[];
  /** Only versions added strictly after this timestamp. */
  addedAfter?: string;
  /** Page size (the store caps it at 10 000). */
  limit?: number;
  /** Opaque cursor from a previous page's `next`. */
  next?: string;
}

export interface StixPage<T> {
  items: T[];
  /** True only when another item exists after this page (never with an empty page). */
  more: boolean;
  /** Cursor for the following page, present when `more`. */
  next?: string;
}

/** TAXII 2.1 manifest record, read without the object body. */
export interface ManifestEntry {
  id: string;
  type: string;
  version: string;
  specVersion: string;
  dateAdded: string;
  cursor: string;
}

export interface AddOutcome {
  id: string;
  version?: string;
  ok: boolean;
  /** Set when the same (id, version) was already stored: kept as it was, not added again. */
  duplicate?: boolean;
  message?: string;
}

/** Principals allowed to use the TAXII server (secrets are stored only as scrypt hashes). */
export interface TaxiiUser {
  name: string;
  /** STIX identity id of the user's organisation. */
  identity?: string;
  /** Relation to the server's organisation: same-org, client, community, public (TLP audience). */
  relation: string;
  /** Further identity ids (RED recipients). */
  names: string[];
  admin: boolean;
  passwordHash?: string;
}

export interface TaxiiToken {
  id: string;
  user: string;
  secretHash: string;
  label?: string;
  created: string;
}

export interface CollectionRight {
  user: string;
  /** A collection id, or '*' for every collection. */
  collection: string;
  canRead: boolean;
  canWrite: boolean;
}

export interface StixStore {
  readonly backend: 'sqlite' | 'postgres';
  listCollections(): Promise<TaxiiCollection[]>;
  getCollection(id: string): Promise<TaxiiCollection | undefined>;
  createCollection(c: NewCollection): Promise<TaxiiCollection>;
  /** Deletes the collection and all its objects. */
  deleteCollection(id: string): Promise<boolean>;

  /**
   * Adds objects (all in one transaction). Each gets its own date_added. An object whose
   * (id, version) is already stored is reported `duplicate` and left unchanged (STIX 2.1 §3.2:
   * id + modified identify one immutable version).
   */
  addObjects(collectionId: string, objects: readonly StixObject[]): Promise<AddOutcome[]>;
  /** Versions matching the query, ordered by date_added. */
  query(collectionId: string, q: ObjectQuery): Promise<StixPage<StoredVersion>>;
  /** Like `query`, without reading object bodies (the manifest of the matching versions). */
  manifest(collectionId: string, q: ObjectQuery): Promise<StixPage<ManifestEntry>>;
  /** Deletes the matching versions of one object (default: all versions); returns how many. */
  deleteObject(collectionId: string, objectId: string, q?: Pick<ObjectQuery, 'versions' | 'specVersions'>): Promise<number>;
  /** Number of stored versions in a collection. */
  count(collectionId: string): Promise<number>;

  putStatus(id: string, status: Record<string, unknown>): Promise<void>;
  getStatus(id: string): Promise<Record<string, unknown> | undefined>;

  getUser(name: string): Promise<TaxiiUser | undefined>;
  listUsers(): Promise<TaxiiUser[]>;
  putUser(user: TaxiiUser): Promise<void>;
  deleteUser(name: string): Promise<boolean>;
  addToken(token: TaxiiToken): Promise<void>;
  getToken(id: string): Promise<TaxiiToken | undefined>;
  deleteToken(id: string): Promise<boolean>;
  setRight(right: CollectionRight): Promise<void>;
  rightsOf(user: string): Promise<CollectionRight[]>;

  close(): Promise<void>;
}
