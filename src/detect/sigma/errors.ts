import { WardError, type Location } from '../../util/index.js';

/**
 * Why a rule cannot run, with a stable code (`sigma.yaml`, `sigma.condition`, `sigma.modifier`, …)
 * and the rule file (and line, for YAML syntax errors). Loading reports these per rule and goes on.
 */
export class SigmaError extends WardError {
  constructor(code: string, message: string, location?: Location) {
    super(`sigma.${code}`, message, location);
    this.name = 'SigmaError';
  }
}

/** A rule that cannot run, or runs with a caveat; never silently skipped. */
export interface RuleProblem {
  file: string;
  line?: number;
  rule?: string;
  title?: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

