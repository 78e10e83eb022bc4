/**
 * Writes test/fixtures/evtx/sample.evtx (the fixture built by fixtures.ts) so other suites and the
 * CLI docs can use a real file. Run: npx tsx test/evtx/helpers/make-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSampleFile } from './fixtures.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'evtx', 'sample.evtx');
writeFileSync(out, buildSampleFile());
console.log(`wrote ${out}`);
