import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { bypassProxy, fetchSigmaRules, proxyFor } from '../../src/share/rules-fetch/index.js';
import { buildZip, fakeRule } from './zip-writer.js';
import { startFakeGitHub, type FakeGitHub } from './server.js';

/** A forward proxy that only does CONNECT tunnels, like most hospital egress proxies. */
async function startProxy(opts: { requireAuth?: string } = {}): Promise<{ url: string; connects: string[]; close(): Promise<void> }> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on('connect', (req, client, head) => {
    connects.push(req.url ?? '');
    sockets.add(client as Socket);
    if (opts.requireAuth && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(opts.requireAuth).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      sockets.add(upstream);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

const work = mkdtempSync(join(tmpdir(), 'ward-rules-proxy-'));
let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({ tag: 'r2026-08-05', assets: [{ name: 'sigma_core.zip', body: buildZip([{ name: 'rules/a.yml', data: fakeRule(1) }]) }] });
});
afterAll(async () => {
  await gh.close();
  rmSync(work, { recursive: true, force: true });
});

describe('rules fetch through a forward proxy', () => {
  it('tunnels the API call and the (redirected) download through CONNECT', async () => {
    const proxy = await startProxy();
    try {
      const r = await fetchSigmaRules({ apiBase: gh.base, dest: join(work, 'a'), proxy: proxy.url });
      expect(r.ruleFiles).toBe(1);
      const target = new URL(gh.base).host;
      // release JSON, asset URL, redirect target: three requests, each through a tunnel
      expect(proxy.connects).toEqual([target, target, target]);
    } finally {
      await proxy.close();
    }
  });

  it('sends proxy credentials and reports a refused tunnel', async () => {
    const proxy = await startProxy({ requireAuth: 'ward:s3cret' });
    try {
      const withAuth = proxy.url.replace('http://', 'http://ward:s3cret@');
      expect((await fetchSigmaRules({ apiBase: gh.base, dest: join(work, 'b'), proxy: withAuth })).ruleFiles).toBe(1);
      await expect(fetchSigmaRules({ apiBase: gh.base, dest: join(work, 'c'), proxy: proxy.url })).rejects.toMatchObject({ code: 'fetch.proxy' });
      expect(existsSync(join(work, 'c'))).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('reports an unreachable proxy', async () => {
    const proxy = await startProxy();
    const url = proxy.url;
    await proxy.close();
    await expect(fetchSigmaRules({ apiBase: gh.base, dest: join(work, 'd'), proxy: url, timeoutMs: 5000 })).rejects.toMatchObject({ code: 'fetch.network' });
  });

  it('honours NO_PROXY and keeps loopback direct for proxies from the environment', () => {
    const u = (s: string) => new URL(s);
    expect(bypassProxy(u('https://api.github.com/x'), '')).toBe(false);
    expect(bypassProxy(u('https://api.github.com/x'), 'github.com')).toBe(true);
    expect(bypassProxy(u('https://api.github.com/x'), '.github.com')).toBe(true);
    expect(bypassProxy(u('https://api.github.com/x'), '*.github.com')).toBe(true);
    expect(bypassProxy(u('https://notgithub.com/x'), 'github.com')).toBe(false);
    expect(bypassProxy(u('https://api.github.com/x'), 'github.com:8443')).toBe(false);
    expect(bypassProxy(u('https://api.github.com/x'), 'intranet, *')).toBe(true);
    expect(bypassProxy(u('http://127.0.0.1:8080/x'), '')).toBe(true);
    expect(bypassProxy(u('http://[::1]:8080/x'), '')).toBe(true);
    expect(bypassProxy(u('http://127.0.0.1:8080/x'), '', false)).toBe(false);
    expect(proxyFor(u('https://api.github.com/x'), 'proxy.rvh.local:3128')?.host).toBe('proxy.rvh.local:3128');
    expect(() => proxyFor(u('https://api.github.com/x'), 'http://[bad')).toThrow(/invalid proxy/);
  });
});
