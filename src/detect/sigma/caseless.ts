/**
 * A case-insensitive pattern rewritten as a case-sensitive one: every ASCII letter `x` becomes
 * `[xX]`, and classes gain the other case of the letters they hold. Why: V8's linear-time engine,
 * which finishes a match that backtracks too much (regex.ts), does not take the `i` flag, so
 * `|re|i` rules would stay exposed to crafted values.
 *
 * Without the `u` flag, `i` pairs an ASCII letter with its other case only (ECMA-262
 * §22.2.2.7.3 Canonicalize: a non-ASCII character never folds onto an ASCII one), so the rewrite
 * matches exactly what the `i` pattern matches. Patterns it cannot rewrite with certainty —
 * non-ASCII characters (their folding is wider), backreferences (compared case-insensitively),
 * escapes that denote letters in class ranges, unknown escapes — give undefined: they keep `i`.
 */
export function caseless(src: string): string | undefined {
  if (/[^\x00-\x7f]/.test(src) || /\\[1-9]|\\k</.test(src)) return undefined;
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const e = escape(src, i);
      if (e === undefined) return undefined;
      out += e.letter ? both(e.letter) : src.slice(i, e.end);
      i = e.end - 1;
    } else if (c === '[') {
      const k = classEnd(src, i);
      if (k < 0) return undefined;
      const cls = widenClass(src.slice(i + 1, k));
      if (cls === undefined) return undefined;
      out += `[${cls}]`;
      i = k;
    } else if (c === '(' && src.startsWith('(?<', i) && src[i + 3] !== '=' && src[i + 3] !== '!') {
      // a group's name is not text to match
      const close = src.indexOf('>', i);
      if (close < 0) return undefined;
      out += src.slice(i, close + 1);
      i = close;
    } else out += isLetter(c) ? both(c) : c;
  }
  return out;
}

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const swap = (c: string): string => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
const both = (c: string): string => `[${c}${swap(c)}]`;

/** Escapes whose letter is a class or an assertion, or a control character: unchanged by `i`. */
const FIXED = new Set('dDwWsSbBnrtvf0');
// In a class `\b` is a backspace and `\B` (Annex B) the letter B.
const FIXED_IN_CLASS = new Set('dDwWsSbnrtvf0');

/**
 * The escape at src[i] (a backslash): where it ends, and the letter it stands for when it
 * denotes one (`\x41`, `\u0061`); undefined for escapes this rewrite does not know.
 */
function escape(src: string, i: number, inClass = false): { end: number; letter?: string } | undefined {
  const n = src[i + 1];
  if (n === undefined) return undefined;
  if ((inClass ? FIXED_IN_CLASS : FIXED).has(n)) return { end: i + 2 };
  if (n === 'c') return /[a-zA-Z]/.test(src[i + 2] ?? '') ? { end: i + 3 } : undefined;
  const hex = n === 'x' ? /^[0-9a-fA-F]{2}/.exec(src.slice(i + 2)) : n === 'u' ? /^[0-9a-fA-F]{4}/.exec(src.slice(i + 2)) : null;
  if (hex) {
    const ch = String.fromCharCode(parseInt(hex[0], 16));
    return { end: i + 2 + hex[0].length, letter: isLetter(ch) ? ch : undefined };
  }
  // any other escaped letter is Annex B's identity escape or something unusual: leave it to `i`
  if (isLetter(n) || (n >= '1' && n <= '9')) return undefined;
  return { end: i + 2 };
}

/** The index of the `]` closing the class opened at src[i]; JavaScript's `[]` is empty, `[^]` any. */
function classEnd(src: string, i: number): number {
  for (let k = i + 1; k < src.length; k++) {
    if (src[k] === '\\') k++;
    else if (src[k] === ']') return k;
  }
  return -1;
}

/** A class body with the other case of every letter it holds added (inside a negation too). */
function widenClass(body: string): string | undefined {
  let extra = '';
  let k = body.startsWith('^') ? 1 : 0;
  while (k < body.length) {
    if (body[k] === '\\') {
      const e = escape(body, k, true);
      if (e === undefined) return undefined;
      if (body[e.end] === '-' && e.end + 1 < body.length) return undefined; // a range from an escape
      if (e.letter) extra += swap(e.letter);
      k = e.end;
      continue;
    }
    const lo = body[k];
    const next = k + 1;
    if (body[next] === '-' && next + 1 < body.length) {
      const hi = body[next + 1];
      if (hi === '\\') return undefined;
      for (let code = lo.charCodeAt(0); code <= hi.charCodeAt(0); code++) {
        const ch = String.fromCharCode(code);
        if (isLetter(ch)) extra += swap(ch);
      }
      k = next + 2;
      continue;
    }
    if (isLetter(lo)) extra += swap(lo);
    k = next;
  }
  // Added letters go before a trailing `-`, which must stay last to remain a literal.
  return body.endsWith('-') && !body.endsWith('\\-') ? body.slice(0, -1) + extra + '-' : body + extra;
}
