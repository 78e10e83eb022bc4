import { ArrayValue, EntityRef, RElement, type RAttr, type RNode, type RPart } from './model.js';

/**
 * Renders a resolved event as the JSON object the Rust `evtx_dump` tool writes (its `-o json`):
 *  - an element with only text is its value; a single integer/boolean value stays a number/boolean;
 *  - attributes go under `#attributes`, text next to children under `#text`; an element with
 *    neither content nor attributes is `null`;
 *  - repeated child names get `_1`, `_2` … suffixes;
 *  - inside `EventData`/`UserData`, `<Data Name="X">v</Data>` becomes `"X": v` (empty → ""), and
 *    unnamed `<Data>` elements are gathered as `"Data": {"#text": v | [v…]}`.
 */

type Json = null | string | number | boolean | Json[] | { [k: string]: Json };

function partText(p: RPart | RNode): string {
  if (typeof p === 'string') return p;
  if (typeof p === 'number' || typeof p === 'boolean') return String(p);
  if (p instanceof ArrayValue) return p.items.join(',');
  if (p instanceof EntityRef) return p.text;
  return '';
}

function nonEmpty(p: RPart | RNode): boolean {
  if (typeof p === 'string') return p.length > 0;
  if (p instanceof ArrayValue) return p.items.length > 0;
  return !(p instanceof RElement);
}

function hasText(nodes: readonly (RPart | RNode)[]): boolean {
  for (let i = 0; i < nodes.length; i++) if (nonEmpty(nodes[i])) return true;
  return false;
}

/** Element text as a JSON value: a lone integer/boolean stays typed, anything else concatenates. */
function contentValue(nodes: readonly (RPart | RNode)[]): Json {
  if (nodes.length === 1) {
    const v = nodes[0];
    if (typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'string') return v.trim();
  }
  let s = '';
  for (let i = 0; i < nodes.length; i++) s += partText(nodes[i]);
  return s.trim();
}

/** Like `contentValue` but ignoring child elements and empty pieces (text beside elements). */
function contentValueSkipElements(nodes: readonly RNode[]): Json {
  let single: RNode | undefined;
  let count = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n instanceof RElement || !nonEmpty(n)) continue;
    count++;
    single = n;
  }
  if (count === 1 && (typeof single === 'number' || typeof single === 'boolean')) return single;
  let s = '';
  for (let i = 0; i < nodes.length; i++) if (!(nodes[i] instanceof RElement)) s += partText(nodes[i]);
  return s;
}

function attributes(attrs: readonly RAttr[]): { [k: string]: Json } | null {
  let obj: { [k: string]: Json } | null = null;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    if (!hasText(a.parts)) continue;
    obj ??= {};
    obj[a.name] = contentValue(a.parts);
  }
  return obj;
}

function isContainer(name: string): boolean {
  return name === 'EventData' || name === 'UserData';
}

export function elementValue(el: RElement, container: boolean): Json {
  const text = hasText(el.kids);
  const attrs = el.attrs.length ? attributes(el.attrs) : null;
  if (!el.hasElem) {
    if (!attrs) return text ? contentValue(el.kids) : null;
  }
  return body(el, container, attrs, text);
}

function nameAttr(el: RElement): RAttr | undefined {
  for (let i = 0; i < el.attrs.length; i++) if (el.attrs[i].name === 'Name') return el.attrs[i];
  return undefined;
}

function dataValue(el: RElement): Json {
  if (el.hasElem) return body(el, false, el.attrs.length ? attributes(el.attrs) : null, hasText(el.kids));
  if (!hasText(el.kids)) return '';
  return contentValue(el.kids);
}

function body(el: RElement, container: boolean, attrs: { [k: string]: Json } | null, text: boolean): Json {
  const obj: { [k: string]: Json } = {};
  if (attrs) obj['#attributes'] = attrs;
  if (text) obj['#text'] = contentValueSkipElements(el.kids);
  const kids = el.kids;

  let flatten = false;
  let dataCount = 0;
  if (container) {
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      if (!(k instanceof RElement) || k.name !== 'Data') continue;
      dataCount++;
      const na = nameAttr(k);
      if (na && hasText(na.parts)) flatten = true;
    }
  }

  let counts: Map<string, number> | undefined;
  let dataDone = false;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i];
    if (!(k instanceof RElement)) continue;
    if (container && k.name === 'Data') {
      if (flatten) {
        const na = nameAttr(k);
        if (!na || !hasText(na.parts)) continue;
        let key = '';
        for (const p of na.parts) key += partText(p);
        obj[key] = dataValue(k);
      } else if (!dataDone) {
        dataDone = true;
        if (dataCount === 1) obj.Data = { '#text': dataValue(k) };
        else {
          const list: Json[] = [];
          for (let j = 0; j < kids.length; j++) {
            const d = kids[j];
            if (d instanceof RElement && d.name === 'Data') list.push(dataValue(d));
          }
          obj.Data = { '#text': list };
        }
      }
      continue;
    }
    let key = k.name;
    if (key in obj || counts?.has(key)) {
      counts ??= new Map();
      const n = counts.get(key) ?? 1;
      counts.set(key, n + 1);
      key = `${key}_${n}`;
    } else {
      counts?.set(key, 1);
    }
    obj[key] = elementValue(k, isContainer(k.name));
  }
  return obj;
}

/** `{"<root name>": …}` — the whole record in evtx_dump's JSON shape. */
export function renderJson(root: RElement): { [k: string]: Json } {
  return { [root.name]: elementValue(root, false) };
}
