/**
 * A validating, allocation-free scan of one JSON text (RFC 8259) held as UTF-8 bytes, for hot
 * paths that want to look at a line's values without decoding or building objects: it checks the
 * grammar as JSON.parse would (§2 structure, §4 objects, §5 arrays, §6 numbers, §7 strings) and
 * hands each key and value to a sink, strings unescaped and decoded from UTF-8 into a reused
 * UTF-16 code-unit buffer (a malformed UTF-8 sequence becomes U+FFFD). A line it rejects is not
 * necessarily broken (only too deep): callers then fall back to JSON.parse, which gives the error.
 */
export interface JsonScanSink {
  /** A member name at `depth` (1 = members of the top-level object). */
  key(depth: number, codes: Uint16Array, len: number): void;
  /** A string value. Returning true stops the scan (scan() then returns false). */
  string(depth: number, codes: Uint16Array, len: number): boolean;
  /** A number value, as written (bytes[start, end), ASCII). Returning true stops the scan. */
  number(depth: number, bytes: Uint8Array, start: number, end: number): boolean;
  /** true, false or null. */
  literal(depth: number, value: boolean | null): void;
  /** An object or array opens (its members are at depth + 1) or closes. */
  open(depth: number, array: boolean): void;
  close(depth: number): void;
  /**
   * Optional: offered each string value before it is decoded, as raw bytes from `at` (just past
   * the opening quote) to the line's `end`. The sink may consume it itself — returning the
   * position just past the closing quote, having checked it as §7 does (skipJsonString, or
   * jsonEscape for its escapes) — or decline with DECLINE, and the value is decoded and passed
   * to string() as usual. INVALID ends the scan as a grammar error.
   */
  rawString?(depth: number, bytes: Uint8Array, at: number, end: number): number;
}

/** rawString() results besides a position. */
export const DECLINE = -1;
export const INVALID = -2;

/**
 * §7: the character a two-character escape (`\` followed by byte `e`) stands for; -1 for `\u`
 * (four hex digits follow) and for anything that is not an escape.
 */
export function jsonEscape(e: number): number {
  switch (e) {
    case 0x22: case 0x5c: case 0x2f: return e;
    case 0x62: return 8;
    case 0x66: return 12;
    case 0x6e: return 10;
    case 0x72: return 13;
    case 0x74: return 9;
    default: return -1;
  }
}

/**
 * Skips a string whose opening quote is just before `at`, checking what §7 requires (no raw
 * control characters, valid escapes); the position past its closing quote, or INVALID.
 * UTF-8 is not checked: a malformed sequence decodes to U+FFFD, it does not make the JSON invalid.
 */
export function skipJsonString(s: Uint8Array, at: number, end: number): number {
  let p = at;
  while (p < end) {
    const c = s[p++];
    if (c === 0x22) return p;
    if (c === 0x5c) {
      if (p >= end) return INVALID;
      const e = s[p++];
      if (e === 0x75) {
        if (p + 4 > end || (hexVal(s[p]) | hexVal(s[p + 1]) | hexVal(s[p + 2]) | hexVal(s[p + 3])) < 0) return INVALID;
        p += 4;
      } else if (jsonEscape(e) < 0) return INVALID;
    } else if (c < 0x20) return INVALID;
  }
  return INVALID;
}

const MAX_DEPTH = 64;
const TRUE = Uint8Array.of(0x74, 0x72, 0x75, 0x65);
const FALSE = Uint8Array.of(0x66, 0x61, 0x6c, 0x73, 0x65);
const NULL = Uint8Array.of(0x6e, 0x75, 0x6c, 0x6c);

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const hexVal = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);

export class JsonLineScanner {
  private strings = new JsonStringReader();
  private buf = this.strings.buf;
  private pos = 0;
  private end = 0;
  private line: Uint8Array = new Uint8Array(0);

  /**
   * Scans `bytes[start, end)` (one complete JSON text, surrounding whitespace allowed). False when
   * it is not valid JSON, nests deeper than the scanner follows, or the sink stopped the scan.
   */
  scan(bytes: Uint8Array, start: number, end: number, sink: JsonScanSink): boolean {
    this.line = bytes;
    this.pos = start;
    this.end = end;
    const n = end;
    this.ws();
    if (this.pos >= n || !this.value(0, sink)) return false;
    this.ws();
    return this.pos === n;
  }

  private ws(): void {
    const s = this.line;
    const n = this.end;
    let p = this.pos;
    while (p < n && isWs(s[p])) p++;
    this.pos = p;
  }

  /** One value at `depth`; false on a grammar error. */
  private value(depth: number, sink: JsonScanSink): boolean {
    const c = this.at(this.pos);
    if (c === 0x22) {
      if (sink.rawString) {
        const q = sink.rawString(depth, this.line, this.pos + 1, this.end);
        if (q === INVALID) return false;
        if (q >= 0) {
          this.pos = q;
          return true;
        }
      }
      const len = this.str();
      if (len < 0) return false;
      return !sink.string(depth, this.buf, len);
    }
    if (c === 0x7b || c === 0x5b) return this.container(depth, c === 0x5b, sink);
    if (c === 0x74) return this.word(TRUE, true, depth, sink);
    if (c === 0x66) return this.word(FALSE, false, depth, sink);
    if (c === 0x6e) return this.word(NULL, null, depth, sink);
    return this.num(depth, sink);
  }

