import { loadRules, createSigmaDetector, levelRank, runFile, type Detector, type RuleProblem, type RuleSet, type SigmaDetectorOptions } from '../../detect/index.js';

export interface HuntEngine {
  ruleset: RuleSet;
  detectors: Detector[];
  problems: RuleProblem[];
  loadMs: number;
}

/** Loads rules once and builds the detectors a hunt (or one worker of it) runs. */
export function buildEngine(o: { rules: string[]; pipeline?: string[]; placeholders: Record<string, string[]> }, sigmaOpts: SigmaDetectorOptions = {}): HuntEngine {
  const t0 = performance.now();
  const { ruleset, problems } = loadRules({ paths: o.rules, pipelines: o.pipeline, placeholders: o.placeholders });
  const detectors: Detector[] = [createSigmaDetector(ruleset, sigmaOpts)];
  return { ruleset, detectors, problems, loadMs: performance.now() - t0 };
}

export const atLeast = (min: string) => {
  const m = levelRank(min);
  return (level: string) => levelRank(level) >= m;
};

export { runFile };
