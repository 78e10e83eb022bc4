import { Command, Option } from 'commander';
import pc from 'picocolors';
import { loadRules, modifiers, correlationTypes, listPipelines } from '../../detect/index.js';
import { builtinRules, parsePlaceholders } from '../hunt/options.js';
import { registerRulesFetch } from './rules-fetch.js';

/** `ward rules`: check and list rules. `ward rules fetch` is added by share/rules-fetch. */
export function register(program: Command): Command {
  const rules = program.command('rules').description('Check, list and fetch Sigma rules');

  rules
    .command('check')
    .description('Load every rule and report each one that cannot run, with file and reason')
    .argument('[paths...]', "rule files or folders (default: Ward's own rule pack)")
    .option('--pipeline <names...>', `logsource pipelines (default: all of ${listPipelines().join(', ')})`)
    .option('--placeholders <file>', 'YAML map of placeholder values for |expand')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--warnings', 'also list warnings (duplicate ids, unset placeholders)')
    .addHelpText('after', '\nExit code: 0 when every rule can run, 1 when some cannot, 2 on bad usage.')
    .action((paths: string[], o) => {
      const dirs = paths.length ? paths : [builtinRules()];
      const res = loadRules({ paths: dirs, pipelines: o.pipeline, placeholders: parsePlaceholders(o.placeholders) });
      const errors = res.problems.filter((p) => p.severity === 'error');
      const shown = o.warnings ? res.problems : errors;
      if (o.format === 'json') {
        process.stdout.write(JSON.stringify({ counts: res.counts, compiled: res.ruleset.rules.length, correlations: res.ruleset.correlations.length, problems: shown }, null, 2) + '\n');
      } else {
        for (const p of shown) {
          const tag = p.severity === 'error' ? pc.red('error') : pc.yellow('warning');
          process.stdout.write(`${tag} ${p.file}${p.line ? `:${p.line}` : ''}${p.title ? ` (${p.title})` : ''}: ${p.message}\n`);
        }
        process.stdout.write(
          `${res.counts.files} files: ${res.ruleset.rules.length} rules ready, ${res.ruleset.correlations.length} correlations, ${res.counts.filters} filters; ${errors.length} cannot run${o.warnings ? '' : ` (${res.problems.length - errors.length} warnings, see --warnings)`}\n`,
        );
      }
      process.exitCode = errors.length ? 1 : 0;
    });

  rules
    .command('list')
    .description('List loaded rules (id, level, title, logsource)')
    .argument('[paths...]', "rule files or folders (default: Ward's own rule pack)")
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((paths: string[], o) => {
      const res = loadRules({ paths: paths.length ? paths : [builtinRules()] });
      const rows = res.ruleset.rules.map((r) => ({ id: r.rule.id, level: r.rule.level, title: r.rule.title, logsource: r.rule.logsource, file: r.rule.file, tags: r.rule.tags }));
      const corr = res.ruleset.correlations.map((c) => ({ id: c.id, level: c.level, title: c.title, correlation: c.type, file: c.file }));
      if (o.format === 'json') process.stdout.write(JSON.stringify({ rules: rows, correlations: corr }, null, 2) + '\n');
      else {
        for (const r of rows) process.stdout.write(`${r.id}  ${r.level.padEnd(13)} ${r.title}  ${pc.dim(Object.values(r.logsource).join('/'))}\n`);
        for (const c of corr) process.stdout.write(`${c.id}  ${c.level.padEnd(13)} ${c.title}  ${pc.dim(`correlation ${c.correlation}`)}\n`);
      }
    });

  rules
    .command('modifiers')
    .description('List the Sigma value modifiers and correlation types this engine supports')
    .action(() => {
      for (const [name, m] of Object.entries(modifiers)) process.stdout.write(`${name.padEnd(14)} ${m.kind.padEnd(10)} ${m.description}\n`);
      process.stdout.write(`correlation types: ${Object.keys(correlationTypes).join(', ')}\n`);
    });
  registerRulesFetch(rules);
  return rules;
}
