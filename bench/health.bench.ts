/**
 * Health readers + layouts throughput on simulator output: FHIR AuditEvent NDJSON, ATNA syslog,
 * HL7 v2, EHR access CSV. Peer, measured in the same run on the same file: the I/O-and-split
 * floor (read the file, split lines, and for NDJSON JSON.parse each line) — the ratio says what
 * the parsing and normalization on top of it cost.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atnaReader, ehrAccessReader, fhirAuditReader, hl7Reader, type SourceReader } from '../src/sources/index.js';
import { normalize } from '../src/normalize/index.js';
import { simulate } from '../src/sim/index.js';

async function viaReader(reader: SourceReader, file: string): Promise<{ n: number; ms: number }> {
  const t = performance.now();
  let n = 0;
  for await (const batch of reader.read(file)) {
    for (const it of batch) {
      if (it.kind === 'record') {
        normalize(it.data, it.loc, it.format);
        n++;
      }
    }
  }
  return { n, ms: performance.now() - t };
}

function floor(file: string, json: boolean): number {
  const t = performance.now();
  const lines = readFileSync(file, 'utf8').split('\n');
  let n = 0;
  for (const l of lines) {
    if (!l) continue;
    if (json) JSON.parse(l);
    n++;
  }
  void n;
  return performance.now() - t;
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-health-'));
  try {
    const t0 = performance.now();
    const sim = simulate({ out: dir, seed: 99, days: 3, beds: 500, scenarios: [1, 2, 3, 4] });
    const simMs = performance.now() - t0;
    const total = Object.values(sim.files).reduce((a, b) => a + b, 0);
    console.log(`simulator: ${total} events (3 days, 500 beds) in ${(simMs / 1000).toFixed(2)} s = ${Math.round(total / (simMs / 1000))} events/s`);
    const cases: [string, SourceReader, string, boolean][] = [
      ['FHIR AuditEvent NDJSON', fhirAuditReader, 'fhir/audit.ndjson', true],
      ['ATNA syslog + XML', atnaReader, 'atna/pacs-audit.log', false],
      ['HL7 v2 ADT', hl7Reader, 'hl7/adt.hl7', false],
      ['EHR access CSV', ehrAccessReader, 'ehr/access.csv', false],
    ];
    for (const [name, reader, rel, json] of cases) {
      const file = join(dir, rel);
      const mb = statSync(file).size / 1e6;
      await viaReader(reader, file); // warm-up
      const r = await viaReader(reader, file);
      const peer = floor(file, json);
      console.log(
        `${name.padEnd(24)} ${String(r.n).padStart(7)} events ${mb.toFixed(1).padStart(6)} MB  ${Math.round(r.n / (r.ms / 1000)).toString().padStart(8)} ev/s  ${(mb / (r.ms / 1000)).toFixed(1).padStart(6)} MB/s` +
          `  vs ${json ? 'split+JSON.parse' : 'split'} floor ${(r.ms / peer).toFixed(1)}x slower`,
      );
    }
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
