import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints in a background thread. A checkpoint copies committed pages from the WAL into
 * the database file and syncs it: with the default auto-checkpoint, the connection that commits an
 * event batch does that work (and waits for the disk) before the batch is acknowledged. Here a
 * second connection runs `wal_checkpoint(PASSIVE)` every `intervalMs` (PASSIVE never blocks the
 * writer; once the whole WAL is copied, the next commit starts it over from the beginning, so it
 * stays small). The writer keeps a high auto-checkpoint as a backstop should this thread stall.
 * Every 20 ms: many small syncs of the database file disturb the commits' own syncs far less than
 * fewer large ones (bench/serve.bench.ts: append p99 584 ms at 200 ms, 387 at 50, 223 at 20).
 */
const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.synchronous);
let stopping = false;
const run = () => {
  if (stopping) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err && err.message)); }
  setTimeout(run, workerData.intervalMs);
};
parentPort.on('message', () => { stopping = true; try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); process.exit(0); });
run();
`;

export class Checkpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | undefined;

  constructor(file: string, synchronous: string, intervalMs = 20, log: (m: string) => void = () => undefined) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(CODE, { eval: true, workerData: { file, synchronous, intervalMs, module } });
    this.worker.on('message', (m: string) => log(`checkpoint: ${m}`));
    this.worker.on('error', (err) => log(`checkpoint thread failed: ${err.message}`));
    this.worker.unref();
  }

  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      // Keep the process alive until the thread is gone: the caller (store.close) goes on after.
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
      setTimeout(() => void this.worker.terminate(), 2000).unref();
    });
    return this.stopped;
  }
}
