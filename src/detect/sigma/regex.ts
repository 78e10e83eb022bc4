import { setFlagsFromString } from 'node:v8';
import { SigmaError } from './errors.js';
import { caseless } from './caseless.js';

// A rule's regex meets values an attacker writes (command lines, URLs, user names). A pattern
// with nested or overlapping quantifiers — `(a+)+$`, `(\w+\s?)+$` — backtracks exponentially on
// a crafted value, and one such event would stall `ward hunt`, or a detection thread of `ward
// serve`, for hours. This V8 flag makes a match that exceeds its backtracking budget (50,000 by
// default) start again on V8's linear-time engine, which gives the same answer for every
// pattern it supports: not backreferences or lookarounds, nor (in Node 20's V8) the `i` flag,
// which compileRegex therefore spells out letter by letter where it can (caseless.ts).
// Process-wide, so it also covers worker threads and every other regex Ward runs.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/**
 * Sigma's `re` modifier uses PCRE-like syntax (SigmaHQ rules are tested with Python's re).
 * JavaScript lacks some of it, so the few spellings that differ are rewritten here, once, at
 * rule load: leading inline flags `(?i)`, named groups `(?P<n>`, `\A`, `\Z`, possessive-free.
 * Matching is a search (unanchored), case-sensitive unless `|i` (Sigma v2.1 §re).
 */
export function compileRegex(source: string, flags: { i?: boolean; m?: boolean; s?: boolean }): RegExp {
  let src = source;
  let f = '';
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const c of inline[1]) if (c !== 'x' && !f.includes(c)) f += c;
  }
  src = src
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  if (flags.i && !f.includes('i')) f += 'i';
  if (flags.m && !f.includes('m')) f += 'm';
  if (flags.s && !f.includes('s')) f += 's';
  let body = lazyDots(src);
  // `i` spelled out letter by letter, so the linear-time fallback above can take the pattern
  const spelled = f.includes('i') ? caseless(body) : undefined;
  if (spelled !== undefined) {
    body = spelled;
    f = f.replace('i', '');
  }
  try {
    return new RegExp(body, f);
  } catch (err) {
    throw new SigmaError('regex', `invalid regular expression /${source}/: ${(err as Error).message}`);
  }
}

/**
 * `.*` and `.+` made lazy (`.*?`, `.+?`) when the pattern has no backreference. Rules only ask
 * whether a value matches (RegExp.test), and whether a backtracking search finds a match does not
 * depend on the order it tries the alternatives in, only how long it takes: greedy dots between
 * repeated characters (SigmaHQ's "PowerShell obfuscation" rule: 14 `\+` joined by `.*`) tried
 * ~10^6 paths on a 2,400-character command line with 35 `+` (2–6 ms per event), lazy ones find
 * the first match in one pass (4 µs). Backreferences are left alone: what a group captured first
 * could change what `\1` then matches. Character classes and escapes are copied as they are.
 */
export function lazyDots(src: string): string {
  if (/\\[1-9]|\\k</.test(src)) return src;
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      // a ']' first in the class (or after '^') is a member, not the end
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += src[++i];
      continue;
    }
    out += c;
    if (c === '.' && (src[i + 1] === '*' || src[i + 1] === '+') && src[i + 2] !== '?') {
      out += src[i + 1] + '?';
      i++;
    }
  }
  return out;
}
