import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJsonObject } from '../../src/api/jsonbytes.js';

/** The reference: what ingestion accepted before (JSON.parse, top-level object). */
const reference = (s: string): boolean => {
  try {
    const v = JSON.parse(s) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
};
// The line sits inside a larger buffer, as in a request body: the check must stay inside it.
const check = (s: string): boolean => {
  const b = Buffer.from(`{"x":1}\n${s}\n"tail`);
  const start = Buffer.byteLength('{"x":1}\n');
  return isJsonObject(b, start, start + Buffer.byteLength(s));
};

const SEEDS = [
  '{}', '{"a":1}', '{"a":[1,2,{"b":null}],"c":"x\\u00e9"}', '{"a":-0.5e+10}', '{"a":01}', '{"a":1.}', '{"a":"\\x"}',
  ' {"a" : true , "b":false } ', '{"a":[]}', '{"a":{}}', '{"a":[,]}', '{"a":1,}', '[1]', '"s"', '{"a":tru}', '{"a":"\t"}',
  '{"a":[[],[{}],{"b":[]}]}', '{"é":"ü\\"\\\\\\/\\b\\f\\n\\r\\t"}', '{"n":-0,"m":1E-2,"k":2e+0}', '{"a":1}}', '{"a":1} x', '{"a"}',
];

describe('isJsonObject (bytes) agrees with JSON.parse', () => {
  it('on hand-picked texts', () => {
    for (const s of SEEDS) expect(check(s), s).toBe(reference(s));
  });

  it('on generated JSON values and their mutations', () => {
    const alphabet = '{}[]",:-0123456789.eE+ \\tfalsnu\u00e9\n\r\t';
    fc.assert(
      fc.property(
        fc.oneof(fc.json(), fc.constantFrom(...SEEDS)),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: alphabet.length - 1 }), fc.boolean()), { maxLength: 3 }),
        (text, edits) => {
          let s = text;
          for (const [p, ch, insert] of edits) {
            const at = p % (s.length + 1);
            s = insert ? s.slice(0, at) + alphabet[ch] + s.slice(at) : s.slice(0, at) + s.slice(at + 1);
          }
          expect(check(s)).toBe(reference(s));
        },
      ),
      { numRuns: 20_000, seed: 42 },
    );
  });

  it('refuses nesting deeper than it follows (callers then parse the text)', () => {
    const deep = `{"a":${'['.repeat(300)}${']'.repeat(300)}}`;
    expect(reference(deep)).toBe(true);
    expect(check(deep)).toBe(false);
  });
});
