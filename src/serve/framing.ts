/**
 * Splits a syslog byte stream into messages (RFC 6587 §3.4, RFC 5425 §4.3). Each frame is either
 * octet-counted ("MSG-LEN SP MSG", recognised by a leading digit) or non-transparent (ends at LF;
 * NUL is accepted as a trailer too, as some senders use it). Both may alternate on a connection.
 */
export class SyslogFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized frame still to skip. */
  private skip = 0;
  errors = 0;

  constructor(private readonly maxFrame = 64 * 1024) {}

  push(chunk: Buffer): string[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: string[] = [];
    let pos = 0;
    const b = this.buf;
    while (pos < b.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, b.length - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      const c = b[pos];
      if (c === 10 || c === 13 || c === 0 || c === 32) {
        pos++; // stray trailers between frames
        continue;
      }
      if (c >= 0x31 && c <= 0x39) {
        // MSG-LEN = NONZERO-DIGIT *DIGIT, then SP (RFC 6587 §3.4.1)
        let i = pos;
        let len = 0;
        while (i < b.length && b[i] >= 0x30 && b[i] <= 0x39 && i - pos < 10) len = len * 10 + (b[i++] - 0x30);
        if (i === b.length) break; // need more bytes
        if (b[i] === 32) {
          if (len > this.maxFrame) {
            this.errors++;
            this.skip = len;
            pos = i + 1;
            continue;
          }
          if (b.length - (i + 1) < len) break;
          out.push(b.toString('utf8', i + 1, i + 1 + len));
          pos = i + 1 + len;
          continue;
        }
        // A digit not followed by SP: not a length; fall through to newline framing.
      }
      let end = pos;
      while (end < b.length && b[end] !== 10 && b[end] !== 0) end++;
      if (end === b.length) {
        if (end - pos > this.maxFrame) {
          this.errors++;
          pos = end; // drop the oversized partial line
        }
        break;
      }
      out.push(b.toString('utf8', pos, end));
      pos = end + 1;
    }
    this.buf = pos >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(pos));
    return out;
  }

  /** What is left at end of stream (a last line without LF). */
  end(): string[] {
    const rest = this.buf.toString('utf8').trim();
    this.buf = Buffer.alloc(0);
    return rest ? [rest] : [];
  }
}
