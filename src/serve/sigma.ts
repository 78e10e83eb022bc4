import { relative } from 'node:path';
import { createIntelDetector, createSigmaDetector, loadIntel, loadRules, type Detection, type Detector } from '../detect/index.js';
import { formatLocation, packageRoot } from '../util/index.js';
import type { LoadedRules, RuleLoader } from './rules.js';

/**
 * Loads Sigma rules (and correlations) from folders with the same compiler as `ward hunt`, plus
 * threat-intelligence indicators (STIX bundles, MISP events/feeds) when intel paths are given.
 * With no rule folders configured, Ward's own rule pack (rules/ in the package) is used.
 */
export function sigmaRuleLoader(dirs: string[], intelPaths: string[] = []): RuleLoader {
  return (): LoadedRules => {
    const paths = dirs.length ? dirs : [`${packageRoot()}/rules`];
    const { ruleset, problems } = loadRules({ paths });
    const rel = (f: string) => (f.startsWith(packageRoot()) ? relative(packageRoot(), f) : f);
    const intel = intelPaths.length ? loadIntel(intelPaths) : undefined;
    const createDetector = (): Detector => {
      const sigma = createSigmaDetector(ruleset);
      if (!intel || intel.objects.length === 0) return sigma;
      const ioc = createIntelDetector(intel.objects);
      // Both detectors see every event; their detections are merged in arrival order.
      return {
        name: 'sigma+intel',
        process(ev) {
          const a = sigma.process(ev);
          const b = ioc.process(ev);
          return b.length === 0 ? a : a.length === 0 ? b : ([] as Detection[]).concat(a, b);
        },
        flush(now) {
          return [...(sigma as Detector).flush(now), ...ioc.flush()];
        },
      };
    };
    return {
      createDetector,
      rules: [
        ...ruleset.rules.map((r) => ({ ...r.meta, source: rel(r.rule.file), kind: 'sigma' })),
        ...ruleset.correlations.map((c) => ({
          id: c.id, title: c.title, level: c.level, tags: c.tags, description: c.description, source: rel(c.file), kind: `correlation:${c.type}`,
        })),
        ...(intel?.indicators ?? []).slice(0, 5000).map((i) => ({
          id: i.id, title: i.name ?? i.pattern.slice(0, 120), level: 'high' as const, tags: [], description: i.description, kind: 'intel',
        })),
      ],
      problems: [
        ...problems.map((p) => ({
          source: `${rel(p.file)}${p.line ? `:${p.line}` : ''}${p.title ? ` (${p.title})` : ''}`,
          message: `${p.severity === 'warning' ? 'warning: ' : ''}[${p.code}] ${p.message}`,
        })),
        ...(intel?.problems ?? []).map((p) => ({ source: formatLocation(p.location), message: `[${p.code}] ${p.message}` })),
      ],
    };
  };
}
