/**
 * Text forms of BinXml values, matching the Rust `evtx_dump` tool: uppercase GUIDs without braces,
 * `S-R-A-S1-…` SIDs, ISO-8601 UTC timestamps with microseconds, lowercase unpadded `0x` hex
 * integers and uppercase hex for binary blobs.
 */

const HEX_UP: string[] = [];
for (let i = 0; i < 256; i++) HEX_UP.push(i.toString(16).toUpperCase().padStart(2, '0'));

/**
 * UTF-16LE decode of `buf[start, end)`. Node's native decoder beats any JS loop even for short
 * strings (measured: ~2× a String.fromCharCode loop) and yields flat strings.
 */
export function utf16(buf: Buffer, start: number, end: number): string {
  if (end - start < 2) return '';
  // `ucs2Slice` is what `toString('utf16le')` calls after argument checks we do not need; it
  // has been on Buffer.prototype since Node 0.x but is untyped, hence the guarded cast.
  const e = end - ((end - start) & 1);
  return ucs2 ? ucs2.call(buf, start, e) : buf.toString('utf16le', start, e);
}

const ucs2: ((this: Buffer, s: number, e: number) => string) | undefined = (Buffer.prototype as unknown as { ucs2Slice?: (this: Buffer, s: number, e: number) => string }).ucs2Slice;

/** UTF-16LE decode that stops at the first NUL code unit (substitution strings are NUL-padded). */
export function utf16z(buf: Buffer, start: number, end: number): string {
  const s = utf16(buf, start, end);
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

export function hexUpper(buf: Buffer, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX_UP[buf[i]];
  return s;
}

/** GUID: data1 (u32 LE), data2/data3 (u16 LE), then 8 bytes in order (MS-DTYP §2.3.4). */
export function guidAt(b: Buffer, o: number): string {
  return (
    HEX_UP[b[o + 3]] + HEX_UP[b[o + 2]] + HEX_UP[b[o + 1]] + HEX_UP[b[o]] + '-' +
    HEX_UP[b[o + 5]] + HEX_UP[b[o + 4]] + '-' + HEX_UP[b[o + 7]] + HEX_UP[b[o + 6]] + '-' +
    HEX_UP[b[o + 8]] + HEX_UP[b[o + 9]] + '-' + HEX_UP[b[o + 10]] + HEX_UP[b[o + 11]] +
    HEX_UP[b[o + 12]] + HEX_UP[b[o + 13]] + HEX_UP[b[o + 14]] + HEX_UP[b[o + 15]]
  );
}

/**
 * SID (MS-DTYP §2.4.2): revision, sub-authority count, 48-bit big-endian authority, then u32 LE
 * sub-authorities. Returns the string and the number of bytes it occupies.
 */
export function sidAt(b: Buffer, o: number, end: number): string {
  if (o + 8 > end) return 'S-?';
  const count = b[o + 1];
  const authority = b[o + 2] * 2 ** 40 + b[o + 3] * 2 ** 32 + b.readUInt32BE(o + 4);
  let s = 'S-' + b[o] + '-' + authority;
  let p = o + 8;
  for (let i = 0; i < count && p + 4 <= end; i++, p += 4) s += '-' + b.readUInt32LE(p);
  return s;
}

export function sidSize(b: Buffer, o: number): number {
  return 8 + 4 * b[o + 1];
}

/** 0x-prefixed lowercase hex of an unsigned 64-bit value given as two 32-bit halves. */
export function hex64(lo: number, hi: number): string {
  if (hi === 0) return '0x' + lo.toString(16);
  return '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

/** Days since 1970-01-01 → civil date (H. Hinnant's algorithm; exact for the proleptic Gregorian calendar). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function isoUtc(unixSeconds: number, micros: number): string {
  const days = Math.floor(unixSeconds / 86400);
  let rem = unixSeconds - days * 86400;
  const [y, m, d] = civil(days);
  const hh = Math.floor(rem / 3600);
  rem -= hh * 3600;
  const mm = Math.floor(rem / 60);
  const ss = rem - mm * 60;
  const ys = y >= 0 && y < 10000 ? String(y).padStart(4, '0') : String(y);
  return `${ys}-${pad2(m)}-${pad2(d)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}.${String(micros).padStart(6, '0')}Z`;
}

const FILETIME_UNIX_OFFSET_S = 11644473600;

/**
 * FILETIME (100 ns ticks since 1601-01-01, u64 LE) → `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
 * The 64-bit value is split so every step stays exact in doubles (ticks exceed 2^53).
 */
export function filetimeAt(b: Buffer, o: number): string {
  const lo = b.readUInt32LE(o);
  const hi = b.readUInt32LE(o + 4);
  return filetimeParts(lo, hi);
}

export function filetimeParts(lo: number, hi: number): string {
  // ticks = hi·2^32 + lo = (hiDiv·1e7 + hiMod)·2^32 + lo
  const hiDiv = Math.floor(hi / 1e7);
  const hiMod = hi - hiDiv * 1e7;
  const y = hiMod * 65536; // < 6.6e11, exact
  const yq = Math.floor(y / 1e7);
  const yr = y - yq * 1e7;
  const t = yr * 65536 + lo; // < 6.6e11 + 4.3e9, exact
  const tq = Math.floor(t / 1e7);
  const frac = t - tq * 1e7; // 100 ns ticks within the second
  const seconds = hiDiv * 4294967296 + yq * 65536 + tq;
  return isoUtc(seconds - FILETIME_UNIX_OFFSET_S, Math.floor(frac / 10));
}

/** SYSTEMTIME (MS-DTYP §2.3.13): eight u16 — year, month, weekday, day, hour, minute, second, ms. */
export function systemtimeAt(b: Buffer, o: number): string {
  const year = b.readUInt16LE(o);
  const month = b.readUInt16LE(o + 2);
  const day = b.readUInt16LE(o + 6);
  const hh = b.readUInt16LE(o + 8);
  const mm = b.readUInt16LE(o + 10);
  const ss = b.readUInt16LE(o + 12);
  const ms = b.readUInt16LE(o + 14);
  if (year === 0 && month === 0 && day === 0) return '';
  const ys = String(year).padStart(4, '0');
  return `${ys}-${pad2(month)}-${pad2(day)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}.${String(ms * 1000).padStart(6, '0')}Z`;
}

/** Shortest round-trip text of a double, with a `.0` on integral values like Rust's float formatting. */
export function formatF64(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
  const s = String(v);
  return Number.isInteger(v) && !s.includes('e') ? s + '.0' : s;
}

/** Shortest text that round-trips through a 32-bit float. */
export function formatF32(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return formatF64(v);
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}
