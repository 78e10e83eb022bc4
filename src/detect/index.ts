/**
 * detect/: detectors over WardEvents. sigma/ (Sigma rules), intel/ (threat-intel indicators),
 * analytics/ (health access analytics) each implement the Detector interface from types.ts.
 */
export * from './types.js';
export {
  loadRules,
  findRuleFiles,
  RuleSet,
  SigmaDetector,
  SigmaError,
  modifiers,
  correlationTypes,
  listPipelines,
  loadPipeline,
  fold,
  CorrelationEngine,
  automatonBuilds,
} from './sigma/index.js';
export type { CorrelationInput, PortableCorrelationInput, SigmaDetectorOptions } from './sigma/index.js';
export type { LoadOptions, LoadResult, RuleProblem, SigmaRule, CorrelationRule, FilterRule, SigmaDocument, CompiledRule } from './sigma/index.js';
export { createSigmaDetector } from './engine.js';
export { runPaths, runFile, expandPaths, pickReader } from './run.js';
export { ScreenGovernor, workMark, workSince, type WorkMark } from './screen.js';
export type { RunOptions, RunUpdate } from './run.js';
export * from './intel/index.js';
export { createAccessAnalytics, loadAnalyticsConfig, AccessAnalytics } from './analytics/index.js';
export type { AnalyticsConfig, AnalyticsConfigInput, AccessAnalyticsOptions, AccessAnalyticsDetector, ScoreRecord, AnalyticsAccess } from './analytics/index.js';
