/**
 * SigmaHQ publishes its rule packages as assets of each GitHub release (SigmaHQ/sigma,
 * Releases.md). This module asks the GitHub REST API for a release (`GET /repos/{repo}/releases/
 * latest` or `/releases/tags/{tag}`), picks the asset of the requested package and downloads it
 * with a size cap, hashing it on the way so it can be checked against the asset's published
 * `digest` ("sha256:<hex>") and size.
 */
import { createHash } from 'node:crypto';
import { WardError } from '../../util/index.js';
import { httpGet, readBody, type GetResponse } from './http.js';

/** Package names users write → asset file names SigmaHQ attaches to every release. */
export const SIGMA_PACKAGES: Record<string, string> = {
  core: 'sigma_core.zip',
  'core+': 'sigma_core+.zip',
  'core++': 'sigma_core++.zip',
  'emerging-threats': 'sigma_emerging_threats_addon.zip',
  all: 'sigma_all_rules.zip',
};

export interface ReleaseAsset {
  name: string;
  url: string;
  size?: number;
  /** "sha256:<hex>" when GitHub published one for the asset */
  digest?: string;
}

export interface Release {
  tag: string;
  name?: string;
  publishedAt?: string;
  htmlUrl?: string;
  assets: ReleaseAsset[];
}

export interface HttpOptions {
  /** ms of silence before the request is abandoned */
  timeoutMs?: number;
  userAgent?: string;
  /** forward proxy URL; default from HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured) */
  proxy?: string;
}

function headers(o: HttpOptions, accept = 'application/vnd.github+json'): Record<string, string> {
  return { 'User-Agent': o.userAgent ?? 'ward-rules-fetch', Accept: accept, 'X-GitHub-Api-Version': '2022-11-28' };
}

/** GET that throws a WardError naming the URL for any status other than 2xx. */
async function get(url: string, o: HttpOptions, accept?: string): Promise<GetResponse> {
  const res = await httpGet(url, { headers: headers(o, accept), timeoutMs: o.timeoutMs, proxy: o.proxy });
  if (res.status < 200 || res.status > 299) {
    let detail = '';
    try {
      const body = (await readBody(res.message, 64 * 1024, url)).toString('utf8');
      const msg = (JSON.parse(body) as { message?: string }).message;
      detail = msg ? `: ${msg}` : '';
    } catch {
      // not JSON (or unreadable): the status line says enough
    }
    const hint = res.status === 403 || res.status === 429 ? ' (GitHub API rate limit? try again later)' : res.status === 404 ? ' (no such release or asset)' : '';
    throw new WardError('fetch.http', `${res.url} answered HTTP ${res.status} ${res.statusText}${detail}${hint}`);
  }
  return res;
}

export async function getRelease(apiBase: string, repo: string, tag: string | undefined, o: HttpOptions = {}): Promise<Release> {
  const base = apiBase.replace(/\/+$/, '');
  const url = tag ? `${base}/repos/${repo}/releases/tags/${encodeURIComponent(tag)}` : `${base}/repos/${repo}/releases/latest`;
  const res = await get(url, o);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse((await readBody(res.message, 16 << 20, url)).toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof WardError) throw err;
    throw new WardError('fetch.release', `${url} did not return JSON: ${(err as Error).message}`);
  }
  if (typeof json.tag_name !== 'string' || !Array.isArray(json.assets)) {
    throw new WardError('fetch.release', `${url} is not a GitHub release (no tag_name/assets)`);
  }
  const assets: ReleaseAsset[] = [];
  for (const a of json.assets as Record<string, unknown>[]) {
    if (typeof a?.name !== 'string' || typeof a.browser_download_url !== 'string') continue;
    assets.push({
      name: a.name,
      url: new URL(a.browser_download_url, url).toString(),
      size: typeof a.size === 'number' ? a.size : undefined,
      digest: typeof a.digest === 'string' ? a.digest : undefined,
    });
  }
  return {
    tag: json.tag_name,
    name: typeof json.name === 'string' ? json.name : undefined,
    publishedAt: typeof json.published_at === 'string' ? json.published_at : undefined,
    htmlUrl: typeof json.html_url === 'string' ? json.html_url : undefined,
    assets,
  };
}

export function pickAsset(release: Release, pkg: string): ReleaseAsset {
  const file = SIGMA_PACKAGES[pkg];
  if (!file) throw new WardError('usage.package', `unknown package '${pkg}' (choose: ${Object.keys(SIGMA_PACKAGES).join(', ')})`);
  const asset = release.assets.find((a) => a.name === file);
  if (!asset) {
    const have = release.assets.map((a) => a.name).join(', ') || 'none';
    throw new WardError('fetch.asset', `release ${release.tag} has no asset ${file} (assets: ${have})`);
  }
  return asset;
}

export interface Download {
  bytes: Buffer;
  sha256: string;
  /** true when the release published a digest and it matched */
  digestVerified: boolean;
}

/** Downloads an asset, refusing more than `maxBytes`, and checks size and digest when published. */
export async function downloadAsset(asset: ReleaseAsset, o: HttpOptions & { maxBytes?: number } = {}): Promise<Download> {
  const max = o.maxBytes ?? 256 << 20;
  if (asset.size !== undefined && asset.size > max) throw new WardError('fetch.limit', `${asset.name} is ${asset.size} bytes, more than the limit of ${max}`);
  const res = await get(asset.url, { timeoutMs: o.timeoutMs ?? 600_000, userAgent: o.userAgent, proxy: o.proxy }, 'application/octet-stream');
  const hash = createHash('sha256');
  const bytes = await readBody(res.message, max, asset.name, (chunk) => hash.update(chunk));
  const n = bytes.length;
  const sha256 = hash.digest('hex');
  if (asset.size !== undefined && asset.size !== n) {
    throw new WardError('fetch.verify', `${asset.name}: received ${n} bytes, the release lists ${asset.size} (truncated download?)`);
  }
  let digestVerified = false;
  if (asset.digest) {
    const m = /^sha256:([0-9a-f]{64})$/i.exec(asset.digest);
    if (m) {
      if (m[1].toLowerCase() !== sha256) throw new WardError('fetch.verify', `${asset.name}: SHA-256 ${sha256} does not match the release digest ${m[1].toLowerCase()}`);
      digestVerified = true;
    }
  }
  return { bytes, sha256, digestVerified };
}
