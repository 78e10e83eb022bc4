/**
 * `npm run conformance`: checks Ward against external references in ../shared (skips with a
 * message when absent). Runs every scripts/conformance/*.ts part, or those named on the command line.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), 'conformance');
const only = process.argv.slice(2);
const parts = readdirSync(here)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

let failed = false;
for (const f of parts) {
  console.log(`\n=== conformance: ${f.replace('.ts', '')} ===`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<boolean> };
  const ok = await mod.default();
  if (!ok) failed = true;
}
process.exitCode = failed ? 1 : 0;
