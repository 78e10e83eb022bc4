/**
 * A minimal ZIP writer for the tests (PKWARE APPNOTE.TXT): builds well-formed archives and,
 * on request, broken or hostile ones (bad CRC, lying sizes, encrypted flag, odd methods, ZIP64
 * records, arbitrary entry names such as "../x") to exercise the reader's checks.
 */
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../src/share/rules-fetch/index.js';

export interface WriteEntry {
  name: string;
  data?: string | Buffer;
  /** 0 stored, 8 deflate (default), anything else written as-is */
  method?: number;
  /** override the CRC written in both headers */
  crc?: number;
  /** override the uncompressed size written in both headers */
  size?: number;
  flags?: number;
  /** write sizes and offset as 0xFFFFFFFF with a ZIP64 extra field */
  zip64?: boolean;
  /** Unix mode (e.g. 0o120777 for a symlink), stored with "made by" Unix */
  unixMode?: number;
}

export function buildZip(entries: WriteEntry[], opts: { comment?: string; zip64Eocd?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : (e.data ?? Buffer.alloc(0));
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(raw) : raw;
    const crc = e.crc ?? crc32(raw);
    const size = e.size ?? raw.length;
    const name = Buffer.from(e.name, 'utf8');
    const flags = (e.flags ?? 0) | 0x800;
    let extra = Buffer.alloc(0);
    if (e.zip64) {
      extra = Buffer.alloc(4 + 24);
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const big = (v: number) => (e.zip64 ? 0xffffffff : v);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(big(body.length), 18);
    local.writeUInt32LE(big(size), 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const localAll = Buffer.concat([local, name, extra, body]);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.unixMode !== undefined ? (3 << 8) | 20 : 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(big(body.length), 20);
    central.writeUInt32LE(big(size), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(e.unixMode !== undefined ? (e.unixMode << 16) >>> 0 : 0, 38);
    central.writeUInt32LE(big(offset), 42);
    centrals.push(Buffer.concat([central, name, extra]));
    locals.push(localAll);
    offset += localAll.length;
  }
  const cd = Buffer.concat(centrals);
  const comment = Buffer.from(opts.comment ?? '', 'utf8');
  const tail: Buffer[] = [];
  if (opts.zip64Eocd) {
    const e64 = Buffer.alloc(56);
    e64.writeUInt32LE(0x06064b50, 0);
    e64.writeBigUInt64LE(44n, 4);
    e64.writeUInt16LE(45, 12);
    e64.writeUInt16LE(45, 14);
    e64.writeBigUInt64LE(BigInt(entries.length), 24);
    e64.writeBigUInt64LE(BigInt(entries.length), 32);
    e64.writeBigUInt64LE(BigInt(cd.length), 40);
    e64.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(e64, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(opts.zip64Eocd ? 0xffff : entries.length, 8);
  eocd.writeUInt16LE(opts.zip64Eocd ? 0xffff : entries.length, 10);
  eocd.writeUInt32LE(opts.zip64Eocd ? 0xffffffff : cd.length, 12);
  eocd.writeUInt32LE(opts.zip64Eocd ? 0xffffffff : offset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, ...tail, eocd, comment]);
}

/** A tiny, made-up rule (written for these tests; not a real detection). */
export function fakeRule(id: number): string {
  return [
    `title: Test rule number ${id}`,
    `id: 00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    'logsource:',
    '  product: windows',
    '  category: process_creation',
    'detection:',
    '  selection:',
    `    CommandLine|contains: 'ward-test-${id}'`,
    '  condition: selection',
    'level: low',
    '',
  ].join('\n');
}
