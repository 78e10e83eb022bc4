import { SigmaDetector, type RuleSet } from './sigma/index.js';
import type { Detector } from './types.js';

export function createSigmaDetector(ruleset: RuleSet): Detector & { setEnabled(id: string, on: boolean): void; ruleset: RuleSet } {
  return new SigmaDetector(ruleset);
}
