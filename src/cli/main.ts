#!/usr/bin/env node
import { Command } from 'commander';
import { commands } from './commands/index.js';

const program = new Command();
program
  .name('ward')
  .description('Ward: detect, respond to and share cyberattacks on hospitals')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  process.stderr.write(`ward: ${e?.message ?? String(err)}\n`);
  process.exitCode = typeof e?.code === 'string' && e.code.startsWith('usage') ? 64 : 1;
});
