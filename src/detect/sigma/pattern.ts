import { fold } from './fold.js';

/**
 * A Sigma string value as a sequence of literal text and wildcards (Sigma v2.1 §"Wildcards"):
 * `*` any run of characters, `?` one character, and a backslash escaping `*`, `?` or itself.
 * A backslash before any other character is a literal backslash (so Windows paths need no
 * doubling). `class` parts come from modifiers such as `windash` (one of several characters).
 */
export type Part =
  | { t: 'lit'; s: string }
  | { t: 'star' }
  | { t: 'one' }
  | { t: 'class'; chars: string };

export type Pattern = Part[];

export function parseSigmaString(raw: string): Pattern {
  const parts: Pattern = [];
  let lit = '';
  const flush = () => {
    if (lit) parts.push({ t: 'lit', s: lit });
    lit = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === '*') {
      flush();
      if (parts.at(-1)?.t !== 'star') parts.push({ t: 'star' });
    } else if (c === '?') {
      flush();
      parts.push({ t: 'one' });
    } else lit += c;
  }
  flush();
  return parts;
}

export function literalPattern(s: string): Pattern {
  return s ? [{ t: 'lit', s }] : [];
}

export function hasWildcards(p: Pattern): boolean {
  return p.some((x) => x.t !== 'lit');
}

/** Plain text of a pattern (wildcards dropped): what an event value must contain at least. */
export function literalText(p: Pattern): string[] {
  return p.filter((x): x is { t: 'lit'; s: string } => x.t === 'lit').map((x) => x.s);
}

export function patternToString(p: Pattern): string {
  return p
    .map((x) =>
      x.t === 'lit' ? x.s.replace(/[\\*?]/g, (m) => '\\' + m) : x.t === 'star' ? '*' : x.t === 'one' ? '?' : `[${x.chars}]`,
    )
    .join('');
}

export function prependStar(p: Pattern): Pattern {
  return p[0]?.t === 'star' ? p : [{ t: 'star' }, ...p];
}

export function appendStar(p: Pattern): Pattern {
  return p.at(-1)?.t === 'star' ? p : [...p, { t: 'star' }];
}

/** Maps literal text through `f` (used by encoding modifiers, which need wildcard-free input). */
export function mapLiterals(p: Pattern, f: (s: string) => string): Pattern {
  return p.map((x) => (x.t === 'lit' ? { t: 'lit', s: f(x.s) } : x));
}

const RE_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;
const escapeRe = (s: string) => s.replace(RE_SPECIAL, '\\$&');

/**
 * What a pattern tests, in the cheapest form: equality, prefix, suffix or substring of one text,
 * anything / only the empty string, or, when wildcards sit inside the value, one RegExp built
 * here once (never per event). With `cased` false the text is folded here and the caller passes
 * a folded haystack.
 */
export type PatternShape =
  | { k: 'eq' | 'prefix' | 'suffix' | 'contains'; s: string }
  | { k: 'any' | 'empty' }
  | { k: 're'; re: RegExp };

export function patternShape(p: Pattern, cased: boolean): PatternShape {
  const norm = (s: string) => (cased ? s : fold(s));
  const n = p.length;
  if (n === 0) return { k: 'empty' };
  const onlyLits = (ps: Part[]) => ps.every((x) => x.t === 'lit');
  const join = (ps: Part[]) => norm(ps.map((x) => (x as { s: string }).s).join(''));
  if (onlyLits(p)) return { k: 'eq', s: join(p) };
  const starStart = p[0].t === 'star';
  const starEnd = p[n - 1].t === 'star';
  if (n === 1 && starStart) return { k: 'any' };
  const inner = p.slice(starStart ? 1 : 0, starEnd ? n - 1 : n);
  if (onlyLits(inner)) {
    const s = join(inner);
    return { k: starStart && starEnd ? 'contains' : starStart ? 'suffix' : 'prefix', s };
  }
  let src = '';
  for (const x of p) {
    if (x.t === 'lit') src += escapeRe(norm(x.s));
    else if (x.t === 'star') src += '[\\s\\S]*';
    else if (x.t === 'one') src += '[\\s\\S]';
    else src += '[' + x.chars.replace(/[\]\\^-]/g, '\\$&') + ']';
  }
  return { k: 're', re: new RegExp('^' + src + '$') };
}

/** The string test of a shape. */
export function shapeTest(sh: PatternShape): (v: string) => boolean {
  switch (sh.k) {
    case 'eq': { const s = sh.s; return (v) => v === s; }
    case 'prefix': { const s = sh.s; return (v) => v.startsWith(s); }
    case 'suffix': { const s = sh.s; return (v) => v.endsWith(s); }
    case 'contains': { const s = sh.s; return (v) => v.includes(s); }
    case 'any': return () => true;
    case 'empty': return (v) => v.length === 0;
    case 're': { const re = sh.re; return (v) => re.test(v); }
  }
}

/** Compiles a pattern to the cheapest string test (see patternShape). */
export function compilePattern(p: Pattern, cased: boolean): (v: string) => boolean {
  return shapeTest(patternShape(p, cased));
}
