/**
 * Whether the rules' raw prescreen (Detector.screen) pays on the data at hand. It costs a
 * tokenizing pass over every line and saves JSON.parse, normalizing and matching on the lines it
 * rejects; which wins depends on the rule set (with SigmaHQ's 3,000 Windows rules matching a
 * kept line costs several times the screen; with a pack of 55 rules, parsing a line the screen
 * would not reject costs about what screening it does) and on the data (its mix of layouts, how
 * many lines any rule could match). So it is measured, not guessed: a probe alternating the
 * screen on and off batch by batch (cut short when parsing everything is plainly dearer), then
 * the chosen setting for a stretch, then again.
 *
 * The clock is the wall clock (Node 20 has no per-thread CPU time), so a thread descheduled during
 * a probe sees a slow batch: each setting's cost is the median of its batches, and the screen is
 * turned off only on a clear win (parsing everything < 90 % of the screened cost), because a
 * wrong "off" costs far more (several times, with large rule sets) than a wrong "on". A decision
 * that repeats doubles the stretch before the next probe, so steady data is rarely probed.
 * Results never depend on the choice: the screen only skips lines no rule can match.
 *
 * A probe has a price: its unscreened batches parse and match lines the screen would have
 * skipped, and build the automata of the unscreened path's prefilter, which nothing else needs
 * (a third of a second with SigmaHQ's rules). When the screen is known to cost less than parsing
 * a line (compiled code: Detector.screenIsCheap) and it rejected at least half the lines of the
 * stretch, no probe is needed to know it pays — a rejected line saves at least a parse, a kept
 * line costs at most a screen more — and none is run.
 */
import { automatonBuilds } from './sigma/index.js';

/** A point on the governor's clock (workSince). */
export interface WorkMark {
  t: number;
  built: number;
}

export function workMark(): WorkMark {
  return { t: performance.now(), built: automatonBuilds.ms };
}

/**
 * Milliseconds of work since `m`, for ScreenGovernor.record: wall time less the time spent
 * building automata meanwhile. They are built on first use, in whichever setting first meets a
 * field or event type: a one-time cost, not a per-line cost of that setting (counted, it made the
 * first probe of a large rule set see screening as dearer than parsing, and run unscreened).
 */
export function workSince(m: WorkMark): number {
  return Math.max(0, performance.now() - m.t - (automatonBuilds.ms - m.built));
}

export class ScreenGovernor {
  /** Whether to screen the next lines. */
  on = true;
  // The first window warms up (the screen's automata are built on first use, code is compiled)
  // and is not measured.
  private state: 'warm-up' | 'probe' | 'run' = 'warm-up';
  private lines = 0;
  /** of `lines`, how many the screen rejected */
  private rejected = 0;
  /** Whether the screen costs less than parsing a line (set by the caller; see the header). */
  cheap = false;
  private onSamples: number[] = [];
  private offSamples: number[] = [];
  private stretch: number;
  /** The setting chosen at the last decision. */
  private decided = true;
  /** Median cost per line of each setting at the last decision (ms), for reports and tests. */
  last: { on: number; off: number } | undefined;

  constructor(
    /** lines (and at least 3 batches) per setting in a probe */
    private readonly window = 4096,
    /** lines run with the chosen setting before the first re-probe */
    private readonly baseStretch = 16 * 4096,
    private readonly maxStretch = 1 << 20,
  ) {
    this.stretch = baseStretch;
  }

  /**
   * Reports a batch of `lines` (screened or parsed) handled in `ms` under the current setting,
   * `rejected` of them ruled out by the screen.
   */
  record(lines: number, ms: number, rejected = 0): void {
    if (lines <= 0) return;
    this.lines += lines;
    this.rejected += rejected;
    if (this.state === 'run' || this.state === 'warm-up') {
      if (this.lines < (this.state === 'run' ? this.stretch : this.window)) return;
      if (this.on && this.cheap && 2 * this.rejected >= this.lines) this.begin('run', true);
      else this.begin('probe', true);
      return;
    }
    // A probe alternates the settings batch by batch, so both see the same stretch of the input:
    // logs concatenated one after another (an incident's folder, the attack samples) change from
    // one window to the next, and two windows in a row would compare different data.
    (this.on ? this.onSamples : this.offSamples).push(ms / lines);
    this.on = !this.on;
    if (this.onSamples.length < 3 || this.offSamples.length < 3) return;
    const on = median(this.onSamples);
    const off = median(this.offSamples);
    // Parsing everything already costs far more than screening (large rule sets): cut the probe short.
    if (this.lines < 2 * this.window && !(off > 1.5 * on)) return;
    const screen = !(off < 0.9 * on);
    const same = this.last !== undefined && screen === this.decided;
    this.stretch = same ? Math.min(this.maxStretch, 2 * this.stretch) : this.baseStretch;
    this.last = { on, off };
    this.decided = screen;
    this.begin('run', screen);
  }

  private begin(state: 'probe' | 'run', on: boolean): void {
    this.state = state;
    this.on = on;
    this.lines = 0;
    this.rejected = 0;
    this.onSamples = [];
    this.offSamples = [];
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
