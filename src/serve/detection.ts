import { addressFacts, eventFieldsOf, toPortable, type PortableDetection } from '../alerts/index.js';
import { ScreenGovernor, workMark, workSince, type Detection, type Detector, type PortableCorrelationInput } from '../detect/index.js';
import { normalize, type WardEvent } from '../normalize/index.js';
import type { StoredEvent } from '../store/index.js';

/**
 * Stored events handed to detection: one organisation, source and format; event i is the UTF-8
 * JSON text buf[offsets[2i], offsets[2i + 1]) with sequence number seqs[i]. Plain typed arrays, so
 * a batch crosses to the detection thread as a copy of its bytes, nothing parsed.
 */
export interface EventBatch {
  orgId: string;
  source: string;
  format: string;
  receivedAt: number;
  buf: Uint8Array;
  offsets: Uint32Array;
  seqs: Float64Array;
}

/**
 * What detection found, in event order: address facts for the alert engine's host directory
 * (`learn`), detections (`det`), and base-rule matches for Sigma correlations (`corr`, from
 * detection threads, whose correlations run where the results are applied so that their windows
 * see every thread's events in order). Applied in this order on the thread that owns the alerts.
 */
export type DetectionOp =
  | { t: 'learn'; orgId: string; ip: string; host: string }
  | { t: 'det'; orgId: string; seq?: number; receivedAt?: number; d: PortableDetection }
  | { t: 'corr'; orgId: string; seq: number; receivedAt: number; input: PortableCorrelationInput };

export interface DetectionResult {
  events: number;
  /** Events the detectors' raw prescreen let pass without parsing (no rule can match them). */
  screened: number;
  /** Highest sequence number in the batches (the "detected up to" cursor once applied). */
  maxSeq: number;
  ops: DetectionOp[];
  errors: number;
  /** The first few error messages (the rest are counted). */
  errorSamples: string[];
  /** Time spent detecting (ms), for the detection thread's utilisation. */
  busyMs: number;
}

/** The per-organisation detectors detection runs with (the RuleManager, or the worker's own). */
export interface DetectorSource {
  detector(orgId: string): Detector;
  allDetectors(): [string, Detector][];
  /** Where the detectors' correlation sink puts base-rule matches (detection threads); drained per event. */
  correlationInputs?: PortableCorrelationInput[];
}

/** Texts or byte strings laid end to end: one buffer and each one's [start, end) (EventBatch layout). */
export function packLines(parts: Uint8Array[]): { buf: Buffer; offsets: Uint32Array } {
  const offsets = new Uint32Array(2 * parts.length);
  let pos = 0;
  parts.forEach((p, i) => {
    offsets[2 * i] = pos;
    pos += p.length;
    offsets[2 * i + 1] = pos;
  });
  return { buf: Buffer.concat(parts, pos), offsets };
}

/** Stored events as detection batches: runs of the same organisation, source and format. */
export function storedBatches(events: StoredEvent[]): EventBatch[] {
  const out: EventBatch[] = [];
  let i = 0;
  while (i < events.length) {
    const first = events[i];
    let j = i + 1;
    while (j < events.length && events[j].orgId === first.orgId && events[j].source === first.source && events[j].format === first.format) j++;
    const { buf, offsets } = packLines(events.slice(i, j).map((e) => Buffer.from(e.raw)));
    out.push({
      orgId: first.orgId, source: first.source, format: first.format, receivedAt: first.receivedAt,
      buf, offsets, seqs: Float64Array.from(events.slice(i, j), (e) => e.seq),
    });
    i = j;
  }
  return out;
}

export const batchEvents = (batches: EventBatch[]): number => batches.reduce((n, b) => n + b.seqs.length, 0);

/** Words in a line that may carry an address fact for the host directory (alerts/hosts.ts). */
const ADDRESS_WORDS = ['IpAddress', 'SourceIp', '"ip"', 'host.ip'].map((w) => Buffer.from(w));

function mayTeachAddresses(buf: Buffer, start: number, end: number): boolean {
  const line = buf.subarray(start, end);
  for (const w of ADDRESS_WORDS) if (line.indexOf(w) >= 0) return true;
  return false;
}

