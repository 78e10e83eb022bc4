import type { Location } from '../util/index.js';
import type { WardEvent } from '../normalize/index.js';

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: string | undefined): number {
  const i = LEVELS.indexOf((level ?? 'informational') as Level);
  return i < 0 ? 0 : i;
}

/** What every detection names: the rule (Sigma rule, indicator, analytic) that produced it. */
export interface RuleMeta {
  id: string;
  title: string;
  level: Level;
  /** Sigma tags, e.g. `attack.t1003.001`, `attack.credential-access`. */
  tags: string[];
  description?: string;
  author?: string;
  status?: string;
  references?: string[];
  falsepositives?: string[];
  /** Where the rule came from (file path, STIX id, analytic name). */
  source?: string;
}

export interface CorrelationInfo {
  type: string;
  /** group-by field values of the window that fired. */
  group: Record<string, unknown>;
  /** event count, distinct-value count, sum, average or percentile, depending on type. */
  count: number;
  /** the events that made the window fire (location and time), oldest first. */
  events: { loc: Location; timestamp: number | undefined; rule?: string }[];
}

/** One result of detection. Sigma matches carry the event; correlations carry `correlation`. */
export interface Detection {
  kind: 'sigma' | 'correlation' | 'intel' | 'analytics';
  rule: RuleMeta;
  timestamp: number | undefined;
  host: string | undefined;
  loc: Location | undefined;
  /** The matched field values (field name → value). */
  fields: Record<string, unknown>;
  event?: WardEvent;
  correlation?: CorrelationInfo;
  /** Human explanation (analytics: why an access was unexplained; intel: which indicator). */
  explanation?: string;
}

/**
 * A detector consumes normalized events in time order (per source) and emits detections.
 * Sigma, intel matching and health analytics each implement it; the engine runs them side by side.
 */
export interface Detector {
  readonly name: string;
  /** `hint`: what this detector's screen() returned for the event's line, when it ran. */
  process(event: WardEvent, hint?: unknown): Detection[];
  /**
   * Optional prescreen of a raw JSON line, buf[start, end) in UTF-8: false only when this detector
   * provably emits nothing for the event the line holds (and keeps no state from it). When every
   * detector of a run has one, lines all of them reject are counted but never parsed. Any other
   * result than true or false is handed back to process() with the event.
   */
  screen?(buf: Uint8Array, start: number, end: number): unknown;
  /**
   * True when screen() is known to cost less than parsing the line it judges (compiled code),
   * so that screening pays whenever it rejects at least half the lines (see ScreenGovernor).
   */
  screenIsCheap?(): boolean;
  /** End of input (hunt) or a periodic tick (serve): emits what windows and baselines hold. */
  flush(now?: number): Detection[];
}
