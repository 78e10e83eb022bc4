import { describe, expect, it } from 'vitest';
import { parsePattern, PatternError, validatePattern, type ObservationExpr, type ComparisonExpr } from '../../src/stix/index.js';

/** Renders the tree with explicit parentheses, to check precedence and associativity. */
function show(e: ObservationExpr): string {
  switch (e.kind) {
    case 'observation':
      return `[${cmp(e.expr)}]`;
    case 'and':
    case 'or':
    case 'followedby':
      return `(${show(e.left)} ${e.kind.toUpperCase()} ${show(e.right)})`;
    case 'within':
      return `(${show(e.expr)} WITHIN ${e.seconds})`;
    case 'repeats':
      return `(${show(e.expr)} REPEATS ${e.times})`;
    case 'startstop':
      return `(${show(e.expr)} STARTSTOP)`;
  }
}
function cmp(e: ComparisonExpr): string {
  if (e.kind === 'cmp') return `${e.path.text}${e.negated ? ' NOT' : ''} ${e.op}`;
  if (e.kind === 'exists') return `EXISTS ${e.path.text}`;
  return `(${cmp(e.left)} ${e.kind.toUpperCase()} ${cmp(e.right)})`;
}
const p = (s: string) => show(parsePattern(s).root);

describe('STIX pattern parser: precedence (STIX 2.1 §9.5)', () => {
  it('observation operators: AND binds tighter than OR, OR tighter than FOLLOWEDBY', () => {
    expect(p("[a:x=1] FOLLOWEDBY [b:x=1] OR [c:x=1] AND [d:x=1]")).toBe('([a:x =] FOLLOWEDBY ([b:x =] OR ([c:x =] AND [d:x =])))');
    expect(p("[a:x=1] AND [b:x=1] OR [c:x=1] FOLLOWEDBY [d:x=1]")).toBe('((([a:x =] AND [b:x =]) OR [c:x =]) FOLLOWEDBY [d:x =])');
  });
  it('operators are left-associative', () => {
    expect(p("[a:x=1] FOLLOWEDBY [b:x=1] FOLLOWEDBY [c:x=1]")).toBe('(([a:x =] FOLLOWEDBY [b:x =]) FOLLOWEDBY [c:x =])');
    expect(p("[a:x=1 OR a:y=1 OR a:z=1]")).toBe('[((a:x = OR a:y =) OR a:z =)]');
  });
  it('comparison operators: AND binds tighter than OR; parentheses override', () => {
    expect(p("[a:x=1 OR a:y=2 AND a:z=3]")).toBe('[(a:x = OR (a:y = AND a:z =))]');
    expect(p("[(a:x=1 OR a:y=2) AND a:z=3]")).toBe('[((a:x = OR a:y =) AND a:z =)]');
  });
  it('a qualifier binds to the observation expression just before it', () => {
    expect(p("[a:x=1] AND [b:x=1] WITHIN 5 SECONDS")).toBe('([a:x =] AND ([b:x =] WITHIN 5))');
    expect(p("([a:x=1] AND [b:x=1]) WITHIN 5 SECONDS")).toBe('(([a:x =] AND [b:x =]) WITHIN 5)');
    expect(p("[a:x=1] REPEATS 3 TIMES WITHIN 10 SECONDS")).toBe('(([a:x =] REPEATS 3) WITHIN 10)');
    expect(p("[a:x=1] START t'2020-01-01T00:00:00Z' STOP t'2020-01-02T00:00:00Z'")).toBe('([a:x =] STARTSTOP)');
  });
});

