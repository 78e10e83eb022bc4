import type { Incident, IncidentPatch } from '../alerts/index.js';
import type { AppStore, Role } from '../store/index.js';

/** Who is calling: resolved from a bearer token (session, API or source token). */
export interface Principal {
  orgId: string;
  role: Role;
  kind: 'session' | 'api' | 'source';
  tokenId: string;
  /** Token name for sources (used as the source name of ingested events). */
  name: string;
  userId?: string;
  email?: string;
}

export interface IngestRecord {
  data: Record<string, unknown>;
  /** The record's JSON text when it arrived as text (NDJSON), to store without re-serializing. */
  raw?: string;
}

/** NDJSON lines kept as their UTF-8 bytes: line i is buf[offsets[2i], offsets[2i + 1]). */
export interface RawLines {
  buf: Buffer;
  offsets: Uint32Array;
  count: number;
}

export type Admission = { ok: true } | { ok: false; status: 429 | 503; retryAfter: number; reason: string };

/** Ingestion as seen by the API: admission control, then a durable write. */
export interface IngestSink {
  admit(orgId: string, bytes: number): Admission;
  /**
   * `admit`, but a request refused only because detection is behind may wait (its body unread,
   * so TCP pushes back on the sender) until there is room, for a bounded time, before the 503.
   */
  admitWhenReady?(orgId: string, bytes: number): Promise<Admission>;
  /** Resolves once the events are durably stored (and queued for detection). */
  ingest(orgId: string, source: string, format: string, records: IngestRecord[]): Promise<{ accepted: number; firstSeq?: number; lastSeq?: number }>;
  /** The same for validated NDJSON lines kept as bytes (stored as they came, never re-serialized). */
  ingestLines?(orgId: string, source: string, format: string, lines: RawLines): Promise<{ accepted: number; firstSeq?: number; lastSeq?: number }>;
}

export interface RuleInfo {
  id: string;
  title: string;
  level: string;
  tags: string[];
  source?: string;
  description?: string;
  kind?: string;
  enabled: boolean;
}

export interface RuleCatalog {
  list(orgId: string): Promise<{ loaded: RuleInfo[]; failed: { source: string; message: string }[]; loadedAt?: number }>;
  setEnabled(orgId: string, ruleId: string, enabled: boolean): Promise<boolean>;
  reload(): Promise<{ loaded: number; failed: number }>;
}

export interface IncidentWorkflow {
  update(orgId: string, id: string, patch: IncidentPatch, actor: string): Promise<Incident | undefined>;
}

export interface Metrics {
  eventsPerSecond: number;
  queued: number;
  detectedUpTo: number;
  lastEventSeq: number;
  /** Stored events detection gave up on (their thread failed three times; the log names them). */
  detectionSkipped: number;
  listeners: { kind: string; address: string }[];
}

export interface ApiDeps {
  store: AppStore;
  ingest?: IngestSink;
  rules?: RuleCatalog;
  incidents?: IncidentWorkflow;
  metrics?: (orgId: string) => Metrics;
  /** Folder with the built web console (index.html); served at `/` when present. */
  webDir?: string;
  limits?: Partial<IngestLimits>;
  /**
   * Extra apps answering every request under their path prefixes, passed on unchanged (e.g. the
   * TAXII 2.1 server: discovery at /taxii2/, its API root at /ward/).
   */
  mounts?: { prefixes: string[]; fetch: (req: Request) => Response | Promise<Response> }[];
  /** Session lifetime (ms). */
  sessionTtlMs?: number;
  log?: (msg: string) => void;
}

export interface IngestLimits {
  /** Max request body bytes as sent (compressed or not). */
  maxBodyBytes: number;
  /** Max bytes after gzip decompression. */
  maxDecodedBytes: number;
  maxEventsPerBatch: number;
  maxEventBytes: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxDecodedBytes: 64 * 1024 * 1024,
  maxEventsPerBatch: 100_000,
  maxEventBytes: 1024 * 1024,
};
