/**
 * Field names looked up from UTF-16 code units or UTF-8 bytes without building a string:
 * ASCII-case-insensitive (Sigma field names resolve case-insensitively, see normalize/event.ts),
 * FNV-1a hashed, every hit verified character by character. Names with non-ASCII characters are
 * not stored; looking one up gives NON_ASCII so the caller can fall back to its conservative path.
 *
 * The raw screen looks up the member name of most values of every line: each slot holds the
 * name's hash, place and id side by side, and the names sit in one array, so a lookup touches
 * one slot and one run of characters rather than chasing a per-name object.
 */
export const MISSING = -1;
export const NON_ASCII = -2;

const FNV_SEED = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** per slot: hash, offset in `chars`, length (-1: empty), id */
const SLOT = 4;

export class NameTable {
  private slots = emptySlots(64);
  private count = 0;
  /** every stored name, lower case, one after another */
  private chars = new Uint8Array(256);
  private used = 0;
  private scratch = new Uint8Array(128);

  /** Adds `name` (any case) with `id`; non-ASCII names are ignored. */
  add(name: string, id: number): void {
    const codes = Uint16Array.from(name.toLowerCase(), (c) => c.charCodeAt(0));
    if (codes.some((c) => c > 127) || this.find(codes, codes.length) >= 0) return;
    if (this.used + codes.length > this.chars.length) {
      const grown = new Uint8Array(Math.max(2 * this.chars.length, this.used + codes.length));
      grown.set(this.chars);
      this.chars = grown;
    }
    const off = this.used;
    this.chars.set(codes, off);
    this.used += codes.length;
    if (++this.count * 2 > this.slots.length / SLOT) this.rehash(2 * (this.slots.length / SLOT));
    this.place(hashCodes(codes, codes.length), off, codes.length, id);
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = emptySlots(size);
    for (let s = 0; s < old.length; s += SLOT) if (old[s + 2] >= 0) this.place(old[s], old[s + 1], old[s + 2], old[s + 3]);
  }

  private place(h: number, off: number, len: number, id: number): void {
    const mask = this.slots.length / SLOT - 1;
    let i = (h >>> 0) & mask;
    while (this.slots[i * SLOT + 2] >= 0) i = (i + 1) & mask;
    const s = i * SLOT;
    this.slots[s] = h;
    this.slots[s + 1] = off;
    this.slots[s + 2] = len;
    this.slots[s + 3] = id;
  }

  /** The table as it stands (the native walk reads it; no name is added once the screen is built). */
  tables(): { slots: Int32Array; chars: Uint8Array } {
    return { slots: this.slots, chars: this.chars };
  }

  /** The id of codes[0, len), MISSING, or NON_ASCII. */
  find(codes: Uint16Array, len: number): number {
    if (this.scratch.length < len) this.scratch = new Uint8Array(2 * len);
    const b = this.scratch;
    for (let i = 0; i < len; i++) {
      if (codes[i] > 127) return NON_ASCII;
      b[i] = codes[i];
    }
    return this.findBytes(b, 0, len);
  }

  /**
   * find() for a name held as UTF-8 bytes b[start, start + len) — or, with `len2`, for the name
   * `<first>_<second>` of two runs of bytes (b[start, +len) and b[start2, +len2)), as System
   * attributes are named (Provider_Name) — without copying either.
   */
  findBytes(b: Uint8Array, start: number, len: number, start2 = 0, len2 = -1): number {
    const total = len2 < 0 ? len : len + 1 + len2;
    let h = FNV_SEED;
    for (let i = 0; i < total; i++) {
      const c = byteAt(b, start, len, start2, i);
      if (c > 127) return NON_ASCII;
      h = Math.imul(h ^ lower(c), FNV_PRIME);
    }
    const slots = this.slots;
    const chars = this.chars;
    const mask = slots.length / SLOT - 1;
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const s = i * SLOT;
      const n = slots[s + 2];
      if (n < 0) return MISSING;
      if (slots[s] !== h || n !== total) continue;
      const off = slots[s + 1];
      let k = 0;
      if (len2 < 0) while (k < total && chars[off + k] === lower(b[start + k])) k++;
      else while (k < total && chars[off + k] === lower(byteAt(b, start, len, start2, k))) k++;
      if (k === total) return slots[s + 3];
    }
  }
}

function emptySlots(n: number): Int32Array {
  const s = new Int32Array(n * SLOT);
  for (let i = 2; i < s.length; i += SLOT) s[i] = -1;
  return s;
}

/** Character i of the name findBytes() looks up: from the first run, the underscore, the second. */
const byteAt = (b: Uint8Array, start: number, len: number, start2: number, i: number): number =>
  i < len ? b[start + i] : i === len ? 0x5f : b[start2 + i - len - 1];

const lower = (c: number): number => (c >= 65 && c <= 90 ? c | 0x20 : c);

function hashCodes(codes: ArrayLike<number>, len: number): number {
  let h = FNV_SEED;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ lower(codes[i]), FNV_PRIME);
  return h;
}
