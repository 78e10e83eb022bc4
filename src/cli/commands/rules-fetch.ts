import { Command, Option } from 'commander';
import pc from 'picocolors';
import { SIGMA_PACKAGES, defaultRulesDir, fetchSigmaRules, DEFAULT_API, DEFAULT_REPO, type FetchResult } from '../../share/index.js';

/**
 * `ward rules fetch`: downloads the current SigmaHQ rule package for users who are online.
 * The `rules` group belongs to cli/commands/rules.ts, which calls registerRulesFetch(rules).
 */
export function registerRulesFetch(rules: Command): Command {
  return rules
    .command('fetch')
    .description('download the current SigmaHQ rule package, verify it and install it into a rules folder')
    .addOption(new Option('-p, --package <name>', 'rule package to fetch').choices(Object.keys(SIGMA_PACKAGES)).default('core'))
    .option('-d, --dest <dir>', 'rules folder to install into (replaced as a whole)', defaultRulesDir())
    .option('--tag <tag>', 'a release tag (e.g. r2026-08-05) instead of the latest release')
    .option('--url <base>', 'GitHub API base URL (for mirrors and tests)', DEFAULT_API)
    .option('--repo <owner/name>', 'repository that publishes the release', DEFAULT_REPO)
    .option('--proxy <url>', 'forward proxy, http://[user:pass@]host:port (default: HTTPS_PROXY; NO_PROXY honoured)')
    .option('--max-mb <n>', 'refuse downloads larger than this many MiB', '256')
    .option('--force', 'download and reinstall even if this release is already installed')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Packages (SigmaHQ release assets):
  core              stable/test rules, high and critical (sigma_core.zip; recommended start)
  core+             adds medium level (sigma_core+.zip)
  core++            adds experimental rules (sigma_core++.zip)
  emerging-threats  rules for current campaigns and exploits (sigma_emerging_threats_addon.zip)
  all               everything above (sigma_all_rules.zip)

Verification: the download's size and SHA-256 are checked against the release's published
asset size and digest, every ZIP entry's CRC-32 is checked, paths that would escape the folder
are refused, and the folder is only replaced once everything checked out.

Examples:
  ward rules fetch
  ward rules fetch --package all --dest ./sigma-rules
  ward hunt logs/ --rules ~/.ward/rules/sigma`,
    )
    .action(async (o: { package: string; dest: string; tag?: string; url: string; repo: string; maxMb: string; proxy?: string; force?: boolean; json?: boolean }) => {
      const maxMb = Number(o.maxMb);
      if (!Number.isFinite(maxMb) || maxMb <= 0) throw Object.assign(new Error(`--max-mb must be a positive number, not '${o.maxMb}'`), { code: 'usage.max-mb' });
      const r = await fetchSigmaRules({ package: o.package, dest: o.dest, tag: o.tag, apiBase: o.url, repo: o.repo, proxy: o.proxy, force: o.force, maxBytes: Math.round(maxMb * 1024 * 1024) });
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : describe(r));
    });
}

function mb(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

function describe(r: FetchResult): string {
  if (r.upToDate) {
    return `${pc.bold(r.repo)} ${pc.cyan(r.tag)}, package ${pc.bold(r.package)}: ${pc.green('already installed')} in ${r.dest} (${r.ruleFiles.toLocaleString('en-US')} rule files; same SHA-256 as published). Use --force to reinstall.\n`;
  }
  const lines = [
    `${pc.bold(r.repo)} ${pc.cyan(r.tag)}${r.publishedAt ? ` (published ${r.publishedAt.slice(0, 10)})` : ''}, package ${pc.bold(r.package)} → ${r.asset}`,
    `  downloaded ${mb(r.bytes)}, sha256 ${r.sha256}`,
    r.digestVerified
      ? `  ${pc.green('verified')}: matches the digest published with the release; ZIP CRC-32 of every entry checked`
      : `  ${pc.yellow('no digest published')} for this asset: size and ZIP CRC-32 of every entry checked`,
    `  installed ${pc.bold(r.ruleFiles.toLocaleString('en-US'))} rule files (${r.rules.toLocaleString('en-US')} rules) into ${r.dest}`,
  ];
  const folders = Object.entries(r.byFolder).sort((a, b) => b[1] - a[1]);
  if (folders.length > 1) lines.push(`    ${folders.map(([f, n]) => `${f}: ${n}`).join(', ')}`);
  if (r.otherFiles.length) {
    const shown = r.otherFiles.length > 3 ? `${r.otherFiles.slice(0, 3).join(', ')} and ${r.otherFiles.length - 3} more` : r.otherFiles.join(', ');
    lines.push(`  kept ${shown} (SigmaHQ rules are under the Detection Rule License 1.1: keep the attribution)`);
  }
  lines.push(`  use them with: ward hunt <logs> --rules ${r.dest}`);
  return lines.join('\n') + '\n';
}

/** Stand-alone registration: adds `fetch` to the existing `rules` group, or creates the group. */
export function register(program: Command): void {
  let rules = program.commands.find((c) => c.name() === 'rules');
  rules ??= program.command('rules').description('manage Sigma rule folders');
  registerRulesFetch(rules);
}
