import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonLineScanner, type JsonScanSink } from '../../src/sources/index.js';

/** Records what the scanner reports, in the shape JSON.parse would give. */
class Collect implements JsonScanSink {
  strings: string[] = [];
  keys: string[] = [];
  numbers: string[] = [];
  literals: (boolean | null)[] = [];
  opens = 0;
  closes = 0;
  key(_d: number, codes: Uint16Array, len: number): void {
    this.keys.push(String.fromCharCode(...codes.subarray(0, len)));
  }
  string(_d: number, codes: Uint16Array, len: number): boolean {
    this.strings.push(String.fromCharCode(...codes.subarray(0, len)));
    return false;
  }
  number(_d: number, bytes: Uint8Array, start: number, end: number): boolean {
    this.numbers.push(Buffer.from(bytes.subarray(start, end)).toString('latin1'));
    return false;
  }
  literal(_d: number, v: boolean | null): void {
    this.literals.push(v);
  }
  open(): void {
    this.opens++;
  }
  close(): void {
    this.closes++;
  }
}

/** What JSON.parse sees: every key, string, number (as a Number) and literal, depth-first. */
function walk(v: unknown, out: { keys: string[]; strings: string[]; numbers: number[]; literals: (boolean | null)[] }): void {
  if (typeof v === 'string') out.strings.push(v);
  else if (typeof v === 'number') out.numbers.push(v);
  else if (v === null || typeof v === 'boolean') out.literals.push(v);
  else if (Array.isArray(v)) v.forEach((x) => walk(x, out));
  else
    for (const [k, x] of Object.entries(v as object)) {
      out.keys.push(k);
      walk(x, out);
    }
}

const scanner = new JsonLineScanner();
const scan = (text: string, sink: JsonScanSink = new Collect()) => {
  const b = Buffer.from(text, 'utf8');
  return scanner.scan(b, 0, b.length, sink);
};
const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The scanner accepts `text` and reports exactly the keys, strings, numbers and literals JSON.parse finds. */
function expectSameAsParse(text: string): void {
  const c = new Collect();
  expect(scan(text, c)).toBe(true);
  const want = { keys: [] as string[], strings: [] as string[], numbers: [] as number[], literals: [] as (boolean | null)[] };
  walk(JSON.parse(text), want);
  expect(c.keys).toEqual(want.keys);
  expect(c.strings).toEqual(want.strings);
  expect(c.numbers.map(Number)).toEqual(want.numbers);
  expect(c.literals).toEqual(want.literals);
  expect(c.opens).toBe(c.closes);
}

describe('JsonLineScanner (RFC 8259, from UTF-8 bytes)', () => {
  it('reports the keys and values JSON.parse gives, strings unescaped and decoded', () => {
    const text = '{"a\\u0042":"x\\"y\\\\z\\/\\n\\t\\u00e9\\ud83d\\ude00 €", "n": [-1.5e3, 0, 12], "t": true, "f": false, "z": null, "o": {}}';
    expectSameAsParse(text);
  });

  it('agrees with JSON.parse on arbitrary JSON values and their text (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent) ?? 'null';
        expectSameAsParse(text);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts exactly what JSON.parse accepts, on damaged and random text (fuzz)', () => {
    const damaged = fc
      .tuple(fc.jsonValue(), fc.nat(), fc.constantFrom('', '"', '\\', ',', '}', ']', '{', '[', ':', 'x', '\u0001', '-', '.', 'e', '0', ' '))
      .map(([v, at, ins]) => {
        const t = JSON.stringify(v) ?? 'null';
        const k = at % (t.length + 1);
        return t.slice(0, k) + ins + t.slice(k + (ins === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        expect(scan(text)).toBe(parses(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects the classic traps', () => {
    for (const t of ['', ' ', '{', '{"a":1,}', '[1,]', '01', '1.', '.5', '-', '1e', '"\\x"', '"\\u12"', '"a\u0001"', 'nul', 'truex', '{"a" 1}', '{1:2}', '[1 2]', '"abc', '{"a":1}}'])
      expect([t, scan(t)]).toEqual([t, false]);
    for (const t of [' {"a":[1,{"b":null}]} ', '"\\u0000"', '-0', '1E+2', '[]', '{}'])
      expect([t, scan(t)]).toEqual([t, true]);
  });

  it('turns malformed UTF-8 into U+FFFD instead of failing', () => {
    const b = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xff, 0xc3]), Buffer.from('y"}')]);
    const c = new Collect();
    expect(scanner.scan(b, 0, b.length, c)).toBe(true);
    expect(c.strings[0].startsWith('x\ufffd')).toBe(true);
    expect(c.strings[0].endsWith('y')).toBe(true);
  });

  it('scans a slice of a larger buffer and stops when the sink asks', () => {
    const b = Buffer.from('xx{"a":"1","b":"2"}yy');
    const c = new Collect();
    expect(scanner.scan(b, 2, b.length - 2, c)).toBe(true);
    expect(c.strings).toEqual(['1', '2']);
    const stop = new Collect();
    stop.string = () => true;
    expect(scanner.scan(b, 2, b.length - 2, stop)).toBe(false);
  });
});
