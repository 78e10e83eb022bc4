import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFile, type Detector } from '../../src/detect/index.js';
import { tempDir } from '../support/tmp.js';

describe('runFile', () => {
  it('turns a detector that throws on one event into a problem of that line and reads on', async () => {
    const f = join(tempDir('ward-run-'), 'events.jsonl');
    writeFileSync(f, ['{"n":1}', '{"n":2}', '{"n":3}'].join('\n') + '\n');
    const seen: unknown[] = [];
    const fragile: Detector = {
      name: 'fragile',
      process(ev) {
        const n = ev.get('n');
        if (n === 2) throw new RangeError('Maximum call stack size exceeded');
        seen.push(n);
        return [];
      },
      flush: () => [],
    } as Detector;
    let events = 0;
    const problems: { code: string; message: string; line?: number }[] = [];
    for await (const u of runFile(f, [fragile])) {
      events += u.events;
      for (const p of u.problems) problems.push({ code: p.code, message: p.message, line: p.location?.line });
    }
    expect(seen).toEqual([1, 3]);
    expect(events).toBe(3);
    expect(problems).toEqual([{ code: 'detect', message: 'fragile: Maximum call stack size exceeded', line: 2 }]);
  });
});

describe('runFile over hostile lines (property)', () => {
  it('accounts for every line, as an event or a problem of that line, and never stops early', async () => {
    const { ruleset, event, line } = await import('../sigma/raw-fixtures.js');
    const { createSigmaDetector } = await import('../../src/detect/index.js');
    const fc = (await import('fast-check')).default;
    const dir = tempDir('ward-run-hostile-');
    // lines: generated evtx events, damaged ones, and arbitrary JSON (any depth and shape)
    const hostile = fc.oneof(
      event.map(line),
      fc.tuple(event.map(line), fc.nat(), fc.nat({ max: 3 })).map(([l, at, k]) => (k === 0 ? l.slice(0, at % l.length) : k === 1 ? l.replace('"Image"', '"Image":1,"x"') : l)),
      fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify({ Event: { System: { EventID: 1, Channel: 'System' }, EventData: { Data: v, Foo: v } } })),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    );
    let n = 0;
    await fc.assert(
      // The first line is a whole event: a file that opens with a broken object or an array is
      // read as one JSON document (pretty-printed), not line by line (sources/json/reader.ts).
      fc.asyncProperty(event.map(line), fc.array(hostile, { minLength: 1, maxLength: 12 }), async (first, ls) => {
        // one event or problem per non-blank line (newlines inside a generated string split it)
        const text = [first, ...ls].map((l) => l.replace(/[\r\n]/g, ' ')).join('\n') + '\n';
        const f = join(dir, `f${n++}.jsonl`);
        writeFileSync(f, text);
        const want = text.split('\n').filter((l) => l.trim() !== '').length;
        let accounted = 0;
        const codes = new Set<string>();
        for await (const u of runFile(f, [createSigmaDetector(ruleset)], { format: 'json' })) {
          accounted += u.events + u.problems.length;
          for (const p of u.problems) codes.add(p.code);
        }
        expect(codes.has('input.io')).toBe(false);
        expect(accounted).toBe(want);
      }),
      { numRuns: 150 },
    );
  });
});
