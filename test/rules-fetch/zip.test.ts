import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ZipArchive, ZipError, crc32, safeEntryName } from '../../src/share/rules-fetch/index.js';
import { WardError } from '../../src/util/index.js';
import { buildZip, fakeRule } from './zip-writer.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as WardError).code;
  }
  return undefined;
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe('ZipArchive', () => {
  it('reads stored and deflated entries, directories and comments', () => {
    const big = 'x'.repeat(100_000);
    const zip = buildZip(
      [
        { name: 'rules/', data: '', method: 0 },
        { name: 'rules/windows/a.yml', data: fakeRule(1) },
        { name: 'rules/windows/b.yml', data: fakeRule(2), method: 0 },
        { name: 'big.txt', data: big },
        { name: 'rules/ünïcode.yml', data: 'title: ü\n' },
      ],
      { comment: 'made by the test' },
    );
    const z = new ZipArchive(zip);
    expect(z.entries.map((e) => e.name)).toEqual(['rules/', 'rules/windows/a.yml', 'rules/windows/b.yml', 'big.txt', 'rules/ünïcode.yml']);
    expect(z.entries[0].isDirectory).toBe(true);
    expect(z.read(z.entries[1]).toString()).toBe(fakeRule(1));
    expect(z.read(z.entries[2]).toString()).toBe(fakeRule(2));
    expect(z.read(z.entries[3]).toString()).toBe(big);
    expect(z.entries[3].compressedSize).toBeLessThan(1000);
    expect(z.read(z.entries[4]).toString()).toBe('title: ü\n');
  });

  it('reads ZIP64 records and extra fields', () => {
    const zip = buildZip([{ name: 'a.yml', data: fakeRule(1), zip64: true }, { name: 'b.yml', data: fakeRule(2), zip64: true }], { zip64Eocd: true });
    const z = new ZipArchive(zip);
    expect(z.entries.map((e) => e.name)).toEqual(['a.yml', 'b.yml']);
    expect(z.read(z.entries[1]).toString()).toBe(fakeRule(2));
  });

  it('flags symlink entries made on Unix', () => {
    const z = new ZipArchive(buildZip([{ name: 'link.yml', data: '/etc/passwd', method: 0, unixMode: 0o120777 }]));
    expect(z.entries[0].isSymlink).toBe(true);
  });

  it('rejects what is not a ZIP archive', () => {
    expect(codeOf(() => new ZipArchive(Buffer.from('')))).toBe('zip.not-zip');
    expect(codeOf(() => new ZipArchive(Buffer.from('<html>Not Found</html>'.repeat(5))))).toBe('zip.not-zip');
  });

  it('rejects a truncated archive with the byte offset', () => {
    const zip = buildZip([{ name: 'a.yml', data: fakeRule(1) }, { name: 'b.yml', data: fakeRule(2) }]);
    // drop the middle: the EOCD survives but the central directory offset now points elsewhere
    const cut = Buffer.concat([zip.subarray(0, 40), zip.subarray(zip.length - 22)]);
    let err: unknown;
    try {
      new ZipArchive(cut);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZipError);
    expect((err as ZipError).code).toMatch(/^zip\.(truncated|corrupt)$/);
    expect((err as ZipError).location?.offset).toBeTypeOf('number');
  });

  it('detects a CRC-32 mismatch', () => {
    const z = new ZipArchive(buildZip([{ name: 'a.yml', data: fakeRule(1), crc: 0x12345678 }]));
    expect(codeOf(() => z.read(z.entries[0]))).toBe('zip.crc');
  });

  it('refuses a lying size (decompression bomb guard) and corrupt deflate data', () => {
    const lying = new ZipArchive(buildZip([{ name: 'bomb.yml', data: 'A'.repeat(50_000), size: 10 }]));
    expect(codeOf(() => lying.read(lying.entries[0]))).toBe('zip.corrupt');
    const zip = buildZip([{ name: 'a.yml', data: fakeRule(1) }]);
    zip.fill(0xff, 30 + 'a.yml'.length, 30 + 'a.yml'.length + 20); // scribble over the deflate stream
    const z = new ZipArchive(zip);
    expect(codeOf(() => z.read(z.entries[0]))).toMatch(/^zip\.(corrupt|crc)$/);
  });

  it('refuses encrypted entries and unknown compression methods', () => {
    expect(codeOf(() => new ZipArchive(buildZip([{ name: 'a.yml', data: 'x', flags: 1 }])))).toBe('zip.unsupported');
    const z = new ZipArchive(buildZip([{ name: 'a.yml', data: 'x', method: 12 }]));
    expect(codeOf(() => z.read(z.entries[0]))).toBe('zip.unsupported');
  });

  it('enforces entry and total size limits', () => {
    const zip = buildZip([{ name: 'a.yml', data: 'x'.repeat(5000) }, { name: 'b.yml', data: 'y'.repeat(5000) }]);
    expect(codeOf(() => new ZipArchive(zip, { maxEntryBytes: 4000 }))).toBe('zip.limit');
    expect(codeOf(() => new ZipArchive(zip, { maxTotalBytes: 8000 }))).toBe('zip.limit');
    expect(codeOf(() => new ZipArchive(zip, { maxEntries: 1 }))).toBe('zip.limit');
    expect(new ZipArchive(zip).entries).toHaveLength(2);
  });

  it.each(['../evil.yml', 'rules/../../evil.yml', '/etc/cron.d/evil', 'C:\\Windows\\evil.yml', 'c:evil.yml', '..\\..\\evil.yml', 'a/\0b.yml', '\\\\server\\share\\x.yml'])(
    'rejects the zip-slip path %j',
    (name) => {
      expect(codeOf(() => new ZipArchive(buildZip([{ name: 'ok.yml', data: 'x' }, { name, data: 'x' }])))).toBe('zip.unsafe-path');
    },
  );

  it('normalises harmless path forms', () => {
    expect(safeEntryName('rules\\windows\\a.yml')).toBe('rules/windows/a.yml');
    expect(safeEntryName('./rules//a.yml')).toBe('rules/a.yml');
    expect(safeEntryName('rules/')).toBe('rules/');
    expect(safeEntryName('a..b.yml')).toBe('a..b.yml');
  });

  it('never fails with anything but a ZipError on mutated archives (property)', () => {
    const zip = buildZip([
      { name: 'rules/a.yml', data: fakeRule(1) },
      { name: 'rules/b.yml', data: fakeRule(2), method: 0 },
      { name: 'LICENSE', data: 'licence text' },
    ]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(zip.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(zip.length), (edits, cutAt) => {
        const bad = Buffer.from(zip);
        for (const [at, v] of edits) bad[at] = v;
        const input = cutAt % 3 === 0 ? bad.subarray(0, cutAt) : bad;
        try {
          const z = new ZipArchive(input);
          for (const e of z.entries) if (!e.isDirectory) z.read(e);
        } catch (err) {
          if (!(err instanceof WardError)) throw err;
        }
      }),
      { numRuns: 400, seed: 42 },
    );
  });
});
