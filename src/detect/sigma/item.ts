import { SigmaError } from './errors.js';
import { modifiers, type TransformContext } from './modifiers.js';
import { compilePattern, patternShape, type Pattern } from './pattern.js';
import { anyShape } from './anyof.js';
import { toSigmaValue, valueText, type SigmaValue, type ValueGroup } from './values.js';
import { compileRegex } from './regex.js';
import { inNetwork, parseIp, parseNetwork } from './ip.js';
import { fold } from './fold.js';
import type { MatchContext } from './context.js';
import { parseTimestamp } from '../../normalize/index.js';
import { needAnd, needOr, needOf, type Need } from './prefilter/need.js';
import { requiredLiterals } from './prefilter/regex-literals.js';

/** One compiled `field|modifiers: values` line of a detection map (or a keyword list). */
export interface CompiledItem {
  /** undefined for keyword searches (any field). */
  field: string | undefined;
  test(ctx: MatchContext): boolean;
  /** necessary literal condition for the prefilter (see prefilter/need.ts) */
  need?: Need;
}

/** The longest literal run of a value, folded: text any matching value must contain. */
function longestLiteral(v: SigmaValue): string {
  if (v.k === 'num') return String(v.n);
  if (v.k === 'bool') return String(v.b);
  if (v.k !== 'str') return '';
  let best = '';
  for (const x of v.p) if (x.t === 'lit' && x.s.length > best.length) best = x.s;
  return fold(best);
}

function itemNeed(field: string | undefined, kind: string | undefined, vals: ValueGroup[], all: boolean, cased: boolean): Need {
  if (field && field.includes('.')) return null;
  if (kind === 're') return regexNeed(field ?? '*', vals, all);
  if (kind !== undefined) return null;
  // Keyword searches (no field) may occur in any value: the prefilter's '*' automaton scans them all.
  field ??= '*';
  const groups: Need[] = vals.map((g) => {
    const out: { field: string; needle: string }[] = [];
    for (const v of g) {
      const n = longestLiteral(v);
      // Case-sensitive needles outside ASCII could fold differently in context; no prefilter then.
      if (!n || (cased && /[^\x00-\x7f]/.test(n))) return null;
      out.push({ field, needle: n });
    }
    return needOf(out);
  });
  if (groups.length === 0) return null;
  return all ? needAnd(groups) : needOr(groups);
}

/** A regex value: the literal runs every match contains (prefilter/regex-literals.ts). */
function regexNeed(field: string, vals: ValueGroup[], all: boolean): Need {
  const groups: Need[] = vals.map((g) => {
    const out: { field: string; needle: string }[] = [];
    for (const v of g) {
      const lits = v.k === 'str' ? requiredLiterals(valueText(v)) : null;
      if (!lits) return null;
      for (const needle of lits) out.push({ field, needle });
    }
    return needOf(out);
  });
  if (groups.length === 0) return null;
  return all ? needAnd(groups) : needOr(groups);
}

type StrTest = (v: string) => boolean;

export function compileItem(key: string | undefined, value: unknown, tctx: TransformContext): CompiledItem {
  const [fieldPart, ...mods] = (key ?? '').split('|');
  const field = fieldPart === '' ? undefined : fieldPart;
  for (const m of mods) if (!modifiers[m]) throw new SigmaError('modifier', `unknown modifier '${m}' in '${key}'`);
  const has = (m: string) => mods.includes(m);
  const typeMods = mods.filter((m) => modifiers[m].kind === 'type');
  if (typeMods.length > 1 && !(typeMods.length === 2 && typeMods.includes('fieldref')))
    throw new SigmaError('modifier', `conflicting modifiers ${typeMods.join(', ')} in '${key}'`);
  const kind = typeMods.find((m) => m !== 'fieldref') ?? typeMods[0];

  const list = Array.isArray(value) ? value : [value];
  const all = has('all');
  const cased = has('cased');

  if (kind === 'exists') {
    if (!field) throw new SigmaError('modifier', `'exists' needs a field`);
    const want = list[0] === true || list[0] === 'true' || list[0] === 'yes';
    return { field, test: (c) => (c.cased(field) !== null) === want };
  }
  if (has('fieldref')) return fieldRef(field, mods, list, all, cased);

  const groups: ValueGroup[] = list.map((v) => {
    const sv = toSigmaValue(v);
    if (!sv) throw new SigmaError('value', `unsupported value ${JSON.stringify(v)} for '${key}'`);
    return [sv];
  });
  let vals = groups;
  for (const m of mods) {
    const spec = modifiers[m];
    if (spec.kind === 'transform' && spec.transform) vals = spec.transform(vals, tctx);
  }

  // Without `all` the item holds when any value of any group does: one list.
  const lists = all ? vals : [vals.flat()];
  const tests: ((c: MatchContext) => boolean)[] = lists.map((g) => anyValueTest(field, g, kind, mods, cased));
  const need = itemNeed(field, kind ?? (mods.includes('neq') ? 'neq' : undefined), vals, all, cased);
  // An empty group (e.g. an unresolved placeholder) can never match.
  if (tests.length === 0 || (!all && vals.every((g) => g.length === 0))) return { field, test: () => false, need: null };
  if (tests.length === 1) return { field, test: tests[0], need };
  return { field, test: all ? (c) => tests.every((t) => t(c)) : (c) => tests.some((t) => t(c)), need };
}

/**
 * The test that one of `values` matches. Plain string values (no type modifier) are matched as
 * one list (anyof.ts): the field is read once and long lists cost a lookup, not a loop.
 */
