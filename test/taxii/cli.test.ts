/** `ward taxii` and `ward intel` as a user runs them: separate processes over a data directory. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const main = join(root, 'src', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'ward-taxii-cli-'));
const env = { ...process.env, WARD_DATA: dir, WARD_ADMIN_TOKEN: '', WARD_TAXII_TOKEN: '', WARD_TAXII_PASSWORD: '' };

function ward(args: string[], input?: string) {
  const r = spawnSync(tsx, [main, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ward taxii / ward intel', () => {
  it('creates a collection, a user and a token, serves them, and pushes/pulls', async () => {
    expect(ward(['taxii', 'collection', 'add', '--title', 'Intel', '--id', 'c1']).out.trim()).toBe('c1');
    expect(ward(['taxii', 'user', 'add', 'peer', '--relation', 'community'], 'short').code).toBe(0);
    const weak = ward(['taxii', 'user', 'add', 'peer', '--relation', 'community', '--password-stdin'], 'short');
    expect(weak.code).toBe(64);
    expect(weak.err).toMatch(/at least 12/);
    expect(ward(['taxii', 'grant', 'peer', 'c1', '--read', '--write']).code).toBe(0);
    expect(ward(['taxii', 'grant', 'peer', 'nope', '--read']).err).toMatch(/no collection nope/);
    const token = ward(['taxii', 'token', 'create', 'peer']).out.trim();
    expect(token).toMatch(/^ward_[0-9a-f]{12}_/);
    // The token is stored only hashed.
    expect(readFileSync(join(dir, 'taxii.db')).includes(Buffer.from(token.slice(18)))).toBe(false);

    const server = spawn(tsx, [main, 'taxii', 'serve', '--port', '0'], { env });
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let text = '';
        server.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          if (/admin bearer token.*: \S+\n/.test(text)) resolve(text);
        });
        server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${text}`)));
      });
      const url = /(http:\/\/\S+\/taxii2\/)/.exec(banner)![1];
      const admin = /admin bearer token.*: (\S+)/.exec(banner)![1];
      const res = await fetch(url, { headers: { Authorization: `Bearer ${admin}`, Accept: 'application/taxii+json;version=2.1' } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { api_roots: string[] }).api_roots[0]).toMatch(/\/ward\/$/);

      const bundle = join(root, 'test', 'fixtures', 'taxii', 'bundle.json');
      const pushed = ward(['intel', 'push', url, bundle, '--collection', 'c1', '--token', token]);
      expect(pushed.code).toBe(0);
      expect(pushed.out).toMatch(/sent 2 of 5 objects, 2 accepted/);
      expect(pushed.err).toMatch(/withheld \(PHI\): indicator--b2b2b2b2-0000-4000-8000-000000000002/);
      expect(pushed.err).not.toMatch(/p-4711|00471100/);
      const out = join(dir, 'pulled.json');
      const pulled = ward(['intel', 'pull', url, '--collection', 'c1', '--token', token, '-o', out]);
      expect(pulled.out).toMatch(/^2 objects in 1 page/);
      expect((JSON.parse(readFileSync(out, 'utf8')) as { objects: unknown[] }).objects).toHaveLength(2);
      expect(ward(['intel', 'pull', url, '--collection', 'c1', '--token', token]).out).toMatch(/^0 objects .* added after/);
      const denied = ward(['intel', 'pull', url, '--collection', 'c1', '--token', 'wrong']);
      expect(denied.code).toBe(1);
      expect(denied.err).toMatch(/HTTP 401/);
    } finally {
      server.kill('SIGTERM');
    }
  }, 120_000);
});