describe('STIX pattern parser: operators, paths and literals', () => {
  it('parses every comparison operator, NOT and EXISTS', () => {
    for (const op of ['=', '!=', '<', '>', '<=', '>=']) {
      expect(p(`[file:size ${op} 5]`)).toBe(`[file:size ${op}]`);
      expect(p(`[file:size NOT ${op} 5]`)).toBe(`[file:size NOT ${op}]`);
    }
    expect(p("[file:name IN ('a', 'b')]")).toBe('[file:name IN]');
    expect(p("[file:name NOT LIKE 'a%']")).toBe('[file:name NOT LIKE]');
    expect(p("[file:name MATCHES '^a.*$']")).toBe('[file:name MATCHES]');
    expect(p("[ipv4-addr:value ISSUBSET '10.0.0.0/8']")).toBe('[ipv4-addr:value ISSUBSET]');
    expect(p("[ipv4-addr:value ISSUPERSET '10.0.0.1']")).toBe('[ipv4-addr:value ISSUPERSET]');
    expect(p('[EXISTS windows-registry-key:values]')).toBe('[EXISTS windows-registry-key:values]');
    expect(p("[a:x == 1 AND a:y <> 2]")).toBe('[(a:x = AND a:y !=)]');
  });
  it('object paths: quoted keys, list indexes, [*], references', () => {
    const root = parsePattern("[file:hashes.'SHA-256' = 'x' AND email-message:to_refs[*].value = 'a' AND file:extensions.'windows-pebinary-ext'.sections[-1].name = 'x' AND network-traffic:'src_ref'.value = 'y']").root;
    const leaves: string[] = [];
    const walk = (e: ComparisonExpr): void => {
      if (e.kind === 'cmp') leaves.push(JSON.stringify([e.path.type, ...e.path.steps.map((s) => (s.kind === 'key' ? s.key : s.index))]));
      else if (e.kind !== 'exists') {
        walk(e.left);
        walk(e.right);
      }
    };
    if (root.kind === 'observation') walk(root.expr);
    expect(leaves).toEqual([
      '["file","hashes","SHA-256"]',
      '["email-message","to_refs","*","value"]',
      '["file","extensions","windows-pebinary-ext","sections",-1,"name"]',
      '["network-traffic","src_ref","value"]',
    ]);
  });
  it('decodes every literal type', () => {
    const lit = (s: string) => {
      const r = parsePattern(`[x:y = ${s}]`).root;
      if (r.kind !== 'observation' || r.expr.kind !== 'cmp') throw new Error('shape');
      return r.expr.value;
    };
    expect(lit("'it\\'s \\\\ ok'")).toMatchObject({ kind: 'string', value: "it's \\ ok" });
    expect(lit('42')).toMatchObject({ kind: 'int', value: 42 });
    expect(lit('+7')).toMatchObject({ kind: 'int', value: 7 });
    expect(lit('-3')).toMatchObject({ kind: 'int', value: -3 });
    expect(lit('-.5')).toMatchObject({ kind: 'float', value: -0.5 });
    expect(lit('2.25')).toMatchObject({ kind: 'float', value: 2.25 });
    expect(lit('true')).toMatchObject({ kind: 'bool', value: true });
    expect(lit('false')).toMatchObject({ kind: 'bool', value: false });
    expect(Array.from((lit("b'AQID'") as { value: Uint8Array }).value)).toEqual([1, 2, 3]);
    expect(Array.from((lit("h'0aFF'") as { value: Uint8Array }).value)).toEqual([10, 255]);
    expect(lit("t'2016-02-29T13:14:15.123Z'")).toMatchObject({ kind: 'timestamp', value: Date.UTC(2016, 1, 29, 13, 14, 15, 123) });
  });
  it('skips comments and Unicode whitespace', () => {
    expect(p("/* c */ [a:x\u00a0=\u20031] // tail")).toBe('[a:x =]');
  });
});

describe('STIX pattern parser: errors carry a code and the character position', () => {
  const cases: [string, string, number][] = [
    ['', 'empty-pattern', 0],
    ["[file:name = 'a'", 'unexpected-end', 16],
    ["[file:name = 'a]", 'unterminated-string', 13],
    ["[file:name = 'a' AND]", 'unexpected-token', 20],
    ['[file:name ~ 1]', 'unexpected-char', 11],
    ['[file:name = 1] AND', 'unexpected-end', 19],
    ['[file:name = 1] [b:c = 2]', 'unexpected-token', 16],
    ["[file:name = t'2016-13-01T00:00:00Z']", 'bad-timestamp', 13],
    ["[file:name = b'AQI']", 'bad-literal', 13],
    ["[file:name = h'0']", 'bad-literal', 13],
    ['[file:size = 007]', 'bad-literal', 13],
    ["[file:name MATCHES '(']", 'bad-regex', 19],
    ['[file:name LIKE 5]', 'bad-operand', 16],
    ['[file:name > true]', 'bad-operand', 13],
    ["[file:name IN ('a', 1)]", 'bad-set', 14],
    ['[file:size = 1] WITHIN 0 SECONDS', 'bad-qualifier', 23],
    ['[file:size = 1] REPEATS 0 TIMES', 'bad-qualifier', 24],
    ["[file:size = 1] START t'2020-01-02T00:00:00Z' STOP t'2020-01-01T00:00:00Z'", 'bad-qualifier', 51],
    ['[file:size = 1] WITHIN 5 MINUTES', 'unexpected-token', 25],
    ['[file:some-prop = 1]', 'unexpected-token', 6],
    ['[file:name and 1]', 'unexpected-token', 11],
    ["[file:name = 'a' and file:size = 1]", 'unexpected-token', 17],
    ["[file:name = 'a\\q']", 'bad-literal', 15],
  ];
  it.each(cases)('%s → %s at %d', (src, code, pos) => {
    let err: unknown;
    try {
      parsePattern(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatternError);
    expect((err as PatternError).code).toBe(code);
    expect((err as PatternError).position).toBe(pos);
    expect((err as PatternError).message).toContain(`position ${pos}`);
  });
  it('validatePattern reports instead of throwing', () => {
    expect(validatePattern("[domain-name:value = 'example.org']")).toEqual({ ok: true });
    const r = validatePattern('[domain-name:value =]');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('unexpected-token');
  });
});
