/**
 * Every read path goes through here: the store's pages are filtered by TLP (and, for object
 * bodies, by the PHI guard) before anything is answered. Filtering happens after paging in the
 * store, so this keeps reading store pages until it has `limit` visible items, and looks one
 * visible item ahead so that `more: true` is only answered when another visible item exists —
 * never `more: true` with an empty page (TAXII 2.1 pagination: `more` says whether further objects exist).
 */
import type { ObjectQuery, StixStore, StoredVersion } from '../../store/index.js';

export interface VisiblePage {
  items: StoredVersion[];
  more: boolean;
  next?: string;
}

/** Returns the item to serve (possibly rewritten, e.g. redacted) or undefined to hide it. */
export type Visibility = (item: StoredVersion) => StoredVersion | undefined;

export async function readVisible(store: StixStore, collectionId: string, q: ObjectQuery, visible: Visibility): Promise<VisiblePage> {
  const limit = q.limit ?? 1000;
  const items: StoredVersion[] = [];
  let cursor = q.next;
  let chunk = limit + 1;
  for (;;) {
    const page = await store.query(collectionId, { ...q, limit: chunk, next: cursor });
    for (const raw of page.items) {
      const item = visible(raw);
      if (!item) continue;
      if (items.length < limit) items.push(item);
      else {
        // A further visible item exists: answer more, resuming right after the last one served.
        return { items, more: true, next: items[items.length - 1].cursor };
      }
    }
    if (!page.more || !page.next) return { items, more: false };
    cursor = page.next;
    // Hidden items made this page short; read bigger pages from now on.
    chunk = Math.max(chunk, 1000);
  }
}
