/**
 * `ward rules fetch`: download the current SigmaHQ release package, verify it (published size and
 * SHA-256 digest, ZIP structure, CRC-32 of every entry, safe paths, presence of rules) and install
 * its rules into a folder Ward can load with `--rules`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadAsset, getRelease, pickAsset } from './release.js';
import { installPackage, MANIFEST_FILE, type InstallResult } from './install.js';
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
  /** download and reinstall even when the destination already holds this exact package */
  force?: boolean;
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
  /** true when the destination already held this release's package (same digest): nothing downloaded */
  upToDate: boolean;
}

export async function fetchSigmaRules(o: FetchOptions = {}): Promise<FetchResult> {
  const pkg = o.package ?? 'core';
  const repo = o.repo ?? DEFAULT_REPO;
  const dest = o.dest ?? defaultRulesDir();
  const release = await getRelease(o.apiBase ?? DEFAULT_API, repo, o.tag, { timeoutMs: o.timeoutMs, proxy: o.proxy });
  const asset = pickAsset(release, pkg);
  const current = o.force ? undefined : installedManifest(dest);
  const digest = /^sha256:([0-9a-f]{64})$/i.exec(asset.digest ?? '')?.[1]?.toLowerCase();
  if (current && digest && current.release === release.tag && current.asset === asset.name && current.sha256 === digest) {
    // Same release, same package, same published digest: skip the download (slow hospital links).
    return {
      dest: resolve(dest), ruleFiles: Number(current.ruleFiles) || 0, rules: Number(current.rules) || 0, otherFiles: [], skipped: 0, byFolder: {},
      repo, tag: release.tag, publishedAt: release.publishedAt, package: pkg, asset: asset.name, url: asset.url, bytes: 0, sha256: digest,
      digestVerified: true, upToDate: true,
    };
  }
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
    upToDate: false,
  };
}

/** The manifest of a previous `ward rules fetch` into `dest`, if any. */
function installedManifest(dest: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(join(dest, MANIFEST_FILE), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
