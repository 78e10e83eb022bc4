import { ArrayValue, EntityRef, RElement, type RNode, type RPart } from './model.js';

/**
 * Renders a resolved event as XML the way Windows Event Viewer shows it ("XML View"): two-space
 * indentation, empty elements self-closed, text and attribute values escaped (entity references
 * are emitted verbatim since they are already XML).
 */

function esc(s: string, attr: boolean): string {
  if (!/[&<>"']/.test(s)) return s;
  let out = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (attr) out = out.replace(/"/g, '&quot;');
  return out;
}

function partXml(p: RPart | RNode, attr: boolean): string {
  if (typeof p === 'string') return esc(p, attr);
  if (typeof p === 'number' || typeof p === 'boolean') return String(p);
  if (p instanceof ArrayValue) return esc(p.items.join(','), attr);
  if (p instanceof EntityRef) return p.text;
  return '';
}

function write(el: RElement, indent: string, out: string[]): void {
  let open = `${indent}<${el.name}`;
  for (const a of el.attrs) {
    let v = '';
    for (const p of a.parts) v += partXml(p, true);
    open += ` ${a.name}="${v}"`;
  }
  if (el.kids.length === 0) {
    out.push(open + '/>');
    return;
  }
  if (!el.hasElem) {
    let text = '';
    for (const k of el.kids) text += partXml(k, false);
    out.push(`${open}>${text}</${el.name}>`);
    return;
  }
  out.push(open + '>');
  const inner = indent + '  ';
  for (const k of el.kids) {
    if (k instanceof RElement) write(k, inner, out);
    else {
      const t = partXml(k, false);
      if (t.trim()) out.push(inner + t);
    }
  }
  out.push(`${indent}</${el.name}>`);
}

export function renderXml(root: RElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  write(root, '', out);
  return out.join('\n');
}
