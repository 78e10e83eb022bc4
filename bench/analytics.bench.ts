/**
 * Access analytics throughput on simulator output (3 days, 500 beds, scenarios 3 and 4): record
 * accesses judged per second in batch and stream mode, and snapshot size. Peer, measured in the
 * same run on the same events: reading and normalizing them (the health readers) — the ratio says
 * what the analytics cost on top of getting the events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccessAnalytics, runPaths } from '../src/detect/index.js';
import type { WardEvent } from '../src/normalize/index.js';
import { simulate } from '../src/sim/index.js';

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-analytics-'));
  try {
    simulate({ out: dir, seed: 98, days: 3, beds: 500, scenarios: [3, 4] });
    const inputs = ['hl7', 'ehr', 'fhir'].map((d) => join(dir, d));
    const events: WardEvent[] = [];
    const t0 = performance.now();
    for await (const u of runPaths(inputs, [], { onEvent: (e) => events.push(e) })) void u;
    const readMs = performance.now() - t0;
    events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    const reference = { roster: join(dir, 'hospital', 'staff.csv'), patients: join(dir, 'hospital', 'patients.csv'), careTeams: join(dir, 'hospital', 'encounters.csv') };
    for (const mode of ['batch', 'stream'] as const) {
      let judged = 0;
      const det = createAccessAnalytics({ mode, reference }, { onScore: () => judged++ });
      const t = performance.now();
      let alerts = 0;
      for (const e of events) alerts += det.process(e).length;
      alerts += det.flush().length;
      const ms = performance.now() - t;
      const ts = performance.now();
      const snap = det.snapshot();
      const snapMs = performance.now() - ts;
      console.log(`${mode.padEnd(6)}: ${events.length} events, ${judged} accesses judged in ${ms.toFixed(0)} ms = ${Math.round(judged / (ms / 1000))} accesses/s, ${alerts} alerts; ` +
        `snapshot ${(snap.length / 1e6).toFixed(1)} MB in ${snapMs.toFixed(0)} ms; vs reading+normalizing the same events (${readMs.toFixed(0)} ms): ${(ms / readMs).toFixed(2)}×`);
    }
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