/** Whether each detector's raw prescreen pays on this stream (measured, see detect/screen.ts). */
const governors = new WeakMap<Detector, ScreenGovernor>();

/**
 * Runs detection over event batches: parse, normalize, address facts, every detector of the
 * event's organisation. The same code runs in the detection worker and, for loaders that cannot
 * be rebuilt in another thread (tests' hand-written detectors), in the main thread.
 */
export function runBatches(src: DetectorSource, batches: EventBatch[]): DetectionResult {
  const t0 = performance.now();
  const ops: DetectionOp[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let events = 0;
  let maxSeq = 0;
  let screened = 0;
  for (const b of batches) {
    const det = src.detector(b.orgId);
    let gov: ScreenGovernor | undefined;
    if (det.screen && !(gov = governors.get(det))) governors.set(det, (gov = new ScreenGovernor()));
    const screen = gov?.on === true;
    const tb = workMark();
    const buf = Buffer.from(b.buf.buffer, b.buf.byteOffset, b.buf.byteLength);
    const n = b.seqs.length;
    events += n;
    const skippedBefore = screened;
    for (let i = 0; i < n; i++) {
      const seq = b.seqs[i];
      if (seq > maxSeq) maxSeq = seq;
      const start = b.offsets[2 * i];
      const end = b.offsets[2 * i + 1];
      // The prescreen may skip a line no rule can match, unless it could teach the alert engine
      // which host owns an address (those are parsed for that alone).
      // Anything else than true/false is the screen's verdict, handed to process() with the event.
      let hint: unknown;
      if (screen) {
        hint = det.screen!(buf, start, end);
        if (hint === false) {
          if (!mayTeachAddresses(buf, start, end)) {
            screened++;
            continue;
          }
          // Parsed for its address facts only; process() gets the screen's false and runs no rule.
        } else if (hint === true) hint = undefined;
      }
      const text = buf.toString('utf8', start, end);
      let data: Record<string, unknown>;
      try {
        const v = JSON.parse(text) as unknown;
        data = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { message: text };
      } catch {
        data = { message: text };
      }
      let dets: Detection[] = [];
      let ev: WardEvent | undefined;
      try {
        ev = normalize(data, { file: b.source, record: seq }, b.format);
        const facts = addressFacts(ev);
        if (facts) for (const [ip, host] of facts) ops.push({ t: 'learn', orgId: b.orgId, ip, host });
        dets = hint === undefined ? det.process(ev) : det.process(ev, hint);
      } catch (err) {
        if (++errors <= 10) errorSamples.push(`event ${seq}: detection error: ${(err as Error).message}`);
      }
      // The event's fields alerts read are looked up once, shared by its detections.
      let fields: Record<string, unknown> | undefined;
      for (const d of dets) {
        if (d.event === ev) fields ??= eventFieldsOf(ev!);
        ops.push({ t: 'det', orgId: b.orgId, seq, receivedAt: b.receivedAt, d: toPortable(d, d.event === ev ? fields : undefined) });
      }
      // Base-rule matches for correlations, in the same order a detector correlating itself keeps.
      const corr = src.correlationInputs;
      if (corr?.length) {
        for (const input of corr) ops.push({ t: 'corr', orgId: b.orgId, seq, receivedAt: b.receivedAt, input });
        corr.length = 0;
      }
    }
    if (gov) {
      gov.cheap = det.screenIsCheap?.() === true;
      gov.record(n, workSince(tb), screened - skippedBefore);
    }
  }
  return { events, screened, maxSeq, ops, errors, errorSamples, busyMs: performance.now() - t0 };
}

/** Lets every detector emit what its windows hold (Sigma correlations, analytics baselines). */
export function flushDetectors(src: DetectorSource, now: number): DetectionOp[] {
  const ops: DetectionOp[] = [];
  for (const [orgId, det] of src.allDetectors()) {
    for (const d of det.flush(now)) ops.push({ t: 'det', orgId, seq: d.loc?.record, d: toPortable(d) });
  }
  return ops;
}
