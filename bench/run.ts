/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (or those named on the command line, e.g.
 * `npm run bench -- sigma evtx`). Each benchmark prints its own figures, a ratio against a peer
 * measured in the same run, and peak RSS. Benchmarks that need ../shared data skip with a message.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

for (const f of files) {
  console.log(`\n=== ${f.replace('.bench.ts', '')} ===`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<void> };
  try {
    await mod.default();
  } catch (err) {
    console.error(`bench ${f} failed:`, err);
    process.exitCode = 1;
  }
}
