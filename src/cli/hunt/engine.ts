import type { Problem } from '../../util/index.js';
import { loadRules, createSigmaDetector, createIntelDetector, loadIntel, createAccessAnalytics, loadAnalyticsConfig, levelRank, runFile, type CorrelationRule, type Detector, type RuleProblem, type RuleSet, type SigmaDetectorOptions } from '../../detect/index.js';

export interface HuntEngine {
  ruleset: RuleSet;
  detectors: Detector[];
  problems: RuleProblem[];
  /** problems reading --intel files */
  intelProblems: Problem[];
  indicators: number;
  loadMs: number;
}

/**
 * What a hunt reports about its engine and needs to correlate: plain data, so a worker that
 * built the engine can describe it to the main thread, which then builds none.
 */
export interface EngineInfo {
  problems: RuleProblem[];
  intelProblems: Problem[];
  indicators: number;
  rules: number;
  correlations: CorrelationRule[];
  loadMs: number;
}

export function engineInfo(e: HuntEngine): EngineInfo {
  const { problems, intelProblems, indicators, loadMs } = e;
  return { problems, intelProblems, indicators, rules: e.ruleset.rules.length, correlations: e.ruleset.correlations, loadMs };
}

/** Loads rules once and builds the detectors a hunt (or one worker of it) runs. */
export function buildEngine(
  o: { rules: string[]; pipeline?: string[]; placeholders: Record<string, string[]>; intel?: string[]; analytics?: string | boolean },
  sigmaOpts: SigmaDetectorOptions = {},
): HuntEngine {
  const t0 = performance.now();
  const { ruleset, problems } = loadRules({ paths: o.rules, pipelines: o.pipeline, placeholders: o.placeholders });
  const detectors: Detector[] = [createSigmaDetector(ruleset, sigmaOpts)];
  let intelProblems: Problem[] = [];
  let indicators = 0;
  if (o.intel?.length) {
    const intel = loadIntel(o.intel);
    intelProblems = intel.problems;
    indicators = intel.indicators.length;
    detectors.push(createIntelDetector(intel.objects));
  }
  if (o.analytics) detectors.push(createAccessAnalytics(loadAnalyticsConfig(typeof o.analytics === 'string' ? o.analytics : undefined)));
  return { ruleset, detectors, problems, intelProblems, indicators, loadMs: performance.now() - t0 };
}

export const atLeast = (min: string) => {
  const m = levelRank(min);
  return (level: string) => levelRank(level) >= m;
};

export { runFile };
