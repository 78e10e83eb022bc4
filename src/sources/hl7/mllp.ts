import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { SourceItem } from '../types.js';
import { component, parseHl7, type Hl7Message } from './parse.js';
import { HL7_FORMAT } from './reader.js';

/** MLLP framing (HL7 v2.5.1 Appendix C.4.3 / IHE ITI TF-2x C.2.1): VT message FS CR. */
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

export interface MllpOptions {
  port?: number;
  host?: string;
  /** Largest accepted message; a larger frame closes the connection (default 16 MiB). */
  maxMessageBytes?: number;
  /** Called for each received message (record) or bad frame (problem), in arrival order. */
  onItem: (item: SourceItem) => void;
  /** Application name put in MSH-3 of acknowledgements. */
  application?: string;
}

export interface MllpListener {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * An MLLP listener: frames messages, parses them, hands each to `onItem` and answers with an
 * original-mode ACK (§2.9.2): MSA-1 AA when parsed, AR when the message could not be parsed.
 * Data outside frames is discarded (C.4.3 says receivers must ignore it). `ward serve` uses it;
 * it is self-contained and testable on an ephemeral port.
 */
export async function startMllpListener(opts: MllpOptions): Promise<MllpListener> {
  const max = opts.maxMessageBytes ?? 16 * 1024 * 1024;
  let seq = 0;
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    const peer = `${sock.remoteAddress ?? '?'}:${sock.remotePort ?? '?'}`;
    let buf: Buffer = Buffer.alloc(0);
    let received = 0;
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        const start = buf.indexOf(VT);
        if (start < 0) {
          buf = Buffer.alloc(0);
          return;
        }
        const end = buf.indexOf(FS, start + 1);
        if (end < 0) {
          if (buf.length - start > max) {
            opts.onItem({ kind: 'problem', problem: { code: 'hl7.mllp-too-large', message: `frame exceeds ${max} bytes; connection closed`, location: { file: `mllp://${peer}`, record: received + 1 } } });
            sock.destroy();
          } else if (start > 0) buf = buf.subarray(start);
          return;
        }
        const body = buf.subarray(start + 1, end).toString('utf8');
        buf = buf.subarray(buf[end + 1] === CR ? end + 2 : end + 1);
        received++;
        const loc = { file: `mllp://${peer}`, record: received };
        const r = parseHl7(body);
        if (r.ok) {
          opts.onItem({ kind: 'record', data: { hl7: r.message }, loc, format: HL7_FORMAT });
          sock.write(frame(ack(r.message, 'AA', undefined, opts.application ?? 'WARD', ++seq)));
        } else {
          opts.onItem({ kind: 'problem', problem: { code: 'hl7.parse', message: r.error, location: loc } });
          sock.write(frame(ack(undefined, 'AR', r.error, opts.application ?? 'WARD', ++seq)));
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 2575, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function frame(message: string): Buffer {
  return Buffer.concat([Buffer.from([VT]), Buffer.from(message, 'utf8'), Buffer.from([FS, CR])]);
}

function ack(m: Hl7Message | undefined, code: 'AA' | 'AR' | 'AE', error: string | undefined, app: string, seq: number): string {
  const msh = m?.segments[0];
  const enc = m?.encoding ?? { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };
  const ts = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const trigger = m ? component(msh, enc, 9, 2) : '';
  const control = m ? component(msh, enc, 10) : '';
  const version = (m ? component(msh, enc, 12) : '') || '2.5.1';
  // The ACK goes back to the sender: its MSH-3/4 become our MSH-5/6 (§2.9.2.1).
  const to = m ? `${component(msh, enc, 3)}|${component(msh, enc, 4)}` : '|';
  const text = (error ?? '').replace(/[|^~\\&\r\n]/g, ' ').slice(0, 80);
  return [`MSH|^~\\&|${app}|${app}|${to}|${ts}||ACK^${trigger}^ACK|WARD${seq}|P|${version}`, `MSA|${code}|${control}${text ? `|${text}` : ''}`].join('\r') + '\r';
}
