import { SigmaDetector, type RuleSet, type SigmaDetectorOptions } from './sigma/index.js';

export function createSigmaDetector(ruleset: RuleSet, opts: SigmaDetectorOptions = {}): SigmaDetector {
  return new SigmaDetector(ruleset, opts);
}
