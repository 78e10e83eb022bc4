import { relative } from 'node:path';
import { createSigmaDetector, loadRules } from '../detect/index.js';
import { packageRoot } from '../util/index.js';
import type { LoadedRules, RuleLoader } from './rules.js';

/**
 * Loads Sigma rules (and correlations) from folders with the same compiler as `ward hunt`. With
 * no folders configured, Ward's own rule pack (rules/ in the package) is used.
 */
export function sigmaRuleLoader(dirs: string[]): RuleLoader {
  return (): LoadedRules => {
    const paths = dirs.length ? dirs : [`${packageRoot()}/rules`];
    const { ruleset, problems } = loadRules({ paths });
    const rel = (f: string) => (f.startsWith(packageRoot()) ? relative(packageRoot(), f) : f);
    return {
      createDetector: () => createSigmaDetector(ruleset),
      rules: [
        ...ruleset.rules.map((r) => ({ ...r.meta, source: rel(r.rule.file), kind: 'sigma' })),
        ...ruleset.correlations.map((c) => ({
          id: c.id, title: c.title, level: c.level, tags: c.tags, description: c.description, source: rel(c.file), kind: `correlation:${c.type}`,
        })),
      ],
      problems: problems.map((p) => ({
        source: `${rel(p.file)}${p.line ? `:${p.line}` : ''}${p.title ? ` (${p.title})` : ''}`,
        message: `${p.severity === 'warning' ? 'warning: ' : ''}[${p.code}] ${p.message}`,
      })),
    };
  };
}
