/**
 * detect/analytics: patient-record access analytics (issue 6) — explanation-based auditing,
 * snooping categories, bulk access and bulk $export, off-hours — as a stateful Detector.
 */
import type { Detector } from '../types.js';
import { loadAnalyticsConfig, type AnalyticsConfig, type AnalyticsConfigInput } from './config.js';
import { AccessAnalytics, type AccessAnalyticsOptions } from './detector.js';

export { loadAnalyticsConfig, mergeConfig } from './config.js';
export type { AnalyticsConfig, AnalyticsConfigInput } from './config.js';
export { AccessAnalytics } from './detector.js';
export type { AccessAnalyticsOptions } from './detector.js';
export type { ScoreRecord, Access as AnalyticsAccess } from './state.js';
export { median, mad, percentile } from './bulk.js';

export type AccessAnalyticsDetector = Detector & { snapshot(): string; restore(snapshot: string): void };

/** The access-analytics detector; `config` is a loaded config, a partial one merged over the defaults, or nothing. */
export function createAccessAnalytics(config?: AnalyticsConfig | AnalyticsConfigInput, opts?: AccessAnalyticsOptions): AccessAnalytics & AccessAnalyticsDetector {
  const full = config && isFull(config) ? config : loadAnalyticsConfig(undefined, config);
  return new AccessAnalytics(full, opts);
}

function isFull(c: AnalyticsConfig | AnalyticsConfigInput): c is AnalyticsConfig {
  return c.score !== undefined && typeof (c as AnalyticsConfig).score.alertScore === 'number' && c.bulk !== undefined && c.roles !== undefined && c.explain !== undefined;
}
