import type { WardEvent } from '../../normalize/index.js';
import { fold } from './fold.js';

/**
 * Per-event evaluation state shared by all rules: field values converted to strings (and folded)
 * once per event, however many rules read them. One instance is reused across events.
 */
export class MatchContext {
  ev!: WardEvent;
  private foldedCache = new Map<string, string[] | null>();
  private casedCache = new Map<string, string[] | null>();
  private allFolded: string[] | undefined;
  private allCased: string[] | undefined;

  reset(ev: WardEvent): this {
    this.ev = ev;
    this.foldedCache.clear();
    this.casedCache.clear();
    this.allFolded = undefined;
    this.allCased = undefined;
    return this;
  }

  raw(field: string): unknown {
    return this.ev.get(field);
  }

  /** String forms of a field (array values flattened); null when the field is absent or null. */
  cased(field: string): string[] | null {
    let v = this.casedCache.get(field);
    if (v === undefined) {
      v = toStrings(this.ev.get(field));
      this.casedCache.set(field, v);
    }
    return v;
  }

  folded(field: string): string[] | null {
    let v = this.foldedCache.get(field);
    if (v === undefined) {
      const c = this.cased(field);
      v = c === null ? null : c.map(fold);
      this.foldedCache.set(field, v);
    }
    return v;
  }

  /** Every value of the event, for keyword (field-less) searches. */
  all(cased: boolean): string[] {
    if (cased) return (this.allCased ??= collect(this.ev.fields));
    return (this.allFolded ??= this.all(true).map(fold));
  }
}

export function toStrings(v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return [String(v)];
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) {
      const s = toStrings(x);
      if (s) out.push(...s);
    }
    return out;
  }
  return [JSON.stringify(v)];
}

function collect(fields: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const k in fields) {
    const s = toStrings(fields[k]);
    if (s) out.push(...s);
  }
  return out;
}
