import { PatternError } from './errors.js';

/**
 * Tokenizer for STIX patterns, following the lexer rules of OASIS STIXPattern.g4 (STIX 2.1 §9):
 * keywords are case-sensitive (`AND`, `true`), property names cannot contain unquoted hyphens
 * (object types can), strings escape only `\'` and `\\`, and typed literals are b'…', h'…', t'…'.
 */
export type TokenType =
  | 'keyword'
  | 'ident' // IdentifierWithoutHyphen
  | 'ident-hyphen' // IdentifierWithHyphen
  | 'int'
  | 'float'
  | 'string'
  | 'binary'
  | 'hex'
  | 'timestamp'
  | 'bool'
  | 'punct'
  | 'eof';

export interface Token {
  type: TokenType;
  /** Keyword or punctuation text, identifier name, or decoded literal text. */
  text: string;
  /** The raw text as written. */
  raw: string;
  pos: number;
}

const KEYWORDS = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'LAST', 'IN',
  'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES',
]);

// The WS rule of the grammar: ASCII blanks plus the Unicode space separators it lists.
const WS = /[ \t\r\n\u000B\u000C\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

// TimestampLiteral: month 01-12, day 01-31, hour 00-23, minute 00-59, second 00-60, 'Z'.
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (WS.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new PatternError('unexpected-char', 'unterminated comment', i, src);
      i = end + 2;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    const start = i;
    // Typed quoted literals: b'…' h'…' t'…' (a single letter directly followed by a quote).
    if ((c === 'b' || c === 'h' || c === 't') && src[i + 1] === "'") {
      const end = src.indexOf("'", i + 2);
      if (end < 0) throw new PatternError('unterminated-string', `unterminated ${c}'…' literal`, start, src);
      const body = src.slice(i + 2, end);
      const raw = src.slice(start, end + 1);
      i = end + 1;
      if (c === 'b') {
        if (!BASE64.test(body)) throw new PatternError('bad-literal', `invalid base64 in binary literal ${raw}`, start, src);
        out.push({ type: 'binary', text: body, raw, pos: start });
      } else if (c === 'h') {
        if (!/^(?:[0-9A-Fa-f]{2})*$/.test(body)) throw new PatternError('bad-literal', `invalid hex literal ${raw} (pairs of hex digits expected)`, start, src);
        out.push({ type: 'hex', text: body, raw, pos: start });
      } else {
        if (!TIMESTAMP.test(body) || Number.isNaN(Date.parse(body))) {
          throw new PatternError('bad-timestamp', `invalid timestamp literal ${raw} (RFC 3339 UTC, e.g. t'2016-01-01T00:00:00Z')`, start, src);
        }
        out.push({ type: 'timestamp', text: body, raw, pos: start });
      }
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= n) throw new PatternError('unterminated-string', 'unterminated string literal', start, src);
        const d = src[j];
        if (d === "'") break;
        if (d === '\\') {
          const e = src[j + 1];
          if (e === "'" || e === '\\') {
            value += e;
            j += 2;
            continue;
          }
          throw new PatternError('bad-literal', "invalid escape in string literal (only \\' and \\\\ are allowed)", j, src);
        }
        value += d;
        j++;
      }
      i = j + 1;
      out.push({ type: 'string', text: value, raw: src.slice(start, i), pos: start });
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      let hyphen = false;
      while (j < n && (isIdentPart(src[j]) || src[j] === '-')) {
        if (src[j] === '-') hyphen = true;
        j++;
      }
      const word = src.slice(i, j);
      i = j;
      if (!hyphen && KEYWORDS.has(word)) out.push({ type: 'keyword', text: word, raw: word, pos: start });
      else if (word === 'true' || word === 'false') out.push({ type: 'bool', text: word, raw: word, pos: start });
      else out.push({ type: hyphen ? 'ident-hyphen' : 'ident', text: word, raw: word, pos: start });
      continue;
    }
    // Numbers: IntPosLiteral '+'? ('0'|[1-9][0-9]*), IntNegLiteral '-'…, Float[Pos|Neg]Literal [+-]? [0-9]* '.' [0-9]+
    if (isDigit(c) || ((c === '+' || c === '-' || c === '.') && (isDigit(src[i + 1] ?? '') || (src[i + 1] === '.' && isDigit(src[i + 2] ?? ''))))) {
      let j = i;
      if (src[j] === '+' || src[j] === '-') j++;
      const intStart = j;
      while (j < n && isDigit(src[j])) j++;
      const intDigits = src.slice(intStart, j);
      if (src[j] === '.' && isDigit(src[j + 1] ?? '')) {
        j++;
        while (j < n && isDigit(src[j])) j++;
        const raw = src.slice(start, j);
        i = j;
        out.push({ type: 'float', text: raw, raw, pos: start });
        continue;
      }
      if (intDigits.length > 1 && intDigits[0] === '0') throw new PatternError('bad-literal', `integer with a leading zero: ${src.slice(start, j)}`, start, src);
      const raw = src.slice(start, j);
      i = j;
      out.push({ type: 'int', text: raw, raw, pos: start });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      // '==' and '<>' are the grammar's alternative spellings of EQ and NEQ.
      out.push({ type: 'punct', text: two === '==' ? '=' : two === '<>' ? '!=' : two, raw: two, pos: start });
      i += 2;
      continue;
    }
    if ('=<>:.,()[]*'.includes(c)) {
      out.push({ type: 'punct', text: c, raw: c, pos: start });
      i++;
      continue;
    }
    throw new PatternError('unexpected-char', `unexpected character ${JSON.stringify(c)}`, start, src);
  }
  out.push({ type: 'eof', text: '', raw: '', pos: n });
  return out;
}

export function isValidTimestampText(s: string): boolean {
  return TIMESTAMP.test(s);
}
