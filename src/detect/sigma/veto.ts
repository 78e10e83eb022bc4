import type { WardEvent } from '../../normalize/index.js';
import { JsonStringReader } from '../../sources/index.js';
import { unitsToString } from '../../util/index.js';
import { MatchContext } from './context.js';

type Pred = (c: MatchContext) => boolean;

/** Thrown by MemberEvent for a field whose value the line's bytes do not settle. */
const UNSETTLED = Symbol('unsettled');

/**
 * The raw screen's last step: a line whose every candidate rule has a veto that holds is ruled
 * out before it is parsed. Most SigmaHQ rules read `selection and not 1 of filter_*`, and on most
 * lines that reach them a filter holds (an image loaded from System32, a service under Program
 * Files): the screen's needles only see the positive part, so those lines were parsed and
 * normalized for nothing.
 *
 * A veto is the rule's own compiled X (compile.ts vetoesOf), evaluated on the members of the
 * line's EventData that the walk recorded (prefilter/walk.ts, native/walk.c). That is exact only
 * where the value X reads is the value normalize/windows.ts gives the field: EventData members
 * are stored first and unconditionally (System, UserData, aliases and copies only fill absent
 * fields), so a field is settled by the member of that exact name in the line's one EventData —
 * the last such member, as JSON.parse keeps it (RFC 8259 §4 leaves duplicates to the parser) —
 * when its value is a string. Any other read — an absent field, a field spelled in another case,
 * a list, null, a nested value, a second EventData, a keyword search over every value — is
 * unsettled and the candidate keeps the line.
 */
export class VetoStage {
  private readonly ctx = new MatchContext();
  private readonly ev = new MemberEvent();
  /** lines checked and lines ruled out, for benchmarks and tests */
  checked = 0;
  vetoed = 0;

  constructor(private readonly vetoes: readonly (Pred[] | undefined)[]) {}

  /**
   * Whether no rule of `cands` can match the line bytes[…] whose EventData members are in
   * `members` (layout: count or -1, EventData objects, then per member: name start, name
   * length, value start).
   */
  rulesOut(cands: Int32Array, b: Uint8Array, members: Int32Array): boolean {
    if (cands.length === 0 || members[0] <= 0 || members[1] !== 1) return false;
    const vetoes = this.vetoes;
    for (let k = 0; k < cands.length; k++) if (vetoes[cands[k]] === undefined) return false;
    this.checked++;
    const ev = this.ev;
    ev.load(b, members);
    const ctx = this.ctx;
    for (let k = 0; k < cands.length; k++) {
      const vs = vetoes[cands[k]]!;
      let out = false;
      for (let i = 0; i < vs.length && !out; i++) {
        // a fresh generation per veto: a field unsettled for one must be asked again by the next
        ctx.reset(ev);
        try {
          out = vs[i](ctx);
        } catch (err) {
          if (err !== UNSETTLED) throw err;
        }
      }
      if (!out) return false;
    }
    this.vetoed++;
    return true;
  }
}

/** The WardEvent a veto sees: the settled EventData members of one line, read on demand. */
class MemberEvent implements WardEvent {
  readonly layout = 'evtx-json';
  readonly timestamp = undefined;
  readonly host = undefined;
  readonly loc = { file: '' };
  private b: Uint8Array = new Uint8Array(0);
  private members: Int32Array = new Int32Array(2);
  private names: string[] = [];
  private values: unknown[] = [];
  private readonly strings = new JsonStringReader();

  get fields(): never {
    throw UNSETTLED;
  }

  get raw(): never {
    throw UNSETTLED;
  }

  load(b: Uint8Array, members: Int32Array): void {
    this.b = b;
    this.members = members;
    this.names.length = 0;
    this.values.length = 0;
  }

  get(field: string): unknown {
    const i = this.names.indexOf(field);
    if (i >= 0) return this.values[i];
    const v = this.settle(field);
    this.names.push(field);
    this.values.push(v);
    return v;
  }

  /** The string value of the last member named exactly `field`; throws UNSETTLED otherwise. */
  private settle(field: string): string {
    const { b, members } = this;
    const n = members[0];
    const len = field.length;
    let at = -1;
    for (let m = 0, k = 2; m < n; m++, k += 3) {
      if (members[k + 1] !== len) continue;
      const s = members[k];
      let i = 0;
      while (i < len && b[s + i] === field.charCodeAt(i)) i++;
      if (i === len) at = members[k + 2];
    }
    if (at < 0 || b[at] !== 0x22) throw UNSETTLED;
    // The string ends at the first quote no backslash escapes.
    let q = at + 1;
    let c = 0;
    let escaped = false;
    let ascii = true;
    for (; q < b.length && (c = b[q]) !== 0x22; q++) {
      if (c === 0x5c) {
        escaped = true;
        q++;
      } else if (c >= 0x80) ascii = false;
    }
    if (q >= b.length) throw UNSETTLED;
    // plain ASCII: the bytes are the characters
    if (ascii && !escaped) return unitsToString(b, at + 1, q);
    // ASCII with escapes (Windows paths: every backslash is one): RFC 8259 §7, as JSON.parse reads them
    const str = this.strings;
    if (ascii) {
      if (str.read(b, at + 1, q + 1) !== q + 1) throw UNSETTLED;
      return unitsToString(str.buf, 0, str.len);
    }
    // Other characters decoded as the line would be (json/reader.ts: UTF-8 to text, then
    // JSON.parse), so that a broken UTF-8 sequence becomes the same replacement characters; both
    // ends are ASCII quotes, so the cut changes no decoding.
    const v: unknown = JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', at, q + 1));
    if (typeof v !== 'string') throw UNSETTLED;
    return v;
  }
}
