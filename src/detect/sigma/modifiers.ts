import { appendStar, mapLiterals, prependStar, hasWildcards, type Pattern } from './pattern.js';
import type { SigmaValue, ValueGroup } from './values.js';
import { base64Offsets, binaryToBuffer, utf16be, utf16bom, utf16le } from './encode.js';

/**
 * Sigma value modifiers (Sigma v2.1 §"Value Modifiers"), keyed by the word written after `|`.
 *
 * - `transform` modifiers rewrite values, left to right as written (`|wide|base64offset|contains`).
 * - `type` modifiers choose how the final values are compared (re, cidr, lt…, exists, fieldref…);
 *   at most one per item.
 * - `flag` modifiers tune the comparison (all, cased, re's i/m/s).
 *
 * Add a modifier by adding an entry here; compile.ts needs no change for a transform.
 */
export type ModifierKind = 'transform' | 'type' | 'flag';

export interface TransformContext {
  /** Placeholder values for `|expand` (name without the % signs → values). */
  placeholders: Record<string, string[]>;
  /** Set when a placeholder has no configured values. */
  missingPlaceholders: string[];
}

export interface ModifierSpec {
  kind: ModifierKind;
  description: string;
  transform?: (groups: ValueGroup[], ctx: TransformContext) => ValueGroup[];
}

const mapStr =
  (f: (p: Pattern, v: SigmaValue & { k: 'str' }) => Pattern) =>
  (groups: ValueGroup[]): ValueGroup[] =>
    groups.map((g) => g.map((v) => (v.k === 'str' ? { ...v, p: f(v.p, v) } : v.k === 'num' ? numAsStr(v, f) : v)));

function numAsStr(v: SigmaValue & { k: 'num' }, f: (p: Pattern, v: SigmaValue & { k: 'str' }) => Pattern): SigmaValue {
  const s: SigmaValue & { k: 'str' } = { k: 'str', p: [{ t: 'lit', s: String(v.n) }], raw: String(v.n) };
  return { ...s, p: f(s.p, s) };
}

/**
 * Replaces each literal with its binary-string encoding (one char per byte) and marks the value
 * as binary, so a following base64 step does not UTF-8 encode it again.
 */
const encodeWith =
  (enc: (s: string) => string) =>
  (groups: ValueGroup[]): ValueGroup[] =>
    groups.map((g) => g.map((v) => (v.k === 'str' ? { ...v, p: mapLiterals(v.p, enc), bin: true } : v)));

/** The bytes of a value: binary strings as they are, other text UTF-8 encoded. */
function bytesOf(v: SigmaValue & { k: 'str' }): Buffer {
  const text = v.p.map((x) => (x.t === 'lit' ? x.s : '')).join('');
  return v.bin ? binaryToBuffer(text) : Buffer.from(text, 'utf8');
}

const base64Of = (groups: ValueGroup[]): ValueGroup[] =>
  groups.map((g) =>
    g.map((v) => {
      if (v.k !== 'str') return v;
      const s = bytesOf(v).toString('base64');
      return { k: 'str' as const, raw: s, p: [{ t: 'lit' as const, s }] };
    }),
  );

/**
 * windash (Sigma v2.1): a dash or slash that starts a command-line switch may be written with any
 * of - / – — ―. Only switch positions (after a space or at the start, before a word character)
 * become a character class, so "a-b" inside a word is left alone.
 */
const DASHES = '-/\u2013\u2014\u2015';
function windash(p: Pattern): Pattern {
  const out: Pattern = [];
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (x.t !== 'lit') {
      out.push(x);
      continue;
    }
    let lit = '';
    for (let j = 0; j < x.s.length; j++) {
      const c = x.s[j];
      const prev = j > 0 ? x.s[j - 1] : i > 0 ? null : '';
      const next = x.s[j + 1];
      const prevNonWord = prev === '' || (prev !== null && !/\w/.test(prev)) || (prev === null && p[i - 1].t !== 'lit');
      if ((c === '-' || c === '/') && prevNonWord && next !== undefined && /\w/.test(next)) {
        if (lit) out.push({ t: 'lit', s: lit });
        lit = '';
        out.push({ t: 'class', chars: DASHES });
      } else lit += c;
    }
    if (lit) out.push({ t: 'lit', s: lit });
  }
  return out;
}

