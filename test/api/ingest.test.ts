import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../src/api/index.js';
import { SqliteAppStore } from '../../src/store/index.js';
import { benign, mimikatz, ndjson, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
let orgId: string;
const count = () => s.ward.store.countEvents(orgId);
const alertsFor = async (host: string) => (await s.ward.store.listAlerts(orgId, { host })).items;

let tlsFiles: { cert: string; key: string } | undefined;
beforeAll(async () => {
  s = await startTestServer((c) => {
    c.limits = { maxBodyBytes: 256 * 1024, maxDecodedBytes: 1024 * 1024, maxEventsPerBatch: 1000, maxEventBytes: 16 * 1024 };
    c.syslog.host = '127.0.0.1';
    c.syslog.udp = 0;
    c.syslog.tcp = 0;
  });
  orgId = s.ward.boot.org.id;
});
afterAll(async () => {
  await s?.stop();
});

const post = (body: BodyInit, headers: Record<string, string> = {}) => s.req('/api/v1/events', { method: 'POST', body, headers });

describe('HTTP ingestion', () => {
  it('accepts a JSON array, stores it before answering, and raises the alert', async () => {
    const before = await count();
    const r = await post(JSON.stringify([mimikatz('HTTP-ARRAY'), benign('HTTP-ARRAY')]), { 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { accepted: number; firstSeq: number; lastSeq: number };
    expect(body.accepted).toBe(2);
    // acknowledged ⇒ already in storage, before detection has necessarily run
    expect(await count()).toBe(before + 2);
    await s.ward.pipeline.idle();
    const alerts = await alertsFor('HTTP-ARRAY');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].ruleTitle).toMatch(/Credential Dumping/);
    expect(alerts[0].eventSeqs).toEqual([body.firstSeq]);
  });

  it('accepts NDJSON (CRLF and blank lines too) and gzip bodies, with or without Content-Encoding', async () => {
    const lines = `${JSON.stringify(mimikatz('HTTP-NDJSON'))}\r\n\r\n${JSON.stringify(benign('HTTP-NDJSON'))}\n`;
    expect((await post(lines, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
    const gz = gzipSync(ndjson([mimikatz('HTTP-GZIP'), benign('HTTP-GZIP')]));
    const r1 = await post(gz, { 'content-encoding': 'gzip' });
    expect(r1.status).toBe(200);
    expect(((await r1.json()) as { accepted: number }).accepted).toBe(2);
    const r2 = await post(gzipSync(JSON.stringify([mimikatz('HTTP-GZIP2')])));
    expect(r2.status).toBe(200);
    await s.ward.pipeline.idle();
    expect(await alertsFor('HTTP-NDJSON')).toHaveLength(1);
    expect(await alertsFor('HTTP-GZIP')).toHaveLength(1);
    expect(await alertsFor('HTTP-GZIP2')).toHaveLength(1);
  });

  it('names the source after the source token', async () => {
    const t = (await (await s.req('/api/v1/tokens', { method: 'POST', json: { name: 'icu-collector' } })).json()) as { token: string };
    expect((await s.req('/api/v1/events', { method: 'POST', token: t.token, body: ndjson([benign('ICU1')]) })).status).toBe(200);
    const sources = ((await (await s.req('/api/v1/sources')).json()) as { items: { source: string; events: number }[] }).items;
    expect(sources.find((x) => x.source === 'icu-collector')?.events).toBe(1);
  });
});

describe('malformed and oversized input', () => {
  it('rejects a batch with bad lines with 400 naming every bad line, storing nothing', async () => {
    const before = await count();
    const body = [JSON.stringify(benign('BAD')), '{"broken": ', JSON.stringify(benign('BAD')), '[1,2]', '"just a string"', JSON.stringify(benign('BAD'))].join('\n');
    const r = await post(body);
    expect(r.status).toBe(400);
    const e = (await r.json()) as { error: { code: string; errors: { line: number; message: string }[]; errorCount: number } };
    expect(e.error.code).toBe('malformed');
    expect(e.error.errors.map((x) => x.line)).toEqual([2, 4, 5]);
    expect(e.error.errors[1].message).toMatch(/expected a JSON object/);
    expect(await count()).toBe(before);
  });

  it('reports the line and column of a syntax error in a JSON array, and non-object elements by index', async () => {
    const r = await post('[\n {"a": 1},\n {"b": oops}\n]');
    expect(r.status).toBe(400);
    const e = (await r.json()) as { error: { errors: { line: number; column?: number; index?: number }[] } };
    expect(e.error.errors[0].line).toBe(3);
    const r2 = await post('[{"a":1}, 5, null]');
    const e2 = (await r2.json()) as { error: { errors: { index: number }[] } };
    expect(r2.status).toBe(400);
    expect(e2.error.errors.map((x) => x.index)).toEqual([1, 2]);
  });

  it('rejects invalid gzip, invalid UTF-8 and unknown encodings with 400', async () => {
    expect((await post(Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]), { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).status).toBe(400);
    expect((await post('{}', { 'content-encoding': 'br' })).status).toBe(400);
  });

  it('answers 413 for bodies, decompressed bodies, batches and lines over the limits', async () => {
    const before = await count();
    const big = 'x'.repeat(300 * 1024);
    const r1 = await post(JSON.stringify([{ big }]));
    expect(r1.status).toBe(413);
    // a small gzip that inflates past the decoded limit (a "zip bomb")
    const bomb = gzipSync(Buffer.from(`[{"a":"${'A'.repeat(2 * 1024 * 1024)}"}]`));
    expect(bomb.length).toBeLessThan(256 * 1024);
    expect((await post(bomb, { 'content-encoding': 'gzip' })).status).toBe(413);
    const many = ndjson(Array.from({ length: 1001 }, () => ({ a: 1 })));
    expect((await post(many)).status).toBe(413);
    const longLine = await post(`{"a":"${'y'.repeat(20 * 1024)}"}\n{"b":1}\n`);
    expect(longLine.status).toBe(400);
    expect(((await longLine.json()) as { error: { errors: { line: number }[] } }).error.errors[0].line).toBe(1);
    expect(await count()).toBe(before);
  });

  it('sheds load with 429/503 and Retry-After instead of queueing without bound', async () => {
    const store = new SqliteAppStore(':memory:');
    const org = await store.createOrg({ name: 'x', slug: 'x' });
    const { hashToken } = await import('../../src/api/index.js');
    await store.createToken({ orgId: org.id, name: 'src', kind: 'source', role: 'viewer', hash: hashToken('ward_tok_for_overload_test'), prefix: 'ward_' });
    let status: 429 | 503 = 503;
    let ingested = 0;
    const app = createApiApp({
      store,
      ingest: {
        admit: () => ({ ok: false, status, retryAfter: 7, reason: 'backlog full' }),
        ingest: async (_o, _s, _f, r) => ((ingested += r.length), { accepted: r.length }),
      },
    });
    const call = () => app.request('/api/v1/events', { method: 'POST', body: '{"a":1}', headers: { authorization: 'Bearer ward_tok_for_overload_test' } });
    const r = await call();
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('7');
    status = 429;
    expect((await call()).status).toBe(429);
    expect(ingested).toBe(0);
    await store.close();
  });

  it('the live pipeline refuses new batches when its detection backlog is full', () => {
    // Events stored but not yet through detection (internal counter, set as if detection stalled).
    const p = s.ward.pipeline as unknown as { queuedEvents: number };
    const saved = p.queuedEvents;
    p.queuedEvents = 60_000;
    try {
      const a = s.ward.pipeline.admit(orgId, 10);
      expect(a).toMatchObject({ ok: false, status: 503 });
    } finally {
      p.queuedEvents = saved;
    }
    expect(s.ward.pipeline.admit(orgId, 10).ok).toBe(true);
  });
});

describe('syslog ingestion', () => {
  const addr = (kind: string) => {
    const l = s.ward.syslog!.listeners.find((x) => x.kind === kind)!;
    return Number(l.address.split(':').pop());
  };
  const waitFor = async (fn: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await fn()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('timed out');
  };
  const sshAlerts = async (host: string) => (await s.ward.store.listAlerts(orgId, { host })).items.filter((a) => /SSH/.test(a.ruleTitle));

  it('receives RFC 5424 over UDP and raises alerts', async () => {
    const sock = createSocket('udp4');
    const msg = '<38>1 2026-03-01T02:10:00Z udp-host sshd 4242 - - Failed password for root from 10.0.0.5 port 22 ssh2';
    await new Promise<void>((r) => sock.send(msg, addr('syslog-udp'), '127.0.0.1', () => r()));
    sock.close();
    await waitFor(async () => (await sshAlerts('udp-host')).length === 1);
    const ev = (await s.ward.store.listEvents(orgId, { limit: 1 }))[0];
    expect(JSON.parse(ev.raw)).toMatchObject({ hostname: 'udp-host', app_name: 'sshd', proc_id: '4242', peer: '127.0.0.1' });
    expect(ev.source).toBe('syslog-udp:127.0.0.1');
  });

  it('receives TCP with octet counting and newline framing mixed (RFC 6587)', async () => {
    const m1 = '<38>1 2026-03-01T02:11:00Z tcp-host-a sshd - - - Failed password for admin';
    const m2 = '<38>Mar  1 02:12:00 tcp-host-b sshd[7]: Failed password for nurse';
    const m3 = '<38>1 2026-03-01T02:13:00Z tcp-host-c sshd - - - Failed password\nwith a newline inside';
    const sock = connect(addr('syslog-tcp'), '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const framed = `${Buffer.byteLength(m1)} ${m1}${m2}\n${Buffer.byteLength(m3)} ${m3}`;
    // split mid-frame to exercise reassembly
    sock.write(framed.slice(0, 20));
    await new Promise((r) => setTimeout(r, 20));
    sock.end(framed.slice(20));
    await waitFor(async () => (await sshAlerts('tcp-host-a')).length + (await sshAlerts('tcp-host-b')).length + (await sshAlerts('tcp-host-c')).length === 3);
    const c = (await s.ward.store.listEvents(orgId, { limit: 5 })).map((e) => JSON.parse(e.raw) as { message: string; hostname: string });
    expect(c.find((e) => e.hostname === 'tcp-host-c')?.message).toBe('Failed password\nwith a newline inside');
  });

  it('receives syslog over TLS (RFC 5425)', async (ctx) => {
    if (!existsSync('/usr/bin/openssl')) ctx.skip();
    const dir = join(s.dir, 'tls');
    mkdirSync(dir, { recursive: true });
    tlsFiles = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', tlsFiles.key, '-out', tlsFiles.cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const { startSyslog } = await import('../../src/serve/index.js');
    const got: unknown[] = [];
    const l = await startSyslog({ host: '127.0.0.1', tls: { port: 0, ...tlsFiles } }, async (_src, recs) => (got.push(...recs.map((r) => r.data)), 'ok'), () => undefined);
    const port = Number(l.listeners[0].address.split(':').pop());
    const msg = '<38>1 2026-03-01T02:14:00Z tls-host sshd - - [meta@1 a="b"] Failed password';
    const sock = tlsConnect({ port, host: '127.0.0.1', ca: readFileSync(tlsFiles.cert), servername: 'localhost' });
    await new Promise<void>((r) => sock.once('secureConnect', () => r()));
    sock.end(`${Buffer.byteLength(msg)} ${msg}`);
    await waitFor(async () => got.length === 1);
    await l.close();
    expect(got[0]).toMatchObject({ hostname: 'tls-host', structuredData: { 'meta@1': { a: 'b' } }, message: 'Failed password' });
  });
});

describe('drop folder ingestion', () => {
  it('ingests JSONL files put in the folder, moves them to done/ and reports bad lines', async () => {
    const { startDropFolder } = await import('../../src/serve/index.js');
    const dir = join(s.dir, 'drop');
    mkdirSync(dir, { recursive: true });
    const p = s.ward.pipeline;
    const drop = startDropFolder(dir, async (source, format, records) => (await p.ingest(orgId, source, format, records), 'ok'), { intervalMs: 60_000 });
    writeFileSync(join(dir, 'ws.jsonl'), `${JSON.stringify(mimikatz('DROP-HOST'))}\nnot json\n${JSON.stringify(benign('DROP-HOST'))}\n`);
    await drop.scan(); // first sight: waits for the file to be stable
    expect(existsSync(join(dir, 'ws.jsonl'))).toBe(true);
    await drop.scan();
    await drop.close();
    expect(existsSync(join(dir, 'done', 'ws.jsonl'))).toBe(true);
    await p.idle();
    const alerts = await alertsFor('DROP-HOST');
    const stored = (await s.ward.store.listSources(orgId)).find((x) => x.source === 'drop:ws.jsonl');
    // A registered JSON reader stores the good lines and reports the bad one; the batch fallback
    // rejects the file as a whole. Either way the bad line is named in done/<file>.problems.txt.
    const problems = readFileSync(join(dir, 'done', 'ws.jsonl.problems.txt'), 'utf8');
    expect(problems).toMatch(/line 2/);
    if (stored) {
      expect(stored.events).toBe(2);
      expect(alerts).toHaveLength(1);
    }
  });

  it('resumes a file interrupted by a crash without storing its first part twice', async () => {
    const { startDropFolder } = await import('../../src/serve/index.js');
    const dir = join(s.dir, 'drop2');
    mkdirSync(join(dir, '.processing'), { recursive: true });
    const lines = [mimikatz('RESUME-1'), mimikatz('RESUME-2'), mimikatz('RESUME-3')];
    writeFileSync(join(dir, '.processing', 'part.jsonl'), ndjson(lines));
    writeFileSync(join(dir, '.processing', 'part.jsonl.progress'), '2');
    const hosts: string[] = [];
    const drop = startDropFolder(dir, async (_s, _f, records) => (hosts.push(...records.map((r) => r.data.Computer as string)), 'ok'), { intervalMs: 60_000 });
    await drop.scan();
    await drop.close();
    expect(hosts).toEqual(['RESUME-3']);
    expect(existsSync(join(dir, 'done', 'part.jsonl'))).toBe(true);
  });
});

describe('drop folder failures', () => {
  it('moves a file whose reading fails to failed/ with the reason, instead of retrying forever', async () => {
    const { startDropFolder } = await import('../../src/serve/index.js');
    const dir = join(s.dir, 'drop3');
    mkdirSync(dir, { recursive: true });
    let calls = 0;
    const drop = startDropFolder(dir, async () => {
      calls++;
      throw new Error('storage unavailable');
    }, { intervalMs: 60_000 });
    writeFileSync(join(dir, 'x.jsonl'), ndjson([benign('FAIL-1')]));
    await drop.scan();
    await drop.scan();
    await drop.scan();
    await drop.close();
    expect(calls).toBe(1);
    expect(existsSync(join(dir, 'failed', 'x.jsonl'))).toBe(true);
    expect(readFileSync(join(dir, 'failed', 'x.jsonl.problems.txt'), 'utf8')).toMatch(/storage unavailable/);
  });
});
