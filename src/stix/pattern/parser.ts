import type { ComparisonExpr, CompareOp, Literal, ObjectPath, ObservationExpr, PathStep, Pattern } from './ast.js';
import { PatternError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { likeToRegExp, compileMatches } from './regex.js';

/**
 * Recursive-descent parser for STIX patterns (STIX 2.1 §9, OASIS STIXPattern.g4).
 * Precedence, loosest first (§9.5 / the grammar's rule nesting):
 *   observation level: FOLLOWEDBY < OR < AND < qualifiers (a qualifier binds to the observation
 *   expression just before it, `[a] AND [b] WITHIN 5 SECONDS` = `[a] AND ([b] WITHIN 5 SECONDS)`);
 *   comparison level (inside brackets): OR < AND. All binary operators are left-associative.
 */
export function parsePattern(text: string): Pattern {
  if (typeof text !== 'string' || text.trim() === '') throw new PatternError('empty-pattern', 'empty pattern', 0);
  const p = new Parser(text, tokenize(text));
  const root = p.observationExpressions();
  p.expectEnd();
  return { text, root };
}

const COMPARE_OPS = new Set(['=', '!=', '<', '>', '<=', '>=']);

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  private peek(): Token {
    return this.toks[this.i];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private isKw(word: string): boolean {
    const t = this.peek();
    return t.type === 'keyword' && t.text === word;
  }
  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.type === 'punct' && t.text === p;
  }
  private fail(expected: string, t = this.peek()): never {
    if (t.type === 'eof') throw new PatternError('unexpected-end', `unexpected end of pattern, expected ${expected}`, t.pos, this.src);
    throw new PatternError('unexpected-token', `unexpected ${describe(t)}, expected ${expected}`, t.pos, this.src);
  }
  private expectPunct(p: string, what = `'${p}'`): Token {
    if (!this.isPunct(p)) this.fail(what);
    return this.next();
  }
  private expectKw(word: string): Token {
    if (!this.isKw(word)) this.fail(word);
    return this.next();
  }

  expectEnd(): void {
    if (this.peek().type !== 'eof') this.fail('AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern');
  }

  observationExpressions(): ObservationExpr {
    let left = this.observationOr();
    while (this.isKw('FOLLOWEDBY')) {
      const op = this.next();
      const right = this.observationOr();
      left = { kind: 'followedby', left, right, pos: op.pos };
    }
    return left;
  }

  private observationOr(): ObservationExpr {
    let left = this.observationAnd();
    while (this.isKw('OR')) {
      const op = this.next();
      const right = this.observationAnd();
      left = { kind: 'or', left, right, pos: op.pos };
    }
    return left;
  }

  private observationAnd(): ObservationExpr {
    let left = this.observationQualified();
    while (this.isKw('AND')) {
      const op = this.next();
      const right = this.observationQualified();
      left = { kind: 'and', left, right, pos: op.pos };
    }
    return left;
  }

  private observationQualified(): ObservationExpr {
    let expr = this.observationPrimary();
    for (;;) {
      const t = this.peek();
      if (this.isKw('WITHIN')) {
        this.next();
        const n = this.next();
        if (n.type !== 'int' && n.type !== 'float') this.fail('a positive number of seconds', n);
        const seconds = Number(n.text);
        if (!(seconds > 0) || n.text.startsWith('-')) throw new PatternError('bad-qualifier', 'WITHIN needs a positive number of seconds', n.pos, this.src);
        this.expectKw('SECONDS');
        expr = { kind: 'within', expr, seconds, pos: t.pos };
      } else if (this.isKw('REPEATS')) {
        this.next();
        const n = this.next();
        if (n.type !== 'int') this.fail('a positive integer', n);
        const times = Number(n.text);
        if (!(times >= 1) || n.text.startsWith('-') || !Number.isSafeInteger(times)) throw new PatternError('bad-qualifier', 'REPEATS needs a positive integer', n.pos, this.src);
        this.expectKw('TIMES');
        expr = { kind: 'repeats', expr, times, pos: t.pos };
      } else if (this.isKw('START')) {
        this.next();
        const a = this.next();
        if (a.type !== 'timestamp') this.fail("a timestamp literal t'…'", a);
        this.expectKw('STOP');
        const b = this.next();
        if (b.type !== 'timestamp') this.fail("a timestamp literal t'…'", b);
        const start = Date.parse(a.text);
        const stop = Date.parse(b.text);
        // §9.6: the STOP time must be later than the START time.
        if (!(stop > start)) throw new PatternError('bad-qualifier', 'STOP must be later than START', b.pos, this.src);
        expr = { kind: 'startstop', expr, start, stop, pos: t.pos };
      } else {
        return expr;
      }
    }
  }

  private observationPrimary(): ObservationExpr {
    const t = this.peek();
    if (this.isPunct('[')) {
      this.next();
      const expr = this.comparisonOr();
      this.expectPunct(']', "']' or AND/OR");
      return { kind: 'observation', expr, pos: t.pos };
    }
    if (this.isPunct('(')) {
      this.next();
      const inner = this.observationExpressions();
      this.expectPunct(')', "')' or AND/OR/FOLLOWEDBY");
      return inner;
    }
    return this.fail("'[' or '('");
  }

  private comparisonOr(): ComparisonExpr {
    let left = this.comparisonAnd();
    while (this.isKw('OR')) {
      const op = this.next();
      const right = this.comparisonAnd();
      left = { kind: 'or', left, right, pos: op.pos };
    }
    return left;
  }

  private comparisonAnd(): ComparisonExpr {
    let left = this.propTest();
    while (this.isKw('AND')) {
      const op = this.next();
      const right = this.propTest();
      left = { kind: 'and', left, right, pos: op.pos };
    }
    return left;
  }

  private propTest(): ComparisonExpr {
    const t = this.peek();
    if (this.isPunct('(')) {
      this.next();
      const inner = this.comparisonOr();
      this.expectPunct(')', "')' or AND/OR");
      return inner;
    }
    if (this.isKw('EXISTS')) {
      this.next();
      return { kind: 'exists', path: this.objectPath(), pos: t.pos };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.isKw('NOT')) {
      this.next();
      negated = true;
    }
    const opTok = this.next();
    let op: CompareOp;
    if (opTok.type === 'punct' && COMPARE_OPS.has(opTok.text)) op = opTok.text as CompareOp;
    else if (opTok.type === 'keyword' && ['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(opTok.text)) op = opTok.text as CompareOp;
    else return this.fail('a comparison operator (= != < > <= >= IN LIKE MATCHES ISSUBSET ISSUPERSET)', opTok);

    if (op === 'IN') {
      const set = this.setLiteral();
      return { kind: 'cmp', path, op, negated, value: set, pos: opTok.pos };
    }
    const lit = this.literal();
    if (op === 'LIKE' || op === 'MATCHES' || op === 'ISSUBSET' || op === 'ISSUPERSET') {
      if (lit.kind !== 'string') throw new PatternError('bad-operand', `${op} needs a string literal`, lit.pos, this.src);
    }
    if ((op === '<' || op === '>' || op === '<=' || op === '>=') && lit.kind === 'bool') {
      throw new PatternError('bad-operand', `${op} needs an orderable literal (not a boolean)`, lit.pos, this.src);
    }
    let regex: RegExp | undefined;
    if (op === 'LIKE') regex = likeToRegExp((lit as { value: string }).value);
    if (op === 'MATCHES') {
      try {
        regex = compileMatches((lit as { value: string }).value);
      } catch (e) {
        throw new PatternError('bad-regex', `invalid regular expression: ${(e as Error).message}`, lit.pos, this.src);
      }
    }
    return { kind: 'cmp', path, op, negated, value: lit, regex, pos: opTok.pos };
  }

  private setLiteral(): Literal[] {
    const open = this.expectPunct('(', "'(' starting a set");
    const items: Literal[] = [];
    if (this.isPunct(')')) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.literal());
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.expectPunct(')', "',' or ')'");
      break;
    }
    // §9.5 IN: the set holds constants of one type (ints and floats are both numbers).
    const kinds = new Set(items.map((l) => (l.kind === 'int' || l.kind === 'float' ? 'number' : l.kind)));
    if (kinds.size > 1) throw new PatternError('bad-set', `set literal mixes types (${[...kinds].join(', ')})`, open.pos, this.src);
    return items;
  }

  private literal(): Literal {
    const t = this.next();
    switch (t.type) {
      case 'string':
        return { kind: 'string', value: t.text, pos: t.pos };
      case 'int': {
        const v = Number(t.text);
        if (!Number.isSafeInteger(v)) throw new PatternError('bad-literal', `integer out of range: ${t.text}`, t.pos, this.src);
        return { kind: 'int', value: v, pos: t.pos };
      }
      case 'float':
        return { kind: 'float', value: Number(t.text), pos: t.pos };
      case 'bool':
        return { kind: 'bool', value: t.text === 'true', pos: t.pos };
      case 'binary':
        return { kind: 'binary', value: new Uint8Array(Buffer.from(t.text, 'base64')), pos: t.pos };
      case 'hex':
        return { kind: 'hex', value: new Uint8Array(Buffer.from(t.text, 'hex')), pos: t.pos };
      case 'timestamp':
        return { kind: 'timestamp', value: Date.parse(t.text), text: t.text, pos: t.pos };
      default:
        return this.fail('a literal (string, number, boolean, b\'…\', h\'…\' or t\'…\')', t);
    }
  }

  private objectPath(): ObjectPath {
    const t = this.next();
    if (t.type !== 'ident' && t.type !== 'ident-hyphen') this.fail("an object path such as file:name", t);
    this.expectPunct(':', "':' after the object type");
    const steps: PathStep[] = [];
    const first = this.next();
    if (first.type === 'ident' || first.type === 'string') steps.push({ kind: 'key', key: first.text });
    else if (first.type === 'ident-hyphen') throw new PatternError('unexpected-token', `property name with a hyphen must be quoted: '${first.text}'`, first.pos, this.src);
    else this.fail('a property name', first);
    let end = first.pos + first.raw.length;
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const k = this.next();
        if (k.type === 'ident' || k.type === 'string') steps.push({ kind: 'key', key: k.text });
        else if (k.type === 'ident-hyphen') throw new PatternError('unexpected-token', `property name with a hyphen must be quoted: '${k.text}'`, k.pos, this.src);
        else if (k.type === 'keyword' || k.type === 'bool') steps.push({ kind: 'key', key: k.text });
        else this.fail('a property name after "."', k);
        end = k.pos + k.raw.length;
      } else if (this.isPunct('[')) {
        this.next();
        const k = this.next();
        if (k.type === 'punct' && k.text === '*') steps.push({ kind: 'index', index: '*' });
        else if (k.type === 'int') steps.push({ kind: 'index', index: Number(k.text) });
        else this.fail("a list index (integer or '*')", k);
        end = this.expectPunct(']').pos + 1;
      } else break;
    }
    return { type: t.text, steps, text: this.src.slice(t.pos, end), pos: t.pos };
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'keyword':
      return `keyword ${t.text}`;
    case 'punct':
      return `'${t.raw}'`;
    case 'ident':
    case 'ident-hyphen':
      return `identifier ${t.text}`;
    default:
      return `${t.type} literal ${t.raw}`;
  }
}
