import { AlertEngine, fromPortable, type Alert, type AlertChange, type Incident } from '../alerts/index.js';
import type { Admission, IngestRecord, IngestSink, RawLines } from '../api/index.js';
import type { AppStore, EventInput } from '../store/index.js';
import type { Detection } from '../detect/index.js';
import { defaultDetectionThreads, ThreadDetection, WorkerDetection, WorkerPool, type DetectionBackend } from './backend.js';
import { batchEvents, storedBatches, type DetectionOp, type DetectionResult, type EventBatch } from './detection.js';
import { Histogram, RateMeter } from './rate.js';
import { splittable, type RuleManager } from './rules.js';

export interface PipelineOptions {
  /** Events stored but not yet through detection; beyond this, ingestion answers 503. */
  maxQueue?: number;
  /** Request bytes being received and written at once; beyond this, ingestion answers 429. */
  maxInflightBytes?: number;
  /** Events per detection round trip (and per detection transaction). */
  detectBatch?: number;
  /**
   * Refuse new batches (503) when the backlog would take detection longer than this to clear, at
   * its measured cost per event: keeps event-to-alert latency and memory bounded under overload.
   * Default 250 ms: enough queued work to keep detection busy (three 2,000-event steps in flight
   * are ~100 ms of it), little enough that receipt-to-alert stays well under a second.
   */
  maxLagMs?: number;
  /** How long a request may wait for room in the backlog before its 503 (admitWhenReady). */
  maxWaitMs?: number;
  /**
   * Detection steps that complete within this many milliseconds are saved in one transaction
   * (alerts, incidents, cursor): fewer commits and incident rewrites under load, at most this
   * much added to event-to-alert latency.
   */
  saveEveryMs?: number;
  /**
   * Run detection in a worker thread when the rule loader can be rebuilt there (default true);
   * hand-written loaders (tests) always run in the main thread.
   */
  worker?: boolean;
  /**
   * Detection threads (default: backend.ts defaultDetectionThreads). Loaders whose detectors keep state
   * that cannot be handed out (intel over several observations, access analytics) use one.
   */
  detectionThreads?: number;
  cursorName?: string;
  log?: (msg: string) => void;
}

export const DETECT_CURSOR = 'detect';

type IngestResult = { accepted: number; firstSeq?: number; lastSeq?: number };

/**
 * Ingestion and live detection. The write-ahead rule: events are appended to the store in one
 * transaction and only then acknowledged and queued for detection. Detection (in a worker thread
 * when possible, see backend.ts) gets the stored bytes; its results are applied here, and the
 * alerts, incidents and the "detected up to" cursor are saved in one transaction, so after a crash
 * `recover()` re-runs exactly the stored events past the cursor, and no acknowledged event goes
 * undetected.
 */
export class Pipeline implements IngestSink {
  readonly engine: AlertEngine;
  private readonly backend: DetectionBackend;
  private queue: EventBatch[] = [];
  private queuedEvents = 0;
  private inflightBytes = 0;
  private scheduled = false;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly maxQueue: number;
  private readonly maxInflight: number;
  private readonly batchSize: number;
  private readonly maxLagMs: number;
  private readonly cursorName: string;
  private readonly log: (m: string) => void;
  readonly rates = new RateMeter();
  /** Milliseconds from receipt to the alert being stored, per detection, since start. */
  readonly latency = new Histogram();
  detectedUpTo = 0;
  /** Highest sequence number stored by this process (or found at recovery). */
  lastSeq = 0;
  counters = { events: 0, detections: 0, normalizeErrors: 0, detectorErrors: 0, rejected: 0, detectBusyMs: 0, detected: 0, screened: 0, skipped: 0 };
  private listeners = new Set<(changes: AlertChange[]) => void>();
  /** Requests waiting for room in the detection backlog (admitWhenReady), oldest first. */
  private waiters: (() => void)[] = [];
  private readonly maxWaitMs: number;
  private readonly saveEveryMs: number;
  /** Detection results applied to the alert engine but not saved yet (see drain). */
  private unsaved: Unsaved | undefined;
  private lastSave = 0;

