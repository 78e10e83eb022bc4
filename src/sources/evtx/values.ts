import { EvtxFormatError } from './cursor.js';
import { filetimeAt, formatF32, formatF64, guidAt, hex64, hexUpper, sidAt, sidSize, systemtimeAt, utf16, utf16z } from './format.js';
import { ArrayValue, type Fragment, type Scalar, type Value } from './model.js';
import * as T from './tokens.js';

/** Parses a nested BinXml fragment (value type 0x21) found at `[start, end)`. */
export type NestedParser = (start: number, end: number, depth: number) => Fragment;

function tooShort(type: number, size: number, need: number, off: number): EvtxFormatError {
  return new EvtxFormatError(
    'evtx.value-size',
    `substitution value type 0x${type.toString(16)} needs ${need} bytes, descriptor gives ${size}`,
    off,
  );
}

/** Size of each fixed-size scalar type (0: variable-sized or unknown); a table beats a switch here. */
const FIXED_SIZE = new Uint8Array(256);
for (const [t, n] of [
  [T.VT_INT8, 1], [T.VT_UINT8, 1], [T.VT_INT16, 2], [T.VT_UINT16, 2], [T.VT_INT32, 4], [T.VT_UINT32, 4],
  [T.VT_REAL32, 4], [T.VT_BOOL, 4], [T.VT_HEX_INT32, 4], [T.VT_INT64, 8], [T.VT_UINT64, 8], [T.VT_REAL64, 8],
  [T.VT_FILETIME, 8], [T.VT_HEX_INT64, 8], [T.VT_GUID, 16], [T.VT_SYSTEMTIME, 16],
]) FIXED_SIZE[t] = n;

/** Fixed item size of a scalar type, or 0 when the type is variable-sized. */
function itemSize(type: number, b: Buffer, o: number): number {
  switch (type) {
    case T.VT_INT8: case T.VT_UINT8: return 1;
    case T.VT_INT16: case T.VT_UINT16: return 2;
    case T.VT_INT32: case T.VT_UINT32: case T.VT_REAL32: case T.VT_BOOL: case T.VT_HEX_INT32: return 4;
    case T.VT_INT64: case T.VT_UINT64: case T.VT_REAL64: case T.VT_FILETIME: case T.VT_HEX_INT64: return 8;
    case T.VT_GUID: case T.VT_SYSTEMTIME: return 16;
    case T.VT_SID: return sidSize(b, o);
    default: return 0;
  }
}

/** Reads one fixed-size scalar of `type` at `o` (the caller has checked the bytes exist). */
function scalarAt(type: number, b: Buffer, o: number, size: number): Scalar {
  switch (type) {
    case T.VT_INT8: return (b[o] << 24) >> 24;
    case T.VT_UINT8: return b[o];
    case T.VT_INT16: return (b[o] | (b[o + 1] << 8)) << 16 >> 16;
    case T.VT_UINT16: return b[o] | (b[o + 1] << 8);
    case T.VT_INT32: return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
    case T.VT_UINT32: return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
    case T.VT_INT64: return int64(b.readInt32LE(o + 4), b.readUInt32LE(o));
    case T.VT_UINT64: return int64(b.readUInt32LE(o + 4), b.readUInt32LE(o));
    case T.VT_REAL32: return formatF32(b.readFloatLE(o));
    case T.VT_REAL64: return formatF64(b.readDoubleLE(o));
    case T.VT_BOOL: return size >= 4 ? b.readInt32LE(o) !== 0 : b[o] !== 0;
    case T.VT_GUID: return guidAt(b, o);
    case T.VT_FILETIME: return filetimeAt(b, o);
    case T.VT_SYSTEMTIME: return systemtimeAt(b, o);
    case T.VT_SID: return sidAt(b, o, o + size);
    case T.VT_HEX_INT32: return '0x' + b.readUInt32LE(o).toString(16);
    case T.VT_HEX_INT64: return hex64(b.readUInt32LE(o), b.readUInt32LE(o + 4));
    default: return '';
  }
}

/**
 * A 64-bit integer: a JS number when exact, else its exact decimal text (a double would silently
 * turn 18446744073709551615 into 18446744073709552000).
 */
function int64(hi: number, lo: number): number | string {
  const v = hi * 4294967296 + lo;
  if (Number.isSafeInteger(v)) return v;
  return ((BigInt(hi) << 32n) + BigInt(lo)).toString();
}

function ansi(b: Buffer, start: number, end: number): string {
  let e = start;
  while (e < end && b[e] !== 0) e++;
  return b.toString('latin1', start, e);
}

/**
 * Decodes the substitution value of `type` occupying `size` bytes at `o` in `b` (MS-EVEN6
 * §2.2.18). Strings arrive NUL-padded; sized arrays are split into their items.
 */
export function decodeValue(b: Buffer, o: number, size: number, type: number, depth: number, nested: NestedParser): Value {
  const end = o + size;
  if (end > b.length) throw new EvtxFormatError('evtx.value-truncated', `substitution value runs past the chunk end`, o);
  switch (type) {
    case T.VT_NULL: return null;
    case T.VT_STRING: return utf16z(b, o, end);
    case T.VT_ANSI_STRING: return ansi(b, o, end);
    case T.VT_BINARY: return hexUpper(b, o, end);
    case T.VT_SIZE_T:
      if (size === 4) return '0x' + b.readUInt32LE(o).toString(16);
      if (size === 8) return hex64(b.readUInt32LE(o), b.readUInt32LE(o + 4));
      throw tooShort(type, size, 8, o);
    case T.VT_BINXML: return size === 0 ? null : nested(o, end, depth + 1);
    case T.VT_EVT_HANDLE:
    case T.VT_EVT_XML:
      return null;
    case T.VT_SID:
      if (size < 8 || size < sidSize(b, o)) throw tooShort(type, size, 8, o);
      return sidAt(b, o, end);
    case T.VT_STRING | T.VT_ARRAY_FLAG: return stringArray(b, o, end);
    case T.VT_ANSI_STRING | T.VT_ARRAY_FLAG: return new ArrayValue(ansi(b, o, end).split('\0'));
  }
  if (type & T.VT_ARRAY_FLAG) {
    const base = type & 0x7f;
    const items: Scalar[] = [];
    let p = o;
    while (p < end) {
      const n = itemSize(base, b, p);
      if (n === 0) throw new EvtxFormatError('evtx.value-type', `unsupported array value type 0x${type.toString(16)}`, o);
      if (p + n > end) break;
      items.push(scalarAt(base, b, p, n));
      p += n;
    }
    return new ArrayValue(items);
  }
  const need = FIXED_SIZE[type];
  if (need === 0) throw new EvtxFormatError('evtx.value-type', `unknown substitution value type 0x${type.toString(16)}`, o);
  // Booleans are documented as 32-bit but some providers write one byte.
  if (size < need && !(type === T.VT_BOOL && size >= 1)) throw tooShort(type, size, need, o);
  return scalarAt(type, b, o, size);
}

/** UTF-16 string array: NUL-terminated strings back to back (a final unterminated one is kept). */
function stringArray(b: Buffer, o: number, end: number): ArrayValue {
  const items: string[] = [];
  let start = o;
  let p = o;
  while (p + 1 < end) {
    if ((b[p] | b[p + 1]) === 0) {
      items.push(utf16(b, start, p));
      start = p + 2;
    }
    p += 2;
  }
  if (start + 1 < end) items.push(utf16(b, start, end));
  return new ArrayValue(items);
}
