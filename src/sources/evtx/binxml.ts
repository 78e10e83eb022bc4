import { Cursor, EvtxFormatError } from './cursor.js';
import { utf16 } from './format.js';
import { EntityRef, Fragment, Sub, TAttr, TElement, TInstance, type Template, type TNode, type Value } from './model.js';
import * as T from './tokens.js';
import { decodeValue } from './values.js';

/**
 * Parses BinXml token streams of one chunk (MS-EVEN6 §3.1.4.7; libyal EVTX notes "Binary XML").
 * Names and template definitions are referenced by chunk-relative offsets, so both are cached
 * per chunk: a chunk's records share a handful of templates, each parsed once.
 */
/** Open-element bookkeeping while one fragment's tokens are read. */
class FragmentState {
  top: TNode[] = [];
  stack: TElement[] = [];
  /** Element whose start tag is being read (attributes still arriving). */
  open: TElement | null = null;
  attr: TAttr | null = null;

  push(n: TNode): void {
    if (this.open) {
      if (this.attr && !(n instanceof TElement) && !(n instanceof TInstance)) this.attr.parts.push(n);
      return;
    }
    const s = this.stack;
    if (s.length) s[s.length - 1].kids.push(n);
    else this.top.push(n);
  }

  /** A placeholder lies below: the open element and its ancestors are per-record. */
  markDynamic(): void {
    if (this.open) this.open.dynamic = true;
    for (let i = 0; i < this.stack.length; i++) this.stack[i].dynamic = true;
  }
}

export class ChunkParser {
  private names = new Map<number, string>();
  private templates = new Map<number, Template | null>();

  constructor(readonly buf: Buffer) {}

  /** Parses a record's event data `[start, end)` (chunk-relative) into top-level nodes. */
  parseRecord(start: number, end: number): TNode[] {
    return this.parseFragment(new Cursor(this.buf, start, end), false, 0);
  }

  /**
   * Name structure (libyal "Name"): u32 next-name offset, u16 hash, u16 character count, UTF-16
   * characters, u16 NUL. When the referencing offset equals the cursor position the name is
   * stored inline right here and the cursor must step over it.
   */
  private name(cur: Cursor, field: string): string {
    const off = cur.u32(field);
    let s = this.names.get(off);
    const b = this.buf;
    if (s === undefined) {
      if (off + 8 > b.length) throw new EvtxFormatError('evtx.name-offset', `${field}: name offset ${off} outside the chunk`, cur.pos - 4);
      const count = b[off + 6] | (b[off + 7] << 8);
      if (off + 8 + count * 2 > b.length) throw new EvtxFormatError('evtx.name-offset', `${field}: name at ${off} runs past the chunk`, off);
      s = utf16(b, off + 8, off + 8 + count * 2);
      this.names.set(off, s);
    }
    if (off === cur.pos) cur.skip(10 + 2 * (b[off + 6] | (b[off + 7] << 8)), `${field} (inline name)`);
    return s;
  }

  private template(defOffset: number, depth: number): Template {
    const cached = this.templates.get(defOffset);
    if (cached) return cached;
    if (cached === null) throw new EvtxFormatError('evtx.template-cycle', `template at ${defOffset} refers to itself`, defOffset);
    // Template definition (libyal "Template definition"): u32 next offset, 16-byte GUID,
    // u32 data size, then the BinXml fragment of the template.
    const head = new Cursor(this.buf, defOffset);
    head.skip(20, 'template definition header');
    const size = head.u32('template data size');
    this.templates.set(defOffset, null);
    let nodes: TNode[];
    try {
      nodes = this.parseFragment(new Cursor(this.buf, head.pos, head.pos + size), false, depth);
    } catch (err) {
      // Forget the in-progress mark so later records report the real damage, not a cycle.
      this.templates.delete(defOffset);
      throw err;
    }
    const tpl: Template = { nodes };
    this.templates.set(defOffset, tpl);
    return tpl;
  }

  private templateInstance(cur: Cursor, depth: number): TInstance {
    cur.skip(1, 'template instance unknown byte');
    cur.skip(4, 'template identifier');
    const defOffset = cur.u32('template definition offset');
    if (defOffset === cur.pos) {
      // The definition is stored inline (first use in this chunk): step over it.
      cur.skip(20, 'inline template definition header');
      const size = cur.u32('inline template data size');
      cur.skip(size, 'inline template data');
    }
    const tpl = this.template(defOffset, depth);
    // Template instance data: u32 count, count × (u16 size, u8 type, u8 padding), then values.
    const count = cur.u32('substitution count');
    if (count * 4 > cur.end - cur.pos) {
      throw new EvtxFormatError('evtx.substitution-count', `substitution count ${count} exceeds the record`, cur.pos - 4);
    }
    const descStart = cur.pos;
    cur.pos += count * 4;
    const values: Value[] = new Array(count);
    const b = this.buf;
    for (let i = 0; i < count; i++) {
      const d = descStart + i * 4;
      const size = b[d] | (b[d + 1] << 8);
      const type = b[d + 2];
      const at = cur.pos;
      cur.skip(size, `substitution value ${i}`);
      values[i] = decodeValue(b, at, size, type, depth, this.nested);
    }
    return new TInstance(tpl, values);
  }

  private nested = (start: number, end: number, depth: number): Fragment => {
    if (depth > T.MAX_NESTING) throw new EvtxFormatError('evtx.nesting', `BinXml nested deeper than ${T.MAX_NESTING}`, start);
    return new Fragment(this.parseFragment(new Cursor(this.buf, start, end), true, depth));
  };

