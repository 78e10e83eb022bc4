import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { hunt } from '../hunt/hunt.js';
import { formats } from '../hunt/formats.js';
import { builtinRules, checkLevel, parsePlaceholders } from '../hunt/options.js';
import { LEVELS } from '../../detect/index.js';

export function register(program: Command): void {
  program
    .command('hunt')
    .description('Run Sigma rules (and threat intel) over log files and folders, offline')
    .argument('<paths...>', 'files or folders: JSON/JSONL/NDJSON (gzip too), .evtx, syslog, FHIR AuditEvent, ATNA, HL7, EHR access logs')
    .option('-r, --rules <dirs...>', "Sigma rule files or folders (default: Ward's own rule pack)")
    .option('--intel <paths...>', 'STIX 2.1 bundles or MISP events (files or folders) to match as indicators')
    .option('--analytics [config]', 'patient-record access analytics (snooping, bulk access, bulk $export); optional site YAML merged over data/analytics/default.yaml')
    .option('--sightings <file>', 'write intel hits as a STIX 2.1 bundle of sightings')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['summary', ...Object.keys(formats)]).default('summary'))
    .addOption(new Option('--min-level <level>', 'report only hits at or above this level').choices([...LEVELS]).default('informational'))
    .option('-o, --output <file>', 'write hits to FILE (the summary still goes to the terminal)')
    .option('-t, --threads <n>', 'worker threads (files are spread across them)', (v) => Math.max(1, Number.parseInt(v, 10) || 1), 1)
    .option('--pipeline <names...>', 'logsource pipelines from data/pipelines (default: all)')
    .option('--placeholders <file>', 'YAML map of %placeholder% names to values, for rules using |expand')
    .option('--input-format <name>', 'force a reader instead of sniffing (json, evtx, syslog, fhir-audit, …)')
    .option('--max-line-bytes <n>', 'longest input line accepted, in bytes', (v) => Number.parseInt(v, 10), 16 << 20)
    .option('--no-color', 'no ANSI colours')
    .option('--no-progress', 'no progress bar')
    .option('-q, --quiet', 'no summary; only hits (with --format) and problems')
    .addHelpText(
      'after',
      `
Exit codes: 0 finished, no detections; 1 finished with detections; 2 bad usage or no input readable.
Input problems (bad lines, damaged records) are reported on stderr with file and line/offset and
do not stop the hunt. Threads available here: ${availableParallelism()}.

Examples:
  ward hunt examples/
  ward hunt ./evtx-folder --rules ~/sigma/rules --min-level high
  ward hunt logs/ --format jsonl --output hits.jsonl --threads 4`,
    )
    .action(async (paths: string[], o) => {
      const code = await hunt(paths, {
        rules: o.rules ?? [builtinRules()],
        format: o.format,
        minLevel: checkLevel(o.minLevel),
        output: o.output,
        threads: o.threads,
        pipeline: o.pipeline,
        placeholders: parsePlaceholders(o.placeholders),
        color: o.color && process.stdout.isTTY === true && !process.env.NO_COLOR,
        progress: o.progress && process.stderr.isTTY === true,
        maxLineBytes: o.maxLineBytes,
        inputFormat: o.inputFormat,
        quiet: !!o.quiet,
        intel: o.intel ?? [],
        sightings: o.sightings,
        analytics: o.analytics,
      });
      process.exitCode = code;
    });
}
