import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readChunk, renderJson, renderXml, walkEvtxFileSync } from '../../src/sources/evtx/index.js';
import { buildSampleChunks, buildSampleFile } from './helpers/fixtures.js';
import { tempDir } from '../support/tmp.js';

/**
 * Property: whatever bytes a file holds, the reader returns (no uncaught exception, no hang —
 * every loop is bounded by the chunk size and nesting is capped), reports at most a bounded number
 * of problems per chunk, and renders every record it accepts.
 */
const dir = tempDir('ward-evtx-fuzz-');
const chunks = buildSampleChunks();
const file = buildSampleFile();

const mutation = fc.record({ pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) });

function mutate(base: Buffer, muts: { pos: number; byte: number }[], from: number, to: number): Buffer {
  const b = Buffer.from(base);
  for (const m of muts) b[from + (m.pos % (to - from))] = m.byte;
  return b;
}

describe('evtx robustness (fast-check)', () => {
  it('mutated chunks never throw; records render', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1 }), fc.array(mutation, { minLength: 1, maxLength: 24 }), (which, muts) => {
        const used = chunks[which].readUInt32LE(48);
        const buf = mutate(chunks[which], muts, 0, Math.max(used, 600));
        let records = 0;
        let problems = 0;
        readChunk(buf, 4096, {
          record(root) {
            records++;
            JSON.stringify(renderJson(root));
            renderXml(root);
          },
          problem(code, message, offset) {
            problems++;
            expect(code).toMatch(/^evtx\./);
            expect(typeof message).toBe('string');
            expect(offset).toBeGreaterThanOrEqual(4096);
          },
        });
        expect(records).toBeLessThanOrEqual(3);
        expect(problems).toBeLessThanOrEqual(3 + 3);
      }),
      { numRuns: 400 },
    );
  });

  it('mutated and truncated files never throw', () => {
    let i = 0;
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 16 }), fc.option(fc.nat({ max: file.length }), { nil: undefined }), (muts, cut) => {
        let b = mutate(file, muts, 0, file.length);
        if (cut !== undefined) b = b.subarray(0, cut);
        const path = join(dir, `f${i++ % 8}.evtx`);
        writeFileSync(path, b);
        const s = walkEvtxFileSync(path, { record: (root) => void renderJson(root), problem: () => undefined });
        expect(s.records).toBeLessThanOrEqual(5);
        expect(s.chunks).toBeLessThanOrEqual(2);
      }),
      { numRuns: 150 },
    );
  });

  it('random bytes after a valid header never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 70000 }), (bytes) => {
        const chunk = Buffer.alloc(65536);
        chunk.set(bytes.subarray(0, 65536));
        chunk.write('ElfChnk\0', 0, 'latin1');
        chunk.writeUInt32LE(65536, 48);
        readChunk(chunk, 4096, { record: (r) => void renderJson(r), problem: () => undefined });
      }),
      { numRuns: 60 },
    );
  });
});
