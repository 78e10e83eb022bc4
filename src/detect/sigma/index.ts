/**
 * detect/sigma: a Sigma v2.1 engine. rule.ts parses documents, compile.ts/item.ts/condition.ts
 * build matchers (modifiers.ts is the modifier registry), pipeline.ts applies logsource mappings
 * from data/pipelines, ruleset.ts indexes rules, detector.ts runs them, correlation/ correlates.
 */
export { loadRules, findRuleFiles } from './loader.js';
export type { LoadOptions, LoadResult, RuleProblem } from './loader.js';
export { RuleSet } from './ruleset.js';
export { SigmaDetector } from './detector.js';
export { SigmaError } from './errors.js';
export { modifiers } from './modifiers.js';
export { correlationTypes } from './correlation/aggregate.js';
export { listPipelines, loadPipeline } from './pipeline.js';
export type { SigmaRule, CorrelationRule, FilterRule, SigmaDocument } from './rule.js';
export type { CompiledRule } from './compile.js';
export { fold } from './fold.js';
export { automatonBuilds } from './prefilter/index.js';
export { CorrelationEngine } from './correlation/engine.js';
export type { CorrelationInput } from './correlation/engine.js';
export type { PortableCorrelationInput, SigmaDetectorOptions } from './detector.js';
