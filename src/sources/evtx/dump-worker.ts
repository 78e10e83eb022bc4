/**
 * Worker thread body for parallel EVTX dumping: receives jobs (a file, optionally a chunk range),
 * renders records and posts text back in batches. See parallel.ts.
 */
import { parentPort } from 'node:worker_threads';
import { renderJson } from './json.js';
import type { DumpJob, DumpReply } from './parallel.js';
import { walkEvtxFileSync } from './reader.js';
import { renderXml } from './xml.js';

const BATCH_BYTES = 1 << 20;

parentPort!.on('message', (job: DumpJob | null) => {
  if (job === null) {
    parentPort!.close();
    return;
  }
  const post = (m: DumpReply) => parentPort!.postMessage(m);
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length) post({ type: 'data', index: job.index, text: parts.join('') });
    parts = [];
    size = 0;
  };
  try {
    const summary = walkEvtxFileSync(
      job.file,
      {
        record(root) {
          if (job.format === 'count') return;
          if (job.format === 'render') {
            renderJson(root);
            return;
          }
          const text = job.format === 'xml' ? renderXml(root) + '\n' : JSON.stringify(renderJson(root)) + '\n';
          parts.push(text);
          size += text.length;
          if (size >= BATCH_BYTES) flush();
        },
        problem(problem) {
          post({ type: 'problem', index: job.index, problem });
        },
      },
      job.chunkFrom === undefined ? undefined : { chunkFrom: job.chunkFrom, chunkTo: job.chunkTo ?? Infinity },
    );
    flush();
    post({ type: 'done', index: job.index, records: summary.records, badRecords: summary.badRecords });
  } catch (err) {
    flush();
    post({ type: 'problem', index: job.index, problem: { code: 'evtx.io', message: (err as Error).message, location: { file: job.file } } });
    post({ type: 'done', index: job.index, records: 0, badRecords: 0 });
  }
});
