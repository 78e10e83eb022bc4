import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { IngestRecord } from '../api/index.js';
import { parseSyslog, syslogRecord } from '../sources/index.js';
import { SyslogFramer } from './framing.js';

export type SyslogSink = (source: string, records: IngestRecord[]) => Promise<'ok' | { retryAfter: number }>;

export interface SyslogListeners {
  listeners: { kind: string; address: string }[];
  stats: { received: number; dropped: number; framingErrors: number };
  close(): Promise<void>;
}

export interface SyslogConfig {
  host: string;
  udp?: number;
  tcp?: number;
  tls?: { port: number; cert: string; key: string; ca?: string };
}

function toRecord(text: string, peer: string): IngestRecord {
  const r = parseSyslog(text);
  const data = r.ok ? syslogRecord(r.message) : { message: text, syslog_error: `${r.error} (column ${r.column})` };
  data.peer = peer;
  return { data };
}

/**
 * Syslog receivers: UDP (RFC 5426, one message per datagram), TCP (RFC 6587, octet counting or
 * LF framing) and TLS (RFC 5425). TCP connections are paused while their batch is written, so a
 * fast sender is slowed by backpressure instead of filling memory; UDP has no backpressure, so
 * datagrams are dropped (and counted) when the server is saturated.
 */
export async function startSyslog(cfg: SyslogConfig, sink: SyslogSink, log: (m: string) => void): Promise<SyslogListeners> {
  const listeners: { kind: string; address: string }[] = [];
  const stats = { received: 0, dropped: 0, framingErrors: 0 };
  const closers: (() => Promise<void>)[] = [];

  if (cfg.udp !== undefined) {
    const sock = createSocket(cfg.host.includes(':') ? 'udp6' : 'udp4');
    const pending = new Map<string, IngestRecord[]>();
    let timer: NodeJS.Timeout | undefined;
    const flush = async () => {
      timer = undefined;
      const batches = [...pending];
      pending.clear();
      for (const [peer, recs] of batches) {
        const r = await sink(`syslog-udp:${peer}`, recs).catch(() => ({ retryAfter: 1 }));
        if (r !== 'ok') stats.dropped += recs.length;
      }
    };
    sock.on('message', (msg, rinfo) => {
      stats.received++;
      const list = pending.get(rinfo.address) ?? [];
      list.push(toRecord(msg.toString('utf8'), rinfo.address));
      pending.set(rinfo.address, list);
      if (!timer) timer = setTimeout(() => void flush(), 50);
    });
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(cfg.udp, cfg.host, () => resolve());
    });
    const a = sock.address();
    listeners.push({ kind: 'syslog-udp', address: `${a.address}:${a.port}` });
    closers.push(async () => {
      if (timer) clearTimeout(timer);
      await flush();
      await new Promise<void>((r) => sock.close(() => r()));
    });
  }

  const handleStream = (kind: string) => (socket: Socket) => {
    const peer = socket.remoteAddress ?? 'unknown';
    const framer = new SyslogFramer();
    let batch: IngestRecord[] = [];
    let writing: Promise<void> | undefined;
    let timer: NodeJS.Timeout | undefined;
    const write = async (): Promise<void> => {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (writing) await writing;
      if (batch.length === 0) return;
      const recs = batch;
      batch = [];
      socket.pause();
      writing = (async () => {
        for (;;) {
          const r = await sink(`${kind}:${peer}`, recs).catch(() => ({ retryAfter: 1 }));
          if (r === 'ok') break;
          if (socket.destroyed) {
            stats.dropped += recs.length;
            break;
          }
          await new Promise((res) => setTimeout(res, r.retryAfter * 1000));
        }
      })();
      await writing;
      writing = undefined;
      if (!socket.destroyed) socket.resume();
    };
    socket.on('data', (chunk: Buffer) => {
      const msgs = framer.push(chunk);
      stats.framingErrors = framer.errors;
      for (const m of msgs) batch.push(toRecord(m, peer));
      stats.received += msgs.length;
      if (batch.length >= 1000) void write();
      else if (batch.length && !timer) timer = setTimeout(() => void write(), 50);
    });
    socket.on('end', () => {
      for (const m of framer.end()) batch.push(toRecord(m, peer));
      void write();
    });
    socket.on('error', (err) => log(`${kind} ${peer}: ${err.message}`));
    socket.setTimeout(10 * 60_000, () => socket.destroy());
  };

  const listen = async (server: Server, port: number, kind: string) => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, cfg.host, () => resolve());
    });
    const a = server.address();
    listeners.push({ kind, address: typeof a === 'string' ? a : `${a?.address}:${a?.port}` });
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
  };

  const sockets = new Set<Socket>();
  const track = (fn: (s: Socket) => void) => (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    fn(s);
  };
  if (cfg.tcp !== undefined) await listen(createServer(track(handleStream('syslog-tcp'))), cfg.tcp, 'syslog-tcp');
  if (cfg.tls) {
    const server = createTlsServer(
      {
        cert: readFileSync(cfg.tls.cert),
        key: readFileSync(cfg.tls.key),
        // RFC 5425 §5.1 makes TLS 1.2 the floor; with a CA configured, senders must present a
        // certificate it signed (mutual authentication, §5.2).
        minVersion: 'TLSv1.2',
        ...(cfg.tls.ca ? { ca: readFileSync(cfg.tls.ca), requestCert: true, rejectUnauthorized: true } : {}),
      },
      track(handleStream('syslog-tls') as (s: Socket) => void),
    );
    await listen(server as unknown as Server, cfg.tls.port, 'syslog-tls');
  }
  return {
    listeners,
    stats,
    async close() {
      for (const s of sockets) s.end();
      await Promise.all(closers.map((c) => c()));
      for (const s of sockets) s.destroy();
    },
  };
}
