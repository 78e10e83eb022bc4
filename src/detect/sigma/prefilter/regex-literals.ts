/**
 * Literal text every match of a regular expression must contain, for the prefilter: for each
 * top-level alternative, its longest run of plain characters that is not optional. Conservative:
 * anything not understood (groups, classes, escapes like \d, quantified characters, anchors)
 * only ends a run, and a pattern with no usable run in some alternative gives null.
 *
 * Runs are kept only when ASCII: folding then agrees with any case-insensitive matching the
 * regex does (ECMAScript §22.2.2.7.3 Canonicalize never maps non-ASCII onto ASCII without the u
 * flag, and fold() maps the Kelvin sign and long s like simple case folding does with it).
 */
export function requiredLiterals(source: string): string[] | null {
  let src = source;
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    // (?x) makes whitespace insignificant: the text is no longer what it matches
    if (inline[1].includes('x')) return null;
    src = src.slice(inline[0].length);
  }
  const branches = splitTopLevel(src);
  if (!branches) return null;
  const out: string[] = [];
  for (const b of branches) {
    const lit = longestRun(b);
    // One character is worth a needle only if lines rarely hold it (obfuscation markers: + ` ^ …)
    if (lit === null || (lit.length < 2 && !RARE.test(lit))) return null;
    out.push(lit.toLowerCase());
  }
  return out;
}

/** Splits on `|` outside groups and classes; null when brackets do not balance. */
function splitTopLevel(src: string): string[] | null {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === '[' || c === '(') {
      i = c === '[' ? skipClass(src, i) : skipGroup(src, i);
      if (i < 0) return null;
    } else if (c === ')') return null;
    else {
      if (c === '|') {
        out.push(src.slice(start, i));
        start = i + 1;
      }
      i++;
    }
  }
  out.push(src.slice(start));
  return out;
}

const RARE = /^[+`^${}[\]|;&%!~'"<>#@*?=,()]$/;

const QUANT = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/;

/** The longest required plain run of one alternative (no top-level `|`), or null. */
function longestRun(b: string): string | null {
  let best = '';
  let run = '';
  const end = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let lit: string | undefined;
    let next = i + 1;
    if (c === '\\') {
      const e = b[i + 1];
      if (e === undefined) return null;
      // An escaped non-alphanumeric is itself; \d, \w, \b, \1, \x41 … are not plain text here.
      if (!/[A-Za-z0-9]/.test(e)) lit = e;
      next = i + 2;
    } else if (c === '[') {
      next = skipClass(b, i);
      if (next < 0) return null;
    } else if (c === '(') {
      next = skipGroup(b, i);
      if (next < 0) return null;
    } else if (c === '{') {
      // a literal brace in ECMAScript's annex B, or a quantifier: either way not text we rely on
      const q = QUANT.exec(b.slice(i));
      next = q ? i + q[0].length : i + 1;
    } else if (!'.^$*+?)|'.includes(c)) lit = c;
    const q = QUANT.exec(b.slice(next));
    if (q) {
      const min = q[0][0] === '+' ? 1 : q[0][0] === '{' ? Number(/\d+/.exec(q[0])![0]) : 0;
      // x+ or x{2,}: x is required once, but what follows need not be adjacent to one x
      if (lit !== undefined && min >= 1 && lit.charCodeAt(0) < 128) {
        run += lit;
        end();
      } else end();
      i = next + q[0].length;
      continue;
    }
    if (lit !== undefined && lit.charCodeAt(0) < 128) run += lit;
    else end();
    i = next;
  }
  end();
  return best || null;
}

/** ECMAScript classes end at the first unescaped `]` (`[]` is the empty class). */
function skipClass(b: string, i: number): number {
  for (let k = i + 1; k < b.length; k++) {
    if (b[k] === '\\') k++;
    else if (b[k] === ']') return k + 1;
  }
  return -1;
}

/** The index after the `)` closing the group opened at i, or -1. */
function skipGroup(b: string, i: number): number {
  let depth = 0;
  for (let k = i; k < b.length; k++) {
    const c = b[k];
    if (c === '\\') k++;
    else if (c === '[') {
      k = skipClass(b, k) - 1;
      if (k < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k + 1;
  }
  return -1;
}
