import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { getReader, parseSyslog, type SourceItem } from '../../src/sources/index.js';

const ok = (s: string, now?: Date) => {
  const r = parseSyslog(s, { now });
  if (!r.ok) throw new Error(`${r.error} at ${r.column}`);
  return r.message;
};

describe('parseSyslog RFC 5424', () => {
  it('parses the header fields and a BOM-prefixed MSG (RFC 5424 §6.5 example 1)', () => {
    const m = ok("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed");
    expect(m).toMatchObject({
      protocol: 'rfc5424', facility: 4, severity: 2, facilityName: 'auth', severityName: 'crit', version: 1,
      timestamp: '2003-10-11T22:14:15.003Z', hostname: 'mymachine.example.com', appName: 'su', msgId: 'ID47',
      message: "'su root' failed",
    });
    expect(m.procId).toBeUndefined();
  });
  it('converts offsets to UTC', () => {
    expect(ok('<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - x').timestamp).toBe('2003-08-24T12:14:15.000Z');
  });
  it('parses structured data with escapes and repeated params (§6.3.3)', () => {
    const m = ok('<165>1 2003-10-11T22:14:15.003Z h app - ID [a@1 x="1\\"2\\]3\\\\" x="second" y="c:\\d"][b@2] msg');
    expect(m.structuredData).toEqual({ 'a@1': { x: ['1"2]3\\', 'second'], y: 'c:\\d' }, 'b@2': {} });
    expect(m.message).toBe('msg');
  });
  it('accepts NILVALUE timestamp and no MSG', () => {
    const m = ok('<0>1 - - - - - -');
    expect(m.timestamp).toBeUndefined();
    expect(m.hostname).toBeUndefined();
    expect(m.message).toBe('');
  });
  it('reports bad PRI and unterminated SD with a column', () => {
    const bad = parseSyslog('<192>1 - - - - - -');
    expect(bad).toMatchObject({ ok: false, column: 2 });
    const sd = parseSyslog('<13>1 2003-10-11T22:14:15Z h a p m [id x="unterminated');
    expect(sd.ok).toBe(false);
    if (!sd.ok) expect(sd.error).toMatch(/unterminated/);
    expect(parseSyslog('<013>1 - - - - - -').ok).toBe(false);
    expect(parseSyslog('').ok).toBe(false);
  });
});

describe('parseSyslog RFC 3164', () => {
  const now = new Date(2026, 1, 10, 12, 0, 0);
  it('parses the BSD header with a TAG and pid', () => {
    const m = ok('<13>Feb  5 17:32:18 10.0.0.99 sshd[4242]: Failed password', now);
    expect(m).toMatchObject({ protocol: 'rfc3164', hostname: '10.0.0.99', appName: 'sshd', procId: '4242', message: 'Failed password' });
    expect(new Date(m.timestamp!).getTime()).toBe(new Date(2026, 1, 5, 17, 32, 18).getTime());
  });
  it('puts a date in the future into last year (no year in RFC 3164)', () => {
    const m = ok('<13>Dec 31 23:59:00 host app: x', new Date(2026, 0, 1, 0, 5));
    expect(new Date(m.timestamp!).getFullYear()).toBe(2025);
  });
  it('treats a message without PRI as user.notice (§4.3.3) and without header as plain text', () => {
    const m = ok('just some text');
    expect(m).toMatchObject({ facility: 1, severity: 5, message: 'just some text' });
    expect(m.hostname).toBeUndefined();
  });
  it('does not take a TAG for a hostname when the host is omitted', () => {
    const m = ok('<13>Feb  5 17:32:18 cron[12]: job ran', now);
    expect(m.hostname).toBeUndefined();
    expect(m.appName).toBe('cron');
  });
});

describe('syslog file reader', () => {
  it('yields records and a problem naming the bad line', async () => {
    const reader = getReader('syslog')!;
    const file = fileURLToPath(new URL('../fixtures/syslog/sample.log', import.meta.url));
    const items: SourceItem[] = [];
    for await (const b of reader.read(file)) items.push(...b);
    expect(items).toHaveLength(5);
    const problems = items.filter((i) => i.kind === 'problem');
    expect(problems).toHaveLength(1);
    expect(problems[0].kind === 'problem' && problems[0].problem.location.line).toBe(4);
    const rec = items[2];
    expect(rec.kind === 'record' && rec.data['hostname']).toBe('mymachine.example.com');
    expect(rec.kind === 'record' && rec.loc.offset).toBeGreaterThan(0);
    expect(reader.sniff(file, Buffer.from('<34>1 '))).toBe(true);
  });
});
