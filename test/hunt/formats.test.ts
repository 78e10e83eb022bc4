import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { formats } from '../../src/cli/hunt/formats.js';
import type { HitRecord } from '../../src/cli/hunt/record.js';

/** A stream that keeps what it is given, and how many writes that took. */
function sink(): { out: Writable; text: () => string; writes: () => number } {
  const parts: string[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      parts.push(String(chunk));
      done();
    },
  });
  return { out, text: () => parts.join(''), writes: () => parts.length };
}

const hit = (i: number): HitRecord => ({
  kind: 'sigma',
  rule: { id: `r${i % 7}`, title: `rule "${i}", with, commas`, level: 'high', tags: ['attack.t1003'] },
  timestamp: new Date(1_700_000_000_000 + i).toISOString(),
  host: `pc${i % 3}`,
  source: { file: 'a.jsonl', line: i + 1 },
  fields: { CommandLine: `x ${'y'.repeat(i % 50)}\n"q"`, n: i },
  attack: ['T1003'],
});

describe('hit output formats', () => {
  it('write what one write per hit wrote, in fewer stream writes, flushed at any point', async () => {
    const hits = Array.from({ length: 5000 }, (_, i) => hit(i));
    const lines = hits.map((h) => JSON.stringify(h)).join('\n') + '\n';
    const s = sink();
    const w = formats.jsonl.create(s.out, { color: false });
    hits.forEach((h, i) => {
      w.write(h);
      if (i % 97 === 0) w.flush();
    });
    w.end();
    await new Promise((r) => setImmediate(r));
    expect(s.text()).toBe(lines);
    // batched: one write per flush, and one per 64 K characters between flushes
    expect(s.writes()).toBeLessThan(200);
    expect(s.writes()).toBeGreaterThan(5000 / 97);

    const j = sink();
    const jw = formats.json.create(j.out, { color: false });
    hits.slice(0, 300).forEach((h) => jw.write(h));
    jw.end();
    await new Promise((r) => setImmediate(r));
    expect(JSON.parse(j.text())).toEqual(JSON.parse(JSON.stringify(hits.slice(0, 300))));

    const c = sink();
    const cw = formats.csv.create(c.out, { color: false });
    hits.slice(0, 10).forEach((h) => cw.write(h));
    // nothing reaches the stream before a flush or the end
    expect(c.writes()).toBe(0);
    cw.end();
    await new Promise((r) => setImmediate(r));
    expect(c.text().startsWith('timestamp,level,rule_id')).toBe(true);
    expect(c.text()).toContain('"rule ""3"", with, commas"');
  });
});
