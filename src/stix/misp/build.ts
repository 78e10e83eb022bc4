import { parsePattern } from '../pattern/parser.js';
import type { ObjectPath } from '../pattern/ast.js';

/** STIX pattern literal for a MISP value: integers for ports and AS numbers, quoted strings otherwise (§9.3). */
export function literal(path: string, value: string): string {
  if (/_port$/.test(path) || path === 'autonomous-system:number') return String(Number(value.replace(/^AS/i, '')));
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function comparison(path: string, value: string): string {
  return `${path} = ${literal(path, value)}`;
}

const pathCache = new Map<string, ObjectPath>();
export function objectPath(path: string): ObjectPath {
  let p = pathCache.get(path);
  if (!p) {
    const root = parsePattern(`[${path} = 1]`).root;
    if (root.kind !== 'observation' || root.expr.kind !== 'cmp') throw new Error(`bad path ${path}`);
    p = root.expr.path;
    pathCache.set(path, p);
  }
  return p;
}

/** Sets `value` at an object path inside an SCO under construction (`[*]` appends to a list). */
export function setPath(obj: Record<string, unknown>, path: ObjectPath, value: unknown): void {
  let cur: Record<string, unknown> = obj;
  const steps = path.steps;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const last = i === steps.length - 1;
    if (s.kind === 'key') {
      if (last) {
        cur[s.key] = value;
        return;
      }
      const next = steps[i + 1];
      if (next.kind === 'index') {
        if (!Array.isArray(cur[s.key])) cur[s.key] = [];
        const list = cur[s.key] as unknown[];
        if (i + 1 === steps.length - 1) {
          list.push(value);
          return;
        }
        const item: Record<string, unknown> = {};
        list.push(item);
        cur = item;
        i++;
      } else {
        if (cur[s.key] === null || typeof cur[s.key] !== 'object') cur[s.key] = {};
        cur = cur[s.key] as Record<string, unknown>;
      }
    }
  }
}

export function tsFromUnix(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  // STIX timestamps are years 0000–9999 in UTC (§2.14); MISP sends Unix seconds.
  if (!Number.isFinite(n) || n < 0 || n >= 253402300800) return undefined;
  return new Date(Math.floor(n * 1000)).toISOString();
}

export function unixFromTs(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : String(Math.floor(t / 1000));
}
