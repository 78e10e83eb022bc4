import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, NO_COLOR: '1' } });
const dir = mkdtempSync(join(tmpdir(), 'ward-hunt-mixed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ward simulate + ward hunt over one folder of mixed sources', { timeout: 240_000 }, () => {
  it('reports Windows and health detections together, in one time-ordered timeline', () => {
    const sim = cli(['simulate', '--out', dir, '--seed', '31', '--days', '2', '--beds', '30', '--scenarios', '1,2,3']);
    expect(sim.status, sim.stderr).toBe(0);
    expect(sim.stdout).toMatch(/labelled/);
    const r = cli(['hunt', dir, '--placeholders', join(dir, 'hospital', 'placeholders.yaml'), '--format', 'jsonl', '--no-progress']);
    expect(r.status, r.stderr).toBe(1); // 1 = finished with detections
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { timestamp: string; source?: { file?: string }; rule: { title: string } });
    const folders = new Set(hits.map((h) => h.source?.file?.slice(dir.length + 1).split('/')[0]));
    for (const f of ['windows', 'fhir', 'atna', 'ehr', 'network']) expect(folders.has(f), `${f}: ${[...folders].join(',')}`).toBe(true);
    const summary = cli(['hunt', dir, '--placeholders', join(dir, 'hospital', 'placeholders.yaml'), '--no-progress']);
    const timeline = summary.stdout.split('\n').filter((l) => /^\s+\d{4}-\d\d-\d\dT/.test(l)).map((l) => l.trim().slice(0, 24));
    expect(timeline.length).toBeGreaterThan(5);
    expect([...timeline].sort()).toEqual(timeline);
    expect(summary.stdout).toMatch(/LSASS|PsExec|Shadow/i);
    expect(summary.stdout).toMatch(/FHIR|PACS|World Health/);
  });
});
