/**
 * `ward intel pull`: fetch a collection's new objects since the last pull (added_after = the
 * previous X-TAXII-Date-Added-Last, the TAXII 2.1 added_after filter), following `next` through every page.
 */
import { toMicros } from '../store/index.js';
import { type StixObj, type TaxiiClient, type TaxiiFilter } from './client.js';
import { PullState } from './state.js';

export interface PullOptions {
  collection: string;
  /** Data directory holding the pull state; without it the pull is not incremental. */
  dataDir?: string;
  /** Ignore the saved position and fetch everything. */
  full?: boolean;
  pageSize?: number;
  filter?: Omit<TaxiiFilter, 'addedAfter' | 'next' | 'limit'>;
  /** Called with each page's objects as they arrive (e.g. to write them out). */
  onPage?: (objects: StixObj[]) => void | Promise<void>;
  /** Called after the last page and before the position is saved: make the output durable here. */
  beforeSave?: () => void | Promise<void>;
}

export interface PullResult {
  objects: number;
  pages: number;
  /** The position the next pull resumes after (undefined when nothing was ever returned). */
  lastAdded?: string;
  addedAfter?: string;
}

export async function pull(client: TaxiiClient, o: PullOptions): Promise<PullResult> {
  const root = await client.apiRoot();
  const state = o.dataDir ? new PullState(o.dataDir) : undefined;
  const addedAfter = o.full ? undefined : state?.get(root, o.collection);
  let last = addedAfter;
  let objects = 0;
  let pages = 0;
  for await (const page of client.allObjects(o.collection, { ...o.filter, addedAfter, limit: o.pageSize })) {
    pages++;
    objects += page.items.length;
    if (page.items.length) await o.onPage?.(page.items);
    if (page.dateAddedLast && (!last || (toMicros(page.dateAddedLast) ?? 0) > (toMicros(last) ?? 0))) last = page.dateAddedLast;
  }
  await o.beforeSave?.();
  if (state && last && last !== addedAfter) state.set(root, o.collection, last);
  return { objects, pages, ...(last ? { lastAdded: last } : {}), ...(addedAfter ? { addedAfter } : {}) };
}
