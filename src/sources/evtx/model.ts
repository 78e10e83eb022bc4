/**
 * In-memory shapes of BinXml (MS-EVEN6 §3.1.4.7). Two layers:
 *  - template trees (`T*`), parsed once per chunk from template definitions or plain fragments;
 *    they may hold `Sub` placeholders for the substitution values of a template instance;
 *  - resolved trees (`R*`), one per record, where placeholders are replaced by values, nested
 *    BinXml is spliced in and array values are expanded (MS-EVEN6 §3.1.4.7.5).
 */

/** `&name;` entity reference (kept verbatim, as evtx_dump does). */
export class EntityRef {
  constructor(readonly text: string) {}
}

/** A template substitution placeholder (BinXml tokens 0x0d normal / 0x0e optional). */
export class Sub {
  constructor(
    readonly index: number,
    readonly optional: boolean,
    readonly valueType: number,
  ) {}
}

export class TAttr {
  readonly parts: TNode[] = [];
  constructor(readonly name: string) {}
}

export class TElement {
  readonly attrs: TAttr[] = [];
  readonly kids: TNode[] = [];
  /** False when no placeholder or template instance lies below: the resolved form is shared. */
  dynamic = false;
  /** Resolved form of a static element (computed once, reused by every record of the chunk). */
  resolved: RElement[] | undefined;
  constructor(readonly name: string) {}
}

/** A parsed template definition (its top-level nodes, normally one `Event` element). */
export interface Template {
  readonly nodes: TNode[];
}

/** A template instance: the definition plus this record's decoded substitution values. */
export class TInstance {
  constructor(
    readonly template: Template,
    readonly values: Value[],
  ) {}
}

/** A substitution value of BinXml type (0x21): a nested fragment. */
export class Fragment {
  constructor(readonly nodes: TNode[]) {}
}

/** An array substitution value (types 0x81–0x95); items are already in their scalar form. */
export class ArrayValue {
  constructor(readonly items: Scalar[]) {}
}

/** Integers and booleans stay typed (evtx_dump renders them as JSON numbers/booleans). */
export type Scalar = string | number | boolean;
export type Value = Scalar | ArrayValue | Fragment | null;

export type TNode = string | TElement | Sub | EntityRef | TInstance;

export class RAttr {
  constructor(
    readonly name: string,
    readonly parts: RPart[],
  ) {}
}

/** Shared by resolved elements without attributes (most of them); never mutated. */
export const NO_ATTRS: RAttr[] = [];

export class RElement {
  attrs: RAttr[] = NO_ATTRS;
  kids: RNode[] = [];
  hasElem = false;
  constructor(readonly name: string) {}
}

export type RPart = Scalar | ArrayValue | EntityRef;
export type RNode = RPart | RElement;
