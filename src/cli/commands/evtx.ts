import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { once } from 'node:events';
import { dumpEvtx, splitEvtxInputs, type DumpFormat } from '../../sources/index.js';
import { problemToString, WardError } from '../../util/index.js';

/**
 * `ward evtx dump FILE...`: Windows .evtx → JSON lines (the Rust evtx_dump shape that `ward hunt`
 * and Sigma pipelines expect) or Windows-style XML. Files are read in parallel on worker threads;
 * output keeps the order of the files given.
 */
export function register(program: Command): void {
  const evtx = program.command('evtx').description('Work with Windows event log (.evtx) files');
  evtx
    .command('dump')
    .description('Print the records of .evtx files as JSON lines or XML')
    .argument('<files...>', '.evtx files')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['jsonl', 'xml']).default('jsonl'))
    .option('-t, --threads <n>', 'worker threads (files, and 16 MiB chunk ranges of big files, are spread across them)', (v) => Number.parseInt(v, 10), availableParallelism())
    .addHelpText(
      'after',
      `
Damaged chunks and records are reported on stderr with the file, byte offset and record id; every
readable record is still printed. Exit code: 0 all records read, 1 some records or chunks were
damaged, 2 bad usage.

JSON follows the Rust evtx_dump tool: {"Event":{"System":{…},"EventData":{…}}}, integers as
numbers, hex unpadded ("0x3e7"), GUIDs without braces, attributes under "#attributes".

Examples:
  ward evtx dump Security.evtx > security.jsonl
  ward evtx dump logs/*.evtx --threads 4 | jq .Event.System.EventID
  ward evtx dump Sysmon.evtx --format xml`,
    )
    .action(async (files: string[], o: { format: DumpFormat; threads: number }) => {
      if (!Number.isFinite(o.threads) || o.threads < 1) throw new WardError('usage.threads', '--threads must be a positive integer');
      const out = process.stdout;
      // `ward evtx dump big.evtx | head` closes the pipe early: that is the reader's choice, not an error.
      out.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw err;
      });
      // Big files are split into chunk ranges so a single large log also uses every thread.
      const inputs = o.threads > 1 ? splitEvtxInputs(files) : files;
      const totals = await dumpEvtx(inputs, {
        format: o.format,
        threads: o.threads,
        async write(text) {
          if (!out.write(text)) await once(out, 'drain');
        },
        problem(p) {
          process.stderr.write(`ward evtx: ${problemToString(p)}\n`);
        },
      });
      if (totals.problems > 0) {
        process.stderr.write(`ward evtx: ${totals.records} records, ${totals.badRecords} damaged records, ${totals.problems} problems\n`);
        process.exitCode = 1;
      }
    });
}
