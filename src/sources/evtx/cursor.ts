/**
 * A bounds-checked little-endian cursor over one EVTX chunk (or any byte window). Every read checks
 * the window end and throws `EvtxFormatError` naming the field and the chunk-relative offset, so a
 * damaged record becomes a reported problem instead of reading garbage past its end.
 */
export class EvtxFormatError extends Error {
  readonly code: string;
  /** Offset relative to the start of the buffer the cursor reads (the chunk, for record data). */
  readonly offset: number;
  constructor(code: string, message: string, offset: number) {
    super(message);
    this.name = 'EvtxFormatError';
    this.code = code;
    this.offset = offset;
  }
}

export class Cursor {
  buf: Buffer;
  pos: number;
  /** Exclusive end of the readable window. */
  end: number;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = Math.min(end, buf.length);
  }

  /** Throws unless `n` bytes named `field` are readable at the current position. */
  need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new EvtxFormatError(
        'evtx.truncated',
        `${field}: needs ${n} bytes at offset ${this.pos}, window ends at ${this.end}`,
        this.pos,
      );
    }
  }

  u8(field: string): number {
    if (this.pos + 1 > this.end) this.need(1, field);
    return this.buf[this.pos++];
  }

  u16(field: string): number {
    const p = this.pos;
    if (p + 2 > this.end) this.need(2, field);
    this.pos = p + 2;
    return this.buf[p] | (this.buf[p + 1] << 8);
  }

  u32(field: string): number {
    const p = this.pos;
    if (p + 4 > this.end) this.need(4, field);
    this.pos = p + 4;
    const b = this.buf;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }
}