  constructor(
    private readonly store: AppStore,
    private readonly rules: RuleManager,
    engine?: AlertEngine,
    opts: PipelineOptions = {},
  ) {
    this.engine = engine ?? new AlertEngine();
    this.maxQueue = opts.maxQueue ?? 50_000;
    this.maxInflight = opts.maxInflightBytes ?? 256 * 1024 * 1024;
    this.batchSize = opts.detectBatch ?? 2000;
    this.maxLagMs = opts.maxLagMs ?? 250;
    this.maxWaitMs = opts.maxWaitMs ?? 2000;
    this.saveEveryMs = opts.saveEveryMs ?? 150;
    this.cursorName = opts.cursorName ?? DETECT_CURSOR;
    this.log = opts.log ?? (() => undefined);
    const portable = rules.portable;
    if (portable && opts.worker !== false) {
      const n = splittable(portable) ? Math.max(1, Math.floor(opts.detectionThreads ?? defaultDetectionThreads())) : 1;
      const pool = new WorkerPool(Array.from({ length: n }, () => new WorkerDetection(portable, this.log)));
      this.backend = pool;
      this.threads = n;
      rules.onReload(() => pool.reload());
    } else this.backend = new ThreadDetection(rules);
  }

  /** Detection's cost per event (ms of a thread's time), a moving average over recent steps. */
  private detectCostMs: number | undefined;
  /** Detection threads besides this one (0: detection runs in this thread). */
  readonly threads: number = 0;

  /** 'worker' when detection runs in its own thread(s). */
  get detection(): 'thread' | 'worker' {
    return this.backend.kind;
  }

  get queued(): number {
    return this.queuedEvents;
  }

