#!/usr/bin/env node
// Entry point for the `ward` binary. `npm ci` runs `prepare`, which compiles src/ to dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('ward: dist/ is missing; run `npm run build` (npm ci does it for you)\n');
  process.exit(70);
}
await import(entry.href);
