import { SigmaError } from './errors.js';
import { needAnd, needOr, type Need } from './prefilter/need.js';

/**
 * Sigma condition expressions (Sigma v2.1 §"Condition"): and/or/not, parentheses, and the
 * quantifiers `1 of`, `any of`, `all of` over a wildcard pattern of search identifiers or `them`.
 * Precedence: or < and < not. Recursive descent with explicit positions for errors.
 */
export type CondNode =
  | { t: 'id'; name: string }
  | { t: 'not'; e: CondNode }
  | { t: 'and' | 'or'; es: CondNode[] }
  | { t: 'of'; quant: 'all' | number; target: string };

interface Tok {
  v: string;
  pos: number;
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  const re = /\s*(\(|\)|\|[^]*$|[^\s()]+)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (!m[1]) break;
    toks.push({ v: m[1], pos: m.index + m[0].length - m[1].length });
  }
  if (re.lastIndex < src.trimEnd().length) throw new SigmaError('condition', `cannot read condition at column ${re.lastIndex + 1}: '${src}'`);
  return toks;
}

export function parseCondition(src: string): CondNode {
  const toks = tokenize(src);
  const pipe = toks.find((t) => t.v.startsWith('|'));
  if (pipe) throw new SigmaError('condition', `aggregation expressions ('${pipe.v}') are deprecated since Sigma v2; use a correlation rule (column ${pipe.pos + 1})`);
  let i = 0;
  const peek = () => toks[i]?.v.toLowerCase();
  const fail = (msg: string): never => {
    const pos = toks[i]?.pos ?? src.length;
    throw new SigmaError('condition', `${msg} at column ${pos + 1} of condition '${src}'`);
  };
  const orExpr = (): CondNode => {
    const es = [andExpr()];
    while (peek() === 'or') {
      i++;
      es.push(andExpr());
    }
    return es.length === 1 ? es[0] : { t: 'or', es };
  };
  const andExpr = (): CondNode => {
    const es = [notExpr()];
    while (peek() === 'and') {
      i++;
      es.push(notExpr());
    }
    return es.length === 1 ? es[0] : { t: 'and', es };
  };
  const notExpr = (): CondNode => {
    if (peek() === 'not') {
      i++;
      return { t: 'not', e: notExpr() };
    }
    return primary();
  };
  const primary = (): CondNode => {
    const tok = toks[i];
    if (!tok) return fail('unexpected end');
    const lv = tok.v.toLowerCase();
    if (tok.v.startsWith('|')) return fail(`aggregation expressions ('${tok.v}') are deprecated since Sigma v2; use a correlation rule`);
    if (lv === '(') {
      i++;
      const e = orExpr();
      if (peek() !== ')') fail("expected ')'");
      i++;
      return e;
    }
    if (toks[i + 1]?.v.toLowerCase() === 'of') {
      let quant: 'all' | number;
      if (lv === 'all') quant = 'all';
      else if (lv === 'any') quant = 1;
      else if (/^\d+$/.test(lv)) quant = Number(lv);
      else return fail(`'${tok.v} of' is not a quantifier (use 1, any or all)`);
      i += 2;
      const target = toks[i];
      if (!target || target.v === '(' || target.v === ')') return fail("expected a search identifier or 'them' after 'of'");
      i++;
      return { t: 'of', quant, target: target.v };
    }
    if (lv === ')' || lv === 'and' || lv === 'or') return fail(`unexpected '${tok.v}'`);
    i++;
    return { t: 'id', name: tok.v };
  };
  const node = orExpr();
  if (i < toks.length) fail(`unexpected '${toks[i].v}'`);
  return node;
}

/** Search identifiers an `of` target selects: `them` is every one not starting with `_`. */
export function selectIdentifiers(target: string, names: string[]): string[] {
  if (target === 'them') return names.filter((n) => !n.startsWith('_'));
  if (!target.includes('*')) return names.filter((n) => n === target);
  const re = new RegExp('^' + target.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return names.filter((n) => re.test(n));
}

export function compileCondition<C>(node: CondNode, detections: Map<string, (c: C) => boolean>): (c: C) => boolean {
  const names = [...detections.keys()];
  const rec = (n: CondNode): ((c: C) => boolean) => {
    switch (n.t) {
      case 'id': {
        const d = detections.get(n.name);
        if (!d) throw new SigmaError('condition', `condition names '${n.name}', which is not a search identifier of this rule`);
        return d;
      }
      case 'not': {
        const e = rec(n.e);
        return (c) => !e(c);
      }
      case 'and': {
        const es = n.es.map(rec);
        return es.length === 2 ? (c) => es[0](c) && es[1](c) : (c) => es.every((e) => e(c));
      }
      case 'or': {
        const es = n.es.map(rec);
        return es.length === 2 ? (c) => es[0](c) || es[1](c) : (c) => es.some((e) => e(c));
      }
      case 'of': {
        const sel = selectIdentifiers(n.target, names);
        if (sel.length === 0) throw new SigmaError('condition', `'${n.target}' matches no search identifier`);
        const fs = sel.map((s) => detections.get(s)!);
        if (n.quant === 'all') return (c) => fs.every((f) => f(c));
        const k = n.quant;
        if (k === 1) return (c) => fs.some((f) => f(c));
        return (c) => {
          let hits = 0;
          for (const f of fs) if (f(c) && ++hits >= k) return true;
          return false;
        };
      }
    }
  };
  return rec(node);
}

/** The prefilter condition of a whole condition: `not` gives none, and/or combine (need.ts). */
export function conditionNeed(node: CondNode, needs: Map<string, Need>): Need {
  const names = [...needs.keys()];
  switch (node.t) {
    case 'id':
      return needs.get(node.name) ?? null;
    case 'not':
      return null;
    case 'and':
      return needAnd(node.es.map((e) => conditionNeed(e, needs)));
    case 'or':
      return needOr(node.es.map((e) => conditionNeed(e, needs)));
    case 'of': {
      const sel = selectIdentifiers(node.target, names).map((n) => needs.get(n) ?? null);
      if (node.quant === 'all') return needAnd(sel);
      // k of n (k ≥ 1): at least one of them holds.
      return needOr(sel);
    }
  }
}
