/**
 * SigmaHQ publishes its rule packages as assets of each GitHub release (SigmaHQ/sigma,
 * Releases.md). This module asks the GitHub REST API for a release (`GET /repos/{repo}/releases/
 * latest` or `/releases/tags/{tag}`), picks the asset of the requested package and downloads it
 * with a size cap, hashing it on the way so it can be checked against the asset's published
 * `digest` ("sha256:<hex>") and size.
 */
import { createHash } from 'node:crypto';
import { WardError } from '../../util/index.js';

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
  /** ms before the request is abandoned */
  timeoutMs?: number;
  userAgent?: string;
}

function headers(o: HttpOptions): Record<string, string> {
  return { 'User-Agent': o.userAgent ?? 'ward-rules-fetch', Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' };
}

async function get(url: string, o: HttpOptions, accept?: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { ...headers(o), ...(accept ? { Accept: accept } : {}) }, redirect: 'follow', signal: AbortSignal.timeout(o.timeoutMs ?? 120_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new WardError('fetch.network', `cannot reach ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok) {
    let detail = '';
    try {
      const body = (await res.text()).slice(0, 300);
      const msg = (JSON.parse(body) as { message?: string }).message;
      detail = msg ? `: ${msg}` : '';
    } catch {
      // not JSON: the status line says enough
    }
    const hint = res.status === 403 || res.status === 429 ? ' (GitHub API rate limit? try again later)' : res.status === 404 ? ' (no such release or asset)' : '';
    throw new WardError('fetch.http', `${url} answered HTTP ${res.status} ${res.statusText}${detail}${hint}`);
  }
  return res;
}

export async function getRelease(apiBase: string, repo: string, tag: string | undefined, o: HttpOptions = {}): Promise<Release> {
  const base = apiBase.replace(/\/+$/, '');
  const url = tag ? `${base}/repos/${repo}/releases/tags/${encodeURIComponent(tag)}` : `${base}/repos/${repo}/releases/latest`;
  const res = await get(url, o);
  let json: Record<string, unknown>;
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch (err) {
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
  const res = await get(asset.url, { timeoutMs: o.timeoutMs ?? 600_000, userAgent: o.userAgent }, 'application/octet-stream');
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let n = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.byteLength;
      if (n > max) {
        await reader.cancel();
        throw new WardError('fetch.limit', `${asset.name}: download exceeds ${max} bytes`);
      }
      hash.update(value);
      chunks.push(Buffer.from(value));
    }
  }
  const bytes = Buffer.concat(chunks, n);
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
