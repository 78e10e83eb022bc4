/**
 * `ward rules fetch`: download the current SigmaHQ release package, verify it (published size and
 * SHA-256 digest, ZIP structure, CRC-32 of every entry, safe paths, presence of rules) and install
 * its rules into a folder Ward can load with `--rules`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { downloadAsset, getRelease, pickAsset } from './release.js';
import { installPackage, type InstallResult } from './install.js';
import type { ZipLimits } from './zip.js';

export { SIGMA_PACKAGES, getRelease, pickAsset, downloadAsset } from './release.js';
export type { Release, ReleaseAsset, Download } from './release.js';
export { installPackage, MANIFEST_FILE } from './install.js';
export type { InstallResult } from './install.js';
export { ZipArchive, ZipError, crc32, safeEntryName } from './zip.js';
export { httpGet, bypassProxy, proxyFor } from './http.js';
export type { ZipEntry, ZipLimits } from './zip.js';

export const DEFAULT_API = 'https://api.github.com';
export const DEFAULT_REPO = 'SigmaHQ/sigma';

export function defaultRulesDir(): string {
  return join(homedir(), '.ward', 'rules', 'sigma');
}

export interface FetchOptions {
  /** core | core+ | core++ | emerging-threats | all */
  package?: string;
  dest?: string;
  /** GitHub API base (tests point it at a local server) */
  apiBase?: string;
  repo?: string;
  /** a release tag instead of the latest release */
  tag?: string;
  maxBytes?: number;
  limits?: ZipLimits;
  timeoutMs?: number;
  /** forward proxy URL (default: HTTPS_PROXY / HTTP_PROXY, NO_PROXY honoured) */
  proxy?: string;
}

export interface FetchResult extends InstallResult {
  repo: string;
  tag: string;
  publishedAt?: string;
  package: string;
  asset: string;
  url: string;
  bytes: number;
  sha256: string;
  digestVerified: boolean;
}

export async function fetchSigmaRules(o: FetchOptions = {}): Promise<FetchResult> {
  const pkg = o.package ?? 'core';
  const repo = o.repo ?? DEFAULT_REPO;
  const dest = o.dest ?? defaultRulesDir();
  const release = await getRelease(o.apiBase ?? DEFAULT_API, repo, o.tag, { timeoutMs: o.timeoutMs, proxy: o.proxy });
  const asset = pickAsset(release, pkg);
  const dl = await downloadAsset(asset, { maxBytes: o.maxBytes, timeoutMs: o.timeoutMs, proxy: o.proxy });
  const manifest = {
    source: repo,
    release: release.tag,
    publishedAt: release.publishedAt,
    package: pkg,
    asset: asset.name,
    url: asset.url,
    sha256: dl.sha256,
    digestVerified: dl.digestVerified,
    fetchedAt: new Date().toISOString(),
    licence: 'SigmaHQ rules are under the Detection Rule License (DRL) 1.1: keep the author attribution',
  };
  const installed = installPackage(dl.bytes, dest, manifest, o.limits);
  return {
    ...installed,
    repo,
    tag: release.tag,
    publishedAt: release.publishedAt,
    package: pkg,
    asset: asset.name,
    url: asset.url,
    bytes: dl.bytes.length,
    sha256: dl.sha256,
    digestVerified: dl.digestVerified,
  };
}
