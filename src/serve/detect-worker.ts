/**
 * A detection thread of `ward serve`: the same compiled engine as the main thread would run,
 * built from the loader's arguments, one detector per organisation. It receives stored event
 * batches (bytes, never parsed objects), and answers with plain-data results; the alert engine,
 * Sigma correlations and the store stay in the main thread, so several of these threads may match
 * one organisation's events side by side (backend.ts). Messages: see backend.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Detector } from '../detect/index.js';
import { flushDetectors, runBatches, type DetectorSource, type EventBatch } from './detection.js';
import type { LoadedRules, PortableLoader } from './rules.js';
import { sigmaRuleLoader } from './sigma.js';

const spec = workerData as PortableLoader;
const port = parentPort!;
const loader = sigmaRuleLoader(spec.dirs, spec.intelPaths, spec.analytics);
let loaded: LoadedRules = await loader();
const detectors = new Map<string, Detector>();
const src: DetectorSource = {
  correlationInputs: [],
  detector(orgId) {
    let d = detectors.get(orgId);
    if (!d) detectors.set(orgId, (d = loaded.createDetector(orgId, { correlationSink: (i) => src.correlationInputs!.push(i) })));
    return d;
  },
  allDetectors: () => [...detectors],
};

port.on('message', async (m: { id: number; type: string; batches?: EventBatch[]; now?: number }) => {
  try {
    let value: unknown;
    if (m.type === 'run') value = runBatches(src, m.batches!);
    else if (m.type === 'flush') value = flushDetectors(src, m.now ?? Date.now());
    else if (m.type === 'reload') {
      loaded = await loader();
      detectors.clear();
    }
    port.postMessage({ id: m.id, ok: true, value });
  } catch (err) {
    port.postMessage({ id: m.id, ok: false, error: (err as Error).stack ?? String(err) });
  }
});
port.postMessage({ id: 0, ok: true, value: 'ready' });
