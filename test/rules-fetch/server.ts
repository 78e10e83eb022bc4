/** A stand-in for the GitHub releases API and download host, on an ephemeral local port. */
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface FakeAsset {
  name: string;
  body: Buffer;
  /** what the release JSON lists (defaults: real size, real sha256 digest) */
  listedSize?: number | null;
  digest?: string | null;
  /** HTTP status for the download (default 200) */
  status?: number;
}

export interface FakeRelease {
  tag: string;
  assets: FakeAsset[];
}

export interface FakeGitHub {
  base: string;
  requests: string[];
  /** release served as "latest"; others by tag */
  latest: FakeRelease | { status: number; message: string };
  byTag: Map<string, FakeRelease>;
  close(): Promise<void>;
}

export async function startFakeGitHub(latest: FakeGitHub['latest']): Promise<FakeGitHub> {
  const state: Omit<FakeGitHub, 'base' | 'close'> = { requests: [], latest, byTag: new Map() };
  let base = '';
  const releaseJson = (r: FakeRelease) => ({
    tag_name: r.tag,
    name: `Release ${r.tag}`,
    published_at: '2026-08-05T10:00:00Z',
    html_url: `${base}/SigmaHQ/sigma/releases/tag/${r.tag}`,
    assets: r.assets.map((a) => ({
      name: a.name,
      size: a.listedSize === null ? undefined : (a.listedSize ?? a.body.length),
      digest: a.digest === null ? undefined : (a.digest ?? `sha256:${createHash('sha256').update(a.body).digest('hex')}`),
      // GitHub serves downloads from another path (and host) through a redirect
      browser_download_url: `${base}/SigmaHQ/sigma/releases/download/${r.tag}/${encodeURIComponent(a.name)}`,
    })),
  });
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    state.requests.push(url);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url === '/repos/SigmaHQ/sigma/releases/latest') {
      const l = state.latest;
      return 'status' in l ? json(l.status, { message: l.message }) : json(200, releaseJson(l));
    }
    const tagMatch = /^\/repos\/SigmaHQ\/sigma\/releases\/tags\/(.+)$/.exec(url);
    if (tagMatch) {
      const r = state.byTag.get(tagMatch[1]);
      return r ? json(200, releaseJson(r)) : json(404, { message: 'Not Found' });
    }
    const dl = /^\/SigmaHQ\/sigma\/releases\/download\/([^/]+)\/(.+)$/.exec(url);
    if (dl) {
      res.writeHead(302, { location: `/objects/${dl[1]}/${encodeURIComponent(dl[2])}` });
      return res.end();
    }
    const obj = /^\/objects\/([^/]+)\/(.+)$/.exec(url);
    if (obj) {
      const rel = state.byTag.get(obj[1]) ?? ('tag' in state.latest && state.latest.tag === obj[1] ? state.latest : undefined);
      const a = rel?.assets.find((x) => x.name === obj[2]);
      if (!a) return json(404, { message: 'Not Found' });
      if (a.status && a.status !== 200) return json(a.status, { message: 'asset unavailable' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(a.body);
    }
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    base,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  }) as FakeGitHub;
}
