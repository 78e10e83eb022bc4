import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../../util/index.js';
import type { EventInput, LinesInput } from '../app/index.js';
import type { RowBatch } from './writes.js';

/**
 * The writer thread: a second connection that makes the store's high-rate writes (writes.ts) so
 * that the thread serving HTTP never waits for the disk. With synchronous=FULL every commit waits
 * for its bytes to reach the disk (a 5,000-event request is ~6 MB of WAL): done on the main thread,
 * that wait stopped requests being read, validated and answered and detection results being
 * applied (bench/serve.bench.ts). Appends are made in the order asked for, and saves in theirs (a
 * save may overtake appends still waiting: writer-thread.ts); a promise settles once its
 * transaction committed, so acknowledgement still follows durability, and the store's own
 * connection, reading in WAL mode, sees the rows as soon as it does.
 */
type Call =
  | { type: 'lines'; orgId: string; lines: LinesInput }
  | { type: 'events'; orgId: string; events: EventInput[] }
  | { type: 'rows'; batch: RowBatch };

type Waiter = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class WriterThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly synchronous: string,
  ) {}

  appendLines(orgId: string, lines: LinesInput): Promise<Float64Array> {
    // A view into a larger allocation would be cloned whole: send only its own bytes.
    const b = lines.buf;
    const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
    return this.call({ type: 'lines', orgId, lines: own ? lines : { ...lines, buf: new Uint8Array(b) } });
  }
  appendEvents(orgId: string, events: EventInput[]): Promise<number[]> {
    return this.call({ type: 'events', orgId, events });
  }
  saveRows(batch: RowBatch): Promise<void> {
    return this.call({ type: 'rows', batch });
  }

  private readonly pending = new Set<Promise<unknown>>();

  private call<T>(c: Call): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    const w = (this.worker ??= this.spawn());
    const id = this.nextId++;
    const p = new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ ...c, id });
    });
    // A pending write keeps the process alive (a script awaiting it must not exit first); an idle
    // thread does not.
    if (this.pending.size === 0) w.ref();
    this.pending.add(p);
    const done = () => {
      this.pending.delete(p);
      if (this.pending.size === 0) w.unref();
    };
    p.then(done, done);
    return p;
  }

  /** Started on first use; a thread that died is replaced at the next write (the failed ones were not acknowledged). */
  private spawn(): Worker {
    const w = spawnWriter({ file: this.file, synchronous: this.synchronous });
    w.on('message', (m: { id: number; value?: unknown; error?: string }) => {
      const waiter = this.waiting.get(m.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) waiter.reject(new Error(m.error));
      else waiter.resolve(m.value);
    });
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`store writer thread exited (code ${code})`)));
    w.unref();
    return w;
  }

  /** Waits for the writes in hand, then stops the thread. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    const w = this.worker;
    if (!w) return;
    w.ref();
    await new Promise<void>((resolve) => {
      w.once('exit', () => resolve());
      w.postMessage({ type: 'stop' });
    });
  }
}

function spawnWriter(data: { file: string; synchronous: string }): Worker {
  return moduleWorker(import.meta.url, './writer-thread', { workerData: data });
}
