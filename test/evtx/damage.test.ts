import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/util/index.js';
import { renderJson, walkEvtxFileSync, readEvtx } from '../../src/sources/evtx/index.js';
import { crc32 } from '../../src/sources/evtx/crc32.js';
import { fixChunkChecksums } from './helpers/binxml-writer.js';
import { buildSampleFile, expected } from './helpers/fixtures.js';
import { tempDir } from '../support/tmp.js';

/**
 * Deliberately damaged copies of the sample (chunk 0: records 101–103, chunk 1: 104–105) with the
 * exact good/bad outcome each must produce: what is broken is reported with its byte offset, every
 * other record is kept.
 */
const dir = tempDir('ward-evtx-damage-');
let n = 0;

function read(buf: Buffer) {
  const file = join(dir, `d${n++}.evtx`);
  writeFileSync(file, buf);
  const ids: number[] = [];
  const problems: Problem[] = [];
  const summary = walkEvtxFileSync(file, {
    record(root, h) {
      ids.push(h.recordId);
      expect(renderJson(root)).toEqual(expected[h.recordId]);
    },
    problem: (p) => void problems.push(p),
  });
  return { ids, problems, codes: problems.map((p) => p.code).sort(), summary, file };
}

const CHUNK0 = 4096;
const CHUNK1 = 4096 + 65536;

/** Offset (in the file) of the record with `id`. */
function recordOffset(buf: Buffer, id: number): number {
  for (const base of [CHUNK0, CHUNK1]) {
    let off = base + 512;
    while (buf.readUInt32LE(off) === 0x2a2a) {
      if (Number(buf.readBigUInt64LE(off + 8)) === id) return off;
      off += buf.readUInt32LE(off + 4);
    }
  }
  throw new Error(`no record ${id}`);
}

