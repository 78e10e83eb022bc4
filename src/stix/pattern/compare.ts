import type { ComparisonExpr, Literal, ObjectPath } from './ast.js';
import { cidrContains, parseCidr } from './ip.js';

/** One observation as the matcher sees it (STIX 2.1 §9.4: an observed-data's SCOs plus its time). */
export interface PreparedObservation {
  objects: readonly Record<string, unknown>[];
  /** first_observed and last_observed, ms since the epoch. */
  first: number;
  last: number;
  /** id (or STIX 2.0 object key) → object, built on first dereference. */
  byId?: Map<string, Record<string, unknown>>;
  /** STIX 2.0 `objects` keys when given as a dictionary. */
  keys?: string[];
}

/**
 * Indexes of the observation's objects that satisfy a comparison expression (§9.5). Comparisons
 * joined by AND on the same object type must hold for the same object; comparisons on different
 * types joined by AND may be satisfied by different objects of the same observation.
 */
export function matchingObjects(expr: ComparisonExpr, obs: PreparedObservation): Set<number> {
  switch (expr.kind) {
    case 'cmp':
    case 'exists': {
      const out = new Set<number>();
      const objs = obs.objects;
      for (let i = 0; i < objs.length; i++) {
        if (objs[i].type === expr.path.type && testObject(expr, objs[i], obs)) out.add(i);
      }
      return out;
    }
    case 'or': {
      const a = matchingObjects(expr.left, obs);
      for (const i of matchingObjects(expr.right, obs)) a.add(i);
      return a;
    }
    case 'and': {
      const a = matchingObjects(expr.left, obs);
      if (a.size === 0) return a;
      const b = matchingObjects(expr.right, obs);
      if (b.size === 0) return b;
      const ta = typesOf(expr.left);
      const tb = typesOf(expr.right);
      if (ta.size === 1 && tb.size === 1 && [...ta][0] === [...tb][0]) {
        const both = new Set<number>();
        for (const i of a) if (b.has(i)) both.add(i);
        return both;
      }
      for (const i of b) a.add(i);
      return a;
    }
  }
}

const typeCache = new WeakMap<ComparisonExpr, Set<string>>();
export function typesOf(expr: ComparisonExpr): Set<string> {
  let t = typeCache.get(expr);
  if (t) return t;
  if (expr.kind === 'cmp' || expr.kind === 'exists') t = new Set([expr.path.type]);
  else t = new Set([...typesOf(expr.left), ...typesOf(expr.right)]);
  typeCache.set(expr, t);
  return t;
}

export function testObject(expr: Extract<ComparisonExpr, { kind: 'cmp' | 'exists' }>, obj: Record<string, unknown>, obs?: PreparedObservation): boolean {
  const values = resolvePath(obj, expr.path, obs);
  if (expr.kind === 'exists') return values.length > 0;
  const lastKey = lastKeyOf(expr.path);
  const hashLike = isHashPath(expr.path);
  for (const v of values) {
    const r = compareValue(expr, v, lastKey, hashLike);
    // An incomparable value (wrong type) is false whether or not NOT is given (§9.5: a
    // comparison between incompatible types evaluates to false).
    if (r !== undefined && r !== expr.negated) return true;
  }
  return false;
}

function lastKeyOf(path: ObjectPath): string {
  for (let i = path.steps.length - 1; i >= 0; i--) {
    const s = path.steps[i];
    if (s.kind === 'key') return s.key;
  }
  return '';
}

/** `hashes.<algo>` values are hex digests: compared without regard to letter case. */
function isHashPath(path: ObjectPath): boolean {
  const s = path.steps;
  return s.length >= 2 && s[s.length - 2].kind === 'key' && (s[s.length - 2] as { key: string }).key === 'hashes';
}

/**
 * Values an object path selects (§9.3): keys step into dictionaries, [n] and [*] into lists;
 * after a `*_ref` key (or an index into `*_refs`) the next step continues in the referenced object.
 */
export function resolvePath(obj: Record<string, unknown>, path: ObjectPath, obs?: PreparedObservation): unknown[] {
  let cur: unknown[] = [obj];
  const steps = path.steps;
  for (let si = 0; si < steps.length; si++) {
    const step = steps[si];
    const more = si < steps.length - 1;
    const next: unknown[] = [];
    if (step.kind === 'key') {
      for (const c of cur) {
        if (c === null || typeof c !== 'object' || Array.isArray(c)) continue;
        const v = (c as Record<string, unknown>)[step.key];
        if (v === undefined || v === null) continue;
        if (more && step.key.endsWith('_ref') && typeof v === 'string') {
          const target = deref(v, obs);
          if (target) next.push(target);
        } else next.push(v);
      }
    } else {
      const prev = si > 0 ? steps[si - 1] : undefined;
      const refs = more && prev?.kind === 'key' && prev.key.endsWith('_refs');
      for (const c of cur) {
        if (!Array.isArray(c)) continue;
        const picked = step.index === '*' ? c : step.index >= 0 && step.index < c.length ? [c[step.index]] : [];
        for (const v of picked) {
          if (v === undefined || v === null) continue;
          if (refs && typeof v === 'string') {
            const target = deref(v, obs);
            if (target) next.push(target);
          } else next.push(v);
        }
      }
    }
    cur = next;
    if (cur.length === 0) break;
  }
  return cur;
}

