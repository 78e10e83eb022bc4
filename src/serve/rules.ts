import type { Detection, Detector, PortableCorrelationInput, RuleMeta, SigmaDetectorOptions } from '../detect/index.js';
import type { RuleCatalog, RuleInfo } from '../api/index.js';
import type { AppStore } from '../store/index.js';

/** Sigma correlations run apart from matching: base-rule matches in, correlation detections out. */
export interface Correlator {
  feed(input: PortableCorrelationInput): Detection[];
}

/** What a rule loader produces: a detector factory (one detector per organisation) and a catalog. */
export interface LoadedRules {
  /**
   * One detector per organisation (its state, e.g. access analytics, is the organisation's). With
   * `correlationSink`, the Sigma detector hands correlation inputs out instead of correlating.
   */
  createDetector(orgId: string, opts?: SigmaDetectorOptions): Detector;
  /** The correlations of the organisation's rules, fed with what such a sink received. */
  createCorrelator?(orgId: string): Correlator;
  rules: (RuleMeta & { kind?: string })[];
  problems: { source: string; message: string }[];
}

/**
 * How to build the same loader in another thread (the detection worker): a loader function cannot
 * cross threads, its arguments can. Loaders without it run detection in the main thread.
 */
export interface PortableLoader {
  kind: 'sigma';
  dirs: string[];
  intelPaths: string[];
  analytics?: { config: string | true; stateDir: string };
}

/**
 * Whether events of one organisation may be matched by several detection threads at once: only
 * Sigma's state (correlations) can be moved out of the threads and fed in order; intel indicators
 * over several observations and access analytics keep state in the detector itself.
 */
export const splittable = (p: PortableLoader): boolean => p.intelPaths.length === 0 && !p.analytics;

export type RuleLoader = (() => LoadedRules | Promise<LoadedRules>) & { portable?: PortableLoader };

/**
 * Holds the current rule set and the per-organisation switches. Each organisation gets its own
 * detector (correlation windows never mix tenants). `reload` builds the new set first and swaps it
 * in only when loading succeeded, so a broken edit never leaves Ward without rules.
 */
export class RuleManager implements RuleCatalog {
  private current: LoadedRules = { createDetector: () => ({ name: 'none', process: () => [], flush: () => [] }), rules: [], problems: [] };
  private detectors = new Map<string, Detector>();
  private correlators = new Map<string, Correlator>();
  private disabled = new Map<string, Set<string>>();
  private loadedAt: number | undefined;
  private ids = new Set<string>();
  private reloadListeners = new Set<() => Promise<void> | void>();

  constructor(
    private readonly store: AppStore,
    private readonly loader: RuleLoader | undefined,
    private readonly log: (m: string) => void = () => undefined,
  ) {}

  async init(): Promise<void> {
    this.disabled = await this.store.disabledRules();
    if (this.loader) await this.reload();
  }

  async reload(): Promise<{ loaded: number; failed: number }> {
    if (!this.loader) return { loaded: 0, failed: 0 };
    try {
      const next = await this.loader();
      this.current = next;
      this.ids = new Set(next.rules.map((r) => r.id));
      this.detectors.clear();
      this.correlators.clear();
      this.loadedAt = Date.now();
      for (const l of this.reloadListeners) await l();
      this.log(`rules: ${next.rules.length} loaded, ${next.problems.length} problem(s)`);
      return { loaded: next.rules.length, failed: next.problems.length };
    } catch (err) {
      this.log(`rules: reload failed, keeping the previous set: ${(err as Error).message}`);
      throw err;
    }
  }

  /** The loader's description for another thread, when it has one. */
  get portable(): PortableLoader | undefined {
    return this.loader?.portable;
  }

  /** Called after each successful reload (e.g. to reload the detection worker too). */
  onReload(fn: () => Promise<void> | void): void {
    this.reloadListeners.add(fn);
  }

  detector(orgId: string): Detector {
    let d = this.detectors.get(orgId);
    if (!d) this.detectors.set(orgId, (d = this.current.createDetector(orgId)));
    return d;
  }

  /** The organisation's correlations, for inputs from detection threads (see detect-worker.ts). */
  correlator(orgId: string): Correlator {
    let c = this.correlators.get(orgId);
    if (!c) this.correlators.set(orgId, (c = this.current.createCorrelator?.(orgId) ?? { feed: () => [] }));
    return c;
  }

  allDetectors(): [string, Detector][] {
    return [...this.detectors];
  }

  isEnabled(orgId: string, ruleId: string): boolean {
    return !this.disabled.get(orgId)?.has(ruleId);
  }

  /** Disabled rules of an organisation, or undefined when none (the common, fast case). */
  disabledFor(orgId: string): Set<string> | undefined {
    const s = this.disabled.get(orgId);
    return s && s.size ? s : undefined;
  }

  async list(orgId: string) {
    const loaded: RuleInfo[] = this.current.rules.map((r) => ({
      id: r.id, title: r.title, level: r.level, tags: r.tags, source: r.source, description: r.description, kind: r.kind,
      enabled: this.isEnabled(orgId, r.id),
    }));
    return { loaded, failed: this.current.problems, loadedAt: this.loadedAt };
  }

  async setEnabled(orgId: string, ruleId: string, enabled: boolean): Promise<boolean> {
    if (!this.ids.has(ruleId)) return false;
    await this.store.setRuleEnabled(orgId, ruleId, enabled);
    let s = this.disabled.get(orgId);
    if (!s) this.disabled.set(orgId, (s = new Set()));
    if (enabled) s.delete(ruleId);
    else s.add(ruleId);
    return true;
  }
}