describe('damaged evtx files', () => {
  it('reads an intact file without problems', () => {
    const r = read(buildSampleFile());
    expect(r.ids).toEqual([101, 102, 103, 104, 105]);
    expect(r.problems).toEqual([]);
  });

  it('truncated inside the last record: keeps the 4 complete records, reports the cut', () => {
    const buf = buildSampleFile();
    const cut = recordOffset(buf, 105) + 40;
    const r = read(buf.subarray(0, cut));
    expect(r.ids).toEqual([101, 102, 103, 104]);
    expect(r.summary.badRecords).toBe(1);
    // the missing tail reads as zeros, so the record's trailing size copy (0) no longer matches
    expect(r.codes).toEqual(['evtx.chunk-records-checksum', 'evtx.file-truncated', 'evtx.record-size-copy']);
    expect(r.problems.find((p) => p.code === 'evtx.file-truncated')!.location.offset).toBe(cut);
    expect(r.problems.find((p) => p.code === 'evtx.record-size-copy')!.location.offset).toBe(cut - 40);
  });

  it('a flipped token byte loses only that record', () => {
    const buf = buildSampleFile();
    const off = recordOffset(buf, 102);
    buf[off + 24 + 4] = 0x7f; // the template-instance token after the fragment header
    const r = read(buf);
    expect(r.ids).toEqual([101, 103, 104, 105]);
    expect(r.summary.badRecords).toBe(1);
    expect(r.codes).toEqual(['evtx.bad-token', 'evtx.chunk-records-checksum']);
    const bad = r.problems.find((p) => p.code === 'evtx.bad-token')!;
    expect(bad.location).toMatchObject({ record: 102, offset: off + 28 });
    expect(bad.message).toContain('0x7f');
  });

  it('a bad chunk signature skips that chunk only', () => {
    const buf = buildSampleFile();
    buf.write('XXXXXXX\0', CHUNK0, 'latin1');
    const r = read(buf);
    expect(r.ids).toEqual([104, 105]);
    expect(r.codes).toEqual(['evtx.chunk-magic']);
    expect(r.problems[0].location.offset).toBe(CHUNK0);
  });

  it('a bad chunk header checksum is reported, records are still read', () => {
    const buf = buildSampleFile();
    buf.writeUInt32LE((buf.readUInt32LE(CHUNK1 + 124) ^ 1) >>> 0, CHUNK1 + 124);
    const r = read(buf);
    expect(r.ids).toEqual([101, 102, 103, 104, 105]);
    expect(r.codes).toEqual(['evtx.chunk-header-checksum']);
    expect(r.problems[0].location.offset).toBe(CHUNK1 + 124);
  });

  it('a bad record-data checksum is reported, records are still read', () => {
    const buf = buildSampleFile();
    const chunk = buf.subarray(CHUNK0, CHUNK1);
    chunk.writeUInt32LE((chunk.readUInt32LE(52) ^ 0xffff) >>> 0, 52);
    // keep the header checksum right so only the data checksum is wrong
    chunk.writeUInt32LE(crc32(chunk.subarray(128, 512), crc32(chunk.subarray(0, 120))), 124);
    const r = read(buf);
    expect(r.ids).toEqual([101, 102, 103, 104, 105]);
    expect(r.codes).toEqual(['evtx.chunk-records-checksum']);
  });

  it('a bad record signature ends that chunk, the next chunk is read', () => {
    const buf = buildSampleFile();
    const off = recordOffset(buf, 102);
    buf.writeUInt32LE(0x2a2b, off);
    const r = read(buf);
    expect(r.ids).toEqual([101, 104, 105]);
    expect(r.codes).toEqual(['evtx.chunk-records-checksum', 'evtx.record-magic']);
    expect(r.problems.find((p) => p.code === 'evtx.record-magic')!.location.offset).toBe(off);
  });

  it('a record whose size disagrees with its trailing copy is skipped with the rest of its chunk', () => {
    const buf = buildSampleFile();
    const off = recordOffset(buf, 102);
    buf.writeUInt32LE(buf.readUInt32LE(off + 4) + 8, off + 4);
    fixChunkChecksums(buf.subarray(CHUNK0, CHUNK1));
    const r = read(buf);
    expect(r.ids).toEqual([101, 104, 105]);
    expect(r.codes).toEqual(['evtx.record-size-copy']);
  });

  it('an absurd substitution count fails only its record', () => {
    const buf = buildSampleFile();
    const off = recordOffset(buf, 105);
    const chunk = buf.subarray(CHUNK1, CHUNK1 + 65536);
    // find the substitution count: right after the inline template definition
    const rel = off - CHUNK1;
    const defOffset = chunk.readUInt32LE(rel + 24 + 4 + 6);
    const countAt = defOffset === rel + 24 + 14 ? defOffset + 24 + chunk.readUInt32LE(defOffset + 20) : rel + 24 + 14;
    chunk.writeUInt32LE(0x7fffffff, countAt);
    fixChunkChecksums(chunk);
    const r = read(buf);
    expect(r.ids).toEqual([101, 102, 103, 104]);
    expect(r.codes).toEqual(['evtx.substitution-count']);
    expect(r.problems[0].location.record).toBe(105);
  });

  it('a file that is not EVTX yields one problem and no records', () => {
    const r = read(Buffer.from('{"Event": {}}\n'));
    expect(r.ids).toEqual([]);
    expect(r.codes).toEqual(['evtx.file-magic']);
  });

  it('a zero-filled (pre-allocated) chunk is not damage', () => {
    const r = read(Buffer.concat([buildSampleFile(), Buffer.alloc(65536)]));
    expect(r.ids).toEqual([101, 102, 103, 104, 105]);
    expect(r.problems).toEqual([]);
  });

  it('the async reader reports the same problems as items', async () => {
    const buf = buildSampleFile();
    buf.write('XXXXXXX\0', CHUNK1, 'latin1');
    const file = join(dir, 'async.evtx');
    writeFileSync(file, buf);
    const kinds: string[] = [];
    for await (const batch of readEvtx(file)) for (const it of batch) kinds.push(it.kind === 'record' ? `r${it.loc.record}` : it.problem.code);
    expect(kinds).toEqual(['r101', 'r102', 'r103', 'evtx.chunk-magic']);
  });

  it('the async reader handles a truncated file like the synchronous one', async () => {
    const buf = buildSampleFile();
    const cut = recordOffset(buf, 105) + 40;
    const file = join(dir, 'async-cut.evtx');
    writeFileSync(file, buf.subarray(0, cut));
    const kinds: string[] = [];
    for await (const batch of readEvtx(file, { batchSize: 1 })) for (const it of batch) kinds.push(it.kind === 'record' ? `r${it.loc.record}` : it.problem.code);
    expect(kinds).toEqual(['r101', 'r102', 'r103', 'evtx.file-truncated', 'evtx.chunk-records-checksum', 'r104', 'evtx.record-size-copy']);
  });
});

describe('damaged template definitions', () => {
  it('every record using a broken template reports the same damage', () => {
    const buf = buildSampleFile();
    // Record 101 defines the process template inline; break a token inside that definition.
    const off = recordOffset(buf, 101);
    const defOffset = buf.readUInt32LE(off + 24 + 4 + 6);
    buf[CHUNK0 + defOffset + 24 + 4] = 0x7f; // first token after the template's fragment header
    const r = read(buf);
    expect(r.ids).toEqual([103, 104, 105]);
    expect(r.problems.filter((p) => p.code === 'evtx.bad-token').map((p) => p.location.record)).toEqual([101, 102]);
  });
});
