/**
 * Field names looked up from UTF-16 code units without building a string: ASCII-case-insensitive
 * (Sigma field names resolve case-insensitively, see normalize/event.ts), FNV-1a hashed, every hit
 * verified code by code. Names with non-ASCII characters are not stored; looking one up gives
 * NON_ASCII so the caller can fall back to its conservative path.
 */
export const MISSING = -1;
export const NON_ASCII = -2;

export class NameTable {
  private names: Uint16Array[] = [];
  private ids: number[] = [];
  private slots = new Int32Array(64).fill(-1);

  /** Adds `name` (any case) with `id`; non-ASCII names are ignored. */
  add(name: string, id: number): void {
    const codes = Uint16Array.from(name.toLowerCase(), (c) => c.charCodeAt(0));
    if (codes.some((c) => c > 127) || this.find(codes, codes.length) >= 0) return;
    this.names.push(codes);
    this.ids.push(id);
    if (this.names.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(this.names.length - 1);
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    for (let i = 0; i < this.names.length; i++) this.place(i);
  }

  private place(i: number): void {
    const mask = this.slots.length - 1;
    let h = hash(this.names[i], this.names[i].length) & mask;
    while (this.slots[h] !== -1) h = (h + 1) & mask;
    this.slots[h] = i;
  }

  /** The id of codes[0, len), MISSING, or NON_ASCII. */
  find(codes: Uint16Array, len: number): number {
    for (let i = 0; i < len; i++) if (codes[i] > 127) return NON_ASCII;
    const mask = this.slots.length - 1;
    let h = hash(codes, len) & mask;
    for (;;) {
      const i = this.slots[h];
      if (i === -1) return MISSING;
      const n = this.names[i];
      if (n.length === len) {
        let k = 0;
        while (k < len && n[k] === lower(codes[k])) k++;
        if (k === len) return this.ids[i];
      }
      h = (h + 1) & mask;
    }
  }

  /**
   * find() for a name held as UTF-8 bytes b[start, start + len) — or, with `len2`, for the name
   * `<first>_<second>` of two runs of bytes (b[start, +len) and b[start2, +len2)), as System
   * attributes are named (Provider_Name) — without copying either.
   */
  findBytes(b: Uint8Array, start: number, len: number, start2 = 0, len2 = -1): number {
    const total = len2 < 0 ? len : len + 1 + len2;
    let h = 0x811c9dc5;
    for (let i = 0; i < total; i++) {
      const c = byteAt(b, start, len, start2, i);
      if (c > 127) return NON_ASCII;
      h = Math.imul(h ^ lower(c), 0x01000193);
    }
    const mask = this.slots.length - 1;
    h = (h >>> 0) & mask;
    for (;;) {
      const i = this.slots[h];
      if (i === -1) return MISSING;
      const n = this.names[i];
      if (n.length === total) {
        let k = 0;
        while (k < total && n[k] === lower(byteAt(b, start, len, start2, k))) k++;
        if (k === total) return this.ids[i];
      }
      h = (h + 1) & mask;
    }
  }
}

/** Character i of the name findBytes() looks up: from the first run, the underscore, the second. */
const byteAt = (b: Uint8Array, start: number, len: number, start2: number, i: number): number =>
  i < len ? b[start + i] : i === len ? 0x5f : b[start2 + i - len - 1];

const lower = (c: number): number => (c >= 65 && c <= 90 ? c | 0x20 : c);

function hash(codes: Uint16Array, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ lower(codes[i]), 0x01000193);
  return h >>> 0;
}
