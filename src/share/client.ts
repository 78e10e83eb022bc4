/**
 * A TAXII 2.1 client (OASIS TAXII 2.1 §4–§5) over fetch: discovery, API root, collections,
 * objects with filters and paging, manifest, versions, add, delete, status. Errors carry the
 * server's TAXII error message.
 */
import { WardError } from '../util/index.js';

export const TAXII_MEDIA = 'application/taxii+json;version=2.1';

export interface TaxiiCredentials {
  token?: string;
  user?: string;
  password?: string;
}

export interface TaxiiFilter {
  ids?: string[];
  types?: string[];
  versions?: string[];
  specVersions?: string[];
  addedAfter?: string;
  limit?: number;
  next?: string;
}

export interface TaxiiPage<T> {
  items: T[];
  more: boolean;
  next?: string;
  dateAddedFirst?: string;
  dateAddedLast?: string;
}

export interface ManifestRecord {
  id: string;
  date_added: string;
  version: string;
  media_type?: string;
}

export type StixObj = Record<string, unknown> & { id: string; type: string };

export class TaxiiClientError extends WardError {
  constructor(readonly status: number, message: string) {
    super('taxii-client', message);
  }
}

export function filterParams(f: TaxiiFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.ids?.length) p.set('match[id]', f.ids.join(','));
  if (f.types?.length) p.set('match[type]', f.types.join(','));
  if (f.versions?.length) p.set('match[version]', f.versions.join(','));
  if (f.specVersions?.length) p.set('match[spec_version]', f.specVersions.join(','));
  if (f.addedAfter) p.set('added_after', f.addedAfter);
  if (f.limit) p.set('limit', String(f.limit));
  if (f.next) p.set('next', f.next);
  return p;
}

export class TaxiiClient {
  private apiRootUrl?: string;
  private readonly auth?: string;

  constructor(
    /** The discovery URL (…/taxii2/) or an API root URL. */
    readonly url: string,
    creds: TaxiiCredentials = {},
    private readonly fetchImpl: typeof fetch = fetch,
    /** Per-request timeout (ms): a stalled server must not hang a scheduled pull forever. */
    private readonly timeoutMs = 120_000,
  ) {
    if (creds.token) this.auth = `Bearer ${creds.token}`;
    else if (creds.user !== undefined) this.auth = `Basic ${Buffer.from(`${creds.user}:${creds.password ?? ''}`).toString('base64')}`;
  }