function anyValueTest(field: string | undefined, values: SigmaValue[], kind: string | undefined, mods: string[], cased: boolean): (c: MatchContext) => boolean {
  const strs = kind === undefined ? values.filter((v): v is Extract<SigmaValue, { k: 'str' }> => v.k === 'str') : [];
  if (strs.length < 2) {
    const vs = values.map((v) => valueTest(field, v, kind, mods, cased));
    return vs.length === 1 ? vs[0] : (c) => vs.some((t) => t(c));
  }
  const listed = fieldTest(field, cased, anyShape(strs.map((v) => patternShape(v.p, cased))));
  const others = values.filter((v) => v.k !== 'str').map((v) => valueTest(field, v, kind, mods, cased));
  return others.length === 0 ? listed : (c) => listed(c) || others.some((t) => t(c));
}

/** A string test applied to a field's values (or, with no field, every value of the event). */
function fieldTest(field: string | undefined, useCased: boolean, strTest: StrTest): (c: MatchContext) => boolean {
  if (!field) return (c) => c.all(useCased).some(strTest);
  return useCased
    ? (c) => {
        const s = c.cased(field);
        return s !== null && s.some(strTest);
      }
    : (c) => {
        const s = c.folded(field);
        return s !== null && s.some(strTest);
      };
}

function valueTest(field: string | undefined, v: SigmaValue, kind: string | undefined, mods: string[], cased: boolean): (c: MatchContext) => boolean {
  if (v.k === 'null') {
    if (!field) return () => false;
    return (c) => {
      const s = c.cased(field);
      return s === null || (s.length === 1 && s[0] === '');
    };
  }
  let strTest: StrTest;
  let useCased = cased;
  switch (kind) {
    case undefined:
    case 'neq': {
      if (v.k === 'num') {
        const n = String(v.n);
        strTest = (s) => s === n;
        useCased = true;
      } else if (v.k === 'bool') {
        const b = String(v.b);
        strTest = (s) => s === b;
      } else strTest = compilePattern(v.p, cased);
      if (kind === 'neq') {
        const eq = strTest;
        strTest = (s) => !eq(s);
      }
      break;
    }
    case 're': {
      const re = compileRegex(valueText(v), { i: mods.includes('i') || mods.includes('ignorecase'), m: mods.includes('m') || mods.includes('multiline'), s: mods.includes('s') || mods.includes('dotall') });
      strTest = (s) => re.test(s);
      useCased = true;
      break;
    }
    case 'cidr': {
      const net = parseNetwork(valueText(v));
      if (!net) throw new SigmaError('value', `invalid CIDR network '${valueText(v)}'`);
      strTest = (s) => {
        const ip = parseIp(s);
        return ip !== undefined && inNetwork(ip, net);
      };
      useCased = true;
      break;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const n = v.k === 'num' ? v.n : Number(valueText(v));
      if (Number.isNaN(n)) throw new SigmaError('value', `'${kind}' needs a number, got '${valueText(v)}'`);
      const cmp = { lt: (x: number) => x < n, lte: (x: number) => x <= n, gt: (x: number) => x > n, gte: (x: number) => x >= n }[kind];
      strTest = (s) => {
        if (s.trim() === '') return false;
        const x = Number(s);
        return !Number.isNaN(x) && cmp(x);
      };
      useCased = true;
      break;
    }
    case 'minute':
    case 'hour':
    case 'day':
    case 'week':
    case 'month':
    case 'year': {
      const n = v.k === 'num' ? v.n : Number(valueText(v));
      const part = timePart[kind];
      strTest = (s) => {
        const t = parseTimestamp(s);
        return t !== undefined && part(new Date(t)) === n;
      };
      useCased = true;
      break;
    }
    default:
      throw new SigmaError('modifier', `modifier '${kind}' is not supported here`);
  }
  return fieldTest(field, useCased, strTest);
}

const timePart: Record<string, (d: Date) => number> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day: (d) => d.getUTCDate(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
  week: (d) => {
    // ISO 8601 week number.
    const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    const day = t.getUTCDay() || 7;
    t.setUTCDate(t.getUTCDate() + 4 - day);
    const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
    return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
  },
};

/**
 * `fieldref` (Sigma v2.1): the value names another field; the item holds when this field's value
 * equals (or, with contains/startswith/endswith, contains/starts/ends with) that field's value.
 */
function fieldRef(field: string | undefined, mods: string[], list: unknown[], all: boolean, cased: boolean): CompiledItem {
  if (!field) throw new SigmaError('modifier', `'fieldref' needs a field`);
  const rel: (a: string, b: string) => boolean = mods.includes('contains')
    ? (a, b) => a.includes(b)
    : mods.includes('startswith')
      ? (a, b) => a.startsWith(b)
      : mods.includes('endswith')
        ? (a, b) => a.endsWith(b)
        : (a, b) => a === b;
  const neg = mods.includes('neq');
  const tests = list.map((ref) => {
    const other = String(ref);
    return (c: MatchContext) => {
      const a = cased ? c.cased(field) : c.folded(field);
      const b = cased ? c.cased(other) : c.folded(other);
      if (a === null || b === null) return false;
      const r = a.some((x) => b.some((y) => rel(x, y)));
      return neg ? !r : r;
    };
  });
  return { field, test: all ? (c) => tests.every((t) => t(c)) : (c) => tests.some((t) => t(c)) };
}

export { fold };
export type { Pattern };