function expand(groups: ValueGroup[], ctx: TransformContext): ValueGroup[] {
  return groups.map((g) =>
    g.flatMap((v): SigmaValue[] => {
      if (v.k !== 'str') return [v];
      const m = /%([\w.-]+)%/.exec(v.raw);
      if (!m) return [v];
      const vals = ctx.placeholders[m[1]];
      if (!vals) {
        ctx.missingPlaceholders.push(m[1]);
        return [];
      }
      return vals.map((rep) => {
        const raw = v.raw.replace(m[0], rep);
        return { k: 'str' as const, raw, p: mapLiterals(v.p, (s) => s.replace(m[0], rep)) };
      });
    }),
  );
}

const flag = (description: string): ModifierSpec => ({ kind: 'flag', description });
const type = (description: string): ModifierSpec => ({ kind: 'type', description });

export const modifiers: Record<string, ModifierSpec> = {
  contains: { kind: 'transform', description: 'value anywhere in the field', transform: mapStr((p) => appendStar(prependStar(p))) },
  startswith: { kind: 'transform', description: 'field starts with the value', transform: mapStr((p) => appendStar(p)) },
  endswith: { kind: 'transform', description: 'field ends with the value', transform: mapStr((p) => prependStar(p)) },
  windash: { kind: 'transform', description: 'switch dashes may be - / – — ―', transform: mapStr(windash) },
  base64: { kind: 'transform', description: 'value base64-encoded', transform: base64Of },
  base64offset: {
    kind: 'transform',
    description: 'value base64-encoded at any offset (three variants)',
    transform: (groups) =>
      groups.map((g) =>
        g.flatMap((v): SigmaValue[] => {
          if (v.k !== 'str') return [v];
          return base64Offsets(bytesOf(v)).map((s) => ({ k: 'str' as const, raw: s, p: [{ t: 'lit' as const, s }] }));
        }),
      ),
  },
  wide: { kind: 'transform', description: 'UTF-16LE encoding (alias of utf16le)', transform: encodeWith(utf16le) },
  utf16le: { kind: 'transform', description: 'UTF-16LE encoding', transform: encodeWith(utf16le) },
  utf16be: { kind: 'transform', description: 'UTF-16BE encoding', transform: encodeWith(utf16be) },
  utf16: { kind: 'transform', description: 'UTF-16 with byte-order mark', transform: encodeWith(utf16bom) },
  expand: { kind: 'transform', description: 'replace %placeholders% with configured values', transform: expand },
  all: flag('all values must match (AND instead of OR)'),
  cased: flag('case-sensitive comparison'),
  i: flag('regular expression: ignore case'),
  ignorecase: flag('regular expression: ignore case'),
  m: flag('regular expression: multi-line'),
  multiline: flag('regular expression: multi-line'),
  s: flag('regular expression: dot matches newline'),
  dotall: flag('regular expression: dot matches newline'),
  re: type('regular expression search'),
  cidr: type('IPv4/IPv6 address inside a network'),
  exists: type('the field is present (true) or absent (false)'),
  fieldref: type('the field equals another field of the same event'),
  neq: type('the field is not equal to the value'),
  lt: type('numerically less than'),
  lte: type('numerically less than or equal'),
  gt: type('numerically greater than'),
  gte: type('numerically greater than or equal'),
  minute: type('minute of the timestamp equals'),
  hour: type('hour of the timestamp equals'),
  day: type('day of month of the timestamp equals'),
  week: type('ISO week of the timestamp equals'),
  month: type('month of the timestamp equals'),
  year: type('year of the timestamp equals'),
};

export function patternHasWildcards(p: Pattern): boolean {
  return hasWildcards(p);
}
