import { AlertEngine, type Alert, type AlertChange, type Incident } from '../alerts/index.js';
import type { Admission, IngestRecord, IngestSink } from '../api/index.js';
import type { Detection } from '../detect/index.js';
import { normalize } from '../normalize/index.js';
import type { AppStore, EventInput } from '../store/index.js';
import { RateMeter, Samples } from './rate.js';
import type { RuleManager } from './rules.js';

interface Pending {
  seq: number;
  orgId: string;
  source: string;
  format: string;
  data: Record<string, unknown>;
  receivedAt: number;
}

export interface PipelineOptions {
  /** Events stored but not yet through detection; beyond this, ingestion answers 503. */
  maxQueue?: number;
  /** Request bytes being received and written at once; beyond this, ingestion answers 429. */
  maxInflightBytes?: number;
  /** Events per detection transaction. */
  detectBatch?: number;
  /**
   * Refuse new batches (503) when the backlog would take detection longer than this to clear, at
   * its measured rate: keeps event-to-alert latency and memory bounded under overload.
   */
  maxLagMs?: number;
  cursorName?: string;
  log?: (msg: string) => void;
}

export const DETECT_CURSOR = 'detect';

/**
 * Ingestion and live detection. The write-ahead rule: events are appended to the store in one
 * transaction and only then acknowledged and queued for detection. Detection saves the alerts,
 * incidents and the "detected up to" cursor in one transaction, so after a crash `recover()` re-runs
 * exactly the stored events past the cursor, and no acknowledged event goes undetected.
 */
export class Pipeline implements IngestSink {
  readonly engine: AlertEngine;
  private queue: Pending[] = [];
  private head = 0;
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
  /** Milliseconds from receipt to the alert being stored, per detection. */
  readonly latency = new Samples();
  detectedUpTo = 0;
  /** Highest sequence number stored by this process (or found at recovery). */
  lastSeq = 0;
  counters = { events: 0, detections: 0, normalizeErrors: 0, detectorErrors: 0, rejected: 0 };
  private listeners = new Set<(changes: AlertChange[]) => void>();

  constructor(
    private readonly store: AppStore,
    private readonly rules: RuleManager,
    engine?: AlertEngine,
    opts: PipelineOptions = {},
  ) {
    this.engine = engine ?? new AlertEngine();
    this.maxQueue = opts.maxQueue ?? 50_000;
    this.maxInflight = opts.maxInflightBytes ?? 256 * 1024 * 1024;
    this.batchSize = opts.detectBatch ?? 5000;
    this.maxLagMs = opts.maxLagMs ?? 2000;
    this.cursorName = opts.cursorName ?? DETECT_CURSOR;
    this.log = opts.log ?? (() => undefined);
  }

  get queued(): number {
    return this.queue.length - this.head;
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
    if (this.closed) return { ok: false, status: 503, retryAfter: 5, reason: 'server is shutting down' };
    const q = this.queued;
    const rate = this.rates.rate('detected');
    const lagged = rate > 0 && q > this.batchSize && (q / rate) * 1000 > this.maxLagMs;
    if (q >= this.maxQueue || lagged) {
      this.counters.rejected++;
      const retryAfter = Math.min(30, Math.max(1, Math.ceil(rate > 0 ? q / rate : 2)));
      return { ok: false, status: 503, retryAfter, reason: `detection backlog full (${q} events queued)` };
    }
    if (this.inflightBytes + bytes > this.maxInflight && this.inflightBytes > 0) {
      this.counters.rejected++;
      return { ok: false, status: 429, retryAfter: 1, reason: 'too much data in flight' };
    }
    return { ok: true };
  }

  async ingest(orgId: string, source: string, format: string, records: IngestRecord[]) {
    if (records.length === 0) return { accepted: 0 };
    if (this.closed) throw Object.assign(new Error('server is shutting down'), { status: 503, retryAfter: 5 });
    const now = Date.now();
    const inputs: EventInput[] = new Array(records.length);
    let bytes = 0;
    for (let i = 0; i < records.length; i++) {
      const raw = records[i].raw ?? JSON.stringify(records[i].data);
      bytes += raw.length;
      inputs[i] = { source, format, receivedAt: now, raw };
    }
    this.inflightBytes += bytes;
    let seqs: number[];
    try {
      seqs = await this.store.appendEvents(orgId, inputs);
    } finally {
      this.inflightBytes -= bytes;
    }
    if (seqs[seqs.length - 1] > this.lastSeq) this.lastSeq = seqs[seqs.length - 1];
    for (let i = 0; i < records.length; i++) {
      this.queue.push({ seq: seqs[i], orgId, source, format, data: records[i].data, receivedAt: now });
    }
    this.counters.events += records.length;
    this.rates.add(orgId, records.length, now);
    this.rates.add('*', records.length, now);
    this.schedule();
    return { accepted: records.length, firstSeq: seqs[0], lastSeq: seqs[seqs.length - 1] };
  }

