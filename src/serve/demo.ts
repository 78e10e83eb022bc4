import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS, parseBatch } from '../api/index.js';
import { packageRoot } from '../util/index.js';
import type { WardServer } from './server.js';

/**
 * `ward serve --demo`: loads the project's own synthetic example logs (examples/, written by
 * scripts/gen-examples.ts) into the first organisation, once, so a newcomer sees alerts and an
 * incident right away.
 */
export async function loadDemo(server: WardServer, dir = join(packageRoot(), 'examples')): Promise<{ files: number; events: number }> {
  const orgId = server.boot.org.id;
  if ((await server.store.countEvents(orgId)) > 0) return { files: 0, events: 0 };
  if (!existsSync(dir)) return { files: 0, events: 0 };
  let files = 0;
  let events = 0;
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(jsonl|ndjson|json)$/.test(f)) continue;
    const batch = parseBatch(readFileSync(join(dir, f), 'utf8'), { ...DEFAULT_LIMITS, maxEventsPerBatch: Number.MAX_SAFE_INTEGER });
    if (!batch.ok) continue;
    for (let i = 0; i < batch.records.length; i += 2000) {
      await server.pipeline.ingest(orgId, `demo:${f}`, batch.format, batch.records.slice(i, i + 2000));
    }
    files++;
    events += batch.records.length;
  }
  await server.pipeline.idle();
  return { files, events };
}
