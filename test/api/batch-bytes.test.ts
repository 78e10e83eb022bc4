import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseBatch, parseBatchBytes } from '../../src/api/index.js';

const texts = (b: Buffer, r: ReturnType<typeof parseBatchBytes>) =>
  r.ok && 'lines' in r ? Array.from({ length: r.lines.count }, (_, i) => b.toString('utf8', r.lines.offsets[2 * i], r.lines.offsets[2 * i + 1])) : undefined;

describe('parseBatchBytes agrees with parseBatch', () => {
  const bodies = [
    '{"a":1}\n{"b":2}\n',
    '\ufeff{"a":1}\r\n\r\n  {"b":"é"}  \r\n',
    '{"a":1}\n\u00a0\u2003\n{"b":2}',
    '{"a":1}\n{"b":\n',
    '{"a":1}\nnot json\n[1]\n',
    '[{"a":1},{"b":2}]',
    '{\n  "pretty": true\n}\n',
    '\n\n',
    '{"a":1}\n\u000b\n',
  ];
  for (const body of bodies) {
    it(JSON.stringify(body), () => {
      const buf = Buffer.from(body);
      const bytes = parseBatchBytes(buf, DEFAULT_LIMITS);
      const text = parseBatch(body, DEFAULT_LIMITS);
      expect(bytes.ok).toBe(text.ok);
      if (!text.ok || !bytes.ok) {
        expect(bytes).toEqual(text);
        return;
      }
      const got = 'lines' in bytes ? texts(buf, bytes)!.map((t) => JSON.parse(t) as unknown) : bytes.records.map((r) => r.data);
      expect(got).toEqual(text.records.map((r) => r.data));
    });
  }

  it('keeps NDJSON lines as byte ranges of the body (nothing decoded or re-serialized)', () => {
    const buf = Buffer.from('{"x":"é"}\r\n\n{"y":[1, 2]}');
    const r = parseBatchBytes(buf, DEFAULT_LIMITS);
    expect(r.ok && 'lines' in r).toBe(true);
    expect(texts(buf, r)).toEqual(['{"x":"é"}', '{"y":[1, 2]}']);
  });

  it('refuses more events than the limit', () => {
    const r = parseBatchBytes(Buffer.from('{}\n{}\n{}\n'), { ...DEFAULT_LIMITS, maxEventsPerBatch: 2 });
    expect(r).toMatchObject({ ok: false, status: 413 });
  });
});
