import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../../src/sources/index.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('ward-lines-');
let k = 0;

async function collect(content: Buffer, max: number) {
  const f = join(dir, `l${k++}.txt`);
  writeFileSync(f, content);
  const out = [];
  for await (const l of readLines(f, max)) out.push(l);
  return out;
}

/** What a whole-buffer split gives: text without CR, line number, byte offset, too long. */
function expected(content: Buffer, max: number) {
  const out = [];
  let start = 0;
  let n = 1;
  for (;;) {
    const nl = content.indexOf(10, start);
    const end = nl < 0 ? content.length : nl;
    if (nl < 0 && start === content.length) break;
    const len = end - start;
    if (len > max) out.push({ text: '', line: n, offset: start, tooLong: true });
    else out.push({ text: content.toString('utf8', start, end).replace(/\r$/, ''), line: n, offset: start });
    if (nl < 0) break;
    start = nl + 1;
    n++;
  }
  return out;
}

describe('shared line splitter (sources/lines.ts) through readLines', () => {
  it('gives every line its number and byte offset, across read chunks and over-long lines', async () => {
    const parts = ['a', 'é€😀\r', 'x'.repeat(1_200_000), '', 'y'.repeat(3_000_000), 'last'];
    const content = Buffer.from(parts.join('\n'));
    expect(await collect(content, 2_000_000)).toEqual(expected(content, 2_000_000));
  });
  it('matches a whole-buffer split on arbitrary content (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'é', '\n', '\r\n', 'xyz', '😀'), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), async (bits, max) => {
        const content = Buffer.from(bits.join(''));
        expect(await collect(content, max)).toEqual(expected(content, max));
      }),
      { numRuns: 100 },
    );
  });
});
