import { Worker } from 'node:worker_threads';
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

const EMPTY = new Uint8Array(0);

type Waiter = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/**
 * Detection in a worker thread (detect-worker.ts), so parsing, normalizing and matching events
 * never hold up the HTTP thread. Requests are answered in the order they were sent. If the worker
 * dies, what it had in hand fails (those events stay stored past the cursor, and are detected at
 * the next start, as after a crash) and a new worker takes the next batches.
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
      this.sentBufs.clear();
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

  /** Request bodies whose bytes the worker holds (sent with an earlier piece). */
  private sentBufs = new Set<number>();

  /**
   * A body's bytes cross once, with its first piece, and are moved rather than copied when the
   * body owns its ArrayBuffer (bodies above 4 KiB do): it was stored already, and this thread does
   * not read it again. Later pieces name the bytes by `bufId`.
   */
  run(batches: EventBatch[]) {
    const transfer: ArrayBuffer[] = [];
    const out: EventBatch[] = [];
    for (const b of batches) {
      const n = b.seqs.length;
      const piece = { ...b, offsets: b.offsets.slice(0, 2 * n), seqs: b.seqs.slice() };
      if (b.bufId !== undefined && this.sentBufs.has(b.bufId)) {
        piece.buf = EMPTY;
        if (b.last) this.sentBufs.delete(b.bufId);
      } else {
        if (n > 0 && b.buf.byteLength < b.offsets[2 * n - 1]) {
          // Moved to a worker that has since died: these events are detected at the next start.
          return Promise.reject(new Error(`event bytes of batch ${b.bufId} were lost with a detection worker`));
        }
        const ab = b.buf.buffer;
        if (ab instanceof ArrayBuffer && b.buf.byteOffset === 0 && b.buf.byteLength === ab.byteLength && !transfer.includes(ab)) transfer.push(ab);
        if (b.bufId !== undefined && !b.last) this.sentBufs.add(b.bufId);
      }
      out.push(piece);
    }
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
 * Detection allocates a parsed object per event that dies young: a larger young generation than
 * V8's default means fewer scavenges and fewer objects promoted while still in use (measured with
 * bench/serve.bench.ts; 96 MB costs nothing at rest).
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 96 };

function spawnWorker(spec: PortableLoader): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Running from source (tsx, vitest): register tsx's loader inside the worker, then load it.
    const url = new URL('./detect-worker.ts', here).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(boot, { eval: true, workerData: spec, resourceLimits: RESOURCE_LIMITS });
  }
  return new Worker(new URL('./detect-worker.js', here), { workerData: spec, resourceLimits: RESOURCE_LIMITS });
}
