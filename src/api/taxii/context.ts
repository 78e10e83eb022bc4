/** What every TAXII handler shares: options, the store, the authenticated principal. */
import type { Context } from 'hono';
import {
  anonymize, canRead, PhiGuard, type PhiConfig, type PhiFinding, type TlpPolicyOptions,
} from '../../stix/index.js';
import type { ObjectQuery, StixStore, StoredVersion, TaxiiCollection } from '../../store/index.js';
import { WardError } from '../../util/index.js';
import type { Principal, TaxiiAuth } from './auth.js';
import { forbidden, notFound } from './errors.js';
import { TAXII_MEDIA } from './media.js';
import { parseQuery } from './params.js';
import type { Visibility } from './read.js';

export interface TaxiiAppOptions {
  store: StixStore;
  auth: TaxiiAuth;
  title?: string;
  description?: string;
  contact?: string;
  /** API root name, served at /<apiRoot>/ (default 'ward'). */
  apiRoot?: string;
  /** Largest request body accepted (bytes, default 10 MiB); announced as max_content_length. */
  maxContentLength?: number;
  /** Page size when the client sends no limit (default 1000) and the largest one honoured (default 10 000). */
  pageSize?: number;
  maxPageSize?: number;
  /** TLP policy (default level of unmarked objects, custom marking resolution). */
  tlp?: TlpPolicyOptions;
  /** PHI guard on every response carrying object bodies (default: on, redact). false disables it. */
  phi?: PhiConfig | false;
  /** Told what the PHI guard removed (paths and kinds only, never values). */
  onPhi?: (findings: PhiFinding[], where: string) => void;
  /** Identities withheld from readers (anonymous sharing): replaced by the anonymous identity. */
  anonymizeIdentities?: string[];
  /** Object check on POST; returns problems. Default: ./validate.ts checkObject. */
  validate?: (obj: unknown) => string[];
  /** Base URL announced in discovery (behind a proxy); default: the request's origin. */
  publicUrl?: string;
}

export type Env = { Variables: { principal: Principal } };
export type Ctx = Context<Env>;

export class TaxiiRuntime {
  readonly root: string;
  readonly phi?: PhiGuard;
  readonly maxContentLength: number;
  readonly pageSize: number;
  readonly maxPageSize: number;

  constructor(readonly o: TaxiiAppOptions) {
    this.root = (o.apiRoot ?? 'ward').replace(/^\/+|\/+$/g, '');
    if (o.phi !== false) this.phi = new PhiGuard(o.phi ?? {});
    this.maxContentLength = o.maxContentLength ?? 10 * 1024 * 1024;
    this.maxPageSize = o.maxPageSize ?? 10_000;
    this.pageSize = Math.min(o.pageSize ?? 1000, this.maxPageSize);
    for (const [name, v] of [['maxContentLength', this.maxContentLength], ['maxPageSize', this.maxPageSize], ['pageSize', this.pageSize]] as const) {
      // NaN would disable the limit silently (every comparison false).
      if (!Number.isInteger(v) || v < 1) throw new WardError('usage', `TAXII option ${name} must be a positive integer, not ${v}`);
    }
  }

  get store(): StixStore {
    return this.o.store;
  }

  /** The collection in the URL (by id, or alias), checked against the principal's rights. */
  async collection(c: Ctx, need: 'read' | 'write' | 'any'): Promise<TaxiiCollection> {
    const key = c.req.param('cid') ?? '';
    let col = await this.store.getCollection(key);
    if (!col) col = (await this.store.listCollections()).find((x) => x.alias === key);
    if (!col) throw notFound(`no collection '${key.slice(0, 100)}' in this API root`);
    const p = c.get('principal');
    const r = p.canRead(col.id);
    const w = p.canWrite(col.id);
    if (need === 'any' ? !r && !w : need === 'read' ? !r : !w) {
      throw forbidden(`${p.name} may not ${need === 'write' ? 'write to' : 'read'} collection ${col.id}`);
    }
    return col;
  }

  query(c: Ctx, allowed: Parameters<typeof parseQuery>[1], paging = true): ObjectQuery {
    return parseQuery(new URL(c.req.url), allowed, this.pageSize, this.maxPageSize, paging);
  }

  private readonly markingCache = new Map<string, { until: number; map: Map<string, Record<string, unknown>> }>();

  /**
   * The TLP policy for one collection: the configured options, plus the collection's own
   * marking-definition objects, so TLP markings published under other ids (custom TLP 1.0/2.0
   * definitions) are recognised. Cached for 30 s, dropped when the collection is written.
   */
  async tlpFor(collectionId: string): Promise<TlpPolicyOptions> {
    let hit = this.markingCache.get(collectionId);
    if (!hit || hit.until < Date.now()) {
      const map = new Map<string, Record<string, unknown>>();
      const page = await this.store.query(collectionId, { types: ['marking-definition'], limit: 10_000 });
      for (const item of page.items) map.set(item.id, item.object);
      hit = { until: Date.now() + 30_000, map };
      this.markingCache.set(collectionId, hit);
    }
    const map = hit.map;
    const outer = this.o.tlp?.resolveMarking;
    return { ...this.o.tlp, resolveMarking: (id) => map.get(id) ?? outer?.(id) };
  }

  collectionWritten(collectionId: string): void {
    this.markingCache.delete(collectionId);
  }

  /** TLP only: for manifests and version lists, which carry no object content. */
  tlpVisibility(c: Ctx, tlp: TlpPolicyOptions): Visibility {
    const viewer = c.get('principal').viewer;
    return (item) => (canRead(item.object, viewer, tlp) ? item : undefined);
  }

  /** TLP, then anonymisation, then the PHI guard: for responses carrying object bodies. */
  bodyVisibility(c: Ctx, where: string, tlp: TlpPolicyOptions): Visibility {
    const viewer = c.get('principal').viewer;
    const anon = this.o.anonymizeIdentities?.length ? this.o.anonymizeIdentities : undefined;
    return (item) => {
      if (!canRead(item.object, viewer, tlp)) return undefined;
      let obj = item.object as Record<string, unknown>;
      if (anon) {
        const out = anonymize([obj], anon).filter((x) => x.id === obj.id);
        if (out.length === 0) return undefined;
        obj = out[0];
      }
      if (this.phi) {
        const r = this.phi.guard([obj]);
        if (r.findings.length) this.o.onPhi?.(r.findings, where);
        if (r.objects.length === 0) return undefined;
        obj = r.objects[0];
      }
      return obj === item.object ? item : { ...item, object: obj as StoredVersion['object'] };
    };
  }
}

export function taxiiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': TAXII_MEDIA, ...headers } });
}

export function dateHeaders(items: readonly StoredVersion[]): Record<string, string> {
  if (items.length === 0) return {};
  return {
    'X-TAXII-Date-Added-First': items[0].dateAdded,
    'X-TAXII-Date-Added-Last': items[items.length - 1].dateAdded,
  };
}
