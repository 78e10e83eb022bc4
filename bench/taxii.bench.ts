/**
 * TAXII 2.1 serving throughput (issue 3, acceptance 3): 100 000 STIX indicators (mixed TLP, with
 * descriptions for the PHI guard to scan) in a SQLite store, read back over real HTTP by Ward's
 * TAXII client in pages of 1000 (each page: auth, store query, TLP filter, PHI guard, JSON).
 * Peer, same run and same objects: a raw store read in pages of 1000 (query + JSON.parse only),
 * i.e. the floor the HTTP path is compared to. Also: insert rate, manifest rate, peak RSS.
 * WARD_BENCH_TAXII_N changes the object count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTaxiiServer } from '../src/api/taxii/index.js';
import { TaxiiClient } from '../src/share/index.js';
import { TLP2_MARKING_IDS } from '../src/stix/index.js';
import { openSqliteStixStore, type StixObject } from '../src/store/index.js';

const N = Number(process.env.WARD_BENCH_TAXII_N ?? 100_000);
const PAGE = 1000;
const TOKEN = 'bench-admin-token-0123456789abcdef';
const levels = [TLP2_MARKING_IDS.clear, TLP2_MARKING_IDS.green, TLP2_MARKING_IDS.amber];

function indicator(i: number): StixObject {
  const hex = i.toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${hex}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: `C2 server ${i}`,
    description: `Command and control address seen in campaign ${i % 97} against hospital networks`,
    pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    indicator_types: ['malicious-activity'],
    object_marking_refs: [levels[i % levels.length]],
  };
}

function mb(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MB`;
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-taxii-'));
  const store = await openSqliteStixStore(join(dir, 'taxii.db'));
  try {
    const col = (await store.createCollection({ title: 'bench' })).id;
    let t = performance.now();
    for (let i = 0; i < N; i += 5000) {
      const batch: StixObject[] = [];
      for (let j = i; j < Math.min(N, i + 5000); j++) batch.push(indicator(j));
      await store.addObjects(col, batch);
    }
    const insertS = (performance.now() - t) / 1000;
    console.log(`stored ${N} objects in ${insertS.toFixed(2)} s (${Math.round(N / insertS)} objects/s, SQLite WAL)`);

    // Peer: raw store paging, same page size, same objects.
    t = performance.now();
    let raw = 0;
    let next: string | undefined;
    do {
      const p = await store.query(col, { limit: PAGE, next });
      raw += p.items.length;
      next = p.more ? p.next : undefined;
    } while (next);
    const rawS = (performance.now() - t) / 1000;

    const server = await startTaxiiServer({ dataDir: dir, port: 0, adminToken: TOKEN, store });
    try {
      const client = new TaxiiClient(`${server.url}/taxii2/`, { token: TOKEN });
      await client.apiRoot(); // discovery and the admin token's scrypt, outside the timing
      await client.getObjects(col, { limit: 1 });
      t = performance.now();
      let served = 0;
      let pages = 0;
      for await (const page of client.allObjects(col, { limit: PAGE })) {
        served += page.items.length;
        pages++;
      }
      const httpS = (performance.now() - t) / 1000;

      t = performance.now();
      let manifest = 0;
      let mnext: string | undefined;
      do {
        const p = await client.manifest(col, { limit: PAGE, next: mnext });
        manifest += p.items.length;
        mnext = p.more ? p.next : undefined;
      } while (mnext);
      const manS = (performance.now() - t) / 1000;

      if (served !== N || raw !== N || manifest !== N) throw new Error(`count mismatch: served ${served}, raw ${raw}, manifest ${manifest}, expected ${N}`);
      console.log(`TAXII GET objects over HTTP: ${served} objects in ${pages} pages of ${PAGE}: ${httpS.toFixed(2)} s = ${Math.round(served / httpS)} objects/s (TLP + PHI guard on)`);
      console.log(`TAXII GET manifest over HTTP: ${Math.round(manifest / manS)} entries/s`);
      console.log(`peer, raw store read (same pages, no HTTP/TLP/PHI): ${Math.round(raw / rawS)} objects/s`);
      console.log(`ratio TAXII/raw store: ${(served / httpS / (raw / rawS)).toFixed(2)}×`);
    } finally {
      await server.close();
    }
    console.log(`peak RSS: ${mb(process.resourceUsage().maxRSS)}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