  private plausibleName(nameOff: number, inlineAt: number): boolean {
    const b = this.buf;
    if (nameOff !== inlineAt && (nameOff >= inlineAt || nameOff < 512)) return false;
    if (nameOff + 8 > b.length) return false;
    const count = b[nameOff + 6] | (b[nameOff + 7] << 8);
    return nameOff + 10 + count * 2 <= b.length;
  }

  private hasDependencyId(at: number, inValue: boolean): boolean {
    const b = this.buf;
    const withId = at + 11 <= b.length && this.plausibleName(b.readUInt32LE(at + 7), at + 11);
    const withoutId = at + 9 <= b.length && this.plausibleName(b.readUInt32LE(at + 5), at + 9);
    if (withId !== withoutId) return withId;
    return !inValue;
  }

  /**
   * Parses tokens until end-of-fragment. `inValue` marks BinXml embedded in a substitution value,
   * whose element starts carry no dependency identifier (libyal "Element start", note).
   */
  private parseFragment(cur: Cursor, inValue: boolean, depth: number): TNode[] {
    const st = new FragmentState();

    while (cur.pos < cur.end) {
      const at = cur.pos;
      const tok = cur.u8('token');
      switch (tok & ~T.TOKEN_MORE_FLAG) {
        case T.TOKEN_EOF:
          if (st.stack.length === 0 && !st.open) return st.top;
          throw new EvtxFormatError('evtx.unbalanced', `end of fragment inside element <${st.stack[st.stack.length - 1]?.name ?? st.open?.name}>`, at);
        case T.TOKEN_OPEN_START: {
          if (st.open) throw new EvtxFormatError('evtx.token-order', 'element start inside an element start', at);
          // Element start: [u16 dependency id] u32 data size, u32 name offset. The dependency id
          // is absent in BinXml embedded in a substitution value (libyal "Element start", note),
          // yet some writers keep it there; the layout whose name offset is plausible wins.
          cur.skip(this.hasDependencyId(at, inValue) ? 6 : 4, 'element start');
          const el = new TElement(this.name(cur, 'element name'));
          if (tok & T.TOKEN_MORE_FLAG) cur.skip(4, 'attribute list size');
          if (st.stack.length >= T.MAX_ELEMENT_DEPTH) throw new EvtxFormatError('evtx.depth', 'elements nested too deeply', at);
          st.open = el;
          st.attr = null;
          break;
        }
        case T.TOKEN_CLOSE_START:
        case T.TOKEN_CLOSE_EMPTY: {
          if (!st.open) throw new EvtxFormatError('evtx.token-order', 'close of an element start that was not opened', at);
          const el: TElement = st.open;
          st.open = null;
          st.attr = null;
          st.push(el);
          if (el.dynamic) st.markDynamic();
          if ((tok & ~T.TOKEN_MORE_FLAG) === T.TOKEN_CLOSE_START) st.stack.push(el);
          break;
        }
        case T.TOKEN_END_ELEMENT: {
          if (st.open || st.stack.length === 0) throw new EvtxFormatError('evtx.token-order', 'end element without an open element', at);
          st.stack.pop();
          break;
        }
        case T.TOKEN_VALUE: {
          const type = cur.u8('value type');
          if (type !== T.VT_STRING) throw new EvtxFormatError('evtx.value-type', `value token of type 0x${type.toString(16)} (only strings are defined)`, at);
          const n = cur.u16('value length');
          const s = cur.pos;
          cur.skip(n * 2, 'value text');
          st.push(utf16(this.buf, s, s + n * 2));
          break;
        }
        case T.TOKEN_ATTRIBUTE: {
          if (!st.open) throw new EvtxFormatError('evtx.token-order', 'attribute outside an element start', at);
          st.attr = new TAttr(this.name(cur, 'attribute name'));
          st.open.attrs.push(st.attr);
          break;
        }
        case T.TOKEN_CDATA: {
          const n = cur.u16('CDATA length');
          const s = cur.pos;
          cur.skip(n * 2, 'CDATA text');
          st.push(utf16(this.buf, s, s + n * 2));
          break;
        }
        case T.TOKEN_CHAR_REF:
          st.push(new EntityRef(`&#${cur.u16('character reference')};`));
          break;
        case T.TOKEN_ENTITY_REF:
          st.push(new EntityRef(`&${this.name(cur, 'entity name')};`));
          break;
        case T.TOKEN_PI_TARGET:
          this.name(cur, 'processing instruction target');
          break;
        case T.TOKEN_PI_DATA: {
          const n = cur.u16('processing instruction length');
          cur.skip(n * 2, 'processing instruction data');
          break;
        }
        case T.TOKEN_TEMPLATE_INSTANCE: {
          if (depth > T.MAX_NESTING) throw new EvtxFormatError('evtx.nesting', 'template instances nested too deeply', at);
          const inst = this.templateInstance(cur, depth + 1);
          st.push(inst);
          st.markDynamic();
          break;
        }
        case T.TOKEN_NORMAL_SUB:
        case T.TOKEN_OPTIONAL_SUB: {
          const index = cur.u16('substitution index');
          const type = cur.u8('substitution value type');
          st.push(new Sub(index, (tok & ~T.TOKEN_MORE_FLAG) === T.TOKEN_OPTIONAL_SUB, type));
          st.markDynamic();
          break;
        }
        case T.TOKEN_FRAGMENT_HEADER:
          cur.skip(3, 'fragment header');
          break;
        default:
          throw new EvtxFormatError('evtx.bad-token', `unknown BinXml token 0x${tok.toString(16)}`, at);
      }
    }
    if (st.stack.length || st.open) throw new EvtxFormatError('evtx.unbalanced', 'fragment ends inside an element', cur.pos);
    return st.top;
  }
}