  private async request(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown; headers: Headers }> {
    const headers: Record<string, string> = { Accept: TAXII_MEDIA };
    if (this.auth) headers.Authorization = this.auth;
    if (body !== undefined) headers['Content-Type'] = TAXII_MEDIA;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new TaxiiClientError(0, `${method} ${url}: ${(e as Error).message}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new TaxiiClientError(0, `${method} ${url}: reading the answer failed: ${(e as Error).message}`);
    }
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        if (res.ok) throw new TaxiiClientError(res.status, `${method} ${url}: the server answered something that is not JSON`);
      }
    }
    if (!res.ok) {
      const e = (json ?? {}) as Record<string, unknown>;
      const what = e.title ? `${String(e.title)}${e.description ? `: ${String(e.description)}` : ''}` : text.slice(0, 200);
      throw new TaxiiClientError(res.status, `${method} ${url}: HTTP ${res.status} ${what}`);
    }
    return { status: res.status, json, headers: res.headers };
  }

  async discover(): Promise<Record<string, unknown>> {
    return (await this.request('GET', this.url)).json as Record<string, unknown>;
  }

  /** The API root URL: from discovery (`default`, else the first root) when `url` is a discovery URL. */
  async apiRoot(): Promise<string> {
    if (this.apiRootUrl) return this.apiRootUrl;
    let root = this.url;
    // Discovery answers api_roots, an API root answers versions (TAXII 2.1 discovery and API root resources).
    const d = await this.discover();
    if (Array.isArray(d?.api_roots) || typeof d?.default === 'string') {
      const pick = (typeof d.default === 'string' ? d.default : undefined) ?? (Array.isArray(d.api_roots) ? String(d.api_roots[0]) : undefined);
      if (!pick) throw new TaxiiClientError(200, `${this.url}: discovery lists no API root`);
      root = new URL(pick, this.url).toString();
    }
    this.apiRootUrl = root.endsWith('/') ? root : `${root}/`;
    return this.apiRootUrl;
  }

  async apiRootInfo(): Promise<Record<string, unknown>> {
    return (await this.request('GET', await this.apiRoot())).json as Record<string, unknown>;
  }

  async collections(): Promise<Record<string, unknown>[]> {
    const j = (await this.request('GET', `${await this.apiRoot()}collections/`)).json as { collections?: Record<string, unknown>[] };
    return j?.collections ?? [];
  }

  async collection(id: string): Promise<Record<string, unknown>> {
    return (await this.request('GET', `${await this.apiRoot()}collections/${encodeURIComponent(id)}/`)).json as Record<string, unknown>;
  }

  private async paged<T>(path: string, f: TaxiiFilter, key: string): Promise<TaxiiPage<T>> {
    const q = filterParams(f).toString();
    const r = await this.request('GET', `${await this.apiRoot()}${path}${q ? `?${q}` : ''}`);
    const j = (r.json ?? {}) as Record<string, unknown>;
    return {
      items: (Array.isArray(j[key]) ? j[key] : []) as T[],
      more: j.more === true,
      ...(typeof j.next === 'string' ? { next: j.next } : {}),
      ...(r.headers.get('x-taxii-date-added-first') ? { dateAddedFirst: r.headers.get('x-taxii-date-added-first') as string } : {}),
      ...(r.headers.get('x-taxii-date-added-last') ? { dateAddedLast: r.headers.get('x-taxii-date-added-last') as string } : {}),
    };
  }

  getObjects(collection: string, f: TaxiiFilter = {}): Promise<TaxiiPage<StixObj>> {
    return this.paged(`collections/${encodeURIComponent(collection)}/objects/`, f, 'objects');
  }

  /** Every page, following `next` until the server says there is no more. */
  async *allObjects(collection: string, f: TaxiiFilter = {}): AsyncGenerator<TaxiiPage<StixObj>> {
    let next: string | undefined;
    for (let guard = 0; guard < 1_000_000; guard++) {
      const page = await this.getObjects(collection, { ...f, next });
      yield page;
      if (!page.more) return;
      if (!page.next || page.next === next) throw new TaxiiClientError(200, `${collection}: the server said more without a new next cursor`);
      next = page.next;
    }
  }

  manifest(collection: string, f: TaxiiFilter = {}): Promise<TaxiiPage<ManifestRecord>> {
    return this.paged(`collections/${encodeURIComponent(collection)}/manifest/`, f, 'objects');
  }

  getObject(collection: string, id: string, f: TaxiiFilter = {}): Promise<TaxiiPage<StixObj>> {
    return this.paged(`collections/${encodeURIComponent(collection)}/objects/${encodeURIComponent(id)}/`, f, 'objects');
  }

  versions(collection: string, id: string, f: TaxiiFilter = {}): Promise<TaxiiPage<string>> {
    return this.paged(`collections/${encodeURIComponent(collection)}/objects/${encodeURIComponent(id)}/versions/`, f, 'versions');
  }

  async deleteObject(collection: string, id: string, f: Pick<TaxiiFilter, 'versions' | 'specVersions'> = {}): Promise<void> {
    const q = filterParams(f).toString();
    await this.request('DELETE', `${await this.apiRoot()}collections/${encodeURIComponent(collection)}/objects/${encodeURIComponent(id)}/${q ? `?${q}` : ''}`);
  }

  /** Posts objects in one envelope; returns the TAXII status resource. */
  async addObjects(collection: string, objects: readonly Record<string, unknown>[]): Promise<Record<string, unknown>> {
    return (await this.request('POST', `${await this.apiRoot()}collections/${encodeURIComponent(collection)}/objects/`, { objects })).json as Record<string, unknown>;
  }

  async status(id: string): Promise<Record<string, unknown>> {
    return (await this.request('GET', `${await this.apiRoot()}status/${encodeURIComponent(id)}/`)).json as Record<string, unknown>;
  }
}