  onChanges(fn: (changes: AlertChange[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Admission control before a body is read: a full detection backlog is 503 (the server is
   * behind; retry later), too many bytes in flight is 429 (slow down). Both carry Retry-After.
   */
  admit(_orgId: string, bytes: number): Admission {
    const a = this.check(bytes);
    if (!a.ok) this.counters.rejected++;
    return a;
  }

  private check(bytes: number): Admission & { lagged?: boolean } {
    if (this.closed) return { ok: false, status: 503, retryAfter: 5, reason: 'server is shutting down' };
    const q = this.queued;
    // How long detection needs for the backlog, at its measured cost per event (busy time, so an
    // idle spell does not make it look slow); before the first measurement, a cautious guess.
    const lagMs = (q * (this.detectCostMs ?? 0.05)) / Math.max(1, this.threads);
    const lagged = q > this.batchSize && lagMs > this.maxLagMs;
    if (q >= this.maxQueue || lagged) {
      const retryAfter = Math.min(30, Math.max(1, Math.ceil(lagMs / 1000)));
      return { ok: false, status: 503, retryAfter, reason: `detection backlog full (${q} events queued)`, lagged: true };
    }
    if (this.inflightBytes + bytes > this.maxInflight && this.inflightBytes > 0) {
      return { ok: false, status: 429, retryAfter: 1, reason: 'too much data in flight' };
    }
    return { ok: true };
  }

  /**
   * Backpressure before the 503: a request refused only because detection is behind waits, its
   * body unread (so the sender's TCP window closes instead of bytes being received and thrown
   * away), and one waiting request is let in each time a detection step completes, oldest first.
   * After `maxWaitMs` it gets the 503 with Retry-After.
   */
  async admitWhenReady(orgId: string, bytes: number, maxWaitMs = this.maxWaitMs): Promise<Admission> {
    let a = this.check(bytes);
    if (a.ok || !a.lagged || this.closed) return a.ok ? a : this.admit(orgId, bytes);
    const deadline = Date.now() + maxWaitMs;
    while (!a.ok && a.lagged && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          const i = this.waiters.indexOf(wake);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve();
        }, Math.max(1, deadline - Date.now()));
        this.waiters.push(wake);
      });
      a = this.check(bytes);
    }
    if (!a.ok) this.counters.rejected++;
    return a.ok ? { ok: true } : a;
  }

  /** Records given as objects (syslog, drop folder, FHIR, JSON arrays): stored as their JSON text. */
  async ingest(orgId: string, source: string, format: string, records: IngestRecord[]): Promise<IngestResult> {
    if (records.length === 0) return { accepted: 0 };
    const parts: Buffer[] = new Array(records.length);
    const offsets = new Uint32Array(2 * records.length);
    let pos = 0;
    for (let i = 0; i < records.length; i++) {
      parts[i] = Buffer.from(records[i].raw ?? JSON.stringify(records[i].data));
      offsets[2 * i] = pos;
      pos += parts[i].length;
      offsets[2 * i + 1] = pos;
    }
    return this.ingestLines(orgId, source, format, { buf: Buffer.concat(parts, pos), offsets, count: records.length });
  }

  /** Validated JSON texts as UTF-8 bytes: stored as they are, then queued for detection. */
  async ingestLines(orgId: string, source: string, format: string, lines: RawLines): Promise<IngestResult> {
    const n = lines.count;
    if (n === 0) return { accepted: 0 };
    if (this.closed) throw Object.assign(new Error('server is shutting down'), { status: 503, retryAfter: 5 });
    const now = Date.now();
    const { buf, offsets } = lines;
    const bytes = buf.length;
    this.inflightBytes += bytes;
    let seqs: Float64Array;
    try {
      if (this.store.appendLines) seqs = await this.store.appendLines(orgId, { source, format, receivedAt: now, buf, offsets, count: n });
      else {
        const inputs: EventInput[] = new Array(n);
        for (let i = 0; i < n; i++) inputs[i] = { source, format, receivedAt: now, raw: buf.subarray(offsets[2 * i], offsets[2 * i + 1]) };
        seqs = Float64Array.from(await this.store.appendEvents(orgId, inputs));
      }
    } finally {
      this.inflightBytes -= bytes;
    }
    const last = seqs[n - 1];
    if (last > this.lastSeq) this.lastSeq = last;
    this.enqueue({ orgId, source, format, receivedAt: now, buf, offsets: offsets.subarray(0, 2 * n), seqs });
    this.counters.events += n;
    this.rates.add(orgId, n, now);
    this.rates.add('*', n, now);
    this.schedule();
    return { accepted: n, firstSeq: seqs[0], lastSeq: last };
  }

  /** Queued in sequence order (concurrent appends may resume out of order), so the cursor never skips. */
  private enqueue(b: EventBatch): void {
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].seqs[0] > b.seqs[0]) i--;
    if (i === this.queue.length) this.queue.push(b);
    else this.queue.splice(i, 0, b);
    this.queuedEvents += b.seqs.length;
  }

  /** Re-runs detection on stored events past the cursor (after a crash or a kill). */
  async recover(): Promise<number> {
    await this.backend.ready();
    const alerts = await this.store.loadRecent(Date.now() - 2 * 86_400_000);
    this.engine.seed(alerts.alerts, alerts.incidents);
    let cursor = await this.store.getCursor(this.cursorName);
    this.detectedUpTo = cursor;
    let n = 0;
    for (;;) {
      const events = await this.store.readEventsAfter(cursor, this.batchSize);
      if (events.length === 0) break;
      const batches = storedBatches(events);
      await this.apply(await this.backend.run(batches));
      cursor = events[events.length - 1].seq;
      if (cursor > this.lastSeq) this.lastSeq = cursor;
      n += events.length;
    }
    if (n) this.log(`recovery: ran detection on ${n} stored event(s) past the cursor`);
    return n;
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  /**
   * Up to `batchSize` events from the head of the queue. A larger request batch is split, so
   * detection results, and alerts, come back in smaller steps (and threads share a large body).
   */
  private take(): EventBatch[] {
    const out: EventBatch[] = [];
    let n = 0;
    while (this.queue.length && n < this.batchSize) {
      const b = this.queue[0];
      const room = this.batchSize - n;
      if (b.seqs.length <= room) {
        out.push(this.queue.shift()!);
        n += b.seqs.length;
      } else if (n > 0) break;
      else {
        out.push({ ...b, offsets: b.offsets.subarray(0, 2 * room), seqs: b.seqs.subarray(0, room) });
        this.queue[0] = { ...b, offsets: b.offsets.subarray(2 * room), seqs: b.seqs.subarray(room) };
        n += room;
      }
    }
    return out;
  }

  /**
   * Keeps up to two requests per detection thread (three for one) in flight, so the threads match
   * the next events while this one applies and saves the results of the previous ones; results
   * are applied in the order they were sent, and saved in that order too.
   */
  private async drain(): Promise<void> {
    const inflight: { batches: EventBatch[]; result: Promise<DetectionResult | Error> }[] = [];
    const depth = Math.max(3, 2 * this.threads);
    const send = () => {
      const batches = this.take();
      inflight.push({ batches, result: this.backend.run(batches).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))) });
    };
    while (this.queue.length || inflight.length) {
      while (inflight.length < depth && this.queue.length) send();
      const { batches, result } = inflight.shift()!;
      let r = await result;
      // Keep the threads fed before anything else is done with this result.
      while (inflight.length < depth && this.queue.length) send();
      // A step fails when its thread dies (a new one is started): run it again, before any later
      // result is applied, so the cursor never passes events that were not detected.
      for (let attempt = 2; r instanceof Error && attempt <= 3 && !this.closed; attempt++) {
        this.log(`detection step failed (${r.message}); running it again (attempt ${attempt} of 3)`);
        r = await this.backend.run(batches).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      }
      try {
        if (r instanceof Error) {
          this.counters.skipped += batchEvents(batches);
          throw r;
        }
        this.absorb(r);
        const caughtUp = this.queue.length === 0 && inflight.length === 0;
        if (caughtUp || Date.now() - this.lastSave >= this.saveEveryMs) {
          // Not awaited: the next results are absorbed while this save commits (saves stay in order).
          this.lastSave = Date.now();
          this.inOrder(() => this.save()).catch((err: unknown) => {
            this.log(`saving detection results failed (kept for the next save): ${(err as Error).stack ?? err}`);
          });
        }
      } catch (err) {
        // Stored, but not detected: said once per step, with the events it held.
        const seqs = batches.flatMap((b) => (b.seqs.length ? [b.seqs[0], b.seqs[b.seqs.length - 1]] : []));
        this.log(`detection gave up on events ${Math.min(...seqs)}–${Math.max(...seqs)} after 3 attempts: ${(err as Error).stack ?? err}`);
      } finally {
        this.queuedEvents -= batchEvents(batches);
        this.waiters.shift()?.();
      }
      // Let ingestion requests in between detection batches.
      if (this.queue.length) await new Promise<void>((res) => setImmediate(res));
    }
    await this.saving;
    // Caught up: everyone waiting may come in.
    for (const w of this.waiters.splice(0)) w();
  }

  /** Saves run one after another, in the order they were asked for (each sees what was absorbed by then). */
  private saving: Promise<void> = Promise.resolve();
  private inOrder<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.saving.then(fn);
    this.saving = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  /** Applies one detection result to the alert engine; `save` writes what changed. */
  private absorb(r: DetectionResult): void {
    if (r.events >= 100) {
      const cost = r.busyMs / r.events;
      this.detectCostMs = this.detectCostMs === undefined ? cost : 0.8 * this.detectCostMs + 0.2 * cost;
    }
    this.counters.detectBusyMs += r.busyMs;
    this.counters.detected += r.events;
    this.counters.screened += r.screened;
    this.rates.add('detected', r.events);
    if (r.errors) {
      this.counters.detectorErrors += r.errors;
      for (const m of r.errorSamples) if (this.counters.detectorErrors <= 10) this.log(m);
    }
    const u = (this.unsaved ??= { alerts: new Map(), incidents: new Map(), changes: [], times: [], maxSeq: 0 });
    this.applyOps(r.ops, u);
    if (r.maxSeq > u.maxSeq) u.maxSeq = r.maxSeq;
  }

  /** Alerts, incidents and the cursor of everything absorbed so far, in one transaction. */
  private async save(): Promise<void> {
    const u = this.unsaved;
    if (!u) return;
    this.unsaved = undefined;
    try {
      await this.store.saveDetectionBatch({
        alerts: [...u.alerts.values()],
        incidents: [...u.incidents.values()],
        cursor: u.maxSeq ? { name: this.cursorName, seq: u.maxSeq } : undefined,
      });
    } catch (err) {
      // Nothing of it was written (one transaction): the next save carries it, with what came since.
      const later = this.unsaved as Unsaved | undefined;
      if (later) {
        for (const [id, a] of later.alerts) u.alerts.set(id, a);
        for (const [id, i] of later.incidents) u.incidents.set(id, i);
        u.changes.push(...later.changes);
        u.times.push(...later.times);
        u.maxSeq = Math.max(u.maxSeq, later.maxSeq);
      }
      this.unsaved = u;
      throw err;
    }
    const now = Date.now();
    this.lastSave = now;
    if (u.maxSeq > this.detectedUpTo) this.detectedUpTo = u.maxSeq;
    for (const t of u.times) this.latency.add(now - t);
    if (u.changes.length) for (const l of this.listeners) l(u.changes);
  }

  /** Recovery: one result, saved at once. */
  private async apply(r: DetectionResult): Promise<void> {
    this.absorb(r);
    await this.inOrder(() => this.save());
  }

  private applyOps(ops: DetectionOp[], u: Unsaved): void {
    for (const op of ops) {
      if (op.t === 'learn') {
        this.engine.learnAddress(op.orgId, op.ip, op.host);
        continue;
      }
      const off = this.rules.disabledFor(op.orgId);
      if (op.t === 'corr') {
        // A base-rule match from a detection thread: correlated here, in event order.
        if (off?.has(op.input.refs[0])) continue;
        for (const d of this.rules.correlator(op.orgId).feed(op.input)) {
          if (!off?.has(d.rule.id)) this.record(op.orgId, d, op.seq, op.receivedAt, u);
        }
        continue;
      }
      if (off?.has(op.d.rule.id)) continue;
      this.record(op.orgId, fromPortable(op.d), op.seq, op.receivedAt, u);
    }
  }

  private record(orgId: string, d: Detection, seq: number | undefined, receivedAt: number | undefined, u: Unsaved): void {
    const ch = this.engine.ingest(orgId, d, seq);
    u.alerts.set(ch.alert.id, ch.alert);
    u.incidents.set(ch.incident.id, ch.incident);
    u.changes.push(ch);
    if (receivedAt !== undefined) u.times.push(receivedAt);
    this.counters.detections++;
  }

  /** Periodic tick: lets detectors emit what their windows hold (Sigma correlations). */
  async tick(now = Date.now()): Promise<void> {
    const ops = await this.backend.flush(now);
    if (ops.length === 0) return;
    this.applyOps(ops, (this.unsaved ??= { alerts: new Map(), incidents: new Map(), changes: [], times: [], maxSeq: 0 }));
    await this.inOrder(() => this.save());
  }

  /** Resolves once every queued event went through detection. */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.running || this.scheduled) {
      if (this.running) await this.running;
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w();
    await this.idle();
    await this.backend.close();
  }
}

interface Unsaved {
  alerts: Map<string, Alert>;
  incidents: Map<string, Incident>;
  changes: AlertChange[];
  /** receipt times of the events behind the new detections (latency samples) */
  times: number[];
  maxSeq: number;
}
