import { createReadStream } from 'node:fs';
import type { ReadOptions, SourceItem, SourceReader } from '../types.js';
import { parseSyslog, syslogRecord } from './parse.js';

/**
 * Reads a file of syslog messages, one per line (as written by rsyslog/syslog-ng file outputs or
 * captured from a newline-framed TCP stream, RFC 6587 §3.4.2). Each line becomes a record in the
 * shape of `syslogRecord`; a line that is not a syslog message is a problem naming its line.
 */
export const syslogReader: SourceReader = {
  name: 'syslog',
  description: 'syslog messages (RFC 5424 or RFC 3164), one per line',
  sniff(path, head) {
    if (!/\.(log|syslog|txt)$/i.test(path) && !/syslog|messages/i.test(path)) return false;
    return /^<\d{1,3}>/.test(head.subarray(0, 8).toString('latin1'));
  },
  read(path, options) {
    return readSyslogFile(path, options ?? {});
  },
};

async function* readSyslogFile(path: string, options: ReadOptions): AsyncIterable<SourceItem[]> {
  const batchSize = options.batchSize ?? 1000;
  const maxLine = options.maxLineBytes ?? 64 * 1024;
  const now = new Date();
  let batch: SourceItem[] = [];
  let line = 0;
  let offset = 0; // byte offset of the start of the current line
  let carry = Buffer.alloc(0);
  const emit = (buf: Buffer): void => {
    line++;
    const loc = { file: path, line, offset };
    offset += buf.length + 1;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 13) end--;
    if (end === 0) return;
    if (end > maxLine) {
      batch.push({ kind: 'problem', problem: { code: 'syslog.line-too-long', message: `line longer than ${maxLine} bytes`, location: loc } });
      return;
    }
    const r = parseSyslog(buf.toString('utf8', 0, end), { now });
    if (r.ok) batch.push({ kind: 'record', data: syslogRecord(r.message), loc, format: 'syslog' });
    else batch.push({ kind: 'problem', problem: { code: 'syslog.parse', message: r.error, location: { ...loc, column: r.column } } });
  };
  for await (const chunk of createReadStream(path, { signal: options.signal }) as AsyncIterable<Buffer>) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let nl: number;
    while ((nl = buf.indexOf(10)) >= 0) {
      emit(buf.subarray(0, nl));
      buf = buf.subarray(nl + 1);
    }
    carry = Buffer.from(buf);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (carry.length) emit(carry);
  if (batch.length) yield batch;
}
