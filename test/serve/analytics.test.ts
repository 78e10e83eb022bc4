import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, sigmaRuleLoader, startWard } from '../../src/serve/index.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('ward-serve-analytics-');

describe('access analytics in ward serve', { timeout: 240_000 }, () => {
  it('raises analytics alerts on live audit events and keeps its state across a restart', async () => {
    const sim = join(dir, 'sim');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'simulate', '--out', sim, '--seed', '13', '--days', '1', '--beds', '40', '--scenarios', '3'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const records = readFileSync(join(sim, 'fhir/audit.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => ({ data: JSON.parse(l) }));
    const cfg = loadConfig({ env: {}, flags: { port: 0, data: join(dir, 'data'), analytics: true }, cwd: dir });
    cfg.taxii = false;
    const loader = () => sigmaRuleLoader(cfg.rules, cfg.intel, { config: cfg.analytics!, stateDir: join(cfg.data, 'analytics') });
    const w = await startWard(cfg, { ruleLoader: loader(), env: {}, log: () => undefined });
    const state = join(cfg.data, 'analytics', `analytics-${w.boot.org.id}.json`);
    try {
      await w.pipeline.ingest(w.boot.org.id, 'fhir', 'json', records);
      await w.pipeline.idle();
      await w.pipeline.tick(Date.now());
      const alerts = (await w.store.listAlerts(w.boot.org.id, {})).items;
      expect(alerts.some((a) => a.kind === 'analytics')).toBe(true);
      expect(existsSync(state)).toBe(true);
    } finally {
      await w.close();
    }
    const w2 = await startWard(cfg, { ruleLoader: loader(), env: {}, log: () => undefined });
    try {
      // the restored detector exists for the organisation and its state file is read back
      expect(() => w2.rules.detector(w2.boot.org.id)).not.toThrow();
      expect(JSON.parse(readFileSync(state, 'utf8'))).toBeTruthy();
    } finally {
      await w2.close();
    }
  });
});
