import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, sigmaRuleLoader, startWard, type ServeConfig, type WardServer } from '../../src/serve/index.js';

export const RULES = fileURLToPath(new URL('../fixtures/serve/rules', import.meta.url));
export const ADMIN = { email: 'admin@hospital.test', password: 'correct horse battery', token: 'ward_test_admin_token_0123456789' };

export interface TestServer {
  ward: WardServer;
  dir: string;
  url: string;
  req(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/** A Ward server on an ephemeral port with a fresh data folder and the fixture rules. */
export async function startTestServer(edit: (c: ServeConfig) => void = () => undefined): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-api-'));
  const cfg = loadConfig({ env: {}, flags: { port: 0, data: join(dir, 'data'), rules: [RULES] }, cwd: dir });
  cfg.synchronous = 'NORMAL';
  edit(cfg);
  const env = { WARD_ADMIN_EMAIL: ADMIN.email, WARD_ADMIN_PASSWORD: ADMIN.password, WARD_ADMIN_TOKEN: ADMIN.token };
  const ward = await startWard(cfg, { ruleLoader: sigmaRuleLoader(cfg.rules), env, log: () => undefined });
  return {
    ward,
    dir,
    url: ward.url,
    req(path, init = {}) {
      const headers = new Headers(init.headers);
      const token = init.token === undefined ? ADMIN.token : init.token;
      if (token) headers.set('authorization', `Bearer ${token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(`${ward.url}${path}`, { ...init, headers, body });
    },
    async stop() {
      await ward.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let clock = Date.parse('2026-03-01T02:00:00Z');
/** A Security 4688 event whose command line the fixture credential-dumping rule matches. */
export function mimikatz(host: string, user = 'n.okafor', extra: Record<string, unknown> = {}) {
  clock += 1000;
  return {
    Channel: 'Security', EventID: 4688, Computer: host, SubjectUserName: user,
    CommandLine: 'C:\\Temp\\m.exe "sekurlsa::logonpasswords" exit', EventTime: new Date(clock).toISOString(), ...extra,
  };
}
export function networkLogon(host: string, from: string, user = 'svc-backup') {
  clock += 1000;
  return { Channel: 'Security', EventID: 4624, Computer: host, LogonType: 3, WorkstationName: from, TargetUserName: user, EventTime: new Date(clock).toISOString() };
}
export function benign(host: string) {
  clock += 1000;
  return { Channel: 'Security', EventID: 4688, Computer: host, CommandLine: 'notepad.exe', EventTime: new Date(clock).toISOString() };
}

export const ndjson = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
