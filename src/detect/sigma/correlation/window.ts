import type { Location } from '../../../util/index.js';

/** One base-rule match inside a correlation window. */
export interface Entry {
  t: number;
  rule: string;
  value: unknown;
  loc: Location;
  timestamp: number | undefined;
}

/**
 * A sliding window (Sigma correlation spec §timespan: windows slide, they are not buckets):
 * entries kept in time order; everything older than the newest entry minus the timespan leaves.
 * Out-of-order arrivals (several files read together) are inserted in place.
 */
export class SlidingWindow {
  entries: Entry[] = [];

  add(e: Entry, span: number): void {
    const es = this.entries;
    if (es.length === 0 || es[es.length - 1].t <= e.t) es.push(e);
    else {
      let lo = 0;
      let hi = es.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (es[mid].t <= e.t) lo = mid + 1;
        else hi = mid;
      }
      es.splice(lo, 0, e);
    }
    const newest = es[es.length - 1].t;
    let drop = 0;
    while (drop < es.length && es[drop].t < newest - span) drop++;
    if (drop) es.splice(0, drop);
  }

  clear(): void {
    this.entries = [];
  }
}