function deref(id: string, obs: PreparedObservation | undefined): Record<string, unknown> | undefined {
  if (!obs) return undefined;
  if (!obs.byId) {
    obs.byId = new Map();
    obs.objects.forEach((o, i) => {
      if (typeof o.id === 'string') obs.byId!.set(o.id, o);
      if (obs.keys) obs.byId!.set(obs.keys[i], o);
    });
  }
  return obs.byId.get(id);
}

function bytesOf(v: unknown, lastKey: string): Uint8Array | undefined {
  if (typeof v !== 'string') return undefined;
  // STIX binary/hex properties are marked by their name suffix (STIX 2.1 §2.2, §2.7).
  if (lastKey.endsWith('_hex')) return /^(?:[0-9a-fA-F]{2})*$/.test(v) ? new Uint8Array(Buffer.from(v, 'hex')) : undefined;
  if (lastKey.endsWith('_bin')) return new Uint8Array(Buffer.from(v, 'base64'));
  // A plain string compares with a binary constant only when all its code points are < 256 (§9.5).
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c > 255) return undefined;
    out[i] = c;
  }
  return out;
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** -1/0/1 ordering of a property value against a literal, or undefined when incomparable. */
function order(lit: Literal, v: unknown, lastKey: string, hashLike: boolean): number | undefined {
  switch (lit.kind) {
    case 'string':
      if (typeof v !== 'string') return undefined;
      if (hashLike) {
        const a = v.toLowerCase();
        const b = lit.value.toLowerCase();
        return a < b ? -1 : a > b ? 1 : 0;
      }
      return v < lit.value ? -1 : v > lit.value ? 1 : 0;
    case 'int':
    case 'float':
      if (typeof v !== 'number') return undefined;
      return v < lit.value ? -1 : v > lit.value ? 1 : 0;
    case 'bool':
      if (typeof v !== 'boolean') return undefined;
      return v === lit.value ? 0 : v ? 1 : -1;
    case 'timestamp': {
      if (typeof v !== 'string') return undefined;
      const t = Date.parse(v);
      if (Number.isNaN(t)) return undefined;
      if (t !== lit.value) return t < lit.value ? -1 : 1;
      // Same millisecond: compare the remaining fractional digits as text.
      const fa = fraction(v);
      const fb = fraction(lit.text);
      return fa < fb ? -1 : fa > fb ? 1 : 0;
    }
    case 'binary':
    case 'hex': {
      const b = bytesOf(v, lastKey);
      if (!b) return undefined;
      return Math.sign(cmpBytes(b, lit.value));
    }
  }
}

function fraction(ts: string): string {
  const m = /\.(\d+)/.exec(ts);
  return (m ? m[1] : '').padEnd(9, '0').slice(3, 9);
}

function compareValue(expr: Extract<ComparisonExpr, { kind: 'cmp' }>, v: unknown, lastKey: string, hashLike: boolean): boolean | undefined {
  switch (expr.op) {
    case '=':
    case '!=': {
      const o = order(expr.value as Literal, v, lastKey, hashLike);
      if (o === undefined) return undefined;
      return expr.op === '=' ? o === 0 : o !== 0;
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const o = order(expr.value as Literal, v, lastKey, hashLike);
      if (o === undefined) return undefined;
      return expr.op === '<' ? o < 0 : expr.op === '>' ? o > 0 : expr.op === '<=' ? o <= 0 : o >= 0;
    }
    case 'IN': {
      let comparable = false;
      for (const lit of expr.value as Literal[]) {
        const o = order(lit, v, lastKey, hashLike);
        if (o === 0) return true;
        if (o !== undefined) comparable = true;
      }
      return comparable ? false : undefined;
    }
    case 'LIKE':
    case 'MATCHES':
      if (typeof v !== 'string') return undefined;
      expr.regex!.lastIndex = 0;
      return expr.regex!.test(v);
    case 'ISSUBSET':
    case 'ISSUPERSET': {
      if (typeof v !== 'string') return undefined;
      const mine = parseCidr(v);
      const theirs = parseCidr((expr.value as { value: string }).value);
      if (!mine || !theirs) return undefined;
      return expr.op === 'ISSUBSET' ? cidrContains(theirs, mine) : cidrContains(mine, theirs);
    }
  }
}
