import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CorrelationEngine, createAccessAnalytics, createIntelDetector, createSigmaDetector, loadAnalyticsConfig, loadIntel, loadRules,
  type AccessAnalyticsDetector, type Detection, type Detector, type SigmaDetectorOptions,
} from '../detect/index.js';
import { formatLocation, packageRoot } from '../util/index.js';
import type { Correlator, LoadedRules, RuleLoader } from './rules.js';

/**
 * Loads Sigma rules (and correlations) from folders with the same compiler as `ward hunt`, plus
 * threat-intelligence indicators (STIX bundles, MISP events/feeds) when intel paths are given.
 * With no rule folders configured, Ward's own rule pack (rules/ in the package) is used.
 */
export interface ServeAnalytics {
  /** site config merged over data/analytics/default.yaml; true = defaults */
  config: string | true;
  /** where each organisation's analytics state is kept between restarts */
  stateDir: string;
}

export function sigmaRuleLoader(dirs: string[], intelPaths: string[] = [], analytics?: ServeAnalytics): RuleLoader {
  const load = (): LoadedRules => {
    const paths = dirs.length ? dirs : [`${packageRoot()}/rules`];
    const { ruleset, problems } = loadRules({ paths });
    const rel = (f: string) => (f.startsWith(packageRoot()) ? relative(packageRoot(), f) : f);
    const intel = intelPaths.length ? loadIntel(intelPaths) : undefined;
    const analyticsConfig = analytics ? loadAnalyticsConfig(analytics.config === true ? undefined : analytics.config, { mode: 'stream' }) : undefined;
    const createDetector = (orgId: string, opts?: SigmaDetectorOptions): Detector => {
      const parts: Detector[] = [createSigmaDetector(ruleset, opts)];
      if (intel && intel.objects.length) parts.push(createIntelDetector(intel.objects));
      let persist: ((now: number) => void) | undefined;
      if (analytics && analyticsConfig) {
        const a = createAccessAnalytics(analyticsConfig);
        persist = restoreAndPersist(a, join(analytics.stateDir, `analytics-${orgId.replace(/[^\w.-]/g, '_')}.json`));
        parts.push(a);
      }
      if (parts.length === 1) return parts[0];
      // Every detector sees every event; their detections are merged in arrival order.
      return {
        name: parts.map((p) => p.name).join('+'),
        process(ev) {
          let out: Detection[] | undefined;
          for (const p of parts) {
            const r = p.process(ev);
            if (r.length) out = out ? out.concat(r) : r;
          }
          return out ?? [];
        },
        flush(now) {
          const out = parts.flatMap((p) => p.flush(now));
          persist?.(now ?? Date.now());
          return out;
        },
      };
    };
    const createCorrelator = (): Correlator => {
      const engine = new CorrelationEngine(ruleset.correlations);
      return { feed: (i) => engine.feed({ refs: i.refs, t: i.t, loc: i.loc, host: i.host, get: (f) => i.values[f] }) };
    };
    return {
      createDetector,
      createCorrelator,
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
  // Arguments only: the detection worker rebuilds this loader from them.
  return Object.assign(load, { portable: { kind: 'sigma' as const, dirs, intelPaths, analytics } });
}

/**
 * Access analytics keep baselines and care relationships in memory; this restores them from the
 * state file and returns a saver the periodic tick calls (at most every 30 s; written to a
 * temporary file and renamed, so a crash never leaves half a state).
 */
function restoreAndPersist(a: AccessAnalyticsDetector, file: string): (now: number) => void {
  if (existsSync(file)) {
    try {
      a.restore(readFileSync(file, 'utf8'));
    } catch (err) {
      process.stderr.write(`ward: analytics state ${file} could not be restored (${(err as Error).message}); starting afresh\n`);
    }
  }
  let last = 0;
  return (now) => {
    if (now - last < 30_000) return;
    last = now;
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(`${file}.tmp`, a.snapshot());
    renameSync(`${file}.tmp`, file);
  };
}
