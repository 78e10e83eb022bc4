import { parentPort, workerData } from 'node:worker_threads';
import type { PortableCorrelationInput } from '../../detect/index.js';
import { buildEngine, atLeast, engineInfo, runFile } from './engine.js';
import { toRecord } from './record.js';
import type { WorkerCommand, WorkerInit, WorkerMessage } from './worker-protocol.js';

/** A `ward hunt --threads N` worker: its own copy of the engine over its share of the files. */
async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  let corr: PortableCorrelationInput[] = [];
  const engine = buildEngine(init, { correlationSink: (i) => corr.push(i) });
  post({ type: 'ready', info: engineInfo(engine) });
  // The main thread reports the rules (from the first worker ready) before any hit is written.
  const cmd = await new Promise<WorkerCommand>((resolve) => parentPort!.once('message', resolve));
  if (cmd.type !== 'go') return;
  const keep = atLeast(init.minLevel);
  for (const file of init.files) {
    for await (const u of runFile(file, engine.detectors, { maxLineBytes: init.maxLineBytes, format: init.inputFormat })) {
      const hits = u.detections.filter((d) => keep(d.rule.level)).map(toRecord);
      post({ type: 'batch', hits, problems: u.problems, events: u.events, file: u.file, fileDone: u.fileDone });
      if (corr.length) {
        post({ type: 'corr', inputs: corr });
        corr = [];
      }
    }
  }
  post({ type: 'done' });
}

main().catch((err: unknown) => parentPort!.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) } satisfies WorkerMessage));
