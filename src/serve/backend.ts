import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../util/index.js';
import { flushDetectors, runBatches, type DetectionOp, type DetectionResult, type DetectorSource, type EventBatch } from './detection.js';
import type { PortableLoader } from './rules.js';

/** Where detection runs: in the main thread, or in a worker thread of the same process. */
export interface DetectionBackend {
  readonly kind: 'thread' | 'worker';
  /** Resolves once rules are loaded and detection can start. */
  ready(): Promise<void>;
  run(batches: EventBatch[]): Promise<DetectionResult>;
  flush(now: number): Promise<DetectionOp[]>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Detection in the calling thread, with the RuleManager's detectors. */
export class ThreadDetection implements DetectionBackend {
  readonly kind = 'thread';
  constructor(private readonly src: DetectorSource) {}
  async ready() {}
  async run(batches: EventBatch[]) {
    return runBatches(this.src, batches);
  }
  async flush(now: number) {
    return flushDetectors(this.src, now);
  }
  async reload() {}
  async close() {}
}

type Waiter = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/**
 * Detection in a worker thread (detect-worker.ts), so parsing, normalizing and matching events
 * never hold up the HTTP thread. Requests are answered in the order they were sent. If the worker
 * dies, what it had in hand fails and a new worker takes the next batches (the pipeline sends the
 * failed ones again, before applying anything later).
 */
export class WorkerDetection implements DetectionBackend {
  readonly kind = 'worker';
  private worker!: Worker;
  private started!: Promise<void>;
  private nextId = 1;
  private waiting = new Map<number, Waiter>();
  private closing = false;

  constructor(
    private readonly spec: PortableLoader,
    private readonly log: (m: string) => void,
  ) {
    this.spawn();
  }

  private spawn(): void {
    const w = spawnWorker(this.spec);
    this.worker = w;
    let up = false;
    let onReady: () => void;
    let onFail: (e: Error) => void;
    this.started = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    this.started.catch(() => undefined);
    w.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      if (m.id === 0) {
        up = true;
        return onReady();
      }
      const waiter = this.waiting.get(m.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      if (m.ok) waiter.resolve(m.value);
      else waiter.reject(new Error(m.error));
    });
    w.on('error', (err) => {
      this.log(`detection worker failed: ${err.stack ?? err.message}`);
      onFail(err);
    });
    w.on('exit', (code) => {
      const err = new Error(`detection worker exited (code ${code})`);
      onFail(err);
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
      // A worker that never came up (rules failed to load) is not restarted in a loop.
      if (up && !this.closing && this.worker === w) {
        this.log(`${err.message}; starting a new one`);
        this.spawn();
      }
    });
  }

  ready(): Promise<void> {
    return this.started;
  }

  private call<T>(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /**
   * Each piece's bytes are copied out of its request body (a batch may be a slice of a larger
   * body whose other pieces go to other threads) and moved, not cloned, to the worker.
   */
  run(batches: EventBatch[]) {
    const transfer: ArrayBuffer[] = [];
    const out = batches.map((b) => {
      const n = b.seqs.length;
      const base = n ? b.offsets[0] : 0;
      const buf = new Uint8Array(n ? b.offsets[2 * n - 1] - base : 0);
      buf.set(b.buf.subarray(base, base + buf.length));
      const offsets = new Uint32Array(2 * n);
      for (let i = 0; i < 2 * n; i++) offsets[i] = b.offsets[i] - base;
      const seqs = b.seqs.slice(0, n);
      transfer.push(buf.buffer, offsets.buffer, seqs.buffer);
      return { orgId: b.orgId, source: b.source, format: b.format, receivedAt: b.receivedAt, buf, offsets, seqs };
    });
    return this.call<DetectionResult>({ type: 'run', batches: out }, transfer);
  }

  flush(now: number) {
    return this.call<DetectionOp[]>({ type: 'flush', now });
  }
  async reload() {
    await this.call({ type: 'reload' });
  }
  async close() {
    this.closing = true;
    await this.worker.terminate();
  }
}

/**
 * Several detection threads, each with its own copy of the compiled rules, taking steps in turn.
 * Results come back per step and the pipeline applies them in the order it sent them, and the
 * threads hand Sigma correlation inputs out (detect-worker.ts), so the outcome is the same as with
 * one thread; only loaders whose state can be handed out that way are split (rules.ts `splittable`).
 */
export class WorkerPool implements DetectionBackend {
  readonly kind = 'worker';
  private next = 0;
  constructor(private readonly workers: WorkerDetection[]) {}
  async ready() {
    await Promise.all(this.workers.map((w) => w.ready()));
  }
  run(batches: EventBatch[]) {
    const w = this.workers[this.next];
    this.next = (this.next + 1) % this.workers.length;
    return w.run(batches);
  }
  async flush(now: number) {
    return (await Promise.all(this.workers.map((w) => w.flush(now)))).flat();
  }
  async reload() {
    await Promise.all(this.workers.map((w) => w.reload()));
  }
  async close() {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

/**
 * Detection allocates a parsed object per event that dies young: a larger young generation than
 * V8's default means fewer scavenges and fewer objects promoted while still in use (measured with
 * bench/serve.bench.ts; 96 MB costs nothing at rest).
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 96 };

function spawnWorker(spec: PortableLoader): Worker {
  return moduleWorker(import.meta.url, './detect-worker', { workerData: spec, resourceLimits: RESOURCE_LIMITS });
}

/**
 * One detection thread per core but one (the HTTP and writer threads need it), at most 4; two on
 * a two-core machine: there, over five minutes of the serve bench, two threads took 63.7 k
 * events/s (p99 825 ms) and one 54.4 k (p99 792 ms), as the writer thread leaves CPU unused
 * (docs/performance.md).
 */
export function defaultDetectionThreads(cores = availableParallelism()): number {
  return cores <= 1 ? 1 : Math.min(4, Math.max(2, cores - 1));
}