  /** The byte at p, or -1 past the end. */
  private at(p: number): number {
    return p < this.end ? this.line[p] : -1;
  }

  private word(w: Uint8Array, v: boolean | null, depth: number, sink: JsonScanSink): boolean {
    if (this.pos + w.length > this.end) return false;
    for (let i = 0; i < w.length; i++) if (this.line[this.pos + i] !== w[i]) return false;
    this.pos += w.length;
    sink.literal(depth, v);
    return true;
  }

  private container(depth: number, array: boolean, sink: JsonScanSink): boolean {
    if (depth >= MAX_DEPTH) return false;
    sink.open(depth, array);
    this.pos++;
    this.ws();
    const end = array ? 0x5d : 0x7d;
    if (this.at(this.pos) === end) {
      this.pos++;
      sink.close(depth);
      return true;
    }
    for (;;) {
      if (!array) {
        if (this.at(this.pos) !== 0x22) return false;
        const len = this.str();
        if (len < 0) return false;
        sink.key(depth + 1, this.buf, len);
        this.ws();
        if (this.at(this.pos) !== 0x3a) return false;
        this.pos++;
        this.ws();
      }
      if (this.pos >= this.end || !this.value(depth + 1, sink)) return false;
      this.ws();
      const c = this.at(this.pos);
      this.pos++;
      if (c === end) break;
      if (c !== 0x2c) return false;
      this.ws();
    }
    sink.close(depth);
    return true;
  }

  /** A string at pos (on its opening quote), unescaped into buf; returns its length or -1. */
  private str(): number {
    const r = this.strings;
    const q = r.read(this.line, this.pos + 1, this.end);
    if (q < 0) return -1;
    this.pos = q;
    this.buf = r.buf;
    return r.len;
  }

  /** §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  private num(depth: number, sink: JsonScanSink): boolean {
    const start = this.pos;
    let p = start;
    if (this.at(p) === 0x2d) p++;
    const d0 = this.at(p);
    if (d0 === 0x30) p++;
    else if (d0 >= 0x31 && d0 <= 0x39) while (isDigit(this.at(p))) p++;
    else return false;
    if (this.at(p) === 0x2e) {
      p++;
      if (!isDigit(this.at(p))) return false;
      while (isDigit(this.at(p))) p++;
    }
    const e = this.at(p);
    if (e === 0x65 || e === 0x45) {
      p++;
      const sg = this.at(p);
      if (sg === 0x2b || sg === 0x2d) p++;
      if (!isDigit(this.at(p))) return false;
      while (isDigit(this.at(p))) p++;
    }
    this.pos = p;
    return !sink.number(depth, this.line, start, p);
  }
}

/**
 * §7 strings decoded from UTF-8 into a reused UTF-16 buffer (escapes resolved; a malformed UTF-8
 * sequence becomes U+FFFD, as TextDecoder and JSON.parse of the decoded text would have it).
 */
export class JsonStringReader {
  buf = new Uint16Array(4096);
  len = 0;

  /**
   * Decodes the string whose opening quote is just before `at` into buf (its length in len);
   * returns the position past its closing quote, or -1 where §7 forbids what it meets.
   */
  read(s: Uint8Array, at: number, n: number): number {
    let p = at;
    // Room for the rest of the line: no byte decodes to more than one code unit (a 4-byte
    // sequence to two), so the loop below never checks capacity.
    if (this.buf.length < n - p + 2) this.buf = new Uint16Array(Math.max(2 * this.buf.length, n - p + 2));
    const buf = this.buf;
    let len = 0;
    for (;;) {
      // The common run: printable ASCII, no quote or backslash.
      let c = 0;
      while (p < n) {
        c = s[p];
        if (c === 0x22 || c === 0x5c || c < 0x20 || c >= 0x80) break;
        buf[len++] = c;
        p++;
      }
      if (p >= n) return -1;
      p++;
      if (c === 0x22) break;
      if (c < 0x80) {
        if (c < 0x20) return -1; // §7: control characters must be escaped
        if (c === 0x5c) {
          if (p >= n) return -1;
          const e = s[p++];
          if (e === 0x75) {
            if (p + 4 > n) return -1;
            const h = (hexVal(s[p]) << 12) | (hexVal(s[p + 1]) << 8) | (hexVal(s[p + 2]) << 4) | hexVal(s[p + 3]);
            if (h < 0) return -1;
            c = h;
            p += 4;
          } else if ((c = jsonEscape(e)) < 0) return -1;
        }
        buf[len++] = c;
        continue;
      }
      // UTF-8 (RFC 3629 §3): 2-, 3- or 4-byte sequences; anything malformed decodes to U+FFFD.
      let cp = 0xfffd;
      let need = 0;
      let min = 0;
      if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; min = 0x80; }
      else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; min = 0x800; }
      else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; min = 0x10000; }
      let k = 0;
      while (k < need && p < n && (s[p] & 0xc0) === 0x80) {
        cp = (cp << 6) | (s[p] & 0x3f);
        p++;
        k++;
      }
      if (need === 0 || k < need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        buf[len++] = 0xd800 | (cp >> 10);
        buf[len++] = 0xdc00 | (cp & 0x3ff);
      } else buf[len++] = cp;
    }
    this.len = len;
    return p;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
