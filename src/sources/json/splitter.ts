/**
 * Splits a stream of text into top-level JSON values without parsing them: a JSON array's
 * elements, or objects written one after another (pretty-printed evtx_dump output holds several
 * objects per file). Tracks strings and escapes so brackets inside strings do not count.
 * Anything at top level that is not an object or array (garbage, scalars) runs to the end of its
 * line and is returned as its own value, for the caller to report; the splitter then resyncs.
 */
export interface SplitValue {
  text: string;
  line: number;
  tooLong?: boolean;
}

export class JsonValueSplitter {
  private depth = 0;
  private inStr = false;
  private esc = false;
  private buf: string[] = [];
  private bufLen = 0;
  private startLine = 0;
  private line = 1;
  /** 0: between values; 1: inside an object/array; 2: inside a non-bracket value (to end of line) */
  private state: 0 | 1 | 2 = 0;
  private arrayMode: boolean | undefined;
  private skipping = false;

  constructor(private readonly maxBytes: number) {}

  push(s: string, out: SplitValue[]): void {
    let segStart = this.state === 0 ? -1 : 0;
    const base = () => (this.arrayMode ? 1 : 0);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.state === 0) {
        if (c === 10) this.line++;
        if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44) continue;
        if (this.arrayMode === undefined) {
          this.arrayMode = c === 91;
          if (this.arrayMode) {
            this.depth = 1;
            continue;
          }
        }
        if (this.arrayMode && c === 93 && this.depth === 1) {
          this.depth = 0;
          this.arrayMode = false;
          continue;
        }
        this.startLine = this.line;
        segStart = i;
        if (c === 123 || c === 91) {
          this.state = 1;
          this.depth++;
        } else this.state = 2;
        continue;
      }
      if (c === 10) this.line++;
      if (this.state === 2) {
        if (c === 10) {
          this.emit(s, segStart, i, out);
          segStart = -1;
        }
        continue;
      }
      if (this.inStr) {
        if (this.esc) this.esc = false;
        else if (c === 92) this.esc = true;
        else if (c === 34) this.inStr = false;
        continue;
      }
      if (c === 34) this.inStr = true;
      else if (c === 123 || c === 91) this.depth++;
      else if ((c === 125 || c === 93) && --this.depth === base()) {
        this.emit(s, segStart, i + 1, out);
        segStart = -1;
      }
    }
    if (this.state !== 0) this.take(s, segStart < 0 ? 0 : segStart, s.length);
  }

  /** Flushes a value left open at end of input (the caller reports it as truncated). */
  end(out: SplitValue[]): void {
    if (this.state !== 0) out.push({ text: this.skipping ? '' : this.buf.join(''), line: this.startLine, tooLong: this.skipping });
    this.reset();
  }

  private emit(s: string, from: number, to: number, out: SplitValue[]): void {
    this.take(s, from < 0 ? 0 : from, to);
    out.push(this.skipping ? { text: '', line: this.startLine, tooLong: true } : { text: this.buf.join(''), line: this.startLine });
    this.reset();
  }

  private take(s: string, from: number, to: number): void {
    if (this.skipping) return;
    this.bufLen += to - from;
    if (this.bufLen > this.maxBytes) {
      this.skipping = true;
      this.buf = [];
      return;
    }
    this.buf.push(s.slice(from, to));
  }

  private reset(): void {
    this.state = 0;
    this.inStr = false;
    this.esc = false;
    this.buf = [];
    this.bufLen = 0;
    this.skipping = false;
    if (!this.arrayMode) this.depth = 0;
    else this.depth = 1;
  }
}
