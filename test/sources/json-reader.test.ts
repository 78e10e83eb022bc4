import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { jsonReader } from '../../src/sources/index.js';
import type { SourceItem } from '../../src/sources/index.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('ward-json-');
let n = 0;
async function read(content: string | Buffer, name = `f${n++}.jsonl`, maxLineBytes?: number): Promise<SourceItem[]> {
  const file = join(dir, name);
  writeFileSync(file, content);
  const out: SourceItem[] = [];
  for await (const b of jsonReader.read(file, { maxLineBytes })) out.push(...b);
  return out;
}
const records = (items: SourceItem[]) => items.filter((i) => i.kind === 'record') as Extract<SourceItem, { kind: 'record' }>[];
const problems = (items: SourceItem[]) => items.filter((i) => i.kind === 'problem') as Extract<SourceItem, { kind: 'problem' }>[];

describe('JSON reader', () => {
  it('reads JSON Lines with 1-based line numbers, CRLF and blank lines', async () => {
    const items = await read('{"a":1}\r\n\n{"a":2}\n');
    expect(records(items).map((r) => [r.data.a, r.loc.line])).toEqual([
      [1, 1],
      [2, 3],
    ]);
  });
  it('reports a broken line and a non-object line by line number and keeps going', async () => {
    const items = await read('{"a":1}\n{"a":\n42\n{"a":3}\n');
    expect(records(items).map((r) => r.data.a)).toEqual([1, 3]);
    expect(problems(items).map((p) => [p.problem.code, p.problem.location.line])).toEqual([
      ['json.syntax', 2],
      ['json.not-object', 3],
    ]);
  });
  it('hands a long file over in small batches, every line once, in order, problems in place', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => (i === 400 ? '{"a":' : i === 700 ? '[1]' : JSON.stringify({ a: i })));
    const file = join(dir, 'long.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const batches: SourceItem[][] = [];
    for await (const b of jsonReader.read(file, {})) batches.push(b);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(64);
    const items = batches.flat();
    expect(records(items).map((r) => r.loc.line)).toEqual(lines.map((_, i) => i + 1).filter((l) => l !== 401 && l !== 701));
    expect(records(items).every((r) => r.data.a === (r.loc.line ?? 0) - 1)).toBe(true);
    expect(problems(items).map((p) => [p.problem.code, p.problem.location.line])).toEqual([['json.syntax', 401], ['json.not-object', 701]]);
  });
  it('skips lines over the limit without holding them in memory', async () => {
    const items = await read(`{"a":1}\n{"big":"${'x'.repeat(5000)}"}\n{"a":3}\n`, undefined, 1000);
    expect(records(items).map((r) => r.data.a)).toEqual([1, 3]);
    expect(problems(items)[0].problem).toMatchObject({ code: 'json.too-long', location: { line: 2 } });
  });
  it('reads a JSON array and pretty-printed concatenated objects with their start lines', async () => {
    const arr = records(await read('[\n {"a":1},\n {"a":"}{"}\n]\n', 'arr.json'));
    expect(arr.map((r) => [r.data.a, r.loc.line])).toEqual([
      [1, 2],
      ['}{', 3],
    ]);
    const pretty = records(await read('{\n  "a": 1\n}\n{\n  "a": {"b": "\\"}"}\n}\n', 'pretty.json'));
    expect(pretty.map((r) => r.loc.line)).toEqual([1, 4]);
  });
  it('reads a JSON Lines file whose first line was cut short line by line, not as one broken document', async () => {
    const lines = ['{"Event":{"System":{"EventID":1', ...Array.from({ length: 50 }, (_, i) => JSON.stringify({ a: i }))];
    const items = await read(lines.join('\n') + '\n');
    expect(records(items).map((r) => r.data.a)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(problems(items).map((p) => [p.problem.code, p.problem.location.line])).toEqual([['json.syntax', 1]]);
    // the same cut first line before a pretty-printed object: a document after all
    const doc = await read('{"a":\n  1\n}\n', 'doc.json');
    expect(records(doc).map((r) => r.data.a)).toEqual([1]);
  });
  it('reads gzip by its magic bytes', async () => {
    const items = await read(gzipSync('{"a":1}\n{"a":2}\n'), 'x.jsonl.gz');
    expect(records(items)).toHaveLength(2);
  });
  it('fuzz: arbitrary bytes and mutated input never throw, and intact lines are still read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 5 }), async (junk, values) => {
        const good = values.map((v) => JSON.stringify({ v }));
        const text = Buffer.concat([Buffer.from(good.join('\n') + '\n'), Buffer.from(junk), Buffer.from('\n' + good.join('\n') + '\n')]);
        const items = await read(text);
        const vs = records(items).map((r) => r.data.v);
        // every intact line before the junk is read; junk never throws
        for (const v of values) expect(vs).toContain(v);
      }),
      { numRuns: 60 },
    );
  });
  it('reads lines that span read chunks, and skips over-long ones across chunks without keeping them', async () => {
    const big = JSON.stringify({ a: 'x'.repeat(1_500_000) }); // crosses the 1 MiB read chunk
    const huge = JSON.stringify({ b: 'y'.repeat(3_000_000) });
    const items = await read(`${big}\n${huge}\n{"c":3}\n${big}`, undefined, 2_000_000);
    expect(records(items).map((r) => [Object.keys(r.data)[0], r.loc.line])).toEqual([
      ['a', 1],
      ['c', 3],
      ['a', 4],
    ]);
    expect(problems(items).map((p) => [p.problem.code, p.problem.location.line])).toEqual([['json.too-long', 2]]);
    expect(problems(items)[0].problem.message).toContain(`${huge.length} bytes`);
  });
});
