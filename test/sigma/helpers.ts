import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, createSigmaDetector, type Detection } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('ward-sigma-test-');
let n = 0;

/** Writes a rule (or several YAML documents) and loads it, failing loudly on problems. */
export function load(yamlText: string, opts: { placeholders?: Record<string, string[]>; allowProblems?: boolean } = {}) {
  const file = join(dir, `r${n++}.yml`);
  writeFileSync(file, yamlText);
  const res = loadRules({ paths: [file], placeholders: opts.placeholders });
  if (!opts.allowProblems && res.problems.some((p) => p.severity === 'error')) throw new Error(JSON.stringify(res.problems));
  return res;
}

export function rule(detection: string, logsource = 'product: test'): string {
  return `title: t\nid: 00000000-0000-4000-8000-000000000001\nlevel: high\nlogsource:\n  ${logsource}\ndetection:\n${detection
    .trim()
    .split('\n')
    .map((l) => '  ' + l)
    .join('\n')}\n`;
}

/** Does the rule (one detection block) match the flat event? */
export function matches(detection: string, event: Record<string, unknown>, opts: { placeholders?: Record<string, string[]> } = {}): boolean {
  const { ruleset } = load(rule(detection), opts);
  const det = createSigmaDetector(ruleset);
  return det.process(normalize(event, { line: 1 })).length > 0;
}

export function runAll(yamlText: string, events: Record<string, unknown>[]): Detection[] {
  const { ruleset } = load(yamlText);
  const det = createSigmaDetector(ruleset);
  const out: Detection[] = [];
  events.forEach((e, i) => out.push(...det.process(normalize(e, { line: i + 1 }))));
  out.push(...det.flush());
  return out;
}
