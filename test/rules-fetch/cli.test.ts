import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { startFakeGitHub, type FakeGitHub } from './server.js';
import { buildZip, fakeRule } from './zip-writer.js';

const work = mkdtempSync(join(tmpdir(), 'ward-rules-fetch-cli-'));
const dest = join(work, 'sigma');
let gh: FakeGitHub;
beforeAll(async () => {
  const pkg = buildZip([
    { name: 'rules/windows/a.yml', data: fakeRule(1) },
    { name: 'rules/windows/b.yml', data: fakeRule(2) },
    { name: 'rules/linux/c.yml', data: `${fakeRule(3)}---\n${fakeRule(4)}` },
    { name: 'rules-emerging-threats/d.yml', data: fakeRule(5) },
  ]);
  gh = await startFakeGitHub({ tag: 'r2026-08-05', assets: [{ name: 'sigma_core.zip', body: pkg }] });
});
afterAll(async () => {
  await gh.close();
  rmSync(work, { recursive: true, force: true });
});

describe('ward rules fetch (CLI)', () => {
  it('`ward rules fetch` prints what it got', async () => {
    const { register } = await import('../../src/cli/commands/rules-fetch.js');
    const program = new Command().exitOverride();
    register(program);
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'ward', 'rules', 'fetch', '--url', gh.base, '--dest', dest]);
    } finally {
      process.stdout.write = write;
    }
    expect(out).toContain('r2026-08-05');
    expect(out).toContain('sigma_core.zip');
    expect(out).toMatch(/installed .*4.* rule files \(5 rules\)/);
    expect(out).toContain(dest);
    // a second run finds the same release installed and downloads nothing
    const again = new Command().exitOverride();
    register(again);
    out = '';
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    try {
      await again.parseAsync(['node', 'ward', 'rules', 'fetch', '--url', gh.base, '--dest', dest]);
    } finally {
      process.stdout.write = write;
    }
    expect(out).toContain('already installed');
    const help = program.commands.find((c) => c.name() === 'rules')!.commands.find((c) => c.name() === 'fetch')!.helpInformation();
    expect(help).toContain('--package');
    expect(help).toContain('emerging-threats');
  });

  it('rejects with the HTTP error when the release is missing, and refuses a bad --max-mb', async () => {
    const { register } = await import('../../src/cli/commands/rules-fetch.js');
    const program = new Command().exitOverride();
    register(program);
    gh.latest = { status: 404, message: 'Not Found' };
    await expect(program.parseAsync(['node', 'ward', 'rules', 'fetch', '--url', gh.base, '--dest', join(work, 'x')])).rejects.toMatchObject({ code: 'fetch.http' });
    await expect(program.parseAsync(['node', 'ward', 'rules', 'fetch', '--max-mb', 'lots'])).rejects.toMatchObject({ code: 'usage.max-mb' });
  });

  it('adds fetch to an existing rules group', async () => {
    const { registerRulesFetch } = await import('../../src/cli/commands/rules-fetch.js');
    const program = new Command();
    const rules = program.command('rules');
    rules.command('check');
    registerRulesFetch(rules);
    expect(rules.commands.map((c) => c.name())).toEqual(['check', 'fetch']);
  });
});
