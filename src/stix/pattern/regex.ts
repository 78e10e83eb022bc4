/**
 * LIKE (§9.5): SQL-style, `%` any run of characters, `_` exactly one, anchored at both ends,
 * case-sensitive. MATCHES (§9.5): a PCRE regular expression, unanchored; the JavaScript engine
 * accepts the common PCRE subset (classes, quantifiers, groups, anchors, look-around).
 */
export function likeToRegExp(like: string): RegExp {
  let out = '^';
  for (const ch of like) {
    if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(out + '$', 'u');
}

export function compileMatches(src: string): RegExp {
  // PCRE's inline flags at the start, e.g. (?i), are common in shared indicators; JavaScript
  // expresses them as RegExp flags.
  let flags = '';
  const m = /^\(\?([imsx]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]) if (f !== 'x' && !flags.includes(f)) flags += f;
  }
  return new RegExp(src, flags);
}
