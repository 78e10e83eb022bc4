import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPattern, parsePattern, PatternError } from '../../src/stix/index.js';

const pieces = ['[', ']', '(', ')', ' ', "'", '\\', 'file:name', 'ipv4-addr:value', '=', '!=', '<', '>=', 'AND', 'OR', 'NOT', 'IN', 'LIKE',
  'MATCHES', 'ISSUBSET', 'EXISTS', 'FOLLOWEDBY', 'WITHIN', 'REPEATS', 'TIMES', 'SECONDS', 'START', 'STOP', "t'2020-01-01T00:00:00Z'",
  "'a%'", "'10.0.0.0/8'", '5', '-1', '.5', 'true', "b'AQI='", "h'ff'", ',', '.', '[*]', '/*', '*/', '//', '\n'];

describe('STIX pattern parser robustness', () => {
  it('any input either parses or fails with a PatternError whose position lies inside the text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), (parts) => {
        const src = parts.join(' ');
        try {
          const p = parsePattern(src);
          // What parses can be matched without throwing.
          matchPattern(p, [{ objects: [{ type: 'file', name: 'abc' }, { type: 'ipv4-addr', value: '10.1.1.1' }], timestamp: 0 }]);
        } catch (e) {
          expect(e).toBeInstanceOf(PatternError);
          expect((e as PatternError).position).toBeGreaterThanOrEqual(0);
          expect((e as PatternError).position).toBeLessThanOrEqual(src.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('arbitrary strings never crash the lexer', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (src) => {
        try {
          parsePattern(src);
        } catch (e) {
          expect(e).toBeInstanceOf(PatternError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

import { mispEventToStix, validateObject, validateBundle } from '../../src/stix/index.js';

describe('robustness of validation and MISP import on arbitrary JSON', () => {
  it('validateObject / validateBundle never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        validateObject(a);
        validateObject({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-000000000000', pattern: a, valid_until: b, pattern_type: 'stix', extensions: b, hashes: a });
        validateBundle({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects: [a, b] });
      }),
      { numRuns: 500 },
    );
  });
  it('mispEventToStix returns or rejects the document, never crashes on odd attributes', () => {
    const attr = fc.record({ uuid: fc.uuid(), type: fc.constantFrom('md5', 'ip-dst', 'ip-dst|port', 'domain', 'AS', 'text', 'filename|sha256', 'email-subject'), value: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), to_ids: fc.oneof(fc.boolean(), fc.constant('1')), timestamp: fc.oneof(fc.string(), fc.integer()), Tag: fc.option(fc.array(fc.record({ name: fc.string() }))) }, { requiredKeys: ['uuid', 'type'] });
    fc.assert(
      fc.property(fc.array(attr, { maxLength: 6 }), fc.option(fc.string()), (attrs, date) => {
        const r = mispEventToStix({ Event: { uuid: '11111111-1111-4111-8111-111111111111', info: 'x', date: date ?? undefined, Attribute: attrs } });
        expect(r.report.attributes).toBe(attrs.length);
        // Everything that came out is valid STIX.
        for (const o of r.objects) expect(validateObject(o).errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
