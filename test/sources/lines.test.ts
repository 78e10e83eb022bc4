import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readByteLines } from '../../src/sources/lines.js';
import { tempDir } from '../support/tmp.js';

// readByteLines against the obvious reference (split on \n), with chunks of a few bytes so that
// lines start, end and exceed the limit across chunk boundaries in every way.
describe('readByteLines', () => {
  const dir = tempDir('ward-lines-');
  it('numbers, places and limits every line as a split on newlines does (property)', async () => {
    let crossing = 0;
    let tooLongSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 40, unit: fc.constantFrom('a', 'b', 'é', '{', ' ', '\r') }), { maxLength: 30 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 17 }),
        async (lines, trailing, maxBytes, chunk) => {
          const text = lines.join('\n') + (trailing ? '\n' : '');
          const f = join(dir, 'l.txt');
          writeFileSync(f, text);
          const got: unknown[] = [];
          for await (const b of readByteLines(f, maxBytes, false, undefined, chunk)) {
            for (let k = 0; k < b.tooLong.length; k += 3) got.push({ n: b.tooLong[k], tooLong: b.tooLong[k + 1], at: b.tooLong[k + 2] });
            for (let k = 0; k < b.spans.length; k += 4) {
              got.push({ n: b.spans[k + 2], text: b.buf.toString('utf8', b.spans[k], b.spans[k + 1]), at: b.spans[k + 3] });
              if (b.spans[k] === 0 && b.spans[k + 3] % chunk !== 0) crossing++;
            }
          }
          const want: unknown[] = [];
          // the reference: every piece between newlines is a line, except an empty one at the end
          const all = text.split('\n');
          if (all[all.length - 1] === '') all.pop();
          let at = 0;
          all.forEach((l, i) => {
            const len = Buffer.byteLength(l);
            if (len > maxBytes) {
              want.push({ n: i + 1, tooLong: len, at });
              tooLongSeen++;
            } else want.push({ n: i + 1, text: l, at });
            at += len + 1;
          });
          const byLine = (a: unknown[]) => [...a].sort((x, y) => (x as { n: number }).n - (y as { n: number }).n);
          expect(byLine(got)).toEqual(want);
        },
      ),
      { numRuns: 400 },
    );
    // Not vacuous: lines were joined across chunks, and some were over the limit.
    expect(crossing).toBeGreaterThan(100);
    expect(tooLongSeen).toBeGreaterThan(100);
  });
});
