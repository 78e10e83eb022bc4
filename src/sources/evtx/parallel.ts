import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { moduleWorker, type Problem } from '../../util/index.js';
import { CHUNK_SIZE } from './chunk-header.js';
import { FILE_HEADER_SIZE } from './file-header.js';
import { renderJson } from './json.js';
import { walkEvtxFileSync } from './reader.js';
import { renderXml } from './xml.js';

/**
 * Parallel EVTX dumping on worker threads. Jobs (whole files, or chunk ranges of one file — EVTX
 * chunks are self-contained, so a big file splits cleanly) are handed to the next idle worker;
 * output is written in job order, so the result equals a sequential dump.
 */
export type DumpFormat = 'jsonl' | 'xml' | 'render' | 'count';

export interface DumpJob {
  index: number;
  file: string;
  format: DumpFormat;
  chunkFrom?: number;
  chunkTo?: number;
}

export type DumpReply =
  | { type: 'data'; index: number; text: string }
  | { type: 'problem'; index: number; problem: Problem }
  | { type: 'done'; index: number; records: number; badRecords: number };

export interface DumpOptions {
  format: DumpFormat;
  /** Worker threads; 1 (or less) runs in this thread. Default: available cores. */
  threads?: number;
  write?: (text: string) => void | Promise<void>;
  problem?: (p: Problem) => void;
}

export interface DumpTotals {
  records: number;
  badRecords: number;
  problems: number;
}

export type DumpInput = string | { file: string; chunkFrom: number; chunkTo: number };

/** Chunks per job when a big file is split (16 MiB: start-up and messaging stay negligible). */
export const RANGE_CHUNKS = 256;

/**
 * Splits files larger than `rangeChunks` chunks into chunk ranges, so one big Security.evtx keeps
 * every core busy; output order is unchanged (jobs are written in order).
 */
export function splitInputs(files: string[], rangeChunks = RANGE_CHUNKS): DumpInput[] {
  const out: DumpInput[] = [];
  for (const file of files) {
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      out.push(file); // the walker reports the error
      continue;
    }
    const chunks = Math.ceil(Math.max(0, size - FILE_HEADER_SIZE) / CHUNK_SIZE);
    if (chunks <= rangeChunks) {
      out.push(file);
      continue;
    }
    for (let c = 0; c < chunks; c += rangeChunks) out.push({ file, chunkFrom: c, chunkTo: Math.min(chunks, c + rangeChunks) });
  }
  return out;
}

function spawn(): Worker {
  return moduleWorker(import.meta.url, './dump-worker');
}

function jobOf(input: DumpInput, index: number, format: DumpFormat): DumpJob {
  return typeof input === 'string' ? { index, file: input, format } : { index, format, ...input };
}

/** Dumps in this thread (threads ≤ 1). */
async function dumpHere(inputs: DumpInput[], o: DumpOptions): Promise<DumpTotals> {
  const totals: DumpTotals = { records: 0, badRecords: 0, problems: 0 };
  for (let i = 0; i < inputs.length; i++) {
    const job = jobOf(inputs[i], i, o.format);
    let parts: string[] = [];
    const s = walkEvtxFileSync(
      job.file,
      {
        record(root) {
          if (o.format === 'count') return;
          if (o.format === 'render') {
            renderJson(root);
            return;
          }
          parts.push(o.format === 'xml' ? renderXml(root) + '\n' : JSON.stringify(renderJson(root)) + '\n');
        },
        problem(p) {
          totals.problems++;
          o.problem?.(p);
        },
      },
      job.chunkFrom === undefined ? undefined : { chunkFrom: job.chunkFrom, chunkTo: job.chunkTo ?? Infinity },
    );
    totals.records += s.records;
    totals.badRecords += s.badRecords;
    if (parts.length && o.write) await o.write(parts.join(''));
    parts = [];
  }
  return totals;
}

export async function dumpEvtx(inputs: DumpInput[], o: DumpOptions): Promise<DumpTotals> {
  const threads = Math.min(o.threads ?? availableParallelism(), inputs.length);
  if (threads <= 1) return dumpHere(inputs, o);
  const pool = new EvtxWorkerPool(threads);
  try {
    return await pool.run(inputs, o);
  } finally {
    await pool.close();
  }
}

/**
 * Worker threads kept alive across runs (the benchmark warms them up once; a long-lived service
 * would too). One run at a time.
 */
export class EvtxWorkerPool {
  private workers: Worker[] = [];

  constructor(readonly threads: number) {
    for (let t = 0; t < threads; t++) this.workers.push(spawn());
  }

  run(inputs: DumpInput[], o: DumpOptions): Promise<DumpTotals> {
    const totals: DumpTotals = { records: 0, badRecords: 0, problems: 0 };
    const pending = new Map<number, { texts: string[]; done: boolean }>();
    let head = 0;
    let next = 0;
    let finished = 0;
    let writing = Promise.resolve();
    const workers = this.workers;

    return new Promise<DumpTotals>((resolve, reject) => {
      if (inputs.length === 0) return resolve(totals);
      const drain = () => {
        // Write what the head job has produced; move past jobs that are complete.
        for (;;) {
          const slot = pending.get(head);
          if (!slot) return;
          const texts = slot.texts;
          slot.texts = [];
          for (const t of texts) if (o.write) writing = writing.then(() => o.write!(t));
          if (!slot.done) return;
          pending.delete(head);
          head++;
        }
      };
      const feed = (w: Worker) => {
        if (next >= inputs.length) return;
        pending.set(next, { texts: [], done: false });
        w.postMessage(jobOf(inputs[next], next, o.format));
        next++;
      };
      const cleanup = () => {
        for (const w of workers) {
          w.removeAllListeners('message');
          w.removeAllListeners('error');
        }
      };
      for (const w of workers) {
        w.on('message', (m: DumpReply) => {
          const slot = pending.get(m.index);
          if (m.type === 'data') slot?.texts.push(m.text);
          else if (m.type === 'problem') {
            totals.problems++;
            o.problem?.(m.problem);
          } else {
            totals.records += m.records;
            totals.badRecords += m.badRecords;
            if (slot) slot.done = true;
            finished++;
            feed(w);
          }
          drain();
          if (finished === inputs.length) {
            cleanup();
            writing.then(() => resolve(totals), reject);
          }
        });
        w.on('error', (err) => {
          cleanup();
          reject(err);
        });
        feed(w);
      }
    });
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.postMessage(null);
    await Promise.all(this.workers.map((w) => new Promise((r) => w.once('exit', r))));
    this.workers = [];
  }
}
