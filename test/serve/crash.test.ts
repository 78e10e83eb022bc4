/**
 * Crash safety (issue acceptance 2): events are posted while the server process is killed with
 * SIGKILL and restarted, several times. Every acknowledged event must be in storage afterwards
 * and must have produced its alert (each event names its own host, so each yields one alert).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteAppStore } from '../../src/store/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rules = join(root, 'test/fixtures/serve/rules');
const TOKEN = 'ward_crash_test_token_0123456789';
const dir = mkdtempSync(join(tmpdir(), 'ward-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--port', '0', '--data', join(dir, 'data'), '--rules', rules], {
    cwd: root,
    env: { ...process.env, WARD_ADMIN_TOKEN: TOKEN, WARD_ADMIN_PASSWORD: 'crash test password', WARD_SYNC: 'FULL' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on \S*(http:\/\/[\d.]+:\d+)/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}\n${err}`)));
  });
}

let next = 0;
const event = () => {
  const n = next++;
  return {
    id: n,
    line: JSON.stringify({
      Channel: 'Security', EventID: 4688, Computer: `CRASH-${n}`, SubjectUserName: `user${n}`,
      CommandLine: 'x.exe sekurlsa::logonpasswords', EventTime: new Date(Date.UTC(2026, 2, 1, 3, 0, 0) + n * 1000).toISOString(),
    }),
  };
};

describe('crash safety', () => {
  it('keeps and detects every acknowledged event across SIGKILL restarts', async () => {
    const acked = new Set<number>();
    for (let round = 0; round < 3; round++) {
      const { child, url } = await start();
      let stop = false;
      const poster = async () => {
        while (!stop) {
          const batch = Array.from({ length: 25 }, event);
          try {
            const r = await fetch(`${url}/api/v1/events`, {
              method: 'POST',
              headers: { authorization: `Bearer ${TOKEN}` },
              body: batch.map((b) => b.line).join('\n'),
            });
            if (r.status === 200) for (const b of batch) acked.add(b.id);
          } catch {
            // connection reset by the kill: not acknowledged
          }
        }
      };
      const posters = [poster(), poster(), poster()];
      // kill while requests are in flight, after some were acknowledged
      const target = acked.size + 300;
      while (acked.size < target) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      stop = true;
      await Promise.all(posters);
    }
    expect(acked.size).toBeGreaterThanOrEqual(900);

    // restart once more: recovery runs detection on the unprocessed tail before listening
    const { child } = await start();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    const store = new SqliteAppStore(join(dir, 'data', 'ward.db'));
    try {
      const org = (await store.listOrgs())[0];
      const stored = new Set<number>();
      let maxSeq = 0;
      for (let after = 0; ; ) {
        const evs = await store.readEventsAfter(after, 5000);
        if (evs.length === 0) break;
        for (const e of evs) stored.add(Number((JSON.parse(e.raw) as { Computer: string }).Computer.slice('CRASH-'.length)));
        after = evs[evs.length - 1].seq;
        maxSeq = after;
      }
      const missing = [...acked].filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      const alertHosts = new Set<string>();
      for (let offset = 0; ; offset += 1000) {
        const page = await store.listAlerts(org.id, { limit: 1000, offset });
        for (const a of page.items) alertHosts.add(a.host!);
        if (page.items.length < 1000) break;
      }
      const undetected = [...acked].filter((id) => !alertHosts.has(`CRASH-${id}`));
      expect(undetected).toEqual([]);
      // every stored event (acknowledged or not) went through detection exactly once
      expect(alertHosts.size).toBe(stored.size);
      expect(await store.getCursor('detect')).toBe(maxSeq);
    } finally {
      await store.close();
    }
  }, 180_000);
});
