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
