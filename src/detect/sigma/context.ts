import type { WardEvent } from '../../normalize/index.js';
import { fold } from './fold.js';

/**
 * Per-event evaluation state shared by all rules: field values converted to strings (and folded)
 * once per event, however many rules read them. One instance is reused across events.
 */
export class MatchContext {
  ev!: WardEvent;
  /**
   * Per field name, its values for the event of generation `gen`. Entries live across events
   * (field names repeat) and are checked against the generation instead of cleared per event.
   */
  private slots = new Map<string, Slot>();
  private gen = 0;
  private allFolded: string[] | undefined;
  private allCased: string[] | undefined;

  reset(ev: WardEvent): this {
    this.ev = ev;
    this.gen++;
    if (this.slots.size > 10_000) this.slots.clear();
    this.allFolded = undefined;
    this.allCased = undefined;
    return this;
  }

  raw(field: string): unknown {
    return this.ev.get(field);
  }

  private slot(field: string): Slot {
    let s = this.slots.get(field);
    if (s === undefined) {
      s = { gen: 0, cased: null, foldedGen: 0, folded: null, one: [''], foldedOne: [''] };
      this.slots.set(field, s);
    }
    if (s.gen !== this.gen) {
      s.gen = this.gen;
      const v = this.ev.get(field);
      // Most fields hold one string: the slot's own one-element list carries it, so reading a
      // field allocates nothing (rules only look at the lists while testing, never keep them).
      if (typeof v === 'string') {
        s.one[0] = v;
        s.cased = s.one;
      } else s.cased = toStrings(v);
    }
    return s;
  }

  /** String forms of a field (array values flattened); null when the field is absent or null. */
  cased(field: string): string[] | null {
    return this.slot(field).cased;
  }

  folded(field: string): string[] | null {
    const s = this.slot(field);
    if (s.foldedGen !== this.gen) {
      s.foldedGen = this.gen;
      if (s.cased === s.one) {
        s.foldedOne[0] = fold(s.one[0]);
        s.folded = s.foldedOne;
      } else s.folded = s.cased === null ? null : s.cased.map(fold);
    }
    return s.folded;
  }

  /** Every value of the event, for keyword (field-less) searches. */
  all(cased: boolean): string[] {
    if (cased) return (this.allCased ??= collect(this.ev.fields));
    return (this.allFolded ??= this.all(true).map(fold));
  }
}

interface Slot {
  gen: number;
  cased: string[] | null;
  foldedGen: number;
  folded: string[] | null;
  one: string[];
  foldedOne: string[];
}

export function toStrings(v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) {
    const out: string[] = [];
    flatten(v, out);
    return out;
  }
  return [scalarString(v)];
}

/**
 * String form of a value that is not a list (objects as JSON; one nested past what
 * JSON.stringify's recursion holds as a marker, so the event's other values are still matched).
 */
function scalarString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return '[nested too deep]';
  }
}

/**
 * The values of a list, nested lists flattened, nulls left out — with a stack of its own rather
 * than recursion, and pushed one by one rather than spread: a hostile event's list may be
 * thousands deep or hundreds of thousands long, past what the call stack holds.
 */
function flatten(list: unknown[], out: string[]): void {
  const lists: unknown[][] = [list];
  const at: number[] = [0];
  while (lists.length > 0) {
    const top = lists.length - 1;
    const l = lists[top];
    if (at[top] >= l.length) {
      lists.pop();
      at.pop();
      continue;
    }
    const x = l[at[top]++];
    if (Array.isArray(x)) {
      lists.push(x);
      at.push(0);
    } else if (x !== undefined && x !== null) out.push(scalarString(x));
  }
}

function collect(fields: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const k in fields) {
    const s = toStrings(fields[k]);
    if (s) for (let i = 0; i < s.length; i++) out.push(s[i]);
  }
  return out;
}
