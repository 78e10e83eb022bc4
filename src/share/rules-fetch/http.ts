/**
 * A small HTTP(S) GET client for the rule download, on node:http/https rather than global fetch
 * because hospital networks usually reach the internet only through a forward proxy and Node 20's
 * fetch ignores HTTPS_PROXY. Proxies are used with CONNECT tunnels (RFC 9110 §9.3.6), so TLS runs
 * end to end with the origin; NO_PROXY and loopback addresses bypass the proxy. Follows redirects
 * (GitHub serves release assets from another host), enforces a timeout and a size cap.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import { WardError } from '../../util/index.js';

export interface GetOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** proxy URL (http://[user:pass@]host:port); default from HTTPS_PROXY / HTTP_PROXY */
  proxy?: string;
  maxRedirects?: number;
}

export interface GetResponse {
  status: number;
  statusText: string;
  url: string;
  message: IncomingMessage;
}

function env(name: string): string | undefined {
  return process.env[name] ?? process.env[name.toLowerCase()] ?? undefined;
}

/** NO_PROXY: comma-separated host names, domain suffixes (".example" or "example"), host:port, or "*". */
export function bypassProxy(url: URL, noProxy = env('NO_PROXY') ?? '', loopback = true): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (loopback && (host === 'localhost' || host === '::1' || /^127\./.test(host))) return true;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const [h, p] = entry.startsWith('[') ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]] : entry.split(':');
    if (p && p !== port) continue;
    const suffix = h.replace(/^\*?\./, '');
    if (host === suffix || host.endsWith('.' + suffix)) return true;
  }
  return false;
}

/**
 * The proxy for a URL: an explicit one (--proxy) unless NO_PROXY names the host; otherwise the
 * environment's, which never applies to loopback addresses.
 */
export function proxyFor(url: URL, explicit?: string): URL | undefined {
  const raw = explicit ?? (url.protocol === 'https:' ? env('HTTPS_PROXY') : env('HTTP_PROXY'));
  if (!raw || bypassProxy(url, env('NO_PROXY') ?? '', explicit === undefined)) return undefined;
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new WardError('usage.proxy', `invalid proxy URL: ${raw}`);
  }
}

/** Opens a CONNECT tunnel to the origin through the proxy. */
function tunnel(proxy: URL, target: URL, timeoutMs: number): Promise<Socket> {
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const headers: Record<string, string> = { host: `${target.hostname}:${port}` };
  if (proxy.username) headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: `${target.hostname}:${port}`, headers, timeout: timeoutMs });
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new WardError('fetch.proxy', `proxy ${proxy.host} refused the tunnel to ${target.host}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
      }
    });
    req.on('timeout', () => req.destroy(new Error(`proxy ${proxy.host} did not answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new WardError('fetch.network', `cannot reach proxy ${proxy.host}: ${(err as NodeJS.ErrnoException).code ?? err.message}`)));
    req.end();
  });
}

async function once(url: URL, o: GetOptions, timeoutMs: number): Promise<IncomingMessage> {
  const proxy = proxyFor(url, o.proxy);
  const https = url.protocol === 'https:';
  const opts: RequestOptions = { method: 'GET', headers: o.headers, timeout: timeoutMs };
  let tunnelled: Socket | undefined;
  if (proxy) {
    const socket = (tunnelled = await tunnel(proxy, url, timeoutMs));
    opts.createConnection = () => (https ? tlsConnect({ socket, servername: url.hostname }) : socket);
    opts.agent = false;
  }
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, opts, (res) => {
      // a tunnel carries one request: close it with the response so neither end keeps it open
      if (tunnelled) res.once('close', () => tunnelled?.destroy());
      resolve(res);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new WardError('fetch.network', `cannot reach ${url.origin}: ${(err as NodeJS.ErrnoException).code ?? err.message}`)));
    req.end();
  });
}

/** GET with redirects. The caller reads (or drains) `message`. */
export async function httpGet(target: string, o: GetOptions = {}): Promise<GetResponse> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new WardError('usage.url', `invalid URL: ${target}`);
  }
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WardError('fetch.network', `unsupported URL scheme: ${url.protocol}`);
    const res = await once(url, o, timeoutMs);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= (o.maxRedirects ?? 5)) throw new WardError('fetch.http', `too many redirects from ${target}`);
      url = new URL(res.headers.location, url);
      continue;
    }
    return { status, statusText: res.statusMessage ?? '', url: url.toString(), message: res };
  }
}

/** Reads a response body, refusing more than `max` bytes; `onChunk` sees every chunk. */
export async function readBody(res: IncomingMessage, max: number, what: string, onChunk?: (b: Buffer) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > max) {
        res.destroy();
        throw new WardError('fetch.limit', `${what}: download exceeds ${max} bytes`);
      }
      onChunk?.(chunk);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof WardError) throw err;
    throw new WardError('fetch.network', `${what}: download interrupted after ${n} bytes: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks, n);
}
