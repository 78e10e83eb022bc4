import * as zlib from 'node:zlib';

/**
 * CRC-32 as used by EVTX headers (RFC 1952 polynomial, initial value 0 — libyal EVTX notes
 * "File header" / "Chunk header"). Node ≥ 20.15 ships a native `zlib.crc32`; older runtimes use
 * the table-driven fallback below.
 */
const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Int32Array | undefined;
function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

export function crc32(data: Uint8Array, prev = 0): number {
  if (native) return native(data, prev) >>> 0;
  table ??= makeTable();
  let c = ~prev;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
