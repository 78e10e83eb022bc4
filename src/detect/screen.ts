/**
 * Whether the rules' raw prescreen (Detector.screen) pays on the data at hand. It costs a
 * tokenizing pass over every line and saves JSON.parse, normalizing and matching on the lines it
 * rejects; which wins depends on the rule set (with SigmaHQ's 3,000 Windows rules matching a
 * kept line costs several times the screen; with a pack of 55 rules, parsing a line the screen
 * would not reject costs about what screening it does) and on the data (its mix of layouts, how
 * many lines any rule could match). So it is measured, not guessed: a window of lines with the
 * screen on and one with it off (cut short when parsing everything is plainly dearer), then the
 * chosen setting for a stretch, then again.
 *
 * The clock is the wall clock (Node 20 has no per-thread CPU time), so a thread descheduled during
 * a probe sees a slow batch: each setting's cost is the median of its batches, and the screen is
 * turned off only on a clear win (parsing everything < 90 % of the screened cost), because a
 * wrong "off" costs far more (several times, with large rule sets) than a wrong "on". A decision
 * that repeats doubles the stretch before the next probe, so steady data is rarely probed.
 * Results never depend on the choice: the screen only skips lines no rule can match.
 */
export class ScreenGovernor {
  /** Whether to screen the next lines. */
  on = true;
  // The first window warms up (the screen's automata are built on first use, code is compiled)
  // and is not measured.
  private state: 'warm-up' | 'probe-on' | 'probe-off' | 'run' = 'warm-up';
  private lines = 0;
  private samples: number[] = [];
  private costOn = 0;
  private stretch: number;
  /** The setting chosen at the last decision. */
  private decided = true;
  /** Median cost per line of each setting at the last decision (ms), for reports and tests. */
  last: { on: number; off: number } | undefined;

  constructor(
    /** lines (and at least 3 batches) per probe window */
    private readonly window = 4096,
    /** lines run with the chosen setting before the first re-probe */
    private readonly baseStretch = 16 * 4096,
    private readonly maxStretch = 1 << 20,
  ) {
    this.stretch = baseStretch;
  }

  /** Reports a batch of `lines` (screened or parsed) handled in `ms` under the current setting. */
  record(lines: number, ms: number): void {
    if (lines <= 0) return;
    this.lines += lines;
    if (this.state === 'run' || this.state === 'warm-up') {
      if (this.lines >= (this.state === 'run' ? this.stretch : this.window)) this.begin('probe-on', true);
      return;
    }
    this.samples.push(ms / lines);
    if (this.samples.length < 3) return;
    const cost = median(this.samples);
    // Parsing everything already costs far more than screening (large rule sets): cut the probe short.
    const clear = this.state === 'probe-off' && cost > 1.5 * this.costOn;
    if (this.lines < this.window && !clear) return;
    if (this.state === 'probe-on') {
      this.costOn = cost;
      this.begin('probe-off', false);
      return;
    }
    const on = !(cost < 0.9 * this.costOn);
    const same = this.last !== undefined && on === this.decided;
    this.stretch = same ? Math.min(this.maxStretch, 2 * this.stretch) : this.baseStretch;
    this.last = { on: this.costOn, off: cost };
    this.decided = on;
    this.begin('run', on);
  }

  private begin(state: 'probe-on' | 'probe-off' | 'run', on: boolean): void {
    this.state = state;
    this.on = on;
    this.lines = 0;
    this.samples = [];
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
