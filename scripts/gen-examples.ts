/**
 * Writes Ward's example logs to examples/ (see examples/README.md for the storyline).
 *   npx tsx scripts/gen-examples.ts            write the files
 *   npx tsx scripts/gen-examples.ts --check    exit 1 if the committed files are stale
 *   npx tsx scripts/gen-examples.ts --out DIR  write somewhere else
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateExamples } from './examples/index.js';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const outIdx = argv.indexOf('--out');
  const dir = outIdx >= 0 ? argv[outIdx + 1] : join(import.meta.dirname, '..', 'examples');
  if (!dir) {
    process.stderr.write('gen-examples: --out needs a directory\n');
    return 64;
  }
  const files = generateExamples();
  let stale = 0;
  if (!check) mkdirSync(dir, { recursive: true });
  for (const f of files) {
    const path = join(dir, f.name);
    if (check) {
      const same = existsSync(path) && readFileSync(path, 'utf8') === f.text;
      if (!same) stale++;
      process.stdout.write(`${same ? 'ok     ' : 'STALE  '} ${path}\n`);
    } else {
      writeFileSync(path, f.text);
      process.stdout.write(`${String(f.events).padStart(5)} events  ${path}  (${f.description})\n`);
    }
  }
  if (stale) process.stderr.write(`gen-examples: ${stale} file(s) differ; run: npx tsx scripts/gen-examples.ts\n`);
  return stale ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
