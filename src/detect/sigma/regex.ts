import { SigmaError } from './errors.js';

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
  try {
    return new RegExp(src, f);
  } catch (err) {
    throw new SigmaError('regex', `invalid regular expression /${source}/: ${(err as Error).message}`);
  }
}
