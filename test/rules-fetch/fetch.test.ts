import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchSigmaRules, MANIFEST_FILE } from '../../src/share/rules-fetch/index.js';
import type { WardError } from '../../src/util/index.js';
import { buildZip, fakeRule } from './zip-writer.js';
import { startFakeGitHub, type FakeGitHub, type FakeRelease } from './server.js';

const work = mkdtempSync(join(tmpdir(), 'ward-rules-fetch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function corePackage(): Buffer {
  return buildZip([
    { name: 'rules/', data: '', method: 0 },
    { name: 'rules/windows/process_creation/proc_creation_a.yml', data: fakeRule(1) },
    { name: 'rules/windows/process_creation/proc_creation_b.yml', data: fakeRule(2) },
    { name: 'rules/linux/lnx_c.yml', data: `${fakeRule(3)}---\n${fakeRule(4)}` },
    { name: 'rules-emerging-threats/2026/et_d.yml', data: fakeRule(5) },
    { name: 'LICENSE', data: 'Detection Rule License (DRL) 1.1 — test stand-in' },
    { name: 'tests/notes.md', data: 'not a rule' },
  ]);
}

function release(tag = 'r2026-08-05'): FakeRelease {
  return {
    tag,
    assets: [
      { name: 'sigma_core.zip', body: corePackage() },
      { name: 'sigma_all_rules.zip', body: buildZip([{ name: 'rules/a.yml', data: fakeRule(9) }]) },
      { name: 'sigma_core+.zip', body: buildZip([{ name: 'rules/p.yml', data: fakeRule(10) }]), digest: null, listedSize: null },
    ],
  };
}

let gh: FakeGitHub;
let n = 0;
let dest: string;
beforeEach(async () => {
  await gh?.close();
  gh = await startFakeGitHub(release());
  dest = join(work, `dest-${++n}`, 'sigma');
});
afterAll(() => gh?.close());

async function failure(p: Promise<unknown>): Promise<WardError> {
  try {
    await p;
  } catch (err) {
    return err as WardError;
  }
  throw new Error('expected a failure');
}

describe('fetchSigmaRules against a local releases API', () => {
  it('downloads the latest core package, verifies the digest and installs the rules', async () => {
    const r = await fetchSigmaRules({ apiBase: gh.base, dest });
    expect(r.tag).toBe('r2026-08-05');
    expect(r.asset).toBe('sigma_core.zip');
    expect(r.digestVerified).toBe(true);
    expect(r.ruleFiles).toBe(4);
    expect(r.rules).toBe(5);
    expect(r.byFolder).toEqual({ rules: 3, 'rules-emerging-threats': 1 });
    expect(r.otherFiles).toEqual(['LICENSE']);
    expect(readFileSync(join(dest, 'rules/windows/process_creation/proc_creation_a.yml'), 'utf8')).toBe(fakeRule(1));
    expect(existsSync(join(dest, 'tests'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(dest, MANIFEST_FILE), 'utf8'));
    expect(manifest).toMatchObject({ source: 'SigmaHQ/sigma', release: 'r2026-08-05', package: 'core', asset: 'sigma_core.zip', sha256: r.sha256, rules: 5 });
    expect(gh.requests[0]).toBe('/repos/SigmaHQ/sigma/releases/latest');
    // nothing left behind next to the destination
    expect(readdirSync(join(dest, '..'))).toEqual(['sigma']);
  });

  it('replaces an existing rules folder as a whole', async () => {
    mkdirSync(join(dest, 'rules'), { recursive: true });
    writeFileSync(join(dest, 'rules', 'stale.yml'), fakeRule(77));
    await fetchSigmaRules({ apiBase: gh.base, dest });
    expect(existsSync(join(dest, 'rules', 'stale.yml'))).toBe(false);
    expect(existsSync(join(dest, 'rules/linux/lnx_c.yml'))).toBe(true);
  });

  it('selects the package and the release tag', async () => {
    const all = await fetchSigmaRules({ apiBase: gh.base, dest, package: 'all' });
    expect(all.asset).toBe('sigma_all_rules.zip');
    expect(all.ruleFiles).toBe(1);
    gh.byTag.set('r2025-01-01', release('r2025-01-01'));
    const old = await fetchSigmaRules({ apiBase: gh.base, dest, tag: 'r2025-01-01' });
    expect(old.tag).toBe('r2025-01-01');
    expect(gh.requests).toContain('/repos/SigmaHQ/sigma/releases/tags/r2025-01-01');
  });

  it('accepts an asset without a published digest, saying so', async () => {
    const r = await fetchSigmaRules({ apiBase: gh.base, dest, package: 'core+' });
    expect(r.digestVerified).toBe(false);
    expect(r.ruleFiles).toBe(1);
  });

  it('reports a 404 for the release and leaves the destination untouched', async () => {
    gh.latest = { status: 404, message: 'Not Found' };
    const err = await failure(fetchSigmaRules({ apiBase: gh.base, dest }));
    expect(err.code).toBe('fetch.http');
    expect(err.message).toContain('404');
    expect(existsSync(dest)).toBe(false);
  });

  it('explains a rate-limit answer', async () => {
    gh.latest = { status: 403, message: 'API rate limit exceeded for 127.0.0.1' };
    const err = await failure(fetchSigmaRules({ apiBase: gh.base, dest }));
    expect(err.message).toMatch(/rate limit/);
  });

  it('reports a 404 for the asset download', async () => {
    const r = release();
    r.assets[0].status = 404;
    gh.latest = r;
    const err = await failure(fetchSigmaRules({ apiBase: gh.base, dest }));
    expect(err.code).toBe('fetch.http');
    expect(err.message).toContain('404');
  });

  it('reports a release without the requested package, and an unknown package name', async () => {
    gh.latest = { tag: 'r1', assets: [{ name: 'other.zip', body: Buffer.from('x') }] };
    expect((await failure(fetchSigmaRules({ apiBase: gh.base, dest }))).code).toBe('fetch.asset');
    expect((await failure(fetchSigmaRules({ apiBase: gh.base, dest, package: 'bogus' }))).code).toBe('usage.package');
  });

  it('rejects a corrupt zip (digest matches: the publisher shipped garbage) without touching existing rules', async () => {
    mkdirSync(dest, { recursive: true });
    writeFileSync(join(dest, 'keep.yml'), fakeRule(5));
    gh.latest = { tag: 'r1', assets: [{ name: 'sigma_core.zip', body: Buffer.from('PK\x03\x04 this is not really a zip archive '.repeat(20)) }] };
    const err = await failure(fetchSigmaRules({ apiBase: gh.base, dest }));
    expect(err.code).toMatch(/^zip\./);
    expect(readFileSync(join(dest, 'keep.yml'), 'utf8')).toBe(fakeRule(5));
  });

  it('rejects a download whose SHA-256 does not match the published digest', async () => {
    gh.latest = { tag: 'r1', assets: [{ name: 'sigma_core.zip', body: corePackage(), digest: `sha256:${'0'.repeat(64)}` }] };
    const err = await failure(fetchSigmaRules({ apiBase: gh.base, dest }));
    expect(err.code).toBe('fetch.verify');
    expect(err.message).toMatch(/does not match/);
  });

  it('rejects a truncated download (size differs from the listing)', async () => {
    const body = corePackage();
    gh.latest = { tag: 'r1', assets: [{ name: 'sigma_core.zip', body: body.subarray(0, 100), listedSize: body.length, digest: null }] };
    const err = await failure(fetchSigmaRules({ apiBase: gh.base, dest }));
    expect(err.code).toBe('fetch.verify');
  });

  it('rejects zip-slip paths and writes nothing outside (or inside) the destination', async () => {
    const evil = buildZip([
      { name: 'rules/ok.yml', data: fakeRule(1) },
      { name: 'rules/../../../escaped.yml', data: fakeRule(2) },
    ]);
    gh.latest = { tag: 'r1', assets: [{ name: 'sigma_core.zip', body: evil }] };
    const err = await failure(fetchSigmaRules({ apiBase: gh.base, dest }));
    expect(err.code).toBe('zip.unsafe-path');
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(join(work, 'escaped.yml'))).toBe(false);
    expect(readdirSync(work).some((f) => f.includes('escaped'))).toBe(false);
  });

  it('rejects a package with no rules', async () => {
    gh.latest = { tag: 'r1', assets: [{ name: 'sigma_core.zip', body: buildZip([{ name: 'README.md', data: 'empty' }]) }] };
    expect((await failure(fetchSigmaRules({ apiBase: gh.base, dest }))).code).toBe('fetch.verify');
  });

  it('refuses downloads over the size cap', async () => {
    expect((await failure(fetchSigmaRules({ apiBase: gh.base, dest, maxBytes: 100 }))).code).toBe('fetch.limit');
  });

  it('reports an unreachable API', async () => {
    const base = gh.base;
    await gh.close();
    const err = await failure(fetchSigmaRules({ apiBase: base, dest, timeoutMs: 5000 }));
    expect(err.code).toBe('fetch.network');
    gh = await startFakeGitHub(release());
  });

  it('skips the download when the same release package is already installed, unless forced', async () => {
    const first = await fetchSigmaRules({ apiBase: gh.base, dest });
    expect(first.upToDate).toBe(false);
    const downloads = () => gh.requests.filter((r) => r.startsWith('/objects/')).length;
    expect(downloads()).toBe(1);
    const again = await fetchSigmaRules({ apiBase: gh.base, dest });
    expect(again).toMatchObject({ upToDate: true, tag: 'r2026-08-05', ruleFiles: 4, rules: 5, sha256: first.sha256 });
    expect(downloads()).toBe(1);
    const forced = await fetchSigmaRules({ apiBase: gh.base, dest, force: true });
    expect(forced.upToDate).toBe(false);
    expect(downloads()).toBe(2);
    // a new release is fetched
    gh.latest = release('r2026-09-01');
    expect((await fetchSigmaRules({ apiBase: gh.base, dest })).upToDate).toBe(false);
    expect(downloads()).toBe(3);
  });
});
