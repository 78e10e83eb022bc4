import { EvtxFormatError } from './cursor.js';
import { ArrayValue, EntityRef, Fragment, RAttr, RElement, Sub, TElement, TInstance, type RNode, type RPart, type TNode, type Value } from './model.js';
import { MAX_NESTING } from './tokens.js';

/**
 * Template instantiation: replaces placeholders by this record's values (MS-EVEN6 §3.1.4.7.4),
 * splices nested BinXml values in as elements, drops empty optional substitutions, and expands an
 * element holding an array value into one element per item (MS-EVEN6 §3.1.4.7.5), which is what
 * evtx_dump and libevtx do.
 */

/**
 * Elements one record may resolve to. Array expansion multiplies elements (several arrays in one
 * element expand as a cross product), so a hostile record could otherwise ask for billions.
 */
export const MAX_RECORD_ELEMENTS = 100_000;
let budget = MAX_RECORD_ELEMENTS;
/** Array values pushed so far: lets elements without one skip the expansion scan. */
let arraysSeen = 0;

function spend(n: number): void {
  budget -= n;
  if (budget < 0) throw new EvtxFormatError('evtx.too-large', `record expands to more than ${MAX_RECORD_ELEMENTS} elements`, 0);
}

function isEmptyValue(v: Value): boolean {
  if (v === null || v === '') return true;
  if (v instanceof ArrayValue) return v.items.length === 0;
  if (v instanceof Fragment) return v.nodes.length === 0;
  return false;
}

export function resolveNodes(nodes: TNode[], vals: Value[] | null, out: RNode[], depth: number): void {
  if (depth > MAX_NESTING * 2) throw new EvtxFormatError('evtx.nesting', 'template instances nested too deeply', 0);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (typeof n === 'string') out.push(n);
    else if (n instanceof TElement) resolveElement(n, vals, out, depth);
    else if (n instanceof Sub) {
      if (!vals || n.index >= vals.length) continue;
      const v = vals[n.index];
      if (n.optional && isEmptyValue(v)) continue;
      if (v === null) continue;
      if (v instanceof Fragment) resolveNodes(v.nodes, null, out, depth + 1);
      else {
        if (v instanceof ArrayValue) arraysSeen++;
        out.push(v);
      }
    } else if (n instanceof TInstance) resolveNodes(n.template.nodes, n.values, out, depth + 1);
    else out.push(n);
  }
}

function resolveParts(parts: TNode[], vals: Value[] | null, out: RPart[]): void {
  for (let i = 0; i < parts.length; i++) {
    const n = parts[i];
    if (typeof n === 'string' || n instanceof EntityRef) out.push(n);
    else if (n instanceof Sub) {
      if (!vals || n.index >= vals.length) continue;
      const v = vals[n.index];
      if (n.optional && isEmptyValue(v)) continue;
      // A nested fragment cannot live inside an attribute value; it is dropped like evtx_dump does.
      if (v === null || v instanceof Fragment) continue;
      if (v instanceof ArrayValue) arraysSeen++;
      out.push(v);
    }
  }
}

function resolveElement(t: TElement, vals: Value[] | null, out: RNode[], depth: number): void {
  if (!t.dynamic && t.resolved) {
    for (let i = 0; i < t.resolved.length; i++) out.push(t.resolved[i]);
    return;
  }
  spend(1);
  const arraysBefore = arraysSeen;
  const r = new RElement(t.name);
  if (t.attrs.length) {
    const attrs: RAttr[] = [];
    for (let i = 0; i < t.attrs.length; i++) {
      const a = t.attrs[i];
      const parts: RPart[] = [];
      resolveParts(a.parts, vals, parts);
      if (parts.length) attrs.push(new RAttr(a.name, parts));
    }
    if (attrs.length) r.attrs = attrs;
  }
  resolveNodes(t.kids, vals, r.kids, depth);
  for (let i = 0; i < r.kids.length; i++) {
    if (r.kids[i] instanceof RElement) {
      r.hasElem = true;
      break;
    }
  }
  const start = out.length;
  if (arraysSeen === arraysBefore) out.push(r);
  else expandArrays(r, out, 0);
  if (!t.dynamic) t.resolved = out.slice(start) as RElement[];
}

/** Pushes `r`, or one copy per item of its first array value with more than one item. */
function expandArrays(r: RElement, out: RNode[], guard: number): void {
  let kidAt = -1;
  let attrAt = -1;
  let partAt = -1;
  let arr: ArrayValue | undefined;
  for (let i = 0; i < r.kids.length && !arr; i++) {
    const k = r.kids[i];
    if (k instanceof ArrayValue && k.items.length > 1) {
      arr = k;
      kidAt = i;
    }
  }
  for (let a = 0; a < r.attrs.length && !arr; a++) {
    const parts = r.attrs[a].parts;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p instanceof ArrayValue && p.items.length > 1) {
        arr = p;
        attrAt = a;
        partAt = i;
        break;
      }
    }
  }
  if (!arr || guard > 8) {
    out.push(r);
    return;
  }
  spend(arr.items.length);
  for (const item of arr.items) {
    const c = new RElement(r.name);
    c.hasElem = r.hasElem;
    if (kidAt >= 0) {
      c.attrs = r.attrs;
      c.kids = r.kids.slice();
      if (item === '') c.kids.splice(kidAt, 1);
      else c.kids[kidAt] = item;
    } else {
      c.kids = r.kids;
      c.attrs = r.attrs.slice();
      const parts = r.attrs[attrAt].parts.slice();
      if (item === '') parts.splice(partAt, 1);
      else parts[partAt] = item;
      if (parts.length) c.attrs[attrAt] = new RAttr(r.attrs[attrAt].name, parts);
      else c.attrs.splice(attrAt, 1);
    }
    expandArrays(c, out, guard + 1);
  }
}

/** Resolves a record's top-level nodes and returns its root element (normally `Event`). */
export function resolveRecord(nodes: TNode[]): RElement {
  budget = MAX_RECORD_ELEMENTS;
  const out: RNode[] = [];
  resolveNodes(nodes, null, out, 0);
  for (const n of out) if (n instanceof RElement) return n;
  throw new EvtxFormatError('evtx.no-root', 'record holds no root element', 0);
}