  /** Re-runs detection on stored events past the cursor (after a crash or a kill). */
  async recover(): Promise<number> {
    const alerts = await this.store.loadRecent(Date.now() - 2 * 86_400_000);
    this.engine.seed(alerts.alerts, alerts.incidents);
    let cursor = await this.store.getCursor(this.cursorName);
    this.detectedUpTo = cursor;
    let n = 0;
    for (;;) {
      const events = await this.store.readEventsAfter(cursor, this.batchSize);
      if (events.length === 0) break;
      const batch: Pending[] = [];
      for (const e of events) {
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(e.raw) as Record<string, unknown>;
        } catch {
          data = { message: e.raw };
        }
        batch.push({ seq: e.seq, orgId: e.orgId, source: e.source, format: e.format, data, receivedAt: e.receivedAt });
      }
      await this.detect(batch);
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
        if (this.queued > 0) this.schedule();
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.queued > 0) {
      const end = Math.min(this.queue.length, this.head + this.batchSize);
      const batch = this.queue.slice(this.head, end);
      this.head = end;
      if (this.head > 65_536 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      try {
        await this.detect(batch);
      } catch (err) {
        // The events are stored; the cursor did not move, so a restart re-runs them.
        this.log(`detection batch failed (will be retried at restart): ${(err as Error).stack ?? err}`);
      }
      // Let ingestion requests in between detection batches.
      await new Promise<void>((r) => setImmediate(r));
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
  }

  private async detect(batch: Pending[]): Promise<void> {
    const alerts = new Map<string, Alert>();
    const incidents = new Map<string, Incident>();
    const changes: AlertChange[] = [];
    const times: number[] = [];
    let maxSeq = 0;
    for (const p of batch) {
      if (p.seq > maxSeq) maxSeq = p.seq;
      let dets: Detection[];
      try {
        const ev = normalize(p.data, { file: p.source, record: p.seq }, p.format);
        this.engine.learn(p.orgId, ev);
        dets = this.rules.detector(p.orgId).process(ev);
      } catch (err) {
        this.counters.detectorErrors++;
        if (this.counters.detectorErrors <= 10) this.log(`event ${p.seq}: detection error: ${(err as Error).message}`);
        continue;
      }
      if (dets.length === 0) continue;
      const disabled = this.rules.disabledFor(p.orgId);
      for (const d of dets) {
        if (disabled?.has(d.rule.id)) continue;
        const ch = this.engine.ingest(p.orgId, d, p.seq);
        alerts.set(ch.alert.id, ch.alert);
        incidents.set(ch.incident.id, ch.incident);
        changes.push(ch);
        times.push(p.receivedAt);
        this.counters.detections++;
      }
    }
    await this.store.saveDetectionBatch({
      alerts: [...alerts.values()],
      incidents: [...incidents.values()],
      cursor: { name: this.cursorName, seq: maxSeq },
    });
    if (maxSeq > this.detectedUpTo) this.detectedUpTo = maxSeq;
    const now = Date.now();
    this.rates.add('detected', batch.length, now);
    for (const t of times) this.latency.add(now - t);
    if (changes.length) for (const l of this.listeners) l(changes);
  }

  /** Periodic tick: lets detectors emit what their windows hold (Sigma correlations). */
  async tick(now = Date.now()): Promise<void> {
    const alerts = new Map<string, Alert>();
    const incidents = new Map<string, Incident>();
    const changes: AlertChange[] = [];
    for (const [orgId, det] of this.rules.allDetectors()) {
      const disabled = this.rules.disabledFor(orgId);
      for (const d of det.flush(now)) {
        if (disabled?.has(d.rule.id)) continue;
        const ch = this.engine.ingest(orgId, d, d.loc?.record);
        alerts.set(ch.alert.id, ch.alert);
        incidents.set(ch.incident.id, ch.incident);
        changes.push(ch);
      }
    }
    if (changes.length === 0) return;
    await this.store.saveDetectionBatch({ alerts: [...alerts.values()], incidents: [...incidents.values()] });
    for (const l of this.listeners) l(changes);
  }

  /** Resolves once every queued event went through detection. */
  async idle(): Promise<void> {
    while (this.queued > 0 || this.running || this.scheduled) {
      if (this.running) await this.running;
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }
}
